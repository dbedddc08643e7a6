/**
 * Flow replay: recorded Hubble flows judged by the repository's policies.
 * Each flow is mapped onto the effective-policy model — its source and
 * destination become workloads (a declared or inferred workload found by its
 * owner or pod name, else a pod known by its recorded namespace, labels and
 * service account), Cilium entities (`reserved:` labels or reserved identity
 * numbers) or outside addresses (the IP with its DNS names) — and judged by
 * `judgeCilium` on the side where Hubble saw it (egress of the source,
 * ingress of the destination). L7 records are judged with their HTTP method,
 * path and host or their DNS query.
 *
 * Flows are grouped into classes (same recorded verdict, direction, ends,
 * protocol, port and L7 request); each class is judged once and counted.
 * Outcomes: `newly-dropped` (recorded as passing, the policies would drop it:
 * traffic that breaks), `newly-allowed` (dropped by policy, would now pass),
 * `undecided` (the model cannot tell: unknown workload, an outside address
 * that only FQDN rules could allow and that has no recorded DNS name, ICMP),
 * `still-allowed`, `still-dropped`. Records that say nothing about policy
 * (replies, non-policy drops, trace-only verdicts, non-flow lines) are
 * counted as skipped, malformed lines as malformed.
 *
 * With a base revision (`limits.base`, e.g. the target branch), every class
 * is also judged by the base's policies, and the classes whose verdict the
 * revision under review changes are marked `now-denied` / `now-allowed`.
 *
 * Istio authorization is not judged: Hubble sees the connection the sidecar
 * or ztunnel accepts, and Istio's denials are not Cilium drops.
 *
 * Invariants: pure (the caller streams lines in; nothing here does IO); never
 * throws on any input; memory is bounded by `maxClasses` (classes beyond it
 * are judged and counted, not listed) and the malformed samples kept.
 */

import type { AnalysisOptions } from '../options';
import type { WorkspaceView } from '../workspace/workspace';
import { portsCover } from './ciliumEffective';
import { labelSetWorkload, type ExternalEnd, ENTITIES } from './endpoints';
import type { CiliumAllowEntry, SourceRef } from './model';
import { effectivePolicyOf } from './effectivePolicy';
import type { ClusterScope } from './clusterScope';
import { judgeCilium, type CiliumJudgement, type ConnectionEnd, type ObservationScope, type SimulateLayer } from './simulate';
import { readFlowLine, type FlowEndpointRecord, type FlowRecord } from './replayFlows';
import { nearWorkloadNames } from './workloads/nearMatches';
import { previewIndex } from './workloads/previewIndex';

export type ReplayOutcome = 'newly-dropped' | 'newly-allowed' | 'undecided' | 'still-allowed' | 'still-dropped';

export const REPLAY_OUTCOMES: readonly ReplayOutcome[] = ['newly-dropped', 'newly-allowed', 'undecided', 'still-allowed', 'still-dropped'];

export interface ReplayClass {
  outcome: ReplayOutcome;
  /** Flows of the class. */
  count: number;
  /** Recorded verdict (`FORWARDED`, `AUDIT`, `REDIRECTED`, `DROPPED`). */
  recorded: string;
  direction: 'ingress' | 'egress' | 'unknown';
  from: string;
  to: string;
  protocol: string;
  port?: number;
  http?: { method?: string; path?: string; host?: string };
  dnsQuery?: string;
  /** The model's verdict; undefined when undecided. */
  verdict?: 'allow' | 'deny';
  reason: string;
  layers: SimulateLayer[];
  /** The rules that decide (file, 1-based line, rule label). */
  decidedBy: SourceRef[];
  /** 1-based line of the first record of the class. */
  firstLine: number;
  /** With a base revision: its verdict (undefined when undecided there) and the rules that decide it. */
  base?: { verdict?: 'allow' | 'deny'; reason: string; decidedBy: SourceRef[] };
  /** With a base revision: the revision under review denies what the base allowed, or the reverse. */
  change?: ReplayChange;
}

export type ReplayChange = 'now-denied' | 'now-allowed';
export const REPLAY_CHANGES: readonly ReplayChange[] = ['now-denied', 'now-allowed'];

