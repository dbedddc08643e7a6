/**
 * SARIF 2.1.0 output for code scanning: one run, the rule catalogue in
 * `tool.driver.rules` (id, short description, help URI, default level), and a
 * result per diagnostic with its physical location and region (1-based,
 * UTF-16 columns) and fixes where the rule offers them.
 */

import type { Rule } from '../../../core/src/index';
import type { Report } from './report';

const LEVEL = { error: 'error', warning: 'warning', info: 'note', hint: 'note' } as const;

/**
 * The SARIF 2.1.0 log every meshlens SARIF output shares: one run of the
 * `meshlens` tool with its rule catalogue, then the run's own fields (`run`:
 * columnKind, invocations), the `%SRCROOT%` base and the results.
 */
export function sarifLog(version: string, driverRules: readonly object[], run: Record<string, unknown>, results: readonly object[]): string {
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'meshlens', version, semanticVersion: version, informationUri: 'https://github.com/meshlens/meshlens', rules: driverRules } },
        ...run,
        originalUriBaseIds: { '%SRCROOT%': { description: { text: 'The directory meshlens was run from' } } },
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

export function formatSarif(report: Report, rules: readonly Rule[], version: string, docsBaseUrl: string): string {
  const ruleIndex = new Map(rules.map((rule, index) => [rule.meta.id, index]));
  const driverRules = rules.map((rule) => ({
    id: rule.meta.id,
    name: rule.meta.id.replace(/[/-](\w)/g, (_, letter: string) => letter.toUpperCase()),
    shortDescription: { text: rule.meta.title },
    fullDescription: { text: rule.meta.docs.summary },
    help: { text: `${rule.meta.docs.summary} ${rule.meta.docs.why}` },
    helpUri: `${docsBaseUrl}/${rule.meta.id}.md`,
    defaultConfiguration: { level: LEVEL[rule.meta.severity] },
    properties: { tags: [rule.meta.id.split('/')[0]] },
  }));
  const run = {
    columnKind: 'utf16CodeUnits',
    // Paths not checked are run-level notes, one per path (SARIF toolExecutionNotifications).
    ...(report.skipped && report.skipped.length > 0
      ? {
          invocations: [
            {
              executionSuccessful: true,
              toolExecutionNotifications: report.skipped.map((entry) => ({
                level: 'note',
                message: { text: `Not checked: ${entry.reason}` },
                locations: [{ physicalLocation: { artifactLocation: { uri: toUri(entry.file), uriBaseId: '%SRCROOT%' } } }],
              })),
            },
          ],
        }
      : {}),
  };
  const results = report.diagnostics.map((diagnostic) => ({
    ruleId: diagnostic.rule,
    ...(ruleIndex.has(diagnostic.rule) ? { ruleIndex: ruleIndex.get(diagnostic.rule) } : {}),
    level: LEVEL[diagnostic.severity],
    message: { text: diagnostic.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: toUri(diagnostic.file), uriBaseId: '%SRCROOT%' },
          region: {
            startLine: diagnostic.line,
            startColumn: diagnostic.column,
            endLine: diagnostic.endLine,
            endColumn: diagnostic.endColumn,
          },
        },
      },
    ],
    ...(diagnostic.fixes && diagnostic.fixes.length > 0
      ? {
          fixes: diagnostic.fixes.map((fix) => ({
            description: { text: fix.title },
            artifactChanges: groupByFile(fix.edits).map(([file, edits]) => ({
              artifactLocation: { uri: toUri(file === '' ? diagnostic.file : file), uriBaseId: '%SRCROOT%' },
              replacements: edits.map((edit) => ({
                deletedRegion: {
                  startLine: edit.range.start.line + 1,
                  startColumn: edit.range.start.character + 1,
                  endLine: edit.range.end.line + 1,
                  endColumn: edit.range.end.character + 1,
                },
                insertedContent: { text: edit.newText },
              })),
            })),
          })),
        }
      : {}),
  }));
  return sarifLog(version, driverRules, run, results);
}

type Edits = NonNullable<Report['diagnostics'][number]['fixes']>[number]['edits'];

function groupByFile(edits: Edits): [string, Edits][] {
  const groups = new Map<string, Edits>();
  for (const edit of edits) {
    const list = groups.get(edit.displayFile ?? '') ?? [];
    list.push(edit);
    groups.set(edit.displayFile ?? '', list);
  }
  return [...groups.entries()];
}

/** A relative path as a URI reference: forward slashes, percent-encoded segments. */
function toUri(path: string): string {
  return path
    .replace(/\\/g, '/')
    .replace(/^\.\//, '')
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
}
