/**
 * The one condition language over Helm values, and Helm's notions of truth. It drives the
 * chart's cross-value rules (schemas/cilium-values/changes.json), the generated `fail` rules of
 * every chart patch (schemas/cilium-values/chart-facts.json), the kernel model's enable rules
 * (schemas/kernel-features.json) and the kernel hover.
 *
 * A condition is a combinator — `{all: [...]}`, `{any: [...]}`, `{not: {...}}` — a reference to
 * another kernel feature `{feature: id}` (answered by the caller), an `{opaque: true, paths}` part
 * of a chart template we cannot model (always "unknown"), or a test on one value
 * `{path, <operator>...}` (`path` dotted or a list of keys; all operators given must hold):
 *   truthy: boolean    Go-template truth, what the chart's `if` uses: false, 0, "", null, an empty
 *                      list or map and an absent key are false; the string "false" is TRUE.
 *                      With asString the value is first rendered as text (`toString`): only an
 *                      absent/null value or "" is then false.
 *   empty: boolean     the value is (not) absent, null, "", [] or {}
 *   set: boolean       the user's own values give the key a non-null value (defaults ignored)
 *   present / isSet    the key exists after merging with the chart defaults (`hasKey`); a user
 *                      null removes it, as Helm does
 *   equals / notEquals, in / notIn
 *                      compare the value; booleans also equal their text "true"/"false" (the chart
 *                      quotes such values into the agent's config, which parses them back), other
 *                      strings are trimmed; asString compares String(value). notEquals/notIn hold
 *                      for an absent key.
 *   matches: "re"      the value (text) matches the regular expression
 *   lengthAbove: n     the value is a string longer than n characters
 *   trigger: false     a prerequisite only: never reported as the key that made the condition hold
 *
 * Values are looked up in the user's values first, then in the chart defaults the caller supplies
 * (none: a key the user does not set is absent). A value holding a Flux `${VAR}` placeholder is
 * unknown until reconciliation. Evaluation is three-valued (true/false/unknown, Kleene logic);
 * `evaluateCondition` reads unknown as false. Invariant: never throws; a malformed condition is false.
 */

import { RE2JS } from 're2js';

export type ValuesCondition = { all: ValuesCondition[] } | { any: ValuesCondition[] } | { not: ValuesCondition } | { feature: string } | OpaqueCondition | ValueTest;

export interface ValueTest {
  path: string | string[];
  truthy?: boolean;
  empty?: boolean;
  set?: boolean;
  present?: boolean;
  isSet?: boolean;
  equals?: unknown;
  notEquals?: unknown;
  in?: unknown[];
  notIn?: unknown[];
  matches?: string;
  lengthAbove?: number;
  asString?: boolean;
  trigger?: boolean;
}

export interface OpaqueCondition {
  opaque: true;
  paths?: string[];
}

export interface ValuesLookup {
  /** The user's values (for example a HelmRelease's composed `spec.values`). */
  user: unknown;
  /** Chart default for a key path, or undefined when the chart sets none. */
  defaultFor?: (path: string[]) => unknown;
  /** Answers `{feature: id}` references (the kernel model); absent: such references are false. */
  feature?: (featureId: string) => boolean;
}

export type Truth = true | false | 'unknown';

export interface ConditionOutcome {
  truth: Truth;
  /** User-written keys (as segments) that made the condition hold (not under `not`, not `trigger: false`). */
  paths: string[][];
  /** Features referenced through `{feature}` that were enabled and made it hold. */
  via: string[];
}

const ABSENT = Symbol('absent');

/** What a `defaultFor` returns for a key whose chart default exists but is not known here. */
export const UNKNOWN_DEFAULT: unique symbol = Symbol('unknown default');

