/**
 * Every CiliumNetworkPolicy / CiliumClusterwideNetworkPolicy of the workspace
 * read into plain entries for the effective-policy model: per spec its
 * subject (endpoint selector with the CNP namespace rule), the sections it
 * has per direction with their `enableDefaultDeny`, and flattened allow and
 * deny entries (one per peer × port rule) with L7 rules.
 *
 * Semantics applied here (Cilium docs and `pkg/policy`, see the reference
 * notes B1–B5):
 * - a CNP's subject is limited to its namespace (a namespace label in the
 *   selector is ignored); a CCNP's is not;
 * - CNP peer selectors without a namespace key get the policy's namespace
 *   (not when they use namespace labels on 1.16+ or reserved keys); CCNP peer
 *   selectors match pods of any namespace;
 * - a rule without a peer field applies to every peer; an empty peer list
 *   selects none; a rule with neither peers nor ports allows nothing; a
 *   `toPorts` entry without ports contributes nothing.
 *
 * Computed once per workspace generation (`ciliumPolicyIndex`); never throws.
 */

import { deref, mapGet, mapGetPair, scalarString, type YamlNode } from '../parse/ast';
import { clusterCiliumContext, minorAtLeast } from '../policy/ciliumContext';
import { parseCnp, scalarText, type CnpPeerField, type CnpPortRule, type CnpRule, type CnpSpec } from '../policy/cnpModel';
import type { AnalysisOptions } from '../options';
import { readLabelSelector, type K8sIndex, type LabelSelector, type LabelSelectorRequirement, type WorkloadInfo } from '../policy/k8sIndex';
import type { WorkspaceView } from '../workspace/workspace';
import { previewIndex } from './workloads/previewIndex';
import { countExamined } from './ciliumEntryIndex';
import type { CiliumAllowEntry, CiliumDenyEntry, CiliumPeer, CiliumPort, HttpRuleView, L7View, SourceRef } from './model';
import { sourceMaker, type SourceMaker } from './sources';
import { networkPolicySpecs } from './networkPolicyIndex';
import { deriveWithAllOptions } from '../workspace/deriveWith';
import { documentVariants } from '../gitops/documentVariants';

export const POD_NAMESPACE_KEY = 'io.kubernetes.pod.namespace';
const NAMESPACE_LABEL_PREFIX = 'io.cilium.k8s.namespace.labels.';
const SERVICE_ACCOUNT_KEY = 'io.cilium.k8s.policy.serviceaccount';

export interface CiliumSubject {
  selector: LabelSelector;
  /** CNP: the policy namespace; CCNP: undefined. */
  namespace?: string;
  /** The selector names `reserved:` identities only (never a workload). */
  reserved: boolean;
}

export interface CiliumSectionInfo {
  direction: 'ingress' | 'egress';
  deny: boolean;
  source: SourceRef;
}

export interface CiliumSpecEntry {
  /** `cnp shop/checkout-api` or `ccnp baseline` (plus `specs[i]` for list entries). */
  label: string;
  file: string;
  document: number;
  clusterwide: boolean;
  policyNamespace?: string;
  /** Undefined for host policies (`nodeSelector`) and specs without a subject. */
  subject?: CiliumSubject;
  source: SourceRef;
  sections: CiliumSectionInfo[];
  enableDefaultDeny: { ingress?: boolean; egress?: boolean };
  /** The clusters whose builds apply this variant of the document (substituted per build); undefined: every cluster that deploys the file. */
  clusters?: readonly number[];
  allows: { direction: 'ingress' | 'egress'; entry: CiliumAllowEntry }[];
  denies: { direction: 'ingress' | 'egress'; entry: CiliumDenyEntry }[];
  /** Rules that contribute nothing (`{}` without peers or ports, `toPorts` without ports). */
  inert: { direction: 'ingress' | 'egress'; source: SourceRef; reason: string }[];
  /**
   * The policy is refused as a whole (by the agent or the API server): it
   * allows and denies nothing; `reason` says why and `at` where.
   */
  notInForce?: { by: 'agent' | 'api-server'; rule: string; reason: string; at: SourceRef };
}

export interface CiliumPolicyIndex {
  minor: string;
  specs: CiliumSpecEntry[];
}

export function ciliumPolicyIndex(workspace: WorkspaceView, options: AnalysisOptions): CiliumPolicyIndex {
  // The index asks the rules which policies the agent refuses: it reads every option.
  return deriveWithAllOptions(workspace, 'preview-cilium', options, () => buildIndex(workspace, options));
}

