/**
 * Input that attacks or confuses the parser: every case must end in a clear
 * diagnostic at the right place (or a stated skip), within a time bound, and
 * never throw.
 */

import { describe, expect, it } from 'vitest';
import { Analyzer } from '../../../core/src/analysis/analyzer';
import { defaultAnalysisOptions } from '../../../core/src/options';
import { ALL_RULES } from '../../../core/src/rules/index';
import type { Rule } from '../../../core/src/rules/types';
import { MeshlensService } from '../../../core/src/service';
import { Workspace } from '../../../core/src/workspace/workspace';
import { containedError, containedErrors, onContainedError } from '../../../core/src/util/containedErrors';

const options = defaultAnalysisOptions();
const HEADER = 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata:\n  name: x\nspec:\n  endpointSelector: {}\n';

function check(text: string, maxMs = 2000) {
  const service = new MeshlensService();
  const started = performance.now();
  service.setFile('/repo/input.yaml', text);
  const diagnostics = service.diagnostics('/repo/input.yaml', options);
  const elapsed = performance.now() - started;
  expect(elapsed, 'analysis time (ms)').toBeLessThan(maxMs);
  for (const diagnostic of diagnostics) {
    expect(diagnostic.start).toBeGreaterThanOrEqual(0);
    expect(diagnostic.end).toBeLessThanOrEqual(text.length);
    expect(diagnostic.start).toBeLessThanOrEqual(diagnostic.end);
  }
  return diagnostics;
}

function rules(diagnostics: { rule: string }[]) {
  return diagnostics.map((diagnostic) => diagnostic.rule);
}

describe('hostile and odd YAML', () => {
  it('a policy with 200,000 rules is still checked: no rule family fails on its size', () => {
    // Appending that many items with push(...items) overflows V8's stack; the rules that did so used to go silent.
    const items = Array.from({ length: 200_000 }, (_, index) => (index === 5 ? '{fromEntities: [World]}' : '{}'));
    const text = `${HEADER}  ingress: [${items.join(', ')}]\n`;
    const failures: string[] = [];
    const service = new MeshlensService({ hooks: { onRuleError: (rule) => void failures.push(rule) } });
    service.setFile('/repo/input.yaml', text);
    const diagnostics = service.diagnostics('/repo/input.yaml', options);
    expect(failures).toEqual([]);
    expect(rules(diagnostics)).toContain('cnp/unknown-entity');
  });

  it('an alias bomb is reported, not expanded', () => {
    let text = `${HEADER}  ingress: [{}]\n  labels0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n`;
    for (let level = 1; level < 12; level++) text += `  labels${level}: &l${level} [${Array(10).fill(`*l${level - 1}`).join(', ')}]\n`;
    expect(rules(check(text))).toContain('yaml/alias-expansion');
  });

  it('very deep nesting is reported at its place and the next document is still checked', () => {
    const deep = `${HEADER}  ingress: ${'['.repeat(5000)}${']'.repeat(5000)}\n---\n${HEADER}  ingres: []\n`;
    const diagnostics = check(deep);
    expect(rules(diagnostics)).toContain('yaml/too-deep');
    expect(diagnostics.find((diagnostic) => diagnostic.rule === 'schema/unknown-field')?.message).toContain('"ingres"');
  });

  it('a file over the size limit gets one information diagnostic and no analysis', () => {
    const huge = HEADER + `  ingres: []\n#${'x'.repeat(3 * 1024 * 1024)}\n`;
    const diagnostics = check(huge);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ rule: 'yaml/file-skipped', severity: 'info' });
    expect(diagnostics[0].message).toMatch(/larger than 2048 KiB/);
  });

  it('a very long line (1 MiB) is analysed within the bound', () => {
    const text = `${HEADER}  ingress: [{}]\n  description: "${'a'.repeat(1024 * 1024)}"\n  ingres: []\n`;
    expect(rules(check(text))).toContain('schema/unknown-field');
  });

  it('binary content (NUL bytes) is skipped with a reason', () => {
    const diagnostics = check(`${HEADER}\u0000\u0001\u0002binary`);
    expect(diagnostics).toEqual([expect.objectContaining({ rule: 'yaml/file-skipped', message: expect.stringContaining('NUL') })]);
  });

  it('invalid UTF-8 (decoded with replacement characters) does not break analysis', () => {
    const decoded = Buffer.concat([Buffer.from(`${HEADER}  ingress: [{}]\n  description: "`), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"\n  ingres: []\n')]).toString('utf8');
    expect(decoded).toContain('\ufffd');
    expect(rules(check(decoded))).toEqual(['schema/unknown-field']);
  });

  it('a byte-order mark keeps positions exact', () => {
    const text = `\ufeff${HEADER}  ingress: [{}]\n  ingres: []\n`;
    const diagnostic = check(text).find((entry) => entry.rule === 'schema/unknown-field')!;
    expect(text.slice(diagnostic.start, diagnostic.end)).toBe('ingres');
    expect(diagnostic.range.start).toEqual({ line: 7, character: 2 });
  });

  it('CRLF line endings keep positions exact', () => {
    const text = `${HEADER}  ingress: [{}]\n  ingres: []\n`.replace(/\n/g, '\r\n');
    const diagnostic = check(text).find((entry) => entry.rule === 'schema/unknown-field')!;
    expect(text.slice(diagnostic.start, diagnostic.end)).toBe('ingres');
    expect(diagnostic.range.start).toEqual({ line: 7, character: 2 });
  });

  it('tab indentation is a syntax error at the tab', () => {
    const text = `${HEADER}  ingress:\n\t- {}\n`;
    const diagnostic = check(text).find((entry) => entry.rule === 'yaml/syntax')!;
    expect(diagnostic.range.start.line).toBe(7);
  });

  it('unterminated flow collections and quotes are syntax errors on their document', () => {
    for (const broken of [`${HEADER}  ingress: [{}\n`, `${HEADER}  description: "unterminated\n`, `${HEADER}  description: 'unterminated\n`, `${HEADER}  ingress: {a: [1, 2}\n`]) {
      const diagnostics = check(`${broken}---\n${HEADER}  ingres: []\n`);
      const syntax = diagnostics.find((entry) => entry.rule === 'yaml/syntax');
      expect(syntax, broken).toBeDefined();
      expect(syntax!.range.start.line, broken).toBeGreaterThanOrEqual(5);
      expect(syntax!.range.start.line, broken).toBeLessThanOrEqual(6);
      expect(rules(diagnostics), broken).toContain('schema/unknown-field');
    }
  });

  it('empty files, comment-only files and lone markers give nothing', () => {
    for (const text of ['', '\n', '# just a comment\n', '---\n', '---\n...\n', '   \n\t\n']) expect(check(text), JSON.stringify(text)).toEqual([]);
  });
});

