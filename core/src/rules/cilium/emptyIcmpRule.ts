/**
 * `cnp/empty-icmp-rule`: an `icmps` entry without `fields` names no ICMP type,
 * so it allows (or, in a deny section, denies) no ICMP at all — and the rule
 * is not L3-only either, because `icmps` is set.
 */

import { deref, mapGetPair } from '../../parse/ast';
import type { LocalRule } from '../types';
import { CNP_KINDS, policyOf } from './support';

export const emptyIcmpRule: LocalRule = {
  meta: {
    id: 'cnp/empty-icmp-rule',
    severity: 'warning',
    title: 'ICMP rule without fields',
    kinds: CNP_KINDS,
    docs: {
      summary: 'An `icmps` entry with no `fields` (or `fields: []`).',
      why: 'Cilium turns each ICMP field into one allowed ICMP type; an entry without fields yields none. Because the rule has `icmps`, it is not an L3-only rule either, so the peers get no ICMP and no other traffic from it. List the types, e.g. `fields: [{type: EchoRequest}]` (names need Cilium 1.16+; numbers work everywhere).',
      bad: 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: ping, namespace: shop}\nspec:\n  endpointSelector: {}\n  ingress:\n    - fromEntities: [cluster]\n      icmps: [{}]\n',
      good: 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: ping, namespace: shop}\nspec:\n  endpointSelector: {}\n  ingress:\n    - fromEntities: [cluster]\n      icmps: [{fields: [{type: 8, family: IPv4}]}]\n',
      source: 'cilium/cilium pkg/policy/api/icmp.go (GetPortRule/GetPortProtocols per field); pkg/policy/rule.go, utils/parserules.go',
    },
  },
  check(context) {
    const policy = policyOf(context);
    if (!policy) return;
    for (const spec of policy.specs) {
      for (const rule of spec.rules) {
        const list = deref(rule.icmps?.value);
        if (list?.type !== 'seq') continue;
        for (const item of list.items) {
          const entry = deref(item);
          if (entry?.type !== 'map') continue;
          const fields = mapGetPair(entry, 'fields');
          const value = deref(fields?.value);
          const empty = !fields || (value?.type === 'seq' && value.items.length === 0) || (value?.type === 'scalar' && value.value === null);
          if (!empty) continue;
          const effect = rule.deny ? 'denies no ICMP' : 'allows no ICMP';
          context.report(item, `This ICMP rule has no fields, so it names no ICMP type and ${effect}; the rule is not L3-only either (it has icmps). List the types in \`fields\`.`);
        }
      }
    }
  },
};
