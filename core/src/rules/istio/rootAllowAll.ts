/**
 * authz/root-allow-all: a selector-less ALLOW policy in the root namespace
 * with an empty rule (`rules: [{}]`) matches every request to every workload
 * of the mesh, so every other (restricting) ALLOW policy enforced by sidecars or ztunnel
 * can no longer narrow anything (a request is allowed when any ALLOW policy
 * matches it). Reported only when such other ALLOW policies exist.
 */

import { workspacePolicy, AUTHZ_KINDS, policyLabel, WORKSPACE_CAVEAT } from './authzPolicy';
import { meshPolicies } from './meshObjects';
import type { AuthzPolicy, AuthzRule } from '../../policy/authzModel';
import type { CrossFileRule, RelatedInfo } from '../types';

/** A rule with no `from`, `to` or `when`: matches every request. */
export function matchesEverything(rule: AuthzRule): boolean {
  return rule.from === undefined && rule.to === undefined && rule.when === undefined;
}

/** An ALLOW policy that allows every request in its scope. */
export function allowsAll(policy: AuthzPolicy): boolean {
  return policy.action === 'ALLOW' && !policy.dryRun && (policy.rules ?? []).some(matchesEverything);
}

export const rootAllowAll: CrossFileRule = {
  meta: {
    id: 'authz/root-allow-all',
    severity: 'warning',
    title: 'Mesh-wide allow-all makes other ALLOW policies moot',
    kinds: AUTHZ_KINDS,
    crossFile: true,
    docs: {
      summary: 'An ALLOW AuthorizationPolicy in the root namespace without `selector` or `targetRefs` that has an empty rule (`rules: [{}]`), while other ALLOW policies exist in the mesh.',
      why: 'Istio allows a request when any ALLOW policy that applies to the workload matches it. A policy in the root namespace (`istio-system` unless configured otherwise) without a selector applies to every workload, and an empty rule matches every request, so no other ALLOW policy can restrict anything any more: each of them is moot. Scope the allow-all to the namespaces that need it, or remove it. DENY and CUSTOM policies still apply.',
      bad: 'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: allow-all, namespace: istio-system}\nspec:\n  action: ALLOW\n  rules:\n    - {}\n---\napiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: api, namespace: shop}\nspec:\n  selector:\n    matchLabels: {app: api}\n  rules:\n    - from:\n        - source: {namespaces: [web]}\n',
      good: 'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: allow-all, namespace: legacy}\nspec:\n  action: ALLOW\n  rules:\n    - {}\n---\napiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: api, namespace: shop}\nspec:\n  selector:\n    matchLabels: {app: api}\n  rules:\n    - from:\n        - source: {namespaces: [web]}\n',
      source: 'istio.io security/authorization (policy precedence: ALLOW if any ALLOW policy matches; root namespace policies apply mesh-wide)',
    },
  },
  check(context) {
    const found = workspacePolicy(context);
    if (!found) return;
    const { policy } = found;
    if (policy.scope.kind !== 'mesh' || !allowsAll(policy)) return;
    const rule = (policy.rules ?? []).find(matchesEverything)!;
    const others = meshPolicies(context.workspace, context.options.istioRootNamespace).filter(
      (other) =>
        other.policy.action === 'ALLOW' &&
        !other.policy.dryRun &&
        other.policy.scope.kind !== 'targetRefs' &&
        // An allow-all elsewhere restricts nothing either.
        !allowsAll(other.policy) &&
        !(other.document.file === context.file && other.document.index === context.documentIndex),
    );
    if (others.length === 0) return;
    const related: RelatedInfo[] = others.slice(0, 5).map((other) => ({
      at: { file: other.document.file, document: other.document.index, start: 0, end: 0 },
      message: `ALLOW policy ${policyLabel(other.policy)} in namespace "${other.policy.namespace}" no longer restricts anything`,
    }));
    context.report(
      rule.node,
      `This ALLOW policy in the root namespace "${policy.namespace}" has no selector and an empty rule, so it allows every request to every workload of the mesh: the ${others.length} other ALLOW ${others.length === 1 ? 'policy' : 'policies'} in the workspace can no longer deny anything (${WORKSPACE_CAVEAT}). Scope it with a namespace or selector, or remove it.`,
      { related },
    );
  },
};
