// Evaluating node pools: severities from the research note, dependency chains, probes over versions,
// CONFIG facts, several pools, base requirements and the printed table.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isProbeParseError, parseBpftoolProbe, type ProbeFacts } from '../../../core/src/cilium/kernel/bpftoolProbe';
import { baseRequirement, enabledFeatures, evaluateBase, evaluatePool, matrixTable, type PoolVerdict } from '../../../core/src/cilium/kernel/kernelMatrix';
import { parseKernelRelease } from '../../../core/src/cilium/kernel/kernelVersion';
import type { NodePoolFacts } from '../../../core/src/cilium/kernel/requirementCheck';

const fixtureDir = path.resolve(__dirname, '../../fixtures/kernel');
function probeFixture(name: string): ProbeFacts {
  const result = parseBpftoolProbe(readFileSync(path.join(fixtureDir, name), 'utf8'));
  if (isProbeParseError(result)) throw new Error(`${name}: ${result.error}`);
  return result;
}

function pool(kernel: string | undefined, extra: Partial<NodePoolFacts> = {}, name = 'pool'): NodePoolFacts {
  return { name, ...(kernel ? { kernel: parseKernelRelease(kernel)! } : {}), ...extra };
}

function verdict(minor: string, values: unknown, facts: NodePoolFacts, featureId: string): PoolVerdict | undefined {
  return evaluatePool(minor, values, facts).find((entry) => entry.featureId === featureId);
}

const KPR = { kubeProxyReplacement: true };
const HOST_ROUTING = { ...KPR, bpf: { masquerade: true } };

// Severities and numbers as the research note states them (§3, §4), independent of the data file.
const referenceFacts: { name: string; minor: string; values: Record<string, unknown>; featureId: string; below: string; at: string; belowStatus: string }[] = [
  { name: 'BBR below 5.18 fails', minor: '1.17', values: { ...HOST_ROUTING, bandwidthManager: { enabled: true, bbr: true } }, featureId: 'bbr', below: '5.17.0', at: '5.18', belowStatus: 'fails' },
  { name: 'host routing below 5.10 falls back', minor: '1.18', values: HOST_ROUTING, featureId: 'host-routing', below: '5.9', at: '5.10', belowStatus: 'falls-back' },
  { name: 'bandwidth manager below 5.1 falls back (1.15)', minor: '1.15', values: { bandwidthManager: { enabled: true } }, featureId: 'bandwidth-manager', below: '5.0', at: '5.1', belowStatus: 'falls-back' },
  { name: 'IPv6 BIG TCP below 5.19 falls back', minor: '1.19', values: { ...HOST_ROUTING, ipv6: { enabled: true }, enableIPv6BIGTCP: true }, featureId: 'ipv6-big-tcp', below: '5.18', at: '5.19', belowStatus: 'falls-back' },
  { name: 'IPv4 BIG TCP below 6.3 falls back', minor: '1.20', values: { ...HOST_ROUTING, enableIPv4BIGTCP: true }, featureId: 'ipv4-big-tcp', below: '6.2', at: '6.3', belowStatus: 'falls-back' },
  { name: 'explicit netkit below 6.7 fails (code number)', minor: '1.18', values: { ...KPR, bpf: { masquerade: true, datapathMode: 'netkit' } }, featureId: 'netkit', below: '6.6', at: '6.7', belowStatus: 'fails' },
  { name: 'netkit-l2 below 6.7 fails', minor: '1.17', values: { ...KPR, bpf: { masquerade: true, datapathMode: 'netkit-l2' } }, featureId: 'netkit', below: '6.6', at: '6.7', belowStatus: 'fails' },
  { name: 'netkit auto (1.20) below 6.7 falls back to veth', minor: '1.20', values: { ...KPR, bpf: { masquerade: true, datapathMode: 'auto' } }, featureId: 'netkit', below: '6.6', at: '6.7', belowStatus: 'falls-back' },
  { name: 'egress gateway below 5.2 fails on 1.15', minor: '1.15', values: { ...HOST_ROUTING, egressGateway: { enabled: true } }, featureId: 'egress-gateway', below: '5.1', at: '5.2', belowStatus: 'fails' },
  { name: 'VTEP below 5.2 fails on 1.14', minor: '1.14', values: { vtep: { enabled: true } }, featureId: 'vtep', below: '5.1', at: '5.2', belowStatus: 'fails' },
  { name: 'SCTP below 5.2 fails on 1.15', minor: '1.15', values: { sctp: { enabled: true } }, featureId: 'sctp', below: '5.1', at: '5.2', belowStatus: 'fails' },
  { name: 'BPF TPROXY below 5.7 falls back', minor: '1.18', values: { bpf: { tproxy: true } }, featureId: 'bpf-tproxy', below: '5.6', at: '5.7', belowStatus: 'falls-back' },
  { name: 'multicast below 5.13 falls back (code number)', minor: '1.16', values: { extraConfig: { 'multicast-enabled': 'true' } }, featureId: 'multicast', below: '5.12', at: '5.13', belowStatus: 'falls-back' },
  { name: 'socket LB below 5.2 (no stable backport) fails', minor: '1.14', values: { kubeProxyReplacement: 'strict' }, featureId: 'socket-lb', below: '5.0.0', at: '5.2', belowStatus: 'fails' },
  { name: 'socket LB on 4.19.56 fails, 4.19.57 passes', minor: '1.15', values: KPR, featureId: 'socket-lb', below: '4.19.56', at: '4.19.57', belowStatus: 'fails' },
  { name: 'TCX below 6.6 falls back', minor: '1.16', values: {}, featureId: 'tcx', below: '6.5', at: '6.6', belowStatus: 'falls-back' },
  { name: 'pcap recorder below 5.8 fails', minor: '1.17', values: { extraConfig: { 'enable-recorder': true } }, featureId: 'pcap-recorder', below: '5.7', at: '5.8', belowStatus: 'fails' },
  { name: 'XDP native below 5.2 fails', minor: '1.16', values: { ...KPR, loadBalancer: { acceleration: 'native' } }, featureId: 'xdp-acceleration', below: '5.1.15', at: '5.2', belowStatus: 'fails' },
  { name: 'XDP best-effort below 5.2 falls back', minor: '1.16', values: { ...KPR, loadBalancer: { acceleration: 'best-effort' } }, featureId: 'xdp-acceleration', below: '5.1.15', at: '5.2', belowStatus: 'falls-back' },
  { name: 'socket LB host-namespace-only below 5.7 falls back (≤1.17)', minor: '1.17', values: { ...KPR, socketLB: { hostNamespaceOnly: true } }, featureId: 'socket-lb-host-namespace-only', below: '5.6', at: '5.7', belowStatus: 'falls-back' },
];

