/**
 * Chart `values.schema.json` patterns run on RE2 (linear time): a pattern
 * with nested quantifiers (`^(a+)+$`) against a long near-miss value — which
 * JavaScript's backtracking engine needs 2^n steps for — must still be
 * answered, with the finding. The check runs through the bundled CLI in a
 * child process with a generous limit, so a regression fails this test (the
 * child is killed) instead of hanging the suite. The result is asserted, not
 * the time taken.
 */

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/repo';

/** Far more than the check needs on RE2; a backtracking engine needs hours for the values below. */
const CHILD_LIMIT_MS = 60_000;

const directory = mkdtempSync(join(tmpdir(), 'meshlens-chart-pattern-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

function write(path: string, text: string): void {
  mkdirSync(dirname(join(directory, path)), { recursive: true });
  writeFileSync(join(directory, path), text);
}

const nearMissValue = `${'a'.repeat(40)}!`;
const nearMissKey = `${'x'.repeat(40)}!`;

write('flux-system/gitrepository.yaml', 'apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: flux-system\n  namespace: apps\nspec:\n  interval: 1m\n  url: https://github.com/example/fleet\n  ref:\n    branch: main\n');
write('charts/names/Chart.yaml', 'apiVersion: v2\nname: names\nversion: 1.0.0\n');
write('charts/names/values.yaml', 'label: aaaa\nextraLabels: {}\n');
write(
  'charts/names/values.schema.json',
  JSON.stringify({
    type: 'object',
    properties: {
      label: { type: 'string', pattern: '^(a+)+$' },
      extraLabels: { type: 'object', patternProperties: { '^(x+)+$': { type: 'string' } }, additionalProperties: false },
    },
  }),
);
write(
  'apps/names.yaml',
  'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: names\n  namespace: apps\nspec:\n  interval: 10m\n  chart:\n    spec:\n      chart: ./charts/names\n      sourceRef:\n        kind: GitRepository\n        name: flux-system\n' +
    `  values:\n    label: "${nearMissValue}"\n    extraLabels:\n      "${nearMissKey}": refused\n`,
);

describe('chart schema patterns on RE2', () => {
  it('answers a 40-character near miss of ^(a+)+$ with the finding', () => {
    const result = spawnSync(process.execPath, [join(repoRoot, 'dist', 'cli.js'), 'check', '.', '--format', 'json'], { cwd: directory, encoding: 'utf8', timeout: CHILD_LIMIT_MS });
    expect(result.error, `the check did not finish within ${CHILD_LIMIT_MS / 1000} s: a chart pattern is on a backtracking engine`).toBeUndefined();
    expect(result.status).toBe(1);
    const findings = JSON.parse(result.stdout).diagnostics.filter((diagnostic: { rule: string }) => diagnostic.rule === 'helm/chart-schema');
    expect(findings.map((finding: { message: string }) => finding.message)).toEqual([
      '`label` must match pattern "^(a+)+$" (values.schema.json of chart names 1.0.0); Helm refuses to install',
      `\`extraLabels.${nearMissKey}\` must NOT have additional properties (values.schema.json of chart names 1.0.0); Helm refuses to install`,
    ]);
  });
});
