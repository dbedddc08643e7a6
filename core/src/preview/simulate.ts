/**
 * "Would this request pass?": a request from one workload to another on a
 * port (optionally an HTTP method, path, host and headers), judged layer by
 * layer from the effective-policy model:
 * - `cilium-l3l4`: the client's egress and the server's ingress must both
 *   allow the peer on the port (deny wins; default-deny per direction);
 * - `cilium-l7`: when either side redirects the port to the proxy, the
 *   request must match an HTTP rule of each side that filters (a side with an
 *   L3/L4-only allow for the peer lets every request through);
 * - Istio at the destination: `istio-sidecar`, or in ambient `istio-waypoint`
 *   (client identity, L7) followed by `istio-ztunnel` (L4; the waypoint's
 *   identity when there is a waypoint).
 * The verdict is `deny` when any layer denies. Every layer names the rules
 * that decided it (file, 1-based line, rule label). Never throws.
 */

import type { AnalysisOptions } from '../options';

import type { WorkspaceView } from '../workspace/workspace';
import { previewIndex } from './workloads/previewIndex';
import { decidePort, workloadCovers, type CiliumPortDecision } from './ciliumEffective';
import { containerPorts, effectivePolicyOf } from './effectivePolicy';
import { peerCoversExternal, resolveEnd, type ExternalEnd } from './endpoints';
import { ciliumHttpRuleMatches, type HttpRequest } from './httpMatch';
import { decideAtPoint, istioModeOf, TRUST_DOMAIN, type IstioRequest } from './istioEffective';
import type { CiliumDirectionView, CiliumPeer, SourceRef } from './model';
import { shortLocation } from './sources';
import { dnsRuleMatches } from './dnsMatch';
import { resolveCluster, type ClusterScope } from './clusterScope';
import { uniqueSources } from './sources';

export interface SimulateQuery {
  /** Client: `namespace/name`, a label set `namespace/key=value,…`, an entity, an IP/CIDR or a DNS name (see `endpoints.ts`). */
  from: string;
  /** Server, in the same forms. */
  to: string;
  port: number;
  /** `TCP` (default), `UDP`, `SCTP`. */
  protocol?: string;
  method?: string;
  path?: string;
  host?: string;
  headers?: Record<string, string>;
  /** Judge with the policies this cluster deploys (see `clusterScope.ts`); the whole workspace when omitted. */
  cluster?: string;
}

export type SimulateLayerName = 'cilium-l3l4' | 'cilium-l7' | 'istio-ztunnel' | 'istio-waypoint' | 'istio-sidecar' | 'istio-gateway';

export interface SimulateLayer {
  layer: SimulateLayerName;
  verdict: 'allow' | 'deny';
  reason: string;
  /** The deciding rules; each has `file`, `line` (1-based) and `rule`, plus its document range. */
  decidedBy: SourceRef[];
}

export interface SimulateResult {
  verdict: 'allow' | 'deny';
  from: string;
  to: string;
  request: { port: number; protocol: string; method?: string; path?: string; host?: string };
  layers: SimulateLayer[];
  decidedBy: SourceRef[];
  /** The cluster asked for, and whether its policies alone were judged (false: the repository models no cluster). */
  cluster?: { name: string; scoped: boolean };
}

export type SimulateOutcome = SimulateResult | { error: string };

export function isSimulateError(outcome: SimulateOutcome): outcome is { error: string } {
  return 'error' in outcome;
}

