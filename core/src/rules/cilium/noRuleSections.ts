/** `cnp/no-rule-sections`: a rule without ingress/ingressDeny/egress/egressDeny does nothing (1.17+: rejected). */

import type { CrossFileRule } from '../types';
import { CNP_KINDS, atLeast, policyOf, versionPhrase } from './support';

export const noRuleSections: CrossFileRule = {
  meta: {
    id: 'cnp/no-rule-sections',
    // Says what the CRD's oneOf/anyOf says at the same place, with the agent's reason.
    supersedes: ['schema/invalid-value'],
    needsWholeObject: true,
    severity: 'error',
    title: 'Rule without ingress or egress sections',
    kinds: CNP_KINDS,
    mayRefusePolicy: true,
    crossFile: true,
    docs: {
      summary: 'A `spec`/`specs` entry with none of `ingress`, `ingressDeny`, `egress`, `egressDeny`.',
      why: 'From Cilium 1.17 the agent refuses it ("rule must have at least one of Ingress, IngressDeny, Egress, EgressDeny") and so the whole policy; before, such a rule had no effect. To make the selected pods default-deny, write `ingress: [{}]` or `egress: [{}]`.',
      bad: 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: web, namespace: shop}\nspec:\n  endpointSelector: {matchLabels: {app: web}}\n',
      good: 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: web, namespace: shop}\nspec:\n  endpointSelector: {matchLabels: {app: web}}\n  ingress: [{}]\n',
      source: 'cilium/cilium pkg/policy/api/rule_validation.go at v1.17.0',
    },
  },
  check(context) {
    const policy = policyOf(context);
    if (!policy) return;
    const since117 = atLeast(context, '1.17');
    for (const spec of policy.specs) {
      // A section counts when it holds a list (`ingress:` left empty is null, which Cilium treats as absent).
      if (spec.sections.some((section) => section.pair.value.type === 'seq' || section.pair.value.type === 'alias')) continue;
      const isSpecKey = spec.keyNode.type === 'scalar' && spec.keyNode.text === 'spec';
      const where = isSpecKey ? spec.keyNode : spec.node.pairs[0]?.key ?? spec.node;
      if (since117) {
        context.report(where, `This rule has no ingress, ingressDeny, egress or egressDeny section: "rule must have at least one of Ingress, IngressDeny, Egress, EgressDeny"; every agent rejects the whole policy.`, { refused: 'agent' });
      } else {
        context.report(where, `This rule has no ingress, ingressDeny, egress or egressDeny section, so it has no effect on ${versionPhrase(context)} (Cilium 1.17 rejects it).`, { severity: 'warning' });
      }
    }
  },
};
