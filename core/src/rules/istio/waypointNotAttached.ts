/**
 * authz/waypoint-not-attached: a targetRefs policy whose target is not served
 * by a waypoint — a Service (or ServiceEntry) without `istio.io/use-waypoint`
 * on it or its namespace, a waypoint that does not take service traffic, or a
 * target that does not exist in the workspace.
 */

import type { GatewayInfo, K8sIndex, NamespaceInfo } from '../../policy/k8sIndex';
import { TEMPLATE_PLACEHOLDER, type AuthzTargetRef } from '../../policy/authzModel';
import { deref, mapGet } from '../../parse/ast';
import type { CrossFileRule, RelatedInfo, RuleContext } from '../types';
import { AUTHZ_KINDS, WORKSPACE_CAVEAT, relatedAt, workspacePolicy } from './authzPolicy';

const NOT_ENFORCED = 'sidecars and ztunnel ignore targetRefs policies, so nothing enforces this policy';

export const waypointNotAttached: CrossFileRule = {
  meta: {
    id: 'authz/waypoint-not-attached',
    severity: 'warning',
    title: 'Policy target not served by a waypoint',
    kinds: AUTHZ_KINDS,
    crossFile: true,
    docs: {
      summary: 'A policy with `targetRefs` names a Service or ServiceEntry that is not bound to a waypoint (`istio.io/use-waypoint` on it or its namespace), a waypoint that does not handle service traffic (`istio.io/waypoint-for`), or a Service/Gateway that is not in the workspace.',
      why: 'Policies with targetRefs are enforced only by waypoints (and Gateway-API gateways). If the targeted Service has no waypoint, or its waypoint only takes workload-addressed traffic, no proxy ever evaluates the policy and its rules silently do nothing.',
      bad: 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels: {istio.io/dataplane-mode: ambient}\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: api\n  namespace: shop\nspec:\n  selector: {app: api}\n  ports: [{port: 80}]\n---\napiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: api, namespace: shop}\nspec:\n  targetRefs:\n  - {group: "", kind: Service, name: api}\n  rules:\n  - to:\n    - operation: {methods: [GET]}\n',
      good: 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels: {istio.io/dataplane-mode: ambient, istio.io/use-waypoint: waypoint}\n---\napiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: waypoint, namespace: shop}\nspec:\n  gatewayClassName: istio-waypoint\n  listeners: [{name: mesh, port: 15008, protocol: HBONE}]\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: api\n  namespace: shop\nspec:\n  selector: {app: api}\n  ports: [{port: 80}]\n---\napiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: api, namespace: shop}\nspec:\n  targetRefs:\n  - {group: "", kind: Service, name: api}\n  rules:\n  - to:\n    - operation: {methods: [GET]}\n',
      source: 'istio pilot/pkg/serviceregistry/ambient (WaypointAccepted: TargetNotFound, AncestorNotBound); istio/api label/labels.yaml (use-waypoint, waypoint-for)',
    },
  },
  check(context) {
    const found = workspacePolicy(context);
    if (!found) return;
    const { policy, index } = found;
    if (policy.scope.kind !== 'targetRefs') return;
    const namespace = index.namespace(policy.namespace);
    for (const ref of policy.scope.refs) {
      if (!ref.name || !ref.kind || ref.namespace || [ref.name, ref.kind, ref.group].includes(TEMPLATE_PLACEHOLDER)) continue;
      const node = deref(mapGet(ref.node, 'name')) ?? ref.node;
      const group = ref.group === '' ? 'core' : ref.group;
      if (group === 'core' && ref.kind === 'Service') checkService(context, index, policy.namespace, namespace, ref, node);
      else if (group === 'networking.istio.io' && ref.kind === 'ServiceEntry') checkServiceEntry(context, index, policy.namespace, namespace, ref, node);
      else if (group === 'gateway.networking.k8s.io' && ref.kind === 'Gateway') checkGateway(context, index, policy.namespace, ref, node);
    }
  },
};

