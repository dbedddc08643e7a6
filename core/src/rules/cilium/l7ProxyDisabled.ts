/** `cnp/l7-proxy-disabled`: L7 rules while the Cilium HelmRelease turns the L7 proxy off. */

import { allowPortRules } from '../../policy/cnpModel';
import type { CrossFileRule } from '../types';
import { AGENT_REJECTS, CNP_KINDS, ciliumContextOf, policyOf } from './support';

export const l7ProxyDisabled: CrossFileRule = {
  meta: {
    id: 'cnp/l7-proxy-disabled',
    severity: 'error',
    title: 'L7 rules with the L7 proxy disabled',
    kinds: CNP_KINDS,
    mayRefusePolicy: true,
    crossFile: true,
    docs: {
      summary: 'HTTP, DNS, Kafka or generic L7 rules while the workspace\'s Cilium HelmRelease sets `l7Proxy: false`.',
      why: 'Without the proxy the agent cannot enforce L7 rules and refuses every policy that has them ("L7 policy is not supported since L7 proxy is not enabled"). Enable `l7Proxy` or remove the L7 rules.',
      good: 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: cilium, namespace: kube-system}\nspec:\n  interval: 1h\n  chart:\n    spec: {chart: cilium, version: 1.16.5, sourceRef: {kind: HelmRepository, name: cilium}}\n  values:\n    l7Proxy: true\n---\napiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: web, namespace: shop}\nspec:\n  endpointSelector: {matchLabels: {app: web}}\n  ingress:\n    - fromEndpoints: [{matchLabels: {app: client}}]\n      toPorts:\n        - ports: [{port: "80", protocol: TCP}]\n          rules: {http: [{}]}\n',
      bad: 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: cilium, namespace: kube-system}\nspec:\n  interval: 1h\n  chart:\n    spec: {chart: cilium, version: 1.16.5, sourceRef: {kind: HelmRepository, name: cilium}}\n  values:\n    l7Proxy: false\n---\napiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: web, namespace: shop}\nspec:\n  endpointSelector: {matchLabels: {app: web}}\n  ingress:\n    - fromEndpoints: [{matchLabels: {app: client}}]\n      toPorts:\n        - ports: [{port: "80", protocol: TCP}]\n          rules: {http: [{}]}\n',
      source: 'cilium/cilium pkg/policy/api/rule_validation.go (IngressRule/EgressRule sanitize), all versions',
    },
  },
  check(context) {
    const policy = policyOf(context);
    if (!policy) return;
    const cilium = ciliumContextOf(context);
    if (cilium.l7Proxy !== false || !cilium.helmRelease || !cilium.l7ProxyAt) return;
    const release = cilium.helmRelease;
    const related = [
      {
        at: cilium.l7ProxyAt,
        message: `l7Proxy: false in HelmRelease ${release.identity.name ?? ''}`.trim(),
      },
    ];
    for (const { portRule } of allowPortRules(policy)) {
      for (const entry of portRule.l7) {
        context.report(entry.pair.key, `The Cilium HelmRelease sets l7Proxy: false, so L7 rules cannot be enforced: "L7 policy is not supported since L7 proxy is not enabled"; ${AGENT_REJECTS}.`, { refused: 'agent', related });
      }
    }
  },
};
