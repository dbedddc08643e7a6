/** authz/invalid-trust-domain: `trustDomains` values take one leading or trailing wildcard and no `/`. */

import { trustDomainProblem } from '../../policy/authzAttributes';
import type { LocalRule } from '../types';
import { AUTHZ_KINDS, fieldValues, localPolicy } from './authzPolicy';

const FIELDS = new Set(['trustDomains', 'notTrustDomains']);

export const invalidTrustDomain: LocalRule = {
  meta: {
    id: 'authz/invalid-trust-domain',
    severity: 'error',
    title: 'Invalid trust domain',
    kinds: AUTHZ_KINDS,
    docs: {
      summary: 'A `trustDomains`/`notTrustDomains` value with more than one `*`, a `*` in the middle, or a `/`.',
      why: 'Trust domains (Istio 1.31+) match exactly, by prefix (`td*`), by suffix (`*td`) or by presence (`*`); they are domain names, not SPIFFE paths. istiod rejects anything else.',
      bad: 'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: api, namespace: shop}\nspec:\n  rules:\n  - from:\n    - source: {trustDomains: ["cluster.local/ns/web"]}\n',
      good: 'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: api, namespace: shop}\nspec:\n  rules:\n  - from:\n    - source: {trustDomains: ["cluster.local"]}\n',
      source: 'istio pkg/config/security security.go (trust domain checks), istio #59358',
    },
  },
  check(context) {
    const policy = localPolicy(context);
    if (!policy) return;
    for (const { list, value } of fieldValues(policy, FIELDS)) {
      if (value.text === '') continue;
      const problem = trustDomainProblem(value.text, list.field);
      if (problem) context.report(value.node, `Invalid trust domain: ${problem}; istiod rejects the policy.`);
    }
  },
};
