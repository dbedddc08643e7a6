/**
 * The CLI's result model shared by every output format: diagnostics with the
 * display path and 1-based positions, plus a summary.
 */

import type { Diagnostic, Severity } from '../../../core/src/index';

export interface ReportedDiagnostic {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: Severity;
  rule: string;
  message: string;
  docsUrl: string;
  fixes?: ReportedFix[];
}

export interface ReportedFix {
  title: string;
  safe: boolean;
  edits: (NonNullable<Diagnostic['fixes']>[number]['edits'][number] & { displayFile: string })[];
}

export interface Summary {
  files: number;
  filesWithFindings: number;
  errors: number;
  warnings: number;
  infos: number;
  hints: number;
  durationMs: number;
}

export interface Report {
  diagnostics: ReportedDiagnostic[];
  summary: Summary;
  /** Paths the CLI did not check, with why (every skip is reported: text summary line, JSON list, SARIF notifications). */
  skipped?: SkippedPath[];
}

/** A file or folder not checked: unreadable, a symbolic link, a special file, outside the workspace, … */
export interface SkippedPath {
  /** The path as the user gave or would recognise it. */
  file: string;
  reason: string;
}

/** From the file collector's and confined reader's entries (`{display, reason}`). */
export function toSkippedPaths(entries: readonly { display: string; reason: string }[]): SkippedPath[] {
  return entries.map((entry) => ({ file: entry.display, reason: entry.reason }));
}

/** One line for text output: how many paths were not checked, by reason; undefined when none. */
export function skippedSummaryLine(skipped: readonly SkippedPath[] | undefined): string | undefined {
  if (!skipped || skipped.length === 0) return undefined;
  const byReason = new Map<string, number>();
  for (const entry of skipped) byReason.set(entry.reason, (byReason.get(entry.reason) ?? 0) + 1);
  const reasons = [...byReason].map(([reason, count]) => (count > 1 ? `${reason} ×${count}` : reason)).join('; ');
  const noun = skipped.length === 1 ? 'path' : 'paths';
  return `${skipped.length} ${noun} not checked: ${reasons} (--format json lists them)`;
}

export function toReported(diagnostic: Diagnostic, display: string, displayOf: (key: string) => string): ReportedDiagnostic {
  return {
    file: display,
    line: diagnostic.range.start.line + 1,
    column: diagnostic.range.start.character + 1,
    endLine: diagnostic.range.end.line + 1,
    endColumn: diagnostic.range.end.character + 1,
    severity: diagnostic.severity,
    rule: diagnostic.rule,
    message: diagnostic.message,
    docsUrl: diagnostic.docsUrl,
    fixes: diagnostic.fixes?.map((fix) => ({
      title: fix.title,
      safe: fix.safe,
      edits: fix.edits.map((edit) => ({ ...edit, displayFile: displayOf(edit.file) })),
    })),
  };
}

export function summarize(diagnostics: readonly ReportedDiagnostic[], files: number, durationMs: number): Summary {
  const count = (severity: Severity) => diagnostics.filter((diagnostic) => diagnostic.severity === severity).length;
  return {
    files,
    filesWithFindings: new Set(diagnostics.map((diagnostic) => diagnostic.file)).size,
    errors: count('error'),
    warnings: count('warning'),
    infos: count('info'),
    hints: count('hint'),
    durationMs: Math.round(durationMs),
  };
}
