/** authz/action-without-rules: DENY and CUSTOM policies need rules. */

import type { LocalRule } from '../types';
import { AUTHZ_KINDS, localPolicy } from './authzPolicy';

export const actionWithoutRules: LocalRule = {
  meta: {
    id: 'authz/action-without-rules',
    severity: 'error',
    title: 'DENY or CUSTOM policy without rules',
    kinds: AUTHZ_KINDS,
    needsWholeObject: true,
    docs: {
      summary: 'A DENY or CUSTOM AuthorizationPolicy has no `rules` (or an empty list).',
      why: 'A policy without rules matches nothing, so a DENY or CUSTOM policy without rules could never trigger; istiod rejects it. To apply it to every request, write one empty rule `rules: [{}]`. (An ALLOW policy without rules is valid and allows nothing.)',
      bad: 'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: deny-all, namespace: shop}\nspec:\n  action: DENY\n',
      good: 'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: deny-all, namespace: shop}\nspec:\n  action: DENY\n  rules:\n  - {}\n',
      source: 'istio pkg/config/validation ValidateAuthorizationPolicy',
    },
  },
  check(context) {
    const policy = localPolicy(context);
    if (!policy || (policy.action !== 'DENY' && policy.action !== 'CUSTOM')) return;
    if (policy.rules && policy.rules.length > 0) return;
    const target = policy.rulesPair?.key ?? policy.actionNode ?? policy.root;
    context.report(target, `${policy.action} policy without \`rules\` could never trigger, so istiod rejects it ("${policy.action} action without \`rules\` is meaningless"). Add \`rules: [{}]\` to apply it to every request.`);
  },
};
