/**
 * The Cilium half of a workload's effective policy, and the questions asked
 * of it ("is peer R allowed on port P, and with which L7 rules?").
 *
 * Per direction: the specs whose subject selects the workload; default-deny
 * when a selecting spec has a section for the direction and does not turn
 * `enableDefaultDeny` off; the union of their allows and denies. Deny wins over
 * any allow. Per port, L7 rules restrict a peer only when every allow covering
 * that peer on that port carries L7 rules: one L3/L4-only allow (any selector
 * that covers the peer, including a wildcard) makes the peer unrestricted at
 * L7 there, and the model records which rule did it.
 *
 * Pure; never throws.
 */

import type { K8sIndex, WorkloadInfo } from '../policy/k8sIndex';
import { ciliumSelectorMatches, subjectMatches, workloadId, type CiliumPolicyIndex } from './ciliumIndex';
import type { CiliumAllowEntry, CiliumDenyEntry, CiliumDirectionView, CiliumPeer, CiliumPort, CiliumView, EffectiveNote, HttpRuleView, SourceRef } from './model';
import { shortLocation } from './sources';
import { appendAll } from '../util/appendAll';
import { countExamined, PeerBuckets, peerCoverage, PortBuckets, PortPeerIndex } from './ciliumEntryIndex';

const specsByNamespace = new WeakMap<CiliumPolicyIndex, Map<string | undefined, CiliumPolicyIndex['specs']>>();

/** Specs that can select a workload of `namespace`: that namespace's CNPs and every clusterwide policy, in index order. */
function candidateSpecs(policies: CiliumPolicyIndex, namespace: string): CiliumPolicyIndex['specs'] {
  let byNamespace = specsByNamespace.get(policies);
  if (!byNamespace) {
    byNamespace = new Map();
    for (const spec of policies.specs) {
      const key = spec.subject?.namespace;
      const list = byNamespace.get(key) ?? [];
      list.push(spec);
      byNamespace.set(key, list);
    }
    specsByNamespace.set(policies, byNamespace);
  }
  const scoped = byNamespace.get(namespace) ?? [];
  const clusterwide = byNamespace.get(undefined) ?? [];
  if (clusterwide.length === 0) return scoped;
  const order = new Map(policies.specs.map((spec, position) => [spec, position]));
  return [...scoped, ...clusterwide].sort((a, b) => order.get(a)! - order.get(b)!);
}

export function ciliumViewFor(workload: WorkloadInfo, policies: CiliumPolicyIndex, index: K8sIndex): CiliumView {
  const selecting = candidateSpecs(policies, workload.namespace).filter((spec) => subjectMatches(spec.subject, workload, index));
  const direction = (name: 'ingress' | 'egress'): CiliumDirectionView => {
    const view: CiliumDirectionView = { direction: name, selectedBy: [], defaultDeny: false, defaultDenyBy: [], defaultDenyDisabledBy: [], allows: [], denies: [], notes: [] };
    for (const spec of selecting) {
      const sections = spec.sections.filter((section) => section.direction === name);
      if (sections.length === 0) continue;
      if (spec.notInForce) {
        // A refused policy selects the workload on paper only: it allows and denies nothing.
        view.notes.push({ kind: 'not-in-force', message: `${spec.label} is not in force: ${spec.notInForce.reason}`, at: spec.source, because: spec.notInForce.at });
        continue;
      }
      view.selectedBy.push(spec.source);
      if (spec.enableDefaultDeny[name] === false) appendAll(view.defaultDenyDisabledBy, sections.map((section) => section.source));
      else appendAll(view.defaultDenyBy, sections.map((section) => section.source));
      appendAll(view.allows, spec.allows.filter((allow) => allow.direction === name).map((allow) => allow.entry));
      appendAll(view.denies, spec.denies.filter((deny) => deny.direction === name).map((deny) => deny.entry));
      for (const inert of spec.inert.filter((candidate) => candidate.direction === name)) view.notes.push({ kind: 'info', message: inert.reason, at: inert.source });
    }
    view.defaultDeny = view.defaultDenyBy.length > 0;
    if (!view.defaultDeny && view.defaultDenyDisabledBy.length > 0) {
      view.notes.push({ kind: 'not-default-deny', message: `every selecting rule sets enableDefaultDeny.${name}: false, so traffic no rule allows still flows` });
    }
    appendAll(appendAll(view.notes, widenings(view, index)), overrides(view, index));
    return view;
  };
  return { minor: policies.minor, ingress: direction('ingress'), egress: direction('egress') };
}

