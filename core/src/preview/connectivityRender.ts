/**
 * Drawings of the connectivity map (`connectivity.ts`): a self-contained SVG
 * (the CLI's `--format svg`, the editor's webview, the README picture) and a
 * Mermaid flowchart.
 *
 * Layout is layered and deterministic: nodes are ranked by the longest path
 * of allowed flows (back edges of cycles, found by a depth-first walk in id
 * order, are ignored for ranking), ordered within a column by the mean
 * position of their neighbours, and sized from their text (a monospace font,
 * so widths are known without measuring). The same map always gives the same
 * bytes. The SVG has no scripts, no styles that need CSS, and no external
 * resources; edges and nodes carry `data-edge` / `data-node` (their ids) and
 * a `<title>` naming the rules behind them, so a viewer can open those rules.
 *
 * Pure string building; never throws.
 */

import type { ConnectivityEdge, ConnectivityFlow, ConnectivityMap, ConnectivityNode } from './connectivity';
import { location, type DisplayFile } from './sources';

const CHAR_WIDTH = 6.6; // 11px monospace
const LINE_HEIGHT = 15;
const NODE_PADDING = 10;
const LABEL_LINE_LIMIT = 46;
const LABEL_LINES_PER_EDGE = 6;
const ROW_GAP = 26;
const MARGIN = 24;

interface Placed {
  node: ConnectivityNode;
  lines: string[];
  rank: number;
  order: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

// ---------------------------------------------------------------- text of nodes and edges

/** The lines a node box shows: its name, then Cilium and Istio enforcement for workloads in scope. */
export function nodeLines(node: ConnectivityNode): string[] {
  const kind = node.kind === 'workload' ? '' : node.kind === 'any' ? '' : `${node.kind}: `;
  const lines = [`${kind}${node.label}`];
  if (node.kind === 'workload' && node.inScope) {
    const side = (name: string, direction: ConnectivityNode['ingress']) => `${name} ${direction?.defaultDeny ? 'default-deny' : 'open'}`;
    lines.push(`${side('in', node.ingress)} · ${side('out', node.egress)}`);
    if (node.istio) {
      const waypoint = node.istio.waypoint ? ` · waypoint ${node.istio.waypoint}` : node.istio.mode === 'ambient' ? ' · ztunnel only' : '';
      lines.push(`istio ${node.istio.mode}${waypoint}${node.istio.allowPolicies.length > 0 ? ' · ALLOW' : ''}`);
    }
  } else if (node.kind === 'workload') {
    lines.push('(outside the scope)');
  }
  return lines;
}

function clip(text: string, limit = LABEL_LINE_LIMIT): string {
  return text.length > limit ? `${text.slice(0, limit - 1)}…` : text;
}

/** Label lines of an edge: per flow its ports, then its L7 matches indented. */
export function edgeLines(edge: ConnectivityEdge): string[] {
  const lines: string[] = [];
  for (const flow of edge.flows) {
    lines.push(clip(`${flow.ports}${flow.l7.length === 0 ? '' : ':'}${flow.l7WidenedBy ? ' (L7 widened: any request)' : ''}`));
    for (const match of flow.l7) lines.push(clip(`  ${match}`));
  }
  if (lines.length <= LABEL_LINES_PER_EDGE) return lines;
  return [...lines.slice(0, LABEL_LINES_PER_EDGE - 1), `  … +${lines.length - LABEL_LINES_PER_EDGE + 1} more`];
}

/** Words of a text in lines of at most `limit` characters (a longer word is cut). */
function wrap(text: string, limit: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > limit) {
      lines.push(line);
      line = '';
    }
    line = line === '' ? clip(word, limit) : `${line} ${word}`;
  }
  if (line !== '') lines.push(line);
  return lines.length > 0 ? lines : [''];
}

/** Label lines of flows one side allows and the other drops. */
function excludedLines(flows: ConnectivityMap['excluded']): string[] {
  return flows.slice(0, LABEL_LINES_PER_EDGE).map((flow) => clip(`✕ ${flow.ports}: ${flow.reason.replace(/ of [^:]+:/, ':')}`, 40));
}

