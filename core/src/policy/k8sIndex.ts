/**
 * The Kubernetes view of the workspace: Namespaces, workloads (with their pod
 * labels and service accounts), Services, ServiceAccounts, Gateways and
 * ServiceEntries, plus the kustomize / Flux namespace rules.
 *
 * This is the workspace model that cross-file rules, completion, hover and
 * the effective-policy preview read. It has two layers:
 * - `K8sIndexData`, plain data (no functions, no class instances) memoized
 *   through `model.derive`. It reads only the kinds it indexes (`byKind`),
 *   the file list and the documents of kustomization files, so an edit to
 *   any other kind (a CiliumNetworkPolicy, a HelmRelease) leaves it current,
 *   and a recomputation that yields equal data keeps its version: rules that
 *   read it stay cached.
 * - Pure lookups over that data (`workloadsMatchingIn`, `serviceOf`, …),
 *   whose tables (per-namespace lists, label postings, name maps) are built
 *   lazily once per data object and kept beside it in a WeakMap.
 * `k8sIndex(model)` returns both in one object (`K8sIndex`, the data fields
 * plus methods), one per data object, so it is as stable as the data.
 *
 * Namespaces come from the GitOps model (`gitops/placement`): the namespace
 * the build forces on a file (a Flux Kustomization's `targetNamespace`, the
 * outermost kustomize `namespace:` of the overlay chain) wins, then
 * `metadata.namespace`, then `default`. The forced namespaces are copied into
 * the data (per file), so the lookups stay pure.
 */

import { deref, mapGet, scalarString, type YamlNode } from '../parse/ast';
import type { Anchor } from '../findings';
import { forcedNamespacesByFile } from '../gitops/placement';
import { normalizePath, type IndexedDocument, type WorkspaceModel } from '../workspace/model';

export type LabelMap = Readonly<Record<string, string>>;

/** Where an indexed object comes from: the name node (or the document root) of its document. */
export interface ResourceSource extends Anchor {
  /** The whole document, relative to itself (start is 0 unless leading comments). */
  documentStart: number;
  documentEnd: number;
}

export type NamespaceOrigin = 'metadata' | 'kustomization' | 'flux-kustomization' | 'default';

export interface NamespaceInfo {
  name: string;
  labels: LabelMap;
  /** `istio.io/dataplane-mode` (`ambient` enrols the namespace into ambient). */
  dataplaneMode?: string;
  /** `istio.io/use-waypoint`: the waypoint of the namespace, or `none`. */
  useWaypoint?: string;
  /** `istio-injection` (`enabled` = sidecars). */
  istioInjection?: string;
  source: ResourceSource;
}

export const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Pod', 'Job', 'CronJob'] as const;
export type WorkloadKind = (typeof WORKLOAD_KINDS)[number];

export interface WorkloadInfo {
  kind: WorkloadKind;
  name: string;
  namespace: string;
  namespaceOrigin: NamespaceOrigin;
  /** Labels of the workload object itself. */
  labels: LabelMap;
  /** Labels its pods carry (the pod template's, or the Pod's own). */
  podLabels: LabelMap;
  /** `serviceAccountName` of the pod spec, `default` when absent. */
  serviceAccountName: string;
  source: ResourceSource;
}

export interface ServicePort {
  name?: string;
  port?: number;
  targetPort?: number | string;
  protocol?: string;
}

export interface ServiceInfo {
  name: string;
  namespace: string;
  labels: LabelMap;
  /** Undefined for a Service without selector (endpoints managed elsewhere). */
  selector?: LabelMap;
  ports: ServicePort[];
  /** `istio.io/use-waypoint` on the Service. */
  useWaypoint?: string;
  /** `istio.io/use-waypoint-namespace` on the Service. */
  useWaypointNamespace?: string;
  source: ResourceSource;
}

export interface ServiceAccountInfo {
  name: string;
  namespace: string;
  source: ResourceSource;
}

