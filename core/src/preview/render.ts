/**
 * Readable renderings of the effective-policy model and of a simulated
 * request, as Markdown (the editor's virtual document, hovers) or plain text
 * (the CLI). Every line that comes from a rule ends with its `file:line`.
 * Pure string building; the file display (relative paths) is passed in.
 */

import type { CiliumAllowEntry, CiliumDenyEntry, CiliumDirectionView, EffectiveNote, EffectivePolicy, IstioPointView, IstioRuleView, L7View, SourceRef } from './model';
import type { SimulateResult } from './simulate';
import { location, type DisplayFile } from './sources';

export type RenderFormat = 'markdown' | 'text';

class Lines {
  readonly lines: string[] = [];
  constructor(
    private readonly format: RenderFormat,
    private readonly display: DisplayFile,
  ) {}

  heading(level: number, text: string): void {
    if (this.lines.length > 0) this.lines.push('');
    if (this.format === 'markdown') this.lines.push(`${'#'.repeat(level)} ${text}`);
    else {
      this.lines.push(text);
      if (level <= 2) this.lines.push((level === 1 ? '=' : '-').repeat(Math.min(text.length, 72)));
    }
  }

  item(depth: number, text: string, source?: SourceRef): void {
    const at = source ? (this.format === 'markdown' ? ` — \`${location(source, this.display)}\`` : `  (${location(source, this.display)})`) : '';
    this.lines.push(`${'  '.repeat(depth)}- ${text}${at}`);
  }

  code(text: string): string {
    return this.format === 'markdown' ? `\`${text.replace(/`/g, "'")}\`` : text;
  }

  text(): string {
    return `${this.lines.join('\n')}\n`;
  }
}

export function renderEffectivePolicy(model: EffectivePolicy, format: RenderFormat, display: DisplayFile = (file) => file): string {
  const out = new Lines(format, display);
  const { workload } = model;
  out.heading(1, `Effective policy of ${workload.id}`);
  if (workload.origin && workload.source.file === '') out.item(0, `pod ${out.code(workload.namespace)} labelled ${out.code(labelText(workload.podLabels))}, service account ${out.code(workload.serviceAccount)} (a label set from the query)`);
  else out.item(0, `${workload.kind} ${out.code(workload.id)}, service account ${out.code(workload.serviceAccount)}${workload.origin ? ` — ${workload.origin.inferred ? 'inferred' : 'declared'} from ${workload.origin.from} (${workload.origin.how})` : ''}`, workload.source);
  if (workload.origin?.inferred) out.item(1, `pod labels (inferred): ${out.code(labelText(workload.podLabels))}`);
  out.heading(2, `Cilium (${model.cilium.minor})`);
  renderCiliumDirection(out, model.cilium.ingress, '←');
  renderCiliumDirection(out, model.cilium.egress, '→');
  out.heading(2, `Istio (${model.istio.mode})`);
  out.item(0, model.istio.modeReason);
  if (model.istio.waypoint) {
    const { waypoint } = model.istio;
    out.item(0, `waypoint ${out.code(`${waypoint.namespace}/${waypoint.name}`)} (from the ${waypoint.via} label): requests pass the waypoint, then the destination ztunnel`, waypoint.source);
  }
  if (model.istio.points.length === 0) out.item(0, 'no Istio authorization is enforced for this workload');
  for (const point of model.istio.points) renderIstioPoint(out, point);
  return out.text();
}

function labelText(labels: Record<string, string>): string {
  return Object.entries(labels).map(([key, value]) => `${key}=${value}`).join(',');
}