function buildIndex(workspace: WorkspaceView, options: AnalysisOptions): CiliumPolicyIndex {
  const minor = clusterCiliumContext(workspace, options).minor;
  const index = previewIndex(workspace);
  const makeSource = sourceMaker(workspace);
  const specs: CiliumSpecEntry[] = [];
  for (const kind of ['CiliumNetworkPolicy', 'CiliumClusterwideNetworkPolicy']) {
    for (const document of workspace.byKind(kind)) {
      if (document.identity.group !== 'cilium.io') continue;
      // As each build applies it (`${VAR}` substituted, the build's namespace); one variant for most documents.
      for (const variant of documentVariants(workspace, document)) {
        const policy = parseCnp(variant.root, kind);
        if (!policy) continue;
        const namespace = policy.clusterwide ? undefined : variant.namespace ?? index.effectiveNamespace(document.file, document.identity.namespace).namespace;
        const name = scalarString(mapGet(deref(mapGet(deref(variant.root), 'metadata')), 'name')) ?? document.identity.name ?? '?';
        const base = policy.clusterwide ? `ccnp ${name}` : `cnp ${namespace}/${name}`;
        const refusal = workspace.policyRefusals(document.file, document.index, options)[0];
        const notInForce = refusal
          ? {
              by: refusal.by,
              rule: refusal.rule,
              reason: `${refusal.by === 'agent' ? 'the Cilium agent' : 'the API server'} refuses the whole policy (${refusal.rule}: ${refusal.message.replace(/; every agent rejects the whole policy\.?/, '')})`,
              at: makeSource(document.file, document.index, refusal, `${base} (${refusal.rule})`),
            }
          : undefined;
        policy.specs.forEach((spec) => {
          const prefix = specPrefix(variant.root, spec);
          const reader = new SpecReader({ file: document.file, document: document.index, label: base, prefix, namespace, clusterwide: policy.clusterwide, minor, index, makeSource });
          const entry = reader.read(spec);
          if (notInForce) entry.notInForce = notInForce;
          if (variant.clusters) entry.clusters = variant.clusters;
          specs.push(entry);
        });
      }
    }
  }
  // Kubernetes NetworkPolicies land in the same repository of rules (see networkPolicyIndex.ts).
  specs.push(...networkPolicySpecs(workspace, index, makeSource));
  return { minor, specs };
}

interface ReaderContext {
  file: string;
  document: number;
  label: string;
  prefix: string;
  namespace?: string;
  clusterwide: boolean;
  minor: string;
  index: K8sIndex;
  makeSource: SourceMaker;
}

class SpecReader {
  constructor(private readonly context: ReaderContext) {}

  private source(node: { start: number; end: number }, path: string): SourceRef {
    const { file, document, label, prefix } = this.context;
    return this.context.makeSource(file, document, node, path ? `${label} ${prefix}${path}` : label);
  }

  read(spec: CnpSpec): CiliumSpecEntry {
    const { context } = this;
    const subjectNode = spec.endpointSelector ? deref(spec.endpointSelector.value) : undefined;
    const subject = subjectNode && subjectNode.type === 'map' && !spec.nodeSelector ? this.subject(subjectNode) : undefined;
    const enable = deref(mapGet(spec.node, 'enableDefaultDeny'));
    const entry: CiliumSpecEntry = {
      label: `${context.label}${context.prefix ? ` ${context.prefix.replace(/\.$/, '')}` : ''}`,
      file: context.file,
      document: context.document,
      clusterwide: context.clusterwide,
      policyNamespace: context.namespace,
      subject,
      source: this.source(spec.endpointSelector?.key ?? spec.keyNode, ''),
      sections: [],
      enableDefaultDeny: minorAtLeast(context.minor, '1.16') ? { ingress: booleanOf(mapGet(enable, 'ingress')), egress: booleanOf(mapGet(enable, 'egress')) } : {},
      allows: [],
      denies: [],
      inert: [],
    };
    for (const section of spec.sections) {
      const direction = section.direction.startsWith('ingress') ? 'ingress' : 'egress';
      entry.sections.push({ direction, deny: section.direction.endsWith('Deny'), source: this.source(section.pair.key, section.direction) });
      section.rules.forEach((rule) => this.readRule(entry, rule, direction, sectionIndexOf(spec, rule)));
    }
    return entry;
  }

