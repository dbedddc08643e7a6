/**
 * GitHub Actions workflow commands (`::error file=…,line=…,col=…::message`),
 * which show findings as annotations on the pull request's changed lines.
 */

import type { Report } from './report';

const LEVEL = { error: 'error', warning: 'warning', info: 'notice', hint: 'notice' } as const;

export function formatGithub(report: Report): string {
  const lines = report.diagnostics.map((diagnostic) => {
    const properties = [
      `file=${escapeProperty(diagnostic.file)}`,
      `line=${diagnostic.line}`,
      `col=${diagnostic.column}`,
      `endLine=${diagnostic.endLine}`,
      `endColumn=${diagnostic.endColumn}`,
      `title=${escapeProperty(`meshlens ${diagnostic.rule}`)}`,
    ];
    return `::${LEVEL[diagnostic.severity]} ${properties.join(',')}::${escapeData(diagnostic.message)}`;
  });
  const { summary } = report;
  lines.push(`meshlens: ${summary.errors} errors, ${summary.warnings} warnings, ${summary.infos} info in ${summary.files} files`);
  return lines.join('\n') + '\n';
}

function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