export function conditionPath(path: string | string[]): string[] {
  return Array.isArray(path) ? path.filter((segment) => typeof segment === 'string') : typeof path === 'string' ? path.split('.').filter((segment) => segment.length > 0) : [];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The user's own value at `path`: ABSENT when not written, null kept as null. */
function userValueAt(user: unknown, path: string[]): unknown {
  let current: unknown = user;
  for (const key of path) {
    if (!isPlainObject(current) || !Object.prototype.hasOwnProperty.call(current, key)) return ABSENT;
    current = current[key];
  }
  return current;
}

/** True when the user's values contain `path` (with any value, null included). */
export function userHasPath(user: unknown, path: string[]): boolean {
  return userValueAt(user, path) !== ABSENT;
}

/** The user's own non-null value at `path`, and whether there is one (a YAML `~` counts as unset). */
export function readValuesPath(values: unknown, path: string[]): { present: boolean; value: unknown } {
  const value = userValueAt(values, path);
  return value === ABSENT || value === null || value === undefined ? { present: false, value: undefined } : { present: true, value };
}

/** The value Helm would render for `path`: the user's value, else the chart default (undefined: absent). */
export function effectiveValue(lookup: ValuesLookup, path: string[]): unknown {
  // A user null on the key or on any ancestor removes it (Helm's coalescing).
  let current: unknown = lookup.user;
  for (let i = 0; i < path.length; i++) {
    if (!isPlainObject(current) || !Object.prototype.hasOwnProperty.call(current, path[i])) {
      return lookup.defaultFor ? lookup.defaultFor(path) : undefined;
    }
    current = current[path[i]];
    if (current === null) return undefined;
    if (i < path.length - 1 && !isPlainObject(current)) return undefined;
  }
  return current;
}

/** Go-template truthiness, which is what the chart's `if`, `and`, `or` and `not` use. */
export function isTruthy(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (isPlainObject(value)) return Object.keys(value).length > 0;
  return true;
}

export function isEmptyValue(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  if (isPlainObject(value)) return Object.keys(value).length === 0;
  return false;
}

/** True for a value that still holds a Flux `${VAR}` substitution (unknown until reconciliation). */
export function holdsPlaceholder(value: unknown): boolean {
  if (typeof value === 'string') return /\$\{[^}]*\}/.test(value);
  if (Array.isArray(value)) return value.some(holdsPlaceholder);
  if (isPlainObject(value)) return Object.values(value).some(holdsPlaceholder);
  return false;
}

function normalise(value: unknown): unknown {
  if (typeof value === 'string') {
    const trimmed = value.trim();
    if (trimmed.toLowerCase() === 'true') return true;
    if (trimmed.toLowerCase() === 'false') return false;
    return trimmed;
  }
  return value;
}

function sameValue(actual: unknown, expected: unknown, asString: boolean): boolean {
  if (actual === undefined || actual === null) return expected === null && !asString ? actual === null : false;
  if (asString) {
    if (typeof actual === 'object') return false;
    return String(actual) === String(expected);
  }
  return normalise(actual) === normalise(expected);
}

function testValue(test: ValueTest, lookup: ValuesLookup): Truth {
  const path = conditionPath(test.path);
  if (path.length === 0) return false;
  const value = effectiveValue(lookup, path);
  if (value === UNKNOWN_DEFAULT || holdsPlaceholder(value)) return 'unknown';
  const asString = test.asString === true;
  const present = value !== undefined && value !== null;
  if (test.truthy !== undefined) {
    const truth = asString ? present && String(value) !== '' : isTruthy(value);
    if (truth !== test.truthy) return false;
  }
  if (test.empty !== undefined && isEmptyValue(value) !== test.empty) return false;
  if (test.set !== undefined) {
    const own = userValueAt(lookup.user, path);
    if ((own !== ABSENT && own !== null) !== test.set) return false;
  }
  if (test.present !== undefined && present !== test.present) return false;
  if (test.isSet !== undefined && present !== test.isSet) return false;
  if ('equals' in test && !sameValue(value, test.equals, asString)) return false;
  if ('notEquals' in test && sameValue(value, test.notEquals, asString)) return false;
  if (test.in !== undefined && !(Array.isArray(test.in) && test.in.some((candidate) => sameValue(value, candidate, asString)))) return false;
  if (test.notIn !== undefined && Array.isArray(test.notIn) && test.notIn.some((candidate) => sameValue(value, candidate, asString))) return false;
  if (test.matches !== undefined) {
    const text = typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
    if (text === undefined) return false;
    const pattern = linearPattern(test.matches);
    if (!pattern || !pattern.matcher(text).find()) return false;
  }
  if (test.lengthAbove !== undefined && !(typeof value === 'string' && value.length > test.lengthAbove)) return false;
  return true;
}

