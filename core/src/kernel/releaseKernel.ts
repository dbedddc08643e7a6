/**
 * The kernel view of one Cilium HelmRelease: which Cilium minor is judged,
 * which node pools apply, which features its effective values turn on, and
 * how every pool fares (features and the version's base requirement).
 * Rules, CodeLens, hover, the CLI and the server all read this one model.
 *
 * Invariants: memoized per workspace generation and the options that change
 * it (`kernelVersion`, `ciliumVersion`); no version number or values key is
 * named here (they come from the matrix); never throws on odd manifests.
 */

import { deref, mapGet, nodeAtPath, type YamlNode } from '../parse/ast';
import type { AnalysisOptions } from '../options';
import type { Anchor } from '../findings';
import { ciliumReleases, type CiliumRelease } from '../helm/ciliumReleases';
import type { IndexedDocument, WorkspaceModel } from '../workspace/model';
import { ciliumInRange, formatCiliumMinor, parseCiliumMinor } from '../cilium/kernel/ciliumRange';
import { compareKernel, parseKernelRelease } from '../cilium/kernel/kernelVersion';
import {
  baseRequirement,
  enabledFeatures,
  evaluateBase,
  evaluatePool,
  featureRequirement,
  kernelFeature,
  loadKernelMatrix,
  type BaseVerdict,
  type EnabledFeature,
  type PoolVerdict,
} from '../cilium/kernel/kernelMatrix';
import { poolsForFile, type Pool, type PoolSet } from './nodeProfiles';
import type { VerdictStatus } from '../cilium/kernel/requirementCheck';
import { deriveWith } from '../workspace/deriveWith';
import { containedError } from '../util/containedErrors';

export interface PoolFeatureVerdict {
  pool: Pool;
  verdict: PoolVerdict;
}

export interface FeatureOutcome {
  feature: EnabledFeature;
  /** One verdict per pool, in pool order. */
  perPool: PoolFeatureVerdict[];
  /** The weakest pool's verdict when some pool cannot run the feature (fails or falls back). */
  worst?: PoolFeatureVerdict;
  /** Every pool that fails or falls back, weakest first. */
  failing: PoolFeatureVerdict[];
}

export interface PoolBaseVerdict {
  pool: Pool;
  verdict: BaseVerdict;
}

export interface ReleaseKernelModel {
  release: CiliumRelease;
  /** The Cilium minor judged (`1.16`); undefined when outside the matrix's range. */
  minor?: string;
  /** What the version is taken to be, for messages (`1.16.5`). */
  versionLabel: string;
  /** Where the version is written: the chart version, else the chart name / chartRef. */
  versionAnchor: Anchor;
  pinned: boolean;
  pools: PoolSet;
  enabled: EnabledFeature[];
  features: FeatureOutcome[];
  base: PoolBaseVerdict[];
  /** Highest kernel the base and the enabled (non-minor) features ask for. */
  neededKernel?: string;
}

type KernelOptions = Pick<AnalysisOptions, 'kernelVersion' | 'ciliumVersion'>;

/** The kernel model of every Cilium release in the workspace. */
export function releaseKernelModels(workspace: WorkspaceModel, options: KernelOptions): ReleaseKernelModel[] {
  return deriveWith(workspace, 'kernel/release-models', options, ['kernelVersion', 'ciliumVersion'], (model, read) => {
    const result: ReleaseKernelModel[] = [];
    for (const release of ciliumReleases(model)) {
      try {
        result.push(buildModel(model, release, read));
      } catch (error) {
        containedError('kernel/release-models', error);
        // One odd release must not hide the others.
      }
    }
    return result;
  });
}

export function releaseKernelModelOf(workspace: WorkspaceModel, file: string, documentIndex: number, options: KernelOptions): ReleaseKernelModel | undefined {
  return releaseKernelModels(workspace, options).find((entry) => entry.release.document.file === file && entry.release.document.index === documentIndex);
}

const STATUS_RANK: Record<VerdictStatus, number> = { ok: 0, unknown: 1, 'falls-back': 2, fails: 3 };

export function statusRank(status: VerdictStatus): number {
  return STATUS_RANK[status] ?? 0;
}

/** Orders pools weakest first for one feature: worse status, then lower kernel. */
export function weakestFirst(a: PoolFeatureVerdict, b: PoolFeatureVerdict): number {
  const byStatus = statusRank(b.verdict.status) - statusRank(a.verdict.status);
  if (byStatus !== 0) return byStatus;
  if (a.pool.kernel && b.pool.kernel) return compareKernel(a.pool.kernel, b.pool.kernel);
  return 0;
}

