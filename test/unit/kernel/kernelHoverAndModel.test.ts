// Hover lines for values keys and the plain-data matrix / workspace models behind `meshlens kernel`.
import { describe, expect, it } from 'vitest';
import { kernelHoverLines, kernelHoverLinesForRelease } from '../../../core/src/kernel/hover';
import { kernelMatrixModel, workspaceKernelReport } from '../../../core/src/kernel/matrixModel';
import { parseKernelRelease } from '../../../core/src/cilium/kernel/kernelVersion';
import { parseBpftoolProbe, type ProbeFacts } from '../../../core/src/cilium/kernel/bpftoolProbe';
import type { Pool } from '../../../core/src/kernel/nodeProfiles';
import { Workspace } from '../../../core/src/workspace/workspace';

const pool = (name: string, kernel: string): Pool => ({ name, origin: 'profile', kernel: parseKernelRelease(kernel)!, kernelText: kernel });

describe('kernelHoverLines', () => {
  it('says what a key needs and the verdict per pool', () => {
    const lines = kernelHoverLines('1.16', ['bandwidthManager', 'bbr'], [pool('general', '6.8.0-45-generic'), pool('legacy', '5.4.0-91-generic')]);
    const text = lines.join('\n');
    expect(lines[0]).toBe('**Kernel** (Cilium 1.16):');
    expect(text).toContain('BBR congestion control for pods: kernel ≥ 5.18');
    expect(text).toContain('below it the agent fails');
    expect(text).toContain('pool general (6.8.0-45-generic): ✓');
    expect(text).toContain('pool legacy (5.4.0-91-generic): ✗ fails');
  });

  it('names the fallback and notes when no pool is known', () => {
    const text = kernelHoverLines('1.17.3', ['bandwidthManager', 'enabled'], []).join('\n');
    expect(text).toContain('Bandwidth Manager: kernel ≥ 5.1');
    expect(text).toContain('runs without it (no pod egress rate limiting)');
    expect(text).toContain('no pool is judged');
  });

  it('returns nothing for keys no feature depends on, unknown versions or odd input', () => {
    expect(kernelHoverLines('1.16', ['hubble', 'enabled'], [])).toEqual([]);
    expect(kernelHoverLines('1.9', ['bandwidthManager', 'bbr'], [])).toEqual([]);
    expect(kernelHoverLines('not a version', ['bandwidthManager', 'bbr'], [])).toEqual([]);
  });

  it('follows dependencies when the effective values are given', () => {
    // BBR's own minimum is met on 6.8, but without host routing (legacy routing forced) the agent refuses it.
    const values = { kubeProxyReplacement: true, bpf: { masquerade: true, hostLegacyRouting: true }, bandwidthManager: { enabled: true, bbr: true } };
    const text = kernelHoverLines('1.16', ['bandwidthManager', 'bbr'], [pool('general', '6.8.0-45-generic')], values).join('\n');
    expect(text).toContain('pool general (6.8.0-45-generic): ✗ fails');
  });

  it('reads pools and values of a release in the workspace', () => {
    const workspace = new Workspace({}, ['/repo']);
    workspace.setFile('/repo/pools.yaml', 'apiVersion: meshlens.dev/v1alpha1\nkind: NodeProfile\nmetadata: {name: legacy}\nspec: {kernel: 5.4.0-91-generic}\n');
    workspace.setFile('/repo/cilium.yaml', 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: cilium, namespace: kube-system}\nspec:\n  chart:\n    spec: {chart: cilium, version: 1.16.5, sourceRef: {kind: HelmRepository, name: cilium}}\n  values:\n    bandwidthManager: {enabled: true, bbr: true}\n');
    const text = kernelHoverLinesForRelease(workspace, '/repo/cilium.yaml', 0, ['bandwidthManager', 'bbr'], {}).join('\n');
    expect(text).toContain('pool legacy (5.4.0-91-generic): ✗ fails');
  });
});

describe('kernelMatrixModel', () => {
  it('lists the rows of a version and judges them on a kernel', () => {
    const model = kernelMatrixModel({ cilium: '1.17', kernel: '5.10' });
    expect(model.supported).toBe(true);
    expect(model.base?.status).toBe('ok');
    const row = (id: string) => model.rows.find((entry) => entry.featureId === id)!;
    expect(row('bbr')).toMatchObject({ minKernel: '5.18', belowMin: 'fail', status: 'fails' });
    expect(row('host-routing')).toMatchObject({ minKernel: '5.10', status: 'ok' });
    expect(row('bbr').enabled).toBeUndefined();
  });

  it('marks what the values turn on and follows their dependencies', () => {
    const model = kernelMatrixModel({ cilium: '1.16', kernel: '5.4.0-91-generic', values: { kubeProxyReplacement: true, bpf: { masquerade: true } } });
    const row = (id: string) => model.rows.find((entry) => entry.featureId === id)!;
    expect(row('host-routing')).toMatchObject({ enabled: true, status: 'falls-back' });
    expect(row('bbr').enabled).toBe(false);
    expect(row('bpf-masquerade').enabledKeys).toEqual(['bpf.masquerade']);
  });

  it('lets a probe decide over the version', () => {
    const probe = parseBpftoolProbe(JSON.stringify({ helpers: { sched_cls_available_helpers: ['bpf_redirect_neigh', 'bpf_redirect_peer'] }, misc: { have_large_insn_limit: true }, syscall_config: { have_bpf_syscall: true } })) as ProbeFacts;
    const model = kernelMatrixModel({ cilium: '1.17', kernel: '4.19.0', probe });
    expect(model.rows.find((entry) => entry.featureId === 'host-routing')).toMatchObject({ status: 'ok', decidedBy: 'probe' });
  });

  it('says when the version is outside the matrix', () => {
    expect(kernelMatrixModel({ cilium: '1.12' })).toMatchObject({ supported: false, rows: [] });
  });
});

describe('workspaceKernelReport', () => {
  it('reports releases with their pools and profiles with their problems', () => {
    const workspace = new Workspace({}, ['/repo']);
    workspace.setFile('/repo/pools.yaml', 'apiVersion: meshlens.dev/v1alpha1\nkind: NodeProfile\nmetadata: {name: legacy}\nspec: {kernel: 5.4.0-91-generic, bpftoolProbe: ../outside.json}\n');
    workspace.setFile('/repo/cilium.yaml', 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: cilium, namespace: kube-system}\nspec:\n  chart:\n    spec: {chart: cilium, version: 1.18.2, sourceRef: {kind: HelmRepository, name: cilium}}\n');
    const report = workspaceKernelReport(workspace, {});
    expect(report.profiles).toHaveLength(1);
    expect(report.profiles[0]!.problems[0]).toContain('outside the workspace');
    expect(report.releases).toHaveLength(1);
    expect(report.releases[0]).toMatchObject({ minor: '1.18', poolsFrom: 'profiles', chartVersion: '1.18.2' });
    expect(report.releases[0]!.base[0]).toMatchObject({ pool: 'legacy', status: 'fails' });
  });
});
