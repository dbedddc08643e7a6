/**
 * The analysis engine over a `Workspace`: runs every applicable rule on every
 * document of a file and resolves findings to file positions, honouring
 * severity settings and suppression comments.
 *
 * Document-local rules are cached per parsed document (by its text) and
 * options. Cross-file rules are cached per (file, document index) with the
 * workspace reads they made (`Workspace.track`): after an edit they re-run
 * only for documents whose recorded reads would now return something else.
 * The rules that apply to a kind, and their configured severities, are
 * worked out once per options value.
 */

import type { Diagnostic, Fix, Location } from '../diagnostics';
import type { AnalysisOptions } from '../options';
import { resolveSeverity } from '../options';
import type { ParsedDocument } from '../parse/yamlFile';
import { isSuppressed } from '../parse/suppressions';
import { ALL_RULES, ruleById } from '../rules/index';
import type { Anchor, DocRange, RawFinding, Rule } from '../rules/types';
import type { ResourceIdentity } from '../resources/identify';
import type { Dependencies, Workspace, WorkspaceFile } from '../workspace/workspace';
import { planRules, ruleApplies, runRules, type PlannedRule } from './runRules';

export interface AnalyzerHooks {
  /** Called when a rule throws; the analysis goes on without that rule's findings. */
  onRuleError?: (ruleId: string, file: string, error: unknown) => void;
}

interface CrossFileCacheEntry {
  parsed: ParsedDocument;
  optionsKey: string;
  dependencies: Dependencies;
  findings: RawFinding[];
}

/** Applicable rules per kind for one options value, split by local / cross-file. */
interface RulePlan {
  optionsKey: string;
  byKind: Map<string | undefined, { local: PlannedRule[]; crossFile: PlannedRule[] }>;
}

interface FileCacheEntry {
  version: number;
  generation: number;
  optionsKey: string;
  diagnostics: Diagnostic[];
}

export class Analyzer {
  private readonly localCache = new WeakMap<ParsedDocument, { optionsKey: string; findings: RawFinding[] }>();
  private readonly fileCache = new Map<string, FileCacheEntry>();
  private readonly crossFileCache = new Map<string, Map<number, CrossFileCacheEntry>>();
  private readonly localRules: Rule[];
  private readonly crossFileRules: Rule[];
  private plan: RulePlan | undefined;

  constructor(
    readonly workspace: Workspace,
    private readonly hooks: AnalyzerHooks = {},
    rules: readonly Rule[] = ALL_RULES,
  ) {
    this.localRules = rules.filter((rule) => !rule.meta.crossFile);
    this.crossFileRules = rules.filter((rule) => rule.meta.crossFile);
  }

  /** Diagnostics for one file, computed at most once per (file version, generation, options). */
  diagnostics(path: string, options: AnalysisOptions): Diagnostic[] {
    const file = this.workspace.getFile(path);
    if (!file) return [];
    const optionsKey = optionsCacheKey(options);
    const cached = this.fileCache.get(path);
    if (cached && cached.version === file.version && cached.generation === this.workspace.generation && cached.optionsKey === optionsKey) {
      return cached.diagnostics;
    }
    const diagnostics = this.computeDiagnostics(file, options, optionsKey);
    this.fileCache.set(path, { version: file.version, generation: this.workspace.generation, optionsKey, diagnostics });
    return diagnostics;
  }

  forget(path: string): void {
    this.fileCache.delete(path);
    this.crossFileCache.delete(path);
  }

  private rulesFor(resource: ResourceIdentity | undefined, options: AnalysisOptions, optionsKey: string): { local: PlannedRule[]; crossFile: PlannedRule[] } {
    if (!this.plan || this.plan.optionsKey !== optionsKey) this.plan = { optionsKey, byKind: new Map() };
    // Applicability depends on the kind and group only (`ruleApplies`); key by both.
    const key = resource ? `${resource.group}/${resource.kind}` : undefined;
    let rules = this.plan.byKind.get(key);
    if (!rules) {
      const select = (list: Rule[]) => planRules(list.filter((rule) => ruleApplies(rule, resource)), options);
      rules = { local: select(this.localRules), crossFile: select(this.crossFileRules) };
      this.plan.byKind.set(key, rules);
    }
    return rules;
  }

  private crossFileFindings(
    path: string,
    index: number,
    parsed: ParsedDocument,
    resource: ResourceIdentity | undefined,
    options: AnalysisOptions,
    optionsKey: string,
  ): RawFinding[] {
    const rules = this.rulesFor(resource, options, optionsKey).crossFile;
    if (rules.length === 0) return [];
    let perFile = this.crossFileCache.get(path);
    const cached = perFile?.get(index);
    if (cached && cached.parsed === parsed && cached.optionsKey === optionsKey && this.workspace.isCurrent(cached.dependencies)) {
      return cached.findings;
    }
    const { value: findings, dependencies } = this.workspace.track(() =>
      runRules({
        file: path,
        documentIndex: index,
        document: parsed,
        resource,
        workspace: this.workspace,
        options,
        rules,
        onRuleError: (ruleId, error) => this.hooks.onRuleError?.(ruleId, path, error),
      }),
      this.workspace.documentDependency(path, index),
    );
    if (!perFile) this.crossFileCache.set(path, (perFile = new Map()));
    perFile.set(index, { parsed, optionsKey, dependencies, findings });
    return findings;
  }

