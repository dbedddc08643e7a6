/**
 * Hover lines for a Cilium values key: which kernel features the key turns
 * on for a Cilium minor, what each needs from the kernel (minimum version,
 * CONFIG_ options, probe facts), whether the agent fails or falls back below
 * it, and the verdict on each node pool.
 *
 * Invariants: pure, never throws; Markdown lines without a trailing blank
 * line; [] when the key turns on nothing in the matrix for that minor.
 * With no pools the lines still say what the features need.
 */

import type { AnalysisOptions } from '../options';
import type { WorkspaceModel } from '../workspace/model';
import { ciliumInRange, formatCiliumMinor, parseCiliumMinor } from '../cilium/kernel/ciliumRange';
import { decidesText, evaluatePool, featureRequirement, loadKernelMatrix } from '../cilium/kernel/kernelMatrix';
import type { EnableRule, KernelFeature, ValuesCondition } from '../cilium/kernel/matrixTypes';
import { shortKernel, type Pool } from './nodeProfiles';
import { releaseKernelModelOf } from './releaseKernel';
import { checkRequirement, describeRequirement, type VerdictStatus } from '../cilium/kernel/requirementCheck';
import { conditionPath as splitValuesPath } from '../cilium/valuesCondition';
import { containedError } from '../util/containedErrors';

/** Kernel lines for a values key (`['bandwidthManager', 'bbr']`) on a Cilium minor, judged on `pools`. */
export function kernelHoverLines(minor: string, path: readonly string[], pools: readonly Pool[], values?: unknown): string[] {
  try {
    const parsed = parseCiliumMinor(minor);
    if (!parsed) return [];
    const normalized = formatCiliumMinor(parsed);
    const matrix = loadKernelMatrix();
    if (!ciliumInRange(normalized, matrix.ciliumRange)) return [];
    const dotted = path.join('.');
    const features = matrix.features.filter((feature) => ciliumInRange(normalized, feature.appliesTo) && keyTurnsOn(feature, normalized, dotted));
    if (features.length === 0) return [];
    const verdictsByPool = values === undefined ? undefined : pools.map((pool) => new Map(evaluatePool(normalized, values, pool).map((verdict) => [verdict.featureId, verdict])));
    const lines: string[] = [`**Kernel** (Cilium ${normalized}):`];
    for (const feature of features) {
      const requirement = featureRequirement(feature, normalized);
      const below = requirement ? belowText(requirement.belowMin, requirement.fallbackNote) : 'nothing beyond the base kernel';
      const dependencies = (feature.dependsOn ?? []).filter((entry) => !entry.cilium || ciliumInRange(normalized, entry.cilium)).map((entry) => matrix.features.find((other) => other.id === entry.feature)?.title ?? entry.feature);
      const needs = describeRequirement(requirement, normalized);
      lines.push(`- ${feature.title}: ${needs}${requirement ? `; below it ${below}` : ''}${dependencies.length > 0 ? `; also needs ${[...new Set(dependencies)].join(', ')}` : ''}`);
      pools.forEach((pool, index) => {
        const fromValues = verdictsByPool?.[index]?.get(feature.id);
        const status: VerdictStatus = fromValues?.status ?? checkRequirement(requirement, pool, { ciliumMinor: normalized, matrix }).status;
        const decides = fromValues && (status === 'fails' || status === 'falls-back') ? ` (decided by ${decidesText(fromValues.decides)}${fromValues.configMissing.length > 0 ? `: the values do not turn on ${fromValues.configMissing.join(', ')}` : ''})` : '';
        lines.push(`  - pool ${pool.name} (${pool.kernelText ?? shortKernel(pool)}): ${statusText(status)}${decides}`);
      });
    }
    if (pools.length === 0) lines.push('', '_No NodeProfile or `meshlens.kernel.version` setting covers this file, so no pool is judged._');
    return lines;
  } catch (error) {
    containedError('kernel/hover', error);
    return [];
  }
}

/** The same lines for a key of a Cilium release in the workspace, with its pools and effective values. */
export function kernelHoverLinesForRelease(workspace: WorkspaceModel, file: string, documentIndex: number, path: readonly string[], options: Pick<AnalysisOptions, 'kernelVersion' | 'ciliumVersion'>): string[] {
  const model = releaseKernelModelOf(workspace, file, documentIndex, options);
  if (!model?.minor) return [];
  return kernelHoverLines(model.minor, path, model.pools.pools, model.release.values.value);
}

function keyTurnsOn(feature: KernelFeature, minor: string, dotted: string): boolean {
  return feature.enabledWhen.some((rule) => ciliumInRange(minor, rule.cilium) && ruleMentions(rule, dotted));
}

function ruleMentions(rule: EnableRule, dotted: string): boolean {
  const mentions = (condition: ValuesCondition): boolean => {
    if ('all' in condition) return condition.all.some(mentions);
    if ('any' in condition) return condition.any.some(mentions);
    if ('not' in condition || 'feature' in condition || 'opaque' in condition) return false;
    return condition.trigger !== false && splitValuesPath(condition.path).join('.') === dotted;
  };
  return [...(rule.all ?? []), ...(rule.any ?? [])].some(mentions);
}

function belowText(belowMin: string, fallbackNote: string | undefined): string {
  if (belowMin === 'fail') return 'the agent fails';
  if (belowMin === 'fallback') return `the agent runs without it${fallbackNote ? ` (${fallbackNote})` : ''}`;
  return 'the outcome is not known';
}

function statusText(status: VerdictStatus): string {
  switch (status) {
    case 'ok':
      return '✓ can run it';
    case 'fails':
      return '✗ fails';
    case 'falls-back':
      return '⚠ runs without it';
    default:
      return '? not known from the facts given';
  }
}
