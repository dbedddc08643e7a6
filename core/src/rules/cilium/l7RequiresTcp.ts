/**
 * `cnp/l7-requires-tcp`: HTTP, Kafka and generic L7 rules only work on TCP
 * ports. A port without `protocol` means ANY, which the agent rejects too.
 */

import { deref } from '../../parse/ast';
import { allowPortRules, nonDnsL7 } from '../../policy/cnpModel';
import type { LocalRule, RuleFix } from '../types';
import { AGENT_REJECTS, CNP_KINDS, insertPairAfter, policyOf, replaceScalarEdit } from './support';

export const l7RequiresTcp: LocalRule = {
  meta: {
    id: 'cnp/l7-requires-tcp',
    severity: 'error',
    title: 'L7 rules on a port that is not TCP',
    kinds: CNP_KINDS,
    mayRefusePolicy: true,
    docs: {
      summary: 'A `toPorts` entry with HTTP, Kafka or generic L7 rules lists a port whose protocol is not TCP — including a port with no `protocol`, which means ANY.',
      why: 'The agent only redirects TCP to its L7 proxy. It refuses the policy with "L7 rules can only apply to TCP (not ANY) except for DNS rules", and since Cilium never imports part of a policy, every rule of it is missing on every node.',
      bad: 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: web, namespace: shop}\nspec:\n  endpointSelector: {matchLabels: {app: web}}\n  ingress:\n    - fromEndpoints: [{matchLabels: {app: client}}]\n      toPorts:\n        - ports:\n            - port: "80"\n          rules:\n            http: [{method: GET}]\n',
      good: 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: web, namespace: shop}\nspec:\n  endpointSelector: {matchLabels: {app: web}}\n  ingress:\n    - fromEndpoints: [{matchLabels: {app: client}}]\n      toPorts:\n        - ports:\n            - port: "80"\n              protocol: TCP\n          rules:\n            http: [{method: GET}]\n',
      source: 'cilium/cilium pkg/policy/api/rule_validation.go (PortRule sanitize), all versions',
    },
    fix: { title: 'Set protocol: TCP', safe: true },
  },
  check(context) {
    const policy = policyOf(context);
    if (!policy) return;
    const text = context.document.text;
    for (const { portRule } of allowPortRules(policy)) {
      const l7 = nonDnsL7(portRule);
      if (l7.length === 0) continue;
      const kinds = [...new Set(l7.map((entry) => (entry.type === 'l7proto' ? 'generic L7' : entry.type.toUpperCase())))].join('/');
      for (const port of portRule.ports) {
        const protocol = (port.protocol ?? '').toUpperCase();
        if (protocol === 'TCP') continue;
        const shown = protocol === '' ? 'ANY' : protocol;
        const fixes: RuleFix[] = [];
        if (protocol === '' || protocol === 'ANY') {
          const edit = port.protocolPair
            ? replaceScalarEdit(port.protocolPair.value, 'TCP')
            : port.portPair && deref(port.portPair.value)?.type === 'scalar'
              ? insertPairAfter(text, port.node.flow, port.portPair, 'protocol', 'TCP')
              : undefined;
          if (edit) fixes.push({ title: 'Set protocol: TCP', safe: true, preferred: true, edits: [edit] });
        }
        const target = port.protocolPair?.value ?? port.portPair?.key ?? port.node;
        const omitted = port.protocolPair ? '' : ' (no protocol means ANY)';
        context.report(
          target,
          `${kinds} rules need a TCP port, but this port is ${shown}${omitted}: "L7 rules can only apply to TCP (not ${shown}) except for DNS rules"; ${AGENT_REJECTS}.`,
          { refused: 'agent', fixes },
        );
      }
    }
  },
};
