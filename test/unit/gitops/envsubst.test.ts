/** Flux post-build substitution: the placeholder forms, escapes and unknown values. */

import { describe, expect, it } from 'vitest';
import { hasPlaceholder, substitute } from '../../../core/src/gitops/envsubst';

const vars = new Map<string, string | undefined>([
  ['CLUSTER', 'main'],
  ['EMPTY', ''],
  ['SECRET', undefined],
]);

describe('substitute', () => {
  it('replaces ${VAR} and leaves text without placeholders alone', () => {
    expect(substitute('./apps/${CLUSTER}/net', vars)).toEqual({ text: './apps/main/net', unknown: false, changed: true });
    expect(substitute('plain $HOME text', vars)).toEqual({ text: 'plain $HOME text', unknown: false, changed: false });
  });

  it('applies := and :- defaults when unset or empty, = and - only when unset', () => {
    expect(substitute('${MISSING:=fallback}', vars).text).toBe('fallback');
    expect(substitute('${EMPTY:-fallback}', vars).text).toBe('fallback');
    expect(substitute('${EMPTY-fallback}', vars).text).toBe('');
    expect(substitute('${MISSING=x}', vars).text).toBe('x');
    expect(substitute('${CLUSTER:=other}', vars).text).toBe('main');
    expect(substitute('${MISSING:=${CLUSTER}-db}', vars).text).toBe('main-db');
  });

  it('turns $${…} into a literal placeholder for the next level', () => {
    const result = substitute('$${POSTGRES_USER:=$${APP}} on ${CLUSTER}', vars);
    expect(result.text).toBe('${POSTGRES_USER:=$${APP}} on main');
    expect(result.unknown).toBe(false);
    expect(hasPlaceholder('$${ESCAPED}')).toBe(false);
    expect(hasPlaceholder('x ${REAL}')).toBe(true);
  });

  it('keeps unknown variables (unset or SOPS-encrypted) as placeholders and says so', () => {
    expect(substitute('${NOPE}', vars)).toEqual({ text: '${NOPE}', unknown: true, changed: true });
    expect(substitute('${SECRET:=x}', vars)).toEqual({ text: '${SECRET:=x}', unknown: true, changed: true });
  });

  it('never throws on unbalanced or odd input', () => {
    expect(substitute('${', vars).text).toBe('${');
    expect(substitute('${1BAD}', vars).text).toBe('${1BAD}');
    expect(substitute('$$${', vars).unknown).toBe(false);
  });
});
