// The kernel/* rules end to end through MeshlensService: every matrix row with a kernel minimum at its
// boundary (one kernel below, exactly at, above) for every Cilium minor it applies to, generated from the
// data; severities (fails → error, falls back → warning); kernel strings of the major distros; CodeLens.
import { describe, expect, it } from 'vitest';
import { MeshlensService } from '../../../core/src/service';
import { defaultAnalysisOptions, type AnalysisOptions } from '../../../core/src/options';
import { ciliumInRange } from '../../../core/src/cilium/kernel/ciliumRange';
import { enabledFeatures, evaluatePool, featureRequirement, loadKernelMatrix } from '../../../core/src/cilium/kernel/kernelMatrix';
import { parseKernelRelease } from '../../../core/src/cilium/kernel/kernelVersion';
import type { Diagnostic } from '../../../core/src/diagnostics';

const matrix = loadKernelMatrix();
const MINORS = ['1.14', '1.15', '1.16', '1.17', '1.18', '1.19', '1.20'];

// Values that turn each feature on with its prerequisites (the same inputs the matrix's own boundary test uses).
const KPR = { kubeProxyReplacement: 'true' };
const HOST_ROUTING = { ...KPR, bpf: { masquerade: true } };
const enablingValues: Record<string, Record<string, unknown>> = {
  'bpf-nodeport': KPR,
  'socket-lb': { socketLB: { enabled: true } },
  'socket-lb-host-namespace-only': { ...KPR, socketLB: { hostNamespaceOnly: true } },
  'session-affinity': { ...KPR, sessionAffinity: true },
  'xdp-acceleration': { ...KPR, loadBalancer: { acceleration: 'native' } },
  'host-routing': HOST_ROUTING,
  'bandwidth-manager': { bandwidthManager: { enabled: true } },
  bbr: { ...HOST_ROUTING, bandwidthManager: { enabled: true, bbr: true } },
  'ipv6-big-tcp': { ...HOST_ROUTING, ipv6: { enabled: true }, enableIPv6BIGTCP: true },
  'ipv4-big-tcp': { ...HOST_ROUTING, enableIPv4BIGTCP: true },
  netkit: { ...KPR, bpf: { masquerade: true, datapathMode: 'netkit' } },
  wireguard: { encryption: { enabled: true, type: 'wireguard' } },
  'egress-gateway': { ...HOST_ROUTING, egressGateway: { enabled: true } },
  vtep: { vtep: { enabled: true } },
  sctp: { sctp: { enabled: true } },
  'bpf-tproxy': { bpf: { tproxy: true } },
  multicast: { extraConfig: { 'multicast-enabled': 'true' } },
  'pcap-recorder': { extraConfig: { 'enable-recorder': 'true' } },
};

function releaseYaml(chartVersion: string, values: Record<string, unknown>): string {
  // JSON is YAML flow style, so the values stay exactly what the test means.
  return [
    'apiVersion: source.toolkit.fluxcd.io/v1',
    'kind: HelmRepository',
    'metadata: {name: cilium, namespace: kube-system}',
    'spec: {interval: 1h, url: "https://helm.cilium.io/"}',
    '---',
    'apiVersion: helm.toolkit.fluxcd.io/v2',
    'kind: HelmRelease',
    'metadata: {name: cilium, namespace: kube-system}',
    'spec:',
    '  interval: 1h',
    '  chart:',
    '    spec:',
    `      chart: cilium`,
    `      version: ${chartVersion}`,
    '      sourceRef: {kind: HelmRepository, name: cilium}',
    `  values: ${JSON.stringify(values)}`,
    '',
  ].join('\n');
}

function kernelDiagnostics(files: Record<string, string>, options: Partial<AnalysisOptions> = {}): Diagnostic[] {
  const service = new MeshlensService({ roots: ['/repo'] });
  for (const [path, text] of Object.entries(files)) service.setFile(path, text);
  const analysis = defaultAnalysisOptions(options);
  return Object.keys(files).flatMap((path) => service.diagnostics(path, analysis)).filter((diagnostic) => diagnostic.rule.startsWith('kernel/'));
}

function oneBelow(version: string): string {
  const kernel = parseKernelRelease(version)!;
  if (kernel.patch > 0) return `${kernel.major}.${kernel.minor}.${kernel.patch - 1}`;
  if (kernel.minor > 0) return `${kernel.major}.${kernel.minor - 1}.0`;
  return `${kernel.major - 1}.99.0`;
}
const oneAbove = (version: string) => {
  const kernel = parseKernelRelease(version)!;
  return `${kernel.major}.${kernel.minor + 1}.0`;
};

interface BoundaryCase {
  featureId: string;
  title: string;
  minor: string;
  minKernel: string;
  /** Expected rule below the minimum, or undefined when nothing should be reported. */
  expectedBelow?: 'kernel/feature-fails' | 'kernel/feature-falls-back';
}

