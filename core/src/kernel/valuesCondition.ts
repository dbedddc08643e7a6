/**
 * Evaluates the matrix's declarative conditions over an effective Helm
 * values object and reports which explicitly set keys made them hold.
 *
 * Invariants: never throws on any `values` (non-objects behave as empty).
 * An unset key equals nothing, so `notEquals`/`notIn` hold for it; the
 * strings "true"/"false" compare equal to the booleans, as Helm templates
 * treat them alike. Only keys that are present in `values` are reported as
 * triggers, and never from inside a `not` or a leaf marked `trigger: false`.
 */

import type { ValuesCondition, ValuesLeafCondition } from './matrixTypes';

export interface ConditionOutcome {
  holds: boolean;
  /** Keys (as segments) that were set and made the condition hold. */
  paths: string[][];
  /** Features referenced through `{ feature }` that were enabled. */
  via: string[];
}

/** Answers whether another feature is enabled for the same values. */
export type FeatureLookup = (featureId: string) => boolean;

export function evaluateCondition(condition: ValuesCondition, values: unknown, isFeatureEnabled: FeatureLookup): ConditionOutcome {
  if ('all' in condition) return evaluateAll(condition.all, values, isFeatureEnabled);
  if ('any' in condition) return evaluateAny(condition.any, values, isFeatureEnabled);
  if ('not' in condition) {
    const inner = evaluateCondition(condition.not, values, isFeatureEnabled);
    return { holds: !inner.holds, paths: [], via: [] };
  }
  if ('feature' in condition) {
    const enabled = isFeatureEnabled(condition.feature);
    return { holds: enabled, paths: [], via: enabled ? [condition.feature] : [] };
  }
  return evaluateLeaf(condition, values);
}

export function evaluateAll(conditions: ValuesCondition[], values: unknown, isFeatureEnabled: FeatureLookup): ConditionOutcome {
  const outcome: ConditionOutcome = { holds: true, paths: [], via: [] };
  for (const condition of conditions) {
    const part = evaluateCondition(condition, values, isFeatureEnabled);
    if (!part.holds) return { holds: false, paths: [], via: [] };
    merge(outcome, part);
  }
  return outcome;
}

export function evaluateAny(conditions: ValuesCondition[], values: unknown, isFeatureEnabled: FeatureLookup): ConditionOutcome {
  const outcome: ConditionOutcome = { holds: false, paths: [], via: [] };
  for (const condition of conditions) {
    const part = evaluateCondition(condition, values, isFeatureEnabled);
    if (!part.holds) continue;
    outcome.holds = true;
    merge(outcome, part);
  }
  return outcome;
}

/** Reads a dotted path; `undefined` when any segment is missing. */
export function readValuesPath(values: unknown, segments: string[]): { present: boolean; value: unknown } {
  let current: unknown = values;
  for (const segment of segments) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return { present: false, value: undefined };
    if (!Object.prototype.hasOwnProperty.call(current, segment)) return { present: false, value: undefined };
    current = (current as Record<string, unknown>)[segment];
  }
  // A YAML `key: ~` is Helm's "use the default", the same as leaving it out.
  return current === null || current === undefined ? { present: false, value: undefined } : { present: true, value: current };
}

export function splitValuesPath(path: string): string[] {
  return path.split('.').filter((segment) => segment.length > 0);
}

function evaluateLeaf(leaf: ValuesLeafCondition, values: unknown): ConditionOutcome {
  const segments = splitValuesPath(leaf.path);
  const { present, value } = readValuesPath(values, segments);
  let holds = true;
  if ('equals' in leaf) holds &&= present && looselyEqual(value, leaf.equals);
  if ('notEquals' in leaf) holds &&= !present || !looselyEqual(value, leaf.notEquals);
  if (leaf.in) holds &&= present && leaf.in.some((candidate) => looselyEqual(value, candidate));
  if (leaf.notIn) holds &&= !present || !leaf.notIn.some((candidate) => looselyEqual(value, candidate));
  if (leaf.truthy !== undefined) holds &&= isTrue(value) === leaf.truthy;
  if (leaf.isSet !== undefined) holds &&= present === leaf.isSet;
  const reported = holds && present && leaf.trigger !== false;
  return { holds, paths: reported ? [segments] : [], via: [] };
}

function looselyEqual(actual: unknown, expected: unknown): boolean {
  return normalise(actual) === normalise(expected);
}

function normalise(value: unknown): unknown {
  if (typeof value === 'string') {
    const lowered = value.trim().toLowerCase();
    if (lowered === 'true') return true;
    if (lowered === 'false') return false;
    return value.trim();
  }
  return value;
}

function isTrue(value: unknown): boolean {
  return normalise(value) === true;
}

function merge(into: ConditionOutcome, part: ConditionOutcome): void {
  for (const path of part.paths) {
    if (!into.paths.some((existing) => existing.join('.') === path.join('.'))) into.paths.push(path);
  }
  for (const feature of part.via) if (!into.via.includes(feature)) into.via.push(feature);
}
