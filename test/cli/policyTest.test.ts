/**
 * `meshlens test` end to end through the bundle: the PolicyTest fixtures pass,
 * a failing file exits 1 in every format (text, JSON, JUnit XML, SARIF), and
 * `--generate` writes a file that itself passes, never over an existing one.
 */

import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { meshlens } from '../support/cli';
import { repoRoot } from '../support/repo';

const FIXTURES = join(repoRoot, 'test', 'fixtures', 'policytest', 'case-fails');
let workdir: string;

beforeAll(() => {
  workdir = mkdtempSync(join(tmpdir(), 'meshlens-policytest-'));
  cpSync(FIXTURES, join(workdir, 'cases'), { recursive: true });
});

describe('meshlens test', () => {
  it.each(['cilium-l3l4-l7', 'deny-precedence', 'entities-fqdn', 'istio-sidecar', 'istio-ambient-waypoint', 'networkpolicy'])('%s: every case passes', (name) => {
    const result = meshlens(['test', `cases/${name}.yaml`], workdir);
    expect(result.stdout).toMatch(/cases: (\d+) passed, 0 failed\n$/);
    expect(result.code).toBe(0);
  });

  it('a failing case exits 1 and says why, in text and JSON', () => {
    const text = meshlens(['test', 'cases/invalid.yaml'], workdir);
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('FAIL  cases/invalid.yaml:28  broken / shop/app=web → shop/api :8080/TCP\n      expected deny, the policies allow it — decided by cnp shop/api ingress[0].toPorts[0] (invalid.yaml:21)');
    expect(text.stdout).toContain('3 cases: 0 passed, 1 failed, 2 could not run');
    const json = JSON.parse(meshlens(['test', 'cases/invalid.yaml', '--format', 'json'], workdir).stdout);
    expect(json.summary).toEqual({ cases: 3, passed: 0, failed: 1, errors: 2 });
    expect(json.cases[0]).toMatchObject({ file: 'cases/invalid.yaml', line: 28, expect: 'deny', actual: 'allow', outcome: 'fail', decidedBy: [{ file: 'cases/invalid.yaml', line: 21, rule: 'cnp shop/api ingress[0].toPorts[0]' }] });
  });

  it('JUnit XML and SARIF', () => {
    const junit = meshlens(['test', 'cases/invalid.yaml', 'cases/networkpolicy.yaml', '--format', 'junit'], workdir);
    expect(junit.code).toBe(1);
    expect(junit.stdout).toContain('<testsuites name="meshlens test" tests="8" failures="1" errors="2">');
    expect(junit.stdout).toContain('<failure message="expected deny, the policies allow it');
    const sarif = JSON.parse(meshlens(['test', 'cases/invalid.yaml', '--format', 'sarif'], workdir).stdout);
    expect(sarif.runs[0].results.map((result: { ruleId: string; locations: { physicalLocation: { region: { startLine: number } } }[] }) => `${result.ruleId}:${result.locations[0].physicalLocation.region.startLine}`)).toEqual([
      'policytest/case-fails:28',
      'policytest/case-fails:30',
      'policytest/case-fails:32',
    ]);
  });

  it('--generate writes a starting file that passes, and never overwrites', () => {
    const output = join(workdir, 'generated.yaml');
    const generated = meshlens(['test', 'cases/cilium-l3l4-l7.yaml', '--generate', '--name', 'shop', '--output', output], workdir);
    expect(generated.code).toBe(0);
    const text = readFileSync(output, 'utf8');
    expect(text).toContain('kind: PolicyTest');
    expect(text).toContain('    - name: "peer of the rule: shop/web → shop/api :8080/TCP"\n      from: shop/web\n      to: shop/api\n      port: 8080\n      protocol: TCP\n      method: GET\n      path: /orders\n      expect: allow');
    expect(text).toContain('from: "shop/meshlens.dev/probe=outsider"');
    const rerun = meshlens(['test', 'cases/cilium-l3l4-l7.yaml', output], workdir);
    expect(rerun.code).toBe(0);
    const again = meshlens(['test', 'cases/cilium-l3l4-l7.yaml', '--generate', '--output', output], workdir);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('never overwrites');
  });
});
