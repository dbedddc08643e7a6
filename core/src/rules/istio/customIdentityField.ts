/** authz/custom-identity-field: CUSTOM policies cannot match on peer or request identity. */

import { CUSTOM_FORBIDDEN_SOURCE_FIELDS, isCustomForbiddenConditionKey } from '../../policy/authzAttributes';
import type { LocalRule } from '../types';
import { AUTHZ_KINDS, conditions, localPolicy, valueLists } from './authzPolicy';

export const customIdentityField: LocalRule = {
  meta: {
    id: 'authz/custom-identity-field',
    severity: 'error',
    refusesPolicy: 'api-server',
    title: 'Identity field in a CUSTOM policy',
    kinds: AUTHZ_KINDS,
    docs: {
      summary: 'A CUSTOM policy matches on principals, namespaces, service accounts, trust domains, request principals or the matching `source.*`/`request.auth.*` conditions.',
      why: 'The CUSTOM (ext-authz) filter runs before identity is available to it, so istiod refuses identity fields in CUSTOM rules and rejects the policy. Match on paths, hosts, ports or IPs, and let the provider decide on identity.',
      bad: 'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: ext, namespace: shop}\nspec:\n  action: CUSTOM\n  provider: {name: authz}\n  rules:\n  - from:\n    - source: {namespaces: ["web"]}\n',
      good: 'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: ext, namespace: shop}\nspec:\n  action: CUSTOM\n  provider: {name: authz}\n  rules:\n  - to:\n    - operation: {paths: ["/admin/*"]}\n',
      source: 'istio pkg/config/validation ValidateAuthorizationPolicy (CUSTOM action checks)',
    },
  },
  check(context) {
    const policy = localPolicy(context);
    if (!policy || policy.action !== 'CUSTOM') return;
    for (const { list, part } of valueLists(policy)) {
      const upstreamName = part === 'from' ? CUSTOM_FORBIDDEN_SOURCE_FIELDS[list.field] : undefined;
      if (!upstreamName) continue;
      context.report(list.pair.key, `\`${list.field}\` cannot be used with action CUSTOM ("${upstreamName} is currently not supported with CUSTOM action"): istiod rejects the policy.`);
    }
    for (const { condition } of conditions(policy)) {
      if (!condition.key || !isCustomForbiddenConditionKey(condition.key)) continue;
      context.report(condition.keyNode ?? condition.node, `Condition key ${condition.key} cannot be used with action CUSTOM ("${condition.key} is currently not supported with CUSTOM action"): istiod rejects the policy.`);
    }
  },
};
