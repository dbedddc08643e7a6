/**
 * `cnp/listener-misuse`: a `listener` (redirect to a CiliumEnvoyConfig
 * listener) works only on egress, without L7 `rules`, and in a CCNP only
 * towards a CiliumClusterwideEnvoyConfig.
 */

import { deref, mapGet, mapGetPair } from '../../parse/ast';
import { allowPortRules } from '../../policy/cnpModel';
import type { LocalRule } from '../types';
import { AGENT_REJECTS, CNP_KINDS, policyOf } from './support';
import { plainText } from './invalidCidr';

export const listenerMisuse: LocalRule = {
  meta: {
    id: 'cnp/listener-misuse',
    severity: 'error',
    title: 'listener on ingress, with L7 rules, or to a namespaced config from a CCNP',
    kinds: CNP_KINDS,
    mayRefusePolicy: true,
    docs: {
      summary: 'A `toPorts[].listener` in an ingress rule, next to `rules`, or (in a CCNP) naming a namespaced CiliumEnvoyConfig.',
      why: 'The agent refuses listeners on ingress ("Listener is not allowed on ingress") and listeners together with L7 rules ("Listener is not allowed with L7 rules") — the whole policy is dropped. A CCNP cannot reach a namespaced CiliumEnvoyConfig; that fails when the endpoint policy is computed, so traffic of the selected pods is not redirected.',
      bad: 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: web, namespace: shop}\nspec:\n  endpointSelector: {matchLabels: {app: web}}\n  egress:\n    - toPorts:\n        - ports: [{port: "80", protocol: TCP}]\n          listener: {envoyConfig: {kind: CiliumEnvoyConfig, name: proxy}, name: l1}\n          rules: {http: [{}]}\n',
      good: 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: web, namespace: shop}\nspec:\n  endpointSelector: {matchLabels: {app: web}}\n  egress:\n    - toPorts:\n        - ports: [{port: "80", protocol: TCP}]\n          listener: {envoyConfig: {kind: CiliumEnvoyConfig, name: proxy}, name: l1}\n',
      source: 'cilium/cilium pkg/policy/api/rule_validation.go (PortRule sanitize, 1.13+); pkg/policy/l4.go (listener resolution)',
    },
  },
  check(context) {
    const policy = policyOf(context);
    if (!policy) return;
    for (const { rule, portRule } of allowPortRules(policy)) {
      const listener = portRule.listener;
      if (!listener || deref(listener.value)?.type !== 'map') continue;
      const name = plainText(mapGet(listener.value, 'name')) ?? '';
      if (rule.ingress) {
        context.report(listener.key, `Listeners can only redirect egress traffic: "Listener is not allowed on ingress (${name})"; ${AGENT_REJECTS}.`, { refused: 'agent' });
      } else if (portRule.l7.length > 0 && portRule.rulesPair) {
        context.report(listener.key, `A listener takes over the port, so it cannot be combined with L7 rules: "Listener is not allowed with L7 rules (${name})"; ${AGENT_REJECTS}.`, { refused: 'agent' });
      }
      const envoyConfig = deref(mapGet(listener.value, 'envoyConfig'));
      const kindPair = mapGetPair(envoyConfig, 'kind');
      if (policy.clusterwide && kindPair && plainText(kindPair.value) === 'CiliumEnvoyConfig') {
        context.report(kindPair.value, `A clusterwide policy cannot use a namespaced CiliumEnvoyConfig listener; use a CiliumClusterwideEnvoyConfig. Cilium fails to compute the policy of the selected endpoints.`);
      }
    }
  },
};
