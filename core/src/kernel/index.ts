/**
 * Public surface of the kernel-feature checks: kernel release parsing,
 * bpftool probe parsing and the matrix evaluators. Everything is pure.
 */

export { parseKernelRelease, compareKernel, formatKernel, describeDistro, type ParsedKernel, type KernelDistro } from './kernelVersion';
export { parseBpftoolProbe, isProbeParseError, type ProbeFacts, type ProbeParseError, type KernelConfigValue } from './bpftoolProbe';
export { parseCiliumMinor, ciliumInRange } from './ciliumRange';
export { effectiveKernelLevel, describeKernel, meetsMinimum } from './kernelLevel';
export { describeRequirement, type NodePoolFacts, type VerdictStatus, type DecidedBy } from './requirementCheck';
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
} from './kernelMatrix';
export type { KernelMatrix, KernelFeature, FeatureRequirement, BaseRequirement, ValuesCondition } from './matrixTypes';
export { nodeProfileIndex, poolsForFile, settingPool, type Pool, type PoolSet, type NodeProfileIndex, type ProfileProblem } from './nodeProfiles';
export { releaseKernelModels, releaseKernelModelOf, type ReleaseKernelModel, type FeatureOutcome } from './releaseKernel';
export { kernelHoverLines, kernelHoverLinesForRelease } from './hover';
export { kernelLensTitle, KERNEL_CODE_LENSES } from './features';
export {
  kernelMatrixModel,
  workspaceKernelReport,
  type KernelMatrixRequest,
  type KernelMatrixModel,
  type KernelMatrixRow,
  type WorkspaceKernelReport,
  type ReleaseKernelReport,
} from './matrixModel';