export interface ReplayReport {
  /** Lines read (blank ones included). */
  lines: number;
  /** Flow records read (judged or skipped). */
  flows: number;
  malformed: number;
  /** The first malformed lines with the reason. */
  malformedSamples: { line: number; reason: string }[];
  /** Records not judged, by reason. */
  skipped: Record<string, number>;
  /** Per outcome: classes listed and flows (listed or not). */
  outcomes: Record<ReplayOutcome, { classes: number; flows: number }>;
  /** Judged classes, most important first (outcome order, then count). */
  classes: ReplayClass[];
  /** Flows of classes beyond `maxClasses`: counted in `outcomes`, not listed. */
  unlisted: { flows: number };
  /** With a base revision: classes and flows whose verdict the revision under review changes. */
  changes?: Record<ReplayChange, { classes: number; flows: number }>;
}

export interface ReplayLimits {
  /** Judge with the policies this cluster deploys (see `clusterScope.ts`). */
  cluster?: ClusterScope;
  /** A base revision (e.g. the target branch): every class is judged by both, and the changes are counted. */
  base?: { workspace: WorkspaceView; cluster?: ClusterScope };
  /** Classes kept and listed (default 20,000). */
  maxClasses?: number;
  /** Malformed lines kept as samples (default 20). */
  maxMalformedSamples?: number;
}

export interface FlowReplay {
  /** Reads one line of an export (the CLI streams them in). */
  addLine(line: string): void;
  /** Adds a line the reader refused before parsing (too long, not text). */
  addMalformed(reason: string): void;
  report(): ReplayReport;
}

const POLICY_DROP_REASONS = new Set(['POLICY_DENIED', 'POLICY_DENY', 'AUTH_REQUIRED']);
const PASSING_VERDICTS = new Set(['FORWARDED', 'REDIRECTED', 'AUDIT']);
/** Reserved identity numbers (`pkg/identity` numeric identities 1–10). */
const RESERVED_IDENTITIES: Record<number, string> = { 1: 'host', 2: 'world', 3: 'unmanaged', 4: 'health', 5: 'init', 6: 'remote-node', 7: 'kube-apiserver', 8: 'ingress', 9: 'world-ipv4', 10: 'world-ipv6' };
const NAMESPACE_LABEL = 'io.kubernetes.pod.namespace';
const SERVICE_ACCOUNT_LABEL = 'io.cilium.k8s.policy.serviceaccount';
/** Cilium's bookkeeping labels that are not pod labels. */
const META_LABELS = new Set([NAMESPACE_LABEL, SERVICE_ACCOUNT_LABEL, 'io.cilium.k8s.policy.cluster']);
const MAX_ENDS_CACHED = 50_000;

type EndResolution = { end: ConnectionEnd } | { undecided: string };

interface ClassState {
  result: ReplayClass;
}

