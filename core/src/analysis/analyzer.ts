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
 * worked out once per options value. Resolved positions are kept per
 * document too and moved, not recomputed, when an edit elsewhere in the file
 * only shifted the document.
 *
 * Where the CRD schema of a document's kind is left to another tool
 * (`defersSchema`), findings that restate it (rules with `meta.crdSchema`,
 * and findings that superseded one of theirs) are dropped at the end, or
 * lowered to hints when they carry a quick-fix; rules always run the same,
 * so that choice is per file and never invalidates the caches.
 */

import type { Diagnostic, Fix, Location } from '../diagnostics';
import type { AnalysisOptions } from '../options';
import { defersSchema, resolveSeverity } from '../options';
import type { ParsedDocument } from '../parse/yamlFile';
import { isSuppressed } from '../parse/suppressions';
import { ALL_RULES, ruleById } from '../rules/index';
import type { Anchor, DocRange, RawFinding, Rule } from '../rules/types';
import type { ResourceIdentity } from '../resources/identify';
import type { Dependencies, Workspace, WorkspaceFile } from '../workspace/workspace';
import { isPartialDocument } from '../workspace/kustomizePatches';
import { undeployedNote } from '../gitops/placement';
import { planRules, ruleApplies, runRules, runRulesSteps, type PlannedRule, type RunRulesInput } from './runRules';
import { containedError } from '../util/containedErrors';
import { appendAll } from '../util/appendAll';

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

/** The rules that run on one kind for one options value, split by local / cross-file. */
interface KindRules {
  local: PlannedRule[];
  crossFile: PlannedRule[];
  /** Ids of both lists. */
  ids: ReadonlySet<string>;
}

/** Applicable rules per kind for one options value, split by local / cross-file. */
interface RulePlan {
  optionsKey: string;
  byKind: Map<string | undefined, KindRules>;
  /** The same plans by identity object (no key string per lookup). */
  byIdentity: WeakMap<ResourceIdentity, KindRules>;
}

/**
 * The raw findings the analysis already holds for one document (before
 * suppressions, superseding and severity filters), see `Analyzer.heldFindings`.
 */
export interface HeldFindings {
  local: readonly RawFinding[];
  crossFile: readonly RawFinding[];
  /** Ids of the rules that ran on the document (rules turned off in the options did not). */
  ran: ReadonlySet<string>;
  /** The workspace reads the cross-file findings stand on (the document itself not included). */
  dependencies: Dependencies;
}

const NO_DEPENDENCIES: Dependencies = new Map();

/** Shared by every document without cross-file rules, so its resolved positions can be reused (see `resolvedDocument`). */
const NO_FINDINGS: RawFinding[] = [];
/** A stamp no workspace key ever has (stamps count up from 0): a dependency that is never current. */
const STALE_STAMP = -1;

