/**
 * Output of `meshlens replay`: text (terminal), JSON (the report with files
 * as displayed), Markdown (a job summary / PR comment: counts and a table per
 * outcome that matters) and SARIF 2.1.0 (one result per flow class that
 * breaks, newly passes or cannot be decided, located on the deciding rule).
 *
 * Only classes with an outcome worth acting on are listed in text and
 * Markdown (newly dropped, newly allowed, undecided; at most `SHOWN` each);
 * JSON lists every class kept. Pure functions of the report.
 */

import { REPLAY_CHANGES, type ReplayChange, type ReplayClass, type ReplayOutcome, type ReplayReport } from '../../../core/src/index';
import { VERSION } from '../cliContext';
import { sarifLog } from './sarif';

export type ReplayFormat = 'text' | 'json' | 'sarif' | 'markdown';

type Display = (file: string) => string;

const SHOWN = 50;

const TITLES: Record<ReplayOutcome, string> = {
  'newly-dropped': 'Recorded as passing, the policies would DROP',
  'newly-allowed': 'DROPPED by policy, the policies would now allow',
  undecided: 'Cannot be decided offline',
  'still-allowed': 'Still allowed',
  'still-dropped': 'Still dropped',
};

const LISTED: ReplayOutcome[] = ['newly-dropped', 'newly-allowed', 'undecided'];

