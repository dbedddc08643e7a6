/** authz/invalid-path-template: `{*}`/`{**}` path templates must follow istiod's template rules. */

import { containsPathTemplate, pathTemplateProblem } from '../../policy/authzAttributes';
import type { LocalRule } from '../types';
import { AUTHZ_KINDS, fieldValues, localPolicy } from './authzPolicy';

const PATH_FIELDS = new Set(['paths', 'notPaths']);

export const invalidPathTemplate: LocalRule = {
  meta: {
    id: 'authz/invalid-path-template',
    severity: 'error',
    refusesPolicy: 'api-server',
    title: 'Invalid path template',
    kinds: AUTHZ_KINDS,
    docs: {
      summary: 'A `paths`/`notPaths` value with a `{…}` that is not a valid path template.',
      why: 'Since Istio 1.22, `{*}` matches one path segment and `{**}` any number of segments (last operator only). Braces elsewhere, a template mixed with other characters in one segment, or a `*` next to a template make istiod reject the policy.',
      bad: 'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: files, namespace: shop}\nspec:\n  rules:\n  - to:\n    - operation: {paths: ["/files/{*}.txt"]}\n',
      good: 'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: files, namespace: shop}\nspec:\n  rules:\n  - to:\n    - operation: {paths: ["/files/{*}"]}\n',
      source: 'istio pkg/config/security security.go (CheckValidPathTemplate), istio #50365',
    },
  },
  check(context) {
    const policy = localPolicy(context);
    if (!policy) return;
    for (const { list, value } of fieldValues(policy, PATH_FIELDS)) {
      if (!containsPathTemplate(value.text) && !/[{}]/.test(value.text)) continue;
      const problem = pathTemplateProblem(value.text, list.field);
      if (problem) context.report(value.node, `${problem}: istiod rejects the policy.`);
    }
  },
};
