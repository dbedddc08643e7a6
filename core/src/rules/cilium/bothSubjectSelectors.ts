/** `cnp/both-subject-selectors`: a rule selects pods or nodes, never both. */

import { scalarString } from '../../parse/ast';
import type { CnpSpec } from '../../policy/cnpModel';
import type { LocalRule, ReportExtra } from '../types';
import { AGENT_REJECTS, CNP_KINDS, policyOf } from './support';

export const bothSubjectSelectors: LocalRule = {
  meta: {
    id: 'cnp/both-subject-selectors',
    // Explains the CRD's oneOf error on the rule (at `spec`, or at a `specs` entry), with the agent's reason.
    supersedes: ['schema/invalid-value'],
    severity: 'error',
    title: 'Both endpointSelector and nodeSelector',
    kinds: CNP_KINDS,
    mayRefusePolicy: true,
    docs: {
      summary: 'A rule with both `endpointSelector` and `nodeSelector`.',
      why: 'A rule applies either to pods or to nodes (host firewall). The agent refuses the policy ("rule cannot have both EndpointSelector and NodeSelector"). Write two rules (`specs`) instead.',
      bad: 'apiVersion: cilium.io/v2\nkind: CiliumClusterwideNetworkPolicy\nmetadata: {name: edge}\nspec:\n  endpointSelector: {}\n  nodeSelector: {}\n  ingress: [{fromEntities: [cluster]}]\n',
      good: 'apiVersion: cilium.io/v2\nkind: CiliumClusterwideNetworkPolicy\nmetadata: {name: edge}\nspecs:\n  - endpointSelector: {}\n    ingress: [{fromEntities: [cluster]}]\n  - nodeSelector: {}\n    ingress: [{fromEntities: [cluster]}]\n',
      source: 'cilium/cilium pkg/policy/api/rule_validation.go (Rule sanitize), all versions',
    },
  },
  check(context) {
    const policy = policyOf(context);
    if (!policy) return;
    for (const spec of policy.specs) {
      if (!spec.endpointSelector || !spec.nodeSelector) continue;
      context.report(spec.nodeSelector.key, `A rule selects pods (endpointSelector) or nodes (nodeSelector), not both: "rule cannot have both EndpointSelector and NodeSelector"; ${AGENT_REJECTS}.`, {
        refused: 'agent',
        related: [
          {
            at: { start: spec.endpointSelector.key.start, end: spec.endpointSelector.key.end },
            message: 'endpointSelector is set here',
          },
        ],
        explains: subjectClaims(spec),
      });
    }
  },
};

/**
 * Where the CRD's "exactly one of endpointSelector, nodeSelector" error sits for
 * this rule: on the `spec` key, or at the start of a `specs` list entry.
 */
export function subjectClaims(spec: CnpSpec): NonNullable<ReportExtra['explains']> {
  const claims = [{ rule: 'schema/invalid-value', at: { start: spec.node.start, end: spec.node.end } }];
  if (scalarString(spec.keyNode) === 'spec') claims.push({ rule: 'schema/invalid-value', at: { start: spec.keyNode.start, end: spec.keyNode.end } });
  return claims;
}
