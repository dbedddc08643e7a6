/**
 * The connectivity map of a namespace or a cluster: the picture platform
 * teams draw on whiteboards, computed from the effective-policy model.
 *
 * Nodes are the workloads in scope, the workloads they talk to elsewhere and
 * the non-workload peers of their rules (entities such as `world`, `host`,
 * `kube-apiserver`; CIDRs; FQDNs; selectors that match no known workload).
 * Edges are allowed flows, labelled with ports and L7 matches (HTTP method and
 * path, DNS names), each flow carrying the rules that allow it:
 * - a flow comes from a Cilium allow of a workload in scope (its ingress or
 *   its egress); when the other end is a workload too, that end's opposite
 *   direction must let it through as well (default-deny, deny rules), else
 *   the flow is not drawn and `excluded` says why;
 * - a deny rule that covers the peer on the port removes the flow;
 * - Istio: when ALLOW policies apply at the destination (sidecar, waypoint or
 *   ztunnel), a workload client must match an ALLOW rule at every point; the
 *   matching rules' operations become L7 labels. A destination whose Cilium
 *   ingress is open gets edges from the workloads its ALLOW rules admit.
 * Default-deny per direction, Istio mode (sidecar, ambient) and waypoints are
 * marked on the workload nodes; policies that are not in force (refused by
 * the agent or istiod) contribute nothing and are listed in `notInForce`.
 *
 * Plain data (JSON-serialisable); pure; deterministic order (sorted ids);
 * memoized per workspace generation; never throws.
 */

import { clustersOf } from '../gitops/placement';
import type { AnalysisOptions } from '../options';
import type { K8sIndex, LabelSelector, WorkloadInfo } from '../policy/k8sIndex';
import { deriveWithAllOptions } from '../workspace/deriveWith';
import type { WorkspaceView } from '../workspace/workspace';
import { decidePortForWorkload, peerCoversWorkload } from './ciliumEffective';
import { workloadId } from './ciliumIndex';
import { clusterNames, resolveCluster, type ClusterScope } from './clusterScope';
import { effectivePolicyOf } from './effectivePolicy';
import { istioModeOf, istioRuleMatches, TRUST_DOMAIN, type IstioRequest } from './istioEffective';
import type { CiliumAllowEntry, CiliumDirectionView, CiliumPeer, CiliumPort, EffectiveNote, EffectivePolicy, IstioRuleView, SourceRef } from './model';
import { previewIndex } from './workloads/previewIndex';
import { sourceKey, uniqueSources } from './sources';

export interface ConnectivityQuery {
  /** Only workloads of this namespace are subjects (their peers elsewhere still appear). */
  namespace?: string;
  /** Only the policies and workloads this cluster deploys. */
  cluster?: string;
}

/** `selector`: an endpoint selector that matches no known workload, or more than `GROUP_LIMIT` of them (a group). */
export type ConnectivityNodeKind = 'workload' | 'entity' | 'cidr' | 'fqdn' | 'any' | 'selector' | 'other';

export interface ConnectivityDirection {
  /** Traffic no rule allows is dropped. */
  defaultDeny: boolean;
  /** The policy sections that make the direction default-deny (empty when open). */
  by: SourceRef[];
}

export interface ConnectivityNode {
  /** `workload:shop/web`, `entity:world`, `cidr:10.0.0.0/8`, `fqdn:api.example.com`, `any`, `selector:…`. */
  id: string;
  kind: ConnectivityNodeKind;
  /** `shop/web`, `world`, `10.0.0.0/8`, `payments.example.com`, `*.example.com`. */
  label: string;
  namespace?: string;
  /** A subject of the map (a workload of the namespace or cluster asked for); peers elsewhere are not. */
  inScope: boolean;
  /** Workloads in scope: Cilium per direction. */
  ingress?: ConnectivityDirection;
  egress?: ConnectivityDirection;
  /** Workloads in scope that are in the mesh. */
  istio?: { mode: 'sidecar' | 'ambient' | 'gateway'; waypoint?: string; allowPolicies: SourceRef[] };
  /** The workload's document. */
  source?: SourceRef;
}