interface ResolvedDocument {
  /** The findings resolved (same arrays: the local and cross-file caches return them unchanged). */
  local: RawFinding[];
  crossFile: RawFinding[];
  optionsKey: string;
  /** File offset and line of the document's start when `diagnostics` were made. */
  start: number;
  line: number;
  /** True when no own-document location was clamped at the file's end (see `ownRangesFit`). */
  movable: boolean;
  /** True when some location lies in another document (re-resolved on every reuse). */
  anchored: boolean;
  /** True when the document was a kustomize patch (whole-object findings left out). */
  partial: boolean;
  /** The findings behind `diagnostics`, position by position (superseded ones dropped). */
  findings: RawFinding[];
  diagnostics: Diagnostic[];
  /** Position by position: the finding restates the CRD schema (see `restatesSchema`). */
  restating: boolean[];
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
  /** Resolved diagnostics per (file, document index); see `resolvedDocument`. */
  private readonly resolvedCache = new Map<string, Map<number, ResolvedDocument>>();
  private readonly localRules: Rule[];
  private readonly crossFileRules: Rule[];
  private plan: RulePlan | undefined;
  /** `optionsCacheKey` per options object (hosts pass the same object for many requests). */
  private readonly optionsKeys = new WeakMap<AnalysisOptions, string>();

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
    const steps = this.diagnosticsSteps(path, options);
    for (;;) {
      const next = steps.next();
      if (next.done) return next.value;
    }
  }

  /**
   * The same diagnostics as work in steps, one document per step, so a host
   * can answer other requests between the documents of a big file. No
   * dependency tracker is open across a step. A host that lets the workspace
   * change between steps must drop the result (the cache entry it leaves is
   * stamped with the state it started from, so it is never reused).
   */
  *diagnosticsSteps(path: string, options: AnalysisOptions): Generator<void, Diagnostic[], void> {
    const file = this.workspace.getFile(path);
    if (!file) return [];
    const optionsKey = optionsCacheKey(options);
    // Deferring the schema changes only the final filter, so it keys this cache alone.
    const fileKey = `${optionsKey}\u0000${options.schemaValidation}\u0000${options.schemaDeferredKinds?.join(',') ?? ''}`;
    const cached = this.fileCache.get(path);
    if (cached && cached.version === file.version && cached.generation === this.workspace.generation && cached.optionsKey === fileKey) {
      return cached.diagnostics;
    }
    const generation = this.workspace.generation;
    const diagnostics = yield* this.computeDiagnostics(file, options, optionsKey);
    this.fileCache.set(path, { version: file.version, generation, optionsKey: fileKey, diagnostics });
    return diagnostics;
  }

  /** A rule threw: its findings on this document are missing; the sink and the host's hook hear of it. */
  private ruleFailed(ruleId: string, path: string, error: unknown): void {
    containedError(`rule ${ruleId}`, error);
    this.hooks.onRuleError?.(ruleId, path, error);
  }

  forget(path: string): void {
    this.fileCache.delete(path);
    this.crossFileCache.delete(path);
    this.resolvedCache.delete(path);
  }

  /**
   * The raw findings of the rules that ran on the document at (path, index),
   * when the analysis holds them current for `parsed` and these options;
   * undefined otherwise. Computes nothing: a caller that needs findings of
   * some rules (the policy refusals the effective-policy model asks for) reuses
   * them instead of running those rules a second time.
   */
  heldFindings(path: string, index: number, parsed: ParsedDocument, resource: ResourceIdentity | undefined, options: AnalysisOptions): HeldFindings | undefined {
    let optionsKey = this.optionsKeys.get(options);
    if (optionsKey === undefined) this.optionsKeys.set(options, (optionsKey = optionsCacheKey(options)));
    const local = this.localCache.get(parsed);
    if (!local || local.optionsKey !== optionsKey) return undefined;
    const rules = this.rulesFor(resource, options, optionsKey);
    if (rules.crossFile.length === 0) return { local: local.findings, crossFile: NO_FINDINGS, ran: rules.ids, dependencies: NO_DEPENDENCIES };
    const cached = this.crossFileCache.get(path)?.get(index);
    if (!cached || cached.parsed !== parsed || cached.optionsKey !== optionsKey || !this.workspace.isCurrent(cached.dependencies)) return undefined;
    return { local: local.findings, crossFile: cached.findings, ran: rules.ids, dependencies: cached.dependencies };
  }

  private rulesFor(resource: ResourceIdentity | undefined, options: AnalysisOptions, optionsKey: string): KindRules {
    if (!this.plan || this.plan.optionsKey !== optionsKey) this.plan = { optionsKey, byKind: new Map(), byIdentity: new WeakMap() };
    // The workspace keeps a document's identity object while its text is unchanged: look it up first.
    const known = resource ? this.plan.byIdentity.get(resource) : undefined;
    if (known) return known;
    // Applicability depends on the kind and group only (`ruleApplies`); key by both.
    const key = resource ? `${resource.group}/${resource.kind}` : undefined;
    let rules = this.plan.byKind.get(key);
    if (!rules) {
      const select = (list: Rule[]) => planRules(list.filter((rule) => ruleApplies(rule, resource)), options);
      const local = select(this.localRules);
      const crossFile = select(this.crossFileRules);
      rules = { local, crossFile, ids: new Set([...local, ...crossFile].map((planned) => planned.rule.meta.id)) };
      this.plan.byKind.set(key, rules);
    }
    if (resource) this.plan.byIdentity.set(resource, rules);
    return rules;
  }

  /** What the rule runner gets for one document (a rule that throws is logged once by `ruleFailed`). */
  private ruleInput(path: string, index: number, parsed: ParsedDocument, resource: ResourceIdentity | undefined, options: AnalysisOptions, rules: readonly PlannedRule[]): RunRulesInput {
    return { file: path, documentIndex: index, document: parsed, resource, workspace: this.workspace, options, rules, onRuleError: (ruleId, error) => this.ruleFailed(ruleId, path, error) };
  }

  /**
   * The cross-file findings of one document, one rule per step. Each rule runs
   * with its own dependency tracker (a tracker must not stay open across
   * steps: a request answered between two steps would record its reads in
   * it), and the document's dependencies are the union of the rules'. A rule
   * that builds a workspace-wide index on first use (the DNS providers of every
   * CiliumNetworkPolicy, the Helm value findings) is then one step of its own,
   * not one step with every other rule of the document.
   */
  private *crossFileFindings(
    path: string,
    index: number,
    parsed: ParsedDocument,
    resource: ResourceIdentity | undefined,
    options: AnalysisOptions,
    optionsKey: string,
  ): Generator<void, RawFinding[], void> {
    const rules = this.rulesFor(resource, options, optionsKey).crossFile;
    if (rules.length === 0) return NO_FINDINGS;
    let perFile = this.crossFileCache.get(path);
    const cached = perFile?.get(index);
    if (cached && cached.parsed === parsed && cached.optionsKey === optionsKey && this.workspace.isCurrent(cached.dependencies)) {
      return cached.findings;
    }
    const context = this.workspace.documentDependency(path, index);
    const input = this.ruleInput(path, index, parsed, resource, options, rules);
    const dependencies = new Map<string, number>();
    const findings: RawFinding[] = [];
    for (let position = 0; position < rules.length; position++) {
      if (position > 0) yield;
      const { value, dependencies: read } = this.workspace.track(() => runRules({ ...input, rules: [rules[position]!] }), context);
      appendAll(findings, value);
      // A read that two rules made at different stamps (the workspace changed between two steps) can never be current.
      for (const [key, stamp] of read) dependencies.set(key, dependencies.has(key) && dependencies.get(key) !== stamp ? STALE_STAMP : stamp);
    }
    if (!perFile) this.crossFileCache.set(path, (perFile = new Map()));
    perFile.set(index, { parsed, optionsKey, dependencies, findings });
    return findings;
  }

  private *computeDiagnostics(file: WorkspaceFile, options: AnalysisOptions, optionsKey: string): Generator<void, Diagnostic[], void> {
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
    let resolvedPerFile = this.resolvedCache.get(file.path);
    if (!resolvedPerFile) this.resolvedCache.set(file.path, (resolvedPerFile = new Map()));
    for (const index of resolvedPerFile.keys()) if (index >= file.yaml.documents.length) resolvedPerFile.delete(index);
    for (let index = 0; index < file.yaml.documents.length; index++) {
      if (index > 0) yield;
      const document = file.yaml.documents[index];
      const resource = file.identities[index];
      const local = yield* this.localFindings(file.path, index, document.parsed, resource, options, optionsKey);
      const crossFile = yield* this.crossFileFindings(file.path, index, document.parsed, resource, options, optionsKey);
      const partial = isPartialDocument(this.workspace, file.path, document.parsed);
      const all = this.resolvedDocument(file, document.start, resolvedPerFile!, index, local, crossFile, options, optionsKey, partial);
      const resolved = defersSchema(options, resource) ? withoutSchemaRestatements(all, resolvedPerFile!.get(index)?.restating) : all;
      for (const diagnostic of resolved) {
        if (isSuppressed(file.yaml.suppressions, diagnostic.rule, diagnostic.range.start.line)) continue;
        diagnostics.push(diagnostic);
      }
    }
    diagnostics.sort((a, b) => a.start - b.start || a.end - b.end || a.rule.localeCompare(b.rule));
    return options.undeployedFiles === 'info' ? lowerUndeployed(this.workspace, file.path, diagnostics) : diagnostics;
  }

  /**
   * The findings of one document resolved to file positions (before
   * suppression comments apply). When the findings are the same arrays as
   * last time, the previous result is reused, moved by however far the
   * document moved: its text is unchanged and it starts at a line start, so
   * only offsets and line numbers change. Locations in other documents
   * (related information, edits elsewhere) are resolved again, since those
   * documents may have moved on their own. An edit then resolves only the
   * documents it touched.
   */
  private resolvedDocument(
    file: WorkspaceFile,
    documentStart: number,
    perFile: Map<number, ResolvedDocument>,
    index: number,
    local: RawFinding[],
    crossFile: RawFinding[],
    options: AnalysisOptions,
    optionsKey: string,
    partial: boolean,
  ): Diagnostic[] {
    const startPosition = file.yaml.lineIndex.positionAt(documentStart);
    const cached = perFile.get(index);
    if (cached && cached.local === local && cached.crossFile === crossFile && cached.optionsKey === optionsKey && cached.partial === partial && cached.movable && startPosition.character === 0) {
      const offsetDelta = documentStart - cached.start;
      const lineDelta = startPosition.line - cached.line;
      if (offsetDelta === 0 && lineDelta === 0 && !cached.anchored) return cached.diagnostics;
      const moved = cached.diagnostics.map((diagnostic, position) =>
        this.moveDiagnostic(diagnostic, cached.findings[position], file, documentStart, offsetDelta, lineDelta),
      );
      perFile.set(index, { ...cached, start: documentStart, line: startPosition.line, diagnostics: moved });
      return moved;
    }
    const { kept: all, replacedSchema } = dropSuperseded(local.length === 0 ? crossFile : crossFile.length === 0 ? local : [...local, ...crossFile]);
    // Superseded findings go first, so what a whole-object rule replaced stays replaced on a patch.
    const findings = partial ? all.filter((finding) => !ruleById(finding.rule)?.meta.needsWholeObject) : all;
    const restating = findings.map((finding) => ruleById(finding.rule)?.meta.crdSchema === true || replacedSchema.has(finding));
    const diagnostics = findings.map((finding) => this.resolve(file, documentStart, finding, options));
    const room = file.text.length - documentStart;
    const movable = startPosition.character === 0 && findings.every((finding) => ownRangesFit(finding, room));
    const anchored = findings.some(hasAnchors);
    perFile.set(index, { local, crossFile, optionsKey, start: documentStart, line: startPosition.line, movable, anchored, partial, findings, diagnostics, restating });
    return diagnostics;
  }

  /** A resolved diagnostic of a document that moved: own locations shifted, anchors elsewhere resolved again. */
  private moveDiagnostic(diagnostic: Diagnostic, finding: RawFinding, file: WorkspaceFile, documentStart: number, offsetDelta: number, lineDelta: number): Diagnostic {
    const move = <T extends Location>(location: T, anchor: DocRange | Anchor, extra: Omit<T, keyof Location>): T =>
      'file' in anchor ? ({ ...this.anchorLocation(anchor, file, documentStart), ...extra } as T) : moveLocation(location, offsetDelta, lineDelta);
    return {
      ...moveLocation(diagnostic, offsetDelta, lineDelta),
      related: diagnostic.related?.map((related, position) => move(related, finding.related![position].at, { message: related.message })),
      fixes: diagnostic.fixes?.map((fix, fixPosition) => ({
        ...fix,
        edits: fix.edits.map((edit, position) => move(edit, finding.fixes![fixPosition].edits[position].range, { newText: edit.newText })),
      })),
    };
  }

  /** One rule per step (document-local rules run without a tracker, so a host may yield between them). */
  private *localFindings(
    path: string,
    index: number,
    parsed: ParsedDocument,
    resource: WorkspaceFile['identities'][number],
    options: AnalysisOptions,
    optionsKey: string,
  ): Generator<void, RawFinding[], void> {
    const cached = this.localCache.get(parsed);
    if (cached && cached.optionsKey === optionsKey) return cached.findings;
    const findings = yield* runRulesSteps(this.ruleInput(path, index, parsed, resource, options, this.rulesFor(resource, options, optionsKey).local));
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

/**
 * True when the finding's own-document ranges (its range, related locations
 * and fix edits without a `file`) end within `room` characters of the
 * document's start, so none was clamped at the end of the file.
 */
function ownRangesFit(finding: RawFinding, room: number): boolean {
  const fits = (range: DocRange | Anchor) => 'file' in range || (range.start >= 0 && range.end <= room);
  if (!fits(finding.range)) return false;
  if (finding.related?.some((related) => !fits(related.at))) return false;
  if (finding.fixes?.some((fix) => fix.edits.some((edit) => !fits(edit.range)))) return false;
  return true;
}

/** True when a related location or fix edit of the finding lies in another document. */
function hasAnchors(finding: RawFinding): boolean {
  return Boolean(finding.related?.some((related) => 'file' in related.at) || finding.fixes?.some((fix) => fix.edits.some((edit) => 'file' in edit.range)));
}

function moveLocation<T extends Location>(location: T, offsetDelta: number, lineDelta: number): T {
  if (offsetDelta === 0 && lineDelta === 0) return location;
  const { start, end } = location.range;
  return {
    ...location,
    start: location.start + offsetDelta,
    end: location.end + offsetDelta,
    range: { start: { line: start.line + lineDelta, character: start.character }, end: { line: end.line + lineDelta, character: end.character } },
  };
}

/**
 * Removes repeated findings, then findings that another finding supersedes
 * (see RuleMeta.supersedes): at the same range, or at a place the superseding
 * finding names in its `explains` claims (matched by start offset and rule id).
 * `replacedSchema` holds the superseding findings that replaced a finding of
 * a CRD-schema rule: they restate the schema (in better words).
 */
function dropSuperseded(all: RawFinding[]): { kept: RawFinding[]; replacedSchema: ReadonlySet<RawFinding> } {
  const findings = dropRepeated(all);
  const superseding = findings.filter((finding) => ruleById(finding.rule)?.meta.supersedes?.length);
  if (superseding.length === 0) return { kept: findings, replacedSchema: NONE_REPLACED };
  const replacedSchema = new Set<RawFinding>();
  const kept = findings.filter((finding) => {
    const by = superseding.find((other) => {
      if (other === finding) return false;
      if (other.explains?.some((claim) => claim.rule === finding.rule && claim.at.start === finding.range.start)) return true;
      return other.range.start === finding.range.start && other.range.end === finding.range.end && ruleById(other.rule)!.meta.supersedes!.includes(finding.rule);
    });
    if (by && ruleById(finding.rule)?.meta.crdSchema) replacedSchema.add(by);
    return !by;
  });
  return { kept, replacedSchema };
}

const NONE_REPLACED: ReadonlySet<RawFinding> = new Set();

/**
 * A document whose CRD schema another tool validates: findings that restate
 * the schema go, except that one with a quick-fix stays as a hint (out of the
 * Problems panel, the fix still in the light bulb).
 */
function withoutSchemaRestatements(diagnostics: Diagnostic[], restating: readonly boolean[] | undefined): Diagnostic[] {
  if (!restating || !restating.includes(true)) return diagnostics;
  return diagnostics.flatMap((diagnostic, position) => {
    if (!restating[position]) return [diagnostic];
    return diagnostic.fixes?.length ? [{ ...diagnostic, severity: 'hint' as const }] : [];
  });
}

/**
 * Drops a finding that repeats an earlier one exactly (rule, range, message):
 * content a `<<` merge key brings into several maps is checked in each of
 * them, and lands on the same anchor text each time.
 */
function dropRepeated(findings: RawFinding[]): RawFinding[] {
  if (findings.length < 2) return findings;
  const seen = new Set<string>();
  const kept = findings.filter((finding) => {
    const key = `${finding.rule}\u0000${finding.range.start}\u0000${finding.range.end}\u0000${finding.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return kept.length === findings.length ? findings : kept;
}

export function docsUrl(options: AnalysisOptions, ruleId: string): string {
  return `${options.docsBaseUrl}/${ruleId.replace('/', '/')}.md`;
}

/** What rules see of the options: schema deferral only filters results (see `withoutSchemaRestatements`). */
function optionsCacheKey(options: AnalysisOptions): string {
  const { schemaValidation: _validation, schemaDeferredKinds: _deferred, ...shared } = options;
  return JSON.stringify(shared);
}

/** Errors and warnings of a file no cluster deploys, lowered to information with a note (see `AnalysisOptions.undeployedFiles`). */
function lowerUndeployed(workspace: Workspace, file: string, diagnostics: Diagnostic[]): Diagnostic[] {
  if (!diagnostics.some((diagnostic) => diagnostic.severity === 'error' || diagnostic.severity === 'warning')) return diagnostics;
  const note = undeployedNote(workspace, file);
  if (!note) return diagnostics;
  return diagnostics.map((diagnostic) =>
    diagnostic.severity === 'error' || diagnostic.severity === 'warning' ? { ...diagnostic, severity: 'info', message: `${diagnostic.message} [${note}]` } : diagnostic,
  );
}
