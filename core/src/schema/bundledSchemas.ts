/**
 * The schema registry built from the schemas shipped in `schemas/resources/`
 * (bundled into the server and CLI), with the validators precompiled at build
 * time by scripts/gen-validators.mjs, one module per kind, each loaded when
 * the first document of its kind is validated. Created on first use, shared
 * after.
 */

import { RESOURCE_SCHEMAS } from './generated/resourceSchemaTable';
import * as precompiledValidators from './generated/validators.cjs';
import { SchemaRegistry } from './schemaRegistry';

let registry: SchemaRegistry | undefined;

export function bundledSchemas(): SchemaRegistry {
  registry ??= new SchemaRegistry(RESOURCE_SCHEMAS, { keys: precompiledValidators.keys, load: precompiledValidators.load });
  return registry;
}
