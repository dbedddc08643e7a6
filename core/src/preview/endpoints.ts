/**
 * What `simulate`, `effective`, `meshlens test` and flow replay accept as the
 * two ends of a connection, and how each end is found:
 * - `namespace/name` (or a bare unambiguous `name`): a workload of the preview
 *   index (declared, written in a `Workloads` document, or inferred);
 * - `namespace/key=value[,key=value…]`: a label set — a pod of that namespace
 *   with exactly those labels (service account from `serviceaccount=`/
 *   `io.cilium.k8s.policy.serviceaccount=`, else `default`), so a query never
 *   needs a Deployment;
 * - a Cilium entity (`world`, `host`, `cluster`, `remote-node`,
 *   `kube-apiserver`, `ingress`, `health`, `init`, `unmanaged`), an IP or CIDR
 *   (`10.0.0.5`, `192.168.0.0/16`), or a DNS name (`api.github.com`): an end
 *   outside the pod network, which Cilium knows by reserved identity, CIDR or
 *   FQDN and which has no policy of its own.
 * An unknown `namespace/name` is an error that lists the nearest names and says
 * why nothing matched. Pure; never throws.
 */

import { dnsNameMatcher, dnsPatternMatcher } from '../policy/dnsPatterns';
import type { K8sIndex, WorkloadInfo } from '../policy/k8sIndex';
import type { WorkspaceModel } from '../workspace/model';
import { minorAtLeast } from '../policy/ciliumContext';
import type { CiliumPeer } from './model';
import { nearWorkloadNames } from './workloads/nearMatches';
import { previewIndex } from './workloads/previewIndex';
import type { PreviewWorkload } from './workloads/inferredWorkloads';

export const ENTITIES = ['world', 'world-ipv4', 'world-ipv6', 'host', 'cluster', 'remote-node', 'kube-apiserver', 'ingress', 'health', 'init', 'unmanaged'] as const;

/** An end outside the pod network. */
export type ExternalEnd =
  | { kind: 'entity'; entity: string }
  | { kind: 'cidr'; cidr: string }
  | { kind: 'fqdn'; name: string }
  /** One identity known several ways (a recorded world address with its DNS names): a peer covers it when it covers any of them. */
  | { kind: 'identity'; ends: ExternalEnd[] };

export type ResolvedEnd =
  | { kind: 'workload'; workload: WorkloadInfo; text: string; labelSet: boolean }
  | { kind: 'external'; external: ExternalEnd; text: string }
  | { kind: 'error'; error: string };

