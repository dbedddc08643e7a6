/** authz/invalid-ip-block: IP fields and conditions take IP addresses or CIDRs. */

import { ipOrCidrProblem } from '../../policy/authzAttributes';
import type { LocalRule } from '../types';
import { AUTHZ_KINDS, conditions, conditionValues, fieldValues, localPolicy } from './authzPolicy';

const IP_FIELDS = new Set(['ipBlocks', 'notIpBlocks', 'remoteIpBlocks', 'notRemoteIpBlocks']);
const IP_KEYS = new Set(['source.ip', 'remote.ip', 'destination.ip']);

export const invalidIpBlock: LocalRule = {
  meta: {
    id: 'authz/invalid-ip-block',
    severity: 'error',
    refusesPolicy: 'api-server',
    title: 'Bad IP address or CIDR',
    kinds: AUTHZ_KINDS,
    docs: {
      summary: 'A value of `ipBlocks`, `remoteIpBlocks` (and their `not*`) or an IP condition that is not an IP address or CIDR.',
      why: 'istiod parses every IP value and rejects the policy on the first bad one ("bad CIDR range" / "bad IP address"); wildcards and ranges are not IP syntax.',
      bad: 'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: office, namespace: shop}\nspec:\n  rules:\n  - from:\n    - source: {ipBlocks: ["10.0.0.0/33"]}\n',
      good: 'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: office, namespace: shop}\nspec:\n  rules:\n  - from:\n    - source: {ipBlocks: ["10.0.0.0/8"]}\n',
      source: 'istio pkg/config/security security.go (ValidateIPs)',
    },
  },
  check(context) {
    const policy = localPolicy(context);
    if (!policy) return;
    const check = (node: Parameters<typeof context.report>[0], field: string, text: string) => {
      if (text === '') return;
      const problem = ipOrCidrProblem(text);
      if (problem) context.report(node, `Invalid value in \`${field}\`: ${problem}; istiod rejects the policy.`);
    };
    for (const { list, value } of fieldValues(policy, IP_FIELDS)) check(value.node, list.field, value.text);
    for (const { condition } of conditions(policy)) {
      if (!condition.key || !IP_KEYS.has(condition.key)) continue;
      for (const { value } of conditionValues(condition)) check(value.node, condition.key, value.text);
    }
  },
};
