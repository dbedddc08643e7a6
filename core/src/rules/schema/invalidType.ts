import type { LocalRule } from '../types';
import { locatedSchemaIssues } from './schemaFindings';

export const invalidType: LocalRule = {
  meta: {
    id: 'schema/invalid-type',
    crdSchema: true,
    severity: 'error',
    title: 'Value of the wrong type',
    docs: {
      summary: 'A value whose YAML type differs from what the schema requires (a string where a map is expected, a number where a string is expected, …).',
      why: 'The API server rejects the whole resource. Watch out for unquoted values that YAML reads as numbers or booleans (`version: 1.10`, `enabled: yes`).',
      bad: 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata:\n  name: web\n  namespace: shop\n  labels:\n    version: 1.10\nspec:\n  endpointSelector: {}\n  ingress: [{}]\n',
      good: 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata:\n  name: web\n  namespace: shop\n  labels:\n    version: "1.10"\nspec:\n  endpointSelector: {}\n  ingress: [{}]\n',
    },
  },
  check(context) {
    for (const { issue, node } of locatedSchemaIssues(context, 'type')) context.report(node, issue.message);
  },
};
