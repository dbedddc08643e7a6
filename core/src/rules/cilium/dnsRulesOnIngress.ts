/** `cnp/dns-rules-on-ingress`: DNS L7 rules exist only for egress (the DNS proxy sees a pod's own lookups). */

import { allowPortRules } from '../../policy/cnpModel';
import type { LocalRule } from '../types';
import { AGENT_REJECTS, CNP_KINDS, policyOf } from './support';

export const dnsRulesOnIngress: LocalRule = {
  meta: {
    id: 'cnp/dns-rules-on-ingress',
    severity: 'error',
    title: 'DNS rules on ingress',
    kinds: CNP_KINDS,
    mayRefusePolicy: true,
    docs: {
      summary: '`rules.dns` inside an `ingress` rule.',
      why: 'The DNS proxy only filters the lookups a pod sends, so the agent refuses DNS rules on ingress ("L7 protocol DNS is not supported on ingress yet") and with them the whole policy.',
      bad: 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: web, namespace: shop}\nspec:\n  endpointSelector: {matchLabels: {app: web}}\n  ingress:\n    - toPorts:\n        - ports: [{port: "53", protocol: UDP}]\n          rules:\n            dns: [{matchPattern: "*"}]\n',
      good: 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: web, namespace: shop}\nspec:\n  endpointSelector: {matchLabels: {app: web}}\n  egress:\n    - toPorts:\n        - ports: [{port: "53", protocol: UDP}]\n          rules:\n            dns: [{matchPattern: "*"}]\n',
      source: 'cilium/cilium pkg/policy/api/rule_validation.go (IngressRule sanitize), all versions',
    },
  },
  check(context) {
    const policy = policyOf(context);
    if (!policy) return;
    for (const { rule, portRule } of allowPortRules(policy)) {
      if (!rule.ingress) continue;
      for (const entry of portRule.l7) {
        if (entry.type !== 'dns') continue;
        context.report(entry.pair.key, `DNS rules only work on egress (the DNS proxy filters a pod's own lookups): "L7 protocol DNS is not supported on ingress yet"; ${AGENT_REJECTS}.`, { refused: 'agent' });
      }
    }
  },
};
