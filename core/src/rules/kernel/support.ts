/**
 * What the `kernel/*` rules share: reporting the kernel facts of one kind in
 * the document being checked (see `kernel/kernelFindings.ts`), each described
 * by the rule that owns it, and the wording and fixes of the two feature
 * rules (a feature that fails on a pool, one that falls back there).
 *
 * Invariants: messages name the pool, its kernel, the requirement, the
 * Cilium version judged and what decides (kernel, config dependency or both);
 * quick-fixes only edit the one value scalar they name and are never safe.
 */

import { ciliumInRange } from '../../cilium/kernel/ciliumRange';
import { decidesText, featureRequirement, kernelFeature, type EnabledFeature } from '../../cilium/kernel/kernelMatrix';
import type { ValuesCondition, ValuesLeafCondition } from '../../cilium/kernel/matrixTypes';
import { activeConfig, describeProbeRequirement } from '../../cilium/kernel/requirementCheck';
import { conditionPath as splitValuesPath, readValuesPath } from '../../cilium/valuesCondition';
import { kernelFactsIn, type FeatureLocation, type KernelFact, type KernelFactKind } from '../../kernel/kernelFindings';
import type { FeatureOutcome, PoolFeatureVerdict, ReleaseKernelModel } from '../../kernel/releaseKernel';
import type { FactReport, RuleContext, RuleFix } from '../types';

/** Reports the facts of one kind in this document that `describe` turns into a finding (undefined: not this rule's). */
export function reportKernelFacts<K extends KernelFactKind>(context: RuleContext, kind: K, describe: (fact: Extract<KernelFact, { kind: K }>) => FactReport | undefined): void {
  for (const fact of kernelFactsIn(context.workspace, context.options, kind, context.file, context.documentIndex)) {
    const report = describe(fact);
    if (!report) continue;
    context.report({ start: fact.at.start, end: fact.at.end }, report.message, {
      severity: report.severity,
      ...(report.fixes && report.fixes.length > 0 ? { fixes: report.fixes } : {}),
      ...(fact.related && fact.related.length > 0 ? { related: fact.related } : {}),
    });
  }
}

/** A feature fact as the feature rules report it: message and fixes (the severity is the rule's). */
export function describeFeature(fact: Extract<KernelFact, { kind: 'feature' }>): { message: string; fixes: RuleFix[] } {
  const { model, outcome, worst, location } = fact;
  return { message: featureMessage(model, outcome, worst), fixes: location ? featureFixes(model, outcome.feature, location) : [] };
}

function featureMessage(model: ReleaseKernelModel, outcome: FeatureOutcome, worst: PoolFeatureVerdict): string {
  const { verdict, pool } = worst;
  const minor = model.minor!;
  const need =
    verdict.decidedBy === 'dependency'
      ? `needs the features it depends on (kernel ${verdict.has})`
      : `${needText(outcome.feature, verdict.decidedBy, verdict.requirement, minor)}${verdict.decidedBy === 'version' ? ', has' : ';'} ${verdict.has}`;
  // A pool that fails only because the values leave a dependency off is helm/cilium-incompatible-values' finding, not this one's.
  const others = outcome.failing
    .slice(1)
    .filter((entry) => entry.verdict.decides !== 'config dependency')
    .map((entry) => `${entry.pool.name} (${entry.pool.kernelText ?? 'no kernel'})`);
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

/**
 * Honest quick-fixes for a feature turned on by an explicit key: switch to
 * the value under which the agent enables it by itself when the kernel
 * allows (the matrix's `auto` rule on the same key), else turn a boolean
 * switch off. Never safe: both change what the cluster runs.
 */
function featureFixes(model: ReleaseKernelModel, feature: EnabledFeature, location: FeatureLocation): RuleFix[] {
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
