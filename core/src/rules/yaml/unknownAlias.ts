import type { LocalRule } from '../types';
import { reportDocumentProblems } from './syntaxProblems';

export const unknownAlias: LocalRule = {
  meta: {
    id: 'yaml/unknown-alias',
    severity: 'error',
    title: 'Alias to an undefined anchor',
    anyDocument: true,
    docs: {
      summary: 'An alias (`*name`) refers to an anchor (`&name`) that is not defined earlier in the document.',
      why: 'The YAML is rejected when it is applied. Anchors do not cross `---` document boundaries.',
      bad: 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: web, namespace: shop}\nspec:\n  endpointSelector: *web\n  ingress: [{}]\n',
      good: 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: web, namespace: shop}\nspec:\n  endpointSelector: &web {matchLabels: {app: web}}\n  ingress:\n    - fromEndpoints: [*web]\n',
    },
  },
  check(context) {
    reportDocumentProblems(context, 'yaml/unknown-alias');
  },
};
