/**
 * schema/missing-required: a field the CRD or Kubernetes schema requires is
 * absent. Cross-file because of one case: a Flux Kustomization whose
 * `interval`/`prune`/`sourceRef` a parent Kustomization's `spec.patches`
 * supplies is complete in the cluster (the GitOps model knows those fields);
 * every other document reads nothing from the workspace.
 */

import { isFluxKind } from '../../flux/fluxObjects';
import { patchedSpecFields } from '../../gitops/placement';
import type { CrossFileRule } from '../types';
import { locatedSchemaIssues } from './schemaFindings';

export const missingRequired: CrossFileRule = {
  meta: {
    id: 'schema/missing-required',
    crdSchema: true,
    severity: 'error',
    title: 'Required field missing',
    // Kustomize patches hold partial resources (see `workspace/kustomizePatches.ts`).
    needsWholeObject: true,
    crossFile: true,
    docs: {
      summary: 'A field the schema requires is absent.',
      why: 'The API server rejects the resource, so Flux reports the Kustomization as failed and nothing in it is applied. Files that a kustomization.yaml uses as patches are partial by design and are not checked for required fields, nor are the fields of a Flux Kustomization that its parent Kustomization\'s `spec.patches` fill in.',
      bad: 'apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata: {name: cilium}\nspec:\n  interval: 1h\n',
      good: 'apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata: {name: cilium}\nspec:\n  interval: 1h\n  url: https://helm.cilium.io\n',
    },
  },
  check(context) {
    const issues = locatedSchemaIssues(context, 'required');
    if (issues.length === 0) return;
    const supplied = isFluxKind(context.resource, 'Kustomization') ? patchedSpecFields(context.workspace, { file: context.file, index: context.documentIndex }) : [];
    for (const { issue, node } of issues) {
      if (issue.missing && issue.path.length === 1 && issue.path[0] === 'spec' && supplied.includes(issue.missing)) continue;
      context.report(node, issue.message);
    }
  },
};
