/**
 * Hover: explains the field under the cursor from the resource schema (type,
 * allowed values, default, versions) and our own short description. The
 * providers of specific areas (`features/providers.ts`) are asked first.
 * Where another tool hovers the kind from the same CRD schema
 * (`defersSchema`), only what the schema does not say is shown (the Cilium
 * versions a field exists in).
 */

import { defersSchema, type AnalysisOptions } from '../options';
import { bundledSchemas } from '../schema/bundledSchemas';
import type { JsonSchema } from '../schema/schemaRegistry';
import type { WorkspaceView, WorkspaceFile } from '../workspace/workspace';
import { cursorContext, type CursorContext } from './documentAt';
import descriptions from '../../../schemas/resources/descriptions.json';
import { HOVER_PROVIDERS } from './providers';

export interface HoverResult {
  /** Markdown. */
  contents: string;
  /** File offsets of the hovered text. */
  start: number;
  end: number;
}

export interface HoverRequest {
  workspace: WorkspaceView;
  file: WorkspaceFile;
  cursor: CursorContext;
  options: AnalysisOptions;
}

export type HoverProvider = (request: HoverRequest) => HoverResult | undefined;


export function hover(workspace: WorkspaceView, path: string, offset: number, options: AnalysisOptions): HoverResult | undefined {
  const file = workspace.getFile(path);
  if (!file) return undefined;
  const cursor = cursorContext(file, offset);
  if (!cursor) return undefined;
  for (const provider of HOVER_PROVIDERS) {
    const result = provider({ workspace, file, cursor, options });
    if (result) return result;
  }
  return schemaHover({ workspace, file, cursor, options });
}

function schemaHover({ file, cursor, options }: HoverRequest): HoverResult | undefined {
  if (!cursor.onKey) return undefined;
  const identity = file.identities[cursor.documentIndex];
  if (!identity) return undefined;
  const registry = bundledSchemas();
  const schema = registry.schemaAt(identity, cursor.path);
  if (!schema) return undefined;
  const dotted = cursor.path.filter((segment) => typeof segment === 'string').join('.');
  const key = cursor.onKey.key;
  if (defersSchema(options, identity)) {
    const versions = schemaFacts({ 'x-meshlens-versions': schema['x-meshlens-versions'] } as JsonSchema);
    return versions.length > 0 ? { contents: [`**${dotted}**`, '', ...versions].join('\n'), start: cursor.document.start + key.start, end: cursor.document.start + key.end } : undefined;
  }
  const kindDescriptions = (descriptions as unknown as Record<string, Record<string, string>>)[identity.kind] ?? {};
  const lines = [`**${dotted}** — ${identity.kind} (\`${identity.apiVersion}\`)`];
  const description = kindDescriptions[dotted];
  if (description) lines.push('', description);
  lines.push('', ...schemaFacts(schema));
  return { contents: lines.join('\n'), start: cursor.document.start + key.start, end: cursor.document.start + key.end };
}

export function schemaFacts(schema: JsonSchema): string[] {
  const facts: string[] = [];
  const type = Array.isArray(schema.type) ? schema.type.join(' | ') : schema.type;
  if (type) facts.push(`Type: \`${type}\``);
  if (schema.enum) facts.push(`Allowed: ${schema.enum.map((value) => `\`${String(value)}\``).join(', ')}`);
  if (schema.default !== undefined) facts.push(`Default: \`${JSON.stringify(schema.default)}\``);
  if (schema.required?.length) facts.push(`Requires: ${schema.required.map((name) => `\`${name}\``).join(', ')}`);
  const versions = schema['x-meshlens-versions'];
  if (versions) facts.push(`Available: ${versions.since ? `since ${versions.since}` : ''}${versions.since && versions.until ? ', ' : ''}${versions.until ? `until ${versions.until}` : ''}`);
  return facts.map((fact) => `- ${fact}`);
}
