// Integrity of schemas/kernel-features.json: references resolve, versions parse, every reference row is covered.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ciliumInRange, parseCiliumMinor } from '../../../core/src/cilium/kernel/ciliumRange';
import { loadKernelMatrix } from '../../../core/src/cilium/kernel/kernelMatrix';
import { compareKernel, parseKernelRelease } from '../../../core/src/cilium/kernel/kernelVersion';
import type { ValuesCondition } from '../../../core/src/cilium/kernel/matrixTypes';

const matrix = loadKernelMatrix();
const repoRoot = path.resolve(__dirname, '../../..');
const SUPPORTED_MINORS = ['1.14', '1.15', '1.16', '1.17', '1.18', '1.19', '1.20'];
const featureIds = new Set(matrix.features.map((feature) => feature.id));

function* leaves(condition: ValuesCondition): Generator<ValuesCondition> {
  if ('all' in condition) for (const part of condition.all) yield* leaves(part);
  else if ('any' in condition) for (const part of condition.any) yield* leaves(part);
  else if ('not' in condition) yield* leaves(condition.not);
  else yield condition;
}

function allConditions(): { featureId: string; condition: ValuesCondition }[] {
  return matrix.features.flatMap((feature) => [
    ...feature.enabledWhen.flatMap((rule) => [...(rule.all ?? []), ...(rule.any ?? [])]),
    ...(feature.dependsOn ?? []).flatMap((dependency) => (dependency.unless ? [dependency.unless] : [])),
  ].map((condition) => ({ featureId: feature.id, condition })));
}

describe('kernel-features.json base entries', () => {
  it('has exactly one base entry per supported Cilium minor', () => {
    expect(matrix.base.map((entry) => entry.cilium).sort()).toEqual(SUPPORTED_MINORS);
    for (const minor of SUPPORTED_MINORS) expect(ciliumInRange(minor, matrix.ciliumRange)).toBe(true);
  });

  it.each(matrix.base.map((entry) => [entry.cilium, entry] as const))('base %s: kernels parse and the enforced minimum is not above the documented one', (_, entry) => {
    expect(parseKernelRelease(entry.minKernel)).toBeDefined();
    expect(parseKernelRelease(entry.docsMinKernel)).toBeDefined();
    expect(compareKernel(entry.minKernel, entry.docsMinKernel)).toBeLessThanOrEqual(0);
    for (const equivalent of entry.distroEquivalents) expect(parseKernelRelease(equivalent.kernel)).toBeDefined();
    expect(entry.config.length).toBeGreaterThan(0);
  });

  it('never lowers the base from one minor to the next', () => {
    const sorted = [...matrix.base].sort((a, b) => (parseCiliumMinor(a.cilium)!.minor - parseCiliumMinor(b.cilium)!.minor));
    for (let index = 1; index < sorted.length; index++) {
      expect(compareKernel(sorted[index]!.docsMinKernel, sorted[index - 1]!.docsMinKernel)).toBeGreaterThanOrEqual(0);
      expect(compareKernel(sorted[index]!.minKernel, sorted[index - 1]!.minKernel)).toBeGreaterThanOrEqual(0);
    }
  });

  it('backport entries parse', () => {
    for (const entry of matrix.backports) {
      expect(parseKernelRelease(entry.fromKernel)).toBeDefined();
      expect(parseKernelRelease(entry.bpfLevel)).toBeDefined();
    }
    for (const kernel of Object.entries(matrix.rhelKernelBuilds).filter(([key]) => !key.startsWith('$')).map(([, value]) => value)) {
      expect(parseKernelRelease(kernel)).toBeDefined();
    }
  });
});

