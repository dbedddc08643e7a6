/**
 * Everything that changes what the analysis reports, as one plain object. The
 * language server builds it from `meshlens.*` settings per workspace folder,
 * the CLI from its flags; the core receives it as an argument and never reads
 * settings itself.
 */

export type Severity = 'error' | 'warning' | 'info' | 'hint';
export type SeveritySetting = Severity | 'off';

export interface AnalysisOptions {
  /** Per rule id (or `family/*`): a severity override, or 'off'. */
  rules: Record<string, SeveritySetting>;
  /** Cilium version (`1.16` or `1.16.3`) when no Cilium HelmRelease in the workspace says. */
  ciliumVersion?: string;
  /** Flux release (`2.3` or `v2.3.1`) in use; wins over what the workspace says (gotk-components labels, a FluxInstance). */
  fluxVersion?: string;
  /** Kernel release (`5.15.0-91-generic`) when no NodeProfile covers a file. */
  kernelVersion?: string;
  /** Istio minor version assumed for version-dependent checks (`1.24`). */
  istioVersion?: string;
  /** Istio root namespace (mesh config `rootNamespace`). */
  istioRootNamespace: string;
  /**
   * Report CRD schema findings and offer schema completion. False: another
   * tool validates every kind, and meshlens leaves it the schema (see
   * `defersSchema`).
   */
  schemaValidation: boolean;
  /**
   * Kinds (lower-case names, or `*` for all) whose CRD schema another tool
   * (the Red Hat YAML extension) validates and completes in the file being
   * analysed. The language server sets it per file; for those documents
   * meshlens drops its schema findings, the findings that only restate one,
   * and its schema completion (see `defersSchema`).
   */
  schemaDeferredKinds?: readonly string[];
  /** Files larger than this are skipped with one information diagnostic. */
  maxFileBytes: number;
  /** Base URL of the rule documentation; a rule's page is `${docsBaseUrl}/${id}.md`. */
  docsBaseUrl: string;
  /**
   * Findings in files that no cluster of the repository deploys (see
   * `gitops/placement` `isUndeployed`): `info` lowers errors and warnings to
   * information with a note; `keep` reports them as configured.
   */
  undeployedFiles: 'info' | 'keep';
}

export const DEFAULT_DOCS_BASE_URL = 'https://github.com/meshlens/meshlens/blob/main/docs/rules';

export function defaultAnalysisOptions(overrides: Partial<AnalysisOptions> = {}): AnalysisOptions {
  return {
    rules: {},
    istioRootNamespace: 'istio-system',
    schemaValidation: true,
    maxFileBytes: 2 * 1024 * 1024,
    docsBaseUrl: DEFAULT_DOCS_BASE_URL,
    undeployedFiles: 'info',
    ...overrides,
  };
}

export function resolveSeverity(options: AnalysisOptions, ruleId: string, fallback: Severity): SeveritySetting {
  const exact = options.rules[ruleId];
  if (exact) return exact;
  const family = options.rules[`${ruleId.split('/')[0]}/*`];
  return family ?? fallback;
}

export function severityRank(severity: Severity): number {
  return { error: 3, warning: 2, info: 1, hint: 0 }[severity];
}

/** The API group of meshlens's own kinds: no other tool has their schema, so meshlens never defers it. */
const OWN_GROUP = 'meshlens.dev';

/**
 * True when meshlens leaves the CRD schema of this kind to another tool:
 * schema findings, findings that only restate a schema finding (kept as a
 * hint when they carry a quick-fix), and schema-derived completion items.
 */
export function defersSchema(options: AnalysisOptions, resource: { group: string; kind: string } | undefined): boolean {
  if (!resource || resource.group === OWN_GROUP) return false;
  if (!options.schemaValidation) return true;
  const kinds = options.schemaDeferredKinds;
  return kinds !== undefined && kinds.length > 0 && (kinds.includes('*') || kinds.includes(resource.kind.toLowerCase()));
}
