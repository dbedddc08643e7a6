/**
 * The fix engine's parts without the CLI: the verifier refuses every way a
 * fix can damage a file, the engine never combines two fixes computed from
 * one text, and the unified diff of `--dry-run`.
 */

import { describe, expect, it } from 'vitest';
import type { Diagnostic, Fix } from '../../../core/src/diagnostics';
import { planFixes, type FixHost } from '../../../core/src/features/fixEngine';
import { applyPlainEdits, matchLineEndings, verifyFixedText, type PlainEdit } from '../../../core/src/features/fixVerify';
import { unifiedDiff } from '../../../core/src/text/unifiedDiff';

function verify(before: string, edits: PlainEdit[]) {
  const adapted = matchLineEndings(before, edits);
  const result = applyPlainEdits(before, adapted)!;
  return { after: result.text, ...verifyFixedText(before, result.text, adapted, result.inserted) };
}

const at = (text: string, needle: string) => text.indexOf(needle);

describe('verifyFixedText', () => {
  const values = 'proxy:\n  prometheus:\n    enabled: true\nhubble:\n  enabled: true\n';

  it('accepts a clean move and says nothing', () => {
    const start = at(values, '  prometheus:');
    const result = verify(values, [{ start: 0, end: at(values, 'hubble:'), newText: '' }, { start: values.length, end: values.length, newText: 'envoy:\n  prometheus:\n    enabled: true\n' }]);
    expect(start).toBeGreaterThan(0);
    expect(result).toMatchObject({ ok: true });
  });

  it('refuses a duplicate key', () => {
    const result = verify(values, [{ start: values.length, end: values.length, newText: 'proxy:\n  prometheus:\n    port: 1\n' }]);
    expect(result).toEqual(expect.objectContaining({ ok: false, reason: 'the result would have a new YAML problem (yaml/duplicate-key)' }));
  });

  it('refuses a parent left null', () => {
    const line = '    enabled: true\n';
    const result = verify(values, [{ start: at(values, line), end: at(values, line) + line.length, newText: '' }]);
    expect(result.ok).toBe(false);
    expect(result.reason).toBe('the fix would change `proxy.prometheus`, which it does not mean to touch');
  });

  it('refuses a change to a key on lines the fix did not edit (a stale offset cutting a line)', () => {
    // An edit computed from another text: it cuts `hubble:` mid-word.
    const result = verify(values, [{ start: at(values, 'hubble:') + 1, end: at(values, 'hubble:') + 3, newText: '' }]);
    expect(result.ok).toBe(false);
  });

  it('refuses a syntax error and a changed document count', () => {
    expect(verify(values, [{ start: 0, end: 0, newText: 'a: [\n' }]).ok).toBe(false);
    expect(verify(values, [{ start: 0, end: 0, newText: 'a: 1\n---\n' }]).reason).toBe('the result would have a different number of YAML documents');
  });

  it('checks the keys inside an embedded values block', () => {
    const configMap = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: v\ndata:\n  values.yaml: |\n    a: 1\n    b:\n      c: 2\n';
    // Removing `c` leaves `b:` null: refused although it is all one block scalar.
    const line = '      c: 2\n';
    const result = verify(configMap, [{ start: at(configMap, line), end: at(configMap, line) + line.length, newText: '' }]);
    expect(result.ok).toBe(false);
    expect(result.reason).toContain('`data.values.yaml.|.b`');
    // Editing `a` alone is fine.
    expect(verify(configMap, [{ start: at(configMap, '1\n'), end: at(configMap, '1\n') + 1, newText: '3' }]).ok).toBe(true);
  });

  it('line breaks of edits follow a CRLF file', () => {
    const crlf = 'a: 1\r\nb: 2\r\n';
    const result = verify(crlf, [{ start: crlf.length, end: crlf.length, newText: 'c:\n  d: 3\n' }]);
    expect(result.after).toBe('a: 1\r\nb: 2\r\nc:\r\n  d: 3\r\n');
    expect(result.ok).toBe(true);
  });
});

function diagnostic(file: string, rule: string, fix: Fix | undefined, severity: Diagnostic['severity'] = 'warning'): Diagnostic {
  return { file, start: 0, end: 0, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, severity, rule, message: rule, docsUrl: '', fixes: fix ? [fix] : undefined };
}

/** A host whose findings are computed from the current texts by `analyse`. */
function host(texts: Record<string, string>, analyse: (file: string, text: string) => Diagnostic[]): FixHost & { texts: Map<string, string>; analyses: number } {
  const state = { texts: new Map(Object.entries(texts)), analyses: 0 };
  return Object.assign(state, {
    diagnostics: (file: string) => {
      state.analyses++;
      return analyse(file, state.texts.get(file)!);
    },
    text: (file: string) => state.texts.get(file),
    update: (file: string, text: string) => void state.texts.set(file, text),
  });
}

