/**
 * Pull-request review: what a change to the repository does to findings and
 * to who may talk to whom. The CLI's `meshlens diff` builds both revisions and
 * hands their workspaces here; everything below is pure.
 */

import type { AnalysisOptions } from '../options';
import { nodeAtPath, scalarString } from '../parse/ast';
import { textUnknownUntilRender } from '../parse/unknownValue';
import { effectivePolicy, effectivePolicyOf, listWorkloads } from '../preview/effectivePolicy';
import { resolveEnd } from '../preview/endpoints';
import { effectiveNamespaceOf, k8sIndexData, readLabels } from '../policy/k8sIndex';
import type { EffectivePolicy } from '../preview/model';
import type { WorkspaceView } from '../workspace/workspace';

export { compareFindings, findingIdentity, type ComparableFinding, type FindingsDelta } from './findingsDelta';
export { comparePolicies, type ImpactChange, type ImpactEffect, type ImpactKind, type PolicyImpact, type WorkloadPresence } from './policyImpact';
export { mermaidGraph, renderReviewMarkdown, renderReviewText, reviewCounts, type Review, type ReviewFinding } from './renderReview';

/**
 * The effective policy of every workload of a workspace, by `namespace/name`,
 * and of every label set a policy selects where no workload of the repository
 * carries those labels (pods made by operators or charts meshlens does not
 * read), by `namespace/key=value,…` — so a change to such a policy still shows.
 */
export function effectiveModels(workspace: WorkspaceView, options: AnalysisOptions): Map<string, EffectivePolicy> {
  const models = new Map<string, EffectivePolicy>();
  const workloads = listWorkloads(workspace);
  for (const workload of workloads) {
    const model = effectivePolicy(workspace, workload.id, options);
    if (model) models.set(workload.id, model);
  }
  const index = k8sIndexData(workspace);
  for (const kind of Object.keys(SUBJECT_SELECTOR)) {
    for (const document of workspace.byKind(kind)) {
      const labels = readLabels(nodeAtPath(document.parsed.root, SUBJECT_SELECTOR[kind]));
      const keys = Object.keys(labels);
      if (keys.length === 0 || Object.values(labels).some(textUnknownUntilRender)) continue;
      const declared = scalarString(nodeAtPath(document.parsed.root, ['metadata', 'namespace']));
      const namespace = effectiveNamespaceOf(index, document.file, declared).namespace;
      if (workloads.some((workload) => workload.namespace === namespace && keys.every((key) => workload.podLabels[key] === labels[key]))) continue;
      const id = `${namespace}/${keys.map((key) => `${key}=${labels[key]}`).join(',')}`;
      if (models.has(id)) continue;
      const end = resolveEnd(workspace, id);
      if (end.kind === 'workload') models.set(id, effectivePolicyOf(workspace, end.workload, options));
    }
  }
  return models;
}

/** Where each policy kind names the pods it applies to (matchLabels only; expressions select no single label set). */
const SUBJECT_SELECTOR: Record<string, readonly string[]> = {
  CiliumNetworkPolicy: ['spec', 'endpointSelector', 'matchLabels'],
  NetworkPolicy: ['spec', 'podSelector', 'matchLabels'],
  AuthorizationPolicy: ['spec', 'selector', 'matchLabels'],
};
export { planCiliumUpgrade, resolveCiliumTarget, type UpgradeEdit, type UpgradePlan } from './upgrade';
