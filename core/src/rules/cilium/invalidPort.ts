/**
 * `cnp/invalid-port`: a `port` must be present and be a number 0–65535 or a
 * service name (`http`); protocols without ports (VRRP, GRE, …) take none.
 */

import { allPortRules } from '../../policy/cnpModel';
import type { CrossFileRule } from '../types';
import { AGENT_REJECTS, CNP_KINDS, atLeast, policyOf } from './support';
import { plainText } from './invalidCidr';
import { parsePort } from './portSyntax';
import { EXTENDED_PROTOCOLS } from './protocols';

export const invalidPort: CrossFileRule = {
  meta: {
    id: 'cnp/invalid-port',
    severity: 'error',
    title: 'Invalid or missing port',
    kinds: CNP_KINDS,
    mayRefusePolicy: true,
    supersedes: ['schema/invalid-value'],
    crossFile: true,
    docs: {
      summary: 'A `ports` entry without `port`, with a port that is neither a number 0–65535 nor a service name, or (Cilium 1.19+) a non-zero port for a protocol without ports.',
      why: 'The agent refuses the policy ("port must be specified", "unable to parse port: …", "port must be empty or 0"). Numbers with a leading 0 are read as octal: `010` is port 8 and `080` is an error.',
      bad: 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: web, namespace: shop}\nspec:\n  endpointSelector: {matchLabels: {app: web}}\n  egress:\n    - toEndpoints: [{matchLabels: {app: api}}]\n      toPorts:\n        - ports:\n            - port: "080"\n              protocol: TCP\n',
      good: 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: web, namespace: shop}\nspec:\n  endpointSelector: {matchLabels: {app: web}}\n  egress:\n    - toEndpoints: [{matchLabels: {app: api}}]\n      toPorts:\n        - ports:\n            - port: "80"\n              protocol: TCP\n',
      source: 'cilium/cilium pkg/policy/api/l4.go (PortProtocol sanitize) per release',
    },
  },
  check(context) {
    const policy = policyOf(context);
    if (!policy) return;
    const since119 = atLeast(context, '1.19');
    const lower = atLeast(context, '1.17');
    for (const { portRule } of allPortRules(policy)) {
      for (const port of portRule.ports) {
        const protocol = (plainText(port.protocolPair?.value) ?? '').toUpperCase();
        const extended = since119 && EXTENDED_PROTOCOLS.includes(protocol);
        const text = port.portPair ? plainText(port.portPair.value) : '';
        if (text === undefined) continue;
        if (text === '') {
          if (extended) continue;
          const error = since119 ? 'port must be specified' : 'Port must be specified';
          context.report(port.portPair?.value ?? port.node.pairs[0]?.key ?? port.node, `This entry has no port: "${error}"; ${AGENT_REJECTS}.`, { refused: 'agent' });
          continue;
        }
        const parsed = parsePort(text);
        if (parsed.kind === 'invalid') {
          context.report(port.portPair!.value, `"${text}" is not a valid port (${parsed.reason}): "${lower ? 'unable' : 'Unable'} to parse port"; ${AGENT_REJECTS}.`, { refused: 'agent' });
        } else if (extended && !(parsed.kind === 'number' && parsed.value === 0)) {
          context.report(port.portPair!.value, `${protocol} carries no ports; leave port out or set it to 0: "port must be empty or 0"; ${AGENT_REJECTS}.`, { refused: 'agent' });
        }
      }
    }
  },
};