describe('severities from the research note', () => {
  it.each(referenceFacts)('$name', ({ minor, values, featureId, below, at, belowStatus }) => {
    expect(verdict(minor, values, pool(below), featureId)?.status).toBe(belowStatus);
    expect(verdict(minor, values, pool(at), featureId)?.status).toBe('ok');
  });

  it('host routing never fails by itself, BBR always fails hard', () => {
    for (const kernel of ['4.19.57', '5.4.0-91-generic', '5.9.16']) {
      expect(verdict('1.16', HOST_ROUTING, pool(kernel), 'host-routing')?.status).toBe('falls-back');
      expect(verdict('1.16', { ...HOST_ROUTING, bandwidthManager: { enabled: true, bbr: true } }, pool(kernel), 'bbr')?.status).toBe('fails');
    }
  });

  it('WireGuard: module missing is fatal from 1.17, userspace fallback before', () => {
    const wireguard = { encryption: { enabled: true, type: 'wireguard' } };
    const noModule = pool('6.1.0-26-amd64', { kernelConfig: { CONFIG_WIREGUARD: 'n' } });
    expect(verdict('1.17', wireguard, noModule, 'wireguard')).toMatchObject({ status: 'fails', decidedBy: 'config' });
    expect(verdict('1.16', wireguard, noModule, 'wireguard')?.status).toBe('fails');
    const userspace = { encryption: { ...wireguard.encryption, wireguard: { userspaceFallback: true } } };
    expect(verdict('1.16', userspace, noModule, 'wireguard')).toMatchObject({ status: 'falls-back', fallbackNote: 'userspace WireGuard' });
    // On 1.17 the flag no longer exists, so it changes nothing.
    expect(verdict('1.17', userspace, noModule, 'wireguard')?.status).toBe('fails');
  });

  it('WireGuard below 5.6: a backported module decides, the version alone does not', () => {
    const wireguard = { encryption: { enabled: true, type: 'wireguard' } };
    expect(verdict('1.17', wireguard, pool('5.4.0-91-generic'), 'wireguard')?.status).toBe('unknown');
    expect(verdict('1.17', wireguard, pool('5.4.0-91-generic', { kernelConfig: { CONFIG_WIREGUARD: 'm' } }), 'wireguard')).toMatchObject({ status: 'ok', decidedBy: 'config' });
    // The RHEL BPF backport level does not imply the module.
    expect(verdict('1.18', wireguard, pool('4.18.0-553.el8_10.x86_64'), 'wireguard')?.status).toBe('unknown');
    expect(verdict('1.18', wireguard, pool('5.6'), 'wireguard')?.status).toBe('ok');
  });

  it('BPF masquerading without NodePort: silent iptables fallback on 1.14, fatal from 1.15', () => {
    const values = { bpf: { masquerade: true } };
    const onKernel = pool('6.1');
    expect(verdict('1.14', values, onKernel, 'bpf-masquerade')).toMatchObject({ status: 'falls-back', decidedBy: 'dependency' });
    expect(verdict('1.15', values, onKernel, 'bpf-masquerade')).toMatchObject({ status: 'fails', decidedBy: 'dependency' });
    expect(verdict('1.15', values, onKernel, 'bpf-masquerade')!.chain.join(' ')).toMatch(/BPF NodePort/);
  });
});