describe('a rule that throws', () => {
  it('is contained: other rules still report, the failure is handed to the host once per call', () => {
    const failures: string[] = [];
    const throwing: Rule = {
      meta: { id: 'test/throws', severity: 'error', title: 'throws', docs: { summary: '', why: '' } },
      check() {
        throw new Error('boom');
      },
    };
    const workspace = new Workspace();
    const analyzer = new Analyzer(workspace, { onRuleError: (ruleId) => failures.push(ruleId) }, [throwing, ...ALL_RULES]);
    workspace.setFile('/repo/a.yaml', `${HEADER}  ingress: [{}]\n  ingres: []\n`);
    const diagnostics = analyzer.diagnostics('/repo/a.yaml', options);
    expect(rules(diagnostics)).toContain('schema/unknown-field');
    expect(failures).toEqual(['test/throws']);
  });

  it('reaches the one sink of contained errors (the server logs it, the CLI reports it)', () => {
    const heard: string[] = [];
    const stop = onContainedError((error) => heard.push(`${error.where}: ${error.message}`));
    try {
      const throwing: Rule = {
        meta: { id: 'test/throws-too', severity: 'error', title: 'throws', docs: { summary: '', why: '' } },
        check() {
          throw new Error('bang');
        },
      };
      const workspace = new Workspace();
      const analyzer = new Analyzer(workspace, {}, [throwing]);
      workspace.setFile('/repo/b.yaml', `${HEADER}  ingress: [{}]\n`);
      analyzer.diagnostics('/repo/b.yaml', options);
      expect(heard).toEqual(['rule test/throws-too: bang']);
      expect(containedErrors().at(-1)).toMatchObject({ where: 'rule test/throws-too', message: 'bang' });
    } finally {
      stop();
    }
  });

  it('keeps a bounded history and survives a listener that throws', () => {
    const stop = onContainedError(() => {
      throw new Error('listener');
    });
    try {
      for (let index = 0; index < 150; index++) containedError('test/bound', new Error(`e${index}`));
    } finally {
      stop();
    }
    const kept = containedErrors();
    expect(kept.length).toBe(100);
    expect(kept.at(-1)?.message).toBe('e149');
  });
});

describe('paths read from manifests are confined to the workspace', () => {
  it('refuses ../ escapes and absolute paths outside the roots', () => {
    const workspace = new Workspace({ readFile: () => 'secret' }, ['/repo']);
    expect(workspace.readReferencedFile('/repo/clusters/prod/profile.yaml', '../../../etc/passwd')).toEqual({
      error: '"../../../etc/passwd" was not read (missing, outside the workspace, not a regular file, or over the size limit)',
    });
    expect(workspace.readReferencedFile('/repo/clusters/profile.yaml', '/etc/passwd')).toHaveProperty('error');
    expect(workspace.readReferencedFile('/repo/clusters/profile.yaml', 'probes/node.json')).toEqual({ text: 'secret', path: '/repo/clusters/probes/node.json' });
  });
});
