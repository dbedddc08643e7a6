/**
 * `cnp/empty-peer-list`: from Cilium 1.16 an empty peer list (`fromEndpoints: []`)
 * selects no peer at all, rather than acting as if the field were omitted.
 */

import type { CrossFileRule } from '../types';
import { CNP_KINDS, atLeast, policyOf } from './support';

const KINDS = new Set(['endpoints', 'cidr', 'cidrSet', 'entities', 'nodes', 'services', 'groups']);

export const emptyPeerList: CrossFileRule = {
  meta: {
    id: 'cnp/empty-peer-list',
    severity: 'warning',
    title: 'Empty peer list selects nothing (1.16+)',
    kinds: CNP_KINDS,
    crossFile: true,
    docs: {
      summary: 'A peer field with an empty list (`fromEndpoints: []`, `toCIDR: []`, …) on Cilium 1.16 or later.',
      why: 'Since 1.16 an empty list means "no peer": an allow rule allows nothing (even with `toPorts`) and a deny rule denies nothing, while the section still switches the pods to default-deny. Before 1.16 it meant the same as leaving the field out. Use `[{}]` for every endpoint of the namespace, or remove the field.',
      bad: 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: web, namespace: shop}\nspec:\n  endpointSelector: {matchLabels: {app: web}}\n  ingress:\n    - fromEndpoints: []\n      toPorts: [{ports: [{port: "80", protocol: TCP}]}]\n',
      good: 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: web, namespace: shop}\nspec:\n  endpointSelector: {matchLabels: {app: web}}\n  ingress:\n    - toPorts: [{ports: [{port: "80", protocol: TCP}]}]\n',
      source: 'Cilium 1.16 upgrade notes; cilium/cilium pkg/policy/api selectors (nil vs empty slices)',
    },
  },
  check(context) {
    const policy = policyOf(context);
    if (!policy || !atLeast(context, '1.16')) return;
    for (const spec of policy.specs) {
      for (const rule of spec.rules) {
        for (const peer of rule.peers) {
          if (!KINDS.has(peer.kind) || !peer.items || peer.items.length > 0) continue;
          const effect = rule.deny ? 'this deny rule denies nothing' : 'this rule allows nothing';
          context.report(peer.pair.key, `An empty ${peer.field} list selects no peer since Cilium 1.16: ${effect}. Remove the field to match every peer, or list selectors.`);
        }
      }
    }
  },
};