export interface ConnectivityFlow {
  /** `8080/TCP`, `53/UDP`, `all ports`. */
  ports: string;
  /** L7 matches on these ports (`POST /api/v2/orders`, `DNS *.example.com`, `Istio ALLOW methods …`); empty = every request. */
  l7: string[];
  /** Which sides' rules allow it: `egress` of the client, `ingress` of the server, `istio` at the server. */
  allowedAt: ('egress' | 'ingress' | 'istio')[];
  /** An L3/L4-only allow next to the L7 rules admits every request on the port: the rule that does it. */
  l7WidenedBy?: SourceRef;
  /** The rules behind the flow (allows, their L7 rules, Istio ALLOW rules), in model order. */
  rules: SourceRef[];
}

export interface ConnectivityEdge {
  /** `<from>-><to>`. */
  id: string;
  from: string;
  to: string;
  flows: ConnectivityFlow[];
}

export interface ExcludedFlow {
  from: string;
  to: string;
  ports: string;
  reason: string;
  /** The rule that allowed it on one side and the rules that stop it on the other. */
  rules: SourceRef[];
}

export interface ConnectivityMap {
  scope: { namespace?: string; cluster?: string; note?: string };
  ciliumMinor: string;
  nodes: ConnectivityNode[];
  edges: ConnectivityEdge[];
  /** Flows one side allows and the other drops (default-deny, deny rule, Istio). */
  excluded: ExcludedFlow[];
  /** Policies that select a workload in scope but are not in force (they contribute no edge). */
  notInForce: { message: string; source?: SourceRef; because?: SourceRef }[];
  /** L7 widening, deny overrides and other notes of the effective model, once each. */
  notes: { message: string; source?: SourceRef }[];
}

export type ConnectivityOutcome = ConnectivityMap | { error: string };

export function isConnectivityError(outcome: ConnectivityOutcome): outcome is { error: string } {
  return 'error' in outcome;
}

/** Above this many subject workloads the map is cut (the drawing would be unreadable anyway). */
export const MAX_MAP_WORKLOADS = 400;

/** A peer selector that covers more workloads than this is drawn as one group node. */
export const GROUP_LIMIT = 6;

export function connectivityMap(workspace: WorkspaceView, query: ConnectivityQuery, options: AnalysisOptions): ConnectivityOutcome {
  // Built from the effective-policy models, which ask the rules: it reads every option.
  return deriveWithAllOptions(workspace, `preview-connectivity:${query.namespace ?? ''}@${query.cluster ?? ''}`, options, () => compute(workspace, query, options));
}

/** What a map can be asked for: the namespaces that hold workloads and the clusters the repository defines, sorted / in model order. */
export function connectivityScopes(workspace: WorkspaceView): { namespaces: string[]; clusters: string[] } {
  return workspace.derive('preview-connectivity-scopes', () => ({
    namespaces: [...new Set(previewIndex(workspace).workloads.map((workload) => workload.namespace))].sort(),
    clusters: clusterNames(workspace),
  }));
}

function compute(workspace: WorkspaceView, query: ConnectivityQuery, options: AnalysisOptions): ConnectivityOutcome {
  let scope: ClusterScope | undefined;
  let note: string | undefined;
  if (query.cluster !== undefined) {
    const resolution = resolveCluster(workspace, query.cluster);
    if (resolution.kind === 'error') return { error: resolution.error };
    if (resolution.kind === 'cluster') scope = resolution.scope;
    else note = 'the repository models no cluster: every policy of the workspace is counted';
  }
  const index = previewIndex(workspace);
  const seen = new Set<string>();
  let subjects = index.workloads.filter((workload) => {
    const id = workloadId(workload);
    if (seen.has(id)) return false;
    seen.add(id);
    if (query.namespace !== undefined && workload.namespace !== query.namespace) return false;
    return !scope || (workload.source.file !== '' && clustersOf(workspace, workload.source.file).includes(scope.index));
  });
  if (query.namespace !== undefined && subjects.length === 0) {
    const namespaces = [...new Set(index.workloads.map((workload) => workload.namespace))].sort();
    return { error: `no workload in namespace "${query.namespace}"${scope ? ` in cluster ${scope.name}` : ''} (namespaces with workloads: ${namespaces.slice(0, 12).join(', ') || 'none'})` };
  }
  subjects = subjects.sort((a, b) => workloadId(a).localeCompare(workloadId(b)));
  if (subjects.length > MAX_MAP_WORKLOADS) {
    note = [note, `${subjects.length} workloads: the map shows the first ${MAX_MAP_WORKLOADS}; narrow it with a namespace`].filter(Boolean).join('; ');
    subjects = subjects.slice(0, MAX_MAP_WORKLOADS);
  }
  const builder = new MapBuilder(workspace, index, options, scope);
  for (const subject of subjects) builder.addSubject(subject);
  for (const subject of subjects) builder.addFlowsOf(subject);
  return builder.result({ ...(query.namespace !== undefined ? { namespace: query.namespace } : {}), ...(query.cluster !== undefined ? { cluster: query.cluster } : {}), ...(note ? { note } : {}) });
}

