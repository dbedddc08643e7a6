/**
 * The contract between the analysis engine and every check. A rule is a
 * module exporting `meta` (its id, default severity, docs and fix) and
 * `check`, listed once in `rules/index.ts`.
 *
 * Offsets a rule reports are relative to the document it checks, so results
 * stay valid when an edit elsewhere moves the document; the engine turns them
 * into file positions at the edge.
 */

import type { AnalysisOptions, Severity } from '../options';
import type { YamlNode } from '../parse/ast';
import type { ParsedDocument } from '../parse/yamlFile';
import type { ResourceIdentity } from '../resources/identify';
import type { WorkspaceModel } from '../workspace/model';

export type { Anchor, DocRange, RelatedInfo, RuleEdit, RuleFix } from '../findings';
import type { DocRange, RelatedInfo, RuleFix } from '../findings';

export interface RuleDocs {
  /** One sentence: what the rule finds. */
  summary: string;
  /** Why it matters: what the agent, webhook or controller does with such a manifest. */
  why: string;
  /** A small YAML example that triggers the rule. */
  bad?: string;
  /** The same example, corrected. */
  good?: string;
  /** Where the fact comes from (project, file or doc page), for reviewers. */
  source?: string;
  /**
   * Workspace-relative path the docs check gives the examples (default
   * `example.yaml`), for rules that read the file's place in the repository.
   */
  exampleFile?: string;
  /** Analysis options the docs check uses for the examples (e.g. a Cilium version). */
  exampleOptions?: Record<string, unknown>;
  /**
   * Other workspace files the examples need (workspace-relative path → text):
   * YAML files join the workspace, others (chart schemas, probes) are read
   * through the host. Shown in the docs as the context of the example.
   */
  exampleContext?: Readonly<Record<string, string>>;
}

export interface RuleMeta {
  /** `family/kebab-name`, e.g. `cnp/l7-requires-tcp`. */
  id: string;
  severity: Severity;
  /** Short description (SARIF shortDescription, docs title). */
  title: string;
  /** Kind names the rule checks; omitted = every document it is given (see `anyDocument`). */
  kinds?: readonly string[];
  /** Also run on documents that are not identified as our resources (YAML-level rules). */
  anyDocument?: boolean;
  /** Reads other documents through the workspace model; re-run when the model changes. */
  crossFile?: boolean;
  docs: RuleDocs;
  /**
   * The rule can offer a fix (availability). `safe` summarises the safety of
   * the fixes it emits, each of which carries its own `RuleFix.safe`: `true`
   * when all are safe, `false` when none is, `'varies'` when it depends on the
   * finding. The fixture harness checks this against the emitted fixes.
   */
  fix?: { title: string; safe: boolean | 'varies' };
  /**
   * Rule ids whose findings this rule's finding replaces (a semantic rule that
   * explains better what a generic schema rule says): at the same range, or
   * where the finding says so with `ReportExtra.explains`.
   */
  supersedes?: readonly string[];
  /**
   * The check is about a whole object (a required field, a section that must
   * exist): not reported on kustomize patches, which are partial by design
   * (see `workspace/kustomizePatches.ts`).
   */
  needsWholeObject?: boolean;
  /** Diagnostic tags for editors. */
  tags?: ('unnecessary' | 'deprecated')[];
  /**
   * The rule reports what the CRD's own schema says: another tool that
   * validates the kind with that schema reports it too, so it is left to
   * that tool (see `defersSchema` in `options.ts`).
   */
  crdSchema?: true;
  /**
   * Some findings of this rule mean the policy is refused as a whole (they
   * carry `ReportExtra.refused`): the effective-policy model then treats the
   * policy as not in force. Only such rules are run to decide that.
   */
  mayRefusePolicy?: boolean;
  /**
   * Every finding of this rule means the policy is refused as a whole, by
   * whom (e.g. istiod's validating webhook, answering for the API server):
   * its findings count as `refused` without saying so one by one.
   */
  refusesPolicy?: 'agent' | 'api-server';
}

export interface ReportExtra {
  fixes?: RuleFix[];
  related?: RelatedInfo[];
  /** Overrides the rule's default severity for this finding (still subject to settings). */
  severity?: Severity;
  /**
   * Generic findings this one explains, wherever they sit in the document: a
   * finding of `rule` (which must be listed in `meta.supersedes`) that starts
   * where `at` starts is dropped (one mistake, one finding).
   */
  explains?: { rule: string; at: DocRange }[];
  /**
   * Who refuses the whole policy because of this finding: the Cilium agent
   * (it never imports part of a policy) or the API server (the object is not
   * stored). The effective-policy model treats such a policy as not in force.
   */
  refused?: 'agent' | 'api-server';
}

/**
 * What a document-local rule sees: its document and the options, nothing of
 * other files. Its findings are cached per document text and options, and
 * shared by every document with that text wherever it is, so it must not read
 * anything else nor say where it is: the type leaves out the workspace and
 * the file and document index (a finding names places in its own document by
 * `DocRange`, without `file`), and the engine passes none of them.
 */
export interface LocalRuleContext {
  readonly document: ParsedDocument;
  readonly root: YamlNode | undefined;
  readonly resource: ResourceIdentity | undefined;
  readonly options: AnalysisOptions;
  report(target: YamlNode | DocRange, message: string, extra?: ReportExtra): void;
}

/** How a rule words one fact its engine computed (the `helm/*` and `kernel/*` rules). */
export interface FactReport {
  message: string;
  severity: Severity;
  fixes?: RuleFix[];
}

/** What a cross-file rule sees: also where its document is and the workspace; it runs again whenever what it read changes. */
export interface RuleContext extends LocalRuleContext {
  readonly file: string;
  readonly documentIndex: number;
  readonly workspace: WorkspaceModel;
}

/** A rule that reads only its own document. */
export interface LocalRule {
  meta: RuleMeta & { crossFile?: false };
  check(context: LocalRuleContext): void;
}

/** A rule that reads other documents through the workspace model. */
export interface CrossFileRule {
  meta: RuleMeta & { crossFile: true };
  check(context: RuleContext): void;
}

export type Rule = LocalRule | CrossFileRule;

export function isCrossFileRule(rule: Rule): rule is CrossFileRule {
  return rule.meta.crossFile === true;
}

/** A finding as the engine records it, before positions are resolved. */
export interface RawFinding {
  rule: string;
  severity: Severity;
  message: string;
  range: DocRange;
  fixes?: RuleFix[];
  related?: RelatedInfo[];
  /** Other findings this one explains (see `ReportExtra.explains`). */
  explains?: { rule: string; at: DocRange }[];
  /** See `ReportExtra.refused`. */
  refused?: 'agent' | 'api-server';
}
