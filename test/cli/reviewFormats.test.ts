/**
 * Output formats for code review through the bundle (`dist/cli.js`):
 * reviewdog's rdjson (UTF-8 byte columns, safe fixes as suggestions) and the
 * GitHub annotation cap (10 per level per step; the rest said in one line).
 */

import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { meshlens } from '../support/cli';

let workdir: string;
const NON_ASCII_LINE = '    - {"fromEntities": ["wörld-ünïcödé", World]}';

const policy = (name: string, extra = '') =>
  `apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata:\n  name: ${name}\n  namespace: shop\nspec:\n  endpointSelector: {}\n  ingress:\n    - fromEntities: [World]${extra}\n`;

beforeAll(() => {
  workdir = mkdtempSync(join(tmpdir(), 'meshlens-review-formats-'));
  mkdirSync(join(workdir, 'one'));
  // Non-ASCII text before the finding on the same line moves its UTF-8 column, not its UTF-16 one.
  writeFileSync(join(workdir, 'one', 'p.yaml'), policy('p').replace('    - fromEntities: [World]', NON_ASCII_LINE));
  mkdirSync(join(workdir, 'many'));
  for (let index = 0; index < 12; index++) writeFileSync(join(workdir, 'many', `p${index}.yaml`), policy(`p${index}`));
});

describe('--format rdjson', () => {
  it('writes reviewdog diagnostics with rule codes and safe fixes as suggestions', () => {
    const result = meshlens(['check', 'many/p0.yaml', '--format', 'rdjson'], workdir);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as {
      source: { name: string };
      diagnostics: { message: string; severity: string; code: { value: string; url: string }; location: { path: string; range: { start: { line: number; column: number } } }; suggestions?: { text: string }[] }[];
    };
    expect(report.source.name).toBe('meshlens');
    const entity = report.diagnostics.find((diagnostic) => diagnostic.code.value === 'cnp/unknown-entity');
    expect(entity).toBeDefined();
    expect(entity!.severity).toBe('ERROR');
    expect(entity!.location).toEqual({ path: 'many/p0.yaml', range: { start: { line: 9, column: 22 }, end: { line: 9, column: 27 } } });
    expect(entity!.code.url).toMatch(/cnp\/unknown-entity\.md$/);
  });

  it('counts columns in UTF-8 bytes', () => {
    const report = JSON.parse(meshlens(['check', 'one/p.yaml', '--format', 'rdjson'], workdir).stdout) as {
      diagnostics: { code: { value: string }; location: { range: { start: { line: number; column: number } } } }[];
    };
    const starts = report.diagnostics.filter((diagnostic) => diagnostic.code.value === 'cnp/unknown-entity').map((diagnostic) => diagnostic.location.range.start);
    const prefix = NON_ASCII_LINE.slice(0, NON_ASCII_LINE.indexOf('World'));
    expect(Buffer.byteLength(prefix)).toBeGreaterThan(prefix.length);
    expect(starts).toContainEqual({ line: 9, column: Buffer.byteLength(prefix) + 1 });
  });
});

describe('--format github', () => {
  it('annotates at most 10 findings per level and says how many were left out', () => {
    const result = meshlens(['check', 'many', '--format', 'github'], workdir);
    expect(result.code).toBe(1);
    const errors = result.stdout.split('\n').filter((line) => line.startsWith('::error '));
    expect(errors).toHaveLength(10);
    expect(result.stdout).toMatch(/::notice title=meshlens::2 more findings are not annotated/);
  });
});
