/**
 * The Kubernetes view of the workspace: Namespaces, workloads (with their pod
 * labels and service accounts), Services, ServiceAccounts, Gateways and
 * ServiceEntries, read from every document of the workspace model.
 *
 * This is the workspace model that cross-file rules, completion, hover and
 * the effective-policy preview read. It is pure (built only from the model)
 * and memoized per workspace generation through `k8sIndex(model)`.
 *
 * Namespaces are resolved the way the GitOps tooling would apply the files:
 * a Flux Kustomization's `spec.targetNamespace` (for files under its
 * `spec.path`) wins, then a kustomize `kustomization.yaml` `namespace:` (for
 * files in its directory or listed in its `resources:`), then
 * `metadata.namespace`, then `default`.
 */

import { deref, mapGet, scalarString, type YamlNode } from '../parse/ast';
import { createParsedDocument } from '../parse/yamlFile';
import type { Anchor } from '../rules/types';
import { isInside, joinPath, normalizePath, parentDirectory, type IndexedDocument, type WorkspaceModel } from './model';

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

export interface K8sIndex {
  readonly namespaces: readonly NamespaceInfo[];
  readonly workloads: readonly WorkloadInfo[];
  readonly services: readonly ServiceInfo[];
  readonly serviceAccountObjects: readonly ServiceAccountInfo[];
  readonly gateways: readonly GatewayInfo[];
  readonly serviceEntries: readonly ServiceEntryInfo[];
  /** True when the workspace holds any Namespace, workload, Service or ServiceAccount. */
  readonly hasKubernetesObjects: boolean;
  namespace(name: string): NamespaceInfo | undefined;
  /** Effective namespace of a document in `file` whose `metadata.namespace` is `declared`. */
  effectiveNamespace(file: string, declared: string | undefined): { namespace: string; origin: NamespaceOrigin };
  /** Workloads of one namespace (or of all when undefined) whose pod labels the selector matches. */
  workloadsMatching(namespace: string | undefined, selector: LabelSelector): WorkloadInfo[];
  /** Pod label keys and their values seen in a namespace (or everywhere), sorted. */
  labelKeysAndValues(scope?: { namespace?: string }): ReadonlyMap<string, readonly string[]>;
  /** Declared ServiceAccounts plus the ones workloads name, one entry per namespace/name. */
  serviceAccounts(): readonly ServiceAccountRef[];
  /** Declared Namespaces plus every namespace a workload, Service, ServiceAccount or Gateway lives in, sorted. */
  namespaceNames(): readonly string[];
  service(namespace: string, name: string): ServiceInfo | undefined;
  gateway(namespace: string, name: string): GatewayInfo | undefined;
  serviceEntry(namespace: string, name: string): ServiceEntryInfo | undefined;
}

