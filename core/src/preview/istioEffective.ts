/**
 * The Istio half of a workload's effective policy (inbound), and the decision
 * for one request at each enforcement point.
 *
 * Where policies are enforced:
 * - sidecar: policies without targetRefs from the root namespace and the
 *   workload's namespace whose selector is absent or matches the pod labels;
 * - ambient, destination ztunnel: the same policies, as ztunnel keeps them
 *   (L4 only, ALLOW/DENY only);
 * - ambient with a waypoint: only targetRefs policies (the waypoint Gateway,
 *   a Service of the workload that uses the waypoint, or the `istio-waypoint`
 *   GatewayClass from the root namespace). The request must then pass the
 *   waypoint (client identity, full L7) and the destination ztunnel, which
 *   sees the waypoint's identity as the source.
 *
 * At each point: CUSTOM (sent to its provider), then DENY, then ALLOW — when
 * any ALLOW policy applies, what no ALLOW rule matches is denied (a policy
 * without rules applies and matches nothing). Dry-run policies are listed
 * apart and never enforced. Pure; never throws.
 */

import { isGatewayWorkload } from '../policy/authzEnforcement';
import { HTTP_ONLY_OPERATION_FIELDS, HTTP_ONLY_SOURCE_FIELDS, isHttpOnlyConditionKey } from '../policy/authzAttributes';
import type { K8sIndex, WorkloadInfo } from '../policy/k8sIndex';
import { istioValueMatches } from './httpMatch';
import type { IstioPolicyEntry, IstioPolicyIndex } from './istioIndex';
import type { IstioClause, IstioCondition, IstioPoint, IstioPointView, IstioRuleView, IstioView, SourceRef } from './model';
import { shortLocation } from './sources';
import { appendAll } from '../util/appendAll';

export const TRUST_DOMAIN = 'cluster.local';

export function istioModeOf(workload: WorkloadInfo, index: K8sIndex): { mode: IstioView['mode']; reason: string } {
  if (isGatewayWorkload(workload)) return { mode: 'gateway', reason: 'an Istio gateway (Envoy): AuthorizationPolicies that select it are enforced there, at L7' };
  const namespace = index.namespace(workload.namespace);
  const podMode = workload.podLabels['istio.io/dataplane-mode'];
  if (podMode === 'ambient') return { mode: 'ambient', reason: 'pod label istio.io/dataplane-mode=ambient' };
  const inject = workload.podLabels['sidecar.istio.io/inject'];
  if (podMode !== 'none' && namespace?.dataplaneMode === 'ambient') return { mode: 'ambient', reason: `namespace ${workload.namespace} has istio.io/dataplane-mode=ambient` };
  if (inject === 'true') return { mode: 'sidecar', reason: 'pod label sidecar.istio.io/inject=true' };
  if (inject !== 'false' && (namespace?.istioInjection === 'enabled' || namespace?.labels['istio.io/rev'])) {
    return { mode: 'sidecar', reason: `namespace ${workload.namespace} has ${namespace.istioInjection === 'enabled' ? 'istio-injection=enabled' : 'istio.io/rev'}` };
  }
  return { mode: 'none', reason: 'not in the mesh (no sidecar injection or ambient label on the pod or its namespace)' };
}

interface WaypointChoice {
  name: string;
  namespace: string;
  via: 'pod' | 'service' | 'namespace';
  services: string[];
}

/**
 * Per-namespace views of the policy and service lists, built once per list
 * (the lists are immutable values of their derived indexes), so a workload
 * looks only at its own namespace's entries instead of every entry in the
 * workspace. Each group keeps the list order.
 */
const byNamespaceCache = new WeakMap<readonly object[], Map<string, readonly { position: number; entry: unknown }[]>>();

function groupByNamespace<T extends { namespace: string }>(list: readonly T[]): Map<string, readonly { position: number; entry: T }[]> {
  let groups = byNamespaceCache.get(list) as Map<string, { position: number; entry: T }[]> | undefined;
  if (!groups) {
    groups = new Map();
    list.forEach((entry, position) => {
      const group = groups!.get(entry.namespace);
      if (group) group.push({ position, entry });
      else groups!.set(entry.namespace, [{ position, entry }]);
    });
    byNamespaceCache.set(list, groups);
  }
  return groups;
}

/** The entries of `list` in any of `namespaces`, in list order. */
function inNamespaces<T extends { namespace: string }>(list: readonly T[], namespaces: readonly string[]): T[] {
  const groups = groupByNamespace(list);
  const distinct = [...new Set(namespaces)];
  if (distinct.length === 1) return (groups.get(distinct[0]) ?? []).map((item) => item.entry);
  const picked = distinct.flatMap((namespace) => groups.get(namespace) ?? []);
  picked.sort((a, b) => a.position - b.position);
  return picked.map((item) => item.entry);
}