export function simulateRequest(workspace: WorkspaceView, query: SimulateQuery, options: AnalysisOptions): SimulateOutcome {
  const client = resolveEnd(workspace, query.from);
  if (client.kind === 'error') return { error: client.error };
  const server = resolveEnd(workspace, query.to);
  if (server.kind === 'error') return { error: server.error };
  if (client.kind === 'external' && server.kind === 'external') return { error: `"${query.from}" and "${query.to}" are both outside the pod network: no Cilium or Istio policy of the repository sits between them` };
  if (!Number.isInteger(query.port) || query.port < 1 || query.port > 65535) return { error: `port must be 1–65535, not ${query.port}` };
  const cluster = query.cluster !== undefined ? resolveCluster(workspace, query.cluster) : undefined;
  if (cluster?.kind === 'error') return { error: cluster.error };
  const scope = cluster?.kind === 'cluster' ? cluster.scope : undefined;
  const clientModel = client.kind === 'workload' ? effectivePolicyOf(workspace, client.workload, options, scope) : undefined;
  const serverModel = server.kind === 'workload' ? effectivePolicyOf(workspace, server.workload, options, scope) : undefined;
  const index = previewIndex(workspace);
  const minor = (clientModel ?? serverModel)!.cilium.minor;
  const protocol = (query.protocol ?? 'TCP').toUpperCase();
  const named = server.kind === 'workload' && server.workload.source.file !== '' ? containerPorts(workspace, server.workload) : {};
  const http: HttpRequest = { method: query.method, path: query.path, host: query.host, headers: query.headers };
  const isHttp = protocol === 'TCP' && (query.method !== undefined || query.path !== undefined);
  const covers = (end: typeof client) => (end.kind === 'workload' ? workloadCovers(end.workload, index) : (peer: CiliumPeer) => peerCoversExternal(peer, (end as { external: ExternalEnd }).external, minor));

  const layers: SimulateLayer[] = [];
  const egress = clientModel ? withRefusedPolicies(decidePort(clientModel.cilium.egress, covers(server), query.port, protocol, named), clientModel.cilium.egress) : outsideDecision(`${client.text} is not a Cilium endpoint: no egress policy of the repository applies to it`);
  const ingress = serverModel ? withRefusedPolicies(decidePort(serverModel.cilium.ingress, covers(client), query.port, protocol, named), serverModel.cilium.ingress) : outsideDecision(`${server.text} is outside the pod network: no ingress policy of the repository applies there`);
  layers.push(l3l4Layer(egress, ingress, { from: client.text, to: server.text }));
  if (egress.allowed && ingress.allowed && (egress.l7 !== 'none' || ingress.l7 !== 'none')) layers.push(l7Layer(egress, ingress, http, isHttp, query.port));

  if (serverModel) {
    const clientMode = client.kind === 'workload' ? istioModeOf(client.workload, index).mode : 'none';
    const inMesh = clientMode === 'sidecar' || clientMode === 'ambient' || clientMode === 'gateway';
    const clientWorkload = client.kind === 'workload' ? client.workload : undefined;
    const clientIdentity: Omit<IstioRequest, 'http'> = {
      ...(inMesh && clientWorkload ? { principal: `${TRUST_DOMAIN}/ns/${clientWorkload.namespace}/sa/${clientWorkload.serviceAccountName}`, namespace: clientWorkload.namespace, serviceAccount: `${clientWorkload.namespace}/${clientWorkload.serviceAccountName}` } : {}),
      port: query.port,
      method: query.method,
      path: query.path,
      host: query.host,
      headers: query.headers,
    };
    const waypoint = serverModel.istio.waypoint;
    for (const point of serverModel.istio.points) {
      const identity: Omit<IstioRequest, 'http'> =
        point.sourceIdentity === 'waypoint' && waypoint
          ? { ...clientIdentity, principal: `${TRUST_DOMAIN}/ns/${waypoint.namespace}/sa/${waypoint.name}`, namespace: waypoint.namespace, serviceAccount: `${waypoint.namespace}/${waypoint.name}` }
          : clientIdentity;
      const decision = decideAtPoint(point, { ...identity, http: point.point !== 'ztunnel' && isHttp });
      const reason = [decision.reason, ...decision.notes].join('; ');
      layers.push({ layer: `istio-${point.point}` as SimulateLayerName, verdict: decision.verdict, reason, decidedBy: decision.decidedBy });
    }
  }

  const denied = layers.filter((layer) => layer.verdict === 'deny');
  const verdict = denied.length > 0 ? 'deny' : 'allow';
  const deciding = (denied.length > 0 ? denied : layers).flatMap((layer) => layer.decidedBy);
  return {
    verdict,
    from: client.text,
    to: server.text,
    request: { port: query.port, protocol, ...(query.method !== undefined ? { method: query.method } : {}), ...(query.path !== undefined ? { path: query.path } : {}), ...(query.host !== undefined ? { host: query.host } : {}) },
    layers,
    decidedBy: uniqueSources(deciding),
    ...(query.cluster !== undefined ? { cluster: { name: query.cluster, scoped: scope !== undefined } } : {}),
  };
}

/** The two ends of a connection once resolved (no errors). */
export type ConnectionEnd = Exclude<ReturnType<typeof resolveEnd>, { kind: 'error' }>;

/** Which side of the connection an observation saw: the client's egress, the server's ingress, or both. */
export type ObservationScope = 'egress' | 'ingress' | 'both';