function renderCiliumDirection(out: Lines, view: CiliumDirectionView, arrow: string): void {
  const title = view.direction === 'ingress' ? 'Ingress' : 'Egress';
  if (view.selectedBy.length === 0) {
    out.heading(3, `${title}: not restricted`);
    out.item(0, `no policy with an ${view.direction} section selects this workload; everything is allowed`);
    for (const note of view.notes.filter((candidate) => candidate.kind === 'not-in-force')) out.item(0, `⚠ ${note.message}`, note.because);
    return;
  }
  out.heading(3, `${title}: ${view.defaultDeny ? 'default-deny' : 'not default-deny'}`);
  for (const source of view.defaultDenyBy) out.item(0, `default-deny from ${source.rule}`, source);
  for (const source of view.defaultDenyDisabledBy) out.item(0, `enableDefaultDeny.${view.direction}: false in ${source.rule}`, source);
  for (const deny of view.denies) out.item(0, `DENY ${arrow} ${denyText(deny)}`, deny.source);
  for (const allow of view.allows) {
    out.item(0, `${arrow} ${allowText(out, allow)}`, allow.source);
    for (const note of view.notes.filter((candidate) => candidate.at && sameSource(candidate.at, allow.source))) out.item(1, `⚠ ${note.message}`, note.because);
  }
  if (view.allows.length === 0 && view.defaultDeny) out.item(0, 'nothing is allowed');
  else if (view.defaultDeny) out.item(0, 'all else denied');
  for (const note of view.notes.filter((candidate) => !candidate.at || !view.allows.some((allow) => sameSource(candidate.at!, allow.source)))) out.item(0, note.message, note.at);
}

function sameSource(a: SourceRef, b: SourceRef): boolean {
  return a.file === b.file && a.document === b.document && a.start === b.start;
}

function portsText(ports: CiliumAllowEntry['ports']): string {
  return ports === 'all' ? 'all ports' : ports.map((port) => `:${port.text}`).join(', ');
}

export function l7Text(l7: L7View | undefined): string {
  if (!l7) return 'L3/L4 only (every request)';
  const rules = [...l7.http.map((rule) => rule.text), ...l7.other];
  const listed = rules.length > 0 ? rules.join(' · ') : 'no L7 rule (nothing passes)';
  return l7.visibilityOnly ? `${l7.type.toUpperCase()} visibility only: ${listed}` : `${l7.type.toUpperCase()}: ${listed}`;
}

function allowText(out: Lines, allow: CiliumAllowEntry): string {
  return `${allow.peer.text} ${portsText(allow.ports)} — ${out.code(l7Text(allow.l7))}`;
}

function denyText(deny: CiliumDenyEntry): string {
  return `${deny.peer.text} ${portsText(deny.ports)}`;
}

function renderIstioPoint(out: Lines, point: IstioPointView): void {
  const title = point.point === 'waypoint' ? 'Waypoint (L7)' : point.point === 'ztunnel' ? 'ztunnel (L4 only)' : point.point === 'gateway' ? 'Gateway (L7)' : 'Sidecar';
  out.heading(3, title);
  if (point.sourceIdentity === 'waypoint') out.item(0, 'the source identity here is the waypoint, not the client');
  const rule = (label: string, view: IstioRuleView) => {
    const suffix = view.dropped ? ' — dropped by ztunnel' : view.neverMatches ? ' — never matches here' : '';
    out.item(0, `${label} ${out.code(view.text)}${suffix}`, view.source);
  };
  for (const view of point.custom) rule(`CUSTOM (${view.provider ?? '?'})`, view);
  for (const view of point.deny) rule('DENY', view);
  for (const view of point.allow) rule('ALLOW', view);
  if (point.allowPolicies.length > 0) out.item(0, `ALLOW policies apply (${point.allowPolicies.map((source) => source.rule.replace(/^authz /, '')).join(', ')}): what no ALLOW rule matches is denied`);
  else out.item(0, 'no ALLOW policy applies: what no DENY rule matches is allowed');
  for (const source of point.dryRun) out.item(0, `dry-run only (not enforced): ${source.rule}`, source);
  for (const note of point.notes) out.item(1, noteText(note), note.at);
}

function noteText(note: EffectiveNote): string {
  return note.kind.startsWith('ztunnel') ? `⚠ ${note.message}` : note.message;
}

export function renderSimulation(result: SimulateResult, format: RenderFormat, display: DisplayFile = (file) => file): string {
  const out = new Lines(format, display);
  const request = result.request;
  const http = request.method || request.path ? ` ${request.method ?? '*'} ${request.path ?? '*'}` : '';
  out.heading(1, `${result.verdict.toUpperCase()}: ${result.from} → ${result.to} :${request.port}/${request.protocol}${http}`);
  if (result.cluster) out.item(0, result.cluster.scoped ? `cluster ${result.cluster.name}: the policies it deploys` : `cluster ${result.cluster.name}: the paths define no cluster, every policy is judged`);
  for (const layer of result.layers) {
    out.item(0, `${layer.layer}: ${layer.verdict} — ${layer.reason}`);
    for (const source of layer.decidedBy) out.item(1, source.rule, source);
  }
  return out.text();
}
