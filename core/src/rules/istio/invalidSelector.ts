/** authz/invalid-selector: selector labels without wildcards or empty keys, and not empty. */

import { deref, mapGet, scalarString } from '../../parse/ast';
import type { LocalRule } from '../types';
import { AUTHZ_KINDS, localPolicy } from './authzPolicy';

export const invalidSelector: LocalRule = {
  meta: {
    id: 'authz/invalid-selector',
    severity: 'error',
    title: 'Invalid workload selector',
    kinds: AUTHZ_KINDS,
    docs: {
      summary: '`selector.matchLabels` with an empty key, a `*` in a key or value, a value longer than 63 characters, or a selector with no labels at all.',
      why: 'Selector labels match exactly; the CRD validation and istiod reject wildcards and empty keys. A `selector` without labels is accepted with a warning but selects every workload of the namespace, which is rarely what was meant.',
      bad: 'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: api, namespace: shop}\nspec:\n  selector:\n    matchLabels: {app: "api-*"}\n',
      good: 'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: api, namespace: shop}\nspec:\n  selector:\n    matchLabels: {app: api}\n',
      source: 'istio/api authorization_policy.proto (WorkloadSelector CEL rules); istio pkg/config/validation validateWorkloadSelector',
    },
  },
  check(context) {
    const policy = localPolicy(context);
    if (!policy?.selectorPair) return;
    const selector = deref(policy.selectorPair.value);
    const labels = deref(mapGet(selector, 'matchLabels'));
    if (labels?.type !== 'map' || labels.pairs.length === 0) {
      context.report(policy.selectorPair.key, 'Selector without labels ("workload selector specified without labels"): it selects every workload of the namespace. Add `matchLabels` or remove `selector`.', { severity: 'warning' });
      return;
    }
    for (const pair of labels.pairs) {
      const key = scalarString(pair.key) ?? '';
      const value = scalarString(pair.value) ?? '';
      if (key === '') context.report(pair.key, `Empty label key in selector ("key must not be empty"): the policy is rejected.`);
      else if (key.includes('*')) context.report(pair.key, `Wildcard in selector label key "${key}" ("wildcard not allowed in label key match"): the policy is rejected. Selector labels match exactly.`);
      if (value.includes('*')) context.report(pair.value, `Wildcard in selector label value "${value}" ("wildcard not allowed in label value match"): the policy is rejected. Selector labels match exactly.`);
      else if (value.length > 63) context.report(pair.value, `Selector label value is ${value.length} characters long; at most 63 are allowed: the policy is rejected.`);
    }
  },
};
