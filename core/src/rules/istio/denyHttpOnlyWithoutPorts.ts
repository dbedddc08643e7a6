/** authz/deny-http-only-without-ports: istiod's warning for DENY rules that would hit TCP traffic wholesale. */

import { TCP_SOURCE_FIELDS } from '../../policy/authzAttributes';
import type { CrossFileRule } from '../types';
import { AUTHZ_KINDS, workspacePolicy } from './authzPolicy';
import { enforcerOf } from './dataplane';

export const denyHttpOnlyWithoutPorts: CrossFileRule = {
  meta: {
    id: 'authz/deny-http-only-without-ports',
    severity: 'warning',
    title: 'DENY rule with only HTTP attributes and no ports',
    kinds: AUTHZ_KINDS,
    // Proxy semantics: silent where only ztunnel enforces the policy (authz/l7-on-ztunnel says what happens there).
    crossFile: true,
    docs: {
      summary: 'A DENY rule enforced by a sidecar, gateway or waypoint whose operations set no `ports`/`notPorts`, or whose sources use only HTTP attributes (such as `requestPrincipals`) and which has no `to`.',
      why: 'On plain TCP ports the HTTP attributes of a DENY rule are ignored and the rest of the rule is kept, so such a rule denies all TCP traffic to the workloads it selects. istiod warns when the policy is applied; scope the rule with `ports`. Where only ztunnel enforces the policy (ambient workloads without a waypoint) `authz/l7-on-ztunnel` reports what happens instead.',
      bad: 'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: no-delete, namespace: shop}\nspec:\n  action: DENY\n  rules:\n  - to:\n    - operation: {methods: ["DELETE"]}\n',
      good: 'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: no-delete, namespace: shop}\nspec:\n  action: DENY\n  rules:\n  - to:\n    - operation: {methods: ["DELETE"], ports: ["8080"]}\n',
      source: 'istio pkg/config/validation ValidateAuthorizationPolicy warning (istio #41802, 1.17)',
    },
  },
  check(context) {
    const found = workspacePolicy(context);
    if (!found || found.policy.action !== 'DENY') return;
    const { policy, index } = found;
    const enforcer = enforcerOf(policy, index);
    if (enforcer === 'ztunnel') return;
    const where = enforcer === 'both' ? 'where a sidecar or gateway enforces it, ' : '';
    const consequence = where + 'on TCP ports in its scope the HTTP parts are ignored and this rule denies all traffic ("configured AuthorizationPolicy will deny all traffic to TCP ports under its scope"). Add `ports` to scope it.';
    for (const rule of policy.rules ?? []) {
      if (rule.from && rule.from.length > 0 && !rule.to) {
        for (const source of rule.from) {
          const fields = Object.keys(source.fields);
          if (fields.length > 0 && !fields.some((field) => TCP_SOURCE_FIELDS.has(field))) {
            context.report(source.node, `DENY rule matches only HTTP source attributes (${fields.join(', ')}) and has no \`to\`: ${consequence}`);
          }
        }
      }
      for (const operation of rule.to ?? []) {
        const fields = Object.keys(operation.fields);
        if (fields.length === 0 || fields.includes('ports') || fields.includes('notPorts')) continue;
        context.report(operation.node, `DENY operation without \`ports\`: ${consequence}`);
      }
    }
  },
};