describe('enabledFeatures', () => {
  it('reports the keys that turned a feature on, and [] when it is on by default', () => {
    const features = enabledFeatures('1.18', { ...HOST_ROUTING, bandwidthManager: { enabled: true, bbr: true } });
    const byId = new Map(features.map((feature) => [feature.featureId, feature]));
    expect(byId.get('bbr')!.paths).toEqual([['bandwidthManager', 'bbr']]);
    expect(byId.get('bpf-masquerade')!.paths).toEqual([['bpf', 'masquerade']]);
    expect(byId.get('host-routing')).toMatchObject({ paths: [], auto: true });
    expect(byId.get('host-routing')!.via).toEqual(expect.arrayContaining(['bpf-nodeport', 'bpf-masquerade']));
    expect(byId.get('tcx')).toMatchObject({ paths: [], auto: true, minor: true });
    expect(byId.get('l7-proxy')!.paths).toEqual([]);
  });

  it('follows bpf.hostLegacyRouting in both spellings', () => {
    const ids = (values: Record<string, unknown>) => enabledFeatures('1.17', values).map((feature) => feature.featureId);
    expect(ids({ ...KPR, bpf: { masquerade: true, hostLegacyRouting: true } })).not.toContain('host-routing');
    expect(ids({ ...KPR, bpf: { masquerade: true, hostLegacyRouting: 'true' } })).not.toContain('host-routing');
    const explicit = enabledFeatures('1.17', { ...KPR, bpf: { masquerade: true, hostLegacyRouting: false } }).find((feature) => feature.featureId === 'host-routing');
    expect(explicit!.paths).toEqual([['bpf', 'hostLegacyRouting']]);
    // With iptables masquerading and no BPF masquerading, host routing stays off.
    expect(ids(KPR)).not.toContain('host-routing');
    // With masquerading off entirely it needs no BPF masquerading.
    expect(ids({ ...KPR, enableIPv4Masquerade: false })).toContain('host-routing');
    // IPsec forces legacy routing up to 1.18 only.
    expect(ids({ ...HOST_ROUTING, encryption: { enabled: true } })).not.toContain('host-routing');
    expect(enabledFeatures('1.19', { ...HOST_ROUTING, encryption: { enabled: true } }).map((feature) => feature.featureId)).toContain('host-routing');
  });

  it('knows which kube-proxy replacement values each version accepts', () => {
    const has = (minor: string, values: Record<string, unknown>, id: string) => enabledFeatures(minor, values).some((feature) => feature.featureId === id);
    expect(has('1.15', { kubeProxyReplacement: 'strict' }, 'kube-proxy-replacement')).toBe(true);
    expect(has('1.16', { kubeProxyReplacement: 'strict' }, 'kube-proxy-replacement')).toBe(false);
    expect(has('1.18', { nodePort: { enabled: true } }, 'bpf-nodeport')).toBe(true);
    expect(has('1.19', { nodePort: { enabled: true } }, 'bpf-nodeport')).toBe(false);
    expect(has('1.19', { kubeProxyReplacement: 'false' }, 'bpf-nodeport')).toBe(false);
    expect(has('1.20', { kubeProxyReplacement: 'true' }, 'bpf-nodeport')).toBe(true);
  });

  it('treats `key: ~` like an unset key', () => {
    const ids = enabledFeatures('1.20', { bpf: { masquerade: null, enableTCX: null } }).map((feature) => feature.featureId);
    expect(ids).toContain('tcx');
    expect(ids).not.toContain('bpf-masquerade');
  });

  it('yields nothing for unsupported versions and survives odd values', () => {
    expect(enabledFeatures('1.13', KPR)).toEqual([]);
    expect(enabledFeatures('1.21', KPR)).toEqual([]);
    expect(enabledFeatures('latest', KPR)).toEqual([]);
    for (const values of [null, undefined, 42, 'text', [], [1, 2]]) {
      const ids = enabledFeatures('1.17', values).map((feature) => feature.featureId);
      // Only chart defaults remain: tunnel routing, iptables masquerading, L7 proxy, TCX.
      expect(ids).toEqual(['iptables-masquerade', 'tcx', 'vxlan-tunnel', 'l7-proxy']);
    }
  });

  it('accepts patch and v-prefixed versions', () => {
    expect(enabledFeatures('v1.17.3', KPR)).toEqual(enabledFeatures('1.17', KPR));
  });
});