const edit = (file: string, start: number, end: number, newText: string) => ({ file, start, end, newText, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } });

describe('planFixes', () => {
  it('applies one fix per file per round, each computed from the text it is applied to', () => {
    // Every `x: 1` line is a finding whose fix rewrites it to `x: 2`.
    const fixHost = host({ f: 'a: 1\nb: 1\nc: 1\n' }, (file, text) =>
      [...text.matchAll(/^(\w): 1$/gm)].map((match) => diagnostic(file, `r/${match[1]}`, { title: `fix ${match[1]}`, safe: true, edits: [edit(file, match.index! + 3, match.index! + 4, '2')] })),
    );
    const plan = planFixes(fixHost, ['f']);
    expect(plan.fixed.get('f')).toBe('a: 2\nb: 2\nc: 2\n');
    expect(plan.applied).toHaveLength(3);
    expect(plan.rounds).toBe(3);
    expect(plan.converged).toBe(true);
    expect(plan.refused).toEqual([]);
  });

  it('refuses a fix whose finding comes back, and reports running out of rounds', () => {
    const looping = host({ f: 'a: 1\n' }, (file) => [diagnostic(file, 'r/loop', { title: 'loop', safe: true, edits: [edit(file, 0, 0, '# x\n')] })]);
    const plan = planFixes(looping, ['f']);
    expect(plan.applied).toHaveLength(1);
    expect(plan.refused.map((entry) => entry.reason)).toEqual(['the finding is still there after its fix was applied (the fix does not converge)']);
    expect(plan.converged).toBe(true);

    let counter = 0;
    const endless = host({ f: 'a: 1\n' }, (file) => [diagnostic(file, `r/${counter++}`, { title: 'more', safe: true, edits: [edit(file, 0, 0, '# x\n')] })]);
    const bounded = planFixes(endless, ['f'], { maxRounds: 4 });
    expect(bounded.rounds).toBe(4);
    expect(bounded.converged).toBe(false);
  });

  it('undoes a fix that brings a new error-level finding and keeps the others', () => {
    // Fixing `bad` introduces an error finding in file g; fixing `good` does not.
    const fixHost = host({ f: 'bad: 1\n', g: 'good: 1\n' }, (file, text) => {
      const out: Diagnostic[] = [];
      if (file === 'f' && text === 'bad: 1\n') out.push(diagnostic('f', 'r/bad', { title: 'fix bad', safe: true, edits: [edit('f', 5, 6, '2')] }));
      if (file === 'g' && text === 'good: 1\n') out.push(diagnostic('g', 'r/good', { title: 'fix good', safe: true, edits: [edit('g', 6, 7, '2')] }));
      if (file === 'f' && text === 'bad: 2\n') out.push(diagnostic('f', 'r/broken', undefined, 'error'));
      return out;
    });
    const plan = planFixes(fixHost, ['f', 'g']);
    expect(plan.fixed).toEqual(new Map([['g', 'good: 2\n']]));
    expect(plan.refused.map((entry) => [entry.diagnostic.rule, entry.reason])).toEqual([['r/bad', 'the result would have a new error (r/broken: r/broken)']]);
    expect(fixHost.texts.get('f')).toBe('bad: 1\n');
  });

  it('leaves unsafe fixes alone', () => {
    const fixHost = host({ f: 'a: 1\n' }, (file) => [diagnostic(file, 'r/unsafe', { title: 'maybe', safe: false, edits: [edit(file, 3, 4, '2')] })]);
    const plan = planFixes(fixHost, ['f']);
    expect(plan.fixed.size).toBe(0);
    expect(plan.applied).toEqual([]);
  });
});

describe('unifiedDiff', () => {
  it('prints hunks with context, and nothing for equal texts', () => {
    const before = Array.from({ length: 12 }, (_, index) => `line${index + 1}`).join('\n') + '\n';
    const after = before.replace('line2\n', 'line2\nnew\n').replace('line11\n', 'changed\n');
    expect(unifiedDiff(before, before, 'a', 'b')).toBe('');
    expect(unifiedDiff(before, after, 'a/x', 'b/x')).toBe(
      '--- a/x\n+++ b/x\n@@ -1,5 +1,6 @@\n line1\n line2\n+new\n line3\n line4\n line5\n@@ -8,5 +9,5 @@\n line8\n line9\n line10\n-line11\n+changed\n line12\n',
    );
  });

  it('marks a missing final line break', () => {
    expect(unifiedDiff('a\nb', 'a\nc', 'x', 'y')).toBe('--- x\n+++ y\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n');
  });
});
