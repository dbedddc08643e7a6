/** `cnp/deprecated-requires`: `fromRequires`/`toRequires` are deprecated in 1.17 and gone in 1.19. */

import type { CrossFileRule } from '../types';
import { CNP_KINDS, atLeast, policyOf, versionPhrase } from './support';

export const deprecatedRequires: CrossFileRule = {
  meta: {
    id: 'cnp/deprecated-requires',
    severity: 'warning',
    title: 'fromRequires / toRequires are deprecated',
    kinds: CNP_KINDS,
    mayRefusePolicy: true,
    crossFile: true,
    tags: ['deprecated'],
    docs: {
      summary: '`fromRequires`/`toRequires` in a policy for Cilium 1.17 or later.',
      why: 'Deprecated in Cilium 1.17 and removed in 1.19, where the CRD allows no items, so the API server rejects the policy. The requirement was AND-ed into the peer selectors of every rule of the subject; write those labels into each `fromEndpoints`/`toEndpoints` selector instead (or use deny rules for the excluded peers). There is no mechanical rewrite.',
      bad: 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: web, namespace: shop}\nspec:\n  endpointSelector: {matchLabels: {app: web}}\n  ingress:\n    - fromRequires: [{matchLabels: {env: prod}}]\n    - fromEndpoints: [{matchLabels: {app: web}}]\n',
      good: 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: web, namespace: shop}\nspec:\n  endpointSelector: {matchLabels: {app: web}}\n  ingress:\n    - fromEndpoints: [{matchLabels: {app: web, env: prod}}]\n',
      source: 'Cilium 1.17 upgrade notes (deprecation); CRD maxItems 0 on fromRequires/toRequires from 1.19',
    },
  },
  check(context) {
    const policy = policyOf(context);
    if (!policy || !atLeast(context, '1.17')) return;
    const removed = atLeast(context, '1.19');
    for (const spec of policy.specs) {
      for (const rule of spec.rules) {
        for (const peer of rule.peers) {
          if (peer.kind !== 'requires') continue;
          const counterpart = rule.ingress ? 'fromEndpoints' : 'toEndpoints';
          if (removed && (peer.items?.length ?? 0) > 0) {
            context.report(
              peer.pair.key,
              `${peer.field} was removed in Cilium 1.19; on ${versionPhrase(context)} the API server rejects the policy. Add these labels to the ${counterpart} selectors of the rules instead.`,
              { severity: 'error', refused: 'api-server' },
            );
          } else {
            context.report(peer.pair.key, `${peer.field} is deprecated since Cilium 1.17 and removed in 1.19; add these labels to the ${counterpart} selectors of the rules instead.`);
          }
        }
      }
    }
  },
};