describe('dependency chains', () => {
  const bbrValues = { ...HOST_ROUTING, bandwidthManager: { enabled: true, bbr: true } };

  it('BBR on a kernel with BBR support but without host routing support explains the chain', () => {
    // A probe with the BBR helper but without bpf_redirect_peer: host routing falls back, so BBR fails.
    const facts = pool('6.8.0-1015-aws', { probe: probeFixture('probe-6.8-lacks-redirect-peer.json') });
    const hostRouting = verdict('1.18', bbrValues, facts, 'host-routing')!;
    expect(hostRouting).toMatchObject({ status: 'falls-back', decidedBy: 'probe' });
    expect(hostRouting.has).toMatch(/bpf_redirect_peer/);
    const withHelper = { ...facts, probe: { ...facts.probe!, helpers: { ...facts.probe!.helpers, sched_cls: [...facts.probe!.helpers['sched_cls']!, 'bpf_skb_set_tstamp'] } } };
    const bbr = verdict('1.18', bbrValues, withHelper, 'bbr')!;
    expect(bbr).toMatchObject({ status: 'fails', decidedBy: 'dependency' });
    expect(bbr.chain).toContainEqual(expect.stringMatching(/^BBR congestion control for pods needs eBPF host routing, which falls back on pool pool: needs kernel ≥ 5\.10/));
    expect(bbr.chain.join('\n')).toMatch(/bpf_redirect_peer/);
  });

  it('BBR without kube-proxy replacement fails because host routing is off', () => {
    const values = { bandwidthManager: { enabled: true, bbr: true } };
    const bbr = verdict('1.17', values, pool('6.8'), 'bbr')!;
    expect(bbr).toMatchObject({ status: 'fails', decidedBy: 'dependency' });
    expect(bbr.chain.some((line) => /eBPF host routing, which these values do not turn on/.test(line))).toBe(true);
  });

  it('bbrHostNamespaceOnly (1.18+) drops the host-routing need', () => {
    const values = { bandwidthManager: { enabled: true, bbr: true, bbrHostNamespaceOnly: true } };
    expect(verdict('1.18', values, pool('6.8'), 'bbr')?.status).toBe('ok');
    expect(verdict('1.17', values, pool('6.8'), 'bbr')?.status).toBe('fails');
  });

  it('netkit needs host routing: explicit mode fails, auto falls back', () => {
    const explicit = verdict('1.20', { bpf: { datapathMode: 'netkit' } }, pool('6.8'), 'netkit')!;
    expect(explicit).toMatchObject({ status: 'fails', decidedBy: 'dependency' });
    const auto = verdict('1.20', { bpf: { datapathMode: 'auto' } }, pool('6.8'), 'netkit')!;
    expect(auto).toMatchObject({ status: 'falls-back', decidedBy: 'dependency' });
    const full = verdict('1.20', { ...KPR, bpf: { masquerade: true, datapathMode: 'netkit' } }, pool('6.8'), 'netkit')!;
    expect(full.status).toBe('ok');
    expect(full.chain).toEqual(expect.arrayContaining([expect.stringMatching(/netkit datapath needs eBPF host routing/), expect.stringMatching(/eBPF host routing needs BPF NodePort/)]));
  });

  it('a failing dependency is reported once per level, outermost first', () => {
    const values = { ...KPR, bpf: { masquerade: true }, bandwidthManager: { enabled: true, bbr: true } };
    const bbr = verdict('1.16', values, pool('5.4.0-91-generic'), 'bbr')!;
    expect(bbr.status).toBe('fails');
    expect(bbr.decidedBy).toBe('version');
    const hostRoutingLine = bbr.chain.findIndex((line) => /needs eBPF host routing, which falls back/.test(line));
    const nodePortLine = bbr.chain.findIndex((line) => /eBPF host routing needs BPF NodePort/.test(line));
    expect(hostRoutingLine).toBeGreaterThanOrEqual(0);
    expect(nodePortLine).toBeGreaterThan(hostRoutingLine);
  });
});