/** The index for the current workspace generation (computed once per generation). */
export function k8sIndex(model: WorkspaceModel): K8sIndex {
  return model.derive('k8s-index', buildK8sIndex);
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

export function buildK8sIndex(model: WorkspaceModel): K8sIndex {
  const resolver = new NamespaceResolver(model);
  const namespaces: NamespaceInfo[] = [];
  const workloads: WorkloadInfo[] = [];
  const services: ServiceInfo[] = [];
  const serviceAccountObjects: ServiceAccountInfo[] = [];
  const gateways: GatewayInfo[] = [];
  const serviceEntries: ServiceEntryInfo[] = [];

  for (const document of model.resources()) {
    const { identity } = document;
    const root = deref(document.parsed.root);
    if (!root || root.type !== 'map' || !identity.name) continue;
    const metadata = mapGet(root, 'metadata');
    const labels = readLabels(mapGet(deref(metadata), 'labels'));
    const source = sourceOf(document, root);
    const spec = mapGet(root, 'spec');
    const resolved = () => resolver.resolve(document.file, identity.namespace);
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

  const namespaceByName = new Map(namespaces.map((namespace) => [namespace.name, namespace]));
  let accounts: ServiceAccountRef[] | undefined;
  let names: string[] | undefined;
  const labelCache = new Map<string, ReadonlyMap<string, readonly string[]>>();

  return {
    namespaces,
    workloads,
    services,
    serviceAccountObjects,
    gateways,
    serviceEntries,
    hasKubernetesObjects: namespaces.length + workloads.length + services.length + serviceAccountObjects.length > 0,
    namespace: (name) => namespaceByName.get(name),
    effectiveNamespace: (file, declared) => resolver.resolve(file, declared),
    workloadsMatching(namespace, selector) {
      return workloads.filter((workload) => (namespace === undefined || workload.namespace === namespace) && selectorMatches(selector, workload.podLabels));
    },
    labelKeysAndValues(scope = {}) {
      const cacheKey = scope.namespace ?? '\u0000all';
      const cached = labelCache.get(cacheKey);
      if (cached) return cached;
      const collected = new Map<string, Set<string>>();
      for (const workload of workloads) {
        if (scope.namespace !== undefined && workload.namespace !== scope.namespace) continue;
        for (const [key, value] of Object.entries(workload.podLabels)) {
          const values = collected.get(key) ?? new Set<string>();
          values.add(value);
          collected.set(key, values);
        }
      }
      const sorted = new Map([...collected.keys()].sort().map((key) => [key, [...collected.get(key)!].sort()] as const));
      labelCache.set(cacheKey, sorted);
      return sorted;
    },
    serviceAccounts() {
      if (accounts) return accounts;
      const byKey = new Map<string, ServiceAccountRef>();
      for (const account of serviceAccountObjects) {
        byKey.set(`${account.namespace}/${account.name}`, { namespace: account.namespace, name: account.name, declared: true, source: account.source });
      }
      for (const workload of workloads) {
        const key = `${workload.namespace}/${workload.serviceAccountName}`;
        if (!byKey.has(key)) byKey.set(key, { namespace: workload.namespace, name: workload.serviceAccountName, declared: false, source: workload.source });
      }
      accounts = [...byKey.values()].sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
      return accounts;
    },
    namespaceNames() {
      if (names) return names;
      const set = new Set<string>(ALWAYS_PRESENT_NAMESPACES);
      for (const list of [namespaces.map((namespace) => namespace.name), workloads.map((w) => w.namespace), services.map((s) => s.namespace), serviceAccountObjects.map((s) => s.namespace), gateways.map((g) => g.namespace)]) {
        for (const name of list) set.add(name);
      }
      names = [...set].sort();
      return names;
    },
    service: (namespace, name) => services.find((service) => service.namespace === namespace && service.name === name),
    gateway: (namespace, name) => gateways.find((gateway) => gateway.namespace === namespace && gateway.name === name),
    serviceEntry: (namespace, name) => serviceEntries.find((entry) => entry.namespace === namespace && entry.name === name),
  };
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

interface NamespaceRule {
  namespace: string;
  /** Directory the rule applies to (and everything below it). */
  directory: string;
  /** Individual files the rule applies to. */
  files: Set<string>;
  /** Sub-directories (resolved) the rule applies to recursively. */
  directories: string[];
}

/**
 * Resolves the namespace a document lands in, from kustomize and Flux
 * Kustomizations found in the workspace. Kustomizations without `apiVersion`
 * (allowed by kustomize) are read through the model when they are in the
 * workspace's file list.
 */
class NamespaceResolver {
  private readonly kustomizeRules: NamespaceRule[] = [];
  private readonly fluxRules: { namespace: string; path: string }[] = [];
  private readonly cache = new Map<string, { namespace: string; origin: NamespaceOrigin } | null>();

  constructor(model: WorkspaceModel) {
    const identifiedFiles = new Set<string>();
    for (const document of model.resources()) {
      const { identity } = document;
      if (identity.kind !== 'Kustomization') continue;
      if (identity.group === 'kustomize.config.k8s.io') {
        identifiedFiles.add(document.file);
        this.addKustomization(document.file, document.parsed.root);
      } else if (identity.group === 'kustomize.toolkit.fluxcd.io') {
        const spec = mapGet(deref(document.parsed.root), 'spec');
        const namespace = scalarString(mapGet(spec, 'targetNamespace'));
        const path = scalarString(mapGet(spec, 'path'));
        if (namespace && path !== undefined) {
          const normalized = normalizePath(path.replace(/^\.\//, ''));
          if (normalized !== '.' && !normalized.startsWith('..')) this.fluxRules.push({ namespace, path: normalized.replace(/^\//, '') });
        }
      }
    }
    for (const file of model.files()) {
      if (identifiedFiles.has(file) || !/(^|\/)(kustomization\.ya?ml|Kustomization)$/.test(file)) continue;
      if (model.fileResources(file).length > 0) continue;
      const name = file.slice(file.lastIndexOf('/') + 1);
      const read = model.readReferencedFile(file, name);
      if ('text' in read) this.addKustomization(file, createParsedDocument(read.text).root);
    }
    // Outer kustomizations apply after inner ones, so the shortest directory wins.
    this.kustomizeRules.sort((a, b) => a.directory.length - b.directory.length);
    this.fluxRules.sort((a, b) => b.path.length - a.path.length);
  }

  resolve(file: string, declared: string | undefined): { namespace: string; origin: NamespaceOrigin } {
    const key = file;
    let fromTools = this.cache.get(key);
    if (fromTools === undefined) {
      fromTools = this.fromFlux(file) ?? this.fromKustomize(file) ?? null;
      this.cache.set(key, fromTools);
    }
    if (fromTools) return fromTools;
    if (declared) return { namespace: declared, origin: 'metadata' };
    return { namespace: 'default', origin: 'default' };
  }

  private addKustomization(file: string, root: YamlNode | undefined): void {
    const namespace = scalarString(mapGet(deref(root), 'namespace'));
    if (!namespace) return;
    const directory = parentDirectory(file);
    const rule: NamespaceRule = { namespace, directory, files: new Set(), directories: [] };
    const resources = deref(mapGet(deref(root), 'resources'));
    if (resources?.type === 'seq') {
      for (const item of resources.items) {
        const entry = scalarString(item);
        if (!entry || /^[a-z]+:\/\//.test(entry)) continue;
        const resolved = joinPath(directory, entry);
        if (/\.ya?ml$/.test(entry)) rule.files.add(resolved);
        else rule.directories.push(resolved);
      }
    }
    this.kustomizeRules.push(rule);
  }

  private fromKustomize(file: string): { namespace: string; origin: NamespaceOrigin } | undefined {
    const normalized = normalizePath(file);
    for (const rule of this.kustomizeRules) {
      const covered =
        parentDirectory(normalized) === rule.directory ||
        rule.files.has(normalized) ||
        rule.directories.some((directory) => isInside(normalized, directory));
      if (covered) return { namespace: rule.namespace, origin: 'kustomization' };
    }
    return undefined;
  }

  private fromFlux(file: string): { namespace: string; origin: NamespaceOrigin } | undefined {
    const directory = `${parentDirectory(normalizePath(file))}/`;
    for (const rule of this.fluxRules) {
      if (directory.includes(`/${rule.path}/`) || directory.startsWith(`${rule.path}/`)) return { namespace: rule.namespace, origin: 'flux-kustomization' };
    }
    return undefined;
  }
}