// ---------------------------------------------------------------- building

class MapBuilder {
  private readonly nodes = new Map<string, ConnectivityNode>();
  private readonly edges = new Map<string, ConnectivityEdge>();
  private readonly excluded = new Map<string, ExcludedFlow>();
  private readonly notInForce = new Map<string, ConnectivityMap['notInForce'][number]>();
  private readonly notes = new Map<string, ConnectivityMap['notes'][number]>();
  private readonly workloadsById = new Map<string, WorkloadInfo>();
  private minor = '';

  constructor(
    private readonly workspace: WorkspaceView,
    private readonly index: K8sIndex,
    private readonly options: AnalysisOptions,
    private readonly scope: ClusterScope | undefined,
  ) {
    for (const workload of index.workloads) if (!this.workloadsById.has(workloadId(workload))) this.workloadsById.set(workloadId(workload), workload);
  }

  private model(workload: WorkloadInfo): EffectivePolicy {
    return effectivePolicyOf(this.workspace, workload, this.options, this.scope);
  }

  addSubject(workload: WorkloadInfo): void {
    const model = this.model(workload);
    this.minor ||= model.cilium.minor;
    const direction = (view: CiliumDirectionView): ConnectivityDirection => ({ defaultDeny: view.defaultDeny, by: view.defaultDenyBy });
    const node: ConnectivityNode = {
      id: `workload:${model.workload.id}`,
      kind: 'workload',
      label: model.workload.id,
      namespace: workload.namespace,
      inScope: true,
      ingress: direction(model.cilium.ingress),
      egress: direction(model.cilium.egress),
      source: model.workload.source,
    };
    if (model.istio.mode !== 'none') {
      const waypoint = model.istio.waypoint ? `${model.istio.waypoint.namespace}/${model.istio.waypoint.name}` : undefined;
      const allowPolicies = uniqueSources(model.istio.points.flatMap((point) => point.allowPolicies));
      node.istio = { mode: model.istio.mode, ...(waypoint ? { waypoint } : {}), allowPolicies };
    }
    this.nodes.set(node.id, node);
    for (const view of [model.cilium.ingress, model.cilium.egress]) this.collectNotes(view.notes);
    for (const point of model.istio.points) this.collectNotes(point.notes);
  }

  private collectNotes(notes: EffectiveNote[]): void {
    for (const note of notes) {
      if (note.kind === 'not-in-force') {
        const key = note.at ? sourceKey(note.at) : note.message;
        if (!this.notInForce.has(key)) this.notInForce.set(key, { message: note.message, ...(note.at ? { source: note.at } : {}), ...(note.because ? { because: note.because } : {}) });
      } else if (note.kind === 'l7-widened' || note.kind === 'deny-overrides' || note.kind === 'not-default-deny' || note.kind.startsWith('ztunnel')) {
        if (!this.notes.has(note.message)) this.notes.set(note.message, { message: note.message, ...((note.because ?? note.at) ? { source: note.because ?? note.at } : {}) });
      }
    }
  }

  addFlowsOf(workload: WorkloadInfo): void {
    const model = this.model(workload);
    const self = `workload:${model.workload.id}`;
    for (const allow of model.cilium.ingress.allows) this.addAllow(workload, self, model.cilium.ingress, allow, 'ingress');
    for (const allow of model.cilium.egress.allows) this.addAllow(workload, self, model.cilium.egress, allow, 'egress');
    this.addIstioOnlyFlows(workload, model);
  }

