/**
 * Cilium's DNS name patterns (`matchName`, `matchPattern` in `toFQDNs` and
 * DNS rules): case-insensitive whole-name matching with a trailing dot
 * ignored; `*` alone matches every name; `*` inside a label matches zero or
 * more of `[-a-zA-Z0-9_]` and never crosses a dot; a leading `**.` matches one
 * or more whole labels from Cilium 1.19 (before, it acted like `*.`).
 *
 * Patterns come from a checked character set and are matched by a small
 * glob matcher: one dynamic-programming pass over (pattern, name), a leading
 * `**.` included (its possible ends are found in one pass over the name and
 * seeded together), so the cost is pattern length × name length for every
 * input, never more (no backtracking, no retry per label); never throws (an unusable pattern
 * matches nothing). Matchers are memoized per pattern (bounded); they hold no
 * state.
 */

import { BoundedCache } from '../util/boundedCache';

export interface DnsMatcher {
  /** Does the matcher accept this DNS name? */
  matches(name: string): boolean;
}

const PATTERN_CHARS = /^[-a-zA-Z0-9_.*]+$/;

export function normalizeDnsName(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, '');
}

export function dnsNameMatcher(matchName: string): DnsMatcher {
  const expected = normalizeDnsName(matchName);
  return { matches: (name) => normalizeDnsName(name) === expected };
}

/** Matchers by pattern and wildcard mode: the same patterns recur across policies and checks. */
const patternMatchers = new BoundedCache<string, DnsMatcher>(2048);

export function dnsPatternMatcher(matchPattern: string, multiLabelWildcard: boolean): DnsMatcher {
  return patternMatchers.get(`${multiLabelWildcard ? 'm' : 's'}${matchPattern}`, () => buildPatternMatcher(matchPattern, multiLabelWildcard));
}

function buildPatternMatcher(matchPattern: string, multiLabelWildcard: boolean): DnsMatcher {
  const pattern = normalizeDnsName(matchPattern);
  if (pattern === '*' || /^\*+$/.test(pattern)) return { matches: () => true };
  if (!PATTERN_CHARS.test(pattern)) return { matches: () => false };
  const leadingLabels = pattern.startsWith('**.');
  const rest = leadingLabels ? pattern.slice(3) : pattern;
  return {
    matches(name) {
      const normalized = normalizeDnsName(name);
      return globMatches(rest, normalized, leadingLabels ? labelPrefixEnds(normalized, multiLabelWildcard) : [0]);
    },
  };
}

/**
 * Where a leading `**.` can stop in `name`: after one or more whole non-empty
 * labels and their dots (1.19+), or before 1.19 after the first label (which
 * may be empty) and its dot. One pass over the name: the matcher then runs
 * the rest of the pattern once from all these starts together, so the cost
 * stays pattern × name (Cilium builds one anchored regex for the same reason).
 */
function labelPrefixEnds(name: string, multiLabelWildcard: boolean): number[] {
  const ends: number[] = [];
  let labelStart = 0;
  for (let index = 0; index < name.length; index++) {
    const code = name.charCodeAt(index);
    if (code === 46 /* . */) {
      if (multiLabelWildcard && index === labelStart) break;
      ends.push(index + 1);
      if (!multiLabelWildcard) break;
      labelStart = index + 1;
    } else if (!isLabelChar(code)) break;
  }
  return ends;
}

function isLabelChar(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 48 && code <= 57) || code === 45 || code === 95;
}

/**
 * Does `glob` match text[from…] for one of the `starts`? `*` stands for zero
 * or more of `[-a-z0-9_]` (never a dot); every other character matches
 * itself. Dynamic programming over (glob position, text position), all starts
 * at once: glob length × text length steps whatever the pattern.
 */
function globMatches(glob: string, text: string, starts: readonly number[]): boolean {
  if (starts.length === 0) return false;
  const length = text.length;
  // matched[j]: glob[0, i) matches text[s, j) for some start s.
  let matched = new Uint8Array(length + 1);
  for (const start of starts) matched[start] = 1;
  let next = new Uint8Array(length + 1);
  for (let i = 0; i < glob.length; i++) {
    const char = glob.charCodeAt(i);
    let any = 0;
    if (char === 42 /* * */) {
      for (let j = 0; j <= length; j++) {
        next[j] = matched[j] || (j > 0 && next[j - 1] && isLabelChar(text.charCodeAt(j - 1))) ? 1 : 0;
        any |= next[j];
      }
    } else {
      next[0] = 0;
      for (let j = 1; j <= length; j++) {
        next[j] = matched[j - 1] && text.charCodeAt(j - 1) === char ? 1 : 0;
        any |= next[j];
      }
    }
    if (!any) return false;
    [matched, next] = [next, matched];
  }
  return matched[length] === 1;
}

/** A concrete name that a `matchPattern` stands for, to test DNS rules against (`*` → `x`). */
export function sampleNameOfPattern(matchPattern: string): string {
  return normalizeDnsName(matchPattern).replace(/^\*\*\./, 'x.').replace(/\*/g, 'x');
}
