/**
 * Renders a review (findings delta + policy impact) as plain text for a
 * terminal and as GitHub-flavoured Markdown for a job summary or a pull-request
 * comment: short by default (counts, what reviewers must see first, a Mermaid
 * graph of the edges that changed), with a collapsed `<details>` section per
 * namespace holding every change with its source line.
 *
 * Pure: sources are already in display form (`file` as the user should read
 * it); nothing here reads files.
 */

import type { ImpactChange, PolicyImpact } from './policyImpact';
import type { ComparableFinding, FindingsDelta } from './findingsDelta';

export interface ReviewFinding extends ComparableFinding {
  column: number;
  /** Title of the finding's first quick-fix, when it has one. */
  fix?: string;
}

export interface Review {
  /** What was compared, e.g. `main` and `working tree`. */
  baseLabel: string;
  headLabel: string;
  findings: FindingsDelta<ReviewFinding>;
  impact: PolicyImpact;
}

const MAX_GRAPH_EDGES = 40;
const MAX_CALLOUTS = 10;

export function reviewCounts(review: Review): { widened: number; narrowed: number; introduced: number; fixed: number } {
  return {
    widened: review.impact.changes.filter((change) => change.effect === 'widened').length,
    narrowed: review.impact.changes.filter((change) => change.effect === 'narrowed').length,
    introduced: review.findings.introduced.length,
    fixed: review.findings.fixed.length,
  };
}

function where(change: ImpactChange): string {
  return `${change.source.file}:${change.source.line}${change.revision === 'base' ? ' (base)' : ''}`;
}

function layerText(change: ImpactChange): string {
  return change.layer === 'cilium' ? `cilium ${change.direction}` : change.layer.replace('istio-', 'istio ');
}

function callouts(review: Review): ImpactChange[] {
  return review.impact.changes.filter((change) => change.kind === 'isolated' || change.kind === 'opened' || change.allowAll || change.dnsLost);
}

function calloutLabel(change: ImpactChange): string {
  if (change.dnsLost) return 'DNS egress lost';
  if (change.kind === 'isolated') return 'now default-deny';
  if (change.kind === 'opened') return 'no longer default-deny';
  return change.kind === 'allow-added' && change.layer === 'cilium' ? `open to ${change.peer}` : 'allows every source';
}

// ---------------------------------------------------------------- text

