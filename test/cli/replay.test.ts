/**
 * `meshlens replay` end to end through the bundle (`dist/cli.js`): the shop
 * fixture's export in every format, gzip (whole and truncated) and standard
 * input, exit codes per --fail-on, and usage errors (exit 2).
 */

import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { meshlens } from '../support/cli';
import { repoRoot } from '../support/repo';

const fixture = join(repoRoot, 'test', 'replay-fixtures', 'shop');
let workdir: string;

beforeAll(() => {
  workdir = mkdtempSync(join(tmpdir(), 'meshlens-replay-'));
  const flows = readFileSync(join(fixture, 'flows.jsonl'));
  writeFileSync(join(workdir, 'flows.jsonl.gz'), gzipSync(flows));
  const gz = gzipSync(flows);
  writeFileSync(join(workdir, 'truncated.gz'), gz.subarray(0, Math.floor(gz.length * 0.7)));
  writeFileSync(join(workdir, 'allowed-only.jsonl'), readFileSync(join(fixture, 'flows.jsonl'), 'utf8').split('\n').slice(0, 3).join('\n'));
});

describe('meshlens replay and simulate --cluster', () => {
  // Two Flux clusters; the database policy is deployed to prod only (the PolicyTest fixture's repository).
  const clusters = join(repoRoot, 'test', 'fixtures', 'policytest', 'case-fails', 'cluster-scoped');
  const flow = JSON.stringify({
    flow: {
      verdict: 'FORWARDED',
      traffic_direction: 'INGRESS',
      source: { namespace: 'shop', labels: ['k8s:app=web', 'k8s:io.kubernetes.pod.namespace=shop'], pod_name: 'web-6d4b8c7f9-abcde' },
      destination: { namespace: 'shop', labels: ['k8s:app=db', 'k8s:io.kubernetes.pod.namespace=shop'], pod_name: 'db-5c8d7b6f4-klmno' },
      l4: { TCP: { source_port: 40000, destination_port: 5432 } },
    },
  });

  it('judges with the policies the named cluster deploys', () => {
    const file = join(workdir, 'web-db.jsonl');
    writeFileSync(file, `${flow}\n`);
    const prod = meshlens(['replay', file, '.', '--cluster', 'prod', '--format', 'json'], clusters);
    expect(prod.code).toBe(1);
    expect(JSON.parse(prod.stdout).classes[0]).toMatchObject({ outcome: 'newly-dropped', decidedBy: [{ file: 'apps/prod/db.yaml', line: 10 }] });
    const staging = meshlens(['replay', file, '.', '--cluster', 'staging', '--format', 'json'], clusters);
    expect(staging.code).toBe(0);
    expect(JSON.parse(staging.stdout).classes[0].outcome).toBe('still-allowed');
    const unknown = meshlens(['replay', file, '.', '--cluster', 'prd'], clusters);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('cluster "prd" is not a cluster of this repository (clusters: prod, staging); did you mean "prod"?');
  });

  it('simulate --cluster says which cluster judged', () => {
    const prod = JSON.parse(meshlens(['simulate', '.', '--from', 'shop/web', '--to', 'shop/db', '--port', '5432', '--cluster', 'prod', '--format', 'json'], clusters).stdout);
    expect(prod).toMatchObject({ verdict: 'deny', cluster: { name: 'prod', scoped: true } });
    const staging = meshlens(['simulate', '.', '--from', 'shop/web', '--to', 'shop/db', '--port', '5432', '--cluster', 'staging'], clusters);
    expect(staging.stdout).toContain('ALLOW: shop/web → shop/db :5432/TCP');
    expect(staging.stdout).toContain('- cluster staging: the policies it deploys');
  });
});