export interface GatewayInfo {
  name: string;
  namespace: string;
  gatewayClassName?: string;
  labels: LabelMap;
  /** `gatewayClassName: istio-waypoint`. */
  isWaypoint: boolean;
  /** `istio.io/waypoint-for` label as written (undefined when absent; Istio then assumes `service`). */
  waypointFor?: string;
  source: ResourceSource;
}

export interface ServiceEntryInfo {
  name: string;
  namespace: string;
  labels: LabelMap;
  useWaypoint?: string;
  source: ResourceSource;
}

export interface LabelSelectorRequirement {
  key: string;
  operator: string;
  values?: readonly string[];
}

export interface LabelSelector {
  matchLabels?: LabelMap;
  matchExpressions?: readonly LabelSelectorRequirement[];
}

/** A service account that exists or is used in the workspace. */
export interface ServiceAccountRef {
  namespace: string;
  name: string;
  /** Declared by a ServiceAccount document, or only named by a workload. */
  declared: boolean;
  source: ResourceSource;
}

/** The index as plain data: what `model.derive` memoizes and compares. */
export interface K8sIndexData {
  readonly namespaces: readonly NamespaceInfo[];
  readonly workloads: readonly WorkloadInfo[];
  readonly services: readonly ServiceInfo[];
  readonly serviceAccountObjects: readonly ServiceAccountInfo[];
  readonly gateways: readonly GatewayInfo[];
  readonly serviceEntries: readonly ServiceEntryInfo[];
  /** True when the workspace holds any Namespace, workload, Service or ServiceAccount. */
  readonly hasKubernetesObjects: boolean;
  /** file → the namespace the GitOps build forces on its documents (see the module comment). */
  readonly forcedNamespaces: ReadonlyMap<string, { namespace: string; origin: NamespaceOrigin }>;
}

/** The data plus its lookups as methods (each one the pure function of the same name below). */
export interface K8sIndex extends K8sIndexData {
  namespace(name: string): NamespaceInfo | undefined;
  /** Effective namespace of a document in `file` whose `metadata.namespace` is `declared`. */
  effectiveNamespace(file: string, declared: string | undefined): { namespace: string; origin: NamespaceOrigin };
  /** Workloads of one namespace (or of all when undefined) whose pod labels the selector matches. */
  workloadsMatching(namespace: string | undefined, selector: LabelSelector): WorkloadInfo[];
  /** Workloads of one namespace (or of all when undefined), in workspace order. */
  workloadsIn(namespace: string | undefined): readonly WorkloadInfo[];
  /** Pod label keys and their values seen in a namespace (or everywhere), sorted. */
  labelKeysAndValues(scope?: { namespace?: string }): ReadonlyMap<string, readonly string[]>;
  /** Declared ServiceAccounts plus the ones workloads name, one entry per namespace/name. */
  serviceAccounts(): readonly ServiceAccountRef[];
  /** `serviceAccounts()` of one namespace, in the same order (empty when none). */
  serviceAccountsIn(namespace: string): readonly ServiceAccountRef[];
  /** Declared Namespaces plus every namespace a workload, Service, ServiceAccount or Gateway lives in, sorted. */
  namespaceNames(): readonly string[];
  service(namespace: string, name: string): ServiceInfo | undefined;
  gateway(namespace: string, name: string): GatewayInfo | undefined;
  serviceEntry(namespace: string, name: string): ServiceEntryInfo | undefined;
  /** The first workload named `name` in `namespace` (what a scan of `workloads` finds first). */
  workload(namespace: string, name: string): WorkloadInfo | undefined;
}

/** The index data for the current workspace (see the module comment for what it reads). */
export function k8sIndexData(model: WorkspaceModel): K8sIndexData {
  return model.derive('k8s-index', buildK8sIndexData);
}

/** The index for the current workspace: the same object as long as the data is unchanged. */
export function k8sIndex(model: WorkspaceModel): K8sIndex {
  return indexView(k8sIndexData(model));
}

