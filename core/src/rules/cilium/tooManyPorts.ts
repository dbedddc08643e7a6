/** `cnp/too-many-ports`: one `toPorts[].ports` list holds at most 40 entries. */

import type { Rule } from '../types';
import { AGENT_REJECTS, CNP_KINDS, policyOf } from './support';
import { allPortRules } from '../../policy/cnpModel';

export const MAX_PORTS_PER_ENTRY = 40;

export const tooManyPorts: Rule = {
  meta: {
    id: 'cnp/too-many-ports',
    severity: 'error',
    title: 'More than 40 ports in one toPorts entry',
    kinds: CNP_KINDS,
    docs: {
      summary: 'A `ports` list with more than 40 entries.',
      why: 'The agent caps each `ports` list at 40 ("too many ports, the max is 40") and refuses the policy; from Cilium 1.16 the API server rejects it too. Split the ports over several `toPorts` entries, or use `endPort` ranges (1.16+).',
      source: 'cilium/cilium pkg/policy/api/rule_validation.go (PortRule sanitize); CRD maxItems since 1.16',
    },
  },
  check(context) {
    const policy = policyOf(context);
    if (!policy) return;
    for (const { portRule } of allPortRules(policy)) {
      const list = portRule.portsPair?.value;
      if (!portRule.portsPair || list?.type !== 'seq' || list.items.length <= MAX_PORTS_PER_ENTRY) continue;
      context.report(portRule.portsPair.key, `${list.items.length} ports in one entry; the limit is ${MAX_PORTS_PER_ENTRY} ("too many ports, the max is 40"); ${AGENT_REJECTS}. Split them over several toPorts entries.`);
    }
  },
};