/** The Cilium minor a release is judged for, and how it is labelled. */
export function judgedVersion(release: CiliumRelease, options: KernelOptions): { minor?: string; label: string } {
  const matrix = loadKernelMatrix();
  let label = release.version.chartVersion;
  let parsed = parseCiliumMinor(release.version.minor);
  if (release.version.how === 'exact') parsed = parseCiliumMinor(release.version.chartVersion) ?? parsed;
  if (release.version.how === 'default' && options.ciliumVersion) {
    const fromSetting = parseCiliumMinor(options.ciliumVersion);
    if (fromSetting) {
      parsed = fromSetting;
      label = options.ciliumVersion.trim();
    }
  }
  const minor = parsed ? formatCiliumMinor(parsed) : undefined;
  return { minor: minor && ciliumInRange(minor, matrix.ciliumRange) ? minor : undefined, label };
}

function buildModel(workspace: WorkspaceModel, release: CiliumRelease, options: KernelOptions): ReleaseKernelModel {
  const { minor, label } = judgedVersion(release, options);
  const { anchor: versionAnchor, pinned } = versionLocation(release);
  const pools = poolsForFile(workspace, release.document.file, options);
  const values = release.values.value;
  const model: ReleaseKernelModel = { release, versionLabel: label, versionAnchor, pinned, pools, enabled: [], features: [], base: [] };
  if (!minor) return model;
  model.minor = minor;
  model.enabled = enabledFeatures(minor, values);
  const verdictsByPool = pools.pools.map((pool) => new Map(evaluatePool(minor, values, pool).map((verdict) => [verdict.featureId, verdict])));
  for (const feature of model.enabled) {
    const perPool: PoolFeatureVerdict[] = [];
    pools.pools.forEach((pool, index) => {
      const verdict = verdictsByPool[index]!.get(feature.featureId);
      if (verdict) perPool.push({ pool, verdict });
    });
    const failing = perPool.filter((entry) => entry.verdict.status === 'fails' || entry.verdict.status === 'falls-back').sort(weakestFirst);
    model.features.push({ feature, perPool, failing, ...(failing[0] ? { worst: failing[0] } : {}) });
  }
  for (const pool of pools.pools) {
    const verdict = evaluateBase(minor, pool);
    if (verdict) model.base.push({ pool, verdict });
  }
  model.neededKernel = neededKernel(minor, model.enabled);
  return model;
}

/** The highest documented base or feature minimum among what the values turn on. */
export function neededKernel(minor: string, enabled: readonly EnabledFeature[]): string | undefined {
  const candidates: string[] = [];
  const base = baseRequirement(minor);
  if (base) candidates.push(base.docsMinKernel);
  for (const feature of enabled) {
    if (feature.minor) continue;
    const definition = kernelFeature(feature.featureId);
    const requirement = definition ? featureRequirement(definition, minor) : undefined;
    if (requirement?.minKernel) candidates.push(requirement.minKernel);
  }
  let best: string | undefined;
  for (const candidate of candidates) {
    if (!parseKernelRelease(candidate)) continue;
    if (!best || compareKernel(candidate, best) > 0) best = candidate;
  }
  return best;
}

function versionLocation(release: CiliumRelease): { anchor: Anchor; pinned: boolean } {
  const document = release.document;
  const root = document.parsed.root;
  const at = (owner: IndexedDocument, node: YamlNode): Anchor => ({ file: owner.file, document: owner.index, start: node.start, end: node.end });
  const chartSpec = nodeAtPath(root, ['spec', 'chart', 'spec']);
  const version = deref(mapGet(chartSpec, 'version'));
  if (version && version.type === 'scalar' && version.value !== null) return { anchor: at(document, version), pinned: true };
  const source = release.chart.source;
  if (release.chart.via === 'chartRef' && source) {
    for (const field of ['semver', 'tag']) {
      const node = nodeAtPath(source.parsed.root, ['spec', 'ref', field]);
      if (node && node.type === 'scalar') return { anchor: at(source, node), pinned: true };
    }
  }
  const chartName = deref(mapGet(chartSpec, 'chart'));
  if (chartName) return { anchor: at(document, chartName), pinned: false };
  const chartRef = deref(nodeAtPath(root, ['spec', 'chartRef']));
  if (chartRef) return { anchor: at(document, chartRef), pinned: false };
  const kind = deref(mapGet(root, 'kind')) ?? root;
  return { anchor: kind ? at(document, kind) : { file: document.file, document: document.index, start: 0, end: 0 }, pinned: false };
}
