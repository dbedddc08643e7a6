/**
 * What the `helm/*` rules share: reporting the value facts of one kind that
 * sit in the document being checked (a HelmRelease, a ConfigMap holding
 * values, a plain values file), each described by the rule that owns it, and
 * the wording those descriptions use.
 */

import { helmFactsAt, type HelmFactKind, type HelmValueFact } from '../../helm/valueFindings';
import type { FactReport, RuleContext } from '../types';

export function reportHelmFacts<K extends HelmFactKind>(context: RuleContext, kind: K, describe: (fact: Extract<HelmValueFact, { kind: K }>) => FactReport): void {
  for (const fact of helmFactsAt(context.workspace, context.file, context.documentIndex, kind)) {
    const { message, severity, fixes } = describe(fact);
    context.report({ start: fact.at.start, end: fact.at.end }, message, {
      severity,
      fixes: fixes && fixes.length > 0 ? fixes : undefined,
      related: fact.related,
    });
  }
}

export function dotted(path: readonly string[]): string {
  return path.join('.');
}

export function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** A value as a message names it: short strings quoted, lists and maps by shape, scalars in code. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value)}`;
  if (Array.isArray(value)) return 'a list';
  if (value && typeof value === 'object') return 'a map';
  return `\`${String(value)}\``;
}

/** The note on a finding that values meshlens could not read may change (empty when all were read). */
export function unknownSourcesNote(sources: readonly string[]): string {
  return sources.length > 0 ? ` (values from ${sources.join(', ')} are not known and may change this)` : '';
}