export function createFlowReplay(workspace: WorkspaceView, options: AnalysisOptions, limits: ReplayLimits = {}): FlowReplay {
  const maxClasses = limits.maxClasses ?? 20_000;
  const maxSamples = limits.maxMalformedSamples ?? 20;
  const classes = new Map<string, ClassState>();
  /** Outcomes of classes beyond the cap, so repeated flows are not judged again (cleared when full). */
  const overflow = new Map<string, { outcome: ReplayOutcome; change?: ReplayChange }>();
  const ends = new Map<string, EndResolution>();
  const baseEnds = new Map<string, EndResolution>();
  const report: ReplayReport = {
    lines: 0,
    flows: 0,
    malformed: 0,
    malformedSamples: [],
    skipped: {},
    outcomes: Object.fromEntries(REPLAY_OUTCOMES.map((outcome) => [outcome, { classes: 0, flows: 0 }])) as ReplayReport['outcomes'],
    classes: [],
    unlisted: { flows: 0 },
    ...(limits.base ? { changes: Object.fromEntries(REPLAY_CHANGES.map((change) => [change, { classes: 0, flows: 0 }])) as NonNullable<ReplayReport['changes']> } : {}),
  };

  const skip = (reason: string) => {
    report.skipped[reason] = (report.skipped[reason] ?? 0) + 1;
  };
  const malformed = (reason: string) => {
    report.malformed++;
    if (report.malformedSamples.length < maxSamples) report.malformedSamples.push({ line: report.lines, reason });
  };

  const resolverOf = (target: WorkspaceView, cache: Map<string, EndResolution>) => (endpoint: FlowEndpointRecord): EndResolution => {
    const key = endKey(endpoint);
    let resolution = cache.get(key);
    if (!resolution) {
      resolution = resolveFlowEnd(target, endpoint);
      if (cache.size >= MAX_ENDS_CACHED) cache.clear();
      cache.set(key, resolution);
    }
    return resolution;
  };
  const resolve = resolverOf(workspace, ends);
  const resolveBase = limits.base ? resolverOf(limits.base.workspace, baseEnds) : undefined;
  const countChange = (change: ReplayChange | undefined, newClass: boolean) => {
    if (!change || !report.changes) return;
    report.changes[change].flows++;
    if (newClass) report.changes[change].classes++;
  };

  const addFlow = (flow: FlowRecord) => {
    report.flows++;
    const why = skipReason(flow);
    if (why) return skip(why);
    const recorded = flow.verdict;
    const http = httpOf(flow);
    const dnsQuery = flow.l7?.dns?.query !== undefined ? flow.l7.dns.query.replace(/\.$/, '').toLowerCase() : undefined;
    const l7Key = http ? `${http.method ?? ''}\u0000${http.path ?? ''}\u0000${http.host ?? ''}` : (dnsQuery ?? '');
    const key = `${recorded}\u0000${flow.direction}\u0000${endKey(flow.source)}\u0000${endKey(flow.destination)}\u0000${flow.protocol ?? ''}\u0000${flow.port ?? ''}\u0000${http ? 'h' : dnsQuery !== undefined ? 'd' : ''}${l7Key}`;
    const known = classes.get(key);
    if (known) {
      known.result.count++;
      report.outcomes[known.result.outcome].flows++;
      countChange(known.result.change, false);
      return;
    }
    const seen = overflow.get(key);
    if (seen) {
      report.outcomes[seen.outcome].flows++;
      countChange(seen.change, false);
      report.unlisted.flows++;
      return;
    }
    const result = judgeFlow(workspace, options, flow, http, dnsQuery, resolve, report.lines, limits.cluster);
    if (limits.base && resolveBase) {
      const before = judgeFlow(limits.base.workspace, options, flow, http, dnsQuery, resolveBase, report.lines, limits.base.cluster);
      result.base = { ...(before.verdict ? { verdict: before.verdict } : {}), reason: before.reason, decidedBy: before.decidedBy };
      if (before.verdict === 'allow' && result.verdict === 'deny') result.change = 'now-denied';
      else if (before.verdict === 'deny' && result.verdict === 'allow') result.change = 'now-allowed';
    }
    report.outcomes[result.outcome].flows++;
    if (classes.size < maxClasses) {
      classes.set(key, { result });
      report.outcomes[result.outcome].classes++;
      countChange(result.change, true);
    } else {
      if (overflow.size >= maxClasses) overflow.clear();
      overflow.set(key, { outcome: result.outcome, ...(result.change ? { change: result.change } : {}) });
      countChange(result.change, false);
      report.unlisted.flows++;
    }
  };

  return {
    addLine(line: string) {
      report.lines++;
      const parsed = readFlowLine(line);
      if (parsed.kind === 'blank') return;
      if (parsed.kind === 'malformed') return malformed(parsed.reason);
      if (parsed.kind === 'other') return skip(`not a flow (${parsed.what})`);
      try {
        addFlow(parsed.flow);
      } catch (error) {
        // The model never throws on its own; this keeps one odd record from ending a long replay.
        malformed(`record could not be judged: ${error instanceof Error ? error.message : String(error)}`);
      }
    },
    addMalformed(reason: string) {
      report.lines++;
      malformed(reason);
    },
    report() {
      const order = new Map(REPLAY_OUTCOMES.map((outcome, position) => [outcome, position]));
      const listed = [...classes.values()].map((state) => state.result);
      listed.sort((a, b) => order.get(a.outcome)! - order.get(b.outcome)! || b.count - a.count || a.firstLine - b.firstLine);
      return { ...report, skipped: { ...report.skipped }, outcomes: Object.fromEntries(REPLAY_OUTCOMES.map((outcome) => [outcome, { ...report.outcomes[outcome] }])) as ReplayReport['outcomes'], classes: listed, malformedSamples: [...report.malformedSamples], unlisted: { ...report.unlisted }, ...(report.changes ? { changes: { 'now-denied': { ...report.changes['now-denied'] }, 'now-allowed': { ...report.changes['now-allowed'] } } } : {}) };
    },
  };
}

