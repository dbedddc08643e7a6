/**
 * `cnp/clusterwide-default-deny`: a CiliumClusterwideNetworkPolicy whose rule
 * selects every endpoint (`endpointSelector: {}`) and allows something in a
 * direction without saying `enableDefaultDeny` for it: every pod of every
 * namespace is then default-deny in that direction, and only what some policy
 * allows still passes.
 *
 * Quiet when the direction's entries are all empty (`ingress: [{}]`): that is
 * the written form of a deliberate cluster default-deny.
 */

import { deref, mapGetPair } from '../../parse/ast';
import type { CnpRule } from '../../policy/cnpModel';
import { plainText } from './invalidCidr';
import type { LocalRule } from '../types';
import { CNP_KINDS, policyOf } from './support';

export const clusterwideDefaultDeny: LocalRule = {
  meta: {
    id: 'cnp/clusterwide-default-deny',
    // Often a deliberate cluster default-deny (DNS-for-all, cluster-only ingress): said as information.
    severity: 'info',
    title: 'Cluster-wide allow rule puts every pod into default-deny',
    kinds: CNP_KINDS,
    docs: {
      summary: 'A CiliumClusterwideNetworkPolicy rule with `endpointSelector: {}` that allows traffic in a direction without `enableDefaultDeny` for that direction.',
      why: 'A rule with an ingress (egress) section puts every endpoint it selects into ingress (egress) default-deny. With an empty selector in a cluster-wide policy that is every pod of the cluster, kube-system included: all traffic the policies do not allow is dropped. If the rule only meant to add an allowance, set `enableDefaultDeny: {ingress: false}` (Cilium 1.16+); if a cluster default-deny is intended, write it as its own rule (`ingress: [{}]`).',
      bad: 'apiVersion: cilium.io/v2\nkind: CiliumClusterwideNetworkPolicy\nmetadata: {name: allow-prometheus}\nspec:\n  endpointSelector: {}\n  ingress:\n    - fromEndpoints:\n        - matchLabels: {app: prometheus, k8s:io.kubernetes.pod.namespace: monitoring}\n',
      good: 'apiVersion: cilium.io/v2\nkind: CiliumClusterwideNetworkPolicy\nmetadata: {name: allow-prometheus}\nspec:\n  endpointSelector: {}\n  enableDefaultDeny: {ingress: false}\n  ingress:\n    - fromEndpoints:\n        - matchLabels: {app: prometheus, k8s:io.kubernetes.pod.namespace: monitoring}\n',
      source: 'cilium/cilium Documentation/security/policy/intro.rst (default mode, per direction); pkg/policy/repository.go computePolicyEnforcementAndRules',
    },
  },
  check(context) {
    const policy = policyOf(context);
    if (!policy || !policy.clusterwide) return;
    for (const spec of policy.specs) {
      const selector = deref(spec.endpointSelector?.value);
      // With a nodeSelector too the rule is rejected (cnp/both-subject-selectors).
      if (!spec.endpointSelector || spec.nodeSelector || selector?.type !== 'map' || selector.pairs.length > 0) continue;
      const flags = deref(mapGetPair(spec.node, 'enableDefaultDeny')?.value);
      for (const direction of ['ingress', 'egress'] as const) {
        if (flags?.type === 'map' && mapGetPair(flags, direction)) continue;
        const sections = spec.sections.filter((section) => section.direction === direction || section.direction === `${direction}Deny`);
        const items = sections.flatMap((section) => {
          const list = deref(section.pair.value);
          return list?.type === 'seq' ? list.items.map(deref) : [];
        });
        if (items.length === 0) continue;
        // `ingress: [{}]`: a deliberate default-deny, written as such.
        if (items.every((item) => item?.type === 'map' && item.pairs.length === 0)) continue;
        // An allow of entity `all` on every port: nothing is left to deny in this direction.
        if (sections.some((section) => section.direction === direction && section.rules.some(allowsEverything))) continue;
        const pair = sections[0].pair;
        context.report(pair.key, `This cluster-wide rule selects every endpoint (endpointSelector: {}) and has an ${sections[0].direction} section, so every pod of the cluster, kube-system included, becomes ${direction} default-deny: ${direction} traffic no policy allows is dropped. Set \`enableDefaultDeny: {${direction}: false}\` if the rule only adds an allowance, or \`true\` to state that the cluster default-deny is intended.`);
      }
    }
  },
};

/** `fromEntities: [all]` / `toEntities: [all]` without ports or ICMP: every peer, every port. */
function allowsEverything(rule: CnpRule): boolean {
  if (rule.toPorts || rule.icmps || rule.peers.length !== 1) return false;
  const peer = rule.peers[0];
  return peer.kind === 'entities' && (peer.items ?? []).some((item) => plainText(item) === 'all');
}
