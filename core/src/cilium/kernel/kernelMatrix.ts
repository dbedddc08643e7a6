/**
 * The kernel-feature matrix API: which features a Cilium values object turns
 * on, what each needs from the kernel, and how each node pool fares.
 *
 * Invariants: all version numbers, value keys and dependencies come from
 * `schemas/kernel-features.json`; this module only interprets them. Pure:
 * no IO, no editor types, never throws on bad values or unknown versions
 * (an unsupported Cilium minor yields no features and no base requirement).
 * Deciding which pool is weakest and how severe a verdict is belongs to the
 * caller: `fails` → error, `falls-back` → warning is the intended mapping.
 */

import matrixJson from '../../../../schemas/kernel-features.json';
import { ciliumInRange, formatCiliumMinor, parseCiliumMinor } from './ciliumRange';
import { describeKernel, effectiveKernelLevel, meetsMinimum } from './kernelLevel';
import { compareKernel, parseKernelRelease, type ParsedKernel } from './kernelVersion';
import type { BaseRequirement, BelowMinimum, EnableRule, FeatureRequirement, KernelFeature, KernelMatrix, ValuesCondition } from './matrixTypes';
import {
  checkProbe,
  checkRequirement,
  describeProbeRequirement,
  describeRequirement,
  poolConfigValue,
  statusBelowMinimum,
  worseStatus,
  type DecidedBy,
  type NodePoolFacts,
  type VerdictStatus,
} from './requirementCheck';
import { conditionPath as splitValuesPath, evaluate, type ConditionOutcome } from '../valuesCondition';

export type { NodePoolFacts, VerdictStatus, DecidedBy } from './requirementCheck';

export interface EnabledFeature {
  featureId: string;
  title: string;
  /** Explicitly set values keys (as segments) that turned the feature on; [] when on by default. */
  paths: string[][];
  /** Other enabled features the enabling condition relied on. */
  via: string[];
  /** The agent turns it on by itself when the kernel allows (silent fallback otherwise). */
  auto: boolean;
  /** Secondary automatic behaviour: better shown in hover/tables than as a warning. */
  minor: boolean;
  /** Outcome below the minimum for the way it was enabled. */
  belowMin: BelowMinimum;
  fallbackNote?: string;
}

export interface PoolVerdict {
  featureId: string;
  title: string;
  pool: string;
  status: VerdictStatus;
  requirement: string;
  has: string;
  decidedBy: DecidedBy;
  /** Dependency chain explanation, outermost first. */
  chain: string[];
  /**
   * What makes the status fail or fall back: the node's kernel (the feature's own requirement, or
   * a dependency that the kernel fails), a dependency the values do not turn on (configuration
   * only: true on every kernel), or both. 'kernel' when the status is ok or unknown.
   */
  decides: Decides;
  /** Dependencies these values do not turn on (titles), when they made the status worse. */
  configMissing: string[];
  paths: string[][];
  minor: boolean;
  fallbackNote?: string;
}

export type BaseStatus = 'ok' | 'fails' | 'unsupported' | 'unknown';

export type Decides = 'kernel' | 'config dependency' | 'both';

/** Which of the kernel and the configuration decides a verdict, in words. */
export function decidesText(decides: Decides): string {
  if (decides === 'both') return 'the kernel and a config dependency';
  if (decides === 'config dependency') return 'a config dependency (any kernel)';
  return 'the kernel';
}

/** A feature the values turn on while they leave a dependency it cannot start without turned off. */
export interface ConfigurationConflict {
  featureId: string;
  title: string;
  dependencyId: string;
  dependencyTitle: string;
  /** User-written keys that turned the feature on. */
  paths: string[][];
}

export interface BaseVerdict {
  cilium: string;
  pool: string;
  /** fails: the agent refuses to start; unsupported: below the documented minimum only. */
  status: BaseStatus;
  requirement: string;
  has: string;
  decidedBy: 'probe' | 'config' | 'version';
  problems: string[];
}

export interface MatrixTableRow {
  featureId: string;
  title: string;
  /** How the values turn it on (`bandwidthManager.enabled = true`). */
  enabledBy: string[];
  auto: boolean;
  minor: boolean;
  requirement: string;
  minKernel?: string;
  docsMinKernel?: string;
  belowMin?: BelowMinimum;
  fallbackNote?: string;
  dependsOn: string[];
  /** Present when a kernel was given. */
  status?: VerdictStatus;
  has?: string;
}

export interface MatrixTable {
  cilium: string;
  base?: { requirement: string; status?: BaseStatus; has?: string; notes?: string };
  rows: MatrixTableRow[];
}

