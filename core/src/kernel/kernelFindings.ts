/**
 * Turns the kernel models of the workspace's Cilium releases into findings
 * placed where a person would fix them: at the values key that turns a
 * feature on (inline, or inside the valuesFrom ConfigMap / generated file
 * that writes it), at the chart version for features on by default and for
 * the base requirement, and at NodeProfile values for profile problems.
 *
 * Each finding carries the rule id it belongs to; the `kernel/*` rules only
 * pick the findings of the document they are run on, so the work is done
 * once per workspace generation and options.
 *
 * Invariants: messages name the pool, its kernel, the requirement and the
 * Cilium version judged; a feature is reported once (at its weakest pool),
 * and a dependency-only failure is dropped when the feature it depends on is
 * already reported at the same place. Quick-fixes only edit the one value
 * scalar they name. Never throws.
 */

import type { AnalysisOptions, Severity } from '../options';
import type { Anchor, RelatedInfo, RuleFix } from '../findings';
import type { ValuesLocation } from '../helm/effectiveValues';
import type { WorkspaceModel } from '../workspace/model';
import { ciliumInRange } from '../cilium/kernel/ciliumRange';
import { decidesText, featureRequirement, kernelFeature, type EnabledFeature } from '../cilium/kernel/kernelMatrix';
import type { ValuesCondition, ValuesLeafCondition } from '../cilium/kernel/matrixTypes';
import { nodeProfileIndex, type Pool } from './nodeProfiles';
import { activeConfig, describeProbeRequirement } from '../cilium/kernel/requirementCheck';
import { releaseKernelModels, statusRank, type FeatureOutcome, type PoolFeatureVerdict, type ReleaseKernelModel } from './releaseKernel';
import { conditionPath as splitValuesPath, readValuesPath } from '../cilium/valuesCondition';

export const FEATURE_FAILS_RULE = 'kernel/feature-fails';
export const FEATURE_FALLS_BACK_RULE = 'kernel/feature-falls-back';
export const BASE_REQUIREMENT_RULE = 'kernel/base-requirement';
export const NODE_PROFILE_RULE = 'kernel/node-profile';

export interface KernelFinding {
  rule: string;
  at: Anchor;
  message: string;
  severity: Severity;
  fixes?: RuleFix[];
  related?: RelatedInfo[];
}

type KernelOptions = Pick<AnalysisOptions, 'kernelVersion' | 'ciliumVersion'>;

/** Findings of one rule in one document. */
export function kernelFindingsIn(workspace: WorkspaceModel, options: KernelOptions, rule: string, file: string, document: number): KernelFinding[] {
  const byDocument = allKernelFindings(workspace, options);
  return (byDocument.get(`${file}\u0000${document}`) ?? []).filter((finding) => finding.rule === rule);
}

function allKernelFindings(workspace: WorkspaceModel, options: KernelOptions): Map<string, KernelFinding[]> {
  const key = `kernel/findings\u0000${options.kernelVersion ?? ''}\u0000${options.ciliumVersion ?? ''}`;
  return workspace.derive(key, (model) => {
    const findings: KernelFinding[] = [];
    for (const problem of nodeProfileIndex(model).problems) {
      findings.push({ rule: NODE_PROFILE_RULE, severity: 'error', message: problem.message, at: { file: problem.file, document: problem.document, ...problem.range } });
    }
    for (const release of releaseKernelModels(model, options)) {
      try {
        findings.push(...releaseFindings(release));
      } catch {
        // A release we cannot describe gets no kernel findings rather than breaking the rest.
      }
    }
    const byDocument = new Map<string, KernelFinding[]>();
    for (const finding of findings) {
      const documentKey = `${finding.at.file}\u0000${finding.at.document}`;
      const list = byDocument.get(documentKey) ?? [];
      list.push(finding);
      byDocument.set(documentKey, list);
    }
    return byDocument;
  });
}

