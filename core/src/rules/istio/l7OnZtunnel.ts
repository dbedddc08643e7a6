/**
 * authz/l7-on-ztunnel: HTTP (L7) attributes in a policy that ztunnel enforces
 * for ambient workloads. ALLOW rules with them are dropped (traffic denied);
 * DENY rules lose them (broader deny) or never fire (no protection).
 */

import { ztunnelBinding, ztunnelRuleViews } from '../../policy/authzEnforcement';
import type { CrossFileRule } from '../types';
import { AUTHZ_KINDS, relatedAt, workspacePolicy } from './authzPolicy';
import { enforcerOf } from './dataplane';

export const l7OnZtunnel: CrossFileRule = {
  meta: {
    id: 'authz/l7-on-ztunnel',
    severity: 'warning',
    title: 'HTTP attributes in a policy enforced by ztunnel',
    kinds: AUTHZ_KINDS,
    crossFile: true,
    docs: {
      summary: 'A selector, namespace-wide or mesh-wide AuthorizationPolicy that reaches ambient workloads (namespace labelled `istio.io/dataplane-mode: ambient`) uses HTTP attributes: methods, paths, hosts, requestPrincipals, remoteIpBlocks or L7 `when` keys.',
      why: 'In ambient mode such policies are enforced by ztunnel, which only sees L4. It drops every ALLOW rule that has an HTTP attribute, so the requests the rule was written for are denied (and if no rule is left, all traffic is). From a DENY rule it removes the HTTP attributes: the rule then denies more than intended, or, when a whole `from`/`to` clause or any `when` condition was HTTP-only, it never fires and protects nothing. Enforce HTTP rules at a waypoint by attaching the policy with `targetRefs`.',
      bad: 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels: {istio.io/dataplane-mode: ambient}\n---\napiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: api, namespace: shop}\nspec:\n  selector:\n    matchLabels: {app: api}\n  rules:\n  - to:\n    - operation: {methods: ["GET"]}\n',
      good: 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels: {istio.io/dataplane-mode: ambient, istio.io/use-waypoint: waypoint}\n---\napiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: api, namespace: shop}\nspec:\n  targetRefs:\n  - {group: "", kind: Service, name: api}\n  rules:\n  - to:\n    - operation: {methods: ["GET"]}\n',
      source: 'istio pilot/pkg/serviceregistry/ambient/authorization.go (convertAuthorizationPolicy); istio/ztunnel src/rbac.rs; istio.io ambient l4-policy docs',
    },
  },
  check(context) {
    const found = workspacePolicy(context);
    if (!found) return;
    const { policy, index } = found;
    if (policy.action !== 'ALLOW' && policy.action !== 'DENY') return;
    const binding = ztunnelBinding(policy, index);
    if (!binding) return;
    const views = ztunnelRuleViews(policy);
    if (views.length === 0) return;
    const namespace = binding.ambientNamespaces[0];
    const related = namespace ? [relatedAt(namespace.source, `namespace "${namespace.name}" is ambient (istio.io/dataplane-mode: ambient)`)] : [];
    const advice = 'Attach the policy to a waypoint with `targetRefs` to enforce HTTP attributes.';
    const allRulesDropped = policy.action === 'ALLOW' && views.length === (policy.rules ?? []).length;
    for (const view of views) {
      const names = [...new Set(view.l7.map((attribute) => attribute.name))].join(', ');
      let message: string;
      if (policy.action === 'ALLOW') {
        message = `ztunnel enforces this policy for ambient workloads and cannot check ${names}: it drops rule ${view.rule.index} whole, so the requests it should allow are denied`;
        if (allRulesDropped) message += '; with every rule dropped the policy allows nothing and all traffic to the selected workloads is denied unless another ALLOW policy matches';
      } else if (view.neverFires) {
        // Where sidecars enforce the same policy too, the DENY still works for them (authz/deny-http-only-without-ports).
        const onWhom = enforcerOf(policy, index) === 'both' ? ' on ambient workloads (sidecars and gateways still enforce it)' : '';
        message = `ztunnel enforces this policy for ambient workloads and cannot check ${names}: after removing them rule ${view.rule.index} can never match, so this DENY has no effect${onWhom}`;
      } else {
        message = `ztunnel enforces this policy for ambient workloads and ignores ${names}: rule ${view.rule.index} is enforced on its L4 part only and denies more than intended`;
      }
      context.report(view.l7[0].node, `${message}. ${advice}`, { related });
    }
  },
};
