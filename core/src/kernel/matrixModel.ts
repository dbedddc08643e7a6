/**
 * Plain-data models for planning tools: the matrix of one Cilium version
 * judged against a kernel or a bpftool probe (and optionally a values
 * object), and the kernel verdicts of every Cilium release and NodeProfile
 * in a workspace. The CLI (`meshlens kernel`) prints them; the server
 * returns them for `meshlens/kernelMatrix`.
 *
 * Invariants: pure, never throws, JSON-serialisable output; every number
 * comes from the matrix data.
 */

import type { AnalysisOptions } from '../options';
import type { WorkspaceModel } from '../workspace/model';
import type { ProbeFacts } from '../cilium/kernel/bpftoolProbe';
import { ciliumInRange, formatCiliumMinor, parseCiliumMinor } from '../cilium/kernel/ciliumRange';
import { describeKernel } from '../cilium/kernel/kernelLevel';
import { enabledFeatures, evaluateBase, evaluatePool, featureRequirement, kernelFeature, loadKernelMatrix, matrixTable, type BaseStatus, type MatrixTableRow, type PoolVerdict } from '../cilium/kernel/kernelMatrix';
import type { BelowMinimum } from '../cilium/kernel/matrixTypes';
import { parseKernelRelease } from '../cilium/kernel/kernelVersion';
import { nodeProfileIndex, type Pool } from './nodeProfiles';
import { kernelLensTitle } from './lensText';
import { releaseKernelModels } from './releaseKernel';
import { anchorLine } from '../workspace/anchorLine';
import { checkRequirement, describeRequirement, type DecidedBy, type NodePoolFacts } from '../cilium/kernel/requirementCheck';

export interface KernelMatrixRequest {
  /** Cilium version (`1.17`, `1.17.3`). */
  cilium: string;
  /** Kernel release (`5.10`, `5.15.0-91-generic`). */
  kernel?: string;
  /** Parsed `bpftool -j feature probe` output. */
  probe?: ProbeFacts;
  /** Helm values: rows say whether they turn each feature on, and verdicts follow dependencies. */
  values?: unknown;
}

export interface KernelMatrixRow extends MatrixTableRow {
  /** Present when values were given. */
  enabled?: boolean;
  enabledKeys?: string[];
  decidedBy?: DecidedBy;
  chain?: string[];
}

export interface KernelMatrixModel {
  cilium: string;
  /** Whether the matrix covers this Cilium version. */
  supported: boolean;
  ciliumRange: string;
  kernel?: { given: string; parsed: boolean; description?: string };
  probe: boolean;
  base?: { requirement: string; status?: BaseStatus; has?: string; problems?: string[]; notes?: string };
  rows: KernelMatrixRow[];
}

export function kernelMatrixModel(request: KernelMatrixRequest): KernelMatrixModel {
  const matrix = loadKernelMatrix();
  const parsedMinor = parseCiliumMinor(request.cilium);
  const minor = parsedMinor ? formatCiliumMinor(parsedMinor) : String(request.cilium);
  const kernel = request.kernel !== undefined ? parseKernelRelease(request.kernel) : undefined;
  const model: KernelMatrixModel = {
    cilium: minor,
    supported: parsedMinor !== undefined && ciliumInRange(minor, matrix.ciliumRange),
    ciliumRange: matrix.ciliumRange,
    probe: request.probe !== undefined,
    rows: [],
    ...(request.kernel !== undefined ? { kernel: { given: request.kernel, parsed: kernel !== undefined, ...(kernel ? { description: describeKernel(kernel, matrix) } : {}) } } : {}),
  };
  if (!model.supported) return model;

  const pool: NodePoolFacts = { name: 'given', ...(kernel ? { kernel } : {}), ...(request.probe ? { probe: request.probe } : {}) };
  const judged = kernel !== undefined || request.probe !== undefined;
  const table = matrixTable(minor, kernel);
  if (table.base) {
    model.base = { requirement: table.base.requirement, ...(table.base.notes ? { notes: table.base.notes } : {}) };
    const base = judged ? evaluateBase(minor, pool) : undefined;
    if (base) Object.assign(model.base, { status: base.status, has: base.has, problems: base.problems });
  }

  const enabled = request.values !== undefined ? new Map(enabledFeatures(minor, request.values).map((entry) => [entry.featureId, entry])) : undefined;
  const verdicts = request.values !== undefined && judged ? new Map(evaluatePool(minor, request.values, pool).map((verdict) => [verdict.featureId, verdict])) : undefined;
  for (const row of table.rows) {
    const result: KernelMatrixRow = { ...row };
    delete result.status;
    delete result.has;
    if (judged) {
      const feature = kernelFeature(row.featureId);
      const verdict = checkRequirement(feature ? featureRequirement(feature, minor) : undefined, pool, { ciliumMinor: minor, matrix });
      Object.assign(result, { status: verdict.status, has: verdict.has, decidedBy: verdict.decidedBy });
    }
    if (enabled) {
      const state = enabled.get(row.featureId);
      result.enabled = state !== undefined;
      if (state) result.enabledKeys = state.paths.map((path) => path.join('.'));
      const verdict = verdicts?.get(row.featureId);
      if (verdict) Object.assign(result, { status: verdict.status, has: verdict.has, decidedBy: verdict.decidedBy, chain: verdict.chain });
    }
    model.rows.push(result);
  }
  return model;
}

export interface PoolSummary {
  name: string;
  origin: 'profile' | 'setting';
  kernel?: string;
  kernelDescription?: string;
  probe?: string;
  /** The NodeProfile document; `line` is 1-based, where its YAML starts. */
  profile?: { file: string; document: number; line: number };
}