let cachedMatrix: KernelMatrix | undefined;

/** The matrix data, loaded once. */
export function loadKernelMatrix(): KernelMatrix {
  cachedMatrix ??= matrixJson as unknown as KernelMatrix;
  return cachedMatrix;
}

/** The base kernel requirement of a Cilium minor (`1.17`, `1.17.3`), or undefined when not covered. */
export function baseRequirement(ciliumMinor: string, matrix: KernelMatrix = loadKernelMatrix()): BaseRequirement | undefined {
  const minor = normaliseMinor(ciliumMinor);
  return minor ? matrix.base.find((entry) => entry.cilium === minor) : undefined;
}

/** The matrix entry for a feature id. */
export function kernelFeature(featureId: string, matrix: KernelMatrix = loadKernelMatrix()): KernelFeature | undefined {
  return matrix.features.find((feature) => feature.id === featureId);
}

/** The requirement entry of a feature that applies to a Cilium minor (undefined: covered by the base). */
export function featureRequirement(feature: KernelFeature, ciliumMinor: string): FeatureRequirement | undefined {
  return feature.requirements.find((requirement) => ciliumInRange(ciliumMinor, requirement.cilium));
}

/** Features the values turn on for a Cilium minor, in matrix order. */
export function enabledFeatures(ciliumMinor: string, values: unknown, matrix: KernelMatrix = loadKernelMatrix()): EnabledFeature[] {
  const minor = normaliseMinor(ciliumMinor);
  if (!minor || !ciliumInRange(minor, matrix.ciliumRange)) return [];
  const resolved = resolveEnabled(minor, values, matrix);
  return matrix.features.flatMap((feature) => {
    const found = resolved.get(feature.id);
    return found ? [found] : [];
  });
}

/** Verdicts for every enabled feature on one node pool, dependencies resolved. */
export function evaluatePool(
  ciliumMinor: string,
  values: unknown,
  pool: NodePoolFacts,
  matrix: KernelMatrix = loadKernelMatrix(),
): PoolVerdict[] {
  const minor = normaliseMinor(ciliumMinor);
  if (!minor) return [];
  const enabled = new Map(enabledFeatures(minor, values, matrix).map((feature) => [feature.featureId, feature]));
  const verdicts = new Map<string, PoolVerdict>();
  const inProgress = new Set<string>();

  const resolve = (featureId: string): PoolVerdict | undefined => {
    const known = verdicts.get(featureId);
    if (known) return known;
    const feature = kernelFeature(featureId, matrix);
    const state = enabled.get(featureId);
    if (!feature || !state || inProgress.has(featureId)) return undefined;
    inProgress.add(featureId);

    const own = checkRequirement(featureRequirement(feature, minor), pool, { ciliumMinor: minor, matrix, belowMin: state.belowMin });
    const verdict: PoolVerdict = {
      featureId,
      title: feature.title,
      pool: pool.name,
      status: own.status,
      requirement: own.requirement,
      has: own.has,
      decidedBy: own.decidedBy,
      chain: [],
      decides: 'kernel',
      configMissing: [],
      paths: state.paths,
      minor: state.minor,
      ...(state.fallbackNote ? { fallbackNote: state.fallbackNote } : {}),
    };

    let kernelDecides = own.status === 'fails' || own.status === 'falls-back';
    for (const dependency of activeDependencies(feature, minor, values, enabled)) {
      const target = kernelFeature(dependency.feature, matrix);
      const targetTitle = target?.title ?? dependency.feature;
      const missingStatus = statusBelowMinimum(dependency.onMissing ?? state.belowMin);
      const targetVerdict = enabled.has(dependency.feature) ? resolve(dependency.feature) : undefined;
      if (!targetVerdict) {
        verdict.chain.push(`${feature.title} needs ${targetTitle}, which these values do not turn on`);
        if (missingStatus === 'fails' || missingStatus === 'falls-back') verdict.configMissing.push(targetTitle);
        applyDependencyOutcome(verdict, missingStatus, dependency.fallbackNote);
        continue;
      }
      if (targetVerdict.status === 'fails' || targetVerdict.status === 'falls-back') {
        if (targetVerdict.decides !== 'config dependency') kernelDecides = true;
        for (const missing of targetVerdict.configMissing) if (!verdict.configMissing.includes(missing)) verdict.configMissing.push(missing);
        verdict.chain.push(`${feature.title} needs ${targetTitle}, which ${targetVerdict.status === 'fails' ? 'fails' : 'falls back'} on pool ${pool.name}: needs ${targetVerdict.requirement}, has ${targetVerdict.has}`);
        verdict.chain.push(...targetVerdict.chain);
        applyDependencyOutcome(verdict, missingStatus, dependency.fallbackNote);
      } else {
        verdict.chain.push(`${feature.title} needs ${targetTitle}${targetVerdict.status === 'unknown' ? ' (not judged on this pool)' : ''}`);
        verdict.chain.push(...targetVerdict.chain);
      }
    }

    const configDecides = verdict.configMissing.length > 0;
    verdict.decides = kernelDecides && configDecides ? 'both' : configDecides ? 'config dependency' : 'kernel';
    inProgress.delete(featureId);
    verdicts.set(featureId, verdict);
    return verdict;
  };

  return [...enabled.keys()].flatMap((featureId) => {
    const verdict = resolve(featureId);
    return verdict ? [verdict] : [];
  });
}