/** `8080/TCP POST /api/v2/orders` for one-line renderings. */
export function flowText(flow: ConnectivityFlow): string {
  return `${flow.ports}${flow.l7.length > 0 ? ` ${flow.l7.join(' · ')}` : ''}${flow.l7WidenedBy ? ' (L7 widened)' : ''}`;
}

// ---------------------------------------------------------------- layout

/** `shop/web` from `workload:shop/web`. */
function bare(id: string): string {
  return id.replace(/^[a-z]+:/, '');
}

/** Excluded flows grouped by their two ends, in map order. */
function excludedPairs(map: ConnectivityMap): Map<string, ConnectivityMap['excluded']> {
  const pairs = new Map<string, ConnectivityMap['excluded']>();
  for (const flow of map.excluded) {
    const id = `${flow.from}->${flow.to}`;
    pairs.set(id, [...(pairs.get(id) ?? []), flow]);
  }
  return pairs;
}

function layout(map: ConnectivityMap): { placed: Map<string, Placed>; columns: Placed[][] } {
  const ids = map.nodes.map((node) => node.id);
  const outgoing = new Map<string, string[]>(ids.map((id) => [id, []]));
  const links = [...map.edges.map((edge) => [edge.from, edge.to] as const), ...[...excludedPairs(map).values()].map((flows) => [flows[0].from, flows[0].to] as const)];
  for (const [from, to] of links) if (from !== to && !outgoing.get(from)?.includes(to)) outgoing.get(from)?.push(to);
  // Depth-first in id order: edges to a node on the current path close a cycle and do not rank.
  const state = new Map<string, 'open' | 'done'>();
  const forward: [string, string][] = [];
  const visit = (start: string) => {
    const stack: { id: string; next: number }[] = [{ id: start, next: 0 }];
    state.set(start, 'open');
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const targets = outgoing.get(top.id) ?? [];
      if (top.next >= targets.length) {
        state.set(top.id, 'done');
        stack.pop();
        continue;
      }
      const target = targets[top.next++];
      if (state.get(target) === 'open') continue;
      forward.push([top.id, target]);
      if (!state.has(target)) {
        state.set(target, 'open');
        stack.push({ id: target, next: 0 });
      }
    }
  };
  for (const id of ids) if (!state.has(id)) visit(id);
  // Longest path over the forward edges (a DAG): relax in rounds, at most one per node.
  const rank = new Map<string, number>(ids.map((id) => [id, 0]));
  for (let round = 0; round < ids.length; round++) {
    let changed = false;
    for (const [from, to] of forward) {
      const wanted = rank.get(from)! + 1;
      if (wanted > rank.get(to)!) {
        rank.set(to, wanted);
        changed = true;
      }
    }
    if (!changed) break;
  }
  const placed = new Map<string, Placed>();
  const columns: Placed[][] = [];
  for (const node of map.nodes) {
    const lines = nodeLines(node);
    const width = Math.ceil(Math.max(...lines.map((line) => line.length)) * CHAR_WIDTH + 2 * NODE_PADDING);
    const height = lines.length * LINE_HEIGHT + 2 * NODE_PADDING - 4;
    const entry: Placed = { node, lines, rank: rank.get(node.id)!, order: 0, x: 0, y: 0, width, height };
    placed.set(node.id, entry);
    (columns[entry.rank] ??= []).push(entry);
  }
  for (let column = 0; column < columns.length; column++) columns[column] ??= [];
  columns.forEach((column) => column.forEach((entry, position) => (entry.order = position)));
  // Two sweeps of the barycenter heuristic (neighbours in the column before), ties by id.
  const neighbours = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const [from, to] of links) {
    neighbours.get(to)?.push(from);
    neighbours.get(from)?.push(to);
  }
  for (let sweep = 0; sweep < 2; sweep++) {
    for (const column of columns) {
      const weight = (entry: Placed) => {
        const around = (neighbours.get(entry.node.id) ?? []).map((id) => placed.get(id)!).filter((other) => other.rank !== entry.rank);
        return around.length === 0 ? entry.order : around.reduce((sum, other) => sum + other.order, 0) / around.length;
      };
      const weights = new Map(column.map((entry) => [entry, weight(entry)]));
      column.sort((a, b) => weights.get(a)! - weights.get(b)! || a.node.id.localeCompare(b.node.id));
      column.forEach((entry, position) => (entry.order = position));
    }
  }
  // Columns: width of their widest node, then room for the widest label of the edges leaving them.
  const tallest = Math.max(0, ...columns.map((column) => column.reduce((sum, entry) => sum + entry.height + ROW_GAP, -ROW_GAP)));
  let x = MARGIN;
  for (const column of columns) {
    const width = Math.max(0, ...column.map((entry) => entry.width));
    const height = column.reduce((sum, entry) => sum + entry.height + ROW_GAP, -ROW_GAP);
    let y = MARGIN + 40 + (tallest - height) / 2;
    for (const entry of column) {
      entry.x = x + (width - entry.width) / 2;
      entry.y = Math.round(y);
      y += entry.height + ROW_GAP;
    }
    const inColumn = new Set(column.map((entry) => entry.node.id));
    const leaving = [...map.edges.filter((edge) => inColumn.has(edge.from)).map(edgeLines), ...[...excludedPairs(map).values()].filter((flows) => inColumn.has(flows[0].from)).map(excludedLines)];
    const labelWidth = Math.max(0, ...leaving.flatMap((lines) => lines.map((line) => line.length * CHAR_WIDTH)));
    x += width + Math.max(90, Math.min(380, labelWidth + 80));
  }
  return { placed, columns };
}

