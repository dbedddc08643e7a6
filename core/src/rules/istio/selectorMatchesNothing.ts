/** authz/selector-matches-nothing: a workload selector that selects no workload of the workspace. */

import type { CrossFileRule } from '../types';
import { AUTHZ_KINDS, WORKSPACE_CAVEAT, workspacePolicy } from './authzPolicy';

export const selectorMatchesNothing: CrossFileRule = {
  meta: {
    id: 'authz/selector-matches-nothing',
    severity: 'warning',
    title: 'Selector matches no workload',
    kinds: AUTHZ_KINDS,
    crossFile: true,
    docs: {
      summary: 'The `selector.matchLabels` of an AuthorizationPolicy matches the pod labels of no workload in its namespace (any namespace for the root namespace), while the workspace does hold workloads there.',
      why: 'A policy whose selector matches nothing is never enforced; usually a label was misspelled or the policy sits in the wrong namespace. Only workloads in the workspace are known, so this is a warning.',
      bad: 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api, namespace: shop}\nspec:\n  template:\n    metadata:\n      labels: {app: api}\n---\napiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: api, namespace: shop}\nspec:\n  selector:\n    matchLabels: {app: apii}\n',
      good: 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api, namespace: shop}\nspec:\n  template:\n    metadata:\n      labels: {app: api}\n---\napiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: api, namespace: shop}\nspec:\n  selector:\n    matchLabels: {app: api}\n',
      source: 'istioctl analyze IST0127; Kiali KIA0004',
    },
  },
  check(context) {
    const found = workspacePolicy(context);
    if (!found) return;
    const { policy, index } = found;
    if (policy.scope.kind !== 'selector' || Object.keys(policy.scope.matchLabels).length === 0) return;
    const scopeNamespace = policy.scope.inRootNamespace ? undefined : policy.namespace;
    const candidates = index.workloadsIn(scopeNamespace);
    if (candidates.length === 0) return; // nothing known about this namespace
    if (index.workloadsMatching(scopeNamespace, { matchLabels: policy.scope.matchLabels }).length > 0) return;
    const where = scopeNamespace === undefined ? 'any namespace' : `namespace "${scopeNamespace}"`;
    const labels = Object.entries(policy.scope.matchLabels).map(([key, value]) => `${key}=${value}`).join(', ');
    context.report(policy.scope.node, `Selector ${labels} matches none of the ${candidates.length} workload(s) of ${where} in this workspace, so the policy is not enforced anywhere (${WORKSPACE_CAVEAT}).`);
  },
};
