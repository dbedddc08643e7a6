/**
 * The inline preview: CodeLenses above each Cilium/Istio policy and each of
 * its rules, and the hover on a rule, saying which workloads the policy
 * selects and what the rule amounts to once every policy is combined — e.g.
 * `checkout-api ← web-frontend :8080/TCP  POST /api/v2/orders · GET /api/v2/orders/.*  (all else on :8080 denied)`,
 * with a second lens when another policy widens or overrides it.
 *
 * Lenses stay short (lists truncated with "… +N"); clicking one opens the
 * effective-policy view of the workload (`meshlens.showEffectivePolicy`).
 * Providers never throw: any failure yields no lens/hover.
 */

import type { CodeLensItem, CodeLensProvider, CodeLensRequest } from './codeLens';
import type { HoverProvider } from './hover';
import type { AnalysisOptions } from '../options';
import { nodeAtPath } from '../parse/ast';
import type { K8sIndex, WorkloadInfo } from '../policy/k8sIndex';
import type { WorkspaceView, WorkspaceFile } from '../workspace/workspace';
import { previewIndex } from '../preview/workloads/previewIndex';
import { originOf } from '../preview/workloads/inferredWorkloads';
import { explainNoMatch } from '../preview/workloads/nearMatches';
import { textUnknownUntilRender } from '../parse/unknownValue';
import { ciliumPolicyIndex, subjectMatches, workloadId, type CiliumSpecEntry } from '../preview/ciliumIndex';
import { decidePortForWorkload } from '../preview/ciliumEffective';
import { countExamined } from '../preview/ciliumEntryIndex';
import { effectivePolicy, workloadsOfAuthz } from '../preview/effectivePolicy';
import { istioPolicyIndex, type IstioPolicyEntry } from '../preview/istioIndex';
import type { CiliumAllowEntry, CiliumDenyEntry, CiliumDirectionView, CiliumPeer, EffectivePolicy, IstioRuleView, SourceRef } from '../preview/model';
import { shortLocation } from '../preview/sources';
import { appendAll } from '../util/appendAll';
import { containedError } from '../util/containedErrors';

export const SHOW_EFFECTIVE_POLICY_COMMAND = 'meshlens.showEffectivePolicy';
const MAX_TITLE = 160;
const MAX_HOVER_WORKLOADS = 3;

function truncate(text: string): string {
  return text.length > MAX_TITLE ? `${text.slice(0, MAX_TITLE - 1)}…` : text;
}

function listNames(names: string[], max = 2): string {
  if (names.length === 0) return 'no workload in the workspace';
  return names.length > max ? `${names.slice(0, max).join(', ')} … +${names.length - max}` : names.join(', ');
}

function command(workload: string | undefined): CodeLensItem['command'] {
  return workload ? { id: SHOW_EFFECTIVE_POLICY_COMMAND, arguments: [{ workload }] } : undefined;
}

/** Short name of a workload id seen from a namespace. */
function shortName(id: string, namespace: string | undefined): string {
  return namespace && id.startsWith(`${namespace}/`) ? id.slice(namespace.length + 1) : id;
}

// ---------------------------------------------------------------- Cilium

interface EntryLine {
  title: string;
  notes: string[];
}