/** The `K8sIndex` object of some data, created once per data object. */
export function indexView(data: K8sIndexData): K8sIndex {
  const existing = views.get(data);
  if (existing) return existing;
  const view: K8sIndex = {
    namespaces: data.namespaces,
    workloads: data.workloads,
    services: data.services,
    serviceAccountObjects: data.serviceAccountObjects,
    gateways: data.gateways,
    serviceEntries: data.serviceEntries,
    hasKubernetesObjects: data.hasKubernetesObjects,
    forcedNamespaces: data.forcedNamespaces,
    namespace: (name) => namespaceOf(data, name),
    effectiveNamespace: (file, declared) => effectiveNamespaceOf(data, file, declared),
    workloadsMatching: (namespace, selector) => workloadsMatchingIn(data, namespace, selector),
    workloadsIn: (namespace) => workloadsIn(data, namespace),
    labelKeysAndValues: (scope = {}) => labelKeysAndValuesIn(data, scope.namespace),
    serviceAccounts: () => serviceAccountsOf(data),
    serviceAccountsIn: (namespace) => serviceAccountsIn(data, namespace),
    namespaceNames: () => namespaceNamesOf(data),
    service: (namespace, name) => serviceOf(data, namespace, name),
    gateway: (namespace, name) => gatewayOf(data, namespace, name),
    serviceEntry: (namespace, name) => serviceEntryOf(data, namespace, name),
    workload: (namespace, name) => workloadOf(data, namespace, name),
  };
  views.set(data, view);
  dataOfView.set(view, data);
  return view;
}

export function namespaceOf(index: K8sIndexData, name: string): NamespaceInfo | undefined {
  return lookupsOf(index).namespaceByName.get(name);
}

export function effectiveNamespaceOf(index: K8sIndexData, file: string, declared: string | undefined): { namespace: string; origin: NamespaceOrigin } {
  return resolveNamespace(index, file, declared);
}

export function workloadsIn(index: K8sIndexData, namespace: string | undefined): readonly WorkloadInfo[] {
  if (namespace === undefined) return index.workloads;
  return lookupsOf(index).workloadsByNamespace.get(namespace) ?? EMPTY;
}

/**
 * Workloads whose pod labels the selector matches, in workspace order. The
 * candidates are narrowed to the shortest label posting of the selector's
 * `matchLabels` before the full match, so a policy costs its matches, not the
 * namespace's size.
 */
export function workloadsMatchingIn(index: K8sIndexData, namespace: string | undefined, selector: LabelSelector): WorkloadInfo[] {
  let candidates = workloadsIn(index, namespace);
  const matchLabels = selector.matchLabels && typeof selector.matchLabels === 'object' ? Object.entries(selector.matchLabels) : [];
  if (matchLabels.length > 0 && candidates.length > 0) {
    const postings = labelPostings(lookupsOf(index), namespace);
    for (const [key, value] of matchLabels) {
      const posting = typeof value === 'string' ? (postings.get(postingKey(key, value)) ?? EMPTY) : EMPTY;
      if (posting.length < candidates.length) candidates = posting;
      if (candidates.length === 0) return [];
    }
  }
  return candidates.filter((workload) => selectorMatches(selector, workload.podLabels));
}

export function labelKeysAndValuesIn(index: K8sIndexData, namespace: string | undefined): ReadonlyMap<string, readonly string[]> {
  const lookups = lookupsOf(index);
  const cacheKey = namespace ?? ALL_NAMESPACES;
  const cached = lookups.labelValues.get(cacheKey);
  if (cached) return cached;
  const collected = new Map<string, Set<string>>();
  for (const workload of workloadsIn(index, namespace)) {
    for (const [key, value] of Object.entries(workload.podLabels)) {
      const values = collected.get(key) ?? new Set<string>();
      values.add(value);
      collected.set(key, values);
    }
  }
  const sorted = new Map([...collected.keys()].sort().map((key) => [key, [...collected.get(key)!].sort()] as const));
  lookups.labelValues.set(cacheKey, sorted);
  return sorted;
}