export interface CiliumRequest {
  port: number;
  protocol: string;
  /** HTTP request of an L7 record; undefined for an L3/L4 record (the L7 layer is then not judged). */
  http?: HttpRequest;
  /** DNS name of an L7 DNS record (`api.github.com`, no trailing dot). */
  dnsQuery?: string;
}

export interface CiliumJudgement {
  verdict: 'allow' | 'deny';
  layers: SimulateLayer[];
  decidedBy: SourceRef[];
  /** The client's egress decision when the client is a Cilium endpoint and the egress side was judged. */
  egress?: CiliumPortDecision;
}

/**
 * The Cilium part of `simulateRequest` for two resolved ends, limited to the
 * side an observation saw (a flow recorded at the client's egress says
 * nothing about the server's ingress, and the reverse). L7 is judged only
 * when the request carries HTTP or DNS (an L3/L4 record of a proxied port is
 * a connection the proxy accepts; its requests are judged by their own
 * records). Used by flow replay.
 */
export function judgeCilium(
  workspace: WorkspaceView,
  client: ConnectionEnd,
  server: ConnectionEnd,
  request: CiliumRequest,
  options: AnalysisOptions,
  scope: ObservationScope,
  cluster?: ClusterScope,
): CiliumJudgement {
  const clientModel = client.kind === 'workload' ? effectivePolicyOf(workspace, client.workload, options, cluster) : undefined;
  const serverModel = server.kind === 'workload' ? effectivePolicyOf(workspace, server.workload, options, cluster) : undefined;
  const index = previewIndex(workspace);
  const minor = (clientModel ?? serverModel)?.cilium.minor ?? '';
  const named = server.kind === 'workload' && server.workload.source.file !== '' ? containerPorts(workspace, server.workload) : {};
  const covers = (end: ConnectionEnd) => (end.kind === 'workload' ? workloadCovers(end.workload, index) : (peer: CiliumPeer) => peerCoversExternal(peer, end.external, minor));
  const egress =
    scope === 'ingress'
      ? outsideDecision(`recorded at the ingress of ${server.text}: the egress of ${client.text} is judged by its own record`)
      : clientModel
        ? withRefusedPolicies(decidePort(clientModel.cilium.egress, covers(server), request.port, request.protocol, named), clientModel.cilium.egress)
        : outsideDecision(`${client.text} is not a Cilium endpoint: no egress policy of the repository applies to it`);
  const ingress =
    scope === 'egress'
      ? outsideDecision(`recorded at the egress of ${client.text}: the ingress of ${server.text} is judged by its own record`)
      : serverModel
        ? withRefusedPolicies(decidePort(serverModel.cilium.ingress, covers(client), request.port, request.protocol, named), serverModel.cilium.ingress)
        : outsideDecision(`${server.text} is outside the pod network: no ingress policy of the repository applies there`);
  const layers: SimulateLayer[] = [l3l4Layer(egress, ingress, { from: client.text, to: server.text }, scope)];
  const l7Judged = request.http !== undefined || request.dnsQuery !== undefined;
  if (l7Judged && egress.allowed && ingress.allowed && (egress.l7 !== 'none' || ingress.l7 !== 'none')) {
    const http = request.http ?? {};
    const isHttp = request.http !== undefined && (http.method !== undefined || http.path !== undefined);
    layers.push(l7Layer(egress, ingress, http, isHttp, request.port, request.dnsQuery, minor));
  }
  const denied = layers.filter((layer) => layer.verdict === 'deny');
  return {
    verdict: denied.length > 0 ? 'deny' : 'allow',
    layers,
    decidedBy: uniqueSources((denied.length > 0 ? denied : layers).flatMap((layer) => layer.decidedBy)),
    ...(clientModel && scope !== 'ingress' ? { egress } : {}),
  };
}

/**
 * When no rule in force decided (nothing allowed or denied the peer), the
 * policies of the direction that are not in force are part of the answer:
 * they would have, had the agent accepted them.
 */
function withRefusedPolicies(decision: CiliumPortDecision, view: CiliumDirectionView): CiliumPortDecision {
  if (decision.deniedBy || decision.allowedBy.length > 0) return decision;
  const refused = view.notes.filter((note) => note.kind === 'not-in-force');
  if (refused.length === 0) return decision;
  return {
    ...decision,
    reason: `${decision.reason}; ${refused.map((note) => note.message).join('; ')}`,
    decidedBy: [...decision.decidedBy, ...refused.flatMap((note) => (note.because ? [note.because] : []))],
  };
}

