import type { CrossFileRule } from '../types';
import { reportParseFailures } from './syntaxProblems';

export const syntax: CrossFileRule = {
  meta: {
    id: 'yaml/syntax',
    severity: 'error',
    title: 'YAML syntax error',
    anyDocument: true,
    crossFile: true,
    docs: {
      summary: 'The document is not valid YAML; the error is shown where the parser stopped.',
      why: 'Flux cannot apply a document it cannot parse, and the whole Kustomization fails to build. Other documents of the same file are still checked.',
      bad: 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nspec:\n  ingress: [\n',
      good: 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nspec:\n  ingress: []\n',
    },
  },
  check(context) {
    reportParseFailures(context, 'yaml/syntax');
  },
};
