/**
 * A tiny declarative condition language over Helm values, used by the cross-value rules in
 * schemas/cilium-values/changes.json, and the Helm/Go-template notions of truth it relies on.
 *
 * A condition is either a combinator — `{all: [...]}`, `{any: [...]}`, `{not: {...}}` — or a
 * test on one value: `{path, <operator>...}` where `path` is a dotted string or a list of keys,
 * and the operators (all must hold when several are given) are:
 *   truthy: boolean    the value is (not) true in the Go-template sense (false, 0, "", null,
 *                      empty list/map and an absent key are false; the string "false" is true)
 *   empty: boolean     the value is (not) absent, null, "", [] or {}
 *   set: boolean       the user's own values do (not) give the key a non-null value
 *   equals: v          the value equals v (with asString: String(value) === String(v))
 *   in / notIn: [...]  the value is (not) one of the list (asString compares as strings)
 *   matches: "re"      the value is a string matching the regular expression
 *   lengthAbove: n     the value is a string longer than n characters
 *
 * Values are looked up in the user's values first; a key the user does not set falls back to
 * the chart default supplied by the caller. A user `null` removes the key, as Helm does.
 * Invariant: evaluation never throws; a malformed condition evaluates to false.
 */

export type ValuesCondition =
  | { all: ValuesCondition[] }
  | { any: ValuesCondition[] }
  | { not: ValuesCondition }
  | ValueTest;

export interface ValueTest {
  path: string | string[];
  truthy?: boolean;
  empty?: boolean;
  set?: boolean;
  equals?: unknown;
  in?: unknown[];
  notIn?: unknown[];
  matches?: string;
  lengthAbove?: number;
  asString?: boolean;
}

export interface ValuesLookup {
  /** The user's values (for example a HelmRelease's merged `spec.values`). */
  user: unknown;
  /** Chart default for a key path, or undefined when the chart sets none. */
  defaultFor: (path: string[]) => unknown;
}

const ABSENT = Symbol('absent');

export function conditionPath(path: string | string[]): string[] {
  return Array.isArray(path) ? path : path.split('.');
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

/** The value Helm would render for `path`: the user's value, else the chart default. */
export function effectiveValue(lookup: ValuesLookup, path: string[]): unknown {
  // A user null on the key or on any ancestor removes it (Helm's coalescing).
  let current: unknown = lookup.user;
  for (let i = 0; i < path.length; i++) {
    if (!isPlainObject(current) || !Object.prototype.hasOwnProperty.call(current, path[i])) {
      return lookup.defaultFor(path);
    }
    current = current[path[i]];
    if (current === null) return undefined;
    if (i < path.length - 1 && !isPlainObject(current)) return undefined;
  }
  return current;
}

/** Go-template truthiness, which is what the chart's `if` uses. */
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

function sameValue(actual: unknown, expected: unknown, asString: boolean): boolean {
  if (asString) {
    if (actual === undefined || actual === null || typeof actual === 'object') return false;
    return String(actual) === String(expected);
  }
  return actual === expected;
}

function testValue(test: ValueTest, lookup: ValuesLookup): boolean {
  const path = conditionPath(test.path);
  const value = effectiveValue(lookup, path);
  const asString = test.asString === true;
  if (test.truthy !== undefined && isTruthy(value) !== test.truthy) return false;
  if (test.empty !== undefined && isEmptyValue(value) !== test.empty) return false;
  if (test.set !== undefined) {
    const own = userValueAt(lookup.user, path);
    const isSet = own !== ABSENT && own !== null;
    if (isSet !== test.set) return false;
  }
  if ('equals' in test && !sameValue(value, test.equals, asString)) return false;
  if (test.in !== undefined && !test.in.some((candidate) => sameValue(value, candidate, asString))) return false;
  if (test.notIn !== undefined && test.notIn.some((candidate) => sameValue(value, candidate, asString))) return false;
  if (test.matches !== undefined) {
    const text = typeof value === 'string' ? value : asString && (typeof value === 'number' || typeof value === 'boolean') ? String(value) : undefined;
    if (text === undefined) return false;
    let pattern: RegExp;
    try {
      pattern = new RegExp(test.matches);
    } catch {
      return false;
    }
    if (!pattern.test(text)) return false;
  }
  if (test.lengthAbove !== undefined && !(typeof value === 'string' && value.length > test.lengthAbove)) return false;
  return true;
}

export function evaluateCondition(condition: ValuesCondition, lookup: ValuesLookup): boolean {
  if (!isPlainObject(condition)) return false;
  if ('all' in condition) return Array.isArray(condition.all) && condition.all.every((c) => evaluateCondition(c, lookup));
  if ('any' in condition) return Array.isArray(condition.any) && condition.any.some((c) => evaluateCondition(c, lookup));
  if ('not' in condition) return !evaluateCondition(condition.not, lookup);
  const test = condition as Partial<ValueTest>;
  if (typeof test.path === 'string' || Array.isArray(test.path)) return testValue(test as ValueTest, lookup);
  return false;
}
