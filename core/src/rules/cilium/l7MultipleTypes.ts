/** `cnp/l7-multiple-types`: one `rules` block may hold only one L7 protocol. */

import { allowPortRules } from '../../policy/cnpModel';
import type { LocalRule } from '../types';
import { AGENT_REJECTS, CNP_KINDS, policyOf } from './support';

export const l7MultipleTypes: LocalRule = {
  meta: {
    id: 'cnp/l7-multiple-types',
    severity: 'error',
    title: 'Several L7 protocols in one rules block',
    kinds: CNP_KINDS,
    mayRefusePolicy: true,
    docs: {
      summary: 'A `rules` block that sets more than one of `http`, `dns`, `kafka`, `l7proto`.',
      why: 'A port is handed to exactly one L7 parser. The agent refuses the policy ("multiple L7 protocol rule types specified in single rule"); from Cilium 1.16 the API server rejects it as well. Use a separate `toPorts` entry per protocol.',
      bad: 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: web, namespace: shop}\nspec:\n  endpointSelector: {matchLabels: {app: web}}\n  egress:\n    - toEndpoints: [{matchLabels: {k8s-app: kube-dns}}]\n      toPorts:\n        - ports: [{port: "53", protocol: ANY}]\n          rules:\n            dns: [{matchPattern: "*"}]\n            http: [{method: GET}]\n',
      good: 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: web, namespace: shop}\nspec:\n  endpointSelector: {matchLabels: {app: web}}\n  egress:\n    - toEndpoints: [{matchLabels: {k8s-app: kube-dns}}]\n      toPorts:\n        - ports: [{port: "53", protocol: ANY}]\n          rules:\n            dns: [{matchPattern: "*"}]\n',
      source: 'cilium/cilium pkg/policy/api/rule_validation.go (L7Rules sanitize); CRD oneOf since 1.16',
    },
  },
  check(context) {
    const policy = policyOf(context);
    if (!policy) return;
    for (const { portRule } of allowPortRules(policy)) {
      if (portRule.l7.length < 2 || !portRule.rulesPair) continue;
      const names = portRule.l7.map((entry) => entry.type).join(', ');
      for (const extra of portRule.l7.slice(1)) {
        context.report(
          extra.pair.key,
          `This rules block already has ${portRule.l7[0].type} rules; one block may hold only one L7 protocol (here: ${names}): "multiple L7 protocol rule types specified in single rule"; ${AGENT_REJECTS}.`,
          { refused: 'agent' },
        );
      }
    }
  },
};
