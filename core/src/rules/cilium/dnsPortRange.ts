/** `cnp/dns-port-range`: from Cilium 1.17 DNS rules refuse port ranges. */

import { allowPortRules } from '../../policy/cnpModel';
import type { CrossFileRule } from '../types';
import { AGENT_REJECTS, CNP_KINDS, atLeast, policyOf, versionPhrase } from './support';
import { plainText } from './invalidCidr';
import { parsePortNumber } from './portSyntax';

export const dnsPortRange: CrossFileRule = {
  meta: {
    id: 'cnp/dns-port-range',
    severity: 'error',
    title: 'DNS rules with a port range',
    kinds: CNP_KINDS,
    mayRefusePolicy: true,
    crossFile: true,
    docs: {
      summary: 'A `toPorts` entry with `rules.dns` and a port with `endPort` (Cilium 1.17+).',
      why: 'The DNS proxy listens on single ports. From Cilium 1.17 the agent refuses the policy ("DNS rules do not support port ranges").',
      bad: 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: web, namespace: shop}\nspec:\n  endpointSelector: {matchLabels: {app: web}}\n  egress:\n    - toEndpoints: [{matchLabels: {k8s-app: kube-dns}}]\n      toPorts:\n        - ports: [{port: "53", endPort: 54, protocol: ANY}]\n          rules: {dns: [{matchPattern: "*"}]}\n',
      good: 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: web, namespace: shop}\nspec:\n  endpointSelector: {matchLabels: {app: web}}\n  egress:\n    - toEndpoints: [{matchLabels: {k8s-app: kube-dns}}]\n      toPorts:\n        - ports: [{port: "53", protocol: ANY}]\n          rules: {dns: [{matchPattern: "*"}]}\n',
      source: 'cilium/cilium pkg/policy/api/rule_validation.go at v1.17.0',
    },
  },
  check(context) {
    const policy = policyOf(context);
    if (!policy || !atLeast(context, '1.17')) return;
    for (const { portRule } of allowPortRules(policy)) {
      if (!portRule.l7.some((entry) => entry.type === 'dns')) continue;
      for (const port of portRule.ports) {
        const end = plainText(port.endPortPair?.value);
        const start = port.port === undefined ? undefined : parsePortNumber(port.port);
        if (!port.endPortPair || end === undefined || start === undefined || !(Number(end) > start)) continue;
        context.report(port.endPortPair.key, `DNS rules need single ports on ${versionPhrase(context)}: "DNS rules do not support port ranges"; ${AGENT_REJECTS}.`, { refused: 'agent' });
      }
    }
  },
};
