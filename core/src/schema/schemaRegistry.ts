/**
 * JSON Schemas of the resources meshlens validates, looked up by
 * `apiVersion`/`kind` in O(1), with validators precompiled at build time
 * (loaded per kind on first use) or compiled with ajv once on first use, and
 * validation results cached per parsed document.
 *
 * ajv reports JSON-pointer paths; `validateDocument` turns them into grouped
 * issues with the path of the YAML node to report on. The noise ajv makes for
 * failed `anyOf`/`oneOf` branches is folded into one issue per place.
 */

import type Ajv from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { createAjv } from './ajv';
import type { ParsedDocument } from '../parse/yamlFile';
import type { ResourceIdentity } from '../resources/identify';
import { resourceKey } from '../resources/identify';

export interface SchemaEntry {
  apiVersion: string;
  kind: string;
  schema: JsonSchema;
  deprecated?: string;
}

export type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  required?: string[];
  enum?: unknown[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  default?: unknown;
  pattern?: string;
  'x-meshlens-versions'?: { since?: string; until?: string };
  [key: string]: unknown;
};

export type IssueKind = 'unknown-field' | 'type' | 'required' | 'value';

export interface SchemaIssue {
  kind: IssueKind;
  /** Path of the node the issue is about (for unknown fields: the unknown key itself). */
  path: (string | number)[];
  /** True when the issue is about a map key rather than a value. */
  atKey: boolean;
  message: string;
  /** For unknown fields: the valid sibling names. */
  knownNames?: string[];
  /** For required fields: the missing field's name. */
  missing?: string;
}

/** Precompiled validators loaded on demand: `load(key)` for an `apiVersion/kind` in `keys`. */
export interface PrecompiledValidators {
  readonly keys: readonly string[];
  load(key: string): ValidateFunction | undefined;
}

export class SchemaRegistry {
  private readonly entries = new Map<string, SchemaEntry>();
  private readonly compiled = new Map<string, ValidateFunction | null>();
  private readonly results = new WeakMap<ParsedDocument, SchemaIssue[]>();
  private readonly precompiledKeys = new Set<string>();
  private readonly loadPrecompiled: (key: string) => ValidateFunction | undefined;
  // Same options as scripts/gen-validators.mjs; patterns run on RE2 (linear time).
  private ajvInstance: Ajv | undefined;

  /**
   * @param precompiled standalone validators (generated at build time), either
   * by `apiVersion/kind` or as a loader that requires each kind's module on
   * first use; kinds without one are compiled with ajv on first use.
   */
  constructor(entries: readonly SchemaEntry[], precompiled: Record<string, ValidateFunction> | PrecompiledValidators = {}) {
    for (const entry of entries) this.entries.set(resourceKey(entry), entry);
    if (isLoader(precompiled)) {
      for (const key of precompiled.keys) if (this.entries.has(key)) this.precompiledKeys.add(key);
      this.loadPrecompiled = (key) => precompiled.load(key);
    } else {
      for (const [key, validate] of Object.entries(precompiled)) {
        if (typeof validate === 'function' && this.entries.has(key)) this.compiled.set(key, validate);
      }
      this.loadPrecompiled = () => undefined;
    }
  }

  has(identity: Pick<ResourceIdentity, 'apiVersion' | 'kind'>): boolean {
    return this.entries.has(resourceKey(identity));
  }

  entry(identity: Pick<ResourceIdentity, 'apiVersion' | 'kind'>): SchemaEntry | undefined {
    return this.entries.get(resourceKey(identity));
  }

  /** Known apiVersions for a kind (for "did you mean" on a wrong apiVersion). */
  apiVersionsOf(kind: string): string[] {
    return [...this.entries.values()].filter((entry) => entry.kind === kind).map((entry) => entry.apiVersion);
  }

  validateDocument(identity: ResourceIdentity, document: ParsedDocument): SchemaIssue[] {
    const cached = this.results.get(document);
    if (cached) return cached;
    const validator = this.validator(identity);
    let issues: SchemaIssue[] = [];
    const converted = document.value();
    if (validator && !converted.exceeded) {
      validator(converted.value);
      issues = foldErrors(validator.errors ?? [], this.entry(identity)!.schema);
    }
    this.results.set(document, issues);
    return issues;
  }