describe('probes decide over the version number', () => {
  const bbrValues = { ...HOST_ROUTING, bandwidthManager: { enabled: true, bbr: true } };

  it('a probe lacking the helper on a new kernel fails', () => {
    const withoutProbe = verdict('1.18', bbrValues, pool('6.8.0-1015-aws'), 'bbr')!;
    expect(withoutProbe).toMatchObject({ status: 'ok', decidedBy: 'version' });
    const withProbe = verdict('1.18', bbrValues, pool('6.8.0-1015-aws', { probe: probeFixture('probe-6.8-lacks-redirect-peer.json') }), 'bbr')!;
    expect(withProbe).toMatchObject({ status: 'fails', decidedBy: 'probe' });
    expect(withProbe.has).toMatch(/bpf_skb_set_tstamp \(sched_cls\)/);
  });

  it('a probe with the helper on an old RHEL kernel passes', () => {
    const rhel = '4.18.0-553.el8_10.x86_64';
    expect(verdict('1.19', bbrValues, pool(rhel), 'bbr')).toMatchObject({ status: 'fails', decidedBy: 'version' });
    const withProbe = verdict('1.19', bbrValues, pool(rhel, { probe: probeFixture('probe-rhel8-backports.json') }), 'bbr')!;
    expect(withProbe).toMatchObject({ status: 'ok', decidedBy: 'probe' });
    expect(verdict('1.19', { extraConfig: { 'multicast-enabled': 'true' } }, pool(rhel, { probe: probeFixture('probe-rhel8-backports.json') }), 'multicast')?.status).toBe('ok');
  });

  it('RHEL 8.6+ kernels count at their backported BPF level without a probe', () => {
    expect(verdict('1.18', HOST_ROUTING, pool('4.18.0-372.9.1.el8.x86_64'), 'host-routing')?.status).toBe('ok');
    expect(verdict('1.18', HOST_ROUTING, pool('4.18.0-348.7.1.el8_5.x86_64'), 'host-routing')?.status).toBe('falls-back');
    expect(verdict('1.18', HOST_ROUTING, pool('4.18.0-372.9.1.el8.x86_64'), 'host-routing')?.has).toMatch(/RHEL 8\.6, BPF level of 5\.10/);
    // el8 kernels without a minor in the suffix get it from the build table; el8_10 names it itself.
    expect(verdict('1.18', HOST_ROUTING, pool('4.18.0-477.10.1.el8_8.x86_64'), 'host-routing')?.has).toMatch(/RHEL 8\.8,/);
    expect(verdict('1.18', HOST_ROUTING, pool('4.18.0-305.el8.x86_64'), 'host-routing')?.has).toMatch(/RHEL 8\.4, BPF level of 4\.19\.57/);
  });

  it('an incomplete probe still consults the version (socket LB attach types are not in bpftool output)', () => {
    const facts = pool('5.0.21', { probe: probeFixture('probe-rhel8-backports.json') });
    expect(verdict('1.15', KPR, facts, 'socket-lb')).toMatchObject({ status: 'fails', decidedBy: 'version' });
  });

  it('old probes fail the large-program and netns-cookie checks', () => {
    const facts = pool('5.15.0-91-generic', { probe: probeFixture('probe-4.19-old.json') });
    expect(verdict('1.15', { ...HOST_ROUTING, egressGateway: { enabled: true } }, facts, 'egress-gateway')).toMatchObject({ status: 'fails', decidedBy: 'probe' });
    expect(verdict('1.17', { ...KPR, socketLB: { hostNamespaceOnly: true } }, facts, 'socket-lb-host-namespace-only')).toMatchObject({ status: 'falls-back', decidedBy: 'probe' });
  });
});