/**
 * Features the values turn on explicitly while leaving off a dependency the matrix marks as an
 * agent start-up error (`configError: true`): configuration errors on every kernel.
 */
export function configurationConflicts(ciliumMinor: string, values: unknown, matrix: KernelMatrix = loadKernelMatrix()): ConfigurationConflict[] {
  const minor = normaliseMinor(ciliumMinor);
  if (!minor) return [];
  const enabled = new Map(enabledFeatures(minor, values, matrix).map((feature) => [feature.featureId, feature]));
  const conflicts: ConfigurationConflict[] = [];
  for (const state of enabled.values()) {
    if (state.auto || state.paths.length === 0) continue;
    const feature = kernelFeature(state.featureId, matrix);
    if (!feature) continue;
    for (const dependency of activeDependencies(feature, minor, values, enabled)) {
      if (enabled.has(dependency.feature)) continue;
      // Only dependencies the matrix marks as an agent start-up error when the values leave them off.
      if (dependency.configError !== true) continue;
      conflicts.push({
        featureId: feature.id,
        title: feature.title,
        dependencyId: dependency.feature,
        dependencyTitle: kernelFeature(dependency.feature, matrix)?.title ?? dependency.feature,
        paths: state.paths,
      });
    }
  }
  return conflicts;
}

/** Checks a pool against the base requirement of a Cilium minor. */
export function evaluateBase(ciliumMinor: string, pool: NodePoolFacts, matrix: KernelMatrix = loadKernelMatrix()): BaseVerdict | undefined {
  const base = baseRequirement(ciliumMinor, matrix);
  if (!base) return undefined;
  const requirement = describeBase(base);
  const problems: string[] = [];
  let status: BaseStatus = 'ok';
  let decidedBy: BaseVerdict['decidedBy'] = 'version';
  let decided = false;
  const raise = (next: BaseStatus, by: BaseVerdict['decidedBy'], problem: string) => {
    problems.push(problem);
    if (baseRank(next) > baseRank(status)) {
      status = next;
      decidedBy = by;
    }
  };

  // The agent's own start-up checks: the probe decides when given, else the (backport-raised) version.
  if (pool.probe && base.probe) {
    const probe = checkProbe(base.probe, pool.probe);
    for (const missing of probe.missing) raise('fails', 'probe', `bpftool probe lacks ${missing}`);
    if (probe.missing.length === 0 && probe.unprobed.length === 0) {
      decided = true;
      decidedBy = 'probe';
    }
  }
  if (pool.kernel) {
    const { level } = effectiveKernelLevel(pool.kernel, matrix);
    const probeShowsAll = decided && base.enforcement === 'probe';
    if (!probeShowsAll && !meetsMinimum(level, base.minKernel)) {
      raise('fails', 'version', `the agent refuses kernels below ${base.minKernel}`);
    }
    decided = true;
    if (!meetsDocumented(pool.kernel, base)) raise('unsupported', 'version', `below the documented minimum (${describeDocumented(base)})`);
  }
  for (const entry of base.config) {
    if (poolConfigValue(pool, entry.name) === 'n') {
      raise(entry.onMissing === 'fail' ? 'fails' : 'unsupported', 'config', `${entry.name} is not set`);
      decided = true;
    }
  }
  if (!decided) status = 'unknown';
  const has = pool.kernel ? describeKernel(pool.kernel, matrix) : pool.probe ? 'bpftool probe only' : 'no known kernel';
  return { cilium: base.cilium, pool: pool.name, status, requirement, has, decidedBy, problems };
}

