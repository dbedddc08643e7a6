/** `cnp/dns-rules-without-port`: DNS rules need at least one port in their `toPorts` entry. */

import { allowPortRules } from '../../policy/cnpModel';
import type { LocalRule } from '../types';
import { AGENT_REJECTS, CNP_KINDS, policyOf } from './support';

export const dnsRulesWithoutPort: LocalRule = {
  meta: {
    id: 'cnp/dns-rules-without-port',
    severity: 'error',
    title: 'DNS rules without a port',
    kinds: CNP_KINDS,
    mayRefusePolicy: true,
    docs: {
      summary: 'A `toPorts` entry with `rules.dns` but no `ports`.',
      why: 'The DNS proxy needs to know which port to intercept. The agent refuses the policy ("port 53 must be specified for DNS rules").',
      bad: 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: web, namespace: shop}\nspec:\n  endpointSelector: {matchLabels: {app: web}}\n  egress:\n    - toEndpoints: [{matchLabels: {k8s-app: kube-dns}}]\n      toPorts:\n        - rules:\n            dns: [{matchPattern: "*"}]\n',
      good: 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: web, namespace: shop}\nspec:\n  endpointSelector: {matchLabels: {app: web}}\n  egress:\n    - toEndpoints: [{matchLabels: {k8s-app: kube-dns}}]\n      toPorts:\n        - ports: [{port: "53", protocol: ANY}]\n          rules:\n            dns: [{matchPattern: "*"}]\n',
      source: 'cilium/cilium pkg/policy/api/rule_validation.go (PortRule sanitize), all versions',
    },
  },
  check(context) {
    const policy = policyOf(context);
    if (!policy) return;
    for (const { portRule } of allowPortRules(policy)) {
      const dns = portRule.l7.find((entry) => entry.type === 'dns');
      if (!dns || portRule.ports.length > 0) continue;
      context.report(portRule.portsPair?.key ?? dns.pair.key, `DNS rules need the DNS port listed (usually 53): "port 53 must be specified for DNS rules"; ${AGENT_REJECTS}.`, { refused: 'agent' });
    }
  },
};
