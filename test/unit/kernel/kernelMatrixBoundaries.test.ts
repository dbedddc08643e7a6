// Every matrix row at its kernel boundary (one below, exactly at, above), generated from the data itself,
// both for the requirement alone (matrixTable) and end to end from Helm values (evaluatePool).
import { describe, expect, it } from 'vitest';
import { ciliumInRange } from '../../../core/src/cilium/kernel/ciliumRange';
import { enabledFeatures, evaluatePool, featureRequirement, loadKernelMatrix, matrixTable } from '../../../core/src/cilium/kernel/kernelMatrix';
import { parseKernelRelease, type ParsedKernel } from '../../../core/src/cilium/kernel/kernelVersion';
import type { KernelFeature } from '../../../core/src/cilium/kernel/matrixTypes';

// Written out here rather than imported, so the test does not share the mapping it checks.
const BELOW_MINIMUM_STATUS: Record<string, string> = { fail: 'fails', fallback: 'falls-back', unknown: 'unknown' };
const statusBelowMinimum = (belowMin: string): string => BELOW_MINIMUM_STATUS[belowMin] ?? `unmapped ${belowMin}`;

const matrix = loadKernelMatrix();
const SUPPORTED_MINORS = ['1.14', '1.15', '1.16', '1.17', '1.18', '1.19', '1.20'];

function oneBelow(version: string): string {
  const kernel = parseKernelRelease(version)!;
  if (kernel.patch > 0) return `${kernel.major}.${kernel.minor}.${kernel.patch - 1}`;
  if (kernel.minor > 0) return `${kernel.major}.${kernel.minor - 1}.0`;
  return `${kernel.major - 1}.99.0`;
}

function oneAbove(version: string): string {
  const kernel = parseKernelRelease(version)!;
  return `${kernel.major}.${kernel.minor + 1}.0`;
}

interface BoundaryCase {
  featureId: string;
  minor: string;
  minKernel: string;
  below: string;
  belowStatus: string;
}

const boundaryCases: BoundaryCase[] = matrix.features.flatMap((feature) =>
  SUPPORTED_MINORS.filter((minor) => ciliumInRange(minor, feature.appliesTo)).flatMap((minor) => {
    const requirement = featureRequirement(feature, minor);
    if (!requirement?.minKernel) return [];
    return [{
      featureId: feature.id,
      minor,
      minKernel: requirement.minKernel,
      below: oneBelow(requirement.minKernel),
      // Module features may have a distro backport, so a low version alone is not a verdict.
      belowStatus: requirement.moduleBackportable ? 'unknown' : statusBelowMinimum(requirement.belowMin),
    }];
  }),
);

describe('requirement boundaries (matrixTable, version only)', () => {
  it('has boundary cases for every feature with a kernel minimum', () => {
    const withMinimum = matrix.features.filter((feature) => feature.requirements.some((requirement) => requirement.minKernel)).map((feature) => feature.id);
    expect(new Set(boundaryCases.map((entry) => entry.featureId))).toEqual(new Set(withMinimum));
  });

  it.each(boundaryCases)('$featureId on Cilium $minor: below $below, at $minKernel, above', ({ featureId, minor, minKernel, below, belowStatus }) => {
    const row = (kernel: string) => matrixTable(minor, kernel).rows.find((entry) => entry.featureId === featureId)!;
    expect(row(below).status).toBe(belowStatus);
    expect(row(minKernel).status).toBe('ok');
    expect(row(oneAbove(minKernel)).status).toBe('ok');
    expect(row(minKernel).requirement).toContain(minKernel);
  });

  const stableCases = boundaryCases.flatMap((entry) => {
    const requirement = featureRequirement(matrix.features.find((feature) => feature.id === entry.featureId)!, entry.minor)!;
    return (requirement.stableBackports ?? []).map((backport) => ({ ...entry, backport }));
  });
  it('has stable-backport cases', () => expect(stableCases.length).toBeGreaterThan(0));
  it.each(stableCases)('$featureId on Cilium $minor: stable series $backport', ({ featureId, minor, backport, belowStatus }) => {
    const row = (kernel: string) => matrixTable(minor, kernel).rows.find((entry) => entry.featureId === featureId)!;
    expect(row(backport).status).toBe('ok');
    expect(row(oneBelow(backport)).status).toBe(belowStatus);
  });
});

