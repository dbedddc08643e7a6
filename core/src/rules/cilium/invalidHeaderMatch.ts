/** `cnp/invalid-header-match`: `headerMatches` entries need a name, a known `mismatch` action and a named secret. */

import { deref, mapGet, mapGetPair } from '../../parse/ast';
import { allowPortRules } from '../../policy/cnpModel';
import type { LocalRule } from '../types';
import { AGENT_REJECTS, CNP_KINDS, policyOf, replaceScalarEdit } from './support';
import { plainText } from './invalidCidr';

const ACTIONS = ['LOG', 'ADD', 'DELETE', 'REPLACE'];

export const invalidHeaderMatch: LocalRule = {
  meta: {
    id: 'cnp/invalid-header-match',
    severity: 'error',
    title: 'Invalid HTTP header match',
    kinds: CNP_KINDS,
    mayRefusePolicy: true,
    supersedes: ['schema/invalid-value', 'schema/missing-required'],
    docs: {
      summary: 'An HTTP `headerMatches` entry with an empty `name`, a `mismatch` other than LOG/ADD/DELETE/REPLACE, or a `secret` without a name.',
      why: 'The agent refuses the policy ("Header name missing", "Invalid header action: …", "Secret name missing"). Leave `mismatch` out to deny requests whose header does not match.',
      bad: 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: web, namespace: shop}\nspec:\n  endpointSelector: {matchLabels: {app: web}}\n  ingress:\n    - fromEndpoints: [{matchLabels: {app: client}}]\n      toPorts:\n        - ports: [{port: "8080", protocol: TCP}]\n          rules:\n            http:\n              - headerMatches:\n                  - name: x-token\n                    value: abc\n                    mismatch: log\n',
      good: 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: web, namespace: shop}\nspec:\n  endpointSelector: {matchLabels: {app: web}}\n  ingress:\n    - fromEndpoints: [{matchLabels: {app: client}}]\n      toPorts:\n        - ports: [{port: "8080", protocol: TCP}]\n          rules:\n            http:\n              - headerMatches:\n                  - name: x-token\n                    value: abc\n                    mismatch: LOG\n',
      source: 'cilium/cilium pkg/policy/api/http.go (HeaderMatch sanitize), all versions',
    },
    fix: { title: 'Upper-case the mismatch action', safe: true },
  },
  check(context) {
    const policy = policyOf(context);
    if (!policy) return;
    for (const { portRule } of allowPortRules(policy)) {
      for (const entry of portRule.l7) {
        if (entry.type !== 'http') continue;
        for (const http of entry.items) {
          const matches = deref(mapGet(http, 'headerMatches'));
          if (matches?.type !== 'seq') continue;
          for (const item of matches.items) {
            const match = deref(item);
            if (match?.type !== 'map') continue;
            const namePair = mapGetPair(match, 'name');
            const nameNode = deref(namePair?.value);
            const nameMissing = !nameNode || (nameNode.type === 'scalar' && (nameNode.value === null || nameNode.text === ''));
            if (nameMissing) {
              context.report(namePair?.key ?? match.pairs[0]?.key ?? match, `A header match needs a header name ("Header name missing"); ${AGENT_REJECTS}.`, { refused: 'agent' });
            }
            const mismatch = mapGetPair(match, 'mismatch');
            const action = plainText(mismatch?.value);
            if (mismatch && action !== undefined && action !== '' && !ACTIONS.includes(action)) {
              const upper = action.toUpperCase();
              const edit = ACTIONS.includes(upper) ? replaceScalarEdit(mismatch.value, upper) : undefined;
              context.report(mismatch.value, `mismatch must be one of ${ACTIONS.join(', ')} (or left out to deny): "Invalid header action: ${action}"; ${AGENT_REJECTS}.`, {
                refused: 'agent',
                fixes: edit ? [{ title: `Use ${upper}`, safe: true, preferred: true, edits: [edit] }] : [],
              });
            }
            const secret = deref(mapGet(match, 'secret'));
            if (secret?.type === 'map') {
              const secretName = plainText(mapGet(secret, 'name'));
              if (!secretName) context.report(mapGetPair(match, 'secret')!.key, `The secret reference needs a name ("Secret name missing"); ${AGENT_REJECTS}.`, { refused: 'agent' });
            }
          }
        }
      }
    }
  },
};
