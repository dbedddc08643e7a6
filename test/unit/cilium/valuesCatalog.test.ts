/**
 * Tests for the Cilium chart value catalog: version resolution, key lookup (known, commented,
 * free-form, unknown) at 1.14, 1.16 and 1.18+, suggestions, renames/removals with their
 * migrations, cross-value rules, and the consistency of the hand-written facts with the
 * generated catalogs. The last block reads the upstream chart files from ../shared and is
 * skipped (with a logged reason) when that folder is absent.
 */

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import {
  changesFor,
  childKeys,
  enumFor,
  evaluateCombinations,
  keyHistory,
  knownCiliumMinors,
  lookupValueKey,
  resolveCiliumChartVersion,
  suggestKey,
  valueFitsType,
} from '../../../core/src/cilium/valuesCatalog';
import { CILIUM_VALUE_CATALOGS, CILIUM_VALUE_CHANGES, CILIUM_VALUE_COMBINATIONS, CILIUM_VALUE_DESCRIPTIONS } from '../../../core/src/cilium/valuesCatalogData';
import { compareMinors } from '../../../core/src/cilium/chartVersion';
import type { ValuesCondition } from '../../../core/src/cilium/valuesCondition';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const p = (dotted: string) => dotted.split('.');
const ids = (findings: { id: string }[]) => findings.map((f) => f.id);

describe('known versions and version resolution', () => {
  it('lists every minor line from 1.14 to 1.20 in order', () => {
    expect(knownCiliumMinors()).toEqual(['1.14', '1.15', '1.16', '1.17', '1.18', '1.19', '1.20']);
  });

  it('takes exact versions as given, with or without a leading v', () => {
    for (const spec of ['1.16.3', 'v1.16.3']) {
      const resolved = resolveCiliumChartVersion(spec);
      expect(resolved).toMatchObject({ minor: '1.16', chartVersion: '1.16.3', how: 'exact' });
    }
  });

  it('picks the highest known version inside a range', () => {
    const newest16 = CILIUM_VALUE_CATALOGS['1.16'].chartVersion;
    expect(resolveCiliumChartVersion('1.16.x')).toMatchObject({ minor: '1.16', chartVersion: newest16, how: 'range' });
    expect(resolveCiliumChartVersion('~1.16')).toMatchObject({ minor: '1.16', chartVersion: newest16, how: 'range' });
    expect(resolveCiliumChartVersion('>=1.15 <1.17')).toMatchObject({ minor: '1.16', how: 'range' });
    expect(resolveCiliumChartVersion('<1.16.5')).toMatchObject({ minor: '1.16', chartVersion: '1.16.4', how: 'range' });
    expect(resolveCiliumChartVersion('*')).toMatchObject({ minor: '1.20', how: 'range' });
    expect(resolveCiliumChartVersion('>=1.15 <1.17').note).toContain('>=1.15 <1.17');
  });

  it('falls back to the newest line, with a note, when there is no usable version', () => {
    for (const spec of [undefined, '', 'latest-and-greatest']) {
      const resolved = resolveCiliumChartVersion(spec);
      expect(resolved.minor).toBe('1.20');
      expect(resolved.how).toBe('default');
      expect(resolved.note.length).toBeGreaterThan(10);
    }
    expect(resolveCiliumChartVersion('>=2.0')).toMatchObject({ minor: '1.20', how: 'range' });
  });

  it('clamps exact versions outside the known lines to the nearest catalog', () => {
    expect(resolveCiliumChartVersion('1.13.4')).toMatchObject({ minor: '1.14', chartVersion: '1.13.4', how: 'exact' });
    expect(resolveCiliumChartVersion('1.21.0')).toMatchObject({ minor: '1.20', chartVersion: '1.21.0', how: 'exact' });
  });
});