/** What one allow entry amounts to for a selected workload, as lens text. */
function describeAllow(allow: CiliumAllowEntry, view: CiliumDirectionView, workload: WorkloadInfo, index: K8sIndex, workspace: WorkspaceView): EntryLine {
  const arrow = view.direction === 'ingress' ? '←' : '→';
  const self = workload.name;
  const peerName = peerLabel(allow.peer, workload.namespace);
  const notes = notesAt(view, allow.source);
  if (allow.ports === 'all') return { title: `${self} ${arrow} ${peerName} all ports (L3 only)${view.defaultDeny ? '' : '  (direction not default-deny)'}`, notes };
  const parts: string[] = [];
  for (const port of allow.ports) {
    const number = /^\d+$/.test(port.port) ? Number(port.port) : port.port;
    const protocol = port.protocol === 'ANY' ? 'TCP' : port.protocol;
    const peerWorkload = firstPeerWorkload(allow.peer, index);
    let l7 = allow.l7 ? ruleList(allow.l7.http.map((rule) => rule.text).concat(allow.l7.other)) : 'L3/L4 only';
    let tail = '';
    if (peerWorkload) {
      const decision = decidePortForWorkload(view, peerWorkload, index, number, protocol);
      if (!decision.allowed) {
        l7 = 'denied';
        tail = decision.deniedBy ? `  (deny at ${shortLocation(decision.deniedBy.source)} wins)` : '';
      } else if (decision.l7 === 'restricted') {
        l7 = ruleList(decision.http.map((rule) => rule.text).concat(decision.other));
        if (view.defaultDeny) tail = `  (all else on :${port.port} denied)`;
      } else if (decision.l7 === 'unrestricted') {
        l7 = allow.l7 ? `${ruleList(allow.l7.http.map((rule) => rule.text).concat(allow.l7.other))} — ineffective, L7 unrestricted` : 'L3/L4 only, every request';
        if (allow.l7 && decision.widenedBy && decision.widenedBy !== allow && !notes.some((note) => note.startsWith('L7 unrestricted'))) {
          notes.push(`L7 unrestricted on :${port.port} for ${peerWorkload.name} because ${shortLocation(decision.widenedBy.source)} allows the port without rules`);
        }
      }
    } else if (allow.l7 && view.defaultDeny && !allow.l7.visibilityOnly) {
      tail = `  (all else on :${port.port} denied)`;
    }
    if (allow.l7?.visibilityOnly) l7 = `visibility only: ${l7}`;
    parts.push(`:${port.text}  ${l7}${tail}`);
  }
  void workspace;
  return { title: `${self} ${arrow} ${peerName} ${parts.join(' | ')}`, notes };
}

/** A direction's note messages by the source they are about, built once per view (each lens asks for its own). */
const notesBySource = new WeakMap<CiliumDirectionView, Map<string, string[]>>();

function sourceKey(source: { file: string; document: number; start: number }): string {
  return `${source.file}\u0000${source.document}\u0000${source.start}`;
}

/** Messages of the view's notes about `source`, in model order (a fresh array: callers may add to it). */
function notesAt(view: CiliumDirectionView, source: SourceRef): string[] {
  let bySource = notesBySource.get(view);
  if (!bySource) {
    bySource = new Map();
    countExamined(view.notes.length);
    for (const note of view.notes) {
      if (!note.at) continue;
      const key = sourceKey(note.at);
      const list = bySource.get(key) ?? [];
      list.push(note.message);
      bySource.set(key, list);
    }
    notesBySource.set(view, bySource);
  }
  return [...(bySource.get(sourceKey(source)) ?? [])];
}

function describeDeny(deny: CiliumDenyEntry, view: CiliumDirectionView, workload: WorkloadInfo): EntryLine {
  const arrow = view.direction === 'ingress' ? '←' : '→';
  const ports = deny.ports === 'all' ? 'all ports' : deny.ports.map((port) => `:${port.text}`).join(', ');
  return { title: `${workload.name} ✗ ${arrow} ${peerLabel(deny.peer, workload.namespace)} ${ports} denied (deny wins over every allow)`, notes: [] };
}

function ruleList(rules: string[]): string {
  if (rules.length === 0) return 'nothing passes L7';
  return rules.length > 3 ? `${rules.slice(0, 3).join(' · ')} … +${rules.length - 3}` : rules.join(' · ');
}

function peerLabel(peer: CiliumPeer, namespace: string): string {
  if ((peer.kind === 'endpoints') && peer.workloads.length > 0) return listNames(peer.workloads.map((id) => shortName(id, namespace)));
  return peer.text;
}

/** Workloads by id, once per index (the first declared one wins, as a scan in index order would find). */
const workloadsById = new WeakMap<K8sIndex, Map<string, WorkloadInfo>>();