// ---------------------------------------------------------------- peers and ports

/** Does the peer cover this workload's identity? */
export function peerCoversWorkload(peer: CiliumPeer, workload: WorkloadInfo, index: K8sIndex): boolean {
  switch (peer.kind) {
    case 'any':
      return true;
    case 'entity':
      return peer.entity === 'all' || peer.entity === 'cluster';
    case 'endpoints':
      if (peer.reserved) return false;
      if (peer.namespace !== undefined && peer.namespace !== workload.namespace) return false;
      return ciliumSelectorMatches(peer.selector, workload, index);
    default:
      return false;
  }
}

/** Peers both cover: `*` (everything), ids, or nothing. Same non-workload peers (a CIDR twice) overlap on their text. */
function peerOverlap(a: CiliumPeer, b: CiliumPeer): string[] | '*' {
  const left = peerCoverage(a);
  const right = peerCoverage(b);
  if (left === '*' && right === '*') return '*';
  if (left === '*') return right.length > 0 ? right : a.kind === b.kind && a.text === b.text ? [b.text] : [];
  if (right === '*') return left.length > 0 ? left : [a.text];
  const shared = left.filter((id) => right.includes(id));
  if (shared.length > 0) return shared;
  return a.kind === b.kind && a.text === b.text && a.kind !== 'none' ? [a.text] : [];
}

const PROTOCOLS_OF_ANY = ['TCP', 'UDP', 'SCTP'];

function protocolCovers(rule: string, wanted: string): boolean {
  const want = wanted.toUpperCase();
  return rule === want || (rule === 'ANY' && (PROTOCOLS_OF_ANY.includes(want) || want === 'ANY'));
}

/**
 * Does a port spec cover a concrete port? Port 0/empty = every port; a range
 * covers its span; a named port covers the number it resolves to (the
 * destination pod's container port), or the same name.
 */
export function portCovers(port: CiliumPort, wanted: number | string, protocol: string, namedPorts: Record<string, number> = {}): boolean {
  if (!protocolCovers(port.protocol, protocol)) return false;
  if (port.port === '' || port.port === '0') return true;
  if (/^\d+$/.test(port.port)) {
    const start = Number(port.port);
    const end = port.endPort ?? start;
    const value = typeof wanted === 'number' ? wanted : namedPorts[wanted];
    return value !== undefined && value >= start && value <= end;
  }
  if (typeof wanted === 'string') return wanted.toLowerCase() === port.port.toLowerCase();
  return namedPorts[port.port.toLowerCase()] === wanted;
}

export function portsCover(ports: CiliumPort[] | 'all', wanted: number | string, protocol: string, namedPorts?: Record<string, number>): boolean {
  return ports === 'all' || ports.some((port) => portCovers(port, wanted, protocol, namedPorts));
}

/** The concrete port an L7 port spec stands for (its first port; named ports by name). */
function representative(port: CiliumPort): { value: number | string; protocol: string } {
  return { value: /^\d+$/.test(port.port) ? Number(port.port) : port.port, protocol: port.protocol === 'ANY' ? 'TCP' : port.protocol };
}

function portsOverlap(a: CiliumPort[] | 'all', b: CiliumPort[] | 'all'): CiliumPort | undefined {
  if (a === 'all' && b === 'all') return undefined;
  if (a === 'all') return b === 'all' ? undefined : b[0];
  if (b === 'all') return a[0];
  for (const port of a) {
    const { value, protocol } = representative(port);
    if (b.some((other) => portCovers(other, value, protocol) || portCovers(port, representative(other).value, representative(other).protocol))) return port;
  }
  return undefined;
}

// ---------------------------------------------------------------- notes

function unrestrictedAtL7(allow: CiliumAllowEntry): boolean {
  return !allow.l7 || allow.l7.visibilityOnly;
}

function peerNames(ids: string[] | '*', fallback: string): string {
  if (ids === '*') return fallback;
  const names = ids.map((id) => id.slice(id.indexOf('/') + 1));
  return names.length > 3 ? `${names.slice(0, 3).join(', ')} … +${names.length - 3}` : names.join(', ');
}

/**
 * L7 rules that an L3/L4-only allow for an overlapping peer on the same port makes ineffective.
 * The L3/L4-only allows are indexed by port and peer, so each L7 rule looks only at allows that can overlap it.
 */