describe('key lookup', () => {
  it('knows keys that appear only as comments in values.yaml', () => {
    for (const minor of ['1.14', '1.16', '1.18', '1.20']) {
      for (const key of ['loadBalancer.mode', 'loadBalancer.algorithm', 'l2announcements.leaseDuration', 'socketLB.hostNamespaceOnly']) {
        const found = lookupValueKey(minor, p(key));
        expect(found.status, `${key} @ ${minor}`).toBe('commented');
        expect(found.info?.commented).toBe(true);
      }
    }
  });

  it('tracks kubeProxyReplacement from commented (before 1.18) to a real key', () => {
    expect(lookupValueKey('1.14', ['kubeProxyReplacement']).status).toBe('commented');
    expect(lookupValueKey('1.16', ['kubeProxyReplacement']).status).toBe('commented');
    expect(lookupValueKey('1.18', ['kubeProxyReplacement']).status).toBe('known');
    const history = keyHistory(['kubeProxyReplacement']);
    expect(history.map((h) => h.status)).toEqual(['commented', 'commented', 'commented', 'commented', 'known', 'known', 'known']);
  });

  it('knows tunnel in 1.14 only, and suggests its replacement afterwards', () => {
    expect(lookupValueKey('1.14', ['tunnel']).status).toBe('known');
    for (const minor of ['1.15', '1.16', '1.18', '1.20']) {
      expect(lookupValueKey(minor, ['tunnel']).status).toBe('unknown');
      expect(suggestKey(minor, ['tunnel'])[0]).toEqual({ path: 'routingMode', reason: 'renamed' });
    }
    expect(keyHistory(['tunnel']).filter((h) => h.status !== 'absent').map((h) => h.minor)).toEqual(['1.14']);
  });

  it('treats maps of arbitrary content as free-form', () => {
    expect(lookupValueKey('1.16', ['podAnnotations', 'example.com/anything']).status).toBe('free-form');
    expect(lookupValueKey('1.16', ['nodeSelector', 'kubernetes.io/os']).status).toBe('free-form');
    expect(lookupValueKey('1.18', ['hubble', 'relay', 'resources', 'limits', 'cpu']).status).toBe('free-form');
    expect(lookupValueKey('1.20', ['extraConfig', 'enable-ipsec']).status).toBe('free-form');
    expect(lookupValueKey('1.14', ['operator', 'podLabels', 'team']).status).toBe('free-form');
    expect(lookupValueKey('1.16', ['podAnnotations']).info?.mapOfAny).toBe(true);
  });

  it('reports typos as unknown and suggests the intended key', () => {
    for (const minor of ['1.14', '1.16', '1.18']) {
      expect(lookupValueKey(minor, ['hubble', 'realy', 'enabled']).status).toBe('unknown');
      expect(suggestKey(minor, ['hubble', 'realy', 'enabled'])).toContainEqual({ path: 'hubble.relay.enabled', reason: 'similar' });
      expect(suggestKey(minor, ['kubeproxyreplacement'])).toContainEqual({ path: 'kubeProxyReplacement', reason: 'similar' });
    }
    expect(suggestKey('1.16', ['routingMdoe'])[0]).toEqual({ path: 'routingMode', reason: 'similar' });
    expect(suggestKey('1.16', ['completelyUnrelatedKeyName'])).toEqual([]);
  });

  it('suggests renamed parents and renamed leaves', () => {
    expect(suggestKey('1.16', p('encryption.keyFile'))).toContainEqual({ path: 'encryption.ipsec.keyFile', reason: 'renamed' });
    expect(suggestKey('1.16', p('proxy.prometheus'))).toContainEqual({ path: 'envoy.prometheus', reason: 'renamed' });
    expect(suggestKey('1.18', ['enableCiliumEndpointSlice'])[0]).toEqual({ path: 'ciliumEndpointSlice.enabled', reason: 'renamed' });
  });

  it('lists child keys for completion, commented ones included', () => {
    const children = childKeys('1.16', ['loadBalancer']);
    const byPath = new Map(children.map((c) => [c.path, c]));
    expect(byPath.get('loadBalancer.mode')?.commented).toBe(true);
    expect(byPath.get('loadBalancer.acceleration')?.commented).toBeUndefined();
    expect(byPath.get('loadBalancer.mode')?.enum).toEqual(['snat', 'dsr', 'hybrid']);
    const top = childKeys('1.18', []).map((c) => c.path);
    expect(top).toContain('hubble');
    expect(top).toContain('kubeProxyReplacement');
    expect(top.every((key) => !key.includes('.'))).toBe(true);
  });

  it('carries types, defaults and our descriptions', () => {
    const host = lookupValueKey('1.16', ['k8sServicePort']).info!;
    expect(valueFitsType(host, 6443)).toBe(true);
    expect(valueFitsType(host, '6443')).toBe(true);
    expect(valueFitsType(host, [6443])).toBe(false);
    const hubble = lookupValueKey('1.18', p('hubble.enabled')).info!;
    expect(hubble.type).toBe('boolean');
    expect(hubble.default).toBe(true);
    expect(hubble.description).toBe(CILIUM_VALUE_DESCRIPTIONS['hubble.enabled']);
    expect(valueFitsType(hubble, 'yes')).toBe(false);
    expect(valueFitsType(hubble, null)).toBe(true);
  });

  it('never throws on odd input', () => {
    expect(lookupValueKey('not-a-version', ['hubble']).status).toBe('known');
    expect(lookupValueKey('1.16', []).status).toBe('unknown');
    expect(childKeys('1.16', ['no', 'such', 'key'])).toEqual([]);
    expect(changesFor('1.16', [], undefined)).toEqual([]);
    expect(evaluateCombinations('1.16', 'not an object')).toEqual([]);
    expect(evaluateCombinations('1.16', null)).toEqual([]);
  });
});

