/** `cnp/invalid-protocol`: `protocol` must be one the Cilium version in use knows. */

import { allPortRules } from '../../policy/cnpModel';
import type { CrossFileRule } from '../types';
import { AGENT_REJECTS, CNP_KINDS, ciliumMinor, policyOf, versionPhrase } from './support';
import { plainText } from './invalidCidr';
import { protocolSince, protocolsFor } from './protocols';

export const invalidProtocol: CrossFileRule = {
  meta: {
    id: 'cnp/invalid-protocol',
    severity: 'error',
    title: 'Protocol not supported by this Cilium version',
    kinds: CNP_KINDS,
    mayRefusePolicy: true,
    supersedes: ['schema/invalid-value'],
    crossFile: true,
    docs: {
      summary: 'A port `protocol` the Cilium version in use does not know (SCTP from 1.13, VRRP/IGMP from 1.19, GRE/IPIP/IPV6/ESP/AH from 1.20).',
      why: 'The agent refuses the policy ("invalid protocol \\"X\\", must be { tcp | udp | … | any }"). The version comes from the Cilium HelmRelease in the workspace, else the `meshlens.ciliumVersion` setting.',
      good: 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: web, namespace: shop}\nspec:\n  endpointSelector: {matchLabels: {app: web}}\n  egress:\n    - toEndpoints: [{matchLabels: {app: api}}]\n      toPorts:\n        - ports:\n            - port: "0"\n              protocol: UDP\n',
      exampleOptions: { ciliumVersion: '1.18' },
      bad: 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: web, namespace: shop}\nspec:\n  endpointSelector: {matchLabels: {app: web}}\n  egress:\n    - toEndpoints: [{matchLabels: {app: api}}]\n      toPorts:\n        - ports:\n            - port: "0"\n              protocol: VRRP\n',
      source: 'cilium/cilium pkg/policy/api/l4.go (PortProtocol sanitize) per release',
    },
  },
  check(context) {
    const policy = policyOf(context);
    if (!policy) return;
    const minor = ciliumMinor(context);
    const known = protocolsFor(minor);
    for (const { portRule } of allPortRules(policy)) {
      for (const port of portRule.ports) {
        const text = plainText(port.protocolPair?.value);
        if (!port.protocolPair || text === undefined || text === '') continue;
        const upper = text.toUpperCase();
        if (known.includes(upper)) continue;
        const since = protocolSince(upper);
        const why = since ? `${upper} needs Cilium ${since} or later, and this is ${versionPhrase(context)}` : `"${text}" is not a protocol Cilium knows`;
        context.report(
          port.protocolPair.value,
          `${why}: "invalid protocol ${JSON.stringify(text)}, must be { ${known.map((name) => name.toLowerCase()).join(' | ')} }"; ${AGENT_REJECTS}.`,
          { refused: 'agent' },
        );
      }
    }
  },
};