export interface ReleaseKernelReport {
  file: string;
  document: number;
  /** 1-based line where the HelmRelease's YAML starts. */
  line: number;
  name?: string;
  namespace?: string;
  chartVersion: string;
  /** The Cilium minor judged; absent when the matrix does not cover the version. */
  minor?: string;
  poolsFrom: 'profiles' | 'setting' | 'none';
  pools: PoolSummary[];
  summary: string;
  /** The Cilium minor's base kernel requirement, in words (absent outside the matrix). */
  baseRequirement?: string;
  base: { pool: string; status: BaseStatus; requirement: string; has: string; problems: string[] }[];
  features: {
    featureId: string;
    title: string;
    enabledKeys: string[];
    auto: boolean;
    minor: boolean;
    /** The agent's minimum kernel for this Cilium minor (absent when only kernel options matter). */
    minKernel?: string;
    docsMinKernel?: string;
    /** What happens below the minimum. */
    belowMin?: BelowMinimum;
    /** What the feature itself needs, in words (`kernel ≥ 5.18; sched_cls helpers …`). */
    requirement: string;
    /** Each pool's verdict on the feature (what decides it, and the dependencies the values leave off: see `PoolVerdict`). */
    pools: Pick<PoolVerdict, 'pool' | 'status' | 'requirement' | 'has' | 'decidedBy' | 'chain' | 'decides' | 'configMissing'>[];
  }[];
}

export interface WorkspaceKernelReport {
  releases: ReleaseKernelReport[];
  profiles: (PoolSummary & { problems: string[] })[];
}

/** Verdicts for every Cilium release and NodeProfile of a workspace. */
export function workspaceKernelReport(workspace: WorkspaceModel, options: Pick<AnalysisOptions, 'kernelVersion' | 'ciliumVersion'>): WorkspaceKernelReport {
  const index = nodeProfileIndex(workspace);
  const summarise = (pool: Pool) => poolSummary(workspace, pool);
  const profiles = index.pools.map((pool) => ({
    ...summarise(pool),
    problems: index.problems.filter((problem) => problem.file === pool.profile?.file && problem.document === pool.profile?.document).map((problem) => problem.message),
  }));
  const releases = releaseKernelModels(workspace, options).map(
    (model): ReleaseKernelReport => ({
      file: model.release.document.file,
      document: model.release.document.index,
      line: documentLine(workspace, model.release.document.file, model.release.document.index),
      ...(model.release.document.identity.name ? { name: model.release.document.identity.name } : {}),
      ...(model.release.document.identity.namespace ? { namespace: model.release.document.identity.namespace } : {}),
      chartVersion: model.versionLabel,
      ...(model.minor ? { minor: model.minor } : {}),
      poolsFrom: model.pools.origin,
      pools: model.pools.pools.map(summarise),
      summary: model.minor ? kernelLensTitle(model) : `Cilium ${model.versionLabel} is outside the kernel matrix (${loadKernelMatrix().ciliumRange})`,
      ...baseRequirementOf(model.minor),
      base: model.base.map(({ pool, verdict }) => ({ pool: pool.name, status: verdict.status, requirement: verdict.requirement, has: verdict.has, problems: verdict.problems })),
      features: model.features.map((outcome) => {
        const known = kernelFeature(outcome.feature.featureId);
        const requirement = known && model.minor ? featureRequirement(known, model.minor) : undefined;
        return {
          featureId: outcome.feature.featureId,
          title: outcome.feature.title,
          enabledKeys: outcome.feature.paths.map((path) => path.join('.')),
          auto: outcome.feature.auto,
          minor: outcome.feature.minor,
          ...(requirement?.minKernel ? { minKernel: requirement.minKernel } : {}),
          ...(requirement?.docsMinKernel && requirement.docsMinKernel !== requirement.minKernel ? { docsMinKernel: requirement.docsMinKernel } : {}),
          ...(requirement ? { belowMin: requirement.belowMin } : {}),
          requirement: describeRequirement(requirement, model.minor ?? model.versionLabel),
          pools: outcome.perPool.map(({ pool, verdict }) => ({
            pool: pool.name,
            status: verdict.status,
            requirement: verdict.requirement,
            has: verdict.has,
            decidedBy: verdict.decidedBy,
            chain: verdict.chain,
            decides: verdict.decides,
            configMissing: verdict.configMissing,
          })),
        };
      }),
    }),
  );
  return { releases, profiles };
}

function poolSummary(workspace: WorkspaceModel, pool: Pool): PoolSummary {
  const matrix = loadKernelMatrix();
  return {
    name: pool.name,
    origin: pool.origin,
    ...(pool.kernelText !== undefined ? { kernel: pool.kernelText } : {}),
    ...(pool.kernel ? { kernelDescription: describeKernel(pool.kernel, matrix) } : {}),
    ...(pool.probePath ? { probe: pool.probePath } : {}),
    ...(pool.profile ? { profile: { file: pool.profile.file, document: pool.profile.document, line: documentLine(workspace, pool.profile.file, pool.profile.document) } } : {}),
  };
}

function baseRequirementOf(minor: string | undefined): { baseRequirement?: string } {
  const base = minor ? matrixTable(minor).base : undefined;
  return base ? { baseRequirement: base.requirement } : {};
}

/** The 1-based line where a document's YAML starts (after comments and `---`), for `file:line` links. */
function documentLine(workspace: WorkspaceModel, file: string, document: number): number {
  const parsed = workspace.fileDocuments(file)[document];
  return anchorLine(workspace, { file, document, start: parsed?.root?.start ?? 0 });
}