describe('enums by version', () => {
  it('follows the documented value sets', () => {
    expect(enumFor('1.14', ['bpf', 'datapathMode'])).toBeUndefined();
    expect(enumFor('1.16', p('bpf.datapathMode'))).toContain('netkit');
    expect(enumFor('1.16', p('bpf.datapathMode'))).not.toContain('auto');
    expect(enumFor('1.20', p('bpf.datapathMode'))).toContain('auto');
    expect(enumFor('1.14', ['kubeProxyReplacement'])).toContain('strict');
    expect(enumFor('1.16', ['kubeProxyReplacement'])).toEqual(['true', 'false', true, false]);
    expect(enumFor('1.18', ['routingMode'])).toEqual(['', 'tunnel', 'native']);
    expect(enumFor('1.15', p('loadBalancer.acceleration'))).not.toContain('best-effort');
    expect(enumFor('1.16', p('loadBalancer.acceleration'))).toContain('best-effort');
    expect(enumFor('1.18', p('encryption.type'))).not.toContain('ztunnel');
    expect(enumFor('1.20', p('encryption.type'))).toContain('ztunnel');
  });
});

describe('renamed, removed and re-typed values', () => {
  it('migrates kubeProxyReplacement: strict to true; an error from 1.16, a deprecation before', () => {
    for (const minor of ['1.16', '1.18', '1.20']) {
      const [change] = changesFor(minor, ['kubeProxyReplacement'], 'strict');
      expect(change).toMatchObject({ id: 'kpr-strict-disabled', severity: 'error', chartFails: true, state: 'removed' });
      expect(change.edits).toEqual([{ op: 'set', path: ['kubeProxyReplacement'], value: true }]);
    }
    const [old] = changesFor('1.14', ['kubeProxyReplacement'], 'disabled');
    expect(old).toMatchObject({ severity: 'warning', state: 'deprecated' });
    expect(old.edits).toEqual([{ op: 'set', path: ['kubeProxyReplacement'], value: false }]);
    expect(changesFor('1.16', ['kubeProxyReplacement'], true)).toEqual([]);
    expect(changesFor('1.16', ['kubeProxyReplacement'], 'true')).toEqual([]);
    const [partial] = changesFor('1.16', ['kubeProxyReplacement'], 'partial');
    expect(partial.edits).toBeUndefined();
    expect(partial.manual).toBeTruthy();
  });

  it('splits tunnel into routingMode and tunnelProtocol, with severity by chart version', () => {
    const [deprecated] = changesFor('1.14', ['tunnel'], 'vxlan');
    expect(deprecated).toMatchObject({ state: 'deprecated', severity: 'warning' });
    expect(deprecated.edits).toEqual([
      { op: 'unset', path: ['tunnel'] },
      { op: 'set', path: ['routingMode'], value: 'tunnel' },
      { op: 'set', path: ['tunnelProtocol'], value: 'vxlan' },
    ]);
    // 1.15.0 silently ignores the key; the late 1.15 patch in the catalog fails on it.
    expect(changesFor('1.15.0', ['tunnel'], 'geneve')[0]).toMatchObject({ state: 'removed', chartFails: false, severity: 'warning' });
    expect(changesFor('1.15', ['tunnel'], 'geneve')[0]).toMatchObject({ chartFails: true, severity: 'error' });
    const [native] = changesFor('1.18', ['tunnel'], 'disabled');
    expect(native).toMatchObject({ severity: 'error' });
    expect(native.edits).toEqual([{ op: 'unset', path: ['tunnel'] }, { op: 'set', path: ['routingMode'], value: 'native' }]);
    expect(changesFor('1.18', ['tunnel'], 'something-else')[0].edits).toBeUndefined();
  });

  it('moves IPsec settings under encryption.ipsec; ignored in 1.16, rejected from 1.17', () => {
    const [ignored] = changesFor('1.16', p('encryption.keyFile'), 'keys');
    expect(ignored).toMatchObject({ state: 'removed', chartFails: false, severity: 'warning' });
    expect(ignored.edits).toEqual([{ op: 'unset', path: ['encryption', 'keyFile'] }, { op: 'set', path: ['encryption', 'ipsec', 'keyFile'], value: 'keys' }]);
    expect(changesFor('1.17', p('encryption.keyFile'), 'keys')[0]).toMatchObject({ chartFails: true, severity: 'error' });
    expect(changesFor('1.14', p('encryption.keyFile'), 'keys')[0]).toMatchObject({ state: 'deprecated' });
  });

  it('applies type-dependent changes only to the old type', () => {
    expect(changesFor('1.16', ['bandwidthManager'], true)[0].edits).toEqual([
      { op: 'unset', path: ['bandwidthManager'] },
      { op: 'set', path: ['bandwidthManager', 'enabled'], value: true },
    ]);
    expect(changesFor('1.16', ['bandwidthManager'], { enabled: true })).toEqual([]);
    expect(changesFor('1.16', ['disableEndpointCRD'], 'false')[0].edits).toEqual([{ op: 'set', path: ['disableEndpointCRD'], value: false }]);
    expect(changesFor('1.16', ['disableEndpointCRD'], false)).toEqual([]);
    expect(changesFor('1.14', p('ipam.operator.clusterPoolIPv4PodCIDR'), '10.0.0.0/8')[0]).toMatchObject({
      severity: 'error',
      edits: [
        { op: 'unset', path: ['ipam', 'operator', 'clusterPoolIPv4PodCIDR'] },
        { op: 'set', path: ['ipam', 'operator', 'clusterPoolIPv4PodCIDRList'], value: ['10.0.0.0/8'] },
      ],
    });
  });

  it('does not report changes that lie in the future of the chart version', () => {
    expect(changesFor('1.14', ['enableCiliumEndpointSlice'], true)).toEqual([]);
    expect(changesFor('1.16', ['enableCiliumEndpointSlice'], true)[0]).toMatchObject({ state: 'deprecated', severity: 'warning' });
    expect(changesFor('1.18', ['enableCiliumEndpointSlice'], true)[0]).toMatchObject({ state: 'removed', severity: 'error' });
  });
});