/** Why a record says nothing about policy, or undefined when it is judged. */
function skipReason(flow: FlowRecord): string | undefined {
  if (flow.reply) return 'reply';
  if (flow.verdict === 'DROPPED') {
    // An L7 denial carries no drop reason; an L3/L4 drop names one.
    if (flow.dropReason !== undefined && !POLICY_DROP_REASONS.has(flow.dropReason)) return `dropped for a reason other than policy (${flow.dropReason})`;
    return undefined;
  }
  if (!PASSING_VERDICTS.has(flow.verdict)) return `verdict ${flow.verdict} (no policy decision)`;
  if (flow.l7 && flow.l7.type !== undefined && flow.l7.type !== 'REQUEST') return `L7 ${flow.l7.type.toLowerCase()} record`;
  return undefined;
}

function httpOf(flow: FlowRecord): { method?: string; path?: string; host?: string } | undefined {
  const http = flow.l7?.http;
  if (!http) return undefined;
  const { path, host } = splitUrl(http.url ?? '');
  return { ...(http.method ? { method: http.method } : {}), ...(path !== undefined ? { path } : {}), ...(host !== undefined ? { host } : {}) };
}

/** `http://api.shop:8080/orders?id=7` → path `/orders?id=7` (what Envoy matches as `:path`) and host `api.shop:8080`. */
function splitUrl(url: string): { path?: string; host?: string } {
  const scheme = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.exec(url);
  if (!scheme) return url.startsWith('/') ? { path: url } : {};
  const rest = url.slice(scheme[0].length);
  const slash = rest.indexOf('/');
  const host = slash === -1 ? rest : rest.slice(0, slash);
  return { host: host || undefined, path: slash === -1 ? '/' : rest.slice(slash) };
}

// ---------------------------------------------------------------- ends

/** What identifies an end for grouping (pod IPs and names left out: replicas share a class). */
function endKey(endpoint: FlowEndpointRecord): string {
  const external = endpoint.labels.length === 0 || endpoint.labels.some((label) => label.startsWith('reserved:') || label.startsWith('cidr:'));
  const workloadNames = endpoint.workloads.map((workload) => workload.name).join(',');
  const podPart = endpoint.labels.length === 0 && workloadNames === '' ? (endpoint.podName ?? '') : '';
  return `${endpoint.namespace ?? ''}|${endpoint.identity ?? ''}|${endpoint.labels.join(',')}|${workloadNames}|${podPart}|${external ? `${endpoint.ip ?? ''}|${endpoint.names.join(',')}` : ''}`;
}

