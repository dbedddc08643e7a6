/**
 * Cilium's DNS name patterns (`matchName`, `matchPattern` in `toFQDNs` and
 * DNS rules): case-insensitive whole-name matching with a trailing dot
 * ignored; `*` alone matches every name; `*` inside a label matches zero or
 * more of `[-a-zA-Z0-9_]` and never crosses a dot; a leading `**.` matches one
 * or more whole labels from Cilium 1.19 (before, it acted like `*.`).
 *
 * Patterns are translated into RE2 syntax from a checked character set and
 * matched with re2js; never throws (an unusable pattern matches nothing).
 */

import { RE2JS } from 're2js';

export interface DnsMatcher {
  /** Does the matcher accept this DNS name? */
  matches(name: string): boolean;
}

const PATTERN_CHARS = /^[-a-zA-Z0-9_.*]+$/;
const LABEL_CHAR = '[-a-z0-9_]';

export function normalizeDnsName(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, '');
}

export function dnsNameMatcher(matchName: string): DnsMatcher {
  const expected = normalizeDnsName(matchName);
  return { matches: (name) => normalizeDnsName(name) === expected };
}

export function dnsPatternMatcher(matchPattern: string, multiLabelWildcard: boolean): DnsMatcher {
  const pattern = normalizeDnsName(matchPattern);
  if (pattern === '*' || /^\*+$/.test(pattern)) return { matches: () => true };
  if (!PATTERN_CHARS.test(pattern)) return { matches: () => false };
  let rest = pattern;
  let regex = '';
  if (rest.startsWith('**.')) {
    regex = multiLabelWildcard ? `(?:${LABEL_CHAR}+\\.)+` : `${LABEL_CHAR}*\\.`;
    rest = rest.slice(3);
  }
  for (const char of rest) regex += char === '*' ? `${LABEL_CHAR}*` : char === '.' ? '\\.' : char;
  try {
    const compiled = RE2JS.compile(regex);
    return { matches: (name) => compiled.matches(normalizeDnsName(name)) };
  } catch {
    return { matches: () => false };
  }
}

/** A concrete name that a `matchPattern` stands for, to test DNS rules against (`*` → `x`). */
export function sampleNameOfPattern(matchPattern: string): string {
  return normalizeDnsName(matchPattern).replace(/^\*\*\./, 'x.').replace(/\*/g, 'x');
}
