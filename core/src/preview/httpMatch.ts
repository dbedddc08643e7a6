/**
 * Matching requests against policy values, with the engines the data planes
 * use:
 * - Cilium HTTP `method`/`path`/`host` are RE2 regexes that Envoy matches
 *   against the whole value (implicitly anchored). They run on re2js (linear
 *   time, never a JS RegExp on user text); a pattern that does not compile
 *   matches nothing.
 * - Istio string values are exact, `prefix*`, `*suffix` or `*` (non-empty);
 *   paths may be templates (`{*}` one segment, `{**}` any number of segments,
 *   Istio 1.22+).
 *
 * Compiled patterns are cached (bounded by count and bytes); nothing here throws.
 */

import { RE2JS } from 're2js';
import { containsPathTemplate, patternMatches } from '../policy/authzAttributes';
import type { HttpRuleView } from './model';
import { BoundedCache } from '../util/boundedCache';

/**
 * Compiled patterns by pattern text, bounded by count and by estimated bytes
 * (a compiled program grows with its pattern; policies can hold long ones).
 */
const COMPILED_PROGRAM_BYTES_PER_CHAR = 64;
const compiled = new BoundedCache<string, RE2JS | null>({ capacity: 2000, maxBytes: 16 * 1024 * 1024, weigh: (pattern) => pattern.length * (2 + COMPILED_PROGRAM_BYTES_PER_CHAR) });

function compile(pattern: string): RE2JS | null {
  return compiled.get(pattern, () => {
    try {
      return RE2JS.compile(pattern);
    } catch {
      return null;
    }
  });
}

/** Whole-value RE2 match; false when the pattern does not compile. */
export function re2FullMatch(pattern: string, value: string): boolean {
  const regex = compile(pattern);
  return regex !== null && regex.matcher(value).matches();
}

export interface HttpRequest {
  method?: string;
  path?: string;
  host?: string;
  /** Header name (any case) → value. */
  headers?: Record<string, string>;
}

function headerValue(request: HttpRequest, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(request.headers ?? {})) if (key.toLowerCase() === wanted) return value;
  return undefined;
}

/**
 * Does one Cilium HTTP rule allow the request? Every set field must match;
 * `headers` entries need the header (and the value when one is given);
 * `headerMatches` without `mismatch` need the exact value (a secret value is
 * unknown here, so such a match fails); with a mismatch action they never deny.
 */
export function ciliumHttpRuleMatches(rule: HttpRuleView, request: HttpRequest): boolean {
  if (rule.method !== undefined && rule.method !== '' && !re2FullMatch(rule.method, request.method ?? '')) return false;
  if (rule.path !== undefined && rule.path !== '' && !re2FullMatch(rule.path, request.path ?? '')) return false;
  if (rule.host !== undefined && rule.host !== '' && !re2FullMatch(rule.host, request.host ?? '')) return false;
  for (const header of rule.headers) {
    const { name, value } = splitHeader(header);
    const actual = headerValue(request, name);
    if (actual === undefined) return false;
    if (value !== undefined && actual !== value) return false;
  }
  for (const match of rule.headerMatches) {
    if (match.mismatch) continue;
    const actual = headerValue(request, match.name);
    if (actual === undefined || match.secret || match.value === undefined || actual !== match.value) return false;
  }
  return true;
}

/** `X-Foo`, `X-Foo: bar` or `X-Foo bar`: the first space splits, a trailing `:` on the name is dropped. */
export function splitHeader(entry: string): { name: string; value?: string } {
  const trimmed = entry.trim();
  const space = trimmed.indexOf(' ');
  if (space === -1) return { name: trimmed.replace(/:$/, '') };
  return { name: trimmed.slice(0, space).replace(/:$/, ''), value: trimmed.slice(space + 1).trim() };
}

/** Istio value match: exact, prefix, suffix, presence, or (for paths) a path template. */
export function istioValueMatches(pattern: string, value: string, kind: 'path' | 'host' | 'plain' = 'plain'): boolean {
  if (kind === 'host') return patternMatches(pattern.toLowerCase(), value.toLowerCase());
  if (kind === 'path' && containsPathTemplate(pattern)) return re2FullMatch(pathTemplateRegex(pattern), value);
  return patternMatches(pattern, value);
}

/**
 * A path template as an RE2 regex: `{*}` is one non-empty segment, `{**}`
 * any remainder (zero or more segments); a `{**}` followed only by a slash
 * matches whatever follows. Literal text is quoted.
 */
export function pathTemplateRegex(template: string): string {
  let regex = '';
  let rest = template;
  while (rest.length > 0) {
    if (rest === '{**}/' || rest === '{**}') return `${regex}.*`;
    if (rest.startsWith('{**}')) {
      regex += '.*';
      rest = rest.slice(4);
    } else if (rest.startsWith('{*}')) {
      regex += '[^/]+';
      rest = rest.slice(3);
    } else {
      const next = rest.search(/\{\*/);
      const literal = next === -1 ? rest : rest.slice(0, next);
      regex += RE2JS.quote(literal);
      rest = next === -1 ? '' : rest.slice(next);
      if (next === 0) {
        // `{*` not followed by a template operator: keep the character literally.
        regex += RE2JS.quote(rest[0]);
        rest = rest.slice(1);
      }
    }
  }
  return regex;
}