function waypointOf(workload: WorkloadInfo, index: K8sIndex): WaypointChoice | undefined {
  const services = inNamespaces(index.services, [workload.namespace]).filter((service) => service.selector && Object.keys(service.selector).length > 0 && Object.entries(service.selector).every(([key, value]) => workload.podLabels[key] === value));
  const pod = workload.podLabels['istio.io/use-waypoint'];
  if (pod === 'none') return undefined;
  const serviceNames = services.map((service) => service.name);
  if (pod) return { name: pod, namespace: workload.podLabels['istio.io/use-waypoint-namespace'] ?? workload.namespace, via: 'pod', services: serviceNames };
  const viaService = services.find((service) => service.useWaypoint && service.useWaypoint !== 'none');
  if (viaService) return { name: viaService.useWaypoint!, namespace: viaService.useWaypointNamespace ?? workload.namespace, via: 'service', services: serviceNames };
  const namespace = index.namespace(workload.namespace);
  if (namespace?.useWaypoint && namespace.useWaypoint !== 'none' && !services.some((service) => service.useWaypoint === 'none')) {
    return { name: namespace.useWaypoint, namespace: namespace.labels['istio.io/use-waypoint-namespace'] ?? workload.namespace, via: 'namespace', services: serviceNames };
  }
  return undefined;
}

/** Does a policy without targetRefs apply to the workload (sidecar and ztunnel)? */
function appliesToWorkload(policy: IstioPolicyEntry, workload: WorkloadInfo, rootNamespace: string): boolean {
  const scope = policy.scope;
  if (scope.kind === 'targetRefs') return false;
  if (policy.namespace !== rootNamespace && policy.namespace !== workload.namespace) return false;
  if (scope.kind === 'selector') return Object.entries(scope.matchLabels).every(([key, value]) => workload.podLabels[key] === value);
  return true;
}

function appliesAtWaypoint(policy: IstioPolicyEntry, waypoint: WaypointChoice, workload: WorkloadInfo, rootNamespace: string): boolean {
  if (policy.scope.kind !== 'targetRefs') return false;
  return policy.scope.refs.some((ref) => {
    if (ref.kind === 'Gateway') return ref.group === 'gateway.networking.k8s.io' && ref.name === waypoint.name && policy.namespace === waypoint.namespace;
    if (ref.kind === 'Service') return (ref.group === '' || ref.group === 'core') && policy.namespace === workload.namespace && waypoint.services.includes(ref.name);
    if (ref.kind === 'GatewayClass') return ref.group === 'gateway.networking.k8s.io' && ref.name === 'istio-waypoint' && policy.namespace === rootNamespace;
    return false;
  });
}

function pointView(point: IstioPoint, policies: IstioPolicyEntry[], sourceIdentity: 'client' | 'waypoint'): IstioPointView {
  const view: IstioPointView = { point, custom: [], deny: [], allow: [], allowPolicies: [], dryRun: [], sourceIdentity, notes: [] };
  for (const policy of policies) {
    if (policy.notInForce) {
      view.notes.push({ kind: 'not-in-force', message: `${policy.namespace}/${policy.name} is not in force: ${policy.notInForce.reason}`, at: policy.source });
      continue;
    }
    if (policy.dryRun) {
      view.dryRun.push(policy.source);
      continue;
    }
    const rules = point === 'ztunnel' ? policy.ztunnelRules : policy.rules;
    if (point === 'ztunnel' && (policy.action === 'CUSTOM' || policy.action === 'AUDIT')) {
      view.notes.push({ kind: 'info', message: `${policy.action} policy ${policy.namespace}/${policy.name} is not sent to ztunnel`, at: policy.source });
      continue;
    }
    if (policy.action === 'CUSTOM') appendAll(view.custom, rules);
    else if (policy.action === 'DENY') appendAll(view.deny, rules);
    else if (policy.action === 'ALLOW') {
      view.allowPolicies.push(policy.source);
      appendAll(view.allow, rules);
      if (!policy.hasRules) view.notes.push({ kind: 'info', message: `${policy.namespace}/${policy.name} has no rules: it allows nothing, yet makes the workload default-deny`, at: policy.source });
    }
    for (const rule of rules) {
      if (rule.dropped) {
        view.notes.push({ kind: 'ztunnel-drops-rule', message: `ztunnel drops this ALLOW rule (uses ${rule.dropped.join(', ')}, which need a waypoint)`, at: rule.source });
      } else if (rule.stripped && rule.action === 'ALLOW') {
        view.notes.push({ kind: 'info', message: `ztunnel silently ignores ${rule.stripped.join(', ')}: this ALLOW rule ${rule.neverMatches ? 'never matches' : 'matches more than written'}`, at: rule.source });
      } else if (rule.stripped && rule.neverMatches) {
        view.notes.push({ kind: 'ztunnel-deny-noop', message: `ztunnel strips ${rule.stripped.join(', ')} and this DENY rule can never fire`, at: rule.source });
      } else if (rule.stripped) {
        view.notes.push({ kind: 'ztunnel-deny-broader', message: `ztunnel strips ${rule.stripped.join(', ')}: this DENY applies to all matching L4 traffic`, at: rule.source });
      }
    }
  }
  return view;
}