const LABEL_SET = /^([^/\s=]+)\/([^=\s]+=[^,\s]*(,[^=\s]+=[^,\s]*)*)$/;
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(\/\d{1,2})?$/;
const IPV6 = /^[0-9a-fA-F:]*:[0-9a-fA-F:.]*(\/\d{1,3})?$/;
const DNS_NAME = /^(?=.{1,253}$)([a-zA-Z0-9_]([-a-zA-Z0-9_]*[a-zA-Z0-9_])?\.)+[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?\.?$/;
const SERVICE_ACCOUNT_KEYS = ['serviceaccount', 'io.cilium.k8s.policy.serviceaccount'];

export function resolveEnd(workspace: WorkspaceModel, text: string): ResolvedEnd {
  const value = text.trim();
  const index = previewIndex(workspace);
  if ((ENTITIES as readonly string[]).includes(value)) return { kind: 'external', external: { kind: 'entity', entity: value }, text: value };
  if (IPV4.test(value) || (IPV6.test(value) && value.includes(':'))) {
    if (parseCidr(value) === undefined) return { kind: 'error', error: `"${value}" is not a valid IP address or CIDR` };
    return { kind: 'external', external: { kind: 'cidr', cidr: value }, text: value };
  }
  const labelSet = LABEL_SET.exec(value);
  if (labelSet) return labelSetEnd(labelSet[1], labelSet[2], index);
  if (value.includes('/')) {
    const slash = value.indexOf('/');
    const workload = index.workload(value.slice(0, slash), value.slice(slash + 1));
    if (workload) return { kind: 'workload', workload, text: `${workload.namespace}/${workload.name}`, labelSet: false };
    return { kind: 'error', error: unknownWorkload(value, index) };
  }
  const byName = index.workloads.filter((workload) => workload.name === value);
  if (byName.length === 1) return { kind: 'workload', workload: byName[0], text: `${byName[0].namespace}/${byName[0].name}`, labelSet: false };
  if (byName.length > 1) return { kind: 'error', error: `"${value}" names workloads in several namespaces (${byName.map((workload) => workload.namespace).join(', ')}); write namespace/name` };
  if (DNS_NAME.test(value) && value.includes('.')) return { kind: 'external', external: { kind: 'fqdn', name: value.replace(/\.$/, '').toLowerCase() }, text: value };
  return { kind: 'error', error: unknownWorkload(value, index) };
}

function labelSetEnd(namespace: string, labelText: string, index: K8sIndex): ResolvedEnd {
  const podLabels: Record<string, string> = {};
  let serviceAccount = 'default';
  for (const pair of labelText.split(',')) {
    const equals = pair.indexOf('=');
    const key = pair.slice(0, equals).replace(/^k8s:/, '');
    const value = pair.slice(equals + 1);
    if (SERVICE_ACCOUNT_KEYS.includes(key)) serviceAccount = value;
    else podLabels[key] = value;
  }
  const text = `${namespace}/${labelText}`;
  void index;
  return { kind: 'workload', workload: labelSetWorkload(namespace, podLabels, serviceAccount, labelText, 'the query'), text, labelSet: true };
}

/** A pod that no document declares, known by its namespace, labels and service account (a query, a recorded flow). */
export function labelSetWorkload(namespace: string, podLabels: Record<string, string>, serviceAccount: string, labelText: string, from: string): PreviewWorkload {
  return {
    kind: 'Pod',
    name: `{${labelText}}`,
    namespace,
    namespaceOrigin: 'metadata',
    labels: {},
    podLabels,
    serviceAccountName: serviceAccount,
    source: { file: '', document: 0, start: 0, end: 0, documentStart: 0, documentEnd: 0 },
    origin: { inferred: false, from, how: `a pod of ${namespace} labelled ${labelText}` },
  };
}

function unknownWorkload(value: string, index: K8sIndex): string {
  const slash = value.indexOf('/');
  const namespace = slash === -1 ? undefined : value.slice(0, slash);
  const near = nearWorkloadNames(value, index);
  const inNamespace = namespace !== undefined ? index.workloadsIn(namespace).length : undefined;
  const why =
    namespace === undefined
      ? 'no workload, entity, IP/CIDR or DNS name by that name'
      : inNamespace === 0
        ? `the repository declares or implies no workload in namespace ${namespace}`
        : `none of the ${inNamespace} workloads of ${namespace} (declared, inferred from HelmReleases/Gateways, or in Workloads documents) is named ${value.slice(slash + 1)}`;
  const hint = near.length > 0 ? `; near: ${near.join(', ')}` : '';
  return `unknown workload "${value}": ${why}${hint} (or give a label set: namespace/key=value, an entity such as world, a CIDR or a DNS name)`;
}

// ---------------------------------------------------------------- does a Cilium peer cover an external end?

export function peerCoversExternal(peer: CiliumPeer, end: ExternalEnd, ciliumMinor: string): boolean {
  if (end.kind === 'identity') return end.ends.some((each) => peerCoversExternal(peer, each, ciliumMinor));
  switch (peer.kind) {
    case 'any':
      return true;
    case 'entity':
      return entityCovers(peer.entity, end);
    case 'endpoints': {
      // `reserved:<entity>` selectors name reserved identities.
      if (!peer.reserved || end.kind !== 'entity') return false;
      const keys = Object.keys(peer.selector.matchLabels ?? {});
      return keys.some((key) => key === `reserved:${end.entity}` || (key === 'reserved:world' && end.entity.startsWith('world')));
    }
    case 'cidr':
      if (end.kind !== 'cidr') return false;
      return cidrContains(peer.cidr, end.cidr) && !peer.except.some((except) => cidrOverlaps(except, end.cidr));
    case 'fqdn':
      if (end.kind !== 'fqdn') return false;
      if (peer.matchName !== undefined) return dnsNameMatcher(peer.matchName).matches(end.name);
      if (peer.matchPattern !== undefined) return dnsPatternMatcher(peer.matchPattern, minorAtLeast(ciliumMinor, '1.19')).matches(end.name);
      return false;
    default:
      return false;
  }
}

/** Cilium's entity sets: `all` everything; `world` the outside (CIDRs and DNS names); `cluster` the reserved in-cluster identities and pods. */
function entityCovers(entity: string, end: ExternalEnd): boolean {
  if (entity === 'all') return true;
  const outside = end.kind === 'cidr' || end.kind === 'fqdn' || (end.kind === 'entity' && end.entity.startsWith('world'));
  if (entity === 'world') return outside;
  if (entity === 'world-ipv4') return end.kind === 'cidr' ? !end.cidr.includes(':') : outside && !(end.kind === 'entity' && end.entity === 'world-ipv6');
  if (entity === 'world-ipv6') return end.kind === 'cidr' ? end.cidr.includes(':') : outside && !(end.kind === 'entity' && end.entity === 'world-ipv4');
  if (end.kind !== 'entity') return false;
  if (entity === 'cluster') return ['host', 'remote-node', 'init', 'ingress', 'health', 'unmanaged', 'kube-apiserver', 'cluster'].includes(end.entity);
  return entity === end.entity;
}

// ---------------------------------------------------------------- CIDRs

interface ParsedCidr {
  family: 4 | 6;
  base: bigint;
  prefix: number;
}

export function parseCidr(text: string): ParsedCidr | undefined {
  const [address, prefixText] = text.split('/');
  const v4 = IPV4.exec(address);
  if (v4) {
    const parts = v4.slice(1, 5).map(Number);
    if (parts.some((part) => part > 255)) return undefined;
    const prefix = prefixText === undefined ? 32 : Number(prefixText);
    if (!Number.isInteger(prefix) || prefix < 0 || prefix > 32) return undefined;
    const value = parts.reduce((acc, part) => (acc << 8n) | BigInt(part), 0n);
    return { family: 4, base: mask(value, prefix, 32), prefix };
  }
  const value = parseIpv6(address);
  if (value === undefined) return undefined;
  const prefix = prefixText === undefined ? 128 : Number(prefixText);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > 128) return undefined;
  return { family: 6, base: mask(value, prefix, 128), prefix };
}