/** A side with no policy of its own (an entity, a CIDR, a DNS name): it lets everything pass. */
function outsideDecision(reason: string): CiliumPortDecision {
  return { allowed: true, reason, allowedBy: [], l7: 'none', http: [], other: [], decidedBy: [] };
}

function l3l4Layer(egress: CiliumPortDecision, ingress: CiliumPortDecision, query: { from: string; to: string }, scope: ObservationScope = 'both'): SimulateLayer {
  const allowed = egress.allowed && ingress.allowed;
  const parts: string[] = [];
  if ((!egress.allowed || allowed) && scope !== 'ingress') parts.push(`egress of ${query.from}: ${egress.reason}`);
  if ((!ingress.allowed || allowed) && scope !== 'egress') parts.push(`ingress of ${query.to}: ${ingress.reason}`);
  const decidedBy = [...(egress.allowed && !allowed ? [] : egress.decidedBy), ...(ingress.allowed && !allowed ? [] : ingress.decidedBy)];
  return { layer: 'cilium-l3l4', verdict: allowed ? 'allow' : 'deny', reason: parts.join('; '), decidedBy: uniqueSources(decidedBy) };
}

function l7Side(side: 'egress' | 'ingress', decision: CiliumPortDecision, request: HttpRequest, isHttp: boolean, port: number, dnsQuery?: string, minor = ''): { allow: boolean; reason: string; decidedBy: SourceRef[] } {
  if (decision.l7 === 'none') return { allow: true, reason: `${side}: no L7 rules on :${port}`, decidedBy: [] };
  if (decision.l7 === 'unrestricted') {
    const wide = decision.widenedBy!;
    return { allow: true, reason: `${side}: L7 unrestricted on :${port} because ${shortLocation(wide.source)} allows the port without rules`, decidedBy: [wide.source] };
  }
  const dnsRules = decision.allowedBy.flatMap((entry) => entry.l7?.dns ?? []);
  if (dnsQuery !== undefined && dnsRules.length > 0) {
    const match = dnsRules.find((rule) => dnsRuleMatches(rule, dnsQuery, minor));
    if (match) return { allow: true, reason: `${side}: DNS query ${dnsQuery} matches ${match.text}`, decidedBy: [match.source] };
    return { allow: false, reason: `${side}: DNS query ${dnsQuery} matches no DNS rule (${dnsRules.slice(0, 4).map((rule) => rule.text).join(' · ')}); the DNS proxy refuses it`, decidedBy: dnsRules.map((rule) => rule.source) };
  }
  if (decision.http.length === 0) return { allow: true, reason: `${side}: ${decision.other.join(', ')} rules are not evaluated for this request`, decidedBy: decision.decidedBy };
  if (!isHttp) return { allow: false, reason: `${side}: :${port} is filtered by HTTP rules and the request gives no method or path (a non-HTTP connection fails there)`, decidedBy: decision.http.map((rule) => rule.source) };
  const match = decision.http.find((rule) => ciliumHttpRuleMatches(rule, request));
  if (match) return { allow: true, reason: `${side}: matches ${match.text}`, decidedBy: [match.source] };
  const listed = decision.http.map((rule) => rule.text);
  return {
    allow: false,
    reason: `${side}: no HTTP rule matches (allowed: ${listed.slice(0, 4).join(' · ')}${listed.length > 4 ? ` … +${listed.length - 4}` : ''}); the proxy answers 403`,
    decidedBy: decision.http.map((rule) => rule.source),
  };
}

function l7Layer(egress: CiliumPortDecision, ingress: CiliumPortDecision, request: HttpRequest, isHttp: boolean, port: number, dnsQuery?: string, minor = ''): SimulateLayer {
  const sides = [l7Side('egress', egress, request, isHttp, port, dnsQuery, minor), l7Side('ingress', ingress, request, isHttp, port, dnsQuery, minor)].filter((side) => side.reason && !side.reason.endsWith(`no L7 rules on :${port}`));
  const denied = sides.filter((side) => !side.allow);
  const shown = denied.length > 0 ? denied : sides;
  return { layer: 'cilium-l7', verdict: denied.length > 0 ? 'deny' : 'allow', reason: shown.map((side) => side.reason).join('; '), decidedBy: uniqueSources(shown.flatMap((side) => side.decidedBy)) };
}