  private subject(node: YamlNode): CiliumSubject {
    const normalized = normalizeSelector(readLabelSelector(node));
    if (this.context.clusterwide) return { selector: normalized.selector, reserved: normalized.reserved };
    // A CNP selects in its own namespace only; a namespace key in the selector is ignored.
    return { selector: withoutKey(normalized.selector, POD_NAMESPACE_KEY), namespace: this.context.namespace, reserved: normalized.reserved };
  }

  private readRule(entry: CiliumSpecEntry, rule: CnpRule, direction: 'ingress' | 'egress', position: number): void {
    const path = `${rule.direction}[${position}]`;
    const ruleSource = this.source(rule.node, path);
    const peers = this.peers(rule.peers);
    const enableDefaultDeny = entry.enableDefaultDeny[direction];
    const visibilityOnly = enableDefaultDeny === false && minorAtLeast(this.context.minor, '1.18');
    if (!rule.toPorts) {
      if (peers === 'any') {
        entry.inert.push({ direction, source: ruleSource, reason: 'no peer and no port: allows nothing' });
        return;
      }
      for (const peer of peers) {
        if (rule.deny) entry.denies.push({ direction, entry: { peer, ports: 'all', source: ruleSource } });
        else entry.allows.push({ direction, entry: { peer, ports: 'all', source: ruleSource } });
      }
      return;
    }
    rule.portRules.forEach((portRule, portIndex) => {
      const source = this.source(portRule.node, `${path}.toPorts[${portIndex}]`);
      const ports = portRule.ports.map(readPort);
      if (ports.length === 0) {
        entry.inert.push({ direction, source, reason: 'toPorts entry without ports: contributes nothing' });
        return;
      }
      const l7 = rule.deny ? undefined : this.l7(portRule, `${path}.toPorts[${portIndex}]`, visibilityOnly);
      for (const peer of peers === 'any' ? [anyPeer()] : peers) {
        if (rule.deny) entry.denies.push({ direction, entry: { peer, ports, source } });
        else entry.allows.push({ direction, entry: { peer, ports, ...(l7 ? { l7 } : {}), source } });
      }
    });
  }

  private peers(fields: CnpPeerField[]): CiliumPeer[] | 'any' {
    const listed = fields.filter((field) => field.items !== undefined);
    if (listed.length === 0) return 'any';
    const peers: CiliumPeer[] = [];
    for (const field of listed) {
      const items = field.items ?? [];
      if (items.length === 0) {
        peers.push({ kind: 'none', text: `no peer (${field.field}: [])` });
        continue;
      }
      for (const item of items) peers.push(this.peer(field, item));
    }
    return peers;
  }

  private peer(field: CnpPeerField, item: YamlNode): CiliumPeer {
    const { index } = this.context;
    switch (field.kind) {
      case 'endpoints':
        return this.endpointPeer(item);
      case 'entities': {
        const entity = scalarString(item) ?? '?';
        const all = entity === 'all' || entity === 'cluster';
        return { kind: 'entity', text: `entity ${entity}`, entity, workloads: all ? index.workloads.map(workloadId) : [] };
      }
      case 'cidr': {
        const cidr = scalarString(item) ?? '?';
        return { kind: 'cidr', text: `CIDR ${cidr}`, cidr, except: [] };
      }
      case 'cidrSet': {
        const cidr = scalarString(mapGet(item, 'cidr'));
        if (cidr === undefined) return { kind: 'other', text: `CIDR group ${scalarString(mapGet(item, 'cidrGroupRef')) ?? '(selector)'}` };
        const exceptNode = deref(mapGet(item, 'except'));
        const except = exceptNode?.type === 'seq' ? exceptNode.items.map((value) => scalarString(value)).filter((value): value is string => value !== undefined) : [];
        return { kind: 'cidr', text: `CIDR ${cidr}${except.length ? ` except ${except.join(', ')}` : ''}`, cidr, except };
      }
      case 'fqdns': {
        const name = scalarString(mapGet(item, 'matchName'));
        const pattern = scalarString(mapGet(item, 'matchPattern'));
        return { kind: 'fqdn', text: name !== undefined ? `FQDN ${name}` : `FQDN pattern ${pattern ?? '?'}`, ...(name !== undefined ? { matchName: name } : pattern !== undefined ? { matchPattern: pattern } : {}) };
      }
      case 'services':
        return this.servicePeer(item);
      default:
        return { kind: 'other', text: `${field.field} entry (not resolved to workloads)` };
    }
  }

