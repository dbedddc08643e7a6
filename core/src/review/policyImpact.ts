/**
 * Policy impact of a change: for every workload of either revision, what the
 * change to the repository allows that it did not before (widened) and what it
 * no longer allows (narrowed), per enforcement layer and direction, each with
 * the rule and line that cause it.
 *
 * The comparison works on the effective-policy model (`preview/model.ts`) of
 * the same workload id in the base and the head revision, so it covers exactly
 * what that model covers. Grants are compared as the model states them:
 * - a direction (Cilium ingress/egress) or an enforcement point (Istio sidecar,
 *   ztunnel, waypoint) that is not default-deny allows everything, so its
 *   allow rules do not count; a flip between open and default-deny is itself
 *   the change ("isolated" / "opened");
 * - allow entries are keyed by peer and ports; within a key, an L7 rule set
 *   that disappears means every request of that port is allowed (widened), one
 *   that appears restricts it (narrowed), and changed HTTP rules are compared
 *   rule by rule;
 * - deny entries and DENY/CUSTOM rules added narrow, removed widen.
 *
 * Invariant: every change names a source — the head revision's line for what
 * the head added, the base revision's line for what it removed — and carries
 * flags for what reviewers must see first: `allowAll` (a widening to every
 * peer, or a direction that opened) and `dnsLost` (egress to port 53 that is no
 * longer allowed).
 */

import type {
  CiliumAllowEntry,
  CiliumDenyEntry,
  CiliumDirectionView,
  CiliumPort,
  EffectivePolicy,
  IstioPointView,
  IstioRuleView,
  SourceRef,
} from '../preview/model';
import { appendAll } from '../util/appendAll';

export type ImpactEffect = 'widened' | 'narrowed';

export type ImpactKind =
  | 'allow-added'
  | 'allow-removed'
  | 'deny-added'
  | 'deny-removed'
  | 'l7-widened'
  | 'l7-narrowed'
  | 'isolated'
  | 'opened';

export type ImpactLayer = 'cilium' | 'istio-sidecar' | 'istio-ztunnel' | 'istio-waypoint' | 'istio-gateway';

export interface ImpactChange {
  /** `namespace/name` of the workload whose traffic changes. */
  workload: string;
  namespace: string;
  layer: ImpactLayer;
  /** Cilium: ingress or egress; Istio policies always judge inbound requests. */
  direction: 'ingress' | 'egress';
  effect: ImpactEffect;
  kind: ImpactKind;
  /** The other side, as written (`shop/web-frontend`, `world`, `10.0.0.0/8`, `any peer`). */
  peer: string;
  /** `8080/TCP`, `all ports`. */
  ports: string;
  /** The L7 part, when the change is about requests (`GET /api/.*`). */
  l7?: string;
  /** Plain-language account of the change. */
  summary: string;
  /** Where the change comes from: the head's line for additions, the base's for removals. */
  source: SourceRef;
  revision: 'base' | 'head';
  /** A widening to every peer (or a direction that no longer filters). */
  allowAll: boolean;
  /** Egress DNS (port 53) that the base allowed and the head does not. */
  dnsLost: boolean;
}

export interface WorkloadPresence {
  workload: string;
  change: 'added' | 'removed';
  source: SourceRef;
}

export interface PolicyImpact {
  changes: ImpactChange[];
  /** Workloads only one revision has (their policy is not compared). */
  workloads: WorkloadPresence[];
  /** How many workloads were compared in both revisions. */
  compared: number;
}

/** Compares the effective policy of every workload present in both revisions. */
export function comparePolicies(base: ReadonlyMap<string, EffectivePolicy>, head: ReadonlyMap<string, EffectivePolicy>): PolicyImpact {
  const changes: ImpactChange[] = [];
  const workloads: WorkloadPresence[] = [];
  let compared = 0;
  for (const id of [...new Set([...base.keys(), ...head.keys()])].sort()) {
    const before = base.get(id);
    const after = head.get(id);
    if (!before || !after) {
      const present = (after ?? before)!;
      workloads.push({ workload: id, change: after ? 'added' : 'removed', source: present.workload.source });
      continue;
    }
    compared++;
    const context = { workload: id, namespace: after.workload.namespace };
    appendAll(changes, compareCilium(context, before.cilium.ingress, after.cilium.ingress));
    appendAll(changes, compareCilium(context, before.cilium.egress, after.cilium.egress));
    const points = new Set([...before.istio.points.map((point) => point.point), ...after.istio.points.map((point) => point.point)]);
    for (const point of points) {
      changes.push(...compareIstio(context, point, before.istio.points.find((view) => view.point === point), after.istio.points.find((view) => view.point === point)));
    }
  }
  return { changes: changes.sort(byImportance), workloads, compared };
}

