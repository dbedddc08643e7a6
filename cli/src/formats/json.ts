/** JSON output: `{diagnostics: [...], summary: {...}}`, 1-based lines and columns. */

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
      },
      null,
      2,
    ) + '\n'
  );
}
