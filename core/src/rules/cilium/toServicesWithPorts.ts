/** `cnp/to-services-with-ports`: Cilium 1.14–1.16 refuse `toServices` together with `toPorts`. */

import type { CrossFileRule } from '../types';
import { AGENT_REJECTS, CNP_KINDS, atLeast, policyOf, versionPhrase } from './support';

export const toServicesWithPorts: CrossFileRule = {
  meta: {
    id: 'cnp/to-services-with-ports',
    severity: 'error',
    title: 'toServices with toPorts (Cilium 1.14–1.16)',
    kinds: CNP_KINDS,
    mayRefusePolicy: true,
    crossFile: true,
    docs: {
      summary: 'An egress rule with both `toServices` and `toPorts`, on Cilium 1.14, 1.15 or 1.16.',
      why: 'Those versions refuse the combination ("Combining ToServices and ToPorts is not supported yet") and so the whole policy. Earlier and later versions accept it. Use `toEndpoints` with the service\'s pod labels when you need ports.',
      bad: 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: web, namespace: shop}\nspec:\n  endpointSelector: {matchLabels: {app: web}}\n  egress:\n    - toServices: [{k8sService: {serviceName: api, namespace: shop}}]\n      toPorts: [{ports: [{port: "443", protocol: TCP}]}]\n',
      good: 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: web, namespace: shop}\nspec:\n  endpointSelector: {matchLabels: {app: web}}\n  egress:\n    - toEndpoints: [{matchLabels: {app: api}}]\n      toPorts: [{ports: [{port: "443", protocol: TCP}]}]\n',
      exampleOptions: { ciliumVersion: '1.16' },
      source: 'cilium/cilium pkg/policy/api/rule_validation.go at v1.14.0, v1.15.0, v1.16.0 (check gone in v1.17.0)',
    },
  },
  check(context) {
    const policy = policyOf(context);
    if (!policy || !atLeast(context, '1.14') || atLeast(context, '1.17')) return;
    for (const spec of policy.specs) {
      for (const rule of spec.rules) {
        const services = rule.peers.find((peer) => peer.kind === 'services' && (peer.items?.length ?? 0) > 0);
        if (!services || !rule.toPorts || rule.toPorts.value.type !== 'seq' || rule.toPorts.value.items.length === 0) continue;
        context.report(
          rule.toPorts.key,
          `${versionPhrase(context)} does not allow toPorts next to toServices ("Combining ToServices and ToPorts is not supported yet"); ${AGENT_REJECTS}. Cilium 1.17 accepts it.`,
          { refused: 'agent' },
        );
      }
    }
  },
};