export function renderReplay(report: ReplayReport, format: ReplayFormat, display: Display, exportName: string, baseLabel?: string): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify({ ...(baseLabel !== undefined ? { base: baseLabel } : {}), ...(jsonReport(report, display) as object) }, null, 2)}\n`;
    case 'markdown':
      return markdown(report, display, exportName, baseLabel);
    case 'sarif':
      return sarif(report, display);
    default:
      return text(report, display, exportName, baseLabel);
  }
}

const CHANGE_TITLES: Record<ReplayChange, string> = {
  'now-denied': 'Allowed by the base, denied by this revision',
  'now-allowed': 'Denied by the base, allowed by this revision',
};

/** `shop/web → shop/api :8080/TCP GET /orders` */
export function classLabel(flowClass: ReplayClass): string {
  const port = flowClass.port !== undefined ? ` :${flowClass.port}/${flowClass.protocol}` : ` ${flowClass.protocol}`;
  const http = flowClass.http ? ` ${flowClass.http.method ?? '*'} ${flowClass.http.path ?? '*'}${flowClass.http.host ? ` (host ${flowClass.http.host})` : ''}` : '';
  const dns = flowClass.dnsQuery !== undefined ? ` DNS ${flowClass.dnsQuery}` : '';
  return `${flowClass.from} → ${flowClass.to}${port}${http}${dns}`;
}

function rules(flowClass: ReplayClass, display: Display): string {
  return flowClass.decidedBy
    .slice(0, 3)
    .map((source) => `${display(source.file)}:${source.line} (${source.rule})`)
    .join(', ');
}

function counts(report: ReplayReport): string[] {
  const skipped = Object.values(report.skipped).reduce((sum, value) => sum + value, 0);
  const lines = [
    `${report.flows} flow records in ${report.lines} lines: ${report.malformed} malformed, ${skipped} not judged`,
    ...(['newly-dropped', 'newly-allowed', 'undecided', 'still-allowed', 'still-dropped'] as ReplayOutcome[]).map(
      (outcome) => `  ${TITLES[outcome]}: ${report.outcomes[outcome].flows} flows in ${report.outcomes[outcome].classes} classes`,
    ),
  ];
  if (report.unlisted.flows > 0) lines.push(`  ${report.unlisted.flows} flows belong to classes beyond the first ${report.classes.length}: counted above, not listed`);
  for (const [reason, count] of Object.entries(report.skipped).sort((a, b) => b[1] - a[1])) lines.push(`  not judged: ${count} × ${reason}`);
  for (const sample of report.malformedSamples.slice(0, 5)) lines.push(`  malformed: line ${sample.line}: ${sample.reason}`);
  return lines;
}

function text(report: ReplayReport, display: Display, exportName: string, baseLabel?: string): string {
  const out = [`Replay of ${exportName}${baseLabel !== undefined ? ` (base: ${baseLabel})` : ''}`, ...counts(report)];
  if (report.changes) {
    for (const change of REPLAY_CHANGES) {
      const listed = report.classes.filter((flowClass) => flowClass.change === change);
      out.push('', `${CHANGE_TITLES[change]}: ${report.changes[change].flows} flows in ${report.changes[change].classes} classes`);
      listClasses(out, listed, display);
    }
  }
  for (const outcome of LISTED) {
    const listed = report.classes.filter((flowClass) => flowClass.outcome === outcome);
    if (listed.length === 0) continue;
    out.push('', `${TITLES[outcome]} (${report.outcomes[outcome].flows} flows):`);
    listClasses(out, listed, display);
  }
  return `${out.join('\n')}\n`;
}

/** The first `SHOWN` classes of a list, each with its reason and deciding rules, and how many more there are. */
function listClasses(out: string[], listed: readonly ReplayReport['classes'][number][], display: Display): void {
  for (const flowClass of listed.slice(0, SHOWN)) {
    out.push(`- ${flowClass.count}× ${flowClass.recorded} ${flowClass.direction} ${classLabel(flowClass)}  (line ${flowClass.firstLine})`);
    out.push(`    ${flowClass.reason}`);
    const deciding = rules(flowClass, display);
    if (deciding) out.push(`    decided by ${deciding}`);
  }
  if (listed.length > SHOWN) out.push(`  … ${listed.length - SHOWN} more classes (see --format json)`);
}

function markdownCell(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ').replace(/[<>]/g, (character) => (character === '<' ? '&lt;' : '&gt;'));
}

function markdown(report: ReplayReport, display: Display, exportName: string, baseLabel?: string): string {
  const out = [`## meshlens replay: ${markdownCell(exportName)}${baseLabel !== undefined ? ` (base: ${markdownCell(baseLabel)})` : ''}`, '', '| outcome | flows | classes |', '|---|---:|---:|'];
  for (const outcome of ['newly-dropped', 'newly-allowed', 'undecided', 'still-allowed', 'still-dropped'] as ReplayOutcome[]) {
    out.push(`| ${TITLES[outcome]} | ${report.outcomes[outcome].flows} | ${report.outcomes[outcome].classes} |`);
  }
  if (report.changes) for (const change of REPLAY_CHANGES) out.push(`| ${CHANGE_TITLES[change]} | ${report.changes[change].flows} | ${report.changes[change].classes} |`);
  for (const change of report.changes ? REPLAY_CHANGES : []) {
    const listed = report.classes.filter((flowClass) => flowClass.change === change);
    if (listed.length === 0) continue;
    out.push('', `### ${CHANGE_TITLES[change]}`, '', '| flows | recorded | flow | why | decided by |', '|---:|---|---|---|---|');
    for (const flowClass of listed.slice(0, SHOWN)) {
      out.push(`| ${flowClass.count} | ${flowClass.recorded} ${flowClass.direction} | ${markdownCell(classLabel(flowClass))} | ${markdownCell(flowClass.reason)} | ${markdownCell(rules(flowClass, display))} |`);
    }
  }
  const skipped = Object.values(report.skipped).reduce((sum, value) => sum + value, 0);
  out.push('', `${report.flows} flow records, ${report.malformed} malformed lines, ${skipped} records not judged.`);
  for (const outcome of LISTED) {
    const listed = report.classes.filter((flowClass) => flowClass.outcome === outcome);
    if (listed.length === 0) continue;
    out.push('', `### ${TITLES[outcome]}`, '', '| flows | recorded | flow | why | decided by |', '|---:|---|---|---|---|');
    for (const flowClass of listed.slice(0, SHOWN)) {
      out.push(`| ${flowClass.count} | ${flowClass.recorded} ${flowClass.direction} | ${markdownCell(classLabel(flowClass))} | ${markdownCell(flowClass.reason)} | ${markdownCell(rules(flowClass, display))} |`);
    }
    if (listed.length > SHOWN) out.push('', `… ${listed.length - SHOWN} more classes.`);
  }
  return `${out.join('\n')}\n`;
}