describe('cross-value rules', () => {
  it('flags Hubble Relay without Hubble, at the key the user wrote', () => {
    const findings = evaluateCombinations('1.16', { hubble: { enabled: false, relay: { enabled: true } } });
    const relay = findings.find((f) => f.id === 'hubble-relay-requires-hubble');
    expect(relay).toMatchObject({ severity: 'error', reportAt: ['hubble', 'relay', 'enabled'] });
    expect(ids(evaluateCombinations('1.16', { hubble: { relay: { enabled: true } } }))).not.toContain('hubble-relay-requires-hubble');
    // Go templates treat the string "false" as true, so the chart does not fail here.
    expect(ids(evaluateCombinations('1.16', { hubble: { enabled: 'false', relay: { enabled: true } } }))).not.toContain('hubble-relay-requires-hubble');
  });

  it('flags Hubble UI without Relay unless the UI runs standalone', () => {
    expect(ids(evaluateCombinations('1.14', { hubble: { ui: { enabled: true } } }))).toContain('hubble-ui-requires-relay');
    expect(ids(evaluateCombinations('1.14', { hubble: { ui: { enabled: true }, relay: { enabled: true } } }))).not.toContain('hubble-ui-requires-relay');
    expect(ids(evaluateCombinations('1.18', { hubble: { ui: { enabled: true, standalone: { enabled: true } } } }))).not.toContain('hubble-ui-requires-relay');
  });

  it('checks Ingress/Gateway API prerequisites', () => {
    const noProxy = evaluateCombinations('1.16', { ingressController: { enabled: true }, l7Proxy: false, kubeProxyReplacement: true, k8sServiceHost: 'api', k8sServicePort: 6443 });
    expect(ids(noProxy)).toEqual(['ingress-gateway-need-l7-proxy']);
    expect(noProxy[0].reportAt).toEqual(['l7Proxy']);
    expect(ids(evaluateCombinations('1.15', { gatewayAPI: { enabled: true }, kubeProxyReplacement: 'disabled' }))).toContain('envoy-frontends-need-explicit-kpr');
    expect(ids(evaluateCombinations('1.18', { gatewayAPI: { enabled: true } }))).toContain('ingress-gateway-without-kpr');
    const fine = evaluateCombinations('1.18', { gatewayAPI: { enabled: true }, kubeProxyReplacement: true, k8sServiceHost: 'api.example', k8sServicePort: 6443 });
    expect(fine).toEqual([]);
  });

  it('warns when kube-proxy replacement has no API server address', () => {
    expect(evaluateCombinations('1.16', { kubeProxyReplacement: true })).toEqual([
      expect.objectContaining({ id: 'kpr-without-api-server-address', severity: 'warning', reportAt: ['kubeProxyReplacement'] }),
    ]);
    expect(evaluateCombinations('1.16', { kubeProxyReplacement: 'true', k8sServiceHost: 'auto' })).toEqual([]);
    expect(evaluateCombinations('1.18', { kubeProxyReplacement: true, k8sServiceHostRef: { name: 'api', key: 'host' } })).toEqual([]);
  });

  it('requires a native routing CIDR: a warning before 1.18, an error after', () => {
    const values = { routingMode: 'native' };
    expect(evaluateCombinations('1.16', values)).toEqual([expect.objectContaining({ id: 'native-routing-without-ipv4-cidr', severity: 'warning' })]);
    expect(evaluateCombinations('1.18', values)).toEqual([expect.objectContaining({ id: 'native-routing-without-ipv4-cidr', severity: 'error', reportAt: ['routingMode'] })]);
    expect(evaluateCombinations('1.18', { ...values, ipv4NativeRoutingCIDR: '10.0.0.0/8' })).toEqual([]);
    expect(evaluateCombinations('1.18', { ...values, ipam: { mode: 'eni' }, eni: { enabled: true } })).toEqual([]);
    expect(evaluateCombinations('1.18', { ...values, enableIPv4Masquerade: false })).toEqual([]);
    expect(ids(evaluateCombinations('1.14', { tunnel: 'disabled' }))).toEqual(['native-routing-without-ipv4-cidr']);
    // From 1.18 the chart leaves enableIPv4Masquerade empty, meaning on (except in ENI mode).
    expect(ids(evaluateCombinations('1.20', { routingMode: 'native', enableIPv4Masquerade: null }))).toEqual(['native-routing-without-ipv4-cidr']);
    const egress = { egressGateway: { enabled: true }, bpf: { masquerade: true }, kubeProxyReplacement: true, k8sServiceHost: 'api', k8sServicePort: 6443 };
    expect(evaluateCombinations('1.18', egress)).toEqual([]);
    expect(ids(evaluateCombinations('1.18', { ...egress, enableIPv4Masquerade: false }))).toEqual(['egress-gateway-requires-bpf-masquerade']);
  });

  it('rejects netkit with bpf.tproxy (an error from 1.20) and WireGuard with IPsec', () => {
    const netkit = { bpf: { datapathMode: 'netkit', tproxy: true, masquerade: true }, kubeProxyReplacement: true, k8sServiceHost: 'api', k8sServicePort: 6443 };
    expect(evaluateCombinations('1.20', netkit)).toEqual([expect.objectContaining({ id: 'netkit-with-tproxy', severity: 'error', reportAt: ['bpf', 'tproxy'] })]);
    expect(evaluateCombinations('1.16', netkit)).toEqual([expect.objectContaining({ id: 'netkit-with-tproxy', severity: 'warning' })]);
    expect(evaluateCombinations('1.14', netkit)).toEqual([]);
    const both = evaluateCombinations('1.18', { encryption: { enabled: true, type: 'wireguard' }, extraConfig: { 'enable-ipsec': 'true' } });
    expect(both).toEqual([expect.objectContaining({ id: 'wireguard-with-ipsec', severity: 'error', reportAt: ['extraConfig', 'enable-ipsec'] })]);
    expect(evaluateCombinations('1.18', { encryption: { enabled: true, type: 'wireguard' } })).toEqual([]);
  });

  it('validates cluster.name from 1.16 on', () => {
    for (const name of ['Prod', 'a'.repeat(33), 'ends-with-', '']) {
      expect(ids(evaluateCombinations('1.16', { cluster: { name } })), name).toContain('cluster-name-invalid');
      expect(ids(evaluateCombinations('1.15', { cluster: { name } })), name).not.toContain('cluster-name-invalid');
    }
    expect(evaluateCombinations('1.16', { cluster: { name: 'prod-eu-1', id: 3 } })).toEqual([]);
    expect(ids(evaluateCombinations('1.16', { cluster: { id: 3 } }))).toEqual(['cluster-name-default-with-id']);
    // Flux post-build substitution fills this in later; nothing can be decided yet.
    expect(evaluateCombinations('1.20', { cluster: { name: '${CLUSTER_NAME}', id: 1 } })).toEqual([]);
  });

  it('rejects k8sServiceHost together with k8sServiceHostRef from 1.18', () => {
    const values = { k8sServiceHost: 'api', k8sServiceHostRef: { name: 'cm', key: 'host' } };
    expect(evaluateCombinations('1.18', values)).toEqual([expect.objectContaining({ id: 'k8s-service-host-and-ref', reportAt: ['k8sServiceHostRef'] })]);
  });

  it('fires no rule on chart defaults, for any version', () => {
    for (const minor of knownCiliumMinors()) expect(evaluateCombinations(minor, {}), minor).toEqual([]);
  });
});