/** Rows for a printed matrix of one Cilium minor, judged against a kernel when one is given. */
export function matrixTable(ciliumMinor: string, kernel?: ParsedKernel | string, matrix: KernelMatrix = loadKernelMatrix()): MatrixTable {
  const minor = normaliseMinor(ciliumMinor);
  const parsedKernel = typeof kernel === 'string' ? parseKernelRelease(kernel) : kernel;
  const table: MatrixTable = { cilium: minor ?? String(ciliumMinor), rows: [] };
  if (!minor || !ciliumInRange(minor, matrix.ciliumRange)) return table;
  const pool: NodePoolFacts = { name: 'given kernel', ...(parsedKernel ? { kernel: parsedKernel } : {}) };

  const base = baseRequirement(minor, matrix);
  if (base) {
    const verdict = parsedKernel ? evaluateBase(minor, pool, matrix) : undefined;
    table.base = {
      requirement: describeBase(base),
      ...(verdict ? { status: verdict.status, has: verdict.has } : {}),
      ...(base.notes ? { notes: base.notes } : {}),
    };
  }

  for (const feature of matrix.features) {
    if (!ciliumInRange(minor, feature.appliesTo)) continue;
    const rules = feature.enabledWhen.filter((rule) => ciliumInRange(minor, rule.cilium));
    const requirement = featureRequirement(feature, minor);
    const row: MatrixTableRow = {
      featureId: feature.id,
      title: feature.title,
      enabledBy: rules.length > 0 ? rules.map((rule) => describeRule(rule, matrix)) : ['no values key'],
      auto: rules.some((rule) => rule.mode === 'auto'),
      minor: feature.minor === true,
      requirement: describeRequirement(requirement, minor),
      dependsOn: (feature.dependsOn ?? []).filter((dependency) => !dependency.cilium || ciliumInRange(minor, dependency.cilium)).map((dependency) => dependency.feature),
    };
    if (requirement?.minKernel) row.minKernel = requirement.minKernel;
    if (requirement?.docsMinKernel) row.docsMinKernel = requirement.docsMinKernel;
    if (requirement) row.belowMin = requirement.belowMin;
    if (requirement?.fallbackNote) row.fallbackNote = requirement.fallbackNote;
    row.dependsOn = [...new Set(row.dependsOn)];
    if (parsedKernel) {
      const verdict = checkRequirement(requirement, pool, { ciliumMinor: minor, matrix });
      row.status = verdict.status;
      row.has = verdict.has;
    }
    table.rows.push(row);
  }
  return table;
}

// ---------------------------------------------------------------------------

function normaliseMinor(ciliumMinor: string): string | undefined {
  const parsed = parseCiliumMinor(ciliumMinor);
  return parsed ? formatCiliumMinor(parsed) : undefined;
}

/** Decides every feature once, following `{ feature }` references (cycles count as off). */
function resolveEnabled(minor: string, values: unknown, matrix: KernelMatrix): Map<string, EnabledFeature> {
  const decided = new Map<string, EnabledFeature | null>();
  const inProgress = new Set<string>();

  const decide = (featureId: string): EnabledFeature | null => {
    if (decided.has(featureId)) return decided.get(featureId)!;
    const feature = kernelFeature(featureId, matrix);
    if (!feature || inProgress.has(featureId) || !ciliumInRange(minor, feature.appliesTo)) return null;
    inProgress.add(featureId);
    let result: EnabledFeature | null = null;
    for (const rule of feature.enabledWhen) {
      if (!ciliumInRange(minor, rule.cilium)) continue;
      const outcome = evaluateRule(rule, values, (id) => decide(id) !== null);
      if (outcome.truth !== true) continue;
      const requirement = featureRequirement(feature, minor);
      result = {
        featureId: feature.id,
        title: feature.title,
        paths: outcome.paths,
        via: outcome.via,
        auto: rule.mode === 'auto',
        minor: feature.minor === true,
        belowMin: rule.belowMin ?? requirement?.belowMin ?? 'fail',
        ...(rule.fallbackNote ?? requirement?.fallbackNote ? { fallbackNote: rule.fallbackNote ?? requirement?.fallbackNote } : {}),
      };
      break;
    }
    inProgress.delete(featureId);
    decided.set(featureId, result);
    return result;
  };

  const enabled = new Map<string, EnabledFeature>();
  for (const feature of matrix.features) {
    const result = decide(feature.id);
    if (result) enabled.set(feature.id, result);
  }
  return enabled;
}

