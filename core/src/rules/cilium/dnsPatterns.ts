/**
 * Cilium's DNS name patterns (`matchName`, `matchPattern` in `toFQDNs` and
 * DNS rules): case-insensitive whole-name matching with a trailing dot
 * ignored; `*` alone matches every name; `*` inside a label matches zero or
 * more of `[-a-zA-Z0-9_]` and never crosses a dot; a leading `**.` matches one
 * or more whole labels from Cilium 1.19 (before, it acted like `*.`).
 *
 * Patterns come from a checked character set and are matched by a small
 * glob matcher (dynamic programming, linear in the pattern and the name: no
 * regex engine, nothing to compile); never throws (an unusable pattern
 * matches nothing). Matchers are memoized per pattern (bounded); they hold no
 * state.
 */

import { BoundedCache } from '../../analysis/boundedCache';

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
      if (!leadingLabels) return globMatches(rest, normalized, 0);
      // `**.`: one or more whole labels (1.19+), or before that a single label that may be empty.
      for (let start = 0; start < normalized.length; start++) {
        const dot = normalized.indexOf('.', start);
        if (dot === -1) return false;
        if (!labelCharsOnly(normalized, start, dot) || (multiLabelWildcard && dot === start)) return false;
        if (globMatches(rest, normalized, dot + 1)) return true;
        if (!multiLabelWildcard) return false;
        start = dot;
      }
      return false;
    },
  };
}

/** Is every character of text[from, to) one of `[-a-z0-9_]`? */
function labelCharsOnly(text: string, from: number, to: number): boolean {
  for (let index = from; index < to; index++) if (!isLabelChar(text.charCodeAt(index))) return false;
  return true;
}

function isLabelChar(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 48 && code <= 57) || code === 45 || code === 95;
}

/**
 * Does `glob` match all of text[from…]? `*` stands for zero or more of
 * `[-a-z0-9_]` (never a dot); every other character matches itself. Dynamic
 * programming over (glob position, text position): linear in each, so no
 * pattern can make it slow.
 */
function globMatches(glob: string, text: string, from: number): boolean {
  const length = text.length - from;
  // matched[j]: glob[0, i) matches text[from, from + j).
  let matched = new Array<boolean>(length + 1).fill(false);
  matched[0] = true;
  for (let i = 0; i < glob.length; i++) {
    const next = new Array<boolean>(length + 1).fill(false);
    const char = glob.charCodeAt(i);
    if (char === 42 /* * */) {
      for (let j = 0; j <= length; j++) next[j] = matched[j] || (j > 0 && next[j - 1] && isLabelChar(text.charCodeAt(from + j - 1)));
    } else {
      for (let j = 1; j <= length; j++) next[j] = matched[j - 1] && text.charCodeAt(from + j - 1) === char;
    }
    matched = next;
  }
  return matched[length];
}

/** A concrete name that a `matchPattern` stands for, to test DNS rules against (`*` → `x`). */
export function sampleNameOfPattern(matchPattern: string): string {
  return normalizeDnsName(matchPattern).replace(/^\*\*\./, 'x.').replace(/\*/g, 'x');
}