export function renderReviewText(review: Review): string {
  const counts = reviewCounts(review);
  const lines: string[] = [];
  lines.push(`meshlens: ${review.baseLabel} → ${review.headLabel}`);
  lines.push(`policy impact: ${counts.widened} widened, ${counts.narrowed} narrowed (${review.impact.compared} workloads compared)`);
  for (const change of review.impact.changes) {
    const flag = change.dnsLost ? ' [DNS egress lost]' : change.allowAll ? ' [allow-all]' : '';
    lines.push(`  ${change.effect.toUpperCase().padEnd(8)} ${change.workload}  ${layerText(change)}: ${change.summary}${flag}  (${where(change)})`);
  }
  for (const presence of review.impact.workloads) lines.push(`  workload ${presence.change}: ${presence.workload} (${presence.source.file}:${presence.source.line})`);
  lines.push(`findings: ${counts.introduced} introduced, ${counts.fixed} fixed, ${review.findings.unchanged} unchanged`);
  for (const finding of review.findings.introduced) lines.push(`  + ${finding.file}:${finding.line}:${finding.column}: ${finding.severity} ${finding.rule}: ${finding.message}${finding.fix ? ` [quick-fix: ${finding.fix}]` : ''}`);
  for (const finding of review.findings.fixed) lines.push(`  - ${finding.file}:${finding.line}:${finding.column}: ${finding.severity} ${finding.rule}: ${finding.message} (base)`);
  return `${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------- Markdown

export function renderReviewMarkdown(review: Review): string {
  const counts = reviewCounts(review);
  const out: string[] = [];
  out.push(`### meshlens: ${review.baseLabel} → ${review.headLabel}`);
  out.push('');
  out.push(
    `**Policy:** ${counts.widened} widened, ${counts.narrowed} narrowed across ${new Set(review.impact.changes.map((change) => change.workload)).size} workloads · ` +
      `**Findings:** ${counts.introduced} introduced, ${counts.fixed} fixed`,
  );
  const first = callouts(review);
  if (first.length) {
    out.push('');
    for (const change of first.slice(0, MAX_CALLOUTS)) out.push(`- ⚠️ **${calloutLabel(change)}** \`${change.workload}\` ${layerText(change)}: ${escapeMd(change.summary)} — \`${where(change)}\``);
    if (first.length > MAX_CALLOUTS) out.push(`- … and ${first.length - MAX_CALLOUTS} more below`);
  }
  if (review.impact.changes.length) {
    out.push('');
    out.push('```mermaid');
    out.push(mermaidGraph(review.impact.changes));
    out.push('```');
  }
  const byNamespace = new Map<string, ImpactChange[]>();
  for (const change of review.impact.changes) {
    const list = byNamespace.get(change.namespace) ?? [];
    list.push(change);
    byNamespace.set(change.namespace, list);
  }
  for (const [namespace, changes] of [...byNamespace].sort(([a], [b]) => a.localeCompare(b))) {
    const widened = changes.filter((change) => change.effect === 'widened').length;
    out.push('');
    out.push(`<details><summary>namespace <code>${escapeHtml(namespace)}</code>: ${widened} widened, ${changes.length - widened} narrowed</summary>`);
    out.push('');
    out.push('| | workload | layer | change | source |');
    out.push('|---|---|---|---|---|');
    for (const change of changes) {
      out.push(`| ${change.effect === 'widened' ? '🟢 widened' : '🔴 narrowed'} | \`${change.workload}\` | ${layerText(change)} | ${escapeCell(change.summary)} | \`${escapeCell(where(change))}\` |`);
    }
    out.push('');
    out.push('</details>');
  }
  if (review.impact.workloads.length) {
    out.push('');
    out.push(`<details><summary>workloads added or removed (${review.impact.workloads.length})</summary>`);
    out.push('');
    for (const presence of review.impact.workloads) out.push(`- ${presence.change}: \`${presence.workload}\` (\`${presence.source.file}:${presence.source.line}\`)`);
    out.push('');
    out.push('</details>');
  }
  for (const [title, list, suffix] of [
    ['Findings introduced', review.findings.introduced, ''],
    ['Findings fixed', review.findings.fixed, ' (base)'],
  ] as const) {
    if (!list.length) continue;
    out.push('');
    out.push(`<details><summary>${title} (${list.length})</summary>`);
    out.push('');
    for (const finding of list) out.push(`- \`${finding.file}:${finding.line}\`${suffix} **${finding.severity}** \`${finding.rule}\`: ${escapeMd(finding.message)}${finding.fix ? ` _(quick-fix: ${escapeMd(finding.fix)})_` : ''}`);
    out.push('');
    out.push('</details>');
  }
  return `${out.join('\n')}\n`;
}

/** Who gained or lost access: peers and workloads as nodes, one edge per change (green widened, red dashed narrowed). */
export function mermaidGraph(changes: readonly ImpactChange[]): string {
  const ids = new Map<string, string>();
  const node = (label: string): string => {
    let id = ids.get(label);
    if (!id) {
      id = `n${ids.size}`;
      ids.set(label, id);
    }
    return id;
  };
  const edges: string[] = [];
  const widened: number[] = [];
  const narrowed: number[] = [];
  for (const change of changes.slice(0, MAX_GRAPH_EDGES)) {
    const workload = node(change.workload);
    const peer = node(change.peer);
    const label = mermaidText(`${change.effect === 'widened' ? '+' : '−'} ${change.l7 ?? change.ports}`);
    const arrow = change.effect === 'widened' ? '-->' : '-.->';
    edges.push(change.direction === 'egress' ? `  ${workload} ${arrow}|"${label}"| ${peer}` : `  ${peer} ${arrow}|"${label}"| ${workload}`);
    (change.effect === 'widened' ? widened : narrowed).push(edges.length - 1);
  }
  const lines = ['flowchart LR'];
  for (const [label, id] of ids) lines.push(`  ${id}["${mermaidText(label)}"]`);
  lines.push(...edges);
  if (changes.length > MAX_GRAPH_EDGES) lines.push(`  more["… ${changes.length - MAX_GRAPH_EDGES} more changes"]`);
  if (widened.length) lines.push(`  linkStyle ${widened.join(',')} stroke:#2da44e,stroke-width:2px`);
  if (narrowed.length) lines.push(`  linkStyle ${narrowed.join(',')} stroke:#cf222e,stroke-width:2px`);
  return lines.join('\n');
}

function mermaidText(text: string): string {
  return text.replace(/"/g, '#quot;').replace(/[<>]/g, (c) => (c === '<' ? '#lt;' : '#gt;')).replace(/[\r\n]+/g, ' ').slice(0, 80);
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeMd(text: string): string {
  return escapeHtml(text).replace(/([\\`*_[\]|])/g, '\\$1');
}

function escapeCell(text: string): string {
  return escapeHtml(text).replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