function firstPeerWorkload(peer: CiliumPeer, index: K8sIndex): WorkloadInfo | undefined {
  if (peer.kind !== 'endpoints' || peer.workloads.length === 0) return undefined;
  let byId = workloadsById.get(index);
  if (!byId) {
    byId = new Map();
    for (const workload of index.workloads) if (!byId.has(workloadId(workload))) byId.set(workloadId(workload), workload);
    workloadsById.set(index, byId);
  }
  return byId.get(peer.workloads[0]);
}

/** ` (inferred from HelmRelease media/jellyfin)` when the first selected workload is not declared. */
function inferredNote(workloads: WorkloadInfo[]): string {
  const origin = workloads[0] ? originOf(workloads[0]) : undefined;
  if (!origin) return '';
  return origin.inferred ? ` (inferred from ${origin.from})` : ` (from ${origin.from})`;
}

/** The subject matches nothing: say what it would select and why nothing does. */
function noSubjectMatch(spec: CiliumSpecEntry, index: K8sIndex): string {
  const subject = spec.subject;
  if (!subject) return 'no workload (a host policy or a spec without endpointSelector)';
  if (subject.reserved) return 'no workload (only reserved identities, which are Cilium\'s own, not pods)';
  const values = [...Object.values(subject.selector.matchLabels ?? {}), ...(subject.selector.matchExpressions ?? []).flatMap((requirement) => requirement.values ?? [])];
  if (values.some((value) => textUnknownUntilRender(value))) return 'no workload known: the selector is completed at deploy time (${…} substitution or a template)';
  return `no workload: ${explainNoMatch(subject.selector, subject.namespace, index)}`;
}

function selectedWorkloads(spec: CiliumSpecEntry, index: K8sIndex): WorkloadInfo[] {
  return index.workloads.filter((workload) => subjectMatches(spec.subject, workload, index));
}

function fileStart(file: WorkspaceFile, source: SourceRef | { document: number; start: number }): number {
  return (file.yaml.documents[source.document]?.start ?? 0) + source.start;
}

/** Rule items described between two steps of the lens work (a step stays a few milliseconds on big policies). */
const ENTRIES_PER_STEP = 32;