function resolveFlowEnd(workspace: WorkspaceView, endpoint: FlowEndpointRecord): EndResolution {
  const entities: string[] = [];
  const cidrs: string[] = [];
  const podLabels: Record<string, string> = {};
  let namespace = endpoint.namespace;
  let serviceAccount = 'default';
  for (const label of endpoint.labels) {
    const colon = label.indexOf(':');
    const source = colon === -1 ? 'k8s' : label.slice(0, colon);
    const rest = colon === -1 ? label : label.slice(colon + 1);
    const equals = rest.indexOf('=');
    const key = equals === -1 ? rest : rest.slice(0, equals);
    const value = equals === -1 ? '' : rest.slice(equals + 1);
    if (source === 'reserved') entities.push(key);
    else if (source === 'cidr') cidrs.push(key);
    else if (source === 'k8s') {
      if (key === NAMESPACE_LABEL) namespace ??= value;
      else if (key === SERVICE_ACCOUNT_LABEL) serviceAccount = value;
      else if (!META_LABELS.has(key)) podLabels[key] = value;
    }
  }
  if (entities.length === 0 && endpoint.identity !== undefined && RESERVED_IDENTITIES[endpoint.identity] && endpoint.labels.length === 0) entities.push(RESERVED_IDENTITIES[endpoint.identity]);
  if (entities.length > 0 || cidrs.length > 0) return { end: externalEnd(entities, cidrs, endpoint) };
  const index = previewIndex(workspace);
  if (namespace) {
    for (const name of candidateNames(endpoint)) {
      const workload = index.workload(namespace, name);
      if (workload) return { end: { kind: 'workload', workload, text: `${workload.namespace}/${workload.name}`, labelSet: false } };
    }
    if (Object.keys(podLabels).length > 0) {
      const labelText = Object.entries(podLabels)
        .map(([key, value]) => `${key}=${value}`)
        .join(',');
      const workload = labelSetWorkload(namespace, podLabels, serviceAccount, labelText, 'a recorded flow');
      return { end: { kind: 'workload', workload, text: `${namespace}/${shortLabels(podLabels, endpoint)}`, labelSet: true } };
    }
    const named = endpoint.workloads[0]?.name ?? endpoint.podName;
    const near = named ? nearWorkloadNames(`${namespace}/${named}`, index) : [];
    return { undecided: `unknown workload ${namespace}/${named ?? '?'}: the record carries no labels and the repository declares or implies no workload by that name${near.length > 0 ? ` (near: ${near.join(', ')})` : ''}` };
  }
  if (endpoint.ip) return { end: externalEnd(['world'], [], endpoint) };
  return { undecided: 'an end without namespace, labels, identity or address' };
}

/** Workload names a record points at: its owners (a ReplicaSet stands for its Deployment), then names derived from the pod name. */
function candidateNames(endpoint: FlowEndpointRecord): string[] {
  const names: string[] = [];
  for (const workload of endpoint.workloads) {
    names.push(workload.name);
    if (workload.kind === 'ReplicaSet') names.push(workload.name.replace(/-[a-z0-9]{5,10}$/, ''));
  }
  const pod = endpoint.podName;
  if (pod) {
    names.push(pod.replace(/-[a-z0-9]{5,10}-[a-z0-9]{5}$/, ''), pod.replace(/-[a-z0-9]{5}$/, ''), pod.replace(/-\d+$/, ''), pod);
  }
  return [...new Set(names)];
}

function shortLabels(podLabels: Record<string, string>, endpoint: FlowEndpointRecord): string {
  const preferred = ['app.kubernetes.io/name', 'app', 'k8s-app', 'name'].find((key) => podLabels[key] !== undefined);
  if (preferred) return `${preferred}=${podLabels[preferred]}`;
  const first = Object.entries(podLabels)[0];
  return first ? `${first[0]}=${first[1]}` : (endpoint.podName ?? '?');
}

function externalEnd(entities: string[], cidrs: string[], endpoint: FlowEndpointRecord): ConnectionEnd {
  const known = entities.filter((entity) => (ENTITIES as readonly string[]).includes(entity));
  const worldLike = known.length === 0 || known.some((entity) => entity.startsWith('world'));
  const parts: ExternalEnd[] = known.map((entity) => ({ kind: 'entity', entity }));
  if (worldLike) {
    if (endpoint.ip) parts.push({ kind: 'cidr', cidr: endpoint.ip });
    for (const cidr of cidrs) parts.push({ kind: 'cidr', cidr });
    for (const name of endpoint.names) parts.push({ kind: 'fqdn', name: name.replace(/\.$/, '').toLowerCase() });
    if (!known.includes('world')) parts.push({ kind: 'entity', entity: 'world' });
  }
  const named = endpoint.names[0]?.replace(/\.$/, '');
  const text = worldLike ? `world ${named ?? endpoint.ip ?? cidrs[0] ?? ''}`.trim() : known.join('+');
  return { kind: 'external', external: parts.length === 1 ? parts[0] : { kind: 'identity', ends: parts }, text };
}

// ---------------------------------------------------------------- judging

