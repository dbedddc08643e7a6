/**
 * GitHub Actions workflow commands (`::error file=…,line=…,col=…::message`),
 * which show findings as annotations on the pull request's changed lines.
 * Line breaks are percent-encoded as the runner expects; other control
 * characters from users' files are shown escaped (`escapeControl`).
 */

import { escapeControl } from './escape';
import type { Report } from './report';

const LEVEL = { error: 'error', warning: 'warning', info: 'notice', hint: 'notice' } as const;

/**
 * GitHub shows at most 10 annotations of each level per step (and drops the
 * rest silently): the most severe findings of each level are annotated, and a
 * closing line says how many were left out (the full list is in the other
 * formats and the job summary).
 */
export const ANNOTATIONS_PER_LEVEL = 10;

export function formatGithub(report: Report, perLevel = ANNOTATIONS_PER_LEVEL): string {
  const counts = new Map<string, number>();
  const shown = report.diagnostics.filter((diagnostic) => {
    const level = LEVEL[diagnostic.severity];
    const count = counts.get(level) ?? 0;
    counts.set(level, count + 1);
    return count < perLevel;
  });
  const leftOut = report.diagnostics.length - shown.length;
  const lines = shown.map((diagnostic) => {
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
  if (leftOut > 0) lines.push(`::notice title=meshlens::${leftOut} more findings are not annotated (GitHub shows ${perLevel} per level); see the job summary or the SARIF report`);
  const { summary } = report;
  lines.push(`meshlens: ${summary.errors} errors, ${summary.warnings} warnings, ${summary.infos} info in ${summary.files} files`);
  return lines.join('\n') + '\n';
}

function escapeData(text: string): string {
  return escapeControl(text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A'));
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
