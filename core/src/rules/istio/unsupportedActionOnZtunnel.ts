/** authz/unsupported-action-on-ztunnel: CUSTOM and AUDIT policies are never sent to ztunnel. */

import { ztunnelBinding } from '../../policy/authzEnforcement';
import type { CrossFileRule } from '../types';
import { AUTHZ_KINDS, relatedAt, workspacePolicy } from './authzPolicy';

export const unsupportedActionOnZtunnel: CrossFileRule = {
  meta: {
    id: 'authz/unsupported-action-on-ztunnel',
    severity: 'warning',
    title: 'CUSTOM or AUDIT policy enforced by ztunnel',
    kinds: AUTHZ_KINDS,
    crossFile: true,
    docs: {
      summary: 'A CUSTOM or AUDIT AuthorizationPolicy without `targetRefs` that reaches ambient workloads.',
      why: 'ztunnel supports only ALLOW and DENY. istiod does not send CUSTOM or AUDIT policies to it (status `ZtunnelAccepted=False`), so for ambient workloads no ext-authz check or audit happens at all. Attach such policies to a waypoint with `targetRefs`.',
      bad: 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels: {istio.io/dataplane-mode: ambient}\n---\napiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: ext, namespace: shop}\nspec:\n  action: CUSTOM\n  provider: {name: authz}\n  rules:\n  - {}\n',
      good: 'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: ext, namespace: shop}\nspec:\n  targetRefs:\n  - {group: gateway.networking.k8s.io, kind: Gateway, name: waypoint}\n  action: CUSTOM\n  provider: {name: authz}\n  rules:\n  - {}\n',
      source: 'istio pilot/pkg/serviceregistry/ambient/authorization.go; ZtunnelAccepted status messages',
    },
  },
  check(context) {
    const found = workspacePolicy(context);
    if (!found) return;
    const { policy, index } = found;
    if (policy.action !== 'CUSTOM' && policy.action !== 'AUDIT') return;
    const binding = ztunnelBinding(policy, index);
    if (!binding) return;
    const namespace = binding.ambientNamespaces[0];
    const consequence = policy.action === 'CUSTOM' ? 'no external authorization happens for ambient workloads' : 'nothing is audited for ambient workloads';
    context.report(policy.actionNode ?? policy.root, `ztunnel does not support the ${policy.action} action: istiod does not send this policy to it, so ${consequence}. Attach it to a waypoint with \`targetRefs\`.`, {
      related: namespace ? [relatedAt(namespace.source, `namespace "${namespace.name}" is ambient`)] : [],
    });
  },
};
