/**
 * Where an AuthorizationPolicy is enforced in ambient mode, and what ztunnel
 * keeps of it. Shared by the `authz/*` cross-file rules and usable by the
 * effective-policy model.
 *
 * ztunnel receives every policy without targetRefs whose scope reaches an
 * ambient workload: mesh-wide from the root namespace, namespace-wide, or by
 * selector. It enforces only ALLOW/DENY and only L4 attributes: an ALLOW rule
 * with any L7 attribute is dropped whole; a DENY rule loses its L7 attributes,
 * and when a whole `from`/`to` clause or any `when` condition is left empty
 * the rule can never fire.
 *
 * Lookups go through the index's per-namespace tables (`workloadsMatching`
 * narrows by label postings), so a policy costs the workloads it selects.
 */

import type { NamespaceInfo, K8sIndex, WorkloadInfo } from './k8sIndex';
import { L7_OPERATION_FIELDS, L7_SOURCE_FIELDS, ZTUNNEL_OPERATION_FIELDS, ZTUNNEL_SOURCE_FIELDS, isZtunnelConditionKey } from './authzAttributes';
import type { AuthzPolicy, AuthzRule } from './authzModel';
import type { YamlNode } from '../parse/ast';

export interface ZtunnelBinding {
  /** Ambient namespaces through which the policy reaches ztunnel (the evidence). */
  ambientNamespaces: NamespaceInfo[];
  /** Workloads the selector matched in the workspace (selector scope only). */
  matchedWorkloads: WorkloadInfo[];
}

/** Pods that Istio gateways (ingress, egress, Gateway-API, waypoint) run as: Envoy, not ztunnel. */
export function isGatewayWorkload(workload: WorkloadInfo): boolean {
  // Workloads the preview infers or users declare say so themselves (an Envoy Gateway proxy carries the Gateway API label but is no Istio gateway).
  const origin = (workload as { origin?: { gateway?: boolean } }).origin;
  if (origin) return origin.gateway === true;
  const labels = workload.podLabels;
  return 'istio.io/gateway-name' in labels || 'gateway.networking.k8s.io/gateway-name' in labels || labels.istio === 'ingressgateway' || labels.istio === 'egressgateway';
}

function isAmbientWorkload(workload: WorkloadInfo, index: K8sIndex): boolean {
  const podMode = workload.podLabels['istio.io/dataplane-mode'];
  if (podMode === 'none') return false;
  if (podMode === 'ambient') return true;
  return index.namespace(workload.namespace)?.dataplaneMode === 'ambient';
}

const ambientByNamespaces = new WeakMap<readonly NamespaceInfo[], readonly NamespaceInfo[]>();

/** The ambient namespaces of an index's namespace list, worked out once per list. */
function ambientNamespaces(namespaces: readonly NamespaceInfo[]): readonly NamespaceInfo[] {
  let ambient = ambientByNamespaces.get(namespaces);
  if (!ambient) {
    ambient = namespaces.filter((namespace) => namespace.dataplaneMode === 'ambient');
    ambientByNamespaces.set(namespaces, ambient);
  }
  return ambient;
}

/**
 * Does the policy reach ztunnel for some ambient workload of the workspace?
 * Undefined when it does not (targetRefs, no ambient namespace, or every
 * matched workload is a gateway or opted out).
 */
export function ztunnelBinding(policy: AuthzPolicy, index: K8sIndex): ZtunnelBinding | undefined {
  const scope = policy.scope;
  if (scope.kind === 'targetRefs') return undefined;
  if (scope.kind === 'mesh') {
    const ambient = ambientNamespaces(index.namespaces);
    return ambient.length > 0 ? { ambientNamespaces: [...ambient], matchedWorkloads: [] } : undefined;
  }
  const own = index.namespace(policy.namespace);
  if (scope.kind === 'namespace') return own?.dataplaneMode === 'ambient' ? { ambientNamespaces: [own], matchedWorkloads: [] } : undefined;
  const matched = index.workloadsMatching(scope.inRootNamespace ? undefined : policy.namespace, { matchLabels: scope.matchLabels });
  if (matched.length > 0) {
    const enforced = matched.filter((workload) => !isGatewayWorkload(workload) && isAmbientWorkload(workload, index));
    if (enforced.length === 0) return undefined;
    const namespaces = [...new Set(enforced.map((workload) => workload.namespace))].map((name) => index.namespace(name)).filter((namespace): namespace is NamespaceInfo => namespace !== undefined);
    return { ambientNamespaces: namespaces, matchedWorkloads: enforced };
  }
  if (scope.inRootNamespace) return undefined;
  return own?.dataplaneMode === 'ambient' ? { ambientNamespaces: [own], matchedWorkloads: [] } : undefined;
}

export interface L7Attribute {
  /** `methods`, `requestPrincipals`, `request.headers[x-user]`… */
  name: string;
  node: YamlNode;
  part: 'from' | 'to' | 'when';
}

export interface ZtunnelRuleView {
  rule: AuthzRule;
  /** Attributes ztunnel cannot evaluate. */
  l7: L7Attribute[];
  /** DENY only: after stripping, some clause is empty, so the rule never fires. */
  neverFires: boolean;
}

/** What ztunnel makes of each rule that has L7 attributes. */
export function ztunnelRuleViews(policy: AuthzPolicy): ZtunnelRuleView[] {
  const views: ZtunnelRuleView[] = [];
  for (const rule of policy.rules ?? []) {
    const l7: L7Attribute[] = [];
    let neverFires = false;
    if (rule.from && rule.from.length > 0) {
      let anyKept = false;
      for (const source of rule.from) {
        for (const [field, list] of Object.entries(source.fields)) if (L7_SOURCE_FIELDS.has(field)) l7.push({ name: field, node: list!.pair.key, part: 'from' });
        if (Object.keys(source.fields).some((field) => ZTUNNEL_SOURCE_FIELDS.has(field))) anyKept = true;
      }
      if (!anyKept) neverFires = true;
    }
    if (rule.to && rule.to.length > 0) {
      let anyKept = false;
      for (const operation of rule.to) {
        for (const [field, list] of Object.entries(operation.fields)) if (L7_OPERATION_FIELDS.has(field)) l7.push({ name: field, node: list!.pair.key, part: 'to' });
        if (Object.keys(operation.fields).some((field) => ZTUNNEL_OPERATION_FIELDS.has(field))) anyKept = true;
      }
      if (!anyKept) neverFires = true;
    }
    for (const condition of rule.when ?? []) {
      if (condition.key && !isZtunnelConditionKey(condition.key)) {
        l7.push({ name: condition.key, node: condition.keyNode ?? condition.node, part: 'when' });
        neverFires = true;
      }
    }
    if (l7.length > 0) views.push({ rule, l7, neverFires });
  }
  return views;
}