/** Default-deny flips and allow-all widenings first, then lost DNS, then the rest in a stable order. */
function byImportance(a: ImpactChange, b: ImpactChange): number {
  return rank(a) - rank(b) || a.workload.localeCompare(b.workload) || a.layer.localeCompare(b.layer) || a.direction.localeCompare(b.direction) || a.summary.localeCompare(b.summary);
}

function rank(change: ImpactChange): number {
  if (change.kind === 'isolated' || change.kind === 'opened') return 0;
  if (change.allowAll) return 1;
  if (change.dnsLost) return 2;
  return change.effect === 'widened' ? 3 : 4;
}

interface Context {
  workload: string;
  namespace: string;
}

// ---------------------------------------------------------------- Cilium

function portsText(ports: CiliumPort[] | 'all'): string {
  return ports === 'all' ? 'all ports' : ports.map((port) => port.text).join(', ');
}

function allowKey(entry: CiliumAllowEntry | CiliumDenyEntry): string {
  return `${entry.peer.text}\u0000${portsText(entry.ports)}`;
}

function l7Texts(entry: CiliumAllowEntry): string[] | undefined {
  if (!entry.l7 || entry.l7.visibilityOnly) return undefined;
  return entry.l7.type === 'http' ? entry.l7.http.map((rule) => rule.text) : entry.l7.other.map((text) => `${entry.l7!.type}: ${text}`);
}

function isAllPeers(entry: CiliumAllowEntry): boolean {
  const peer = entry.peer;
  return peer.kind === 'any' || (peer.kind === 'entity' && (peer.entity === 'all' || peer.entity === 'world')) || (peer.kind === 'cidr' && (peer.cidr === '0.0.0.0/0' || peer.cidr === '::/0'));
}

function coversDns(ports: CiliumPort[] | 'all'): boolean {
  if (ports === 'all') return true;
  return ports.some((port) => {
    if (port.protocol === 'SCTP') return false;
    // No port (or 0) means every port of the protocol.
    if (port.port === '' || port.port === '0' || port.port === 'dns' || port.port === 'domain') return true;
    const low = Number(port.port);
    if (!Number.isInteger(low)) return false;
    return low <= 53 && 53 <= (port.endPort ?? low);
  });
}

function compareCilium(context: Context, before: CiliumDirectionView, after: CiliumDirectionView): ImpactChange[] {
  const direction = after.direction;
  const base = { ...context, layer: 'cilium' as const, direction };
  const result: ImpactChange[] = [];
  const egress = direction === 'egress';
  // DNS goes to resolvers (cluster DNS, an entity, a CIDR), never to an FQDN peer.
  const headDns = after.allows.some((entry) => entry.peer.kind !== 'fqdn' && coversDns(entry.ports));
  if (before.defaultDeny !== after.defaultDeny) {
    if (after.defaultDeny) {
      const by = after.defaultDenyBy[0] ?? after.selectedBy[0] ?? after.allows[0]?.source;
      const allowed = after.allows.map((entry) => `${entry.peer.text} ${portsText(entry.ports)}`);
      result.push({
        ...base,
        effect: 'narrowed',
        kind: 'isolated',
        peer: 'any peer',
        ports: 'all ports',
        summary: `${direction} is now default-deny: ${allowed.length ? `only ${allowed.join('; ')} is allowed` : 'nothing is allowed'}`,
        source: by ?? placeholder(after),
        revision: 'head',
        allowAll: false,
        dnsLost: egress && !headDns,
      });
    } else {
      const by = before.defaultDenyBy[0] ?? before.selectedBy[0];
      result.push({
        ...base,
        effect: 'widened',
        kind: 'opened',
        peer: 'any peer',
        ports: 'all ports',
        summary: `${direction} is no longer default-deny: every peer is allowed on every port`,
        source: by ?? placeholder(before),
        revision: 'base',
        allowAll: true,
        dnsLost: false,
      });
    }
  }
  // Allow rules matter only where the direction is default-deny in both revisions.
  if (before.defaultDeny && after.defaultDeny) {
    const beforeAllows = groupBy(before.allows, allowKey);
    const afterAllows = groupBy(after.allows, allowKey);
    for (const [key, entries] of afterAllows) {
      const old = beforeAllows.get(key);
      const entry = entries[0];
      if (!old) {
        result.push({
          ...base,
          effect: 'widened',
          kind: 'allow-added',
          peer: entry.peer.text,
          ports: portsText(entry.ports),
          l7: l7Texts(entry)?.join('; '),
          summary: `${entry.peer.text} may now reach ${portsText(entry.ports)}${l7Suffix(entry)}`,
          source: entry.source,
          revision: 'head',
          // Open to every peer (any, world, all, 0.0.0.0/0), whatever the ports: reviewers see it first.
          allowAll: isAllPeers(entry),
          dnsLost: false,
        });
        continue;
      }
      appendAll(result, compareL7(base, old, entries));
    }
    for (const [key, entries] of beforeAllows) {
      if (afterAllows.has(key)) continue;
      const entry = entries[0];
      result.push({
        ...base,
        effect: 'narrowed',
        kind: 'allow-removed',
        peer: entry.peer.text,
        ports: portsText(entry.ports),
        l7: l7Texts(entry)?.join('; '),
        summary: `${entry.peer.text} may no longer reach ${portsText(entry.ports)}${l7Suffix(entry)}`,
        source: entry.source,
        revision: 'base',
        allowAll: false,
        dnsLost: egress && coversDns(entry.ports) && !headDns,
      });
    }
  }
  const beforeDenies = groupBy(before.denies, allowKey);
  const afterDenies = groupBy(after.denies, allowKey);
  for (const [key, entries] of afterDenies) {
    if (beforeDenies.has(key)) continue;
    const entry = entries[0];
    result.push({
      ...base,
      effect: 'narrowed',
      kind: 'deny-added',
      peer: entry.peer.text,
      ports: portsText(entry.ports),
      summary: `${entry.peer.text} is now denied on ${portsText(entry.ports)}`,
      source: entry.source,
      revision: 'head',
      allowAll: false,
      dnsLost: egress && coversDns(entry.ports),
    });
  }
  for (const [key, entries] of beforeDenies) {
    if (afterDenies.has(key)) continue;
    const entry = entries[0];
    result.push({
      ...base,
      effect: 'widened',
      kind: 'deny-removed',
      peer: entry.peer.text,
      ports: portsText(entry.ports),
      summary: `${entry.peer.text} is no longer denied on ${portsText(entry.ports)}`,
      source: entry.source,
      revision: 'base',
      allowAll: false,
      dnsLost: false,
    });
  }
  return result;
}

