/** `cnp/node-selector-in-cnp`: host policies (nodeSelector) exist only in CiliumClusterwideNetworkPolicy. */

import type { LocalRule } from '../types';
import { CNP_KINDS, policyOf } from './support';

export const nodeSelectorInCnp: LocalRule = {
  meta: {
    id: 'cnp/node-selector-in-cnp',
    severity: 'error',
    title: 'nodeSelector in a namespaced policy',
    kinds: CNP_KINDS,
    mayRefusePolicy: true,
    docs: {
      summary: 'A CiliumNetworkPolicy (namespaced) with `nodeSelector`.',
      why: 'Nodes belong to no namespace, so only a CiliumClusterwideNetworkPolicy may select them. The agent refuses the policy ("Invalid CiliumNetworkPolicy spec: rule cannot have NodeSelector").',
      bad: 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: host, namespace: shop}\nspec:\n  nodeSelector: {}\n  ingress: [{fromEntities: [cluster]}]\n',
      good: 'apiVersion: cilium.io/v2\nkind: CiliumClusterwideNetworkPolicy\nmetadata: {name: host}\nspec:\n  nodeSelector: {}\n  ingress: [{fromEntities: [cluster]}]\n',
      source: 'cilium/cilium pkg/k8s/apis/cilium.io/v2/cnp_types.go (Parse), all versions',
    },
  },
  check(context) {
    const policy = policyOf(context);
    if (!policy || policy.clusterwide) return;
    for (const spec of policy.specs) {
      if (!spec.nodeSelector) continue;
      context.report(
        spec.nodeSelector.key,
        'Only a CiliumClusterwideNetworkPolicy may select nodes: "Invalid CiliumNetworkPolicy spec: rule cannot have NodeSelector"; every agent rejects the whole policy. Move this rule to a CCNP.',
        { refused: 'agent' },
      );
    }
  },
};