// ---------------------------------------------------------------- SVG

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function fixed(value: number): string {
  return String(Math.round(value * 10) / 10);
}

const NODE_COLORS: Record<ConnectivityNode['kind'], { fill: string; stroke: string }> = {
  workload: { fill: '#ffffff', stroke: '#33415c' },
  entity: { fill: '#fff4d6', stroke: '#b08900' },
  cidr: { fill: '#e6f4ea', stroke: '#3c8d4f' },
  fqdn: { fill: '#e6f4ea', stroke: '#3c8d4f' },
  any: { fill: '#fde8e8', stroke: '#b3261e' },
  selector: { fill: '#f1f1f1', stroke: '#777777' },
  other: { fill: '#f1f1f1', stroke: '#777777' },
};

export interface SvgOptions {
  /** How files are shown in the tooltips (relative paths). */
  display?: DisplayFile;
  title?: string;
}

/** The map as a standalone SVG document. */
export function renderConnectivitySvg(map: ConnectivityMap, options: SvgOptions = {}): string {
  const display = options.display ?? ((file: string) => file);
  const { placed } = layout(map);
  const body: string[] = [];
  let width = MARGIN;
  let height = MARGIN + 40;
  for (const entry of placed.values()) {
    width = Math.max(width, entry.x + entry.width + MARGIN);
    height = Math.max(height, entry.y + entry.height + MARGIN);
  }
  // Edges first, so nodes sit on top of their ends; flows one side drops are drawn faint and crossed out.
  const drawEdge = (from: Placed | undefined, to: Placed | undefined, lines: string[], look: { color: string; dash?: string; marker: string; opacity?: number }, tooltip: string, attributes: string) => {
    if (!from || !to) return;
    const x1 = from.x + from.width;
    const y1 = from.y + from.height / 2;
    let path: string;
    let labelX: number;
    let labelY: number;
    if (from === to) {
      path = `M${fixed(x1)},${fixed(y1 - 6)} C${fixed(x1 + 50)},${fixed(y1 - 40)} ${fixed(x1 + 50)},${fixed(y1 + 40)} ${fixed(x1)},${fixed(y1 + 6)}`;
      labelX = x1 + 40;
      labelY = y1 - 10;
    } else if (to.rank > from.rank) {
      const x2 = to.x;
      const y2 = to.y + to.height / 2;
      const bend = Math.max(30, (x2 - x1) / 2);
      path = `M${fixed(x1)},${fixed(y1)} C${fixed(x1 + bend)},${fixed(y1)} ${fixed(x2 - bend)},${fixed(y2)} ${fixed(x2)},${fixed(y2)}`;
      // The label sits on the curve's middle, centred in the gap before the target column.
      const widest = Math.max(...lines.map((line) => line.length)) * CHAR_WIDTH + 8;
      if (to.rank - from.rank > 1) {
        // A flow that skips columns: label it in the first gap, where no node hides it.
        labelX = x1 + 12;
        labelY = y1 + 4;
      } else {
        labelX = x1 + Math.max(12, (x2 - x1 - widest) / 2);
        labelY = (y1 + y2) / 2 - (lines.length * (LINE_HEIGHT - 2)) / 2;
      }
    } else {
      // Back edge or same column: leave and enter on the right, bulging outwards.
      const x2 = to.x + to.width;
      const y2 = to.y + to.height / 2;
      const reach = Math.max(x1, x2) + 70;
      path = `M${fixed(x1)},${fixed(y1)} C${fixed(reach)},${fixed(y1)} ${fixed(reach)},${fixed(y2)} ${fixed(x2)},${fixed(y2)}`;
      labelX = reach - 50;
      labelY = (y1 + y2) / 2 - 4;
    }
    const labelWidth = Math.max(...lines.map((line) => line.length)) * CHAR_WIDTH + 8;
    const labelHeight = lines.length * (LINE_HEIGHT - 2) + 6;
    pending.push({ path, look, tooltip, attributes, lines, box: { x: labelX - 4, y: labelY - 2, width: labelWidth, height: labelHeight } });
  };
  const pending: { path: string; look: { color: string; dash?: string; marker: string; opacity?: number }; tooltip: string; attributes: string; lines: string[]; box: { x: number; y: number; width: number; height: number } }[] = [];
  const emitEdges = () => {
    // Labels that would overlap move down below the one already placed (in drawing order: deterministic).
    const taken: (typeof pending)[number]['box'][] = [];
    for (const edge of pending) {
      const box = edge.box;
      for (let moved = true, guard = 0; moved && guard < pending.length; guard++) {
        moved = false;
        for (const other of taken) {
          if (box.x < other.x + other.width && other.x < box.x + box.width && box.y < other.y + other.height + 2 && other.y < box.y + box.height + 2) {
            box.y = other.y + other.height + 3;
            moved = true;
          }
        }
      }
      taken.push(box);
      width = Math.max(width, box.x + box.width + MARGIN);
      height = Math.max(height, box.y + box.height + MARGIN);
      const { color } = edge.look;
      body.push(
        `<g ${edge.attributes} cursor="pointer"${edge.look.opacity !== undefined ? ` opacity="${edge.look.opacity}"` : ''}>`,
        `<title>${escapeXml(edge.tooltip)}</title>`,
        `<path d="${edge.path}" fill="none" stroke="transparent" stroke-width="12"/>`,
        `<path d="${edge.path}" fill="none" stroke="${color}" stroke-width="1.6"${edge.look.dash ? ` stroke-dasharray="${edge.look.dash}"` : ''} marker-end="url(#arrow-${edge.look.marker})"/>`,
        `<rect x="${fixed(box.x)}" y="${fixed(box.y)}" width="${fixed(box.width)}" height="${fixed(box.height)}" rx="3" fill="#ffffff" fill-opacity="0.9" stroke="${color}" stroke-width="0.6"/>`,
        ...edge.lines.map((line, row) => `<text x="${fixed(box.x + 4)}" y="${fixed(box.y + 12 + row * (LINE_HEIGHT - 2))}" fill="${color}" xml:space="preserve">${escapeXml(line)}</text>`),
        '</g>',
      );
    }
  };
  map.edges.forEach((edge, position) => {
    const widened = edge.flows.some((flow) => flow.l7WidenedBy);
    const l7 = edge.flows.some((flow) => flow.l7.length > 0);
    const look = widened ? { color: '#c25e00', dash: '6 3', marker: 'widened' } : l7 ? { color: '#1f5fbf', marker: 'l7' } : { color: '#4a4a4a', marker: 'l4' };
    const rules = edge.flows.flatMap((flow) => flow.rules.map((rule) => `${rule.rule} — ${location(rule, display)}`));
    const tooltip = [`${bare(edge.from)} → ${bare(edge.to)}`, ...edge.flows.map(flowText), ...[...new Set(rules)]].join('\n');
    drawEdge(placed.get(edge.from), placed.get(edge.to), edgeLines(edge), look, tooltip, `class="edge" data-edge="${escapeXml(edge.id)}" data-index="${position}"`);
  });
  for (const [id, flows] of excludedPairs(map)) {
    const lines = excludedLines(flows);
    const tooltip = [`not allowed: ${bare(flows[0].from)} → ${bare(flows[0].to)}`, ...flows.map((flow) => `${flow.ports}: ${flow.reason}`), ...flows.flatMap((flow) => flow.rules.map((rule) => `${rule.rule} — ${location(rule, display)}`))].join('\n');
    drawEdge(placed.get(flows[0].from), placed.get(flows[0].to), lines, { color: '#b3261e', dash: '2 3', marker: 'blocked', opacity: 0.75 }, tooltip, `class="excluded" data-excluded="${escapeXml(id)}"`);
  }
  emitEdges();
  for (const entry of placed.values()) {
    const { node } = entry;
    const colors = NODE_COLORS[node.kind];
    const outside = node.kind === 'workload' && !node.inScope;
    const rounded = node.kind === 'workload' ? 4 : entry.height / 2;
    const tooltip = [node.label, ...(node.source ? [location(node.source, display)] : []), ...(node.ingress?.by ?? []).map((rule) => `ingress default-deny: ${rule.rule} — ${location(rule, display)}`), ...(node.egress?.by ?? []).map((rule) => `egress default-deny: ${rule.rule} — ${location(rule, display)}`), ...(node.istio?.allowPolicies ?? []).map((rule) => `Istio ALLOW: ${rule.rule} — ${location(rule, display)}`)].join('\n');
    body.push(
      `<g class="node" data-node="${escapeXml(node.id)}" cursor="pointer">`,
      `<title>${escapeXml(tooltip)}</title>`,
      `<rect x="${fixed(entry.x)}" y="${fixed(entry.y)}" width="${fixed(entry.width)}" height="${fixed(entry.height)}" rx="${fixed(rounded)}" fill="${colors.fill}" stroke="${colors.stroke}" stroke-width="${node.inScope ? 1.6 : 1}"${outside ? ' stroke-dasharray="4 3"' : ''}/>`,
    );
    // Default-deny is drawn as a bar on the side it guards: left for ingress, right for egress.
    if (node.ingress?.defaultDeny) body.push(`<rect x="${fixed(entry.x - 3)}" y="${fixed(entry.y + 3)}" width="5" height="${fixed(entry.height - 6)}" fill="#b3261e"/>`);
    if (node.egress?.defaultDeny) body.push(`<rect x="${fixed(entry.x + entry.width - 2)}" y="${fixed(entry.y + 3)}" width="5" height="${fixed(entry.height - 6)}" fill="#b3261e"/>`);
    entry.lines.forEach((line, row) => {
      const weight = row === 0 ? ' font-weight="bold"' : '';
      const fill = row === 0 ? '#1b1b1b' : line.startsWith('istio') ? '#6a3fb5' : '#555555';
      body.push(`<text x="${fixed(entry.x + NODE_PADDING)}" y="${fixed(entry.y + NODE_PADDING + 8 + row * LINE_HEIGHT)}" fill="${fill}"${weight}>${escapeXml(line)}</text>`);
    });
    body.push('</g>');
  }
  // Below the drawing: the legend, then what is not drawn and why.
  const footer: { text: string; color: string }[] = [
    { text: 'red bar: default-deny (left ingress, right egress) · blue: L7 rules · orange dashed: L7 widened by an L3/L4 allow · red dotted ✕: allowed on one side, dropped on the other · dashed box: outside the scope', color: '#555555' },
  ];
  for (const entry of map.notInForce) footer.push({ text: `not in force (no edge drawn): ${entry.message}`, color: '#b3261e' });
  for (const flow of map.excluded) footer.push({ text: `✕ not allowed: ${bare(flow.from)} → ${bare(flow.to)} ${flow.ports}: ${flow.reason}`, color: '#b3261e' });
  for (const note of map.notes) footer.push({ text: `note: ${note.message}`, color: '#555555' });
  if (map.scope.note) footer.push({ text: map.scope.note, color: '#555555' });
  const footerTop = height + 4;
  const footerLines = footer.slice(0, 60).flatMap((line) => wrap(line.text, 150).map((text, part) => ({ text: part === 0 ? text : `    ${text}`, color: line.color })));
  footerLines.forEach((line, row) => {
    width = Math.max(width, MARGIN * 2 + line.text.length * CHAR_WIDTH);
    body.push(`<text x="${MARGIN}" y="${fixed(footerTop + row * LINE_HEIGHT)}" fill="${line.color}" xml:space="preserve">${escapeXml(line.text)}</text>`);
  });
  height = footerTop + footerLines.length * LINE_HEIGHT + MARGIN / 2;
  const title = options.title ?? mapTitle(map);
  const arrow = (id: string, color: string) => `<marker id="arrow-${id}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${color}"/></marker>`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${Math.ceil(width)}" height="${Math.ceil(height)}" viewBox="0 0 ${Math.ceil(width)} ${Math.ceil(height)}" font-family="ui-monospace, SFMono-Regular, Menlo, Consolas, monospace" font-size="11" role="img" aria-label="${escapeXml(title)}">`,
    `<defs>${arrow('l4', '#4a4a4a')}${arrow('l7', '#1f5fbf')}${arrow('widened', '#c25e00')}${arrow('blocked', '#b3261e')}</defs>`,
    `<rect x="0" y="0" width="${Math.ceil(width)}" height="${Math.ceil(height)}" fill="#fafafa"/>`,
    `<text x="${MARGIN}" y="${MARGIN + 8}" font-size="14" font-weight="bold" fill="#1b1b1b">${escapeXml(title)}</text>`,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}

