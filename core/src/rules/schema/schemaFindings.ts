/**
 * Shared plumbing of the `schema/*` rules: validates the document once (the
 * registry caches per parsed document) and finds the YAML node each issue is
 * about. Each schema rule reports one kind of issue.
 */

import { mapGetPair, nodeAtPath, pairAtPath, type YamlNode } from '../../parse/ast';
import { nodeUnknownUntilRender } from '../../parse/unknownValue';
import { bundledSchemas } from '../../schema/bundledSchemas';
import type { IssueKind, SchemaIssue } from '../../schema/schemaRegistry';
import type { LocalRuleContext } from '../types';

export interface LocatedIssue {
  issue: SchemaIssue;
  node: YamlNode;
}

/**
 * Schema issues are found whatever `schemaValidation` says: the analyzer needs
 * them to tell which semantic findings only restate one, and leaves both out
 * where the schema is deferred to another tool (`defersSchema`).
 */
export function locatedSchemaIssues(context: LocalRuleContext, kind: IssueKind): LocatedIssue[] {
  if (!context.resource) return [];
  if (isSopsEncrypted(context.root)) return [];
  const registry = bundledSchemas();
  if (!registry.has(context.resource)) return [];
  const issues = registry.validateDocument(context.resource, context.document).filter((issue) => issue.kind === kind);
  const located: LocatedIssue[] = [];
  for (const issue of issues) {
    const node = issueNode(context.root, issue);
    if (!node) continue;
    // An alias to a missing anchor is reported once, by yaml/unknown-alias.
    const written = pairAtPath(context.root, issue.path)?.value;
    if (written?.type === 'alias' && !written.target) continue;
    if (isTemplateAction(context.document.text, node) || (written && isTemplateAction(context.document.text, written))) continue;
    // `status` is written by controllers; the API server ignores it in applied manifests.
    if (issue.kind === 'unknown-field' && issue.path.length === 1 && issue.path[0] === 'status') continue;
    if (!issue.atKey && containsSubstitution(node)) continue;
    // `key:` with no value (or `null`) where a map or list belongs: the API server drops
    // nulls of non-nullable fields before validating, so the field is simply unset.
    if (issue.kind === 'type' && written?.type === 'scalar' && written.value === null && /Expected a (map|list)/.test(issue.message)) continue;
    located.push({ issue, node });
  }
  return located;
}

function issueNode(root: YamlNode | undefined, issue: SchemaIssue): YamlNode | undefined {
  if (issue.kind === 'unknown-field') return pairAtPath(root, issue.path)?.key;
  if (issue.kind === 'required') {
    // Point at the key that holds the incomplete map (or `kind:` for the document root).
    if (issue.path.length === 0) return mapGetPair(root, 'kind')?.key ?? root;
    const pair = pairAtPath(root, issue.path);
    if (pair) return pair.key;
    return nodeAtPath(root, issue.path);
  }
  // Maps and lists are reported at their key, which reads better than the whole block.
  const node = nodeAtPath(root, issue.path);
  if (!node || node.type === 'map' || node.type === 'seq') return pairAtPath(root, issue.path)?.key ?? node;
  return node;
}

/**
 * Flux post-build substitution (`${CLUSTER_DOMAIN}`, `${PORT:=8080}`) fills
 * values in before the API server sees them, so a placeholder where a number
 * or enum is expected is not an error.
 */
export function containsSubstitution(node: YamlNode): boolean {
  // Go template actions inside strings (`"echo.{{ .NS }}.svc"`) are filled in the same way by the tool that renders them.
  return nodeUnknownUntilRender(node);
}

/**
 * SOPS-encrypted manifests carry a top-level `sops:` block and `ENC[…]`
 * strings where values were: Flux decrypts them before applying, so the
 * encrypted form is not checked against the schema.
 */
export function isSopsEncrypted(root: YamlNode | undefined): boolean {
  const sops = mapGetPair(root, 'sops');
  return sops !== undefined && sops.value.type === 'map';
}

/**
 * An unquoted Go template action (`{{ .Values.x }}`) parses as a flow map of
 * a flow map. Such values belong to a template that is rendered before the API
 * server sees it, so the schema does not apply to them.
 */
function isTemplateAction(text: string, node: YamlNode): boolean {
  return node.type === 'map' && node.flow && text.startsWith('{{', node.start);
}
