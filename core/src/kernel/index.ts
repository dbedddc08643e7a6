/**
 * Public surface of the kernel-feature checks: kernel release parsing,
 * bpftool probe parsing and the matrix evaluators. Everything is pure.
 */

export { parseKernelRelease, compareKernel, formatKernel, describeDistro, type ParsedKernel, type KernelDistro } from '../cilium/kernel/kernelVersion';
export { parseBpftoolProbe, isProbeParseError, type ProbeFacts, type ProbeParseError, type KernelConfigValue } from '../cilium/kernel/bpftoolProbe';
export { parseCiliumMinor, ciliumInRange } from '../cilium/kernel/ciliumRange';
export { effectiveKernelLevel, describeKernel, meetsMinimum } from '../cilium/kernel/kernelLevel';
export { describeRequirement, type NodePoolFacts, type VerdictStatus, type DecidedBy } from '../cilium/kernel/requirementCheck';
export {
  loadKernelMatrix,
  baseRequirement,
  kernelFeature,
  featureRequirement,
  enabledFeatures,
  evaluatePool,
  evaluateBase,
  matrixTable,
  type EnabledFeature,
  type PoolVerdict,
  type BaseVerdict,
  type BaseStatus,
  type MatrixTable,
  type MatrixTableRow,
} from '../cilium/kernel/kernelMatrix';
export type { KernelMatrix, KernelFeature, FeatureRequirement, BaseRequirement, ValuesCondition } from '../cilium/kernel/matrixTypes';
export { nodeProfileIndex, poolsForFile, settingPool, type Pool, type PoolSet, type NodeProfileIndex, type ProfileProblem } from './nodeProfiles';
export { releaseKernelModels, releaseKernelModelOf, type ReleaseKernelModel, type FeatureOutcome } from './releaseKernel';
export { kernelHoverLines, kernelHoverLinesForRelease } from './hover';
export { kernelLensTitle } from './lensText';
export {
  kernelMatrixModel,
  workspaceKernelReport,
  type KernelMatrixRequest,
  type KernelMatrixModel,
  type KernelMatrixRow,
  type WorkspaceKernelReport,
  type ReleaseKernelReport,
} from './matrixModel';
export { releaseKernelReport, renderKernelMatrix, renderKernelReport, withDisplayPaths, type KernelReportFormat } from './reportText';