export function serviceAccountsOf(index: K8sIndexData): readonly ServiceAccountRef[] {
  return serviceAccountTables(lookupsOf(index), index).all;
}

export function serviceAccountsIn(index: K8sIndexData, namespace: string): readonly ServiceAccountRef[] {
  return serviceAccountTables(lookupsOf(index), index).byNamespace.get(namespace) ?? EMPTY;
}

export function namespaceNamesOf(index: K8sIndexData): readonly string[] {
  const lookups = lookupsOf(index);
  if (lookups.namespaceNames) return lookups.namespaceNames;
  const set = new Set<string>(ALWAYS_PRESENT_NAMESPACES);
  for (const list of [index.namespaces, index.workloads, index.services, index.serviceAccountObjects, index.gateways]) {
    for (const item of list) set.add('namespace' in item ? item.namespace : item.name);
  }
  lookups.namespaceNames = [...set].sort();
  return lookups.namespaceNames;
}

export function serviceOf(index: K8sIndexData, namespace: string, name: string): ServiceInfo | undefined {
  const lookups = lookupsOf(index);
  lookups.services ??= firstByName(index.services);
  return lookups.services.get(nameKey(namespace, name));
}

export function gatewayOf(index: K8sIndexData, namespace: string, name: string): GatewayInfo | undefined {
  const lookups = lookupsOf(index);
  lookups.gateways ??= firstByName(index.gateways);
  return lookups.gateways.get(nameKey(namespace, name));
}

export function workloadOf(index: K8sIndexData, namespace: string, name: string): WorkloadInfo | undefined {
  const lookups = lookupsOf(index);
  lookups.workloadsByName ??= firstByName(index.workloads);
  return lookups.workloadsByName.get(nameKey(namespace, name));
}

export function serviceEntryOf(index: K8sIndexData, namespace: string, name: string): ServiceEntryInfo | undefined {
  const lookups = lookupsOf(index);
  lookups.serviceEntries ??= firstByName(index.serviceEntries);
  return lookups.serviceEntries.get(nameKey(namespace, name));
}

