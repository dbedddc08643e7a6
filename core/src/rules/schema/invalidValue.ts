import type { LocalRule } from '../types';
import { locatedSchemaIssues } from './schemaFindings';

export const invalidValue: LocalRule = {
  meta: {
    id: 'schema/invalid-value',
    crdSchema: true,
    severity: 'error',
    title: 'Value outside what the schema allows',
    docs: {
      summary: 'A value that is not one of the allowed values, does not match the required pattern, or is out of range.',
      why: 'The API server rejects the resource.',
      bad: 'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: api, namespace: shop}\nspec:\n  action: allow\n  rules: [{}]\n',
      good: 'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: api, namespace: shop}\nspec:\n  action: ALLOW\n  rules: [{}]\n',
    },
  },
  check(context) {
    for (const { issue, node } of locatedSchemaIssues(context, 'value')) context.report(node, issue.message);
  },
};