describe('CONFIG facts', () => {
  it('an unset required option counts even on a new kernel', () => {
    const values = { ...KPR, bpf: { masquerade: true, datapathMode: 'netkit' } };
    const facts = pool('6.8.0-1015-aws', { kernelConfig: { CONFIG_NETKIT: 'n' } });
    expect(verdict('1.18', values, facts, 'netkit')).toMatchObject({ status: 'fails', decidedBy: 'config', has: 'CONFIG_NETKIT is not set' });
  });

  it('per-option outcomes and version ranges apply', () => {
    const noSocketMatch = pool('6.1', { kernelConfig: { CONFIG_NETFILTER_XT_MATCH_SOCKET: 'n' } });
    expect(verdict('1.17', {}, noSocketMatch, 'l7-proxy')?.status).toBe('falls-back');
    const noTproxy = pool('6.1', { kernelConfig: { CONFIG_NETFILTER_XT_TARGET_TPROXY: 'n' } });
    expect(verdict('1.17', {}, noTproxy, 'l7-proxy')?.status).toBe('fails');
    const noComment = pool('6.1', { kernelConfig: { CONFIG_NETFILTER_XT_MATCH_COMMENT: 'n' } });
    expect(verdict('1.16', {}, noComment, 'iptables-masquerade')?.status).toBe('unknown');
    expect(verdict('1.17', {}, noComment, 'iptables-masquerade')?.status).toBe('fails');
  });

  it('config-only requirements are ok when every option is known, unknown otherwise', () => {
    const full = { CONFIG_VXLAN: 'y', CONFIG_FIB_RULES: 'y' } as const;
    expect(verdict('1.19', {}, pool('6.1', { kernelConfig: full }), 'vxlan-tunnel')).toMatchObject({ status: 'ok', decidedBy: 'config' });
    expect(verdict('1.19', {}, pool('6.1'), 'vxlan-tunnel')?.status).toBe('unknown');
    expect(verdict('1.19', { tunnelProtocol: 'geneve' }, pool('6.1', { kernelConfig: { CONFIG_GENEVE: 'n' } }), 'geneve-tunnel')?.status).toBe('fails');
  });

  it('uses probe CONFIG values only when the probe could read the config', () => {
    const values = { ipv6: { enabled: true } };
    // CONFIG_IPV6 is not among the options bpftool reports, so a probe never decides it.
    expect(verdict('1.18', values, pool('6.1', { probe: probeFixture('probe-rhel8-backports.json') }), 'ipv6')?.status).toBe('unknown');
    const unreadable = pool('6.1', { probe: probeFixture('probe-config-unreadable.json') });
    expect(verdict('1.18', { bpfClockProbe: true }, unreadable, 'bpf-clock-probe')).toMatchObject({ status: 'ok', decidedBy: 'version' });
    const readable = pool('6.1', { probe: probeFixture('probe-rhel8-backports.json') });
    expect(verdict('1.18', { bpfClockProbe: true }, readable, 'bpf-clock-probe')).toMatchObject({ status: 'ok', decidedBy: 'probe' });
  });
});