/** Same peer and ports in both revisions: compare what requests the entries allow. */
function compareL7(base: Pick<ImpactChange, 'workload' | 'namespace' | 'layer' | 'direction'>, before: CiliumAllowEntry[], after: CiliumAllowEntry[]): ImpactChange[] {
  const entry = after[0];
  const union = (entries: CiliumAllowEntry[]): Set<string> | undefined => {
    const texts = new Set<string>();
    for (const item of entries) {
      const rules = l7Texts(item);
      if (!rules) return undefined; // an L3/L4-only entry allows every request on these ports
      for (const rule of rules) texts.add(rule);
    }
    return texts;
  };
  const oldRules = union(before);
  const newRules = union(after);
  const peer = entry.peer.text;
  const ports = portsText(entry.ports);
  if (oldRules === undefined && newRules === undefined) return [];
  if (oldRules !== undefined && newRules === undefined) {
    const widening = after.find((item) => !l7Texts(item)) ?? entry;
    return [{ ...base, effect: 'widened', kind: 'l7-widened', peer, ports, summary: `${peer} may now send any request on ${ports} (was limited to ${[...oldRules].join('; ')})`, source: widening.source, revision: 'head', allowAll: false, dnsLost: false }];
  }
  if (oldRules === undefined && newRules !== undefined) {
    return [{ ...base, effect: 'narrowed', kind: 'l7-narrowed', peer, ports, l7: [...newRules].join('; '), summary: `${peer} is now limited to ${[...newRules].join('; ')} on ${ports}`, source: entry.source, revision: 'head', allowAll: false, dnsLost: false }];
  }
  const result: ImpactChange[] = [];
  const sourceOf = (entries: CiliumAllowEntry[], rule: string): SourceRef =>
    entries.flatMap((item) => item.l7?.http.filter((view) => view.text === rule).map((view) => view.source) ?? []).at(0) ??
    entries.find((item) => l7Texts(item)?.includes(rule))?.source ??
    entries[0].source;
  for (const rule of newRules!) {
    if (oldRules!.has(rule)) continue;
    result.push({ ...base, effect: 'widened', kind: 'l7-widened', peer, ports, l7: rule, summary: `${peer} may now send ${rule} on ${ports}`, source: sourceOf(after, rule), revision: 'head', allowAll: false, dnsLost: false });
  }
  for (const rule of oldRules!) {
    if (newRules!.has(rule)) continue;
    result.push({ ...base, effect: 'narrowed', kind: 'l7-narrowed', peer, ports, l7: rule, summary: `${peer} may no longer send ${rule} on ${ports}`, source: sourceOf(before, rule), revision: 'base', allowAll: false, dnsLost: false });
  }
  return result;
}

function l7Suffix(entry: CiliumAllowEntry): string {
  const rules = l7Texts(entry);
  return rules ? ` (${rules.join('; ')})` : '';
}

