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