describe('several pools', () => {
  const values = { ...HOST_ROUTING, bandwidthManager: { enabled: true, bbr: true } };
  const pools: NodePoolFacts[] = [
    pool('6.8.0-1015-aws', {}, 'general'),
    pool('5.4.0-91-generic', {}, 'legacy'),
    pool('4.18.0-553.el8_10.x86_64', {}, 'rhel'),
    pool('5.10.223-212.873.amzn2.x86_64', {}, 'amazon'),
    pool('6.1.112+', {}, 'cos'),
    pool('5.14.21-150500.55.83-default', {}, 'suse'),
    pool('6.6.60-talos', {}, 'talos'),
    pool('6.1.0-26-amd64', {}, 'debian'),
  ];
  const expected: Record<string, { hostRouting: string; bbr: string }> = {
    general: { hostRouting: 'ok', bbr: 'ok' },
    legacy: { hostRouting: 'falls-back', bbr: 'fails' },
    rhel: { hostRouting: 'ok', bbr: 'fails' },
    amazon: { hostRouting: 'ok', bbr: 'fails' },
    cos: { hostRouting: 'ok', bbr: 'ok' },
    suse: { hostRouting: 'ok', bbr: 'fails' },
    talos: { hostRouting: 'ok', bbr: 'ok' },
    debian: { hostRouting: 'ok', bbr: 'ok' },
  };

  it.each(pools.map((facts) => [facts.name, facts] as const))('pool %s is judged on its own kernel', (name, facts) => {
    const verdicts = evaluatePool('1.17', values, facts);
    expect(verdicts.every((entry) => entry.pool === name)).toBe(true);
    expect(verdicts.find((entry) => entry.featureId === 'host-routing')?.status).toBe(expected[name]!.hostRouting);
    expect(verdicts.find((entry) => entry.featureId === 'bbr')?.status).toBe(expected[name]!.bbr);
    expect(verdicts.find((entry) => entry.featureId === 'bbr')?.has).toContain(facts.kernel!.raw);
  });

  it('gives unknown verdicts and no failures when no kernel is known', () => {
    const verdicts = evaluatePool('1.17', values, pool(undefined));
    expect(verdicts.length).toBeGreaterThan(0);
    for (const entry of verdicts) expect(['ok', 'unknown']).toContain(entry.status);
    expect(verdicts.find((entry) => entry.featureId === 'bbr')!.requirement).toMatch(/5\.18/);
  });
});

