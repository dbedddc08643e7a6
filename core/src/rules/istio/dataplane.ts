/**
 * Which dataplane enforces an AuthorizationPolicy for the workloads it reaches,
 * as far as the workspace tells: only ztunnel (every reached workload is
 * ambient without a waypoint binding), only proxies (sidecars, gateways or a
 * waypoint via `targetRefs`), or both. Rules that describe what a policy does
 * ask this once so that two of them never say contradictory things about the
 * same range (`authz/deny-http-only-without-ports` is proxy semantics,
 * `authz/l7-on-ztunnel` ztunnel semantics).
 */

import { ztunnelBinding } from '../../policy/authzEnforcement';
import type { AuthzPolicy } from '../../policy/authzModel';
import type { K8sIndex } from '../../policy/k8sIndex';

export type Enforcer = 'ztunnel' | 'proxy' | 'both';

export function enforcerOf(policy: AuthzPolicy, index: K8sIndex): Enforcer {
  const binding = ztunnelBinding(policy, index);
  if (!binding) return 'proxy';
  const scope = policy.scope;
  if (scope.kind === 'mesh') return 'both';
  if (scope.kind === 'namespace') return 'ztunnel';
  if (scope.kind !== 'selector') return 'both';
  if (binding.matchedWorkloads.length === 0) return 'ztunnel';
  const matched = index.workloadsMatching(scope.inRootNamespace ? undefined : policy.namespace, { matchLabels: scope.matchLabels }); // gateways among them are proxies
  return matched.length === binding.matchedWorkloads.length ? 'ztunnel' : 'both';
}
