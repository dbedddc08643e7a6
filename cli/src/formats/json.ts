/** JSON output: `{diagnostics: [...], summary: {...}, skipped?: [{file, reason}]}`, 1-based lines and columns. */

import type { Report } from './report';

export function formatJson(report: Report): string {
  return (
    JSON.stringify(
      {
        diagnostics: report.diagnostics.map(({ file, line, column, endLine, endColumn, severity, rule, message, docsUrl }) => ({
          file,
          line,
          column,
          endLine,
          endColumn,
          severity,
          rule,
          message,
          docsUrl,
        })),
        summary: report.summary,
        ...(report.skipped && report.skipped.length > 0 ? { skipped: report.skipped.map(({ file, reason }) => ({ file, reason })) } : {}),
      },
      null,
      2,
    ) + '\n'
  );
}
