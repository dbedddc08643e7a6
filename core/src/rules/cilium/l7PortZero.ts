/** `cnp/l7-port-zero`: L7 rules need a concrete port; port 0 means every port. */

import { allowPortRules } from '../../policy/cnpModel';
import type { LocalRule } from '../types';
import { AGENT_REJECTS, CNP_KINDS, policyOf } from './support';
import { parsePortNumber } from './portSyntax';

export const l7PortZero: LocalRule = {
  meta: {
    id: 'cnp/l7-port-zero',
    severity: 'error',
    title: 'L7 rules with port 0',
    kinds: CNP_KINDS,
    mayRefusePolicy: true,
    docs: {
      summary: 'A `toPorts` entry with L7 rules lists port `0` (all ports).',
      why: 'The proxy needs one listener port per redirected port. The agent refuses the policy ("L7 rules can not be used when a port is 0").',
      bad: 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: web, namespace: shop}\nspec:\n  endpointSelector: {matchLabels: {app: web}}\n  ingress:\n    - fromEndpoints: [{matchLabels: {app: client}}]\n      toPorts:\n        - ports: [{port: "0", protocol: TCP}]\n          rules:\n            http: [{}]\n',
      good: 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: web, namespace: shop}\nspec:\n  endpointSelector: {matchLabels: {app: web}}\n  ingress:\n    - fromEndpoints: [{matchLabels: {app: client}}]\n      toPorts:\n        - ports: [{port: "8080", protocol: TCP}]\n          rules:\n            http: [{}]\n',
      source: 'cilium/cilium pkg/policy/api/rule_validation.go (PortRule sanitize), all versions',
    },
  },
  check(context) {
    const policy = policyOf(context);
    if (!policy) return;
    for (const { portRule } of allowPortRules(policy)) {
      if (portRule.l7.length === 0) continue;
      for (const port of portRule.ports) {
        if (port.port === undefined || parsePortNumber(port.port) !== 0 || !port.portPair) continue;
        context.report(port.portPair.value, `Port 0 means every port, but L7 rules need a concrete port to redirect to the proxy: "L7 rules can not be used when a port is 0"; ${AGENT_REJECTS}.`, { refused: 'agent' });
      }
    }
  },
};
