/** authz/conflicting-scope: `selector`, `targetRef` and `targetRefs` are mutually exclusive. */

import type { LocalRule } from '../types';
import { AUTHZ_KINDS, localPolicy } from './authzPolicy';

export const conflictingScope: LocalRule = {
  meta: {
    id: 'authz/conflicting-scope',
    severity: 'error',
    refusesPolicy: 'api-server',
    title: 'selector together with targetRef(s)',
    kinds: AUTHZ_KINDS,
    docs: {
      summary: 'An AuthorizationPolicy sets more than one of `selector`, `targetRef` and `targetRefs`.',
      why: 'A policy is bound either to workloads by labels (sidecars, ztunnel) or to Gateways/Services by reference (waypoints, gateways), never both. The CRD validation (Istio 1.24+) and the istiod webhook reject the policy, so it is never applied.',
      bad: 'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: api, namespace: shop}\nspec:\n  selector:\n    matchLabels: {app: api}\n  targetRefs:\n  - {kind: Service, group: "", name: api}\n',
      good: 'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: api, namespace: shop}\nspec:\n  targetRefs:\n  - {kind: Service, group: "", name: api}\n',
      source: 'istio/api authorization_policy.proto CEL rule; istio pkg/config/validation validateOneOfSelectorType',
    },
  },
  check(context) {
    const policy = localPolicy(context);
    if (!policy) return;
    const present = [policy.selectorPair, policy.targetRefPair, policy.targetRefsPair].filter((pair) => pair !== undefined);
    if (present.length < 2) return;
    const names = present.map((pair) => `\`${pair!.key.type === 'scalar' ? pair!.key.text : '?'}\``).join(' and ');
    for (const pair of present.slice(1)) {
      context.report(pair!.key, `${names} cannot be combined ("only one of targetRefs or selector can be set"): the API server rejects the policy. Use \`selector\` for sidecars/ztunnel or \`targetRefs\` for waypoints and gateways.`);
    }
  },
};
