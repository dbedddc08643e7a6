/** authz/http-method: `methods` match the request method exactly and case-sensitively. */

import { HTTP_METHODS, patternMatches } from '../../policy/authzAttributes';
import { scalarInnerRange } from '../../policy/authzModel';
import type { LocalRule } from '../types';
import { AUTHZ_KINDS, fieldValues, localPolicy } from './authzPolicy';

const FIELDS = new Set(['methods', 'notMethods']);

export const httpMethod: LocalRule = {
  meta: {
    id: 'authz/http-method',
    severity: 'warning',
    title: 'Lower-case or unknown HTTP method',
    kinds: AUTHZ_KINDS,
    docs: {
      summary: 'A `methods`/`notMethods` value that is not an upper-case HTTP method (or a `*` pattern matching one).',
      why: 'Istio compares the method exactly and case-sensitively and does not check the list: `get` never matches a GET request, so an ALLOW rule with it allows nothing and a DENY rule denies nothing. gRPC calls are always `POST`.',
      bad: 'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: api, namespace: shop}\nspec:\n  rules:\n  - to:\n    - operation: {methods: ["get"]}\n',
      good: 'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: api, namespace: shop}\nspec:\n  rules:\n  - to:\n    - operation: {methods: ["GET"]}\n',
      source: 'Envoy RBAC header matching (exact, case-sensitive); Kiali KIA0102',
    },
    fix: { title: 'Write the method in upper case', safe: true },
  },
  check(context) {
    const policy = localPolicy(context);
    if (!policy) return;
    for (const { list, value } of fieldValues(policy, FIELDS)) {
      const text = value.text;
      if (text === '' || (HTTP_METHODS as readonly string[]).includes(text)) continue;
      if (text.includes('*') && HTTP_METHODS.some((method) => patternMatches(text, method))) continue;
      const effect = list.field === 'methods' ? 'it never matches' : 'it never excludes anything';
      const upper = text.toUpperCase();
      if (upper !== text && (HTTP_METHODS.some((method) => patternMatches(upper, method)))) {
        context.report(value.node, `HTTP methods are case-sensitive: "${text}" is not "${upper}", so ${effect}.`, {
          fixes: [{ title: `Change "${text}" to "${upper}"`, safe: true, preferred: true, edits: [{ range: scalarInnerRange(value.node), newText: upper }] }],
        });
      } else {
        context.report(value.node, `"${text}" is not an HTTP method (${HTTP_METHODS.join(', ')}), so ${effect}.`);
      }
    }
  },
};
