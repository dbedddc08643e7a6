/** authz/invalid-condition: `when` keys istiod knows, with values it accepts. */

import { conditionKeyProblem, serviceAccountProblem, trustDomainProblem } from '../../policy/authzAttributes';
import type { LocalRule } from '../types';
import { AUTHZ_KINDS, conditions, conditionValues, localPolicy } from './authzPolicy';

export const invalidCondition: LocalRule = {
  meta: {
    id: 'authz/invalid-condition',
    severity: 'error',
    refusesPolicy: 'api-server',
    title: 'Unknown or malformed condition',
    kinds: AUTHZ_KINDS,
    docs: {
      summary: 'A `when` condition with a missing, unknown, removed or malformed key, no values, or a value its key does not accept.',
      why: 'The runtime silently ignores keys it does not know, but istiod validates them first and rejects the whole policy: `destination.labels[…]` and `destination.namespace` were replaced by the selector and the policy namespace, header and claim keys need the `name[value]` form, and service-account and trust-domain keys have their own value rules. Port and IP keys are checked by authz/invalid-port and authz/invalid-ip-block.',
      bad: 'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: api, namespace: shop}\nspec:\n  rules:\n  - when:\n    - key: destination.labels[app]\n      values: ["api"]\n',
      good: 'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: api, namespace: shop}\nspec:\n  selector:\n    matchLabels: {app: api}\n  rules:\n  - {}\n',
      source: 'istio pkg/config/security security.go (ValidateAttribute), istio.io reference/config/security/conditions',
    },
  },
  check(context) {
    const policy = localPolicy(context);
    if (!policy) return;
    const rejected = 'istiod rejects the policy';
    for (const { condition } of conditions(policy)) {
      if (condition.node.type !== 'map') continue; // authz/empty-match
      if (condition.key === undefined || condition.key === '') {
        context.report(condition.node, `Condition without \`key\` ("\`key\` must not be empty"): ${rejected}.`);
        continue;
      }
      const target = condition.keyNode ?? condition.node;
      const keyProblem = conditionKeyProblem(condition.key);
      if (keyProblem) {
        context.report(target, `Invalid condition key: ${keyProblem}; ${rejected}.`);
        continue;
      }
      const hasValues = (condition.values?.values.length ?? 0) + (condition.notValues?.values.length ?? 0) > 0;
      if (!hasValues) {
        context.report(target, `Condition on ${condition.key} has neither \`values\` nor \`notValues\` ("at least one of \`values\` or \`notValues\` must be set"): ${rejected}.`);
        continue;
      }
      for (const { list, value } of conditionValues(condition)) {
        if (value.text === '') {
          context.report(value.node, `Empty value for key ${condition.key} ("empty value not allowed"): ${rejected}.`);
          continue;
        }
        let problem: string | undefined;
        if (condition.key === 'source.serviceAccount') problem = serviceAccountProblem(value.text, condition.key);
        else if (condition.key === 'source.trustDomain') problem = trustDomainProblem(value.text, condition.key);
        if (problem) context.report(value.node, `Invalid \`${list.field === 'values' ? 'value' : 'notValue'}\` for key ${condition.key}: ${problem}; ${rejected}.`);
      }
    }
  },
};