describe('meshlens replay --base', () => {
  it('judges every class by the base revision too and lists what this revision newly denies (--base-dir)', () => {
    const base = join(workdir, 'base');
    mkdirSync(join(base, 'policies'), { recursive: true });
    for (const file of ['workloads.yaml', 'api.yaml']) copyFileSync(join(fixture, 'policies', file), join(base, 'policies', file));
    const result = meshlens(['replay', 'flows.jsonl', 'policies', '--base-dir', base, '--format', 'json', '--fail-on', 'changed'], fixture);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.changes).toEqual({ 'now-denied': { classes: 3, flows: 3 }, 'now-allowed': { classes: 0, flows: 0 } });
    const db = report.classes.find((item: { change?: string; to: string; direction: string }) => item.change === 'now-denied' && item.to === 'shop/db' && item.direction === 'ingress');
    expect(db.base).toMatchObject({ verdict: 'allow' });
    // The HTTP rule is in both revisions: its denial is not a change.
    const post = report.classes.find((item: { http?: { method?: string } }) => item.http?.method === 'POST');
    expect(post).toMatchObject({ outcome: 'newly-dropped', base: { verdict: 'deny', decidedBy: [{ file: 'policies/api.yaml', line: 17 }] } });
    expect(post.change).toBeUndefined();
    const text = meshlens(['replay', 'flows.jsonl', 'policies', '--base-dir', base], fixture).stdout;
    expect(text).toContain('Allowed by the base, denied by this revision: 3 flows in 3 classes');
  });

  it('reads the base from a git revision (--base) and refuses --fail-on changed without a base', () => {
    const repo = join(workdir, 'repo');
    mkdirSync(join(repo, 'policies'), { recursive: true });
    for (const file of ['workloads.yaml', 'api.yaml']) copyFileSync(join(fixture, 'policies', file), join(repo, 'policies', file));
    copyFileSync(join(fixture, 'flows.jsonl'), join(repo, 'flows.jsonl'));
    const git = (...args: string[]) => spawnSync('git', ['-c', 'user.email=test@example.com', '-c', 'user.name=test', '-c', 'commit.gpgsign=false', ...args], { cwd: repo, encoding: 'utf8' });
    git('init', '-q');
    git('add', '.');
    git('commit', '-qm', 'base');
    for (const file of ['db.yaml', 'web-egress.yaml']) copyFileSync(join(fixture, 'policies', file), join(repo, 'policies', file));
    const result = meshlens(['replay', 'flows.jsonl', 'policies', '--base', 'HEAD', '--format', 'json', '--fail-on', 'none'], repo);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.base).toBe('HEAD');
    expect(report.changes['now-denied']).toEqual({ classes: 3, flows: 3 });
    expect(meshlens(['replay', 'flows.jsonl', 'policies', '--base', 'no-such-ref'], repo).code).toBe(2);
    expect(meshlens(['replay', 'flows.jsonl', 'policies', '--fail-on', 'changed'], repo).stderr).toContain('--fail-on changed needs --base REF or --base-dir DIR');
  });
});

