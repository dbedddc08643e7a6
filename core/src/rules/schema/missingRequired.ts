import type { Rule } from '../types';
import { locatedSchemaIssues } from './schemaFindings';

export const missingRequired: Rule = {
  meta: {
    id: 'schema/missing-required',
    severity: 'error',
    title: 'Required field missing',
    // Kustomize patches hold partial resources (see `workspace/kustomizePatches.ts`).
    needsWholeObject: true,
    docs: {
      summary: 'A field the schema requires is absent.',
      why: 'The API server rejects the resource, so Flux reports the Kustomization as failed and nothing in it is applied. Files that a kustomization.yaml uses as patches are partial by design and are not checked for required fields.',
      bad: 'apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata: {name: cilium}\nspec:\n  interval: 1h\n',
      good: 'apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata: {name: cilium}\nspec:\n  interval: 1h\n  url: https://helm.cilium.io\n',
    },
  },
  check(context) {
    for (const { issue, node } of locatedSchemaIssues(context, 'required')) context.report(node, issue.message);
  },
};