export function istioViewFor(workload: WorkloadInfo, policies: IstioPolicyIndex, index: K8sIndex, makeWaypointSource?: (choice: { name: string; namespace: string }) => SourceRef | undefined): IstioView {
  const { mode, reason } = istioModeOf(workload, index);
  const root = policies.rootNamespace;
  // Only the root namespace's and the workload's own policies can apply (`appliesToWorkload`).
  const workloadPolicies = inNamespaces(policies.policies, [root, workload.namespace]).filter((policy) => appliesToWorkload(policy, workload, root));
  if (mode === 'sidecar') return { mode, modeReason: reason, points: [pointView('sidecar', workloadPolicies, 'client')] };
  if (mode === 'gateway') return { mode, modeReason: reason, points: [pointView('gateway', workloadPolicies, 'client')] };
  if (mode !== 'ambient') return { mode, modeReason: reason, points: [] };
  const waypoint = waypointOf(workload, index);
  if (!waypoint) return { mode, modeReason: reason, points: [pointView('ztunnel', workloadPolicies, 'client')] };
  // `appliesAtWaypoint` accepts only policies of the waypoint's, the workload's or the root namespace.
  const waypointPolicies = inNamespaces(policies.policies, [waypoint.namespace, workload.namespace, root]).filter((policy) => appliesAtWaypoint(policy, waypoint, workload, root));
  const source = makeWaypointSource?.(waypoint);
  const ztunnel = pointView('ztunnel', workloadPolicies, 'waypoint');
  ztunnel.notes.push({ kind: 'info', message: `traffic arrives from waypoint ${waypoint.namespace}/${waypoint.name}: ztunnel sees the waypoint's identity, not the client's` });
  return {
    mode,
    modeReason: reason,
    waypoint: { name: waypoint.name, namespace: waypoint.namespace, via: waypoint.via, ...(source ? { source } : {}) },
    points: [pointView('waypoint', waypointPolicies, 'client'), ztunnel],
  };
}

// ---------------------------------------------------------------- request evaluation

export interface IstioRequest {
  /** mTLS identity `cluster.local/ns/x/sa/y`; undefined for plaintext (a client outside the mesh). */
  principal?: string;
  namespace?: string;
  /** `namespace/serviceAccount`. */
  serviceAccount?: string;
  port: number;
  /** The connection carries HTTP (a method or path was given) and the point parses it. */
  http: boolean;
  method?: string;
  path?: string;
  host?: string;
  headers?: Record<string, string>;
}

export interface IstioPointDecision {
  verdict: 'allow' | 'deny';
  reason: string;
  decidedBy: SourceRef[];
  notes: string[];
}

const WILDCARD_CIDRS = ['0.0.0.0/0', '::/0'];

/** The request's value for an attribute; undefined when the request does not have it. */
function attribute(field: string, request: IstioRequest): string | undefined {
  switch (field.replace(/^not/, '').replace(/^./, (char) => char.toLowerCase())) {
    case 'principals':
    case 'source.principal':
      return request.principal;
    case 'namespaces':
    case 'source.namespace':
      return request.principal ? request.namespace : undefined;
    case 'serviceAccounts':
    case 'source.serviceAccount':
      return request.principal ? request.serviceAccount : undefined;
    case 'trustDomains':
    case 'source.trustDomain':
      return request.principal ? TRUST_DOMAIN : undefined;
    case 'hosts':
      return request.http ? request.host : undefined;
    case 'ports':
    case 'destination.port':
      return String(request.port);
    case 'methods':
      return request.http ? request.method : undefined;
    case 'paths':
      return request.http ? request.path?.replace(/\?.*$/, '') : undefined;
    default:
      if (field.startsWith('request.headers[')) {
        const name = field.slice('request.headers['.length, -1).toLowerCase();
        const entry = Object.entries(request.headers ?? {}).find(([key]) => key.toLowerCase() === name);
        return request.http ? entry?.[1] : undefined;
      }
      return undefined;
  }
}