  /** One Cilium allow of a subject: a flow to (egress) or from (ingress) each peer it names. */
  private addAllow(subject: WorkloadInfo, self: string, view: CiliumDirectionView, allow: CiliumAllowEntry, side: 'ingress' | 'egress'): void {
    for (const peer of this.peerNodes(allow.peer)) {
      const [from, to] = side === 'ingress' ? [peer.id, self] : [self, peer.id];
      const peerWorkload = peer.kind === 'workload' ? this.workloadsById.get(peer.label) : undefined;
      const ports: (CiliumPort | undefined)[] = allow.ports === 'all' ? this.portsOfOtherSide(peerWorkload, subject, side) : allow.ports;
      for (const port of ports) {
        const portText = port ? port.text : 'all ports';
        const rules: SourceRef[] = [allow.source, ...(allow.l7?.http ?? []).map((rule) => rule.source), ...(allow.l7?.dns ?? []).map((rule) => rule.source)];
        let widenedBy: SourceRef | undefined;
        if (peerWorkload && port) {
          // This side: a deny that covers the peer, or an L3/L4 allow that widens the L7 rules.
          const here = decidePortForWorkload(view, peerWorkload, this.index, probePort(port), port.protocol === 'ANY' ? 'TCP' : port.protocol);
          if (!here.allowed) {
            this.exclude({ from, to, ports: portText, reason: `${side} of ${workloadId(subject)}: ${here.reason}`, rules: [allow.source, ...here.decidedBy] });
            continue;
          }
          if (allow.l7 && here.l7 === 'unrestricted' && here.widenedBy) widenedBy = here.widenedBy.source;
        } else if (!peerWorkload) {
          const deny = view.denies.find((entry) => denyCoversPeer(entry.peer, allow.peer) && (entry.ports === 'all' || !port || entry.ports.some((denied) => denied.text === port.text)));
          if (deny) {
            this.exclude({ from, to, ports: portText, reason: `${side} of ${workloadId(subject)}: denied by ${deny.source.rule}`, rules: [allow.source, deny.source] });
            continue;
          }
        }
        const allowedAt: ConnectivityFlow['allowedAt'] = [side];
        if (peerWorkload) {
          // The other end must let the flow through too.
          const other = this.otherSide(peerWorkload, subject, side, port);
          if (!other.allowed) {
            this.exclude({ from, to, ports: portText, reason: other.reason, rules: [allow.source, ...other.rules] });
            continue;
          }
          if (other.rules.length > 0) {
            allowedAt.push(side === 'ingress' ? 'egress' : 'ingress');
            rules.push(...other.rules);
          }
        }
        const l7 = [...(allow.l7?.http ?? []).map((rule) => rule.text), ...(allow.l7?.dns ?? []).map((rule) => rule.text), ...(allow.l7 && allow.l7.type !== 'http' && allow.l7.type !== 'dns' ? allow.l7.other : [])];
        if (allow.l7?.visibilityOnly) l7.push('(visibility only)');
        // Istio at the destination, when the destination is a workload in the mesh.
        const server = side === 'ingress' ? subject : peerWorkload;
        const client = side === 'ingress' ? peerWorkload : subject;
        if (server && port) {
          const istio = this.istioAt(server, client, portNumber(port));
          if (!istio.allowed) {
            this.exclude({ from, to, ports: portText, reason: istio.reason, rules: [allow.source, ...istio.rules] });
            continue;
          }
          if (istio.rules.length > 0) {
            allowedAt.push('istio');
            rules.push(...istio.rules);
            l7.push(...istio.l7);
          }
        }
        this.addFlow(from, to, { ports: portText, l7, allowedAt, ...(widenedBy ? { l7WidenedBy: widenedBy } : {}), rules });
      }
    }
  }

  /**
   * The ports of an all-ports allow: every port (undefined) unless the peer
   * workload's opposite direction is default-deny, which then admits only the
   * ports of its own allows that cover the subject.
   */
  private portsOfOtherSide(peer: WorkloadInfo | undefined, subject: WorkloadInfo, side: 'ingress' | 'egress'): (CiliumPort | undefined)[] {
    if (!peer) return [undefined];
    const model = this.model(peer);
    const view = side === 'ingress' ? model.cilium.egress : model.cilium.ingress;
    if (!view.defaultDeny) return [undefined];
    const covering = view.allows.filter((entry) => peerCoversWorkload(entry.peer, subject, this.index));
    if (covering.length === 0 || covering.some((entry) => entry.ports === 'all')) return [undefined];
    const byText = new Map<string, CiliumPort>();
    for (const entry of covering) for (const port of entry.ports as CiliumPort[]) if (!byText.has(port.text)) byText.set(port.text, port);
    return [...byText.values()];
  }