function jsonReport(report: ReplayReport, display: Display): unknown {
  return {
    lines: report.lines,
    flows: report.flows,
    malformed: report.malformed,
    malformedSamples: report.malformedSamples,
    skipped: report.skipped,
    outcomes: report.outcomes,
    unlisted: report.unlisted,
    classes: report.classes.map((flowClass) => ({
      outcome: flowClass.outcome,
      count: flowClass.count,
      recorded: flowClass.recorded,
      direction: flowClass.direction,
      from: flowClass.from,
      to: flowClass.to,
      protocol: flowClass.protocol,
      ...(flowClass.port !== undefined ? { port: flowClass.port } : {}),
      ...(flowClass.http ? { http: flowClass.http } : {}),
      ...(flowClass.dnsQuery !== undefined ? { dnsQuery: flowClass.dnsQuery } : {}),
      ...(flowClass.verdict ? { verdict: flowClass.verdict } : {}),
      reason: flowClass.reason,
      layers: flowClass.layers.map((layer) => ({ layer: layer.layer, verdict: layer.verdict, reason: layer.reason })),
      decidedBy: flowClass.decidedBy.map((source) => ({ file: display(source.file), line: source.line, rule: source.rule })),
      firstLine: flowClass.firstLine,
      ...(flowClass.base ? { base: { ...(flowClass.base.verdict ? { verdict: flowClass.base.verdict } : {}), reason: flowClass.base.reason, decidedBy: flowClass.base.decidedBy.map((source) => ({ file: display(source.file), line: source.line, rule: source.rule })) } } : {}),
      ...(flowClass.change ? { change: flowClass.change } : {}),
    })),
    ...(report.changes ? { changes: report.changes } : {}),
  };
}

const SARIF_RULES: { id: string; outcome: ReplayOutcome; level: 'error' | 'warning' | 'note'; text: string }[] = [
  { id: 'replay/newly-dropped', outcome: 'newly-dropped', level: 'error', text: 'Recorded traffic that passed would be dropped by the policies' },
  { id: 'replay/newly-allowed', outcome: 'newly-allowed', level: 'warning', text: 'Recorded traffic that policy dropped would now be allowed' },
  { id: 'replay/undecided', outcome: 'undecided', level: 'note', text: 'Recorded traffic the policy model cannot judge offline' },
];

function sarif(report: ReplayReport, display: Display): string {
  const results = report.classes
    .filter((flowClass) => LISTED.includes(flowClass.outcome))
    .map((flowClass) => {
      const rule = SARIF_RULES.findIndex((candidate) => candidate.outcome === flowClass.outcome);
      const at = flowClass.decidedBy[0];
      return {
        ruleId: SARIF_RULES[rule].id,
        ruleIndex: rule,
        level: SARIF_RULES[rule].level,
        message: { text: `${flowClass.count}× ${flowClass.recorded} ${classLabel(flowClass)}: ${flowClass.reason}` },
        ...(at ? { locations: [{ physicalLocation: { artifactLocation: { uri: encodeURI(display(at.file)), uriBaseId: '%SRCROOT%' }, region: { startLine: at.line } } }] } : {}),
        partialFingerprints: { flowClass: `${flowClass.recorded}|${flowClass.direction}|${classLabel(flowClass)}` },
      };
    });
  return sarifLog(
    VERSION,
    SARIF_RULES.map((rule) => ({ id: rule.id, shortDescription: { text: rule.text }, defaultConfiguration: { level: rule.level } })),
    {},
    results,
  );
}
