/**
 * The facade of the core: one object per workspace that the language server
 * and the CLI drive. It owns the workspace model and the analyzer, and exposes
 * every feature as a function of (file, offset, options). No IO happens here;
 * the host reads referenced files on request.
 */

import { policyRefusalSource } from './analysis/policyRefusals';
import { Analyzer, type AnalyzerHooks } from './analysis/analyzer';
import type { Diagnostic } from './diagnostics';
import { codeActions, type CodeAction } from './features/codeActions';
import { codeLenses, codeLensSteps, type CodeLensItem, type CodeLensSteps } from './features/codeLens';
import { complete, type CompletionItem } from './features/completion';
import { hover, type HoverResult } from './features/hover';
import { fileStatus, type FileStatus } from './features/status';
import type { AnalysisOptions } from './options';
import { effectiveModels, type ReviewFinding } from './review/index';
import { Workspace, type WorkspaceHost, type WorkspaceView } from './workspace/workspace';

export interface ServiceOptions {
  host?: WorkspaceHost;
  roots?: string[];
  hooks?: AnalyzerHooks;
  maxFileBytes?: () => number;
}

export class MeshlensService {
  /** Read-only: the workspace the core functions of the facade take; changes go through the service (`setFile`, `removeFile`, `setRoots`, `chartsChanged`). */
  readonly workspace: WorkspaceView;
  readonly #workspace: Workspace;
  readonly #analyzer: Analyzer;

  constructor(options: ServiceOptions = {}) {
    const maxFileBytes = options.maxFileBytes ?? (() => 2 * 1024 * 1024);
    const workspace = new Workspace(options.host, options.roots ?? [], () => ({ maxFileBytes: maxFileBytes() }));
    // The effective-policy model leaves out policies the agent or the API server refuses; the rules say which.
    // What the diagnostics already found is reused (`Analyzer.heldFindings`) rather than running those rules again.
    const analyzer = new Analyzer(workspace, options.hooks);
    workspace.setPolicyRefusalSource(policyRefusalSource(workspace, (file, index, parsed, resource, options) => analyzer.heldFindings(file, index, parsed, resource, options)));
    this.#workspace = workspace;
    this.workspace = workspace;
    this.#analyzer = analyzer;
  }

  /** The host's chart downloader fetched or dropped charts: what depends on chart files is computed again. */
  chartsChanged(): void {
    this.#workspace.chartsChanged();
  }

  /** Referenced files the host could not give synchronously have arrived: what read them is re-computed. */
  hostFilesChanged(): void {
    this.#workspace.hostFilesChanged();
  }

  /** The workspace folders: reads are confined to them (the host's folders changed, e.g. a folder was added). */
  setRoots(roots: readonly string[]): void {
    this.#workspace.roots = [...roots];
  }

  roots(): readonly string[] {
    return this.#workspace.roots;
  }

  setFile(path: string, text: string): boolean {
    return this.#workspace.setFile(path, text);
  }

  removeFile(path: string): boolean {
    this.#analyzer.forget(path);
    return this.#workspace.removeFile(path);
  }

  diagnostics(path: string, options: AnalysisOptions): Diagnostic[] {
    return this.#analyzer.diagnostics(path, options);
  }

  /** The same diagnostics as work in steps (one document per step); see `Analyzer.diagnosticsSteps`. */
  diagnosticsSteps(path: string, options: AnalysisOptions): Generator<void, Diagnostic[], void> {
    return this.#analyzer.diagnosticsSteps(path, options);
  }

  hover(path: string, offset: number, options: AnalysisOptions): HoverResult | undefined {
    return hover(this.#workspace, path, offset, options);
  }

  completions(path: string, offset: number, options: AnalysisOptions): CompletionItem[] {
    return complete(this.#workspace, path, offset, options);
  }

  status(path: string, options: AnalysisOptions): FileStatus {
    return fileStatus(this.#workspace, path, options);
  }

  codeLenses(path: string, options: AnalysisOptions): CodeLensItem[] {
    return codeLenses(this.#workspace, path, options);
  }

  /** The same lenses as work in steps, for hosts that answer other requests or stop between steps. */
  codeLensSteps(path: string, options: AnalysisOptions): CodeLensSteps {
    return codeLensSteps(this.#workspace, path, options);
  }

  /**
   * One revision as a review compares it (`meshlens diff`, the editor's
   * compare command): the findings of `files` with paths shown through
   * `display` (repository-relative), and the effective policy of every
   * workload.
   */
  reviewSnapshot(files: readonly string[], display: (file: string) => string, options: AnalysisOptions): { findings: ReviewFinding[]; models: ReturnType<typeof effectiveModels> } {
    const findings: ReviewFinding[] = [];
    for (const file of files) {
      const shown = display(file);
      for (const diagnostic of this.diagnostics(file, options)) {
        findings.push({
          file: shown,
          rule: diagnostic.rule,
          message: diagnostic.message,
          severity: diagnostic.severity,
          line: diagnostic.range.start.line + 1,
          column: diagnostic.range.start.character + 1,
          ...(diagnostic.fixes?.length ? { fix: diagnostic.fixes[0].title } : {}),
        });
      }
    }
    return { findings, models: effectiveModels(this.#workspace, options) };
  }

  codeActions(path: string, start: number, end: number, options: AnalysisOptions): CodeAction[] {
    return codeActions(this.diagnostics(path, options), start, end);
  }
}