function widenings(view: CiliumDirectionView, index: K8sIndex): EffectiveNote[] {
  void index;
  const notes: EffectiveNote[] = [];
  const wides = new PortPeerIndex(view.allows.filter(unrestrictedAtL7));
  countExamined(view.allows.length);
  for (const restricted of view.allows) {
    if (!restricted.l7 || unrestrictedAtL7(restricted) || restricted.ports === 'all') continue;
    for (const port of restricted.ports) {
      const { value, protocol } = representative(port);
      const candidates = wides.candidates(value, restricted.peer);
      countExamined(candidates.length);
      for (const wide of candidates) {
        if (wide === restricted || !portsCover(wide.ports, value, protocol)) continue;
        const overlap = peerOverlap(restricted.peer, wide.peer);
        if (overlap !== '*' && overlap.length === 0) continue;
        const who = peerNames(overlap, restricted.peer.text);
        notes.push({
          kind: 'l7-widened',
          message: `L7 unrestricted on :${value} for ${who} because ${shortLocation(wide.source)} allows the port without rules`,
          at: restricted.source,
          because: wide.source,
          peers: overlap === '*' ? [] : overlap,
          port: port.text,
        });
      }
    }
  }
  return dedupe(notes);
}

/** Allows that a deny covering the same peer and port drops (only denies whose peers can overlap are compared). */
function overrides(view: CiliumDirectionView, index: K8sIndex): EffectiveNote[] {
  void index;
  const notes: EffectiveNote[] = [];
  if (view.denies.length === 0) return notes;
  const denies = new PeerBuckets(view.denies);
  for (const allow of view.allows) {
    const candidates = denies.candidates(allow.peer);
    countExamined(candidates.length + 1);
    for (const deny of candidates) {
      const overlap = peerOverlap(allow.peer, deny.peer);
      if (overlap !== '*' && overlap.length === 0) continue;
      const port = allow.ports === 'all' && deny.ports === 'all' ? undefined : portsOverlap(allow.ports, deny.ports);
      if (port === undefined && !(allow.ports === 'all' && deny.ports === 'all')) continue;
      const where = port ? ` on ${port.text}` : '';
      notes.push({
        kind: 'deny-overrides',
        message: `denied${where} for ${peerNames(overlap, allow.peer.text)} by ${shortLocation(deny.source)} (deny wins over this allow)`,
        at: allow.source,
        because: deny.source,
        peers: overlap === '*' ? [] : overlap,
        ...(port ? { port: port.text } : {}),
      });
    }
  }
  return dedupe(notes);
}