function evaluateRule(rule: EnableRule, values: unknown, isFeatureEnabled: (featureId: string) => boolean): ConditionOutcome {
  const parts: ConditionOutcome[] = [];
  const lookup = { user: values, feature: isFeatureEnabled };
  if (rule.all) parts.push(evaluate({ all: rule.all }, lookup));
  if (rule.any) parts.push(evaluate({ any: rule.any }, lookup));
  if (parts.length === 0) return { truth: false, paths: [], via: [] };
  if (parts.some((part) => part.truth !== true)) return { truth: false, paths: [], via: [] };
  return { truth: true, paths: parts.flatMap((part) => part.paths), via: [...new Set(parts.flatMap((part) => part.via))] };
}

function activeDependencies(feature: KernelFeature, minor: string, values: unknown, enabled: Map<string, EnabledFeature>) {
  return (feature.dependsOn ?? []).filter((dependency) => {
    if (dependency.cilium && !ciliumInRange(minor, dependency.cilium)) return false;
    if (dependency.unless && evaluate(dependency.unless, { user: values, feature: (id) => enabled.has(id) }).truth === true) return false;
    return true;
  });
}

function applyDependencyOutcome(verdict: PoolVerdict, status: VerdictStatus, fallbackNote: string | undefined): void {
  const next = worseStatus(verdict.status, status);
  if (next !== verdict.status) {
    verdict.status = next;
    verdict.decidedBy = 'dependency';
    if (next === 'falls-back' && fallbackNote) verdict.fallbackNote = fallbackNote;
  }
}

function baseRank(status: BaseStatus): number {
  return ['ok', 'unknown', 'unsupported', 'fails'].indexOf(status);
}

function meetsDocumented(kernel: ParsedKernel, base: BaseRequirement): boolean {
  const equivalent = base.distroEquivalents.find((entry) => {
    if (entry.distro !== kernel.distro) return false;
    const series = parseKernelRelease(entry.kernel);
    return series !== undefined && series.major === kernel.major && series.minor === kernel.minor;
  });
  if (equivalent) return compareKernel(kernel, equivalent.kernel) >= 0;
  return meetsMinimum(kernel, base.docsMinKernel);
}

function describeDocumented(base: BaseRequirement): string {
  const distros = base.distroEquivalents.map((entry) => `${entry.distro.toUpperCase()} ${entry.release} (${entry.kernel})`);
  return [`kernel ≥ ${base.docsMinKernel}`, ...distros].join(' or ');
}

function describeBase(base: BaseRequirement): string {
  const parts = [`Cilium ${base.cilium}: ${describeDocumented(base)}`];
  if (base.minKernel !== base.docsMinKernel) parts.push(`agent refuses below ${base.minKernel}`);
  if (base.probe) {
    const probe = describeProbeRequirement(base.probe);
    if (probe.length > 0) parts.push(`agent probes ${probe.join('; ')}`);
  }
  return parts.join('; ');
}

function describeRule(rule: EnableRule, matrix: KernelMatrix): string {
  const parts: string[] = [];
  if (rule.all) parts.push(rule.all.map((condition) => describeCondition(condition, matrix)).join(' and '));
  if (rule.any) parts.push(`(${rule.any.map((condition) => describeCondition(condition, matrix)).join(' or ')})`);
  const text = parts.join(' and ');
  return rule.mode === 'auto' ? `${text} (automatic)` : text;
}

function describeCondition(condition: ValuesCondition, matrix: KernelMatrix): string {
  if ('all' in condition) return `(${condition.all.map((part) => describeCondition(part, matrix)).join(' and ')})`;
  if ('any' in condition) return `(${condition.any.map((part) => describeCondition(part, matrix)).join(' or ')})`;
  if ('not' in condition) return `not ${describeCondition(condition.not, matrix)}`;
  if ('feature' in condition) return kernelFeature(condition.feature, matrix)?.title ?? condition.feature;
  if ('opaque' in condition) return 'a chart condition not modelled';
  const path = splitValuesPath(condition.path).join('.');
  const show = (value: unknown) => JSON.stringify(value);
  if ('equals' in condition) return `${path} = ${show(condition.equals)}`;
  if ('notEquals' in condition) return `${path} ≠ ${show(condition.notEquals)}`;
  if (condition.in) return `${path} ∈ {${condition.in.map(show).join(', ')}}`;
  if (condition.notIn) return `${path} ∉ {${condition.notIn.map(show).join(', ')}}`;
  if (condition.truthy !== undefined) return condition.truthy ? `${path} is true` : `${path} is not true`;
  if (condition.present !== undefined) return condition.present ? `${path} is set` : `${path} is unset`;
  if (condition.isSet !== undefined) return condition.isSet ? `${path} is set` : `${path} is unset`;
  return path;
}
