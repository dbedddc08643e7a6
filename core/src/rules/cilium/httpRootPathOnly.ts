/**
 * `cnp/http-root-path-only`: `path: "/"` in a Cilium HTTP rule matches only
 * requests for exactly `/`. Cilium hands `path` to Envoy as a safe-regex
 * matcher on the `:path` header, which must match the whole value (and
 * `:path` carries the query string too).
 */

import { deref, mapGetPair } from '../../parse/ast';
import { allPortRules } from '../../policy/cnpModel';
import type { LocalRule } from '../types';
import { CNP_KINDS, policyOf, replaceScalarEdit } from './support';
import { plainText } from './invalidCidr';

export const httpRootPathOnly: LocalRule = {
  meta: {
    id: 'cnp/http-root-path-only',
    severity: 'warning',
    title: 'HTTP path "/" matches only the root',
    kinds: CNP_KINDS,
    docs: {
      summary: 'An HTTP rule with `path: "/"`.',
      why: 'Cilium HTTP paths are RE2 regular expressions matched against the whole request path including its query string (an Envoy full-match on `:path`), not prefixes. `"/"` therefore allows `GET /` and nothing else: `/index.html`, `/api/v1` and `/?q=1` are denied. To allow every path, omit `path` or write `"/.*"`.',
      bad: 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: web, namespace: shop}\nspec:\n  endpointSelector: {matchLabels: {app: web}}\n  ingress:\n    - fromEntities: [cluster]\n      toPorts:\n        - ports: [{port: "8080", protocol: TCP}]\n          rules:\n            http: [{method: GET, path: "/"}]\n',
      good: 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: web, namespace: shop}\nspec:\n  endpointSelector: {matchLabels: {app: web}}\n  ingress:\n    - fromEntities: [cluster]\n      toPorts:\n        - ports: [{port: "8080", protocol: TCP}]\n          rules:\n            http: [{method: GET, path: "/.*"}]\n',
      source: 'cilium/cilium pkg/policy/api/http.go (path is a regex), proxylib/Envoy network policy (safe_regex on :path); Envoy StringMatcher safe_regex (full match)',
    },
    fix: { title: 'Match every path ("/.*")', safe: false },
  },
  check(context) {
    const policy = policyOf(context);
    if (!policy) return;
    for (const { portRule } of allPortRules(policy)) {
      for (const entry of portRule.l7) {
        if (entry.type !== 'http') continue;
        for (const http of entry.items) {
          if (deref(http)?.type !== 'map') continue;
          const pair = mapGetPair(http, 'path');
          if (!pair || plainText(pair.value) !== '/') continue;
          const edit = replaceScalarEdit(pair.value, '/.*');
          context.report(pair.value, 'path is a regex matched against the whole request path and query string, so "/" allows only requests for exactly "/" (not "/index.html" or "/?q=1"). Write "/.*" (or omit path) to allow every path.', {
            fixes: edit ? [{ title: 'Match every path ("/.*")', safe: false, edits: [edit] }] : undefined,
          });
        }
      }
    }
  },
};
