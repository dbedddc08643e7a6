/** `cnp/too-many-ports`: one `toPorts[].ports` list holds at most 40 entries. */

import type { LocalRule } from '../types';
import { AGENT_REJECTS, CNP_KINDS, policyOf } from './support';
import { allPortRules } from '../../policy/cnpModel';

export const MAX_PORTS_PER_ENTRY = 40;

export const tooManyPorts: LocalRule = {
  meta: {
    id: 'cnp/too-many-ports',
    severity: 'error',
    title: 'More than 40 ports in one toPorts entry',
    kinds: CNP_KINDS,
    mayRefusePolicy: true,
    docs: {
      summary: 'A `ports` list with more than 40 entries.',
      why: 'The agent caps each `ports` list at 40 ("too many ports, the max is 40") and refuses the policy; from Cilium 1.16 the API server rejects it too. Split the ports over several `toPorts` entries, or use `endPort` ranges (1.16+).',
      good: 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: web, namespace: shop}\nspec:\n  endpointSelector: {matchLabels: {app: web}}\n  egress:\n    - toEndpoints: [{matchLabels: {app: api}}]\n      toPorts:\n        - ports:\n            - {port: "8000", endPort: 8040, protocol: TCP}\n',
      bad: 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: web, namespace: shop}\nspec:\n  endpointSelector: {matchLabels: {app: web}}\n  egress:\n    - toEndpoints: [{matchLabels: {app: api}}]\n      toPorts:\n        - ports:\n            - {port: "8000", protocol: TCP}\n            - {port: "8001", protocol: TCP}\n            - {port: "8002", protocol: TCP}\n            - {port: "8003", protocol: TCP}\n            - {port: "8004", protocol: TCP}\n            - {port: "8005", protocol: TCP}\n            - {port: "8006", protocol: TCP}\n            - {port: "8007", protocol: TCP}\n            - {port: "8008", protocol: TCP}\n            - {port: "8009", protocol: TCP}\n            - {port: "8010", protocol: TCP}\n            - {port: "8011", protocol: TCP}\n            - {port: "8012", protocol: TCP}\n            - {port: "8013", protocol: TCP}\n            - {port: "8014", protocol: TCP}\n            - {port: "8015", protocol: TCP}\n            - {port: "8016", protocol: TCP}\n            - {port: "8017", protocol: TCP}\n            - {port: "8018", protocol: TCP}\n            - {port: "8019", protocol: TCP}\n            - {port: "8020", protocol: TCP}\n            - {port: "8021", protocol: TCP}\n            - {port: "8022", protocol: TCP}\n            - {port: "8023", protocol: TCP}\n            - {port: "8024", protocol: TCP}\n            - {port: "8025", protocol: TCP}\n            - {port: "8026", protocol: TCP}\n            - {port: "8027", protocol: TCP}\n            - {port: "8028", protocol: TCP}\n            - {port: "8029", protocol: TCP}\n            - {port: "8030", protocol: TCP}\n            - {port: "8031", protocol: TCP}\n            - {port: "8032", protocol: TCP}\n            - {port: "8033", protocol: TCP}\n            - {port: "8034", protocol: TCP}\n            - {port: "8035", protocol: TCP}\n            - {port: "8036", protocol: TCP}\n            - {port: "8037", protocol: TCP}\n            - {port: "8038", protocol: TCP}\n            - {port: "8039", protocol: TCP}\n            - {port: "8040", protocol: TCP}\n',
      source: 'cilium/cilium pkg/policy/api/rule_validation.go (PortRule sanitize); CRD maxItems since 1.16',
    },
  },
  check(context) {
    const policy = policyOf(context);
    if (!policy) return;
    for (const { portRule } of allPortRules(policy)) {
      const list = portRule.portsPair?.value;
      if (!portRule.portsPair || list?.type !== 'seq' || list.items.length <= MAX_PORTS_PER_ENTRY) continue;
      context.report(portRule.portsPair.key, `${list.items.length} ports in one entry; the limit is ${MAX_PORTS_PER_ENTRY} ("too many ports, the max is 40"); ${AGENT_REJECTS}. Split them over several toPorts entries.`, { refused: 'agent' });
    }
  },
};