  private computeDiagnostics(file: WorkspaceFile, options: AnalysisOptions, optionsKey: string): Diagnostic[] {
    const diagnostics: Diagnostic[] = [];
    if (file.yaml.skipped) {
      const rule = ruleById('yaml/file-skipped');
      const severity = resolveSeverity(options, 'yaml/file-skipped', file.yaml.skipped.code === 'file/template' ? 'hint' : 'info');
      if (rule && severity !== 'off') {
        diagnostics.push({
          ...this.location(file, { start: 0, end: Math.min(file.text.length, file.yaml.lineIndex.lineEndOffset(0)) }, 0),
          severity,
          rule: rule.meta.id,
          message: file.yaml.skipped.reason,
          docsUrl: docsUrl(options, rule.meta.id),
        });
      }
      return diagnostics;
    }
    const perFile = this.crossFileCache.get(file.path);
    if (perFile) for (const index of perFile.keys()) if (index >= file.yaml.documents.length) perFile.delete(index);
    file.yaml.documents.forEach((document, index) => {
      const resource = file.identities[index];
      const findings = [
        ...this.localFindings(file.path, index, document.parsed, resource, options, optionsKey),
        ...this.crossFileFindings(file.path, index, document.parsed, resource, options, optionsKey),
      ];
      for (const finding of dropSuperseded(findings)) {
        const start = document.start + finding.range.start;
        const line = file.yaml.lineIndex.positionAt(start).line;
        if (isSuppressed(file.yaml.suppressions, finding.rule, line)) continue;
        diagnostics.push(this.resolve(file, document.start, finding, options));
      }
    });
    diagnostics.sort((a, b) => a.start - b.start || a.end - b.end || a.rule.localeCompare(b.rule));
    return diagnostics;
  }

  private localFindings(
    path: string,
    index: number,
    parsed: ParsedDocument,
    resource: WorkspaceFile['identities'][number],
    options: AnalysisOptions,
    optionsKey: string,
  ): RawFinding[] {
    const cached = this.localCache.get(parsed);
    if (cached && cached.optionsKey === optionsKey) return cached.findings;
    const findings = runRules({
      file: path,
      documentIndex: index,
      document: parsed,
      resource,
      workspace: this.workspace,
      options,
      rules: this.rulesFor(resource, options, optionsKey).local,
      onRuleError: (ruleId, error) => this.hooks.onRuleError?.(ruleId, path, error),
    });
    // Local findings must not depend on the file or document index: they are shared
    // by every document with the same text.
    this.localCache.set(parsed, { optionsKey, findings });
    return findings;
  }

  private resolve(file: WorkspaceFile, documentStart: number, finding: RawFinding, options: AnalysisOptions): Diagnostic {
    const rule = ruleById(finding.rule);
    return {
      ...this.location(file, finding.range, documentStart),
      severity: finding.severity,
      rule: finding.rule,
      message: finding.message,
      docsUrl: docsUrl(options, finding.rule),
      related: finding.related?.map((related) => ({ ...this.anchorLocation(related.at, file, documentStart), message: related.message })),
      fixes: finding.fixes?.map(
        (fix): Fix => ({
          title: fix.title,
          safe: fix.safe,
          preferred: fix.preferred,
          edits: fix.edits.map((edit) => ({ ...this.anchorLocation(edit.range, file, documentStart), newText: edit.newText })),
        }),
      ),
      tags: rule?.meta.tags,
    };
  }

  /** Resolves a document-relative range (or an anchor in another document) to a file location. */
  private anchorLocation(range: DocRange | Anchor, file: WorkspaceFile, documentStart: number): Location {
    if (!('file' in range)) return this.location(file, range, documentStart);
    const target = this.workspace.getFile(range.file);
    if (!target) {
      const position = { line: 0, character: 0 };
      return { file: range.file, start: range.start, end: range.end, range: { start: position, end: position } };
    }
    const document = range.document >= 0 ? target.yaml.documents[range.document] : undefined;
    return this.location(target, range, document ? document.start : 0);
  }

  private location(file: WorkspaceFile, range: DocRange, documentStart: number): Location {
    const start = Math.min(file.text.length, documentStart + range.start);
    const end = Math.min(file.text.length, Math.max(start, documentStart + range.end));
    return {
      file: file.path,
      start,
      end,
      range: { start: file.yaml.lineIndex.positionAt(start), end: file.yaml.lineIndex.positionAt(end) },
    };
  }
}

/** Removes findings that another finding at the same range supersedes (see RuleMeta.supersedes). */
function dropSuperseded(findings: RawFinding[]): RawFinding[] {
  const superseding = findings.filter((finding) => ruleById(finding.rule)?.meta.supersedes?.length);
  if (superseding.length === 0) return findings;
  return findings.filter(
    (finding) =>
      !superseding.some(
        (other) =>
          other !== finding &&
          other.range.start === finding.range.start &&
          other.range.end === finding.range.end &&
          ruleById(other.rule)!.meta.supersedes!.includes(finding.rule),
      ),
  );
}

export function docsUrl(options: AnalysisOptions, ruleId: string): string {
  return `${options.docsBaseUrl}/${ruleId.replace('/', '/')}.md`;
}

function optionsCacheKey(options: AnalysisOptions): string {
  return JSON.stringify(options);
}
