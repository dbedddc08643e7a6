/**
 * Flux post-build variable substitution on one string, the way
 * kustomize-controller's envsubst does it:
 * - `${VAR}` is replaced by the variable's value;
 * - `${VAR:=default}` and `${VAR:-default}` give `default` when the variable
 *   is unset or empty; `${VAR=default}` and `${VAR-default}` only when unset;
 *   the default may itself hold `${…}` references;
 * - `$${…}` is an escape: it yields `${…}` literally (the next substitution
 *   level, e.g. a child Kustomization's, sees the placeholder);
 * - `$VAR` without braces is left alone (Flux documents only the braced form).
 *
 * Invariant: a variable whose value is not known offline (not defined by any
 * substitution source in the build, or held in a SOPS-encrypted Secret) stays
 * unknown: the result says `unknown` and keeps the placeholder text, so callers
 * never turn a guess into a finding. Never throws; input is bounded by its
 * length (each character is visited a bounded number of times per nesting).
 */

/** A variable's value, or `undefined` when it is known to exist but its value is not known (SOPS). */
export type SubstitutionVariables = ReadonlyMap<string, string | undefined>;

export interface SubstitutionResult {
  text: string;
  /** True when some placeholder could not be resolved offline. */
  unknown: boolean;
  /** True when the text held any placeholder or escape. */
  changed: boolean;
}

const NAME = /^[_a-zA-Z][_a-zA-Z0-9]*$/;
const MAX_DEPTH = 8;

/** Substitutes `${…}` in `text` with `variables` (see the module comment for the forms). */
export function substitute(text: string, variables: SubstitutionVariables): SubstitutionResult {
  if (!text.includes('$')) return { text, unknown: false, changed: false };
  const state = { unknown: false, changed: false };
  const out = expand(text, variables, state, 0);
  return { text: out, unknown: state.unknown, changed: state.changed };
}

/** True when `text` holds a `${…}` placeholder that substitution would act on (escapes excluded). */
export function hasPlaceholder(text: string | undefined): boolean {
  if (text === undefined || !text.includes('${')) return false;
  for (let index = text.indexOf('${'); index >= 0; index = text.indexOf('${', index + 2)) {
    if (index === 0 || text[index - 1] !== '$') return true;
  }
  return false;
}

function expand(text: string, variables: SubstitutionVariables, state: { unknown: boolean; changed: boolean }, depth: number): string {
  let out = '';
  let index = 0;
  while (index < text.length) {
    const dollar = text.indexOf('$', index);
    if (dollar < 0) {
      out += text.slice(index);
      break;
    }
    out += text.slice(index, dollar);
    if (text.startsWith('$${', dollar)) {
      // Escape: `$${x}` → `${x}` (the braces' content is kept verbatim).
      const close = matchingBrace(text, dollar + 2);
      const end = close < 0 ? text.length : close + 1;
      out += text.slice(dollar + 1, end);
      state.changed = true;
      index = end;
      continue;
    }
    if (text[dollar + 1] !== '{') {
      out += '$';
      index = dollar + 1;
      continue;
    }
    const close = matchingBrace(text, dollar + 1);
    if (close < 0) {
      out += text.slice(dollar);
      break;
    }
    const body = text.slice(dollar + 2, close);
    const placeholder = text.slice(dollar, close + 1);
    out += evaluate(body, placeholder, variables, state, depth);
    index = close + 1;
  }
  return out;
}

function evaluate(body: string, placeholder: string, variables: SubstitutionVariables, state: { unknown: boolean; changed: boolean }, depth: number): string {
  const operator = /^([_a-zA-Z][_a-zA-Z0-9]*)(:=|:-|=|-)([\s\S]*)$/.exec(body);
  const name = operator ? operator[1] : body;
  if (!NAME.test(name)) return placeholder;
  state.changed = true;
  const has = variables.has(name);
  const value = variables.get(name);
  if (has && value === undefined) {
    state.unknown = true;
    return placeholder;
  }
  if (operator) {
    const [, , op, fallback] = operator;
    const useDefault = op.startsWith(':') ? !has || value === '' : !has;
    if (!useDefault) return value as string;
    return depth >= MAX_DEPTH ? fallback : expand(fallback, variables, state, depth + 1);
  }
  if (!has) {
    state.unknown = true;
    return placeholder;
  }
  return value as string;
}

/** Index of the `}` closing the `{` at `open`, counting nested braces; -1 when unclosed. */
function matchingBrace(text: string, open: number): number {
  let depth = 0;
  for (let index = open; index < text.length; index++) {
    const char = text[index];
    if (char === '{') depth++;
    else if (char === '}' && --depth === 0) return index;
  }
  return -1;
}