describe('meshlens replay', () => {
  it('reports newly dropped, newly allowed and undecided classes in text and exits 1 by default', () => {
    const result = meshlens(['replay', 'flows.jsonl', 'policies'], fixture);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('20 flow records in 25 lines: 3 malformed, 4 not judged');
    expect(result.stdout).toContain('Recorded as passing, the policies would DROP (5 flows):');
    expect(result.stdout).toContain('- 2× FORWARDED ingress shop/web → shop/api :8080/TCP POST /orders/7 (host api.shop:8080)  (line 10)');
    expect(result.stdout).toContain('    decided by policies/api.yaml:17 (cnp shop/api ingress[0].toPorts[0].rules.http[0])');
    expect(result.stdout).toContain('DROPPED by policy, the policies would now allow (1 flows):');
    expect(result.stdout).toContain('Cannot be decided offline (3 flows):');
    expect(result.stdout).toContain('malformed: line 7: invalid JSON');
  });

  it('prints every class as JSON with displayed files', () => {
    const result = meshlens(['replay', 'flows.jsonl', 'policies', '--format', 'json'], fixture);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.outcomes['newly-dropped']).toEqual({ classes: 4, flows: 5 });
    const db = report.classes.find((item: { outcome: string; to: string; direction: string }) => item.outcome === 'newly-dropped' && item.to === 'shop/db' && item.direction === 'ingress');
    expect(db).toMatchObject({ count: 1, recorded: 'FORWARDED', from: 'shop/web', port: 5432, protocol: 'TCP', verdict: 'deny' });
    expect(db.decidedBy).toEqual([{ file: 'policies/db.yaml', line: 10, rule: 'cnp shop/db ingress' }]);
    expect(report.classes).toHaveLength(13);
  });

  it('writes Markdown and SARIF', () => {
    const markdown = meshlens(['replay', 'flows.jsonl', 'policies', '--format', 'markdown'], fixture);
    expect(markdown.stdout).toContain('| Recorded as passing, the policies would DROP | 5 | 4 |');
    expect(markdown.stdout).toContain('### DROPPED by policy, the policies would now allow');
    const sarif = JSON.parse(meshlens(['replay', 'flows.jsonl', 'policies', '--format', 'sarif'], fixture).stdout);
    const results = sarif.runs[0].results as { ruleId: string; level: string; locations?: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }[];
    expect(results.filter((result) => result.ruleId === 'replay/newly-dropped')).toHaveLength(4);
    expect(results.filter((result) => result.ruleId === 'replay/undecided')).toHaveLength(3);
    const located = results.find((result) => result.ruleId === 'replay/newly-allowed')!;
    expect(located.level).toBe('warning');
    expect(located.locations![0].physicalLocation).toMatchObject({ artifactLocation: { uri: 'policies/db.yaml' }, region: { startLine: 14 } });
  });

  it('exits per --fail-on', () => {
    expect(meshlens(['replay', 'flows.jsonl', 'policies', '--fail-on', 'none'], fixture).code).toBe(0);
    expect(meshlens(['replay', 'flows.jsonl', 'policies', '--fail-on', 'allowed,undecided'], fixture).code).toBe(1);
    expect(meshlens(['replay', join(workdir, 'allowed-only.jsonl'), 'policies'], fixture).code).toBe(0);
  });

  it('reads gzip, a truncated gzip (what was read is replayed, the rest counted as malformed) and standard input', () => {
    const gzipped = JSON.parse(meshlens(['replay', join(workdir, 'flows.jsonl.gz'), 'policies', '--format', 'json'], fixture).stdout);
    expect(gzipped.flows).toBe(20);
    const truncated = meshlens(['replay', join(workdir, 'truncated.gz'), 'policies', '--format', 'json', '--fail-on', 'none'], fixture);
    expect(truncated.code).toBe(0);
    const partial = JSON.parse(truncated.stdout);
    expect(partial.flows).toBeGreaterThan(0);
    expect(partial.flows).toBeLessThan(20);
    expect(partial.malformedSamples.some((sample: { reason: string }) => sample.reason.startsWith('the export ends early or is corrupt'))).toBe(true);
    const piped = spawnSync(process.execPath, [join(repoRoot, 'dist', 'cli.js'), 'replay', '-', 'policies', '--format', 'json'], { cwd: fixture, input: readFileSync(join(fixture, 'flows.jsonl')), encoding: 'utf8' });
    expect(JSON.parse(piped.stdout).flows).toBe(20);
  });

  it('exits 2 on usage errors', () => {
    expect(meshlens(['replay'], fixture).code).toBe(2);
    expect(meshlens(['replay', 'nope.jsonl', 'policies'], fixture).stderr).toContain('cannot read the flow export nope.jsonl');
    expect(meshlens(['replay', 'policies', 'policies'], fixture).stderr).toContain('is not a regular file');
    expect(meshlens(['replay', 'flows.jsonl', 'policies', '--format', 'yaml'], fixture).code).toBe(2);
    expect(meshlens(['replay', 'flows.jsonl', 'policies', '--fail-on', 'sometimes'], fixture).code).toBe(2);
  });
});