// Values that turn each feature on with its prerequisites met. A new feature with a values key and a kernel
// minimum must be added here (the coverage test below fails otherwise).
const KPR = { kubeProxyReplacement: 'true' };
const HOST_ROUTING = { ...KPR, bpf: { masquerade: true } };
const enablingValues: Record<string, (minor: string) => Record<string, unknown>> = {
  'bpf-nodeport': () => KPR,
  'socket-lb': () => ({ socketLB: { enabled: true } }),
  'socket-lb-peer': () => KPR,
  'socket-lb-host-namespace-only': () => ({ ...KPR, socketLB: { hostNamespaceOnly: true } }),
  'session-affinity': () => ({ ...KPR, sessionAffinity: true }),
  'session-affinity-netns': () => ({ ...KPR, sessionAffinity: true }),
  'socket-lb-tracing': () => KPR,
  'xdp-acceleration': () => ({ ...KPR, loadBalancer: { acceleration: 'native' } }),
  'ip-masq-agent': () => ({ ...HOST_ROUTING, ipMasqAgent: { enabled: true } }),
  'host-routing': () => HOST_ROUTING,
  'bandwidth-manager': () => ({ bandwidthManager: { enabled: true } }),
  bbr: () => ({ ...HOST_ROUTING, bandwidthManager: { enabled: true, bbr: true } }),
  'ipv6-big-tcp': () => ({ ...HOST_ROUTING, ipv6: { enabled: true }, enableIPv6BIGTCP: true }),
  'ipv4-big-tcp': () => ({ ...HOST_ROUTING, enableIPv4BIGTCP: 'true' }),
  netkit: () => ({ ...KPR, bpf: { masquerade: true, datapathMode: 'netkit' } }),
  tcx: () => ({}),
  wireguard: () => ({ encryption: { enabled: true, type: 'wireguard' } }),
  'ipsec-tunnel': () => ({ encryption: { enabled: true } }),
  'egress-gateway': () => ({ ...HOST_ROUTING, egressGateway: { enabled: true } }),
  vtep: () => ({ vtep: { enabled: true } }),
  sctp: () => ({ sctp: { enabled: true } }),
  'bpf-tproxy': () => ({ bpf: { tproxy: true } }),
  'bpf-clock-probe': () => ({ bpfClockProbe: true }),
  multicast: () => ({ extraConfig: { 'multicast-enabled': 'true' } }),
  'pcap-recorder': () => ({ extraConfig: { 'enable-recorder': 'true' } }),
};

/** The highest kernel minimum along a feature's dependencies for a minor (they must pass for an 'ok'). */
function dependencyMinimum(feature: KernelFeature, minor: string, seen = new Set<string>()): ParsedKernel | undefined {
  let highest: ParsedKernel | undefined;
  for (const dependency of feature.dependsOn ?? []) {
    if (dependency.cilium && !ciliumInRange(minor, dependency.cilium)) continue;
    if (seen.has(dependency.feature)) continue;
    seen.add(dependency.feature);
    const target = matrix.features.find((candidate) => candidate.id === dependency.feature)!;
    const own = featureRequirement(target, minor)?.minKernel;
    for (const candidate of [own ? parseKernelRelease(own) : undefined, dependencyMinimum(target, minor, seen)]) {
      if (candidate && (!highest || compare(candidate, highest) > 0)) highest = candidate;
    }
  }
  return highest;
}

function compare(a: ParsedKernel, b: ParsedKernel): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

describe('end-to-end boundaries from Helm values (evaluatePool)', () => {
  it('has enabling values for every feature with a values key and a kernel minimum', () => {
    const needed = new Set(boundaryCases.filter((entry) => matrix.features.find((feature) => feature.id === entry.featureId)!.enabledWhen.length > 0).map((entry) => entry.featureId));
    expect(new Set(Object.keys(enablingValues).filter((id) => needed.has(id)))).toEqual(needed);
  });

  const cases = boundaryCases.filter((entry) => enablingValues[entry.featureId]);
  it.each(cases)('$featureId on Cilium $minor from values', ({ featureId, minor, minKernel, below }) => {
    const feature = matrix.features.find((candidate) => candidate.id === featureId)!;
    const values = enablingValues[featureId]!(minor);
    const enabled = enabledFeatures(minor, values).find((entry) => entry.featureId === featureId);
    expect(enabled, `${featureId} should be enabled by ${JSON.stringify(values)}`).toBeDefined();
    const verdictOn = (kernel: string) => evaluatePool(minor, values, { name: 'pool', kernel: parseKernelRelease(kernel)! }).find((entry) => entry.featureId === featureId)!;

    const dependencyFloor = dependencyMinimum(feature, minor);
    const own = parseKernelRelease(minKernel)!;
    const atKernel = dependencyFloor && compare(dependencyFloor, own) > 0 ? `${dependencyFloor.major}.${dependencyFloor.minor}.${dependencyFloor.patch}` : minKernel;
    expect(verdictOn(atKernel).status).toBe('ok');
    expect(verdictOn(oneAbove(atKernel)).status).toBe('ok');

    // Below the own minimum, judged only when every dependency still passes there.
    const belowKernel = parseKernelRelease(below)!;
    if (!dependencyFloor || compare(belowKernel, dependencyFloor) >= 0) {
      const requirement = featureRequirement(feature, minor)!;
      const verdict = verdictOn(below);
      expect(verdict.status).toBe(requirement.moduleBackportable ? 'unknown' : statusBelowMinimum(enabled!.belowMin));
      expect(verdict.decidedBy).toBe('version');
      expect(verdict.has).toContain(below);
    }
  });
});
