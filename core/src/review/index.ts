/**
 * Pull-request review: what a change to the repository does to findings and
 * to who may talk to whom. The CLI's `meshlens diff` builds both revisions and
 * hands their workspaces here; everything below is pure.
 */

import type { AnalysisOptions } from '../options';
import { effectivePolicy, listWorkloads } from '../preview/effectivePolicy';
import type { EffectivePolicy } from '../preview/model';
import type { Workspace } from '../workspace/workspace';

export { compareFindings, findingIdentity, type ComparableFinding, type FindingsDelta } from './findingsDelta';
export { comparePolicies, type ImpactChange, type ImpactEffect, type ImpactKind, type PolicyImpact, type WorkloadPresence } from './policyImpact';
export { mermaidGraph, renderReviewMarkdown, renderReviewText, reviewCounts, type Review, type ReviewFinding } from './renderReview';

/** The effective policy of every workload of a workspace, by `namespace/name`. */
export function effectiveModels(workspace: Workspace, options: AnalysisOptions): Map<string, EffectivePolicy> {
  const models = new Map<string, EffectivePolicy>();
  for (const workload of listWorkloads(workspace)) {
    const model = effectivePolicy(workspace, workload.id, options);
    if (model) models.set(workload.id, model);
  }
  return models;
}
export { planCiliumUpgrade, resolveCiliumTarget, type UpgradeEdit, type UpgradePlan } from './upgrade';
