/** authz/invalid-port: `ports`, `notPorts` and `destination.port` take single port numbers. */

import { portProblem } from '../../policy/authzAttributes';
import type { LocalRule } from '../types';
import { AUTHZ_KINDS, conditions, conditionValues, fieldValues, localPolicy } from './authzPolicy';

const PORT_FIELDS = new Set(['ports', 'notPorts']);

export const invalidPort: LocalRule = {
  meta: {
    id: 'authz/invalid-port',
    severity: 'error',
    refusesPolicy: 'api-server',
    title: 'Port that is not a single number',
    kinds: AUTHZ_KINDS,
    docs: {
      summary: 'A value of `ports`, `notPorts` or a `destination.port` condition that is not a decimal port number 0–65535.',
      why: 'Istio compares ports as numbers and supports neither ranges (`8000-9000`), wildcards (`*`) nor port names (`http`); istiod rejects the whole policy. List each port.',
      bad: 'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: api, namespace: shop}\nspec:\n  rules:\n  - to:\n    - operation: {ports: ["8000-8010"]}\n',
      good: 'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: api, namespace: shop}\nspec:\n  rules:\n  - to:\n    - operation: {ports: ["8000", "8001"]}\n',
      source: 'istio pkg/config/security security.go (ValidatePorts)',
    },
  },
  check(context) {
    const policy = localPolicy(context);
    if (!policy) return;
    const report = (node: Parameters<typeof context.report>[0], field: string, text: string) => {
      if (text === '') return; // authz/empty-match
      const problem = portProblem(text);
      if (problem) context.report(node, `Invalid port in \`${field}\`: ${problem}; istiod rejects the policy. Use one decimal port (0–65535) per entry.`);
    };
    for (const { list, value } of fieldValues(policy, PORT_FIELDS)) report(value.node, list.field, value.text);
    for (const { condition } of conditions(policy)) {
      if (condition.key !== 'destination.port') continue;
      for (const { value } of conditionValues(condition)) report(value.node, 'destination.port', value.text);
    }
  },
};