  /** The schema that describes the value at `path` (map keys and sequence indices). */
  schemaAt(identity: Pick<ResourceIdentity, 'apiVersion' | 'kind'>, path: readonly (string | number)[]): JsonSchema | undefined {
    const entry = this.entry(identity);
    return entry ? subschemaAt(entry.schema, path) : undefined;
  }

  rootSchema(identity: Pick<ResourceIdentity, 'apiVersion' | 'kind'>): JsonSchema | undefined {
    return this.entry(identity)?.schema;
  }

  private validator(identity: ResourceIdentity): ValidateFunction | undefined {
    const key = resourceKey(identity);
    if (!this.compiled.has(key)) {
      const entry = this.entries.get(key);
      let compiled: ValidateFunction | null = null;
      if (entry && this.precompiledKeys.has(key)) {
        try {
          compiled = this.loadPrecompiled(key) ?? null;
        } catch {
          compiled = null;
        }
      }
      if (entry && !compiled) {
        try {
          this.ajvInstance ??= createAjv({ optimize: false });
          compiled = this.ajvInstance.compile(entry.schema);
        } catch {
          compiled = null;
        }
      }
      this.compiled.set(key, compiled);
    }
    return this.compiled.get(key) ?? undefined;
  }
}

function isLoader(value: Record<string, ValidateFunction> | PrecompiledValidators): value is PrecompiledValidators {
  return typeof (value as PrecompiledValidators).load === 'function' && Array.isArray((value as PrecompiledValidators).keys);
}

/** Resolves a subschema by walking properties, items and additionalProperties (and the branches of anyOf/oneOf/allOf). */
export function subschemaAt(schema: JsonSchema, path: readonly (string | number)[], root: JsonSchema = schema): JsonSchema | undefined {
  let current: JsonSchema | undefined = resolveRef(schema, root);
  for (const segment of path) {
    if (!current) return undefined;
    current = childSchema(current, segment, root);
  }
  return current;
}

