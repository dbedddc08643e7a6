/**
 * `cnp/port-range-ignored`: an `endPort` Cilium does not honour — below
 * `port`, after a named port, or on Cilium before 1.16 (no ranges yet; the
 * API server drops the field). Only `port` itself is then allowed.
 */

import { allPortRules } from '../../policy/cnpModel';
import type { CrossFileRule } from '../types';
import { CNP_KINDS, atLeast, policyOf, versionPhrase } from './support';
import { plainText } from './invalidCidr';
import { parsePort } from './portSyntax';

export const portRangeIgnored: CrossFileRule = {
  meta: {
    id: 'cnp/port-range-ignored',
    severity: 'warning',
    title: 'endPort is ignored',
    kinds: CNP_KINDS,
    crossFile: true,
    docs: {
      summary: 'An `endPort` that is lower than `port`, follows a named port, or is used with Cilium before 1.16.',
      why: 'The policy is accepted, but the range is silently not applied: only `port` itself is allowed (or denied), so traffic to the rest of the intended range is dropped (or let through).',
      bad: 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: web, namespace: shop}\nspec:\n  endpointSelector: {matchLabels: {app: web}}\n  egress:\n    - toEndpoints: [{matchLabels: {app: api}}]\n      toPorts:\n        - ports:\n            - port: "8080"\n              endPort: 8000\n              protocol: TCP\n',
      good: 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: web, namespace: shop}\nspec:\n  endpointSelector: {matchLabels: {app: web}}\n  egress:\n    - toEndpoints: [{matchLabels: {app: api}}]\n      toPorts:\n        - ports:\n            - port: "8000"\n              endPort: 8080\n              protocol: TCP\n',
      source: 'cilium/cilium pkg/policy/api/l4.go, pkg/policy/l4.go; endPort field since v1.16.0',
    },
  },
  check(context) {
    const policy = policyOf(context);
    if (!policy) return;
    const since116 = atLeast(context, '1.16');
    for (const { portRule } of allPortRules(policy)) {
      for (const port of portRule.ports) {
        if (!port.endPortPair) continue;
        const endText = plainText(port.endPortPair.value);
        if (endText === undefined || endText === '0') continue;
        if (!since116) {
          const only = port.port ? `port ${port.port}` : 'the start port';
          context.report(port.endPortPair.key, `Port ranges need Cilium 1.16; on ${versionPhrase(context)} the API server drops endPort and only ${only} is matched.`);
          continue;
        }
        const start = port.port === undefined ? undefined : parsePort(port.port);
        if (start?.kind === 'name') {
          context.report(port.endPortPair.key, `endPort is ignored after a named port ("${port.port}"); only that one port is matched.`);
          continue;
        }
        const end = Number(endText);
        if (start?.kind === 'number' && Number.isInteger(end) && end < start.value) {
          context.report(port.endPortPair.value, `endPort ${end} is below port ${start.value}, so Cilium ignores the range and matches only port ${start.value}.`);
        }
      }
    }
  },
};