function* ciliumLenses(workspace: WorkspaceView, file: WorkspaceFile, options: AnalysisOptions): Generator<void, CodeLensItem[], void> {
  // The workload index, the policy index and each effective model are big computations of their own on a big
  // repository or policy: a step each.
  const index = previewIndex(workspace);
  yield;
  const policies = ciliumPolicyIndex(workspace, options);
  yield;
  const items: CodeLensItem[] = [];
  const variants = new VariantHeads();
  for (const spec of policies.specs) {
    if (spec.file !== file.path) continue;
    // A document several Flux Kustomizations apply with different variables: lenses for the first, a count on its head.
    if (variants.seen(spec.document, spec.source.start)) continue;
    const workloads = selectedWorkloads(spec, index);
    const first = workloads[0];
    const head = spec.source.rule.includes('specs[') ? fileStart(file, spec.source) : fileStart(file, { document: spec.document, start: file.yaml.documents[spec.document]?.parsed.root?.start ?? 0 });
    if (spec.notInForce) {
      // A refused policy is not enforced anywhere: say so instead of describing rules that do nothing.
      items.push(variants.head(spec.document, spec.source.start, { start: head, end: head, title: truncate(`⚠ not in force: ${spec.notInForce.reason}`), command: command(workloads[0] && workloadId(workloads[0])) }));
      continue;
    }
    const model = first ? effectivePolicy(workspace, workloadId(first), options) : undefined;
    yield;
    const directions = model ? (['ingress', 'egress'] as const).filter((direction) => spec.sections.some((section) => section.direction === direction)).map((direction) => `${direction} ${model.cilium[direction].defaultDeny ? 'default-deny' : 'not default-deny'}`) : [];
    const selects = workloads.length > 0 ? `selects ${listNames(workloads.map((workload) => shortName(workloadId(workload), spec.policyNamespace)), 3)}${inferredNote(workloads)}` : `selects ${noSubjectMatch(spec, index)}`;
    items.push(variants.head(spec.document, spec.source.start, { start: head, end: head, title: truncate(`${selects}${directions.length ? ` · ${directions.join(' · ')}` : ''}`), command: command(first && workloadId(first)) }));
    if (!first || !model) continue;
    const more = workloads.length > 1 ? ` (+${workloads.length - 1} more selected)` : '';
    const seen = new Set<number>();
    // Allows that share a source (one toPorts entry seen by several peers) make one lens: group them once.
    const siblingsAt = new Map<number, CiliumAllowEntry[]>();
    countExamined(spec.allows.length);
    for (const { entry } of spec.allows) {
      const list = siblingsAt.get(entry.source.start) ?? [];
      list.push(entry);
      siblingsAt.set(entry.source.start, list);
    }
    let described = 0;
    for (const { direction, entry } of spec.allows) {
      if (seen.has(entry.source.start)) continue;
      seen.add(entry.source.start);
      if (++described % ENTRIES_PER_STEP === 0) yield;
      const view = model.cilium[direction];
      const siblings = siblingsAt.get(entry.source.start) ?? [entry];
      const lines = siblings.map((sibling) => describeAllow(sibling, view, first, index, workspace));
      const at = fileStart(file, entry.source);
      items.push({ start: at, end: at, title: truncate(lines.map((line) => line.title).join(' ; ') + more), command: command(workloadId(first)) });
      const notes = [...new Set(lines.flatMap((line) => line.notes))];
      if (notes.length > 0) items.push({ start: at, end: at, title: truncate(`⚠ ${notes[0]}${notes.length > 1 ? ` … +${notes.length - 1}` : ''}`), command: command(workloadId(first)) });
    }
    for (const { direction, entry } of spec.denies) {
      if (seen.has(entry.source.start)) continue;
      seen.add(entry.source.start);
      const at = fileStart(file, entry.source);
      items.push({ start: at, end: at, title: truncate(describeDeny(entry, model.cilium[direction], first).title), command: command(workloadId(first)) });
      if (++described % ENTRIES_PER_STEP === 0) yield;
    }
    yield;
  }
  variants.finish();
  return items;
}

/**
 * Head lenses of documents that several builds apply differently (`${VAR}` substituted per Flux Kustomization):
 * the first variant gets the lenses, its head says how many more builds apply the document.
 */
class VariantHeads {
  private readonly heads = new Map<string, { item: CodeLensItem; more: number }>();

  /** True when a variant of this document was already described (and counts it). */
  seen(document: number, start: number): boolean {
    const known = this.heads.get(`${document}:${start}`);
    if (known) known.more++;
    return known !== undefined;
  }

  head(document: number, start: number, item: CodeLensItem): CodeLensItem {
    this.heads.set(`${document}:${start}`, { item, more: 0 });
    return item;
  }

  finish(): void {
    for (const { item, more } of this.heads.values()) {
      if (more > 0) item.title = truncate(`${item.title} · +${more} more as other Flux Kustomizations build it`);
    }
  }
}

// ---------------------------------------------------------------- Istio

interface RuleAtWorkload {
  point: string;
  rule: IstioRuleView;
  defaultDeny: boolean;
}

/** A model's Istio rules by source, built once per model (each rule lens asks for its own). */
const istioRulesBySource = new WeakMap<EffectivePolicy, Map<string, RuleAtWorkload[]>>();

/** Where (which enforcement point) and how a policy's rule is seen by the workload's effective model. */
function rulesAt(model: EffectivePolicy, source: SourceRef): RuleAtWorkload[] {
  let bySource = istioRulesBySource.get(model);
  if (!bySource) {
    bySource = new Map();
    for (const point of model.istio.points) {
      for (const rule of [...point.custom, ...point.deny, ...point.allow]) {
        countExamined(1);
        const key = sourceKey(rule.source);
        const list = bySource.get(key) ?? [];
        list.push({ point: point.point, rule, defaultDeny: point.allowPolicies.length > 0 });
        bySource.set(key, list);
      }
    }
    istioRulesBySource.set(model, bySource);
  }
  return bySource.get(sourceKey(source)) ?? [];
}