const FALSE: ConditionOutcome = { truth: false, paths: [], via: [] };

/** Three-valued evaluation with the keys and features that made the condition hold. */
export function evaluate(condition: ValuesCondition, lookup: ValuesLookup): ConditionOutcome {
  if (!isPlainObject(condition)) return FALSE;
  if ('all' in condition) {
    if (!Array.isArray(condition.all)) return FALSE;
    const outcome: ConditionOutcome = { truth: true, paths: [], via: [] };
    for (const part of condition.all) {
      const inner = evaluate(part, lookup);
      if (inner.truth === false) return FALSE;
      if (inner.truth === 'unknown') outcome.truth = 'unknown';
      merge(outcome, inner);
    }
    return outcome;
  }
  if ('any' in condition) {
    if (!Array.isArray(condition.any)) return FALSE;
    const outcome: ConditionOutcome = { truth: false, paths: [], via: [] };
    for (const part of condition.any) {
      const inner = evaluate(part, lookup);
      if (inner.truth === true) {
        outcome.truth = true;
        merge(outcome, inner);
      } else if (inner.truth === 'unknown' && outcome.truth === false) outcome.truth = 'unknown';
    }
    return outcome;
  }
  if ('not' in condition) {
    const inner = evaluate(condition.not, lookup).truth;
    return { truth: inner === 'unknown' ? 'unknown' : !inner, paths: [], via: [] };
  }
  if ('feature' in condition) {
    const enabled = typeof condition.feature === 'string' && lookup.feature ? lookup.feature(condition.feature) : false;
    return { truth: enabled, paths: [], via: enabled ? [condition.feature] : [] };
  }
  if ('opaque' in condition) return { truth: 'unknown', paths: [], via: [] };
  const test = condition as Partial<ValueTest>;
  if (typeof test.path !== 'string' && !Array.isArray(test.path)) return FALSE;
  const truth = testValue(test as ValueTest, lookup);
  const path = conditionPath(test.path);
  const reported = truth === true && test.trigger !== false && readValuesPath(lookup.user, path).present;
  return { truth, paths: reported ? [path] : [], via: [] };
}

/** Two-valued: true only when the condition certainly holds. */
export function evaluateCondition(condition: ValuesCondition, lookup: ValuesLookup): boolean {
  return evaluate(condition, lookup).truth === true;
}

/** Every key path a condition reads (opaque parts included). */
export function conditionPaths(condition: ValuesCondition): string[][] {
  if (!isPlainObject(condition)) return [];
  if ('all' in condition) return Array.isArray(condition.all) ? condition.all.flatMap(conditionPaths) : [];
  if ('any' in condition) return Array.isArray(condition.any) ? condition.any.flatMap(conditionPaths) : [];
  if ('not' in condition) return conditionPaths(condition.not);
  if ('feature' in condition) return [];
  if ('opaque' in condition) {
    const paths = (condition as OpaqueCondition).paths;
    return Array.isArray(paths) ? paths.map((path) => conditionPath(path)) : [];
  }
  const test = condition as Partial<ValueTest>;
  return typeof test.path === 'string' || Array.isArray(test.path) ? [conditionPath(test.path)] : [];
}

function merge(into: ConditionOutcome, part: ConditionOutcome): void {
  for (const path of part.paths) if (!into.paths.some((existing) => existing.join('.') === path.join('.'))) into.paths.push(path);
  for (const feature of part.via) if (!into.via.includes(feature)) into.via.push(feature);
}

/**
 * A condition's pattern, compiled once, on re2js: Helm's `regexMatch` is Go's
 * regexp (RE2 syntax and linear time), and the text is a user's value. Null
 * when the pattern does not compile (the condition then fails).
 */
const compiledPatterns = new Map<string, RE2JS | null>();
function linearPattern(source: string): RE2JS | null {
  let pattern = compiledPatterns.get(source);
  if (pattern === undefined) {
    try {
      pattern = RE2JS.compile(source);
    } catch {
      pattern = null;
    }
    compiledPatterns.set(source, pattern);
  }
  return pattern;
}
