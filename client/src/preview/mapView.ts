/**
 * The connectivity map panel's content, without the VS Code API: the HTML of
 * the webview (the server's SVG, a details pane, a small script) and the
 * rules behind each element of the map, so a click can open them.
 *
 * Invariants: the HTML loads nothing (CSP `default-src 'none'`, script and
 * style only with the nonce, no remote or local resources); the webview
 * posts only element keys and indexes (`{type: 'open', key, index}`), never
 * paths, and the extension opens only sources listed here for that key; data
 * embedded in the page is escaped so no text of the repository can end the
 * script element.
 */

import type { ConnectivityMapResponse } from '../../../protocol/src/messages';

type ConnectivityMap = Extract<ConnectivityMapResponse, { map: unknown }>['map'];
type SourceRef = ConnectivityMap['edges'][number]['flows'][number]['rules'][number];

export interface MapTargetSource {
  /** `cnp shop/api ingress[0].toPorts[0]`. */
  label: string;
  /** `apps/api-policy.yaml:13`, as shown. */
  location: string;
  file: string;
  line: number;
}

export interface MapTarget {
  title: string;
  lines: string[];
  sources: MapTargetSource[];
}

/** Key of an element in the SVG: `edge:<id>`, `node:<id>`, `excluded:<from->to>`. */
export type MapTargets = Record<string, MapTarget>;

function bare(id: string): string {
  return id.replace(/^[a-z]+:/, '');
}

