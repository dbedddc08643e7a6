/**
 * Compiler-style text output: `file:line:col: severity rule-id: message`, then
 * a summary line. Paths and messages are escaped (`escapeControl`): only the
 * colours painted here reach the terminal as escape sequences.
 */

import { escapeControl } from './escape';
import { skippedSummaryLine, type Report } from './report';

export function formatText(report: Report, color: boolean): string {
  const paint = (code: string, text: string) => (color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const severityColor = { error: '31;1', warning: '33;1', info: '36', hint: '90' } as const;
  const lines = report.diagnostics.map(
    (diagnostic) =>
      `${paint('1', `${escapeControl(diagnostic.file)}:${diagnostic.line}:${diagnostic.column}`)}: ${paint(severityColor[diagnostic.severity], diagnostic.severity)} ${paint('2', escapeControl(diagnostic.rule))}: ${escapeControl(diagnostic.message)}`,
  );
  const { summary } = report;
  const parts = [
    `${summary.errors} error${summary.errors === 1 ? '' : 's'}`,
    `${summary.warnings} warning${summary.warnings === 1 ? '' : 's'}`,
    `${summary.infos} info`,
  ];
  if (summary.hints > 0) parts.push(`${summary.hints} hint${summary.hints === 1 ? '' : 's'}`);
  lines.push(
    `${report.diagnostics.length > 0 ? '\n' : ''}${parts.join(', ')} in ${summary.filesWithFindings} of ${summary.files} file${summary.files === 1 ? '' : 's'} checked (${summary.durationMs} ms)`,
  );
  const skipped = skippedSummaryLine(report.skipped);
  if (skipped) lines.push(escapeControl(skipped));
  return lines.join('\n') + '\n';
}