function istioRuleTitle(workload: WorkloadInfo, rule: IstioRuleView, seen: RuleAtWorkload[]): string {
  const label = `${workload.name} ← ${rule.action} ${rule.text}`;
  if (seen.length === 0) return `${label}  (not enforced for ${workload.name}: ${rule.action === 'CUSTOM' ? 'no matching enforcement point' : 'its data plane does not receive this policy'})`;
  const parts = seen.map(({ point, rule: view, defaultDeny }) => {
    if (view.dropped) return `${point}: dropped (${view.dropped.join(', ')} need a waypoint)`;
    if (view.neverMatches) return `${point}: never fires${view.stripped ? ` (${view.stripped.join(', ')} stripped)` : ''}`;
    if (view.stripped) return `${point}: ${view.stripped.join(', ')} stripped, broader deny`;
    return `${point}${view.action === 'ALLOW' && defaultDeny ? ', all else denied' : ''}`;
  });
  return `${label}  (${parts.join('; ')})`;
}

function* istioLenses(workspace: WorkspaceView, file: WorkspaceFile, options: AnalysisOptions): Generator<void, CodeLensItem[], void> {
  const index = previewIndex(workspace);
  const istio = istioPolicyIndex(workspace, options);
  const items: CodeLensItem[] = [];
  const variants = new VariantHeads();
  for (const policy of istio.policies) {
    if (policy.source.file !== file.path) continue;
    if (variants.seen(policy.source.document, policy.source.start)) continue;
    yield;
    const workloads = workloadsOfAuthz(policy, index, istio.rootNamespace);
    const first = workloads[0];
    const model = first ? effectivePolicy(workspace, workloadId(first), options) : undefined;
    const head = fileStart(file, { document: policy.source.document, start: file.yaml.documents[policy.source.document]?.parsed.root?.start ?? 0 });
    items.push(variants.head(policy.source.document, policy.source.start, { start: head, end: head, title: truncate(policyTitle(policy, workloads, model, index, istio.rootNamespace)), command: command(first && workloadId(first)) }));
    if (!first || !model) continue;
    for (const [position, rule] of policy.rules.entries()) {
      if (position > 0 && position % ENTRIES_PER_STEP === 0) yield;
      const at = fileStart(file, rule.source);
      items.push({ start: at, end: at, title: truncate(istioRuleTitle(first, rule, rulesAt(model, rule.source))), command: command(workloadId(first)) });
    }
  }
  variants.finish();
  return items;
}

function policyTitle(policy: IstioPolicyEntry, workloads: WorkloadInfo[], model: EffectivePolicy | undefined, index: K8sIndex, rootNamespace: string): string {
  const names = workloads.length > 0 ? `${listNames(workloads.map((workload) => shortName(workloadId(workload), policy.namespace)), 3)}${inferredNote(workloads)}` : `no workload: ${noAuthzMatch(policy, index, rootNamespace)}`;
  const where = model ? model.istio.points.filter((point) => rulesOrPolicyAt(point, policy)).map((point) => point.point) : [];
  const enforced = model && where.length === 0 ? ` · not enforced for ${model.workload.name} (${model.istio.mode})` : where.length > 0 ? ` · enforced by ${where.join(' + ')}` : '';
  const shape = !policy.hasRules && policy.action === 'ALLOW' ? ' · allows nothing' : '';
  return `${policy.action}${policy.dryRun ? ' (dry-run)' : ''} · applies to ${names}${enforced}${shape}`;
}