  private endpointPeer(item: YamlNode): CiliumPeer {
    const { clusterwide, namespace, minor, index } = this.context;
    const normalized = normalizeSelector(readLabelSelector(item));
    let selector = normalized.selector;
    let scope: string | undefined;
    const keys = selectorKeys(selector);
    if (normalized.reserved) {
      scope = undefined;
    } else if (keys.includes(POD_NAMESPACE_KEY)) {
      scope = undefined;
    } else if (!clusterwide && !(minorAtLeast(minor, '1.16') && keys.some((key) => key.startsWith(NAMESPACE_LABEL_PREFIX)))) {
      scope = namespace;
    }
    // A peer names one namespace (the policy's, or `k8s:io.kubernetes.pod.namespace: x`): only that namespace's
    // workloads can match, which keeps the model linear in the size of the repository.
    const namedNamespace = selector.matchLabels?.[POD_NAMESPACE_KEY];
    const candidates = index.workloadsIn(scope ?? namedNamespace);
    const workloads = normalized.reserved ? [] : candidates.filter((workload) => ciliumSelectorMatches(selector, workload, index)).map(workloadId);
    selector = { matchLabels: selector.matchLabels, matchExpressions: selector.matchExpressions };
    return { kind: 'endpoints', text: peerText(selector, scope, workloads, namespace), selector, ...(scope !== undefined ? { namespace: scope } : {}), reserved: normalized.reserved, workloads };
  }

  private servicePeer(item: YamlNode): CiliumPeer {
    const { index } = this.context;
    const reference = deref(mapGet(item, 'k8sService'));
    const serviceName = scalarString(mapGet(reference, 'serviceName'));
    if (!serviceName) return { kind: 'other', text: 'toServices selector (not resolved to workloads)' };
    const serviceNamespace = scalarString(mapGet(reference, 'namespace')) ?? this.context.namespace ?? 'default';
    const service = index.service(serviceNamespace, serviceName);
    if (!service?.selector) return { kind: 'other', text: `service ${serviceNamespace}/${serviceName}${service ? ' (no selector)' : ' (not in the workspace)'}` };
    const selector: LabelSelector = { matchLabels: service.selector, matchExpressions: [] };
    const workloads = index.workloadsMatching(serviceNamespace, selector).map(workloadId);
    return { kind: 'endpoints', text: `service ${serviceNamespace}/${serviceName}`, selector, namespace: serviceNamespace, reserved: false, workloads };
  }

  private l7(portRule: CnpPortRule, path: string, visibilityOnly: boolean): L7View | undefined {
    const first = portRule.l7[0];
    if (!first) return undefined;
    const view: L7View = { type: first.type, http: [], other: [], visibilityOnly };
    first.items.forEach((item, index) => {
      if (first.type === 'http') {
        const rule = this.httpRule(item, `${path}.rules.http[${index}]`);
        if (rule) view.http.push(rule);
      } else if (first.type === 'dns') {
        const name = scalarString(mapGet(item, 'matchName'));
        const pattern = scalarString(mapGet(item, 'matchPattern'));
        const text = name !== undefined ? `DNS ${name}` : `DNS pattern ${pattern ?? '?'}`;
        view.other.push(text);
        (view.dns ??= []).push({ ...(name !== undefined ? { matchName: name } : pattern !== undefined ? { matchPattern: pattern } : {}), text, source: this.source(deref(item) ?? item, `${path}.rules.dns[${index}]`) });
      } else {
        const topic = scalarString(mapGet(item, 'topic'));
        view.other.push(`${first.type}${topic ? ` topic ${topic}` : ' rule'}`);
      }
    });
    if (first.type === 'l7proto') view.other.push(`l7proto ${scalarText(first.pair.value) ?? ''}`.trim());
    return view;
  }

