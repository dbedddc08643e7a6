/**
 * The schema registry built from the schemas shipped in `schemas/resources/`
 * (bundled into the server and CLI). Created on first use, shared after.
 */

import { RESOURCE_SCHEMAS } from './generated/resourceSchemaTable';
import { SchemaRegistry } from './schemaRegistry';

let registry: SchemaRegistry | undefined;

export function bundledSchemas(): SchemaRegistry {
  registry ??= new SchemaRegistry(RESOURCE_SCHEMAS);
  return registry;
}
