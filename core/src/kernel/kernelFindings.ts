/**
 * Turns the kernel models of the workspace's Cilium releases into facts
 * placed where a person would fix them: at the values key that turns a
 * feature on (inline, or inside the valuesFrom ConfigMap / generated file
 * that writes it), at the chart version for features on by default and for
 * the base requirement, and at NodeProfile values for profile problems.
 *
 * A fact is data (the pool, its verdict, the feature, where its key is
 * written); the `kernel/*` rules pick the facts of the document they are run
 * on and own the message, severity and fixes, so the work is done once per
 * workspace generation and options.
 *
 * Invariants: a feature is reported once (at its weakest pool), and a
 * dependency-only failure is dropped when the feature it depends on is
 * already reported at the same place. Never throws.
 */

import type { AnalysisOptions } from '../options';
import type { Anchor, RelatedInfo } from '../findings';
import type { ValuesLocation } from '../helm/effectiveValues';
import type { WorkspaceModel } from '../workspace/model';
import { kernelFeature, type EnabledFeature } from '../cilium/kernel/kernelMatrix';
import { nodeProfileIndex, type Pool } from './nodeProfiles';
import { releaseKernelModels, statusRank, type FeatureOutcome, type PoolFeatureVerdict, type ReleaseKernelModel } from './releaseKernel';
import { deriveWith } from '../workspace/deriveWith';
import { containedError } from '../util/containedErrors';

/** Where the feature's key is written (the winning write), with its values path. */
export type FeatureLocation = ValuesLocation & { path: string[] };

export type KernelFact = { at: Anchor; related?: RelatedInfo[] } & (
  | { kind: 'node-profile'; problem: string }
  | { kind: 'base'; pool: Pool; verdict: ReleaseKernelModel['base'][number]['verdict']; versionLabel: string }
  | { kind: 'feature'; fails: boolean; model: ReleaseKernelModel; outcome: FeatureOutcome; worst: PoolFeatureVerdict; location?: FeatureLocation }
);

export type KernelFactKind = KernelFact['kind'];

type KernelOptions = Pick<AnalysisOptions, 'kernelVersion' | 'ciliumVersion'>;

/** The facts of one kind in one document. */
export function kernelFactsIn<K extends KernelFactKind>(workspace: WorkspaceModel, options: KernelOptions, kind: K, file: string, document: number): Extract<KernelFact, { kind: K }>[] {
  const byDocument = allKernelFacts(workspace, options);
  return (byDocument.get(`${file}\u0000${document}`) ?? []).filter((fact): fact is Extract<KernelFact, { kind: K }> => fact.kind === kind);
}

function allKernelFacts(workspace: WorkspaceModel, options: KernelOptions): Map<string, KernelFact[]> {
  return deriveWith(workspace, 'kernel/findings', options, ['kernelVersion', 'ciliumVersion'], (model, read) => {
    const findings: KernelFact[] = [];
    for (const problem of nodeProfileIndex(model).problems) {
      findings.push({ kind: 'node-profile', problem: problem.message, at: { file: problem.file, document: problem.document, ...problem.range } });
    }
    for (const release of releaseKernelModels(model, read)) {
      try {
        findings.push(...releaseFacts(release));
      } catch (error) {
        containedError('kernel/findings', error);
        // A release we cannot describe gets no kernel findings rather than breaking the rest.
      }
    }
    const byDocument = new Map<string, KernelFact[]>();
    for (const finding of findings) {
      const documentKey = `${finding.at.file}\u0000${finding.at.document}`;
      const list = byDocument.get(documentKey) ?? [];
      list.push(finding);
      byDocument.set(documentKey, list);
    }
    return byDocument;
  });
}

/** Every fact about one release (features and base requirement). */
function releaseFacts(model: ReleaseKernelModel): KernelFact[] {
  if (!model.minor || model.pools.pools.length === 0) return [];
  const findings: KernelFact[] = [];

  for (const { pool, verdict } of model.base) {
    if (verdict.status !== 'fails' && verdict.status !== 'unsupported') continue;
    findings.push({ kind: 'base', pool, verdict, versionLabel: model.versionLabel, at: model.versionAnchor, related: poolRelated(pool) });
  }

  const candidates: { finding: KernelFact; outcome: FeatureOutcome; key: string }[] = [];
  for (const outcome of model.features) {
    const worst = outcome.worst;
    if (!worst) continue;
    const fails = worst.verdict.status === 'fails';
    if (!fails && outcome.feature.minor) continue;
    // A feature that fails only because the values leave a dependency off fails on every kernel:
    // that is a configuration error, reported by helm/cilium-incompatible-values instead.
    if (fails && outcome.failing.every((entry) => entry.verdict.decides === 'config dependency')) continue;
    const location = featureLocation(model, outcome.feature);
    const at = location?.key ?? model.versionAnchor;
    const finding: KernelFact = { kind: 'feature', fails, model, outcome, worst, ...(location ? { location } : {}), at, related: poolRelated(worst.pool) };
    candidates.push({ finding, outcome, key: `${at.file}\u0000${at.document}\u0000${at.start}` });
  }
  for (const candidate of candidates) {
    const worst = candidate.outcome.worst!;
    if (worst.verdict.decidedBy === 'dependency') {
      const dependencies = (kernelFeature(candidate.outcome.feature.featureId)?.dependsOn ?? []).map((entry) => entry.feature);
      const covered = candidates.some(
        (other) =>
          other !== candidate &&
          other.key === candidate.key &&
          dependencies.includes(other.outcome.feature.featureId) &&
          statusRank(other.outcome.worst!.verdict.status) >= statusRank(worst.verdict.status),
      );
      if (covered) continue;
    }
    findings.push(candidate.finding);
  }
  return findings;
}

function poolRelated(pool: Pool): RelatedInfo[] {
  if (!pool.profile) return [];
  const at = pool.profile.kernel ?? pool.profile.name;
  return [{ at, message: `NodeProfile ${pool.name}: kernel ${pool.kernelText ?? 'not given'}${pool.probePath ? ', with a bpftool probe' : ''}` }];
}

/**
 * Where the feature is turned on: the first key of its own trigger paths that
 * is written somewhere, else (for features the agent enables by itself) the
 * keys of the features it was enabled through. Undefined: on by default.
 */
function featureLocation(model: ReleaseKernelModel, feature: EnabledFeature): FeatureLocation | undefined {
  const byId = new Map(model.enabled.map((entry) => [entry.featureId, entry]));
  const seen = new Set<string>();
  const queue: EnabledFeature[] = [feature];
  while (queue.length > 0) {
    const current = queue.shift()!;
    if (seen.has(current.featureId)) continue;
    seen.add(current.featureId);
    for (const path of current.paths) {
      const location = model.release.values.provenance(path);
      if (location) return { ...location, path };
    }
    for (const via of current.via) {
      const next = byId.get(via);
      if (next) queue.push(next);
    }
  }
  return undefined;
}
