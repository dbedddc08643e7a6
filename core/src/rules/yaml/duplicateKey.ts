import type { LocalRule } from '../types';
import { reportDocumentProblems } from './syntaxProblems';

export const duplicateKey: LocalRule = {
  meta: {
    id: 'yaml/duplicate-key',
    severity: 'error',
    title: 'Duplicate mapping key',
    anyDocument: true,
    docs: {
      summary: 'A key appears twice in the same mapping.',
      why: 'kubectl and Flux reject documents with duplicate keys (strict decoding), and tools that accept them keep only the last value, so half of what you wrote is silently dropped.',
      bad: 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: web, namespace: shop}\nspec:\n  endpointSelector: {}\n  endpointSelector:\n    matchLabels: {app: web}\n  ingress: [{}]\n',
      good: 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: web, namespace: shop}\nspec:\n  endpointSelector:\n    matchLabels: {app: web}\n  ingress: [{}]\n',
    },
  },
  check(context) {
    reportDocumentProblems(context, 'yaml/duplicate-key');
  },
};