  private httpRule(item: YamlNode, path: string): HttpRuleView | undefined {
    const map = deref(item);
    if (!map || map.type !== 'map') return undefined;
    const text = (key: string) => scalarText(mapGet(map, key));
    const headersNode = deref(mapGet(map, 'headers'));
    const headers = headersNode?.type === 'seq' ? headersNode.items.map((value) => scalarText(value)).filter((value): value is string => value !== undefined) : [];
    const matchesNode = deref(mapGet(map, 'headerMatches'));
    const headerMatches: HttpRuleView['headerMatches'] = [];
    if (matchesNode?.type === 'seq') {
      for (const matchItem of matchesNode.items) {
        const name = scalarText(mapGet(matchItem, 'name'));
        if (name === undefined) continue;
        const value = scalarText(mapGet(matchItem, 'value'));
        const mismatch = scalarText(mapGet(matchItem, 'mismatch'));
        headerMatches.push({ name, ...(value !== undefined ? { value } : {}), ...(mapGetPair(deref(matchItem), 'secret') ? { secret: true } : {}), ...(mismatch ? { mismatch } : {}) });
      }
    }
    const rule: HttpRuleView = { headers, headerMatches, text: '', source: this.source(map, path) };
    const method = text('method');
    const rulePath = text('path');
    const host = text('host');
    if (method !== undefined) rule.method = method;
    if (rulePath !== undefined) rule.path = rulePath;
    if (host !== undefined) rule.host = host;
    rule.text = httpRuleText(rule);
    return rule;
  }
}

export function httpRuleText(rule: Pick<HttpRuleView, 'method' | 'path' | 'host' | 'headers' | 'headerMatches'>): string {
  const parts: string[] = [];
  if (rule.method || rule.path) parts.push(`${rule.method || '*'} ${rule.path || '*'}`);
  if (rule.host) parts.push(`host ${rule.host}`);
  for (const header of rule.headers) parts.push(`header ${header}`);
  for (const match of rule.headerMatches) parts.push(`header ${match.name}${match.secret ? '=<secret>' : match.value !== undefined ? `=${match.value}` : ''}${match.mismatch ? ` (${match.mismatch} on mismatch)` : ''}`);
  return parts.length > 0 ? parts.join(' ') : 'any request';
}

/** `specs[2].` for an entry of `specs`, empty for `spec`. */
function specPrefix(root: YamlNode | undefined, spec: CnpSpec): string {
  if (spec.keyNode.type !== 'scalar' || spec.keyNode.text !== 'specs') return '';
  const list = deref(mapGet(deref(root), 'specs'));
  const at = list?.type === 'seq' ? list.items.findIndex((item) => deref(item) === spec.node) : -1;
  return `specs[${Math.max(at, 0)}].`;
}

/** Position of each rule node in its section's list, per spec and direction: built once, so indexing N rules costs N, not N². */
const sectionPositions = new WeakMap<CnpSpec, Map<string, Map<YamlNode, number>>>();

function sectionIndexOf(spec: CnpSpec, rule: CnpRule): number {
  let byDirection = sectionPositions.get(spec);
  if (!byDirection) {
    byDirection = new Map();
    sectionPositions.set(spec, byDirection);
  }
  let positions = byDirection.get(rule.direction);
  if (!positions) {
    const found = new Map<YamlNode, number>();
    const section = spec.sections.find((candidate) => candidate.direction === rule.direction);
    const list = deref(section?.pair.value);
    if (list?.type === 'seq') {
      countExamined(list.items.length);
      list.items.forEach((item, at) => {
        const node = deref(item);
        if (node && !found.has(node)) found.set(node, at);
      });
    }
    byDirection.set(rule.direction, found);
    positions = found;
  }
  return positions.get(rule.node) ?? 0;
}

function readPort(port: { port?: string; protocol?: string; endPort?: string }): CiliumPort {
  const protocol = (port.protocol ?? 'ANY').toUpperCase() || 'ANY';
  const text = port.port ?? '';
  const endPort = port.endPort !== undefined && /^\d+$/.test(port.endPort) ? Number(port.endPort) : undefined;
  const start = /^\d+$/.test(text) ? Number(text) : undefined;
  const range = endPort !== undefined && start !== undefined && endPort > start;
  const shown = text === '' || text === '0' ? 'all ports' : range ? `${text}-${endPort}` : text;
  return { port: text, ...(range ? { endPort } : {}), protocol, text: `${shown}/${protocol}` };
}

function anyPeer(): CiliumPeer {
  return { kind: 'any', text: 'any peer' };
}

function booleanOf(node: YamlNode | undefined): boolean | undefined {
  const target = deref(node);
  if (!target || target.type !== 'scalar') return undefined;
  if (typeof target.value === 'boolean') return target.value;
  return target.text === 'true' ? true : target.text === 'false' ? false : undefined;
}

export function workloadId(workload: Pick<WorkloadInfo, 'namespace' | 'name'>): string {
  return `${workload.namespace}/${workload.name}`;
}

