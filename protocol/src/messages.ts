/**
 * The meshlens messages between the VS Code client and the language server,
 * beyond LSP itself: each method name once, with its parameters and its
 * answer. Both sides import this module, so a renamed field or method is a
 * type error on both at once instead of a silent `undefined` at run time.
 *
 * Invariants: no imports but types (the client bundle stays free of the
 * core's code; the server bundle of the client's); answers that can fail
 * carry `{ error }` instead of throwing, so the client can show the reason.
 */

import type {
  ConnectivityMap,
  ConnectivityQuery,
  EffectivePolicy,
  FileStatus,
  KernelMatrixModel,
  SimulateQuery,
  SimulateResult,
  WorkloadSummary,
  WorkspaceKernelReport,
} from '../../core/src/index';

/** `meshlens/workloads` (no params): the workloads the repository deploys, for pickers. */
export const WORKLOADS_REQUEST = 'meshlens/workloads';
export type WorkloadsResponse = WorkloadSummary[];

/** `meshlens/effectivePolicy`: by workload id, or the workload at a position in a file. */
export const EFFECTIVE_POLICY_REQUEST = 'meshlens/effectivePolicy';
export interface EffectivePolicyParams {
  workload?: string;
  uri?: string;
  position?: { line: number; character: number };
}
export type EffectivePolicyResponse = { workload: string; model: EffectivePolicy; markdown: string } | { error: string };

/** `meshlens/simulate`: one request through every enforcement point. */
export const SIMULATE_REQUEST = 'meshlens/simulate';
export type SimulateParams = SimulateQuery;
export type SimulateResponse = (SimulateResult & { markdown: string }) | { error: string };

/** `meshlens/connectivityMap`: the map of a namespace or cluster (the whole workspace without either) and its SVG. */
export const CONNECTIVITY_MAP_REQUEST = 'meshlens/connectivityMap';
export type ConnectivityMapParams = ConnectivityQuery;
export type ConnectivityMapResponse = { map: ConnectivityMap; svg: string; title: string } | { error: string };

/** `meshlens/connectivityScopes` (no params): the namespaces with workloads and the clusters a map can be drawn for. */
export const CONNECTIVITY_SCOPES_REQUEST = 'meshlens/connectivityScopes';
export interface ConnectivityScopesResponse {
  namespaces: string[];
  clusters: string[];
}

/** `meshlens/compareWithRevision`: the policy review of the workspace against a git revision. */
export const COMPARE_REQUEST = 'meshlens/compareWithRevision';
export interface CompareParams {
  ref?: unknown;
}
export type CompareResponse = { markdown: string; base: string; head: string } | { error: string };

/** `meshlens/upgradeReport`: what an upgrade of one component would change (one target per request). */
export const UPGRADE_REQUEST = 'meshlens/upgradeReport';
export interface UpgradeParams {
  cilium?: unknown;
  istio?: unknown;
  flux?: unknown;
  kernel?: unknown;
}
export type UpgradeResponse = { markdown: string } | { error: string };

/** `meshlens/kernelMatrix`: one Cilium version's matrix (with `cilium`), else the workspace's kernel report. */
export const KERNEL_MATRIX_REQUEST = 'meshlens/kernelMatrix';
export interface KernelMatrixParams {
  cilium?: string;
  kernel?: string;
  values?: unknown;
  uri?: string;
}
export type KernelMatrixResponse = KernelMatrixModel | WorkspaceKernelReport;

/**
 * `meshlens/kernelReport`: the kernel report view's Markdown. `{ file, document }` (the workspace file key and
 * document index the kernel CodeLens passes) names one HelmRelease; `{ uri }` the Cilium releases of one file
 * (the whole workspace when that file holds none); no params the whole workspace.
 */
export const KERNEL_REPORT_REQUEST = 'meshlens/kernelReport';
export interface KernelReportParams {
  file?: unknown;
  document?: unknown;
  uri?: unknown;
}
export type KernelReportResponse = { markdown: string; title: string } | { error: string };

/** `meshlens/status`: the Cilium version and kernel pools a file is judged against (the status bar). */
export const STATUS_REQUEST = 'meshlens/status';
export interface StatusParams {
  uri: string;
}
export type StatusResponse = FileStatus & { text: string };

/** Server → client notification: the model changed (scan done, a file changed); views that show it refresh. */
export const MODEL_CHANGED_NOTIFICATION = 'meshlens/modelChanged';

/** Client → server notification: the workspace trust changed. */
export const TRUST_CHANGED_NOTIFICATION = 'meshlens/trustChanged';
export interface TrustChangedParams {
  trusted?: unknown;
}

/** Client → server notification: what the client sees of the Red Hat YAML extension changed (null: not active). */
export const YAML_EXTENSION_CHANGED_NOTIFICATION = 'meshlens/yamlExtension';

/** What the client sees of redhat.vscode-yaml (null/absent: not installed or not active). */
export interface YamlExtensionReport {
  /** `yaml.validate` */
  validate: boolean;
  /** `yaml.completion` */
  completion: boolean;
  /** `yaml.hover` */
  hover: boolean;
  /** `yaml.kubernetesCRDStore.enable` */
  crdStore: boolean;
  /** `yaml.schemas`: schema URL or path (or `kubernetes`) → globs. */
  schemas: { schema: string; globs: string[] }[];
}

/**
 * Server → client, browser build only: a web worker has no file system, so the client lists and reads the
 * workspace through the VS Code workspace API (`workspace.findFiles`, `workspace.fs`).
 * `meshlens/workspaceFiles` → the URIs of every `.yaml`/`.yml` file of the workspace (dependency folders left out).
 */
export const WORKSPACE_FILES_REQUEST = 'meshlens/workspaceFiles';
export interface WorkspaceFilesParams {
  /** Glob of folders the search leaves out (the walk's skipped directories). */
  excludeGlob: string;
}
export interface WorkspaceFilesResult {
  uris: string[];
}

/** Server → client, browser build only: `meshlens/readFile` → a workspace file's text, or why not. */
export const READ_FILE_REQUEST = 'meshlens/readFile';
export interface ReadFileParams {
  uri: string;
  /** A larger file is returned only up to `maxBytes + 1` bytes, so the core can say it is too large. */
  maxBytes: number;
}
export type ReadFileResult = { text: string } | { refused: string };