  /** The opposite direction of the peer workload for this flow (its egress for an ingress allow, and the reverse). */
  private otherSide(peer: WorkloadInfo, subject: WorkloadInfo, side: 'ingress' | 'egress', port: CiliumPort | undefined): { allowed: boolean; reason: string; rules: SourceRef[] } {
    const model = this.model(peer);
    const view = side === 'ingress' ? model.cilium.egress : model.cilium.ingress;
    const peerName = workloadId(peer);
    if (!view.defaultDeny && view.denies.length === 0) return { allowed: true, reason: '', rules: [] };
    if (port) {
      const decision = decidePortForWorkload(view, subject, this.index, probePort(port), port.protocol === 'ANY' ? 'TCP' : port.protocol);
      if (!decision.allowed) return { allowed: false, reason: `${view.direction} of ${peerName}: ${decision.reason}`, rules: decision.decidedBy };
      return { allowed: true, reason: '', rules: decision.allowedBy.map((entry) => entry.source) };
    }
    // All ports on this side: the other side decides which, if any.
    const covering = view.allows.filter((entry) => peerCoversWorkload(entry.peer, subject, this.index));
    if (!view.defaultDeny || covering.length > 0) return { allowed: true, reason: '', rules: covering.map((entry) => entry.source) };
    return { allowed: false, reason: `${view.direction} of ${peerName} is default-deny and no rule allows ${workloadId(subject)}`, rules: view.defaultDenyBy };
  }

  /** Istio at the server for a client (undefined: not a workload, so no mesh identity). */
  private istioAt(server: WorkloadInfo, client: WorkloadInfo | undefined, port: number | undefined): { allowed: boolean; reason: string; rules: SourceRef[]; l7: string[] } {
    const model = this.model(server);
    if (model.istio.points.length === 0) return { allowed: true, reason: '', rules: [], l7: [] };
    const request = this.istioRequest(model, client, port);
    const rules: SourceRef[] = [];
    const l7: string[] = [];
    for (const point of model.istio.points) {
      const identity = point.sourceIdentity === 'waypoint' && model.istio.waypoint ? waypointIdentity(model.istio.waypoint, port) : request;
      // DENY rules that match whatever the request (no HTTP attributes left once ignored) stop the flow.
      const deny = point.deny.find((rule) => !rule.to && !rule.when && istioRuleMatches(rule, { ...identity, http: false }));
      if (deny) return { allowed: false, reason: `Istio ${point.point} of ${workloadId(server)}: DENY rule matches ${deny.text}`, rules: [deny.source], l7: [] };
      for (const rule of point.deny) if (rule.to && sourceMatches(rule, identity)) l7.push(`Istio DENY ${operationText(rule)}`);
      if (point.allowPolicies.length === 0) continue;
      const admitting = point.allow.filter((rule) => !rule.dropped && sourceMatches(rule, identity) && portAdmitted(rule, port));
      if (admitting.length === 0) {
        return { allowed: false, reason: `Istio ${point.point} of ${workloadId(server)}: ALLOW policies apply and no rule admits ${client ? workloadId(client) : 'this peer'}`, rules: point.allowPolicies, l7: [] };
      }
      for (const rule of admitting) {
        rules.push(rule.source);
        const operation = operationText(rule);
        if (operation) l7.push(`Istio ${point.point} ALLOW ${operation}`);
      }
    }
    return { allowed: true, reason: '', rules: uniqueSources(rules), l7: [...new Set(l7)] };
  }

  private istioRequest(model: EffectivePolicy, client: WorkloadInfo | undefined, port: number | undefined): IstioRequest {
    const inMesh = client ? istioModeOf(client, this.index).mode !== 'none' : false;
    return {
      ...(client && inMesh ? { principal: `${TRUST_DOMAIN}/ns/${client.namespace}/sa/${client.serviceAccountName}`, namespace: client.namespace, serviceAccount: `${client.namespace}/${client.serviceAccountName}` } : {}),
      port: port ?? 0,
      http: false,
    };
  }