function parseIpv6(text: string): bigint | undefined {
  if (!/^[0-9a-fA-F:]+$/.test(text) || text.split('::').length > 2) return undefined;
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const missing = 8 - headGroups.length - tailGroups.length;
  if (tail === undefined ? missing !== 0 : missing < 1) return undefined;
  const groups = [...headGroups, ...Array<string>(tail === undefined ? 0 : missing).fill('0'), ...tailGroups];
  if (groups.some((group) => !/^[0-9a-fA-F]{1,4}$/.test(group))) return undefined;
  return groups.reduce((acc, group) => (acc << 16n) | BigInt(parseInt(group, 16)), 0n);
}

function mask(value: bigint, prefix: number, bits: number): bigint {
  const hostBits = BigInt(bits - prefix);
  return (value >> hostBits) << hostBits;
}

/** Does `outer` contain all of `inner`? */
export function cidrContains(outer: string, inner: string): boolean {
  const a = parseCidr(outer);
  const b = parseCidr(inner);
  if (!a || !b || a.family !== b.family || a.prefix > b.prefix) return false;
  return mask(b.base, a.prefix, a.family === 4 ? 32 : 128) === a.base;
}

function cidrOverlaps(a: string, b: string): boolean {
  return cidrContains(a, b) || cidrContains(b, a);
}