function noAuthzMatch(policy: IstioPolicyEntry, index: K8sIndex, rootNamespace: string): string {
  const scope = policy.scope;
  if (scope.kind === 'selector') return explainNoMatch({ matchLabels: scope.matchLabels }, scope.inRootNamespace || policy.namespace === rootNamespace ? undefined : policy.namespace, index);
  if (scope.kind === 'targetRefs') return `no workload behind ${scope.refs.map((ref) => `${ref.kind} ${ref.name}`).join(', ')}`;
  return explainNoMatch({}, scope.kind === 'namespace' ? policy.namespace : undefined, index);
}

function rulesOrPolicyAt(point: EffectivePolicy['istio']['points'][number], policy: IstioPolicyEntry): boolean {
  const same = (source: SourceRef) => source.file === policy.source.file && source.document === policy.source.document;
  return [...point.custom, ...point.deny, ...point.allow].some((rule) => same(rule.source)) || point.allowPolicies.some(same);
}

// ---------------------------------------------------------------- providers

export const previewLens: CodeLensProvider = (request) => previewLensSteps(request);

function* previewLensSteps({ workspace, file, options }: CodeLensRequest): Generator<void, CodeLensItem[], void> {
  try {
    const kinds = new Set(file.identities.map((identity) => identity?.kind));
    const items: CodeLensItem[] = [];
    if (kinds.has('CiliumNetworkPolicy') || kinds.has('CiliumClusterwideNetworkPolicy') || kinds.has('NetworkPolicy')) appendAll(items, yield* ciliumLenses(workspace, file, options));
    if (kinds.has('AuthorizationPolicy')) appendAll(items, yield* istioLenses(workspace, file, options));
    return items;
  } catch (error) {
    containedError('features/effective-policy-lens', error);
    return [];
  }
}

const CILIUM_RULE_KEYS = new Set(['ingress', 'egress', 'ingressDeny', 'egressDeny']);

/** Hover on a rule: its effective detail for the workloads the policy selects, in Markdown. */
export const previewHover: HoverProvider = ({ workspace, file, cursor, options }) => {
  try {
    if (!cursor.onKey) return undefined;
    const identity = file.identities[cursor.documentIndex];
    if (!identity) return undefined;
    const path = cursor.path;
    const key = cursor.onKey.key;
    const range = { start: cursor.document.start + key.start, end: cursor.document.start + key.end };
    if (identity.kind === 'CiliumNetworkPolicy' || identity.kind === 'CiliumClusterwideNetworkPolicy' || (identity.kind === 'NetworkPolicy' && identity.group === 'networking.k8s.io')) {
      const at = path.findIndex((segment, position) => typeof segment === 'string' && CILIUM_RULE_KEYS.has(segment) && typeof path[position + 1] === 'number');
      const last = path[path.length - 1];
      if (at === -1 || typeof last !== 'string' || !isRuleKey(last)) return undefined;
      const ruleNode = nodeAtPath(cursor.document.parsed.root, path.slice(0, at + 2));
      if (!ruleNode) return undefined;
      const contents = ciliumRuleHover(workspace, file, cursor.documentIndex, ruleNode, options);
      return contents ? { contents, ...range } : undefined;
    }
    if (identity.kind === 'AuthorizationPolicy' && path[0] === 'spec' && path[1] === 'rules') {
      const last = path[path.length - 1];
      if (!(last === 'rules' || last === 'from' || last === 'to' || last === 'when')) return undefined;
      const contents = istioRuleHover(workspace, file, cursor.documentIndex, typeof path[2] === 'number' ? path[2] : undefined, options);
      return contents ? { contents, ...range } : undefined;
    }
    return undefined;
  } catch (error) {
    containedError('features/effective-policy-hover', error);
    return undefined;
  }
};

function isRuleKey(key: string): boolean {
  return key === 'toPorts' || key === 'rules' || key === 'ports' || key === 'http' || key === 'from' || key === 'to' || /^(from|to)[A-Z]/.test(key);
}