  /** Workloads that a subject's Istio ALLOW rules admit while its Cilium ingress is open: edges Cilium alone would not draw. */
  private addIstioOnlyFlows(subject: WorkloadInfo, model: EffectivePolicy): void {
    if (model.cilium.ingress.defaultDeny) return;
    const self = `workload:${model.workload.id}`;
    const withAllow = model.istio.points.filter((point) => point.allowPolicies.length > 0 && point.sourceIdentity === 'client');
    if (withAllow.length === 0) return;
    for (const client of this.workloadsById.values()) {
      if (client === subject || istioModeOf(client, this.index).mode === 'none') continue;
      const from = `workload:${workloadId(client)}`;
      if (this.edges.has(`${from}->${self}`)) continue;
      const request = this.istioRequest(model, client, undefined);
      const named = withAllow.flatMap((point) => point.allow.filter((rule) => !rule.dropped && rule.from !== undefined && sourceMatches(rule, request)));
      if (named.length === 0) continue;
      const istio = this.istioAt(subject, client, undefined);
      if (!istio.allowed) continue;
      this.ensureWorkloadNode(client);
      const ports = [...new Set(named.flatMap((rule) => (rule.to ?? []).flatMap((clause) => clause.ports ?? [])))];
      this.addFlow(from, self, { ports: ports.length > 0 ? ports.join(', ') : 'all ports', l7: istio.l7, allowedAt: ['istio'], rules: istio.rules });
    }
  }

  private peerNodes(peer: CiliumPeer): ConnectivityNode[] {
    switch (peer.kind) {
      case 'none':
        return [];
      case 'any':
        return [this.ensure({ id: 'any', kind: 'any', label: 'any peer', inScope: false })];
      case 'entity':
        return [this.ensure({ id: `entity:${peer.entity.toLowerCase()}`, kind: 'entity', label: peer.entity.toLowerCase(), inScope: false })];
      case 'cidr':
        return [this.ensure({ id: `cidr:${peer.cidr}`, kind: 'cidr', label: peer.except.length > 0 ? `${peer.cidr} except ${peer.except.join(', ')}` : peer.cidr, inScope: false })];
      case 'fqdn': {
        const name = peer.matchName ?? peer.matchPattern ?? peer.text;
        return [this.ensure({ id: `fqdn:${name}`, kind: 'fqdn', label: name, inScope: false })];
      }
      case 'endpoints': {
        const known = peer.workloads.map((id) => this.workloadsById.get(id)).filter((workload): workload is WorkloadInfo => workload !== undefined);
        if (known.length === 0) return [this.ensure({ id: `selector:${peer.text}`, kind: 'selector', label: peer.text, inScope: false })];
        // A selector that covers many workloads (`{}`, a whole namespace) is one node, not an edge to each of them.
        if (known.length > GROUP_LIMIT) {
          const text = `${peer.namespace !== undefined ? `${peer.namespace}/` : ''}${selectorText(peer.selector)}`;
          return [this.ensure({ id: `selector:${text}`, kind: 'selector', label: `${text} (${known.length} workloads)`, inScope: false })];
        }
        return known.map((workload) => this.ensureWorkloadNode(workload));
      }
      default:
        return [this.ensure({ id: `other:${peer.text}`, kind: 'other', label: peer.text, inScope: false })];
    }
  }

  private ensureWorkloadNode(workload: WorkloadInfo): ConnectivityNode {
    const id = workloadId(workload);
    return this.ensure({ id: `workload:${id}`, kind: 'workload', label: id, namespace: workload.namespace, inScope: false });
  }

  private ensure(node: ConnectivityNode): ConnectivityNode {
    const known = this.nodes.get(node.id);
    if (known) return known;
    this.nodes.set(node.id, node);
    return node;
  }

  private addFlow(from: string, to: string, flow: ConnectivityFlow): void {
    const id = `${from}->${to}`;
    let edge = this.edges.get(id);
    if (!edge) {
      edge = { id, from, to, flows: [] };
      this.edges.set(id, edge);
    }
    const same = edge.flows.find((known) => known.ports === flow.ports);
    if (!same) {
      edge.flows.push({ ...flow, l7: [...new Set(flow.l7)], rules: uniqueSources(flow.rules) });
      return;
    }
    // Both ends (or two policies) allow the same ports: one flow, every rule behind it (widening is recorded per allow).
    same.l7 = [...new Set([...same.l7, ...flow.l7])];
    same.allowedAt = [...new Set([...same.allowedAt, ...flow.allowedAt])];
    same.rules = uniqueSources([...same.rules, ...flow.rules]);
    same.l7WidenedBy ??= flow.l7WidenedBy;
  }

