/**
 * Shared plumbing of the `cnp/*` rules: the parsed policy view (cached per
 * parsed document), the Cilium version in force, and small text-edit helpers
 * that keep quoting, comments and indentation intact.
 *
 * Rules that call `ciliumMinor` depend on the workspace (the Cilium
 * HelmRelease), so they must be declared `crossFile: true`.
 */

import { deref, type YamlNode, type YamlPair } from '../../parse/ast';
import type { ParsedDocument } from '../../parse/yamlFile';
import { clusterCiliumContext, minorAtLeast, type ClusterCiliumContext } from '../../policy/ciliumContext';
import { parseCnp, type CnpPolicy } from '../../policy/cnpModel';
import type { LocalRuleContext, RuleContext, RuleEdit } from '../types';

export const CNP_KINDS = ['CiliumNetworkPolicy', 'CiliumClusterwideNetworkPolicy'] as const;

/** The consequence every Sanitize failure has; rules append it to their messages. */
export const AGENT_REJECTS = 'every agent rejects the whole policy';

const parsedPolicies = new WeakMap<ParsedDocument, { kind: string | undefined; policy: CnpPolicy | null }>();

export function policyOf(context: LocalRuleContext): CnpPolicy | undefined {
  if (context.root !== context.document.root) return parseCnp(context.root, context.resource?.kind);
  return policyOfDocument(context.document, context.resource?.kind);
}

/** The policy view of a parsed document of `kind`, shared with `policyOf` (one parse per document). */
export function policyOfDocument(document: ParsedDocument, kind: string | undefined): CnpPolicy | undefined {
  const cached = parsedPolicies.get(document);
  if (cached !== undefined && cached.kind === kind) return cached.policy ?? undefined;
  const policy = parseCnp(document.root, kind);
  parsedPolicies.set(document, { kind, policy: policy ?? null });
  return policy;
}

export function ciliumContextOf(context: RuleContext): ClusterCiliumContext {
  // The Cilium of the cluster that deploys this policy judges it.
  return clusterCiliumContext(context.workspace, context.options, context.file);
}

export function ciliumMinor(context: RuleContext): string {
  return ciliumContextOf(context).minor;
}

export function atLeast(context: RuleContext, minor: string): boolean {
  return minorAtLeast(ciliumMinor(context), minor);
}

/** "Cilium 1.16 (from the HelmRelease)" — says where the version came from, for messages. */
export function versionPhrase(context: RuleContext): string {
  const cilium = ciliumContextOf(context);
  const where = cilium.source === 'helmrelease' ? 'from the Cilium HelmRelease' : cilium.source === 'setting' ? 'from meshlens.ciliumVersion' : 'newest known';
  return `Cilium ${cilium.minor} (${where})`;
}

/** A pair's whole extent (key to end of value), for reporting on a field. */
export function pairRange(pair: YamlPair): { start: number; end: number } {
  return { start: pair.key.start, end: Math.max(pair.key.end, pair.value.end) };
}

/** Column of an offset in the document text. */
export function columnOf(text: string, offset: number): number {
  return offset - (text.lastIndexOf('\n', offset - 1) + 1);
}

/** Offset of the end of the line holding `offset` (before `\r\n`/`\n`). */
export function lineEnd(text: string, offset: number): number {
  const newline = text.indexOf('\n', offset);
  const end = newline === -1 ? text.length : newline;
  return end > 0 && text[end - 1] === '\r' ? end - 1 : end;
}

/**
 * Replaces a scalar's text, keeping its quotes: inside quotes only the
 * content changes. Undefined for non-scalars and block scalars.
 */
export function replaceScalarEdit(node: YamlNode, newText: string): RuleEdit | undefined {
  const target = deref(node);
  if (!target || target.type !== 'scalar' || target !== node) return undefined;
  if (target.style === 'single' || target.style === 'double') return { range: { start: target.start + 1, end: target.end - 1 }, newText };
  if (target.style === 'plain') return { range: { start: target.start, end: target.end }, newText };
  return undefined;
}

/**
 * Adds `key: value` to a map right after `after` (one of its pairs): in a
 * block map on a new line at the same indentation (after any comment that
 * ends the line), in a flow map as `, key: value`.
 */
export function insertPairAfter(text: string, mapIsFlow: boolean, after: YamlPair, key: string, value: string): RuleEdit {
  if (mapIsFlow) return { range: { start: after.value.end, end: after.value.end }, newText: `, ${key}: ${value}` };
  const end = lineEnd(text, Math.max(after.value.end, after.key.end));
  const indent = ' '.repeat(columnOf(text, after.key.start));
  return { range: { start: end, end }, newText: `\n${indent}${key}: ${value}` };
}

/** Text for quoting a value in a message. */
export function quoted(value: string): string {
  return JSON.stringify(value);
}
