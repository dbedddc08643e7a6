/** `cnp/missing-subject-selector`: every rule needs `endpointSelector` (or, in a CCNP, `nodeSelector`). */

import type { LocalRule } from '../types';
import { AGENT_REJECTS, CNP_KINDS, policyOf } from './support';
import { subjectClaims } from './bothSubjectSelectors';

export const missingSubjectSelector: LocalRule = {
  meta: {
    id: 'cnp/missing-subject-selector',
    // Says what the CRD's oneOf/anyOf says at the same place, with the agent's reason.
    supersedes: ['schema/invalid-value'],
    needsWholeObject: true,
    severity: 'error',
    title: 'Rule selects no subject',
    kinds: CNP_KINDS,
    mayRefusePolicy: true,
    docs: {
      summary: 'A `spec` (or `specs` entry) with neither `endpointSelector` nor `nodeSelector`.',
      why: 'Cilium needs to know which pods (or, for a CCNP, which nodes) the rule applies to and refuses the policy without it ("rule must have one of EndpointSelector or NodeSelector"). `endpointSelector: {}` selects every pod of the namespace.',
      bad: 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: web, namespace: shop}\nspec:\n  ingress:\n    - fromEndpoints: [{}]\n',
      good: 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: web, namespace: shop}\nspec:\n  endpointSelector: {}\n  ingress:\n    - fromEndpoints: [{}]\n',
      source: 'cilium/cilium pkg/policy/api/rule_validation.go (Rule sanitize), all versions',
    },
  },
  check(context) {
    const policy = policyOf(context);
    if (!policy) return;
    for (const spec of policy.specs) {
      if (spec.endpointSelector || spec.nodeSelector) continue;
      // `spec:` is reported at its key; a `specs` entry at its first field.
      const isSpecKey = spec.keyNode.type === 'scalar' && spec.keyNode.text === 'spec';
      const where = isSpecKey ? spec.keyNode : spec.node.pairs[0]?.key ?? spec.node;
      const choice = policy.clusterwide ? 'endpointSelector (pods) or nodeSelector (nodes)' : 'endpointSelector ({} for every pod of the namespace)';
      // The CRD's "exactly one of" error on a `specs` entry sits on the entry, not its first key: one mistake, one finding.
      context.report(where, `This rule has no ${choice}: "rule must have one of EndpointSelector or NodeSelector"; ${AGENT_REJECTS}.`, { refused: 'agent', explains: subjectClaims(spec) });
    }
  },
};
