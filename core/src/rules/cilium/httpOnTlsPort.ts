/**
 * `cnp/http-on-tls-port`: HTTP rules on port 443 (or a named port that says
 * https/tls) without TLS interception (`terminatingTLS`/`originatingTLS`). The
 * proxy then receives TLS records, not HTTP requests: no HTTP rule can match
 * and the connections on that port fail.
 */

import { allPortRules } from '../../policy/cnpModel';
import type { LocalRule } from '../types';
import { CNP_KINDS, policyOf } from './support';

/** Port text that means TLS: 443, or a port name that says so (`https`, `tls`, `grpcs`…). */
export function tlsPort(port: string | undefined): boolean {
  if (port === undefined) return false;
  if (port === '443') return true;
  return /^[a-z][a-z0-9-]*$/.test(port) && /(https|tls|grpcs)/.test(port);
}

export const httpOnTlsPort: LocalRule = {
  meta: {
    id: 'cnp/http-on-tls-port',
    severity: 'warning',
    title: 'HTTP rules on a TLS port without TLS interception',
    kinds: CNP_KINDS,
    docs: {
      summary: 'A `toPorts` entry with `rules.http` on port 443 (or a port named like `https`/`tls`) and neither `terminatingTLS` nor `originatingTLS`.',
      why: 'HTTP rules are checked by the Envoy proxy, which parses requests. On a TLS port it only sees encrypted records, so no HTTP rule ever matches and the connections on that port are dropped. Either allow the port at L4 only (and filter by `serverNames`), or give the proxy `terminatingTLS` (and `originatingTLS` on egress) so it can read the requests.',
      bad: 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: github, namespace: ci}\nspec:\n  endpointSelector: {}\n  egress:\n    - toFQDNs: [{matchName: api.github.com}]\n      toPorts:\n        - ports: [{port: "443", protocol: TCP}]\n          rules:\n            http: [{method: GET}]\n',
      good: 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: github, namespace: ci}\nspec:\n  endpointSelector: {}\n  egress:\n    - toFQDNs: [{matchName: api.github.com}]\n      toPorts:\n        - ports: [{port: "443", protocol: TCP}]\n          serverNames: [api.github.com]\n',
      source: 'cilium/cilium Documentation/security/tls-visibility.rst; pkg/policy/api/l4.go (TLS contexts)',
    },
  },
  check(context) {
    const policy = policyOf(context);
    if (!policy) return;
    for (const { portRule } of allPortRules(policy)) {
      if (portRule.terminatingTLS || portRule.originatingTLS) continue;
      // serverNames with L7 rules and no TLS termination: the agent rejects it (cnp/server-names-without-tls).
      if (portRule.serverNames) continue;
      const http = portRule.l7.find((entry) => entry.type === 'http' && entry.items.length > 0);
      if (!http) continue;
      const port = portRule.ports.find((candidate) => tlsPort(candidate.port));
      if (!port) continue;
      context.report(http.pair.key, `HTTP rules on TLS port ${port.port} without terminatingTLS/originatingTLS: the proxy sees only encrypted TLS records, so no HTTP rule can match and connections on this port fail. Allow the port without HTTP rules (use serverNames to filter by name), or configure TLS interception.`);
    }
  },
};
