/** authz/path-never-matches: path values that can never match a request path. */

import { containsPathTemplate } from '../../policy/authzAttributes';
import type { LocalRule } from '../types';
import { AUTHZ_KINDS, fieldValues, localPolicy } from './authzPolicy';

const FIELDS = new Set(['paths', 'notPaths']);

export const pathNeverMatches: LocalRule = {
  meta: {
    id: 'authz/path-never-matches',
    severity: 'warning',
    title: 'Path that never matches',
    kinds: AUTHZ_KINDS,
    docs: {
      summary: 'A `paths`/`notPaths` value with a query string, a `*` that is not at the start or end, or no leading `/`.',
      why: 'Istio matches the normalized path without its query string, and `*` only works as a whole-value prefix or suffix wildcard (or via `{*}`/`{**}` templates); anywhere else it is a literal character. Such a value never matches: an ALLOW rule allows nothing, a DENY rule denies nothing.',
      bad: 'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: api, namespace: shop}\nspec:\n  rules:\n  - to:\n    - operation: {paths: ["/api/*/orders", "/search?q=*"]}\n',
      good: 'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: api, namespace: shop}\nspec:\n  rules:\n  - to:\n    - operation: {paths: ["/api/{*}/orders", "/search"]}\n',
      source: 'istio pilot/pkg/security/authz/matcher (path matching); istio.io authorization-policy reference',
    },
  },
  check(context) {
    const policy = localPolicy(context);
    if (!policy) return;
    for (const { list, value } of fieldValues(policy, FIELDS)) {
      const text = value.text;
      if (text === '' || text === '*') continue;
      const effect = list.field === 'paths' ? 'this value never matches' : 'this value never excludes anything';
      if (text.includes('?')) {
        context.report(value.node, `Paths are matched without the query string, so "${text}" with "?" can never match: ${effect}. Match the path only.`);
      } else if (!containsPathTemplate(text) && (text.slice(1, -1).includes('*') || (text.length > 1 && text.startsWith('*') && text.endsWith('*')))) {
        context.report(value.node, `"*" only works at the start or the end of a path value; in "${text}" it is a literal character: ${effect}. Use a {*} or {**} path template (Istio 1.22+).`);
      } else if (!text.startsWith('/') && !text.startsWith('*')) {
        context.report(value.node, `Request paths start with "/", so "${text}" can never match: ${effect}.`);
      }
    }
  },
};