describe('hand-written facts agree with the generated catalogs', () => {
  const minors = knownCiliumMinors();
  const inRange = (minor: string, from: string, to?: string) => compareMinors(minor, from) >= 0 && (!to || compareMinors(minor, to) <= 0);
  const enums = JSON.parse(fs.readFileSync(path.join(repoRoot, 'schemas', 'cilium-values', 'enums.json'), 'utf8')).enums as Record<string, { from: string; to?: string; values: unknown[] }[]>;

  it('every enum key exists in its versions and contains the chart default', () => {
    for (const [dotted, ranges] of Object.entries(enums)) {
      for (const range of ranges) {
        for (const minor of minors.filter((m) => inRange(m, range.from, range.to))) {
          const entry = CILIUM_VALUE_CATALOGS[minor].keys[dotted];
          expect(entry, `${dotted} @ ${minor}`).toBeDefined();
          const fallback = entry.default;
          if (fallback !== undefined && fallback !== null && typeof fallback !== 'object') expect(range.values, `${dotted} @ ${minor}`).toContain(fallback);
        }
      }
    }
  });

  it('removed keys are absent from charts at and after their removal, and rename targets exist', () => {
    for (const change of CILIUM_VALUE_CHANGES) {
      if (change.removedIn && (change.kind === 'removed' || change.kind === 'renamed')) {
        for (const minor of minors.filter((m) => compareMinors(m, change.removedIn!) >= 0)) {
          expect(CILIUM_VALUE_CATALOGS[minor].keys[change.path], `${change.id} @ ${minor}`).toBeUndefined();
        }
      }
      const replacement = change.replacement;
      if (replacement && 'to' in replacement) {
        const since = change.deprecatedIn ?? change.removedIn!;
        for (const minor of minors.filter((m) => compareMinors(m, since) >= 0)) {
          expect(CILIUM_VALUE_CATALOGS[minor].keys[replacement.to], `${change.id} → ${replacement.to} @ ${minor}`).toBeDefined();
        }
      }
    }
  });

  it('every path a rule or description names exists in some catalog', () => {
    const everywhere = new Set(minors.flatMap((m) => Object.keys(CILIUM_VALUE_CATALOGS[m].keys)));
    const conditionPaths = (c: ValuesCondition): string[] => {
      if ('all' in c) return c.all.flatMap(conditionPaths);
      if ('any' in c) return c.any.flatMap(conditionPaths);
      if ('not' in c) return conditionPaths(c.not);
      if (!('path' in c)) return [];
      return [Array.isArray(c.path) ? c.path.join('.') : c.path];
    };
    for (const rule of CILIUM_VALUE_COMBINATIONS) {
      for (const dotted of [...conditionPaths(rule.when), ...rule.reportAt]) {
        if (dotted.startsWith('extraConfig.')) continue; // free-form by design
        expect(everywhere.has(dotted), `${rule.id}: ${dotted}`).toBe(true);
      }
    }
    for (const dotted of Object.keys(CILIUM_VALUE_DESCRIPTIONS)) expect(everywhere.has(dotted), dotted).toBe(true);
    expect(Object.keys(CILIUM_VALUE_DESCRIPTIONS).length).toBeGreaterThanOrEqual(120);
  });

  it('records the chart version of every catalog', () => {
    for (const minor of minors) expect(CILIUM_VALUE_CATALOGS[minor].chartVersion.startsWith(minor + '.')).toBe(true);
  });
});