/** Strips `k8s:`/`any:` sources; notes `reserved:` keys (which never match a pod). */
export function normalizeSelector(selector: LabelSelector): { selector: LabelSelector; reserved: boolean } {
  let reserved = false;
  const strip = (key: string) => {
    if (key.startsWith('reserved:')) reserved = true;
    return key.replace(/^(k8s|any):/, '');
  };
  const matchLabels: Record<string, string> = {};
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) matchLabels[strip(key)] = value;
  const matchExpressions: LabelSelectorRequirement[] = (selector.matchExpressions ?? []).map((requirement) => ({ ...requirement, key: strip(requirement.key) }));
  return { selector: { matchLabels, matchExpressions }, reserved };
}

function withoutKey(selector: LabelSelector, key: string): LabelSelector {
  const matchLabels = { ...(selector.matchLabels ?? {}) };
  delete matchLabels[key];
  return { matchLabels, matchExpressions: (selector.matchExpressions ?? []).filter((requirement) => requirement.key !== key) };
}

function selectorKeys(selector: LabelSelector): string[] {
  return [...Object.keys(selector.matchLabels ?? {}), ...(selector.matchExpressions ?? []).map((requirement) => requirement.key)];
}

const labelsCache = new WeakMap<WorkloadInfo, { index: K8sIndex; labels: Record<string, string> }>();

/** The labels Cilium gives a pod's identity: pod labels, its namespace, service account and namespace labels (computed once per workload and index). */
export function ciliumLabels(workload: WorkloadInfo, index: K8sIndex): Record<string, string> {
  const cached = labelsCache.get(workload);
  if (cached && cached.index === index) return cached.labels;
  const labels = computeCiliumLabels(workload, index);
  labelsCache.set(workload, { index, labels });
  return labels;
}

function computeCiliumLabels(workload: WorkloadInfo, index: K8sIndex): Record<string, string> {
  const labels: Record<string, string> = { ...workload.podLabels, [POD_NAMESPACE_KEY]: workload.namespace, [SERVICE_ACCOUNT_KEY]: workload.serviceAccountName };
  const namespaceLabels = { 'kubernetes.io/metadata.name': workload.namespace, ...(index.namespace(workload.namespace)?.labels ?? {}) };
  for (const [key, value] of Object.entries(namespaceLabels)) labels[`${NAMESPACE_LABEL_PREFIX}${key}`] = value;
  return labels;
}

export function ciliumSelectorMatches(selector: LabelSelector, workload: WorkloadInfo, index: K8sIndex): boolean {
  const labels = ciliumLabels(workload, index);
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) if (labels[key] !== value) return false;
  for (const requirement of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, requirement.key);
    const values = requirement.values ?? [];
    if (requirement.operator === 'In' && !(has && values.includes(labels[requirement.key]))) return false;
    if (requirement.operator === 'NotIn' && has && values.includes(labels[requirement.key])) return false;
    if (requirement.operator === 'Exists' && !has) return false;
    if (requirement.operator === 'DoesNotExist' && has) return false;
    if (!['In', 'NotIn', 'Exists', 'DoesNotExist'].includes(requirement.operator)) return false;
  }
  return true;
}

export function subjectMatches(subject: CiliumSubject | undefined, workload: WorkloadInfo, index: K8sIndex): boolean {
  if (!subject || subject.reserved) return false;
  if (subject.namespace !== undefined && subject.namespace !== workload.namespace) return false;
  return ciliumSelectorMatches(subject.selector, workload, index);
}

/** Peer text: the workloads it matches (names relative to the policy namespace), else the selector. */
function peerText(selector: LabelSelector, scope: string | undefined, workloads: string[], policyNamespace: string | undefined): string {
  if (workloads.length > 0) {
    const names = workloads.map((id) => (policyNamespace && id.startsWith(`${policyNamespace}/`) ? id.slice(policyNamespace.length + 1) : id));
    return names.length > 3 ? `${names.slice(0, 3).join(', ')} … +${names.length - 3}` : names.join(', ');
  }
  const parts = [
    ...Object.entries(selector.matchLabels ?? {}).map(([key, value]) => `${key}=${value}`),
    ...(selector.matchExpressions ?? []).map((requirement) => `${requirement.key} ${requirement.operator}${requirement.values?.length ? ` (${requirement.values.join(',')})` : ''}`),
  ];
  const where = scope !== undefined ? ` in ${scope}` : '';
  return parts.length > 0 ? `pods ${parts.join(', ')}${where}` : `all pods${where}`;
}