function checkService(context: RuleContext, index: K8sIndex, policyNamespace: string, namespace: NamespaceInfo | undefined, ref: AuthzTargetRef, node: Parameters<RuleContext['report']>[0]): void {
  const service = index.service(policyNamespace, ref.name!);
  if (!service) {
    if (index.services.length > 0) context.report(node, `Service "${ref.name}" is not in namespace "${policyNamespace}" in this workspace (${WORKSPACE_CAVEAT}); a policy that targets a missing Service is never enforced.`);
    return;
  }
  const related: RelatedInfo[] = [relatedAt(service.source, `Service "${service.name}"`)];
  const waypoint = service.useWaypoint ?? namespace?.useWaypoint;
  if (waypoint === undefined && !namespace) return; // the namespace may carry the label outside the workspace
  if (waypoint === undefined || waypoint === 'none') {
    if (namespace) related.push(relatedAt(namespace.source, `namespace "${namespace.name}"`));
    const why = waypoint === 'none' ? 'opts out with `istio.io/use-waypoint: none`' : `has no \`istio.io/use-waypoint\` label and neither has namespace "${policyNamespace}"`;
    context.report(node, `Service "${service.name}" ${why}: no waypoint serves it and ${NOT_ENFORCED}.`, { related });
    return;
  }
  const waypointNamespace = service.useWaypoint !== undefined ? service.useWaypointNamespace ?? policyNamespace : namespace?.labels['istio.io/use-waypoint-namespace'] ?? policyNamespace;
  checkWaypointFor(context, index, waypointNamespace, waypoint, `Service "${service.name}"`, node, related);
}

function checkServiceEntry(context: RuleContext, index: K8sIndex, policyNamespace: string, namespace: NamespaceInfo | undefined, ref: AuthzTargetRef, node: Parameters<RuleContext['report']>[0]): void {
  const entry = index.serviceEntry(policyNamespace, ref.name!);
  if (!entry || !namespace) return;
  const waypoint = entry.useWaypoint ?? namespace.useWaypoint;
  if (waypoint === undefined || waypoint === 'none') {
    context.report(node, `ServiceEntry "${entry.name}" is not bound to a waypoint (no \`istio.io/use-waypoint\` on it or on namespace "${policyNamespace}"): ${NOT_ENFORCED}.`, {
      related: [relatedAt(entry.source, `ServiceEntry "${entry.name}"`), relatedAt(namespace.source, `namespace "${namespace.name}"`)],
    });
  }
}

function checkGateway(context: RuleContext, index: K8sIndex, policyNamespace: string, ref: AuthzTargetRef, node: Parameters<RuleContext['report']>[0]): void {
  const gateway = index.gateway(policyNamespace, ref.name!);
  if (!gateway) {
    if (index.gateways.length > 0) context.report(node, `Gateway "${ref.name}" is not in namespace "${policyNamespace}" in this workspace (${WORKSPACE_CAVEAT}); a policy that targets a missing Gateway is never enforced.`);
    return;
  }
  if (gateway.isWaypoint && gateway.waypointFor === 'none') {
    context.report(node, `Waypoint "${gateway.name}" is labelled \`istio.io/waypoint-for: none\`: it handles no traffic, so nothing enforces this policy.`, { related: [relatedAt(gateway.source, `Gateway "${gateway.name}"`)] });
  }
}

/** A Service bound to a waypoint that only takes workload (or no) traffic is never seen by it. */
function checkWaypointFor(context: RuleContext, index: K8sIndex, waypointNamespace: string, waypointName: string, target: string, node: Parameters<RuleContext['report']>[0], related: RelatedInfo[]): void {
  const gateway: GatewayInfo | undefined = index.gateway(waypointNamespace, waypointName);
  if (!gateway) {
    if (index.gateways.length > 0) context.report(node, `${target} uses waypoint "${waypointName}", which is not in namespace "${waypointNamespace}" in this workspace (${WORKSPACE_CAVEAT}).`, { related });
    return;
  }
  related.push(relatedAt(gateway.source, `Gateway "${gateway.name}"`));
  if (!gateway.isWaypoint) {
    context.report(node, `${target} uses "${waypointName}" as its waypoint, but that Gateway has gatewayClassName "${gateway.gatewayClassName ?? ''}", not istio-waypoint: ${NOT_ENFORCED}.`, { related });
  } else if (gateway.waypointFor === 'workload' || gateway.waypointFor === 'none') {
    context.report(node, `${target} uses waypoint "${waypointName}", which is labelled \`istio.io/waypoint-for: ${gateway.waypointFor}\` and does not handle service traffic: ${NOT_ENFORCED}. Use \`service\` or \`all\`.`, { related });
  }
}
