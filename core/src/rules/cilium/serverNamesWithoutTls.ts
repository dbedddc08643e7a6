/**
 * `cnp/server-names-without-tls`: SNI filtering (`serverNames`) together with
 * L7 rules needs TLS termination (`terminatingTLS`), and names cannot be empty.
 */

import { deref } from '../../parse/ast';
import { allowPortRules } from '../../policy/cnpModel';
import type { LocalRule } from '../types';
import { AGENT_REJECTS, CNP_KINDS, policyOf } from './support';
import { plainText } from './invalidCidr';

export const serverNamesWithoutTls: LocalRule = {
  meta: {
    id: 'cnp/server-names-without-tls',
    severity: 'error',
    title: 'serverNames with L7 rules but no TLS termination',
    kinds: CNP_KINDS,
    mayRefusePolicy: true,
    docs: {
      summary: 'A `toPorts` entry with `serverNames` and L7 `rules` but no `terminatingTLS`, or with an empty server name.',
      why: 'Without terminating TLS the proxy sees only encrypted bytes and cannot apply HTTP rules next to the SNI check. The agent refuses the policy ("ServerNames are not allowed with L7 rules without TLS termination", "empty server name is not allowed").',
      bad: 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: web, namespace: shop}\nspec:\n  endpointSelector: {matchLabels: {app: web}}\n  egress:\n    - toFQDNs: [{matchName: api.example.com}]\n      toPorts:\n        - ports: [{port: "443", protocol: TCP}]\n          serverNames: [api.example.com]\n          rules: {http: [{method: GET}]}\n',
      good: 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: web, namespace: shop}\nspec:\n  endpointSelector: {matchLabels: {app: web}}\n  egress:\n    - toFQDNs: [{matchName: api.example.com}]\n      toPorts:\n        - ports: [{port: "443", protocol: TCP}]\n          serverNames: [api.example.com]\n',
      source: 'cilium/cilium pkg/policy/api/rule_validation.go (PortRule sanitize), 1.13+',
    },
  },
  check(context) {
    const policy = policyOf(context);
    if (!policy) return;
    for (const { portRule } of allowPortRules(policy)) {
      const serverNames = portRule.serverNames;
      const list = deref(serverNames?.value);
      if (!serverNames || list?.type !== 'seq' || list.items.length === 0) continue;
      for (const item of list.items) {
        if (plainText(item) === '') context.report(item, `Empty server name: "empty server name is not allowed"; ${AGENT_REJECTS}.`, { refused: 'agent' });
      }
      if (portRule.l7.length > 0 && portRule.rulesPair && !portRule.terminatingTLS) {
        context.report(serverNames.key, `With L7 rules the proxy must terminate TLS to see requests; add terminatingTLS or drop the L7 rules: "ServerNames are not allowed with L7 rules without TLS termination"; ${AGENT_REJECTS}.`, { refused: 'agent' });
      }
    }
  },
};
