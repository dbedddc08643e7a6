/**
 * Completion: keys allowed at the cursor (from the resource schema) and
 * values from enums. The providers of specific areas (`features/providers.ts`)
 * come first; schema items are added after them.
 *
 * The key path at the cursor comes from indentation, not the parse tree, so
 * completion works while the document is incomplete or briefly invalid.
 *
 * Where another tool completes the kind from the same CRD schema
 * (`defersSchema`: the Red Hat YAML extension), schema items are left to it,
 * and so is any provider item with a label the schema offers at the cursor
 * (an enum value such as an entity name), so no item appears twice.
 */

import { defersSchema, type AnalysisOptions } from '../options';
import { bundledSchemas } from '../schema/bundledSchemas';
import { propertyNames, type JsonSchema } from '../schema/schemaRegistry';
import type { WorkspaceView, WorkspaceFile } from '../workspace/workspace';
import { documentAt } from './documentAt';
import { yamlPathAtLine, type LinePathContext } from './yamlPathAtLine';
import descriptions from '../../../schemas/resources/descriptions.json';
import { COMPLETION_PROVIDERS } from './providers';

export interface CompletionItem {
  label: string;
  kind: 'property' | 'value' | 'enum' | 'reference' | 'snippet';
  detail?: string;
  documentation?: string;
  /** Text inserted; may contain `$1`-style snippet placeholders when `snippet` is true. */
  insertText: string;
  snippet?: boolean;
  /** File offsets of the text the item replaces. */
  replaceStart: number;
  replaceEnd: number;
  sortText?: string;
  /** The key or value still works but is on its way out: shown struck through and offered last. */
  deprecated?: boolean;
}

export interface CompletionRequest {
  workspace: WorkspaceView;
  file: WorkspaceFile;
  offset: number;
  line: LinePathContext;
  options: AnalysisOptions;
  apiVersion?: string;
  kind?: string;
}

export type CompletionProvider = (request: CompletionRequest) => CompletionItem[];


export const MAX_COMPLETION_ITEMS = 200;

export function complete(workspace: WorkspaceView, path: string, offset: number, options: AnalysisOptions): CompletionItem[] {
  const file = workspace.getFile(path);
  if (!file) return [];
  const line = yamlPathAtLine(file.text, file.yaml.lineIndex, offset);
  const found = documentAt(file, offset);
  const identity = found ? file.identities[found.index] ?? identifyFromText(found.document.parsed.text) : undefined;
  const request: CompletionRequest = { workspace, file, offset, line, options, apiVersion: identity?.apiVersion, kind: identity?.kind };
  const items: CompletionItem[] = [];
  for (const provider of COMPLETION_PROVIDERS) items.push(...provider(request));
  if (identity && defersSchema(options, { group: groupOf(identity.apiVersion), kind: identity.kind })) {
    const schemaLabels = schemaOfferedLabels(request);
    return lastIfDeprecated(items.filter((item) => !schemaLabels.has(item.label))).slice(0, MAX_COMPLETION_ITEMS);
  }
  // Schema keys and enums complete everywhere; an area's items come first and win on equal labels.
  const offered = new Set(items.map((item) => item.label));
  for (const item of schemaCompletions(request)) if (!offered.has(item.label)) items.push(item);
  return lastIfDeprecated(items).slice(0, MAX_COMPLETION_ITEMS);
}

/** Deprecated items go after the others (stable otherwise), with a sort text that keeps them there. */
function lastIfDeprecated(items: CompletionItem[]): CompletionItem[] {
  if (!items.some((item) => item.deprecated)) return items;
  const current = items.filter((item) => !item.deprecated);
  const deprecated = items.filter((item) => item.deprecated).map((item) => ({ ...item, sortText: `~${item.sortText ?? item.label}` }));
  return [...current, ...deprecated];
}

function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? '' : apiVersion.slice(0, slash);
}

