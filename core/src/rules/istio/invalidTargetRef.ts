/** authz/invalid-target-ref: targetRef(s) must name a same-namespace Gateway, GatewayClass, Service or ServiceEntry. */

import type { LocalRule } from '../types';
import { AUTHZ_KINDS, localPolicy } from './authzPolicy';
import { deref, mapGet, mapGetPair } from '../../parse/ast';
import { TEMPLATE_PLACEHOLDER } from '../../policy/authzModel';

const ALLOWED = ['core/Service', 'networking.istio.io/ServiceEntry', 'gateway.networking.k8s.io/Gateway', 'gateway.networking.k8s.io/GatewayClass'];

export const invalidTargetRef: LocalRule = {
  meta: {
    id: 'authz/invalid-target-ref',
    severity: 'error',
    title: 'Invalid targetRef',
    kinds: AUTHZ_KINDS,
    docs: {
      summary: 'A `targetRef`/`targetRefs` entry without name or kind, with a `namespace`, or of a kind Istio cannot attach to; a GatewayClass reference outside the root namespace or to a class other than `istio-waypoint`.',
      why: 'Policies attach to a Gateway (gateway.networking.k8s.io), a Service (core group), a ServiceEntry (networking.istio.io) or, from the root namespace, the `istio-waypoint` GatewayClass — always in the policy\'s own namespace. istiod rejects other kinds and cross-namespace references; an empty group means the core group, so `kind: Gateway` needs `group: gateway.networking.k8s.io`.',
      bad: 'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: api, namespace: shop}\nspec:\n  targetRefs:\n  - {kind: Gateway, name: waypoint}\n',
      good: 'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: api, namespace: shop}\nspec:\n  targetRefs:\n  - {group: gateway.networking.k8s.io, kind: Gateway, name: waypoint}\n',
      source: 'istio pkg/config/validation validatePolicyTargetReference; istio/api authorization_policy.proto; WaypointAccepted conditions (pilot ambient policies.go)',
    },
  },
  check(context) {
    const policy = localPolicy(context);
    if (!policy || policy.scope.kind !== 'targetRefs') return;
    const declaredNamespace = context.resource?.namespace;
    for (const ref of policy.scope.refs) {
      const node = deref(ref.node)!;
      if (!ref.name) context.report(mapGetPair(node, 'name')?.key ?? node, 'targetRef without `name` ("targetRef name must be set"): istiod rejects the policy.');
      const namespacePair = mapGetPair(node, 'namespace');
      if (ref.namespace) {
        context.report(namespacePair!.value, 'targetRef with a `namespace` ("cross namespace referencing is not currently supported"): the policy is rejected. Put the policy in the namespace of its target and drop `namespace`.');
      }
      if (!ref.kind) {
        context.report(node, 'targetRef without `kind`: the API server rejects the policy.');
        continue;
      }
      if (ref.kind === TEMPLATE_PLACEHOLDER || ref.group === TEMPLATE_PLACEHOLDER) continue; // decided when the template is rendered
      const group = ref.group === '' ? 'core' : ref.group;
      const qualified = `${group}/${ref.kind}`;
      const kindNode = deref(mapGet(node, 'kind')) ?? node;
      if (!ALLOWED.includes(qualified)) {
        const hint = ref.group === '' && (ref.kind === 'Gateway' || ref.kind === 'GatewayClass') ? ' An empty group means the core group: add `group: gateway.networking.k8s.io`.' : ref.group === '' && ref.kind === 'ServiceEntry' ? ' Add `group: networking.istio.io`.' : '';
        context.report(kindNode, `targetRef to ${qualified} is not supported ("targetRef must be to one of [${ALLOWED.join(', ')}]"): istiod rejects the policy.${hint}`);
        continue;
      }
      if (qualified === 'gateway.networking.k8s.io/GatewayClass') {
        if (declaredNamespace && declaredNamespace !== context.options.istioRootNamespace) {
          context.report(kindNode, `A GatewayClass targetRef only works from the root namespace "${context.options.istioRootNamespace}"; from "${declaredNamespace}" istiod marks the policy invalid and no waypoint enforces it.`, { severity: 'warning' });
        }
        if (ref.name && ref.name !== 'istio-waypoint' && ref.name !== TEMPLATE_PLACEHOLDER) {
          context.report(deref(mapGet(node, 'name')) ?? node, `Only the GatewayClass "istio-waypoint" takes effect; a policy targeting GatewayClass "${ref.name}" is not enforced by any waypoint.`, { severity: 'warning' });
        }
      }
    }
  },
};
