/**
 * reviewdog's Diagnostic Format as one JSON document (`rdjson`): reviewdog
 * reads it with `-f=rdjson` and posts the findings as review comments, with
 * safe quick-fixes as suggestions.
 *
 * Positions in this format are 1-based lines and 1-based columns counted in
 * UTF-8 bytes, and range ends are exclusive. The report carries UTF-16 columns
 * (as LSP does), so each column is converted with the line's text when the
 * caller can give it; without the text, the UTF-16 column is used (the same for
 * ASCII lines).
 */

import type { Report, ReportedDiagnostic } from './report';

const SEVERITY = { error: 'ERROR', warning: 'WARNING', info: 'INFO', hint: 'INFO' } as const;

/** The text of a 1-based line of a file, as the report names the file. */
export type LineText = (file: string, line: number) => string | undefined;

interface Position {
  line: number;
  column: number;
}

export function formatRdjson(report: Report, lineText: LineText = () => undefined, docsBaseUrl?: string): string {
  const position = (file: string, line: number, column: number): Position => ({ line, column: utf8Column(lineText(file, line), column) });
  const diagnostics = report.diagnostics.map((diagnostic) => ({
    message: diagnostic.message,
    location: {
      path: diagnostic.file,
      range: { start: position(diagnostic.file, diagnostic.line, diagnostic.column), end: position(diagnostic.file, diagnostic.endLine, diagnostic.endColumn) },
    },
    severity: SEVERITY[diagnostic.severity],
    code: { value: diagnostic.rule, url: diagnostic.docsUrl || (docsBaseUrl ? `${docsBaseUrl}/${diagnostic.rule}.md` : undefined) },
    ...suggestions(diagnostic, position),
  }));
  return `${JSON.stringify({ source: { name: 'meshlens', url: 'https://github.com/meshlens/meshlens' }, diagnostics }, null, 2)}\n`;
}

/** Safe fixes whose edits all stay in the diagnostic's own file. */
function suggestions(diagnostic: ReportedDiagnostic, position: (file: string, line: number, column: number) => Position): { suggestions?: unknown[] } {
  const fix = diagnostic.fixes?.find((candidate) => candidate.safe && candidate.edits.every((edit) => edit.displayFile === diagnostic.file));
  if (!fix) return {};
  return {
    suggestions: fix.edits.map((edit) => ({
      range: {
        start: position(diagnostic.file, edit.range.start.line + 1, edit.range.start.character + 1),
        end: position(diagnostic.file, edit.range.end.line + 1, edit.range.end.character + 1),
      },
      text: edit.newText,
    })),
  };
}

/** 1-based UTF-16 column → 1-based UTF-8 byte column. */
export function utf8Column(text: string | undefined, utf16Column: number): number {
  if (text === undefined) return utf16Column;
  const prefix = text.slice(0, Math.max(0, utf16Column - 1));
  return Buffer.byteLength(prefix, 'utf8') + 1 + Math.max(0, utf16Column - 1 - prefix.length);
}