export function mapTitle(map: ConnectivityMap): string {
  const scope = [map.scope.namespace ? `namespace ${map.scope.namespace}` : undefined, map.scope.cluster ? `cluster ${map.scope.cluster}` : undefined].filter(Boolean).join(', ') || 'whole workspace';
  return `Connectivity: ${scope}${map.ciliumMinor ? ` · Cilium ${map.ciliumMinor}` : ''} · ${map.nodes.length} nodes, ${map.edges.length} edges`;
}

// ---------------------------------------------------------------- Mermaid

function mermaidText(text: string): string {
  return text.replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');
}

/** The map as a Mermaid `flowchart LR` (GitHub renders it in Markdown). */
export function renderConnectivityMermaid(map: ConnectivityMap): string {
  const names = new Map(map.nodes.map((node, position) => [node.id, `n${position}`]));
  const lines = [`%% ${mermaidText(mapTitle(map))}`, 'flowchart LR'];
  for (const node of map.nodes) {
    const text = mermaidText(nodeLines(node).join('<br/>')).replace(/#lt;br\/#gt;/g, '<br/>');
    const [open, close] = node.kind === 'workload' ? ['["', '"]'] : node.kind === 'entity' || node.kind === 'any' ? ['(["', '"])'] : ['{{"', '"}}'];
    lines.push(`  ${names.get(node.id)}${open}${text}${close}`);
  }
  for (const edge of map.edges) {
    const label = mermaidText(edge.flows.map(flowText).join(' / '));
    const arrow = edge.flows.some((flow) => flow.l7WidenedBy) ? '-.->' : '-->';
    lines.push(`  ${names.get(edge.from)} ${arrow}|"${label}"| ${names.get(edge.to)}`);
  }
  const outside = map.nodes.filter((node) => node.kind === 'workload' && !node.inScope).map((node) => names.get(node.id));
  if (outside.length > 0) lines.push(`  classDef outside stroke-dasharray: 4 3`, `  class ${outside.join(',')} outside`);
  for (const entry of map.notInForce) lines.push(`%% not in force: ${mermaidText(entry.message)}`);
  for (const flow of map.excluded) lines.push(`%% not drawn: ${mermaidText(`${flow.from} -> ${flow.to} ${flow.ports}: ${flow.reason}`)}`);
  return `${lines.join('\n')}\n`;
}