describe('kernel-features.json features', () => {
  it('has unique ids in kebab-case', () => {
    expect(featureIds.size).toBe(matrix.features.length);
    for (const id of featureIds) expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  it.each(matrix.features.map((feature) => [feature.id, feature] as const))('%s: ranges, kernels and references are valid', (_, feature) => {
    expect(feature.title.length).toBeGreaterThan(0);
    expect(feature.appliesTo).toMatch(/^([<>]=?|=)?\d+\.\d+( ([<>]=?|=)?\d+\.\d+)*$/);
    for (const rule of feature.enabledWhen) {
      expect(SUPPORTED_MINORS.some((minor) => ciliumInRange(minor, rule.cilium)), `rule range ${rule.cilium}`).toBe(true);
      expect(SUPPORTED_MINORS.filter((minor) => ciliumInRange(minor, rule.cilium)).every((minor) => ciliumInRange(minor, feature.appliesTo))).toBe(true);
      expect((rule.all?.length ?? 0) + (rule.any?.length ?? 0)).toBeGreaterThan(0);
    }
    for (const requirement of feature.requirements) {
      expect(SUPPORTED_MINORS.some((minor) => ciliumInRange(minor, requirement.cilium)), `requirement range ${requirement.cilium}`).toBe(true);
      expect(['fail', 'fallback', 'unknown']).toContain(requirement.belowMin);
      if (requirement.minKernel) expect(parseKernelRelease(requirement.minKernel)).toBeDefined();
      if (requirement.docsMinKernel) expect(parseKernelRelease(requirement.docsMinKernel)).toBeDefined();
      for (const backport of requirement.stableBackports ?? []) {
        expect(compareKernel(backport, requirement.minKernel!)).toBeLessThan(0);
      }
      for (const config of requirement.config ?? []) expect(typeof config === 'string' ? config : config.name).toMatch(/^CONFIG_[A-Z0-9_]+$/);
      expect(requirement.minKernel || requirement.config?.length || requirement.kernelUnknown, 'a requirement must need something').toBeTruthy();
    }
    for (const dependency of feature.dependsOn ?? []) {
      expect(featureIds.has(dependency.feature), dependency.feature).toBe(true);
      expect(dependency.feature).not.toBe(feature.id);
    }
  });

  it('only references existing features in conditions, with one operator per leaf', () => {
    for (const { featureId, condition } of allConditions()) {
      for (const leaf of leaves(condition)) {
        if ('feature' in leaf) {
          expect(featureIds.has(leaf.feature), `${featureId} → ${leaf.feature}`).toBe(true);
          continue;
        }
        if (!('path' in leaf)) throw new Error(`${featureId}: malformed condition ${JSON.stringify(leaf)}`);
        const operators = ['equals', 'notEquals', 'in', 'notIn', 'truthy', 'isSet'].filter((operator) => operator in leaf);
        expect(operators, `${featureId}: ${JSON.stringify(leaf)}`).toHaveLength(1);
        expect(leaf.path).toMatch(/^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*$/);
      }
    }
  });

  it('covers every row of the research note matrix', () => {
    // One id per row of the reference's feature matrix and advanced-features table.
    const expectedRows = [
      'kube-proxy-replacement', 'socket-lb', 'bpf-nodeport', 'socket-lb-peer', 'socket-lb-host-namespace-only',
      'session-affinity', 'session-affinity-netns', 'socket-lb-tracing', 'lb-health-check-datapath', 'xdp-acceleration',
      'lb-dsr', 'maglev', 'host-routing', 'bpf-masquerade', 'ip-masq-agent', 'iptables-masquerade', 'bandwidth-manager',
      'bbr', 'ipv6-big-tcp', 'ipv4-big-tcp', 'tunnel-big-tcp', 'netkit', 'tcx', 'wireguard', 'ipsec', 'ipsec-tunnel',
      'vxlan-tunnel', 'geneve-tunnel', 'egress-gateway', 'vtep', 'sctp', 'local-redirect-policy',
      'lrp-skip-redirect-from-backend', 'bpf-tproxy', 'bpf-clock-probe', 'host-firewall', 'l2-announcements',
      'bgp-control-plane', 'multicast', 'srv6', 'sock-ops', 'l7-proxy', 'ingress-controller', 'gateway-api',
      'pcap-recorder', 'dynamic-pod-egress-routing', 'l3-devices', 'ipv6',
    ];
    expect([...featureIds].sort()).toEqual([...expectedRows].sort());
  });

  it('contains no absolute machine paths', () => {
    const text = readFileSync(path.join(repoRoot, 'schemas/kernel-features.json'), 'utf8');
    expect(text).not.toMatch(/\/work\/|\/tmp\/|\/home\//);
  });
});

// The research note lives in ../shared next to the repository (resolved from the repo root, never an absolute path).
const sharedReference = path.resolve(repoRoot, '..', 'shared', 'reference', 'cilium-kernel-features.md');
const hasShared = existsSync(sharedReference);
if (!hasShared) console.warn(`skipping reference cross-check: ${sharedReference} is not present`);

describe.skipIf(!hasShared)('kernel-features.json against the research note', () => {
  it('uses only kernel numbers that the note names', () => {
    const note = readFileSync(sharedReference, 'utf8');
    // `4.8` also matches the note's `4.8.0`, but `5.1` must not match `5.10` or `5.1.16`.
    const named = (version: string) => new RegExp(`(?<![\\d.])${version.replace(/\./g, '\\.')}(?:\\.0)?(?!\\d|\\.\\d)`).test(note);
    const numbers = new Set<string>();
    for (const entry of matrix.base) numbers.add(entry.minKernel).add(entry.docsMinKernel);
    for (const feature of matrix.features) {
      for (const requirement of feature.requirements) {
        if (requirement.minKernel) numbers.add(requirement.minKernel);
        for (const backport of requirement.stableBackports ?? []) numbers.add(backport);
        if (requirement.docsMinKernel) numbers.add(/^[\d.]+/.exec(requirement.docsMinKernel)![0]);
      }
    }
    for (const version of numbers) expect(named(version), `kernel ${version} not found in the note`).toBe(true);
  });

  it('uses only helper names that the note names', () => {
    const note = readFileSync(sharedReference, 'utf8');
    const helpers = new Set<string>();
    for (const entry of [...matrix.base.map((base) => base.probe), ...matrix.features.flatMap((feature) => feature.requirements.map((requirement) => requirement.probe))]) {
      for (const { helper } of entry?.helpers ?? []) helpers.add(helper);
    }
    for (const helper of helpers) expect(note.includes(helper), helper).toBe(true);
  });
});