/** Follows a local `$ref` (`#/definitions/x`) against the root schema. */
export function resolveRef(schema: JsonSchema | undefined, root: JsonSchema): JsonSchema | undefined {
  let current = schema;
  for (let hops = 0; current && typeof current.$ref === 'string' && hops < 16; hops++) {
    const pointer = (current.$ref as string).replace(/^#\//, '').split('/');
    let target: unknown = root;
    for (const part of pointer) target = (target as Record<string, unknown> | undefined)?.[part];
    current = target as JsonSchema | undefined;
  }
  return current;
}

export function childSchema(schema: JsonSchema, segment: string | number, root: JsonSchema = schema): JsonSchema | undefined {
  const resolved = resolveRef(schema, root);
  if (!resolved) return undefined;
  if (typeof segment === 'number') {
    if (resolved.items) return resolveRef(resolved.items, root);
  } else {
    if (resolved.properties && Object.prototype.hasOwnProperty.call(resolved.properties, segment)) return resolveRef(resolved.properties[segment], root);
    if (resolved.additionalProperties && typeof resolved.additionalProperties === 'object') return resolveRef(resolved.additionalProperties, root);
  }
  for (const branch of [...(resolved.allOf ?? []), ...(resolved.anyOf ?? []), ...(resolved.oneOf ?? [])]) {
    const found = childSchema(branch, segment, root);
    if (found) return found;
  }
  return undefined;
}

/** Property names a schema allows at an object (merging combinator branches). */
export function propertyNames(schema: JsonSchema | undefined, root: JsonSchema | undefined = schema): string[] {
  const resolved = root ? resolveRef(schema, root) : schema;
  if (!resolved) return [];
  const names = new Set<string>(Object.keys(resolved.properties ?? {}));
  for (const branch of [...(resolved.allOf ?? []), ...(resolved.anyOf ?? []), ...(resolved.oneOf ?? [])]) {
    for (const name of propertyNames(branch, root)) names.add(name);
  }
  return [...names];
}

function pointerToPath(pointer: string): (string | number)[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((segment) => (/^(0|[1-9][0-9]*)$/.test(segment) ? Number(segment) : segment));
}

/**
 * Turns ajv's error list into issues. Errors produced inside a failed
 * anyOf/oneOf branch are dropped in favour of one issue at the combinator's
 * place, except when every branch only demanded different required fields
 * (the "exactly one of a, b" shape), which gets a message naming them.
 */
function foldErrors(errors: readonly ErrorObject[], rootSchema: JsonSchema): SchemaIssue[] {
  const combinatorPaths = errors
    .filter((error) => error.keyword === 'anyOf' || error.keyword === 'oneOf')
    .map((error) => error.schemaPath.slice(0, error.schemaPath.lastIndexOf('/')));
  const issues: SchemaIssue[] = [];
  const seen = new Set<string>();
  const push = (issue: SchemaIssue) => {
    const key = `${issue.kind}|${issue.path.join('/')}|${issue.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    issues.push(issue);
  };
  for (const error of errors) {
    const insideCombinator = combinatorPaths.some(
      (prefix) => error.keyword !== 'anyOf' && error.keyword !== 'oneOf' && error.schemaPath.startsWith(prefix + '/') && /\/(anyOf|oneOf)\/\d+/.test(error.schemaPath.slice(prefix.length)),
    );
    if (insideCombinator) continue;
    const path = pointerToPath(error.instancePath);
    switch (error.keyword) {
      case 'additionalProperties': {
        const name = String((error.params as { additionalProperty: string }).additionalProperty);
        const parentSchema = subschemaAt(rootSchema, path);
        push({ kind: 'unknown-field', path: [...path, name], atKey: true, message: `Unknown field "${name}"`, knownNames: propertyNames(parentSchema, rootSchema) });
        break;
      }
      case 'required': {
        const missing = String((error.params as { missingProperty: string }).missingProperty);
        push({ kind: 'required', path, atKey: true, message: `Missing required field "${missing}"`, missing });
        break;
      }
      case 'type': {
        const expected = (error.params as { type: string | string[] }).type;
        push({ kind: 'type', path, atKey: false, message: `Expected ${describeType(expected)}` });
        break;
      }
      case 'enum': {
        const allowed = (error.params as { allowedValues: unknown[] }).allowedValues;
        push({ kind: 'value', path, atKey: false, message: `Value must be one of: ${allowed.map((value) => JSON.stringify(value)).join(', ')}` });
        break;
      }
      case 'anyOf':
      case 'oneOf':
        push({ kind: 'value', path, atKey: false, message: describeCombinator(error, rootSchema, path) });
        break;
      case 'pattern':
        push({ kind: 'value', path, atKey: false, message: `Value does not match the pattern ${(error.params as { pattern: string }).pattern}` });
        break;
      default:
        push({ kind: 'value', path, atKey: false, message: `Value ${error.message ?? 'is invalid'}` });
    }
  }
  return issues;
}

function describeType(expected: string | string[]): string {
  const names = (Array.isArray(expected) ? expected : expected.split(',')).map((type) =>
    type === 'object' ? 'a map' : type === 'array' ? 'a list' : type === 'integer' ? 'an integer' : `a ${type}`,
  );
  return names.join(' or ');
}

function describeCombinator(error: ErrorObject, rootSchema: JsonSchema, path: (string | number)[]): string {
  const schema = subschemaAt(rootSchema, path);
  const branches = ((error.keyword === 'oneOf' ? schema?.oneOf : schema?.anyOf) ?? []).map((branch) => resolveRef(branch, rootSchema) ?? branch);
  const requiredOnly = branches.length > 0 && branches.every((branch) => Array.isArray(branch.required) && Object.keys(branch).length === 1);
  if (requiredOnly) {
    const names = branches.map((branch) => branch.required!.join(' + '));
    return error.keyword === 'oneOf' ? `Exactly one of ${names.join(', ')} must be set` : `At least one of ${names.join(', ')} must be set`;
  }
  return error.keyword === 'oneOf' ? 'Value must match exactly one of the allowed shapes' : 'Value does not match any of the allowed shapes';
}