  private exclude(flow: ExcludedFlow): void {
    const key = `${flow.from}->${flow.to}:${flow.ports}`;
    if (!this.excluded.has(key)) this.excluded.set(key, { ...flow, rules: uniqueSources(flow.rules) });
  }

  result(scope: ConnectivityMap['scope']): ConnectivityMap {
    // A flow excluded from one side but allowed (and drawn) through another rule is not excluded.
    const excluded = [...this.excluded.values()].filter((flow) => !this.edges.get(`${flow.from}->${flow.to}`)?.flows.some((drawn) => drawn.ports === flow.ports));
    const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
    return {
      scope,
      ciliumMinor: this.minor,
      nodes: [...this.nodes.values()].sort(byId),
      edges: [...this.edges.values()].sort(byId).map((edge) => ({ ...edge, flows: [...edge.flows].sort((a, b) => a.ports.localeCompare(b.ports)) })),
      excluded: excluded.sort((a, b) => `${a.from}->${a.to}:${a.ports}`.localeCompare(`${b.from}->${b.to}:${b.ports}`)),
      notInForce: [...this.notInForce.values()],
      notes: [...this.notes.values()],
    };
  }
}

// ---------------------------------------------------------------- helpers

/** A concrete value to ask the model about a port rule: its number (the start of a range), its name, or 0 for every port. */
function probePort(port: CiliumPort): number | string {
  if (port.port === '') return 0;
  return /^\d+$/.test(port.port) ? Number(port.port) : port.port;
}

function portNumber(port: CiliumPort): number | undefined {
  return /^\d+$/.test(port.port) && port.port !== '0' ? Number(port.port) : undefined;
}

/** A deny entry covers a non-workload peer: it names every peer, the same entity/CIDR/FQDN, or `all`. */
function denyCoversPeer(deny: CiliumPeer, peer: CiliumPeer): boolean {
  if (deny.kind === 'any') return true;
  if (deny.kind === 'entity' && deny.entity.toLowerCase() === 'all') return true;
  return deny.kind === peer.kind && deny.text === peer.text;
}

function waypointIdentity(waypoint: { name: string; namespace: string }, port: number | undefined): IstioRequest {
  return { principal: `${TRUST_DOMAIN}/ns/${waypoint.namespace}/sa/${waypoint.name}`, namespace: waypoint.namespace, serviceAccount: `${waypoint.namespace}/${waypoint.name}`, port: port ?? 0, http: false };
}

/** Does the rule's `from` admit this client (operations and conditions aside)? */
function sourceMatches(rule: IstioRuleView, request: IstioRequest): boolean {
  return istioRuleMatches({ ...rule, action: 'DENY', to: undefined, when: undefined }, { ...request, http: true });
}

/** Is the port admitted by the rule's `to.operation.ports` (every port when the rule names none or the port is unknown)? */
function portAdmitted(rule: IstioRuleView, port: number | undefined): boolean {
  if (port === undefined) return true;
  const ports = (rule.to ?? []).flatMap((clause) => clause.ports ?? []);
  return ports.length === 0 || ports.includes(String(port));
}

/** `methods POST,GET paths /api/v2/orders*` from the rule's operations; empty when it names none. */
function operationText(rule: IstioRuleView): string {
  return (rule.to ?? [])
    .map((clause) =>
      Object.entries(clause)
        .filter(([field]) => field !== 'ports')
        .map(([field, values]) => `${field} ${values.join(',')}`)
        .join(' '),
    )
    .filter((text) => text !== '')
    .join(' | ');
}

/** `app=web,tier in (back,front)`; `all endpoints` for the empty selector. */
function selectorText(selector: LabelSelector): string {
  const labels = Object.entries(selector.matchLabels ?? {}).map(([key, value]) => `${key.replace(/^k8s:/, '')}=${value}`);
  const expressions = (selector.matchExpressions ?? []).map((expression) => `${expression.key.replace(/^k8s:/, '')} ${expression.operator}${expression.values && expression.values.length > 0 ? ` (${expression.values.join(',')})` : ''}`);
  const parts = [...labels, ...expressions];
  return parts.length > 0 ? parts.join(',') : 'all endpoints';
}