function valueKind(field: string): 'path' | 'host' | 'plain' {
  if (field === 'paths' || field === 'notPaths') return 'path';
  if (field === 'hosts' || field === 'notHosts') return 'host';
  return 'plain';
}

/** Positive list: the attribute is present and some value matches. IP fields: the client IP is not known, only `0.0.0.0/0` matches. */
function listMatches(field: string, values: string[], request: IstioRequest): boolean {
  if (/ipBlocks$|IpBlocks$|\.ip$/.test(field)) return values.some((value) => WILDCARD_CIDRS.includes(value));
  const actual = attribute(field, request);
  if (actual === undefined) return false;
  return values.some((value) => istioValueMatches(value, actual, valueKind(field)));
}

function isHttpOnlyField(field: string): boolean {
  return HTTP_ONLY_SOURCE_FIELDS.has(field) || HTTP_ONLY_OPERATION_FIELDS.has(field) || isHttpOnlyConditionKey(field);
}

function clauseMatches(clause: IstioClause, request: IstioRequest, ignoreHttpOnly: boolean): boolean {
  const fields = Object.entries(clause).filter(([field]) => !(ignoreHttpOnly && isHttpOnlyField(field)));
  if (fields.length === 0) return false;
  return fields.every(([field, values]) => (field.startsWith('not') ? !listMatches(field, values, request) : listMatches(field, values, request)));
}

function conditionMatches(condition: IstioCondition, request: IstioRequest): boolean {
  if (condition.values && !listMatches(condition.key, condition.values, request)) return false;
  if (condition.notValues && listMatches(condition.key, condition.notValues, request)) return false;
  return true;
}

function ruleUsesHttpOnly(rule: IstioRuleView): boolean {
  const clauses = [...(rule.from ?? []), ...(rule.to ?? [])];
  return clauses.some((clause) => Object.keys(clause).some(isHttpOnlyField)) || (rule.when ?? []).some((condition) => isHttpOnlyConditionKey(condition.key));
}

/**
 * Does the rule match? On a connection that is not HTTP, Envoy skips ALLOW
 * rules with HTTP-only attributes and ignores those attributes in DENY
 * rules (ztunnel views were already reduced to L4).
 */
export function istioRuleMatches(rule: IstioRuleView, request: IstioRequest): boolean {
  if (rule.neverMatches) return false;
  const ignoreHttpOnly = !request.http && rule.action !== 'ALLOW';
  if (!request.http && rule.action === 'ALLOW' && ruleUsesHttpOnly(rule)) return false;
  if (rule.from && rule.from.length > 0 && !rule.from.some((clause) => clauseMatches(clause, request, ignoreHttpOnly))) return false;
  if (rule.to && rule.to.length > 0 && !rule.to.some((clause) => clauseMatches(clause, request, ignoreHttpOnly))) return false;
  for (const condition of rule.when ?? []) {
    if (ignoreHttpOnly && isHttpOnlyConditionKey(condition.key)) continue;
    if (!conditionMatches(condition, request)) return false;
  }
  return true;
}

export function decideAtPoint(view: IstioPointView, request: IstioRequest): IstioPointDecision {
  const notes: string[] = [];
  const custom = view.custom.find((rule) => istioRuleMatches(rule, request));
  if (custom) notes.push(`CUSTOM ${custom.policy} sends the request to ext-authz provider ${custom.provider ?? '?'} (${shortLocation(custom.source)}); its answer is not known here, assumed allow`);
  const deny = view.deny.find((rule) => istioRuleMatches(rule, request));
  if (deny) return { verdict: 'deny', reason: `DENY rule matches: ${deny.text}`, decidedBy: [deny.source], notes };
  if (view.allowPolicies.length === 0) return { verdict: 'allow', reason: 'no ALLOW policy applies here, so what no DENY matches is allowed', decidedBy: custom ? [custom.source] : [], notes };
  const allow = view.allow.find((rule) => istioRuleMatches(rule, request));
  if (allow) return { verdict: 'allow', reason: `ALLOW rule matches: ${allow.text}`, decidedBy: [allow.source], notes };
  const dropped = view.allow.filter((rule) => rule.dropped);
  const why = dropped.length > 0 ? ` (ztunnel dropped ${dropped.length === 1 ? '1 rule that uses' : `${dropped.length} rules that use`} L7 attributes)` : '';
  return { verdict: 'deny', reason: `ALLOW policies apply and none matches${why}`, decidedBy: view.allowPolicies, notes };
}