function unique(sources: SourceRef[]): SourceRef[] {
  const seen = new Set<string>();
  return sources.filter((source) => {
    const key = `${source.file}:${source.document}:${source.start}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Every clickable element of the map with the rules behind it, in model order. */
export function mapTargets(map: ConnectivityMap, display: (file: string) => string): MapTargets {
  const targets: MapTargets = {};
  const sourceOf = (source: SourceRef, label = source.rule): MapTargetSource => ({ label, location: `${display(source.file)}:${source.line}`, file: source.file, line: source.line });
  for (const edge of map.edges) {
    targets[`edge:${edge.id}`] = {
      title: `${bare(edge.from)} → ${bare(edge.to)}`,
      lines: edge.flows.map((flow) => `${flow.ports}${flow.l7.length > 0 ? `: ${flow.l7.join(' · ')}` : ''} (allowed at ${flow.allowedAt.join(', ')})${flow.l7WidenedBy ? ` — L7 widened by ${flow.l7WidenedBy.rule}` : ''}`),
      sources: unique(edge.flows.flatMap((flow) => [...flow.rules, ...(flow.l7WidenedBy ? [flow.l7WidenedBy] : [])])).map((source) => sourceOf(source)),
    };
  }
  const excluded = new Map<string, ConnectivityMap['excluded']>();
  for (const flow of map.excluded) excluded.set(`${flow.from}->${flow.to}`, [...(excluded.get(`${flow.from}->${flow.to}`) ?? []), flow]);
  for (const [id, flows] of excluded) {
    targets[`excluded:${id}`] = {
      title: `not allowed: ${bare(flows[0].from)} → ${bare(flows[0].to)}`,
      lines: flows.map((flow) => `${flow.ports}: ${flow.reason}`),
      sources: unique(flows.flatMap((flow) => flow.rules)).map((source) => sourceOf(source)),
    };
  }
  for (const node of map.nodes) {
    const lines: string[] = [];
    if (node.ingress) lines.push(`ingress ${node.ingress.defaultDeny ? 'default-deny' : 'open (no policy makes it default-deny)'}`);
    if (node.egress) lines.push(`egress ${node.egress.defaultDeny ? 'default-deny' : 'open (no policy makes it default-deny)'}`);
    if (node.istio) lines.push(`Istio ${node.istio.mode}${node.istio.waypoint ? `, waypoint ${node.istio.waypoint}` : ''}${node.istio.allowPolicies.length > 0 ? ', ALLOW policies apply' : ''}`);
    const sources = [
      ...(node.source ? [sourceOf(node.source)] : []),
      ...unique(node.ingress?.by ?? []).map((source) => sourceOf(source, `ingress default-deny: ${source.rule}`)),
      ...unique(node.egress?.by ?? []).map((source) => sourceOf(source, `egress default-deny: ${source.rule}`)),
      ...unique(node.istio?.allowPolicies ?? []).map((source) => sourceOf(source, `Istio ALLOW: ${source.rule}`)),
    ];
    targets[`node:${node.id}`] = { title: node.label, lines, sources };
  }
  return targets;
}

/** JSON that is safe inside `<script type="application/json">`. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export interface MapHtmlInput {
  title: string;
  svg: string;
  targets: MapTargets;
  notes: string[];
  /** A fresh random value per rendering. */
  nonce: string;
}

export function mapHtml(input: MapHtmlInput): string {
  const { nonce } = input;
  const notes = input.notes.map((note) => `<li>${escapeHtml(note)}</li>`).join('');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeHtml(input.title)}</title>
<style nonce="${nonce}">
body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); background: var(--vscode-editor-background); margin: 0; padding: 8px 12px; }
header { display: flex; gap: 12px; align-items: center; margin-bottom: 8px; }
h1 { font-size: 1.1em; margin: 0; font-weight: 600; }
button { color: var(--vscode-button-foreground); background: var(--vscode-button-background); border: none; padding: 3px 10px; cursor: pointer; }
#drawing { overflow: auto; border: 1px solid var(--vscode-panel-border, #8884); }
#drawing .selected rect, #drawing .selected path:last-of-type { stroke-width: 2.6; }
#details { margin-top: 10px; }
#details a { color: var(--vscode-textLink-foreground); cursor: pointer; text-decoration: none; }
#details a:hover { text-decoration: underline; }
#details code { font-family: var(--vscode-editor-font-family); }
ul { margin: 4px 0; padding-left: 20px; }
</style>
</head>
<body>
<header><h1>${escapeHtml(input.title)}</h1><button id="refresh" title="Ask again with the current files">Refresh</button></header>
<div id="drawing">${input.svg}</div>
<section id="details"><p>Click an edge or a node to list the rules behind it; click a rule to open it.</p>${notes ? `<ul>${notes}</ul>` : ''}</section>
<script type="application/json" id="targets">${scriptJson(input.targets)}</script>
<script nonce="${nonce}">
(function () {
  const vscode = acquireVsCodeApi();
  const targets = JSON.parse(document.getElementById('targets').textContent);
  const details = document.getElementById('details');
  function keyOf(element) {
    const group = element.closest('[data-edge],[data-node],[data-excluded]');
    if (!group) return undefined;
    if (group.hasAttribute('data-edge')) return { group, key: 'edge:' + group.getAttribute('data-edge') };
    if (group.hasAttribute('data-excluded')) return { group, key: 'excluded:' + group.getAttribute('data-excluded') };
    return { group, key: 'node:' + group.getAttribute('data-node') };
  }
  function show(key) {
    const target = targets[key];
    details.textContent = '';
    if (!target) return;
    const title = document.createElement('h2');
    title.textContent = target.title;
    details.appendChild(title);
    const lines = document.createElement('ul');
    for (const line of target.lines) { const item = document.createElement('li'); item.textContent = line; lines.appendChild(item); }
    if (target.lines.length > 0) details.appendChild(lines);
    const rules = document.createElement('ul');
    rules.className = 'rules';
    target.sources.forEach(function (source, index) {
      const item = document.createElement('li');
      const link = document.createElement('a');
      link.textContent = source.label;
      link.setAttribute('data-index', String(index));
      link.setAttribute('role', 'link');
      link.addEventListener('click', function () { vscode.postMessage({ type: 'open', key: key, index: index }); });
      const where = document.createElement('code');
      where.textContent = ' ' + source.location;
      item.appendChild(link);
      item.appendChild(where);
      rules.appendChild(item);
    });
    details.appendChild(rules);
  }
  document.getElementById('drawing').addEventListener('click', function (event) {
    const found = keyOf(event.target);
    if (!found) return;
    document.querySelectorAll('#drawing .selected').forEach(function (element) { element.classList.remove('selected'); });
    found.group.classList.add('selected');
    show(found.key);
    vscode.postMessage({ type: 'select', key: found.key });
  });
  document.getElementById('refresh').addEventListener('click', function () { vscode.postMessage({ type: 'refresh' }); });
})();
</script>
</body>
</html>
`;
}

/** The source a webview message asks to open, when it names one the targets list (anything else is ignored). */
export function sourceForMessage(targets: MapTargets, message: unknown): MapTargetSource | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const { type, key, index } = message as { type?: unknown; key?: unknown; index?: unknown };
  if (type !== 'open' || typeof key !== 'string' || typeof index !== 'number' || !Number.isInteger(index)) return undefined;
  if (!Object.prototype.hasOwnProperty.call(targets, key)) return undefined;
  return targets[key].sources[index];
}
