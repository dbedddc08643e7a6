/** authz/provider-mismatch: `provider` belongs to CUSTOM policies only, and CUSTOM needs one. */

import type { LocalRule } from '../types';
import { AUTHZ_KINDS, localPolicy } from './authzPolicy';

export const providerMismatch: LocalRule = {
  meta: {
    id: 'authz/provider-mismatch',
    severity: 'error',
    title: 'CUSTOM without provider, or provider without CUSTOM',
    kinds: AUTHZ_KINDS,
    docs: {
      summary: 'A CUSTOM policy without `provider.name`, or a `provider` on an ALLOW, DENY or AUDIT policy.',
      why: 'CUSTOM delegates the decision to an ext-authz provider named in MeshConfig; without a name there is nothing to call, and on other actions a provider has no meaning. The istiod webhook rejects both.',
      bad: 'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: ext, namespace: shop}\nspec:\n  action: CUSTOM\n  rules:\n  - to:\n    - operation: {paths: ["/admin/*"]}\n',
      good: 'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: ext, namespace: shop}\nspec:\n  action: CUSTOM\n  provider: {name: oauth2-proxy}\n  rules:\n  - to:\n    - operation: {paths: ["/admin/*"]}\n',
      source: 'istio pkg/config/validation ValidateAuthorizationPolicy',
    },
  },
  check(context) {
    const policy = localPolicy(context);
    if (!policy) return;
    if (policy.action === 'CUSTOM') {
      // A CUSTOM policy without rules is reported by authz/action-without-rules.
      if (!policy.rules || policy.rules.length === 0) return;
      if (!policy.provider?.name) {
        context.report(policy.provider?.pair.key ?? policy.actionNode ?? policy.root, 'CUSTOM policy without `provider.name` ("`provider.name` must not be empty"): istiod rejects it. Name an extensionProviders entry of the mesh config.');
      }
    } else if (policy.provider) {
      context.report(policy.provider.pair.key, `\`provider\` only works with \`action: CUSTOM\`, found ${policy.action}: istiod rejects the policy. Remove \`provider\` or set \`action: CUSTOM\`.`);
    }
  },
};