/** Labels a schema-driven completer offers at the cursor: keys, a value's enum, a list item's enum. */
function schemaOfferedLabels(request: CompletionRequest): Set<string> {
  const labels = new Set(schemaCompletions(request).map((item) => item.label));
  if (request.line.position === 'key' && request.apiVersion && request.kind) {
    const schema = bundledSchemas().schemaAt({ apiVersion: request.apiVersion, kind: request.kind }, request.line.parentPath);
    for (const value of schema?.enum ?? []) labels.add(String(value));
  }
  return labels;
}

function identifyFromText(text: string): { apiVersion: string; kind: string } | undefined {
  const apiVersion = /^apiVersion:\s*["']?([^\s"'#]+)/m.exec(text)?.[1];
  const kind = /^kind:\s*["']?([^\s"'#]+)/m.exec(text)?.[1];
  return apiVersion && kind ? { apiVersion, kind } : undefined;
}

function schemaCompletions(request: CompletionRequest): CompletionItem[] {
  if (!request.apiVersion || !request.kind) return [];
  const registry = bundledSchemas();
  const identity = { apiVersion: request.apiVersion, kind: request.kind };
  if (!registry.has(identity)) return [];
  const { line } = request;
  const schema = registry.schemaAt(identity, line.parentPath);
  if (!schema) return [];
  if (line.position === 'value' && line.key !== undefined) {
    const valueSchema = registry.schemaAt(identity, [...line.parentPath, line.key]);
    return enumCompletions(valueSchema, request);
  }
  if (line.position !== 'key') return [];
  const kindDescriptions = (descriptions as unknown as Record<string, Record<string, string>>)[request.kind] ?? {};
  const prefix = line.parentPath.filter((segment) => typeof segment === 'string').join('.');
  return propertyNames(schema)
    .filter((name) => !line.siblingKeys.includes(name))
    .sort()
    .map((name) => {
      const child = registry.schemaAt(identity, [...line.parentPath, name]);
      const dotted = prefix ? `${prefix}.${name}` : name;
      const documentation = kindDescriptions[dotted];
      return {
        label: name,
        kind: 'property' as const,
        detail: typeLabel(child),
        documentation,
        insertText: keyInsertText(name, schemaShape(child), line.indent),
        deprecated: documentation !== undefined && /^deprecated\b/i.test(documentation.trim()),
        snippet: true,
        replaceStart: line.wordStart,
        replaceEnd: line.wordEnd,
      };
    });
}

export function enumCompletions(schema: JsonSchema | undefined, request: CompletionRequest): CompletionItem[] {
  if (!schema) return [];
  const values = schema.enum ?? (schema.type === 'boolean' ? [true, false] : []);
  return values.map((value) => ({
    label: String(value),
    kind: 'enum' as const,
    insertText: String(value),
    replaceStart: request.line.wordStart,
    replaceEnd: request.line.wordEnd,
  }));
}

function typeLabel(schema: JsonSchema | undefined): string | undefined {
  if (!schema) return undefined;
  return Array.isArray(schema.type) ? schema.type.join(' | ') : schema.type;
}

export type KeyShape = 'object' | 'array' | 'scalar';

export function schemaShape(schema: JsonSchema | undefined): KeyShape {
  const type = Array.isArray(schema?.type) ? schema?.type[0] : schema?.type;
  return type === 'object' || type === 'array' ? type : 'scalar';
}

/**
 * `name: ` for scalars, `name:\n<indent+2>` for maps, `name:\n<indent+2>- ` for lists.
 * The indentation is absolute (the key's column + 2): the server sends these items with
 * `insertTextMode: asIs`, so the editor must not add the line's indentation again.
 */
export function keyInsertText(name: string, shape: KeyShape, indent: number): string {
  const childIndent = ' '.repeat(indent + 2);
  if (shape === 'object') return `${name}:\n${childIndent}$0`;
  if (shape === 'array') return `${name}:\n${childIndent}- $0`;
  return `${name}: $0`;
}

