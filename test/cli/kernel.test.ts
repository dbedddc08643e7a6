/**
 * `meshlens kernel` end to end through the CLI bundle (`dist/cli.js`, built by
 * `npm run build`): the matrix of a Cilium version judged on a kernel or a
 * probe, with values, and the verdicts of a workspace's releases and profiles.
 */

import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { meshlens } from '../support/cli';


let workdir: string;

beforeAll(() => {
  workdir = mkdtempSync(join(tmpdir(), 'meshlens-kernel-'));
  mkdirSync(join(workdir, 'clusters', 'prod'), { recursive: true });
  writeFileSync(
    join(workdir, 'clusters', 'prod', 'pools.yaml'),
    'apiVersion: meshlens.dev/v1alpha1\nkind: NodeProfile\nmetadata:\n  name: general\nspec:\n  kernel: 6.8.0-1015-aws\n---\napiVersion: meshlens.dev/v1alpha1\nkind: NodeProfile\nmetadata:\n  name: legacy\nspec:\n  kernel: 5.4.0-1103-aws\n',
  );
  writeFileSync(
    join(workdir, 'clusters', 'prod', 'cilium.yaml'),
    'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: cilium\n  namespace: kube-system\nspec:\n  chart:\n    spec:\n      chart: cilium\n      version: 1.16.5\n      sourceRef: {kind: HelmRepository, name: cilium}\n  values:\n    kubeProxyReplacement: true\n    bpf: {masquerade: true}\n    bandwidthManager: {enabled: true, bbr: true}\n',
  );
  writeFileSync(join(workdir, 'values.yaml'), 'bandwidthManager:\n  enabled: true\n  bbr: true\n');
  writeFileSync(
    join(workdir, 'probe.json'),
    JSON.stringify({ syscall_config: { have_bpf_syscall: true }, helpers: { sched_cls_available_helpers: ['bpf_redirect_neigh', 'bpf_redirect_peer', 'bpf_skb_set_tstamp'] }, misc: { have_large_insn_limit: true } }),
  );
  writeFileSync(join(workdir, 'broken.json'), '{');
});

describe('meshlens kernel --cilium', () => {
  it('prints the matrix judged for a kernel', () => {
    const result = meshlens(['kernel', '--cilium', '1.17', '--kernel', '5.10'], workdir);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Cilium 1.17 kernel-feature matrix, judged for 5.10');
    expect(result.stdout).toMatch(/Base: Cilium 1\.17: kernel ≥ 5\.4 .*→ ok/);
    expect(result.stdout).toMatch(/BBR congestion control for pods\s+5\.18\s+fails\s+FAILS\s+bandwidthManager\.bbr = true/);
    expect(result.stdout).toMatch(/eBPF host routing\s+5\.10\s+falls back\s+ok/);
  });

  it('exits 1 when the values turn on a feature that fails on the kernel, and prints JSON', () => {
    const result = meshlens(['kernel', '--cilium', '1.16', '--kernel', '5.4.0-91-generic', '--values', 'values.yaml', '--format', 'json'], workdir);
    expect(result.code).toBe(1);
    const model = JSON.parse(result.stdout);
    expect(model.cilium).toBe('1.16');
    expect(model.rows.find((row: { featureId: string }) => row.featureId === 'bbr')).toMatchObject({ enabled: true, status: 'fails', enabledKeys: ['bandwidthManager.bbr'] });
  });

  it('lets a bpftool probe decide', () => {
    const result = meshlens(['kernel', '--cilium', '1.17', '--probe', 'probe.json', '--format', 'json'], workdir);
    expect(result.code).toBe(0);
    const model = JSON.parse(result.stdout);
    expect(model.probe).toBe(true);
    expect(model.rows.find((row: { featureId: string }) => row.featureId === 'bbr')).toMatchObject({ status: 'ok', decidedBy: 'probe' });
  });

  it('rejects bad input with exit code 2', () => {
    expect(meshlens(['kernel', '--cilium', '1.17', '--kernel', 'latest'], workdir).code).toBe(2);
    expect(meshlens(['kernel', '--cilium', '1.9'], workdir).code).toBe(2);
    expect(meshlens(['kernel', '--cilium', '1.17', '--probe', 'broken.json'], workdir).code).toBe(2);
    expect(meshlens(['kernel', '--cilium', '1.17', '--format', 'xml'], workdir).code).toBe(2);
  });
});

describe('meshlens kernel [paths]', () => {
  it('prints the verdicts of the releases and profiles found, and exits 1 when a feature fails', () => {
    const result = meshlens(['kernel', 'clusters'], workdir);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('NodeProfile legacy (clusters/prod/pools.yaml): kernel 5.4.0-1103-aws (Ubuntu)');
    expect(result.stdout).toContain('HelmRelease kube-system/cilium (clusters/prod/cilium.yaml): Cilium 1.16.5 needs kernel ≥ 5.18 (pools: general 6.8 ✓, legacy 5.4 ✗)');
    expect(result.stdout).toContain('BBR congestion control for pods [bandwidthManager.bbr]: general ok, legacy FAILS');
  });

  it('uses --kernel when no profile covers the files', () => {
    writeFileSync(join(workdir, 'lonely.yaml'), 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: c, namespace: kube-system}\nspec:\n  chart:\n    spec: {chart: cilium, version: 1.18.2, sourceRef: {kind: HelmRepository, name: cilium}}\n');
    const result = meshlens(['kernel', 'lonely.yaml', '--kernel', '6.1.0-26-amd64', '--format', 'json'], workdir);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.releases[0]).toMatchObject({ file: 'lonely.yaml', poolsFrom: 'setting', pools: [{ name: 'setting', kernel: '6.1.0-26-amd64' }] });
  });
});