const cases: BoundaryCase[] = matrix.features.flatMap((feature) =>
  MINORS.filter((minor) => ciliumInRange(minor, feature.appliesTo) && enablingValues[feature.id]).flatMap((minor) => {
    const requirement = featureRequirement(feature, minor);
    if (!requirement?.minKernel) return [];
    const values = enablingValues[feature.id]!;
    const enabled = enabledFeatures(minor, values).find((entry) => entry.featureId === feature.id);
    if (!enabled) return [];
    // Judge below the minimum only where the data says the feature alone decides (its dependencies pass there).
    const below = oneBelow(requirement.minKernel);
    const verdict = evaluatePool(minor, values, { name: 'p', kernel: parseKernelRelease(below)! }).find((entry) => entry.featureId === feature.id)!;
    if (verdict.decidedBy !== 'version') return [];
    const expectedBelow = verdict.status === 'fails' ? 'kernel/feature-fails' : verdict.status === 'falls-back' && !enabled.minor ? 'kernel/feature-falls-back' : undefined;
    return [{ featureId: feature.id, title: feature.title, minor, minKernel: requirement.minKernel, ...(expectedBelow ? { expectedBelow } : {}) }];
  }),
);

describe('kernel rules at every matrix boundary', () => {
  it('covers every feature with a values key and a kernel minimum', () => {
    const covered = new Set(cases.map((entry) => entry.featureId));
    for (const id of Object.keys(enablingValues)) expect(covered.has(id), id).toBe(true);
    expect(cases.length).toBeGreaterThan(40);
    // Both severities are exercised below the minimum.
    expect(cases.filter((entry) => entry.expectedBelow === 'kernel/feature-fails').length).toBeGreaterThan(15);
    expect(cases.filter((entry) => entry.expectedBelow === 'kernel/feature-falls-back').length).toBeGreaterThan(15);
  });

  it.each(cases)('$featureId on Cilium $minor: below, at $minKernel, above', ({ title, minor, minKernel, expectedBelow, featureId }) => {
    const files = { '/repo/cilium.yaml': releaseYaml(`${minor}.0`, enablingValues[featureId]!) };
    const about = (diagnostics: Diagnostic[]) => diagnostics.filter((diagnostic) => diagnostic.rule.startsWith('kernel/feature-') && diagnostic.message.includes(title));
    const below = about(kernelDiagnostics(files, { kernelVersion: oneBelow(minKernel) }));
    if (expectedBelow) {
      expect(below.map((diagnostic) => diagnostic.rule)).toContain(expectedBelow);
      const finding = below.find((diagnostic) => diagnostic.rule === expectedBelow)!;
      expect(finding.severity).toBe(expectedBelow === 'kernel/feature-fails' ? 'error' : 'warning');
      expect(finding.message).toContain('pool setting');
      expect(finding.message).toContain(`Cilium ${minor}.0`);
      expect(finding.message).toContain(minKernel);
    } else {
      expect(below).toEqual([]);
    }
    expect(about(kernelDiagnostics(files, { kernelVersion: minKernel }))).toEqual([]);
    expect(about(kernelDiagnostics(files, { kernelVersion: oneAbove(minKernel) }))).toEqual([]);
  });
});