function judgeFlow(
  workspace: WorkspaceView,
  options: AnalysisOptions,
  flow: FlowRecord,
  http: ReplayClass['http'],
  dnsQuery: string | undefined,
  resolve: (endpoint: FlowEndpointRecord) => EndResolution,
  line: number,
  cluster: ClusterScope | undefined,
): ReplayClass {
  const source = resolve(flow.source);
  const destination = resolve(flow.destination);
  const from = 'end' in source ? source.end.text : describe(flow.source);
  const to = 'end' in destination ? destination.end.text : describe(flow.destination);
  const base = {
    count: 1,
    recorded: flow.verdict,
    direction: flow.direction,
    from,
    to,
    protocol: flow.protocol ?? '?',
    ...(flow.port !== undefined ? { port: flow.port } : {}),
    ...(http ? { http } : {}),
    ...(dnsQuery !== undefined ? { dnsQuery } : {}),
    firstLine: line,
  };
  const recordedPass = flow.verdict !== 'DROPPED';
  const undecided = (reason: string): ReplayClass => ({ ...base, outcome: 'undecided', reason, layers: [], decidedBy: [] });
  if ('undecided' in source) return undecided(`source: ${source.undecided}`);
  if ('undecided' in destination) return undecided(`destination: ${destination.undecided}`);
  if (source.end.kind === 'external' && destination.end.kind === 'external') return undecided('both ends are outside the pod network (host or node traffic): no policy of the repository judges it here');
  if (flow.protocol === 'ICMPv4' || flow.protocol === 'ICMPv6') return undecided(`${flow.protocol}: the model judges ports, not ICMP types`);
  if (flow.protocol === undefined || flow.port === undefined) return undecided('the record has no destination port');
  const scope: ObservationScope = flow.direction === 'unknown' ? 'both' : flow.direction;
  const judgement = judgeCilium(workspace, source.end, destination.end, { port: flow.port, protocol: flow.protocol, ...(http ? { http } : {}), ...(dnsQuery !== undefined ? { dnsQuery } : {}) }, options, scope, cluster);
  const reason = judgement.layers
    .filter((layer) => judgement.verdict === 'allow' || layer.verdict === 'deny')
    .map((layer) => `${layer.layer}: ${layer.reason}`)
    .join('; ');
  const fqdn = judgement.verdict === 'deny' ? fqdnAllowsFor(workspace, options, judgement, source.end, destination.end, flow, cluster) : [];
  if (fqdn.length > 0) {
    return { ...undecided(`the destination address ${flow.destination.ip ?? ''} has no recorded DNS name, and only the egress FQDN rules (${fqdn.slice(0, 3).map((allow) => allow.peer.text).join(', ')}) could allow it: which names resolve to it cannot be known offline`), layers: judgement.layers, decidedBy: fqdn.map((allow) => allow.source) };
  }
  const outcome: ReplayOutcome = recordedPass ? (judgement.verdict === 'deny' ? 'newly-dropped' : 'still-allowed') : judgement.verdict === 'allow' ? 'newly-allowed' : 'still-dropped';
  return { ...base, outcome, verdict: judgement.verdict, reason, layers: judgement.layers, decidedBy: judgement.decidedBy };
}

/** A world destination without DNS names that the client's egress denies at L3/L4 (no explicit deny) while FQDN rules cover the port: those rules. */
function fqdnAllowsFor(workspace: WorkspaceView, options: AnalysisOptions, judgement: CiliumJudgement, client: ConnectionEnd, destination: ConnectionEnd, flow: FlowRecord, cluster: ClusterScope | undefined): CiliumAllowEntry[] {
  if (client.kind !== 'workload' || destination.kind !== 'external' || flow.destination.names.length > 0 || flow.port === undefined) return [];
  const egress = judgement.egress;
  if (!egress || egress.allowed || egress.deniedBy) return [];
  const model = effectivePolicyOf(workspace, client.workload, options, cluster);
  return model.cilium.egress.allows.filter((allow) => allow.peer.kind === 'fqdn' && portsCover(allow.ports, flow.port!, flow.protocol ?? 'TCP'));
}

function describe(endpoint: FlowEndpointRecord): string {
  const name = endpoint.workloads[0]?.name ?? endpoint.podName;
  if (endpoint.namespace && name) return `${endpoint.namespace}/${name}`;
  return endpoint.namespace ?? endpoint.ip ?? (endpoint.identity !== undefined ? `identity ${endpoint.identity}` : '?');
}

