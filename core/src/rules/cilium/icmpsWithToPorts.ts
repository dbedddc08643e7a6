/** `cnp/icmps-with-to-ports`: `icmps` and `toPorts` cannot share one rule. */

import type { LocalRule } from '../types';
import { AGENT_REJECTS, CNP_KINDS, policyOf } from './support';

export const icmpsWithToPorts: LocalRule = {
  meta: {
    id: 'cnp/icmps-with-to-ports',
    severity: 'error',
    title: 'icmps and toPorts in one rule',
    kinds: CNP_KINDS,
    mayRefusePolicy: true,
    docs: {
      summary: 'An ingress/egress rule (allow or deny) with both `icmps` and `toPorts`.',
      why: 'The agent refuses it ("the ICMPs block may only be present without ToPorts. Define a separate rule to use ToPorts"). Put the ICMP types and the ports in two rules with the same peers.',
      bad: 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: web, namespace: shop}\nspec:\n  endpointSelector: {matchLabels: {app: web}}\n  egress:\n    - toEntities: [world]\n      icmps: [{fields: [{type: 8}]}]\n      toPorts: [{ports: [{port: "443", protocol: TCP}]}]\n',
      good: 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: web, namespace: shop}\nspec:\n  endpointSelector: {matchLabels: {app: web}}\n  egress:\n    - toEntities: [world]\n      icmps: [{fields: [{type: 8}]}]\n    - toEntities: [world]\n      toPorts: [{ports: [{port: "443", protocol: TCP}]}]\n',
      source: 'cilium/cilium pkg/policy/api/rule_validation.go, icmp.go, all versions',
    },
  },
  check(context) {
    const policy = policyOf(context);
    if (!policy) return;
    for (const spec of policy.specs) {
      for (const rule of spec.rules) {
        if (!rule.icmps || !rule.toPorts) continue;
        const icmps = rule.icmps.value;
        const ports = rule.toPorts.value;
        if (icmps.type !== 'seq' || icmps.items.length === 0 || ports.type !== 'seq' || ports.items.length === 0) continue;
        context.report(rule.icmps.key, `icmps and toPorts must be in separate rules: "the ICMPs block may only be present without ToPorts"; ${AGENT_REJECTS}.`, {
          refused: 'agent',
          related: [{ at: { start: rule.toPorts.key.start, end: rule.toPorts.key.end }, message: 'toPorts of the same rule' }],
        });
      }
    }
  },
};