describe('base requirement', () => {
  const cases: { minor: string; kernel: string; status: string }[] = [
    { minor: '1.14', kernel: '4.4.0-210-generic', status: 'fails' },
    { minor: '1.14', kernel: '4.9.17', status: 'unsupported' },
    { minor: '1.14', kernel: '4.19.57', status: 'ok' },
    { minor: '1.15', kernel: '4.18.0-80.el8.x86_64', status: 'ok' },
    { minor: '1.16', kernel: '5.1.21', status: 'fails' },
    { minor: '1.16', kernel: '5.3.18', status: 'unsupported' },
    { minor: '1.16', kernel: '5.4.0-91-generic', status: 'ok' },
    { minor: '1.16', kernel: '4.18.0-348.el8.x86_64', status: 'fails' },
    { minor: '1.17', kernel: '4.18.0-372.9.1.el8.x86_64', status: 'ok' },
    { minor: '1.18', kernel: '5.4.0-91-generic', status: 'fails' },
    { minor: '1.18', kernel: '5.10.223-212.873.amzn2.x86_64', status: 'ok' },
    { minor: '1.18', kernel: '4.18.0-372.9.1.el8.x86_64', status: 'ok' },
    { minor: '1.19', kernel: '4.18.0-372.9.1.el8.x86_64', status: 'unsupported' },
    { minor: '1.19', kernel: '4.18.0-553.el8_10.x86_64', status: 'ok' },
    { minor: '1.20', kernel: '5.9.16', status: 'fails' },
    { minor: '1.20', kernel: '6.6.60-talos', status: 'ok' },
  ];
  it.each(cases)('Cilium $minor on $kernel → $status', ({ minor, kernel, status }) => {
    const result = evaluateBase(minor, pool(kernel))!;
    expect(result.status).toBe(status);
    expect(result.cilium).toBe(minor);
    if (status !== 'ok') expect(result.problems.length).toBeGreaterThan(0);
  });

  it('every base entry: below the enforced minimum fails, at the documented minimum passes', () => {
    for (const minor of ['1.14', '1.15', '1.16', '1.17', '1.18', '1.19', '1.20']) {
      const base = baseRequirement(minor)!;
      const enforced = parseKernelRelease(base.minKernel)!;
      const below = enforced.minor > 0 ? `${enforced.major}.${enforced.minor - 1}.0` : `${enforced.major - 1}.99.0`;
      expect(evaluateBase(minor, pool(below))!.status, `${minor} ${below}`).toBe('fails');
      expect(evaluateBase(minor, pool(base.docsMinKernel))!.status, `${minor} ${base.docsMinKernel}`).toBe('ok');
    }
  });

  it('uses the probe for the agent checks and CONFIG values from it', () => {
    const old = pool(undefined, { probe: probeFixture('probe-4.19-old.json') });
    const result = evaluateBase('1.18', old)!;
    expect(result).toMatchObject({ status: 'fails', decidedBy: 'probe' });
    expect(result.problems.join(' ')).toMatch(/bpf_redirect_neigh/);
    expect(result.problems.join(' ')).toMatch(/CONFIG_BPF_JIT is not set/);
    // Before 1.18 a missing CONFIG only makes the node unsupported, the agent still starts.
    expect(evaluateBase('1.15', pool('5.4', { probe: probeFixture('probe-4.19-old.json') }))!.status).toBe('unsupported');
    const rhelProbe = pool('4.18.0-553.el8_10.x86_64', { probe: probeFixture('probe-rhel8-backports.json') });
    expect(evaluateBase('1.20', rhelProbe)).toMatchObject({ status: 'ok', decidedBy: 'probe' });
  });

  it('is unknown without facts and undefined for unsupported versions', () => {
    expect(evaluateBase('1.18', pool(undefined))!.status).toBe('unknown');
    expect(evaluateBase('1.13', pool('5.10'))).toBeUndefined();
    expect(baseRequirement('1.21')).toBeUndefined();
    expect(baseRequirement('v1.19.6')!.cilium).toBe('1.19');
  });
});

describe('matrixTable', () => {
  it('lists the features of a version with their keys and needs', () => {
    const table = matrixTable('1.17');
    expect(table.cilium).toBe('1.17');
    expect(table.base!.requirement).toMatch(/5\.4/);
    const ids = table.rows.map((row) => row.featureId);
    expect(ids).toContain('netkit');
    expect(ids).not.toContain('srv6');
    expect(ids).not.toContain('sock-ops');
    const bbr = table.rows.find((row) => row.featureId === 'bbr')!;
    expect(bbr).toMatchObject({ minKernel: '5.18', belowMin: 'fail' });
    expect(bbr.enabledBy.join(' ')).toMatch(/bandwidthManager\.bbr/);
    expect(bbr.dependsOn).toEqual(['bandwidth-manager', 'host-routing']);
    expect(table.rows.every((row) => row.status === undefined)).toBe(true);
    const netkit = table.rows.find((row) => row.featureId === 'netkit')!;
    expect(netkit).toMatchObject({ minKernel: '6.7', docsMinKernel: '6.8' });
  });

  it('judges each row and the base against a kernel', () => {
    const table = matrixTable('1.17', '5.10');
    expect(table.base).toMatchObject({ status: 'ok', has: '5.10' });
    const status = (id: string) => table.rows.find((row) => row.featureId === id)!.status;
    expect(status('host-routing')).toBe('ok');
    expect(status('bbr')).toBe('fails');
    expect(status('ipv6-big-tcp')).toBe('falls-back');
    expect(status('host-firewall')).toBe('ok');
    expect(status('vxlan-tunnel')).toBe('unknown');
    const rhel = matrixTable('1.19', parseKernelRelease('4.18.0-372.9.1.el8.x86_64'));
    expect(rhel.base!.status).toBe('unsupported');
  });

  it('is empty for versions outside the matrix', () => {
    expect(matrixTable('1.12', '5.10').rows).toEqual([]);
    expect(matrixTable('nonsense').rows).toEqual([]);
  });
});