function ciliumRuleHover(workspace: WorkspaceView, file: WorkspaceFile, documentIndex: number, rule: { start: number; end: number }, options: AnalysisOptions): string | undefined {
  const index = previewIndex(workspace);
  const lines: string[] = [];
  for (const spec of ciliumPolicyIndex(workspace, options).specs) {
    if (spec.file !== file.path || spec.document !== documentIndex) continue;
    // Entries of the hovered rule item: their sources (the item or its toPorts entries) lie inside it.
    const ruleEntries = [...spec.allows.map((allow) => ({ ...allow, deny: false as const })), ...spec.denies.map((deny) => ({ ...deny, deny: true as const }))].filter(
      (candidate) => candidate.entry.source.start >= rule.start && candidate.entry.source.end <= rule.end,
    );
    if (ruleEntries.length === 0) continue;
    if (spec.notInForce) {
      lines.push(`**Not in force** (${spec.label}): ${spec.notInForce.reason}. The rule allows and denies nothing until the policy is fixed.`);
      continue;
    }
    const workloads = selectedWorkloads(spec, index);
    if (workloads.length === 0) {
      lines.push(`**Selects no workload** the repository declares or implies (${noSubjectMatch(spec, index)}); add the pods to a \`Workloads\` document if they come from elsewhere.`);
      continue;
    }
    lines.push(`**Effective result** (${spec.label}, Cilium ${ciliumPolicyIndex(workspace, options).minor}):`, '');
    for (const workload of workloads.slice(0, MAX_HOVER_WORKLOADS)) {
      const origin = originOf(workload);
      if (origin) lines.push(`- _${workload.name}: ${origin.inferred ? 'inferred' : 'declared'} from ${origin.from} (${origin.how})_`);
    }
    for (const workload of workloads.slice(0, MAX_HOVER_WORKLOADS)) {
      const model = effectivePolicy(workspace, workloadId(workload), options);
      if (!model) continue;
      for (const candidate of ruleEntries) {
        const view = model.cilium[candidate.direction];
        const line = candidate.deny ? describeDeny(candidate.entry as CiliumDenyEntry, view, workload) : describeAllow(candidate.entry as CiliumAllowEntry, view, workload, index, workspace);
        lines.push(`- \`${line.title.replace(/`/g, "'")}\``);
        for (const note of line.notes) lines.push(`  - ⚠ ${note}`);
      }
    }
    if (workloads.length > MAX_HOVER_WORKLOADS) lines.push(`- … and ${workloads.length - MAX_HOVER_WORKLOADS} more workloads`);
  }
  return lines.length > 0 ? lines.join('\n') : undefined;
}

function istioRuleHover(workspace: WorkspaceView, file: WorkspaceFile, documentIndex: number, ruleIndex: number | undefined, options: AnalysisOptions): string | undefined {
  const index = previewIndex(workspace);
  const istio = istioPolicyIndex(workspace, options);
  const policy = istio.policies.find((candidate) => candidate.source.file === file.path && candidate.source.document === documentIndex);
  if (!policy) return undefined;
  const workloads = workloadsOfAuthz(policy, index, istio.rootNamespace);
  if (workloads.length === 0) return `**Applies to no workload** the repository declares or implies (${noAuthzMatch(policy, index, istio.rootNamespace)}).`;
  const rules = ruleIndex === undefined ? policy.rules : policy.rules.filter((rule) => rule.index === ruleIndex);
  const lines = [`**Effective result** (${policy.action} ${policy.namespace}/${policy.name}):`, ''];
  for (const workload of workloads.slice(0, MAX_HOVER_WORKLOADS)) {
    const model = effectivePolicy(workspace, workloadId(workload), options);
    if (!model) continue;
    for (const rule of rules) lines.push(`- \`${istioRuleTitle(workload, rule, rulesAt(model, rule.source)).replace(/`/g, "'")}\``);
  }
  if (workloads.length > MAX_HOVER_WORKLOADS) lines.push(`- … and ${workloads.length - MAX_HOVER_WORKLOADS} more workloads`);
  return lines.join('\n');
}
