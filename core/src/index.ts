/**
 * Public API of the meshlens analysis core. Pure: no `vscode`, no LSP types,
 * no file system. The language server and the CLI are adapters over this.
 */

export { MeshlensService, type ServiceOptions } from './service';
export type { WorkspaceView } from './workspace/workspace';
export { isInside } from './workspace/model';
export { containedErrors, onContainedError, type ContainedError } from './util/containedErrors';
export type { Diagnostic, Fix, Location, Range, TextEdit } from './diagnostics';
export { defaultAnalysisOptions, defersSchema, severityRank, type AnalysisOptions, type Severity, type SeveritySetting } from './options';
export { ALL_RULES, ruleById } from './rules/index';
export type { Rule, RuleMeta } from './rules/types';
export { applyEdits, type CodeAction } from './features/codeActions';
export { planFixes, DEFAULT_FIX_ROUNDS, type FixHost, type FixPlan, type FixRecord, type RefusedFix } from './features/fixEngine';
export { unifiedDiff } from './text/unifiedDiff';
export type { CompletionItem } from './features/completion';
export type { CodeLensItem, CodeLensSteps } from './features/codeLens';
export { statusLine, type FileStatus } from './features/status';
export type { HoverResult } from './features/hover';
export { LineIndex, type Position } from './text/lineIndex';
export type { WorkspaceHost } from './workspace/workspace';
export {
  buildFluxDirectory,
  buildKustomization,
  fieldOrigin,
  fluxOverlayFromObject,
  type BuildFileSystem,
  type BuildNote,
  type BuildResult,
  type BuiltObject,
  type FluxOverlay,
  type Origin as BuildOrigin,
} from './build/index';
export {
  compareFindings,
  comparePolicies,
  effectiveModels,
  planCiliumUpgrade,
  resolveCiliumTarget,
  type UpgradePlan,
  renderReviewMarkdown,
  renderReviewText,
  reviewCounts,
  type ImpactChange,
  type PolicyImpact,
  type Review,
  type ReviewFinding,
} from './review/index';
export { suppressionFixes } from './features/suppressionFixes';
export { clusterSummaries, type ClusterSummary } from './gitops/placement';
export { builtDocuments, type BuiltDocument } from './gitops/builtDocuments';
export { generatePolicyTests, renderGeneratedTests, runPolicyTests, type PolicyTestResult } from './preview/policyTests';
export { POLICY_TEST_CASE_FAILS } from './rules/policytest/caseFails';
export { createFlowReplay, REPLAY_CHANGES, REPLAY_OUTCOMES, type FlowReplay, type ReplayChange, type ReplayClass, type ReplayOutcome, type ReplayReport } from './preview/replay';
export { resolveCluster, type ClusterScope } from './preview/clusterScope';
export { isProbeParseError, parseBpftoolProbe, type ProbeFacts } from './cilium/kernel/bpftoolProbe';
export { parseKernelRelease } from './cilium/kernel/kernelVersion';
// What the server and the CLI use of the effective-policy model, the kernel matrix, charts and parsing.
export { effectivePolicy, listWorkloads, workloadAt } from './preview/effectivePolicy';
export type { EffectivePolicy, SourceRef, WorkloadSummary } from './preview/model';
export { renderEffectivePolicy, renderSimulation } from './preview/render';
export { isSimulateError, simulateRequest, type SimulateQuery, type SimulateResult } from './preview/simulate';
export { relativeDisplay } from './preview/sources';
export { resolveEnd } from './preview/endpoints';
export { connectivityMap, connectivityScopes, isConnectivityError, type ConnectivityEdge, type ConnectivityFlow, type ConnectivityMap, type ConnectivityNode, type ConnectivityQuery } from './preview/connectivity';
export { mapTitle, renderConnectivityMermaid, renderConnectivitySvg } from './preview/connectivityRender';
export { kernelMatrixModel, workspaceKernelReport, type KernelMatrixModel, type WorkspaceKernelReport } from './kernel/matrixModel';
export { releaseKernelReport, renderKernelMatrix, renderKernelReport, withDisplayPaths, type KernelReportFormat } from './kernel/reportText';
export { chartFilesFromTexts, type ChartFetcher, type ChartFiles, type ChartRequest } from './helm/chartFiles';
export { createParsedDocument } from './parse/yamlFile';
export { exceedsUtf8Bytes } from './text/utf8';