/** Does a label selector match a label set? An empty selector matches everything. */
export function selectorMatches(selector: LabelSelector, labels: LabelMap): boolean {
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (labels[key] !== value) return false;
  }
  for (const requirement of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, requirement.key);
    const values = requirement.values ?? [];
    switch (requirement.operator) {
      case 'In':
        if (!has || !values.includes(labels[requirement.key])) return false;
        break;
      case 'NotIn':
        if (has && values.includes(labels[requirement.key])) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** Reads a `{matchLabels, matchExpressions}` node; wrong types are skipped. */
export function readLabelSelector(node: YamlNode | undefined): LabelSelector {
  const matchLabels = readLabels(mapGet(deref(node), 'matchLabels'));
  const expressionsNode = deref(mapGet(deref(node), 'matchExpressions'));
  const matchExpressions: LabelSelectorRequirement[] = [];
  if (expressionsNode?.type === 'seq') {
    for (const item of expressionsNode.items) {
      const key = scalarString(mapGet(deref(item), 'key'));
      const operator = scalarString(mapGet(deref(item), 'operator'));
      if (key === undefined || operator === undefined) continue;
      matchExpressions.push({ key, operator, values: readStringList(mapGet(deref(item), 'values')) });
    }
  }
  return { matchLabels, matchExpressions };
}

/** A map of scalar values as strings (non-scalar values are skipped). */
export function readLabels(node: YamlNode | undefined): Record<string, string> {
  const labels: Record<string, string> = {};
  const map = deref(node);
  if (map?.type !== 'map') return labels;
  for (const pair of map.pairs) {
    const key = scalarString(pair.key);
    const value = scalarString(pair.value);
    if (key !== undefined) labels[key] = value ?? '';
  }
  return labels;
}

function readStringList(node: YamlNode | undefined): string[] {
  const seq = deref(node);
  if (seq?.type !== 'seq') return [];
  return seq.items.map((item) => scalarString(item)).filter((value): value is string => value !== undefined);
}

const ALWAYS_PRESENT_NAMESPACES = ['default'];
const ALL_NAMESPACES = '\u0000all';
const EMPTY: readonly never[] = Object.freeze([]);

/** The kinds the index reads, each through `byKind` (so other kinds never invalidate it). */
const INDEXED_KINDS = ['Namespace', ...WORKLOAD_KINDS, 'Service', 'ServiceAccount', 'Gateway', 'ServiceEntry'] as const;

export function buildK8sIndexData(model: WorkspaceModel): K8sIndexData {
  const forcedNamespaces = forcedNamespacesByFile(model);
  const namespaces: NamespaceInfo[] = [];
  const workloads: WorkloadInfo[] = [];
  const services: ServiceInfo[] = [];
  const serviceAccountObjects: ServiceAccountInfo[] = [];
  const gateways: GatewayInfo[] = [];
  const serviceEntries: ServiceEntryInfo[] = [];

  // Documents in workspace order (file order, then document order), as the lists always were.
  const fileOrder = new Map(model.files().map((file, position) => [file, position]));
  const documents = INDEXED_KINDS.flatMap((kind) => model.byKind(kind));
  documents.sort((a, b) => (fileOrder.get(a.file) ?? 0) - (fileOrder.get(b.file) ?? 0) || a.index - b.index);

  for (const document of documents) {
    const { identity } = document;
    const root = deref(document.parsed.root);
    if (!root || root.type !== 'map' || !identity.name) continue;
    const metadata = mapGet(root, 'metadata');
    const labels = readLabels(mapGet(deref(metadata), 'labels'));
    const source = sourceOf(document, root);
    const spec = mapGet(root, 'spec');
    const resolved = () => resolveNamespace({ forcedNamespaces }, document.file, identity.namespace);
    if (identity.group === '' && identity.kind === 'Namespace') {
      namespaces.push({
        name: identity.name,
        labels,
        dataplaneMode: labels['istio.io/dataplane-mode'],
        useWaypoint: labels['istio.io/use-waypoint'],
        istioInjection: labels['istio-injection'],
        source,
      });
    } else if ((WORKLOAD_KINDS as readonly string[]).includes(identity.kind) && (identity.group === '' || identity.group === 'apps' || identity.group === 'batch')) {
      const kind = identity.kind as WorkloadKind;
      const template = podTemplate(kind, spec);
      const podLabels = kind === 'Pod' ? labels : readLabels(mapGet(deref(mapGet(template.metadataParent, 'metadata')), 'labels'));
      const podSpec = kind === 'Pod' ? deref(spec) : template.spec;
      const serviceAccountName = scalarString(mapGet(podSpec, 'serviceAccountName')) ?? scalarString(mapGet(podSpec, 'serviceAccount')) ?? 'default';
      const { namespace, origin } = resolved();
      workloads.push({ kind, name: identity.name, namespace, namespaceOrigin: origin, labels, podLabels, serviceAccountName, source });
    } else if (identity.group === '' && identity.kind === 'Service') {
      const selectorNode = deref(mapGet(spec, 'selector'));
      services.push({
        name: identity.name,
        namespace: resolved().namespace,
        labels,
        selector: selectorNode?.type === 'map' ? readLabels(selectorNode) : undefined,
        ports: readServicePorts(mapGet(spec, 'ports')),
        useWaypoint: labels['istio.io/use-waypoint'],
        useWaypointNamespace: labels['istio.io/use-waypoint-namespace'],
        source,
      });
    } else if (identity.group === '' && identity.kind === 'ServiceAccount') {
      serviceAccountObjects.push({ name: identity.name, namespace: resolved().namespace, source });
    } else if (identity.group === 'gateway.networking.k8s.io' && identity.kind === 'Gateway') {
      const gatewayClassName = scalarString(mapGet(spec, 'gatewayClassName'));
      gateways.push({
        name: identity.name,
        namespace: resolved().namespace,
        gatewayClassName,
        labels,
        isWaypoint: gatewayClassName === 'istio-waypoint',
        waypointFor: labels['istio.io/waypoint-for'],
        source,
      });
    } else if (identity.group === 'networking.istio.io' && identity.kind === 'ServiceEntry') {
      serviceEntries.push({ name: identity.name, namespace: resolved().namespace, labels, useWaypoint: labels['istio.io/use-waypoint'], source });
    }
  }

  return {
    namespaces,
    workloads,
    services,
    serviceAccountObjects,
    gateways,
    serviceEntries,
    hasKubernetesObjects: namespaces.length + workloads.length + services.length + serviceAccountObjects.length > 0,
    forcedNamespaces,
  };
}

/** Lookup tables of one data object, each built on first use. */
interface Lookups {
  allWorkloads: readonly WorkloadInfo[];
  namespaceByName: Map<string, NamespaceInfo>;
  workloadsByNamespace: Map<string, WorkloadInfo[]>;
  /** Per namespace (or all): "key\u0000value" → workloads whose pod labels have it, in workspace order. */
  postings: Map<string, Map<string, WorkloadInfo[]>>;
  labelValues: Map<string, ReadonlyMap<string, readonly string[]>>;
  serviceAccounts?: { all: ServiceAccountRef[]; byNamespace: Map<string, ServiceAccountRef[]> };
  namespaceNames?: string[];
  services?: Map<string, ServiceInfo>;
  gateways?: Map<string, GatewayInfo>;
  serviceEntries?: Map<string, ServiceEntryInfo>;
  workloadsByName?: Map<string, WorkloadInfo>;
}

const views = new WeakMap<K8sIndexData, K8sIndex>();
const dataOfView = new WeakMap<object, K8sIndexData>();
const lookupTables = new WeakMap<K8sIndexData, Lookups>();

function lookupsOf(index: K8sIndexData): Lookups {
  // A view and its data share one set of tables.
  const data = dataOfView.get(index) ?? index;
  let lookups = lookupTables.get(data);
  if (!lookups) {
    const namespaceByName = new Map<string, NamespaceInfo>();
    // `find` semantics: the last Namespace of a name wins, as `new Map(entries)` did.
    for (const namespace of data.namespaces ?? []) namespaceByName.set(namespace.name, namespace);
    const workloadsByNamespace = new Map<string, WorkloadInfo[]>();
    for (const workload of data.workloads ?? []) {
      const list = workloadsByNamespace.get(workload.namespace);
      if (list) list.push(workload);
      else workloadsByNamespace.set(workload.namespace, [workload]);
    }
    lookups = { allWorkloads: data.workloads ?? EMPTY, namespaceByName, workloadsByNamespace, postings: new Map(), labelValues: new Map() };
    lookupTables.set(data, lookups);
  }
  return lookups;
}

function postingKey(key: string, value: string): string {
  return `${key}\u0000${value}`;
}

function nameKey(namespace: string, name: string): string {
  return `${namespace}/${name}`;
}

function labelPostings(lookups: Lookups, namespace: string | undefined): Map<string, WorkloadInfo[]> {
  const cacheKey = namespace ?? ALL_NAMESPACES;
  let postings = lookups.postings.get(cacheKey);
  if (!postings) {
    postings = new Map();
    const workloads = namespace === undefined ? lookups.allWorkloads : (lookups.workloadsByNamespace.get(namespace) ?? EMPTY);
    for (const workload of workloads) {
      for (const [key, value] of Object.entries(workload.podLabels)) {
        const posting = postings.get(postingKey(key, value));
        if (posting) posting.push(workload);
        else postings.set(postingKey(key, value), [workload]);
      }
    }
    lookups.postings.set(cacheKey, postings);
  }
  return postings;
}

function serviceAccountTables(lookups: Lookups, index: K8sIndexData): NonNullable<Lookups['serviceAccounts']> {
  if (lookups.serviceAccounts) return lookups.serviceAccounts;
  const byKey = new Map<string, ServiceAccountRef>();
  for (const account of index.serviceAccountObjects) {
    byKey.set(nameKey(account.namespace, account.name), { namespace: account.namespace, name: account.name, declared: true, source: account.source });
  }
  for (const workload of index.workloads) {
    const key = nameKey(workload.namespace, workload.serviceAccountName);
    if (!byKey.has(key)) byKey.set(key, { namespace: workload.namespace, name: workload.serviceAccountName, declared: false, source: workload.source });
  }
  const all = [...byKey.values()].sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
  const byNamespace = new Map<string, ServiceAccountRef[]>();
  for (const account of all) {
    const list = byNamespace.get(account.namespace);
    if (list) list.push(account);
    else byNamespace.set(account.namespace, [account]);
  }
  lookups.serviceAccounts = { all, byNamespace };
  return lookups.serviceAccounts;
}

/** namespace/name → the first item of that name (what a linear `find` returned). */
function firstByName<T extends { namespace: string; name: string }>(items: readonly T[]): Map<string, T> {
  const map = new Map<string, T>();
  for (const item of items) {
    const key = nameKey(item.namespace, item.name);
    if (!map.has(key)) map.set(key, item);
  }
  return map;
}

function sourceOf(document: IndexedDocument, root: YamlNode): ResourceSource {
  const nameNode = deref(mapGet(deref(mapGet(root, 'metadata')), 'name'));
  const at = nameNode ?? root;
  return { file: document.file, document: document.index, start: at.start, end: at.end, documentStart: root.start, documentEnd: root.end };
}

/** The node holding the pod template's `metadata` and its `spec`, per workload kind. */
function podTemplate(kind: WorkloadKind, spec: YamlNode | undefined): { metadataParent: YamlNode | undefined; spec: YamlNode | undefined } {
  let template: YamlNode | undefined;
  if (kind === 'CronJob') template = deref(mapGet(deref(mapGet(deref(mapGet(spec, 'jobTemplate')), 'spec')), 'template'));
  else if (kind !== 'Pod') template = deref(mapGet(deref(spec), 'template'));
  return { metadataParent: template, spec: deref(mapGet(template, 'spec')) };
}

function readServicePorts(node: YamlNode | undefined): ServicePort[] {
  const seq = deref(node);
  if (seq?.type !== 'seq') return [];
  const ports: ServicePort[] = [];
  for (const item of seq.items) {
    const map = deref(item);
    if (map?.type !== 'map') continue;
    const portValue = Number(scalarString(mapGet(map, 'port')));
    const target = scalarString(mapGet(map, 'targetPort'));
    ports.push({
      name: scalarString(mapGet(map, 'name')),
      port: Number.isInteger(portValue) ? portValue : undefined,
      targetPort: target === undefined ? undefined : /^\d+$/.test(target) ? Number(target) : target,
      protocol: scalarString(mapGet(map, 'protocol')),
    });
  }
  return ports;
}

/** The namespace a document of `file` lands in. */
function resolveNamespace(
  data: Pick<K8sIndexData, 'forcedNamespaces'>,
  file: string,
  declared: string | undefined,
): { namespace: string; origin: NamespaceOrigin } {
  const forced = data.forcedNamespaces?.get(normalizePath(file));
  if (forced) return forced;
  if (declared) return { namespace: declared, origin: 'metadata' };
  return { namespace: 'default', origin: 'default' };
}
