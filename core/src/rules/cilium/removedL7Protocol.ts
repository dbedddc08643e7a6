/**
 * `cnp/removed-l7-protocol`: Kafka and generic (`l7proto`) rules were removed
 * in Cilium 1.20; `l7` without `l7proto` was always refused.
 */

import { deref, mapGetPair } from '../../parse/ast';
import { allowPortRules } from '../../policy/cnpModel';
import type { CrossFileRule } from '../types';
import { AGENT_REJECTS, CNP_KINDS, atLeast, policyOf, versionPhrase } from './support';

export const removedL7Protocol: CrossFileRule = {
  meta: {
    id: 'cnp/removed-l7-protocol',
    severity: 'warning',
    title: 'Kafka or generic L7 rules on Cilium 1.20',
    kinds: CNP_KINDS,
    mayRefusePolicy: true,
    crossFile: true,
    docs: {
      summary: '`rules.kafka` or `rules.l7proto`/`rules.l7` on Cilium 1.20 or later, or `l7` without `l7proto` on any version.',
      why: 'Cilium 1.20 removed Kafka and generic L7 (proxylib) rules: the API server drops the fields, the `toPorts` entry keeps only its ports, and every request on them is allowed. Before 1.20, `l7` without `l7proto` is refused ("\'l7\' may only be specified when a \'l7proto\' is also specified").',
      good: 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: web, namespace: shop}\nspec:\n  endpointSelector: {matchLabels: {app: web}}\n  egress:\n    - toEndpoints: [{matchLabels: {app: kafka}}]\n      toPorts:\n        - ports: [{port: "9092", protocol: TCP}]\n',
      bad: 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: web, namespace: shop}\nspec:\n  endpointSelector: {matchLabels: {app: web}}\n  egress:\n    - toEndpoints: [{matchLabels: {app: kafka}}]\n      toPorts:\n        - ports: [{port: "9092", protocol: TCP}]\n          rules:\n            kafka: [{role: produce, topic: orders}]\n',
      source: 'Cilium 1.20 upgrade notes; cilium/cilium pkg/policy/api/l4.go (L7Rules sanitize) up to 1.19',
    },
  },
  check(context) {
    const policy = policyOf(context);
    if (!policy) return;
    const removed = atLeast(context, '1.20');
    for (const { portRule } of allowPortRules(policy)) {
      const rules = deref(portRule.rulesPair?.value);
      if (removed) {
        for (const entry of portRule.l7) {
          if (entry.type !== 'kafka' && entry.type !== 'l7proto') continue;
          const what = entry.type === 'kafka' ? 'Kafka rules' : 'Generic L7 rules (l7proto)';
          context.report(entry.pair.key, `${what} were removed in Cilium 1.20; on ${versionPhrase(context)} the API server drops them and all traffic on these ports is allowed without L7 filtering.`);
        }
        continue;
      }
      const l7 = mapGetPair(rules, 'l7');
      const l7Value = deref(l7?.value);
      if (l7 && l7Value && !(l7Value.type === 'scalar' && l7Value.value === null) && !portRule.l7.some((entry) => entry.type === 'l7proto')) {
        context.report(l7.key, `l7 rules need l7proto (the parser name): "'l7' may only be specified when a 'l7proto' is also specified"; ${AGENT_REJECTS}.`, { refused: 'agent', severity: 'error' });
      }
    }
  },
};
