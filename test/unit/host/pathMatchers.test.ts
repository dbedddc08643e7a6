/** Globs and path regexes from settings and flags run in linear time (RE2), whatever the pattern. */

import { describe, expect, it } from 'vitest';
import { compileGlob, compilePathRegExp } from '../../../host/src/pathMatchers';
import { excludePatterns } from '../../../server/src/settings';

describe('meshlens.files.exclude globs', () => {
  it('match like before: ** across folders, * within one, suffix after a slash', () => {
    const charts = compileGlob('**/charts/**')!;
    expect(charts.test('/repo/charts/a/b.yaml')).toBe(true);
    expect(charts.test('charts/x.yaml')).toBe(true);
    expect(charts.test('/repo/chartsx/a.yaml')).toBe(false);
    expect(compileGlob('*.yaml')!.test('/repo/d/x.yaml')).toBe(true);
    expect(compileGlob('d/*.yaml')!.test('/repo/d/e/x.yaml')).toBe(false);
    expect(compileGlob('a/**/**')!.test('/r/a/b')).toBe(true);
    expect(compileGlob('x?.yml')!.test('/r/x1.yml')).toBe(true);
    expect(compileGlob('(a|b)[c].yaml')!.test('/r/(a|b)[c].yaml')).toBe(true);
  });

  it('do not backtrack on nested ** (a 42-character path took 11.8 s with the old regex)', () => {
    // Hostile, from a repository's .vscode/settings.json.
    const [hostile] = excludePatterns({ files: { exclude: ['**/**/**/**/**/**/**/**/zzz'] } });
    const path = `${'a/'.repeat(20_000)}zz`;
    expect(hostile.test(path)).toBe(false);
    expect(hostile.test(`${path}/zzz`)).toBe(true);
  });

  it('ignores values that are not strings', () => {
    expect(excludePatterns({ files: { exclude: [1, null, '', '**/x'] as unknown as string[] } })).toHaveLength(1);
    expect(excludePatterns({ files: { exclude: 'x' as unknown as string[] } })).toEqual([]);
  });
});

describe('--exclude regular expressions', () => {
  it('use RE2: linear on patterns that backtrack in JavaScript, and reject what RE2 rejects', () => {
    const nested = compilePathRegExp('(a*)*b');
    expect(nested.test('a'.repeat(50_000))).toBe(false);
    expect(compilePathRegExp('^charts/').test('charts/x.yaml')).toBe(true);
    expect(() => compilePathRegExp('(a')).toThrow(SyntaxError);
    expect(() => compilePathRegExp('(a)\\1')).toThrow(SyntaxError);
  });
});
