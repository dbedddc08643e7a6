/**
 * `cnp/peer-kinds-combined`: one rule may name only one kind of peer
 * (endpoints, CIDRs, CIDR sets, entities, services, groups, FQDNs; nodes and
 * ingress groups from Cilium 1.16). `fromRequires`/`toRequires` never count.
 */

import type { CnpPeerField } from '../../policy/cnpModel';
import type { CrossFileRule } from '../types';
import { AGENT_REJECTS, CNP_KINDS, atLeast, policyOf } from './support';

export const peerKindsCombined: CrossFileRule = {
  meta: {
    id: 'cnp/peer-kinds-combined',
    severity: 'error',
    title: 'Two peer kinds in one rule',
    kinds: CNP_KINDS,
    mayRefusePolicy: true,
    crossFile: true,
    docs: {
      summary: 'An ingress or egress rule that names two kinds of peers, e.g. `toEndpoints` and `toCIDR`.',
      why: 'The agent refuses such a rule ("combining ToEndpoints and ToCIDR is not supported yet") and so the whole policy. Split it into one rule per peer kind; the rules of a section are OR-ed anyway. Which fields count depends on the Cilium version (`fromNodes`/`toNodes` and `fromGroups` since 1.16).',
      bad: 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: web, namespace: shop}\nspec:\n  endpointSelector: {matchLabels: {app: web}}\n  egress:\n    - toEndpoints: [{matchLabels: {app: db}}]\n      toCIDR: [10.0.0.0/8]\n',
      good: 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: web, namespace: shop}\nspec:\n  endpointSelector: {matchLabels: {app: web}}\n  egress:\n    - toEndpoints: [{matchLabels: {app: db}}]\n    - toCIDR: [10.0.0.0/8]\n',
      source: 'cilium/cilium pkg/policy/api/rule_validation.go (IngressCommonRule/EgressCommonRule sanitize)',
    },
  },
  check(context) {
    const policy = policyOf(context);
    if (!policy) return;
    const since116 = atLeast(context, '1.16');
    const lower = atLeast(context, '1.17');
    for (const spec of policy.specs) {
      for (const rule of spec.rules) {
        const counted = rule.peers.filter((peer) => counts(peer, rule.ingress, rule.deny, since116) && isSet(peer));
        if (counted.length < 2) continue;
        const first = counted[0];
        for (const other of counted.slice(1)) {
          const error = `${lower ? 'combining' : 'Combining'} ${goName(first.field)} and ${goName(other.field)} is not supported yet`;
          context.report(other.pair.key, `${other.field} cannot sit in the same rule as ${first.field}; put each peer kind in its own rule: "${error}"; ${AGENT_REJECTS}.`, {
            refused: 'agent',
            related: [{ at: { start: first.pair.key.start, end: first.pair.key.end }, message: `${first.field} is set here` }],
          });
        }
      }
    }
  },
};

function counts(peer: CnpPeerField, ingress: boolean, deny: boolean, since116: boolean): boolean {
  if (peer.kind === 'requires') return false;
  if (peer.kind === 'nodes') return since116;
  if (peer.kind === 'groups' && ingress) return since116;
  if (peer.kind === 'fqdns') return !deny;
  return true;
}

/** Cilium counts a field when its list is non-empty. */
function isSet(peer: CnpPeerField): boolean {
  return (peer.items?.length ?? 0) > 0;
}

/** The Go field name the agent's message uses (`toFQDNs` → `ToFQDNs`). */
function goName(field: string): string {
  return field.charAt(0).toUpperCase() + field.slice(1);
}