/** Every finding about one release (features and base requirement). */
export function releaseFindings(model: ReleaseKernelModel): KernelFinding[] {
  if (!model.minor || model.pools.pools.length === 0) return [];
  const findings: KernelFinding[] = [];

  for (const { pool, verdict } of model.base) {
    if (verdict.status !== 'fails' && verdict.status !== 'unsupported') continue;
    const consequence = verdict.status === 'fails' ? 'the agent does not start on these nodes' : 'Cilium does not support these nodes';
    findings.push({
      rule: BASE_REQUIREMENT_RULE,
      at: model.versionAnchor,
      severity: verdict.status === 'fails' ? 'error' : 'warning',
      message: `pool ${pool.name} runs ${verdict.has}, below what Cilium ${model.versionLabel} requires: ${verdict.problems.join('; ')}; ${consequence}`,
      related: poolRelated(pool),
    });
  }

  const candidates: { finding: KernelFinding; outcome: FeatureOutcome; key: string }[] = [];
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
    const finding: KernelFinding = {
      rule: fails ? FEATURE_FAILS_RULE : FEATURE_FALLS_BACK_RULE,
      at,
      severity: fails ? 'error' : 'warning',
      message: featureMessage(model, outcome, worst),
      related: poolRelated(worst.pool),
    };
    const fixes = location ? featureFixes(model, outcome.feature, location) : [];
    if (fixes.length > 0) finding.fixes = fixes;
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

function featureMessage(model: ReleaseKernelModel, outcome: FeatureOutcome, worst: PoolFeatureVerdict): string {
  const { verdict, pool } = worst;
  const minor = model.minor!;
  const need =
    verdict.decidedBy === 'dependency'
      ? `needs the features it depends on (kernel ${verdict.has})`
      : `${needText(outcome.feature, verdict.decidedBy, verdict.requirement, minor)}${verdict.decidedBy === 'version' ? ', has' : ';'} ${verdict.has}`;
  const others = outcome.failing.slice(1).map((entry) => `${entry.pool.name} (${entry.pool.kernelText ?? 'no kernel'})`);
  const also = others.length > 0 ? `; also pool${others.length > 1 ? 's' : ''} ${others.join(', ')}` : '';
  // Only the links that explain a failure; "X needs Y" for a dependency that works says nothing here.
  const failingLinks = verdict.chain.filter((link) => link.includes(', which '));
  const chain = failingLinks.length > 0 ? ` — ${failingLinks.join('; ')}` : '';
  const cilium = `(Cilium ${model.versionLabel})`;
  const decides = ` [decided by ${decidesText(verdict.decides)}]`;
  if (verdict.status === 'fails') {
    return `${outcome.feature.title} cannot run on pool ${pool.name}: ${need} ${cilium}; Cilium fails on those nodes instead of running without it${also}${chain}${decides}`;
  }
  const note = verdict.fallbackNote ? `; instead: ${verdict.fallbackNote}` : '';
  return `will run without ${outcome.feature.title} on pool ${pool.name}: ${need} ${cilium}${note}${also}${chain}${decides}`;
}

/** What the feature needs, as short as the deciding fact allows. */
function needText(feature: EnabledFeature, decidedBy: string, fullRequirement: string, minor: string): string {
  const definition = kernelFeature(feature.featureId);
  const requirement = definition ? featureRequirement(definition, minor) : undefined;
  if (decidedBy === 'version' && requirement?.minKernel) {
    const docs = requirement.docsMinKernel ? ` (docs: ${requirement.docsMinKernel})` : '';
    return `needs kernel ≥ ${requirement.minKernel}${docs}`;
  }
  if (decidedBy === 'dependency') return requirement?.minKernel ? `needs kernel ≥ ${requirement.minKernel} and its dependencies` : 'needs its dependencies';
  if (decidedBy === 'probe' && requirement?.probe) return `needs ${describeProbeRequirement(requirement.probe).join('; ')}`;
  if (decidedBy === 'config' && requirement) {
    const names = activeConfig(requirement, minor).map((entry) => entry.name);
    if (names.length > 0) return `needs ${names.join(', ')}`;
  }
  return `needs ${fullRequirement}`;
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
function featureLocation(model: ReleaseKernelModel, feature: EnabledFeature): (ValuesLocation & { path: string[] }) | undefined {
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

/**
 * Honest quick-fixes for a feature turned on by an explicit key: switch to
 * the value under which the agent enables it by itself when the kernel
 * allows (the matrix's `auto` rule on the same key), else turn a boolean
 * switch off. Never safe: both change what the cluster runs.
 */
function featureFixes(model: ReleaseKernelModel, feature: EnabledFeature, location: ValuesLocation & { path: string[] }): RuleFix[] {
  if (!feature.paths.some((path) => path.join('.') === location.path.join('.'))) return [];
  if (!exactLocation(model, location.path)) return [];
  const definition = kernelFeature(feature.featureId);
  if (!definition) return [];
  const minor = model.minor!;
  const dotted = location.path.join('.');
  const current = readValuesPath(model.release.values.value, location.path).value;
  const rules = definition.enabledWhen.filter((rule) => ciliumInRange(minor, rule.cilium));
  const edit = (newText: string) => [{ range: location.value, newText }];

  for (const rule of rules) {
    if (rule.mode !== 'auto') continue;
    const leaf = leaves(rule).find((candidate) => candidate.path === dotted && 'equals' in candidate && typeof candidate.equals === 'string');
    if (leaf && leaf.equals !== current) {
      return [{ title: `Set ${dotted} to ${String(leaf.equals)} (Cilium picks ${definition.title} only where the kernel allows)`, safe: false, preferred: true, edits: edit(String(leaf.equals)) }];
    }
  }
  const explicit = rules.flatMap(leaves).find((candidate) => candidate.path === dotted && candidate.equals === true);
  if (explicit && (current === true || current === 'true')) {
    return [{ title: `Turn off ${definition.title} (${dotted}: false)`, safe: false, edits: edit('false') }];
  }
  return [];
}

/** True when the winning write of `path` maps character by character into its document. */
function exactLocation(model: ReleaseKernelModel, path: string[]): boolean {
  const writes = model.release.values.writes(path);
  const last = writes[writes.length - 1];
  if (!last) return false;
  const source = model.release.values.sources[last.sourceIndex];
  return source?.kind !== 'targetPath' && source?.text?.exact === true;
}

function leaves(rule: { all?: ValuesCondition[]; any?: ValuesCondition[] }): ValuesLeafCondition[] {
  const result: ValuesLeafCondition[] = [];
  const visit = (condition: ValuesCondition) => {
    if ('all' in condition) condition.all.forEach(visit);
    else if ('any' in condition) condition.any.forEach(visit);
    else if ('not' in condition || 'feature' in condition || 'opaque' in condition) return;
    else result.push({ ...condition, path: splitValuesPath(condition.path).join('.') });
  };
  (rule.all ?? []).forEach(visit);
  (rule.any ?? []).forEach(visit);
  return result;
}