// Upstream chart files live next to the repository (../shared, resolved from the repo root).
const sharedCilium = path.resolve(repoRoot, '..', 'shared', 'upstream', 'cilium');
const hasShared = fs.existsSync(sharedCilium);
if (!hasShared) console.warn(`skipping upstream chart checks: ${sharedCilium} not found (needs ../shared/upstream/cilium next to the repo)`);

describe.skipIf(!hasShared)('generated catalogs match the upstream chart files (../shared)', () => {
  it('gen-cilium-values.mjs --check passes', () => {
    const output = execFileSync(process.execPath, [path.join(repoRoot, 'scripts', 'gen-cilium-values.mjs'), sharedCilium, '--check'], { encoding: 'utf8' });
    expect(output).toContain('up to date');
  });

  it('each catalog covers every key path of its chart values.yaml', () => {
    const versions = fs.readdirSync(sharedCilium).filter((v) => /^\d+\.\d+\.\d+$/.test(v));
    expect(versions.length).toBeGreaterThanOrEqual(7);
    for (const version of versions) {
      const minor = version.split('.').slice(0, 2).join('.');
      const catalog = CILIUM_VALUE_CATALOGS[minor];
      if (catalog.chartVersion !== version) continue;
      const values = load(fs.readFileSync(path.join(sharedCilium, version, 'chart', 'values.yaml'), 'utf8')) as Record<string, unknown>;
      for (const key of Object.keys(values)) {
        expect(catalog.keys[key], `${key} @ ${version}`).toBeDefined();
        expect(catalog.keys[key].commented, `${key} @ ${version}`).toBeUndefined();
      }
      // Nested keys too: every real path resolves to known or free-form.
      const walk = (node: unknown, prefix: string[]) => {
        if (node === null || typeof node !== 'object' || Array.isArray(node)) return;
        for (const [key, child] of Object.entries(node as Record<string, unknown>)) {
          const keyPath = [...prefix, key];
          const status = lookupValueKey(minor, keyPath).status;
          expect(['known', 'free-form'], `${keyPath.join('.')} @ ${version}`).toContain(status);
          if (status === 'known') walk(child, keyPath);
        }
      };
      walk(values, []);
    }
  });
});