// ---------------------------------------------------------------- Istio

const LAYER_OF_POINT = { sidecar: 'istio-sidecar', ztunnel: 'istio-ztunnel', waypoint: 'istio-waypoint', gateway: 'istio-gateway' } as const;

function compareIstio(context: Context, point: IstioPointView['point'], before: IstioPointView | undefined, after: IstioPointView | undefined): ImpactChange[] {
  const base = { ...context, layer: LAYER_OF_POINT[point], direction: 'ingress' as const };
  const result: ImpactChange[] = [];
  const beforeDeny = (before?.allowPolicies.length ?? 0) > 0;
  const afterDeny = (after?.allowPolicies.length ?? 0) > 0;
  if (beforeDeny !== afterDeny) {
    if (afterDeny) {
      const allowed = after!.allow.filter((rule) => !rule.neverMatches && !rule.dropped).map((rule) => rule.text);
      result.push({
        ...base,
        effect: 'narrowed',
        kind: 'isolated',
        peer: 'any source',
        ports: 'all ports',
        summary: `requests are now denied unless an ALLOW rule matches: ${allowed.length ? allowed.join('; ') : 'none does'}`,
        source: after!.allowPolicies[0],
        revision: 'head',
        allowAll: false,
        dnsLost: false,
      });
    } else {
      result.push({
        ...base,
        effect: 'widened',
        kind: 'opened',
        peer: 'any source',
        ports: 'all ports',
        summary: 'no ALLOW policy applies any more: every request not denied is allowed',
        source: before!.allowPolicies[0],
        revision: 'base',
        allowAll: true,
        dnsLost: false,
      });
    }
  }
  const live = (rules: IstioRuleView[] | undefined) => (rules ?? []).filter((rule) => !rule.neverMatches && !rule.dropped);
  if (beforeDeny && afterDeny) {
    appendAll(result, ruleDelta(base, live(before!.allow), live(after!.allow), 'allow'));
  }
  appendAll(result, ruleDelta(base, live(before?.deny), live(after?.deny), 'deny'));
  return result;
}

function ruleDelta(
  base: Pick<ImpactChange, 'workload' | 'namespace' | 'layer' | 'direction'>,
  before: IstioRuleView[],
  after: IstioRuleView[],
  action: 'allow' | 'deny',
): ImpactChange[] {
  const oldTexts = new Set(before.map((rule) => rule.text));
  const newTexts = new Set(after.map((rule) => rule.text));
  const result: ImpactChange[] = [];
  for (const rule of after) {
    if (oldTexts.has(rule.text)) continue;
    oldTexts.add(rule.text); // report a duplicate rule once
    const everything = action === 'allow' && rule.from === undefined && rule.to === undefined && rule.when === undefined;
    result.push({
      ...base,
      effect: action === 'allow' ? 'widened' : 'narrowed',
      kind: action === 'allow' ? 'allow-added' : 'deny-added',
      peer: sourcesText(rule),
      ports: operationsText(rule),
      summary: `${action === 'allow' ? 'now allowed' : 'now denied'} by ${rule.policy}: ${rule.text}`,
      source: rule.source,
      revision: 'head',
      allowAll: everything,
      dnsLost: false,
    });
  }
  for (const rule of before) {
    if (newTexts.has(rule.text)) continue;
    newTexts.add(rule.text);
    result.push({
      ...base,
      effect: action === 'allow' ? 'narrowed' : 'widened',
      kind: action === 'allow' ? 'allow-removed' : 'deny-removed',
      peer: sourcesText(rule),
      ports: operationsText(rule),
      summary: `${action === 'allow' ? 'no longer allowed' : 'no longer denied'} (${rule.policy} changed): ${rule.text}`,
      source: rule.source,
      revision: 'base',
      allowAll: false,
      dnsLost: false,
    });
  }
  return result;
}

function sourcesText(rule: IstioRuleView): string {
  if (!rule.from) return 'any source';
  return rule.from.map((clause) => Object.entries(clause).map(([field, values]) => `${field}=${values.join('|')}`).join(',')).join(' or ') || 'no source';
}

function operationsText(rule: IstioRuleView): string {
  if (!rule.to) return 'any request';
  return rule.to.map((clause) => Object.entries(clause).map(([field, values]) => `${field}=${values.join('|')}`).join(',')).join(' or ') || 'no request';
}

// ---------------------------------------------------------------- helpers

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = map.get(k);
    if (list) list.push(item);
    else map.set(k, [item]);
  }
  return map;
}

/** A direction flip always has a selecting section; this only guards against an empty model. */
function placeholder(view: CiliumDirectionView): SourceRef {
  return view.selectedBy[0] ?? { file: '', document: 0, start: 0, end: 0, line: 0, rule: `${view.direction}` };
}