function dedupe(notes: EffectiveNote[]): EffectiveNote[] {
  const seen = new Set<string>();
  return notes.filter((note) => {
    const key = `${note.message}|${note.at?.file}:${note.at?.start}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

// ---------------------------------------------------------------- queries

export interface CiliumPortDecision {
  /** L3/L4 verdict for the peer on the port. */
  allowed: boolean;
  reason: string;
  deniedBy?: CiliumDenyEntry;
  allowedBy: CiliumAllowEntry[];
  /** `none`: no L7 filtering; `unrestricted`: redirected but an allow without rules admits every request. */
  l7: 'none' | 'unrestricted' | 'restricted';
  /** Union of HTTP rules when restricted. */
  http: HttpRuleView[];
  /** Non-HTTP L7 rules (DNS, Kafka) when restricted. */
  other: string[];
  /** The allow that lifted the L7 restriction. */
  widenedBy?: CiliumAllowEntry;
  /** Sources that decided (deny, allows, or the default-deny sections). */
  decidedBy: SourceRef[];
}

/** What the direction does for one peer (the entries `covers` accepts) on one port. */
export function decidePort(view: CiliumDirectionView, covers: (peer: CiliumPeer) => boolean, port: number | string, protocol: string, namedPorts?: Record<string, number>): CiliumPortDecision {
  countExamined(view.denies.length + view.allows.length);
  return decideAmong(view, view.denies, view.allows, covers, port, protocol, namedPorts);
}

interface CoveringEntries {
  allows: PortBuckets<CiliumAllowEntry>;
  denies: PortBuckets<CiliumDenyEntry>;
  /** Decisions already made for this peer, by port and protocol (without named ports). */
  decisions: Map<string, CiliumPortDecision>;
}

/** Per workspace index and direction view: the entries covering each peer workload, indexed by port. */
const coveringCache = new WeakMap<K8sIndex, WeakMap<CiliumDirectionView, Map<string, CoveringEntries>>>();

/**
 * `decidePort` for a peer workload, with the same result: the entries whose
 * peer covers the workload are found once per (view, workload) and indexed by
 * port, so asking about many ports (one per lens) does not rescan every entry.
 */
export function decidePortForWorkload(view: CiliumDirectionView, peer: WorkloadInfo, index: K8sIndex, port: number | string, protocol: string, namedPorts?: Record<string, number>): CiliumPortDecision {
  let byView = coveringCache.get(index);
  if (!byView) {
    byView = new WeakMap();
    coveringCache.set(index, byView);
  }
  let byWorkload = byView.get(view);
  if (!byWorkload) {
    byWorkload = new Map();
    byView.set(view, byWorkload);
  }
  const id = workloadId(peer);
  let covering = byWorkload.get(id);
  if (!covering) {
    const covers = workloadCovers(peer, index);
    countExamined(view.allows.length + view.denies.length);
    covering = { allows: new PortBuckets(view.allows.filter((entry) => covers(entry.peer))), denies: new PortBuckets(view.denies.filter((entry) => covers(entry.peer))), decisions: new Map() };
    byWorkload.set(id, covering);
  }
  // Many rules of one policy ask the same question (same peer, same port): decide it once. Decisions are shared, read-only.
  const key = namedPorts ? undefined : `${typeof port}:${port}/${protocol}`;
  const known = key === undefined ? undefined : covering.decisions.get(key);
  if (known) return known;
  const denies = covering.denies.candidates(port, namedPorts);
  const allows = covering.allows.candidates(port, namedPorts);
  countExamined(denies.length + allows.length);
  const decision = decideAmong(view, denies, allows, () => true, port, protocol, namedPorts);
  if (key !== undefined) covering.decisions.set(key, decision);
  return decision;
}

/** The decision over candidate entries (in model order); `covers` and `portsCover` are applied exactly. */
function decideAmong(
  view: CiliumDirectionView,
  denyCandidates: readonly CiliumDenyEntry[],
  allowCandidates: readonly CiliumAllowEntry[],
  covers: (peer: CiliumPeer) => boolean,
  port: number | string,
  protocol: string,
  namedPorts?: Record<string, number>,
): CiliumPortDecision {
  const deny = denyCandidates.find((entry) => covers(entry.peer) && portsCover(entry.ports, port, protocol, namedPorts));
  if (deny) return { allowed: false, reason: `denied by ${deny.source.rule}`, deniedBy: deny, allowedBy: [], l7: 'none', http: [], other: [], decidedBy: [deny.source] };
  const allows = allowCandidates.filter((entry) => covers(entry.peer) && portsCover(entry.ports, port, protocol, namedPorts));
  if (allows.length === 0) {
    if (view.defaultDeny) {
      return { allowed: false, reason: `default-deny ${view.direction} and no rule allows this peer on :${port}/${protocol}`, allowedBy: [], l7: 'none', http: [], other: [], decidedBy: view.defaultDenyBy };
    }
    const why = view.selectedBy.length === 0 ? `no policy with an ${view.direction} section selects the workload` : `${view.direction} is not default-deny`;
    return { allowed: true, reason: why, allowedBy: [], l7: 'none', http: [], other: [], decidedBy: view.defaultDenyDisabledBy };
  }
  const wide = allows.find(unrestrictedAtL7);
  const anyL7 = allows.some((entry) => entry.l7);
  if (!anyL7) return { allowed: true, reason: `allowed by ${allows[0].source.rule}`, allowedBy: allows, l7: 'none', http: [], other: [], decidedBy: allows.map((entry) => entry.source) };
  if (wide) {
    return {
      allowed: true,
      reason: `allowed by ${wide.source.rule}, which has no L7 rules for this port, so every request passes`,
      allowedBy: allows,
      l7: 'unrestricted',
      http: [],
      other: [],
      widenedBy: wide,
      decidedBy: [wide.source],
    };
  }
  const http = allows.flatMap((entry) => entry.l7?.http ?? []);
  const other = allows.flatMap((entry) => entry.l7?.other ?? []);
  return { allowed: true, reason: `allowed at L4 by ${allows.map((entry) => entry.source.rule).join(', ')}; L7 rules apply`, allowedBy: allows, l7: 'restricted', http, other, decidedBy: allows.map((entry) => entry.source) };
}

export function workloadCovers(workload: WorkloadInfo, index: K8sIndex): (peer: CiliumPeer) => boolean {
  return (peer) => peerCoversWorkload(peer, workload, index);
}

export { workloadId };
