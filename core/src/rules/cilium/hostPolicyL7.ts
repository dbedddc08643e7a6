/**
 * `cnp/host-policy-l7`: host policies (CCNP `nodeSelector`) support almost
 * no L7: none up to 1.16; from 1.17 only DNS rules on egress.
 */

import type { CrossFileRule } from '../types';
import { AGENT_REJECTS, CNP_KINDS, atLeast, policyOf, versionPhrase } from './support';

export const hostPolicyL7: CrossFileRule = {
  meta: {
    id: 'cnp/host-policy-l7',
    severity: 'error',
    title: 'L7 rules in a host policy',
    kinds: CNP_KINDS,
    mayRefusePolicy: true,
    crossFile: true,
    docs: {
      summary: 'A rule with `nodeSelector` (host firewall) that has L7 `rules`: any up to Cilium 1.16; anything but egress DNS from 1.17.',
      why: 'The host firewall cannot redirect node traffic to the L7 proxy (except DNS lookups on egress from 1.17). The agent refuses the policy ("host policies do not support L7 rules yet", "L7 policy is not supported on host ingress yet").',
      bad: 'apiVersion: cilium.io/v2\nkind: CiliumClusterwideNetworkPolicy\nmetadata: {name: host}\nspec:\n  nodeSelector: {}\n  ingress:\n    - toPorts:\n        - ports: [{port: "80", protocol: TCP}]\n          rules: {http: [{}]}\n',
      good: 'apiVersion: cilium.io/v2\nkind: CiliumClusterwideNetworkPolicy\nmetadata: {name: host}\nspec:\n  nodeSelector: {}\n  ingress:\n    - toPorts:\n        - ports: [{port: "80", protocol: TCP}]\n',
      source: 'cilium/cilium pkg/policy/api/rule_validation.go (Rule sanitize) at v1.16.0 and v1.17.0',
    },
  },
  check(context) {
    const policy = policyOf(context);
    if (!policy) return;
    const since117 = atLeast(context, '1.17');
    for (const spec of policy.specs) {
      if (!spec.nodeSelector || spec.endpointSelector) continue;
      for (const rule of spec.rules) {
        if (rule.deny) continue;
        for (const portRule of rule.portRules) {
          for (const entry of portRule.l7) {
            let error: string | undefined;
            if (!since117) error = 'host policies do not support L7 rules yet';
            else if (rule.ingress) error = 'L7 policy is not supported on host ingress yet';
            else if (entry.type !== 'dns') error = `L7 protocol ${entry.type === 'http' ? 'HTTP' : entry.type === 'kafka' ? 'Kafka' : entry.type} is not supported on host egress yet`;
            if (!error) continue;
            context.report(entry.pair.key, `Host policies (nodeSelector) cannot use these L7 rules on ${versionPhrase(context)}: "${error}"; ${AGENT_REJECTS}.`, { refused: 'agent' });
          }
        }
      }
    }
  },
};