describe('pools and kernel sources', () => {
  const profiles = (entries: [string, string][]) =>
    entries.map(([name, kernel]) => `apiVersion: meshlens.dev/v1alpha1\nkind: NodeProfile\nmetadata:\n  name: ${name}\nspec:\n  kernel: ${kernel}\n`).join('---\n');
  const bbr = releaseYaml('1.16.5', enablingValues['bbr']!);

  it('names the weakest pool and lists the others that also fail', () => {
    const diagnostics = kernelDiagnostics({
      '/repo/clusters/prod/pools.yaml': profiles([['new', '6.8.0-45-generic'], ['old', '5.4.0-91-generic'], ['mid', '5.15.0-91-generic']]),
      '/repo/clusters/prod/apps/cilium.yaml': bbr,
    });
    const bbrError = diagnostics.find((diagnostic) => diagnostic.rule === 'kernel/feature-fails' && diagnostic.message.startsWith('BBR'))!;
    expect(bbrError.message).toContain('on pool old:');
    expect(bbrError.message).toContain('also pool mid (5.15.0-91-generic)');
    expect(bbrError.related?.[0]?.file).toBe('/repo/clusters/prod/pools.yaml');
  });

  it('uses the kernel setting only when no profile covers the file, and judges nothing without either', () => {
    const files = { '/repo/a/pools.yaml': profiles([['a', '6.8.0-45-generic']]), '/repo/a/cilium.yaml': bbr, '/repo/b/cilium.yaml': bbr };
    const diagnostics = kernelDiagnostics(files, { kernelVersion: '5.4.0-91-generic' });
    expect(diagnostics.filter((diagnostic) => diagnostic.file === '/repo/a/cilium.yaml')).toEqual([]);
    expect(diagnostics.some((diagnostic) => diagnostic.file === '/repo/b/cilium.yaml' && diagnostic.message.includes('pool setting'))).toBe(true);
    expect(kernelDiagnostics({ '/repo/b/cilium.yaml': bbr })).toEqual([]);
  });

  // uname -r strings of the major distros, each with the verdict for BBR (5.18) on Cilium 1.16.
  const distroKernels: [string, boolean][] = [
    ['5.15.0-91-generic', false], // Ubuntu 22.04
    ['6.8.0-1015-aws', true], // Ubuntu 24.04 on AWS
    ['6.1.0-26-amd64', true], // Debian 12
    ['4.18.0-553.el8_10.x86_64', false], // RHEL 8.10: BPF backports stop at the 5.10 level
    ['5.14.0-427.13.1.el9_4.x86_64', false], // RHEL 9.4
    ['5.10.223-212.873.amzn2.x86_64', false], // Amazon Linux 2
    ['6.1.109-118.189.amzn2023.x86_64', true], // Amazon Linux 2023
    ['5.14.21-150500.55.83-default', false], // SLES 15 SP5
    ['6.1.112+', true], // Container-Optimized OS
    ['6.6.60-talos', true], // Talos
    ['6.6.54-flatcar', true], // Flatcar
  ];
  it.each(distroKernels)('judges BBR on %s (runs: %s)', (kernel, runs) => {
    const diagnostics = kernelDiagnostics({ '/repo/pools.yaml': profiles([['pool', kernel]]), '/repo/cilium.yaml': bbr });
    const bbrError = diagnostics.find((diagnostic) => diagnostic.rule === 'kernel/feature-fails' && diagnostic.message.startsWith('BBR'));
    expect(diagnostics.filter((diagnostic) => diagnostic.rule === 'kernel/node-profile')).toEqual([]);
    if (runs) expect(bbrError).toBeUndefined();
    else expect(bbrError?.message).toContain(kernel);
  });
});

describe('kernel code lens', () => {
  it('says what the release needs and marks each pool', () => {
    const service = new MeshlensService({ roots: ['/repo'] });
    service.setFile('/repo/pools.yaml', 'apiVersion: meshlens.dev/v1alpha1\nkind: NodeProfile\nmetadata: {name: general}\nspec: {kernel: 6.8.0-45-generic}\n---\napiVersion: meshlens.dev/v1alpha1\nkind: NodeProfile\nmetadata: {name: legacy}\nspec: {kernel: 5.4.0-91-generic}\n');
    const text = releaseYaml('1.16.5', enablingValues['bbr']!);
    service.setFile('/repo/cilium.yaml', text);
    const lenses = service.codeLenses('/repo/cilium.yaml', defaultAnalysisOptions());
    const kernelLens = lenses.find((lens) => lens.title.includes('needs kernel'));
    expect(kernelLens?.title).toBe('Cilium 1.16.5 needs kernel ≥ 5.18 (pools: general 6.8 ✓, legacy 5.4 ✗) — 1 feature fails, 5 fall back');
    expect(kernelLens?.start).toBe(text.indexOf('apiVersion: helm.toolkit'));
  });

  it('counts a feature the values leave without a dependency as configuration, not as a kernel mark (issue #15)', () => {
    const service = new MeshlensService({ roots: ['/repo'] });
    service.setFile('/repo/pools.yaml', 'apiVersion: meshlens.dev/v1alpha1\nkind: NodeProfile\nmetadata: {name: general}\nspec: {kernel: 6.8.0-45-generic}\n');
    // BBR with eBPF host routing turned off by `bpf.masquerade: false`: kernel 6.8 is new enough, the values are not.
    service.setFile('/repo/cilium.yaml', releaseYaml('1.16.5', { ...KPR, bpf: { masquerade: false }, bandwidthManager: { enabled: true, bbr: true } }));
    const title = service.codeLenses('/repo/cilium.yaml', defaultAnalysisOptions()).find((lens) => lens.title.includes('needs kernel'))?.title;
    expect(title).toContain('general 6.8 ✓');
    expect(title).toContain('lacks a feature the values turn off (config dependency, any kernel)');
    expect(title).not.toContain('fails');
  });

  it('still says what is needed when no pool is known', () => {
    const service = new MeshlensService({ roots: ['/repo'] });
    service.setFile('/repo/cilium.yaml', releaseYaml('1.18.2', { bandwidthManager: { enabled: true } }));
    const titles = service.codeLenses('/repo/cilium.yaml', defaultAnalysisOptions()).map((lens) => lens.title);
    expect(titles).toContain('Cilium 1.18.2 needs kernel ≥ 5.10 (no NodeProfile or kernel setting covers it)');
  });
});
