/**
 * Hover and completion for policies, fed by the workspace's Kubernetes index:
 * selector label keys and values (Cilium endpoint selectors and peer
 * selectors, AuthorizationPolicy `selector.matchLabels`), principals and
 * service accounts, namespace names, Cilium entities, HTTP methods and
 * targetRef names. Hover on a selector lists the workloads it matches with
 * file and line.
 *
 * Providers work from the indentation path of the cursor line, so they answer
 * while the document is being typed; they never do IO and cap their results.
 */

import type { CompletionItem, CompletionProvider, CompletionRequest } from './completion';
import type { HoverProvider } from './hover';
import { HTTP_METHODS } from '../policy/authzAttributes';
import { k8sIndex, type K8sIndex } from '../policy/k8sIndex';
import { selectorHover } from './selectorHover';

export const CILIUM_POLICY_KINDS = ['CiliumNetworkPolicy', 'CiliumClusterwideNetworkPolicy'];
/** Entity names Cilium accepts in `fromEntities`/`toEntities`. */
export const CILIUM_ENTITIES = ['all', 'world', 'cluster', 'host', 'remote-node', 'kube-apiserver', 'ingress', 'init', 'health', 'unmanaged', 'none'];
const NAMESPACE_LABEL_KEYS = ['k8s:io.kubernetes.pod.namespace', 'io.kubernetes.pod.namespace'];
const MAX_ITEMS = 100;

export const POLICY_HOVER: HoverProvider[] = [selectorHover];
export const POLICY_COMPLETION: CompletionProvider[] = [labelCompletion, authzValueCompletion, ciliumValueCompletion];

/** The list field or key the cursor is completing a value of: `principals` for `- $0` under it or `principals: [$0]`. */
function valueField(request: CompletionRequest): string | undefined {
  const { line } = request;
  if (line.position === 'value') return line.key;
  const path = line.parentPath;
  if (line.position === 'key' && path[path.length - 1] === 0 && typeof path[path.length - 2] === 'string') return path[path.length - 2] as string;
  return undefined;
}

/** Path of the mapping that holds the field (without the trailing list index). */
function containerPath(request: CompletionRequest): (string | number)[] {
  const { line } = request;
  if (line.position === 'value') return line.parentPath;
  return line.parentPath.slice(0, -2);
}

function documentNamespace(request: CompletionRequest, index: K8sIndex): string {
  const text = request.file.text;
  const offset = request.offset;
  const document = request.file.yaml.documents.find((candidate) => offset >= candidate.start && offset <= candidate.end);
  const identity = document ? request.file.identities[document.index] : undefined;
  let declared = identity?.namespace;
  if (!declared && document) declared = /^\s+namespace:\s*["']?([a-z0-9-]+)/m.exec(text.slice(document.start, document.end))?.[1];
  return index.effectiveNamespace(request.file.path, declared).namespace;
}

function items(request: CompletionRequest, values: Iterable<{ label: string; detail?: string; insertText?: string }>, kind: CompletionItem['kind'] = 'value'): CompletionItem[] {
  const result: CompletionItem[] = [];
  for (const value of values) {
    if (result.length >= MAX_ITEMS) break;
    result.push({ label: value.label, kind, detail: value.detail, insertText: value.insertText ?? value.label, replaceStart: request.line.wordStart, replaceEnd: request.line.wordEnd });
  }
  return result;
}

/** Is this a selector's `matchLabels` we complete, and over which namespace? */
function selectorScope(request: CompletionRequest, index: K8sIndex): { namespace: string | undefined; cilium: boolean } | undefined {
  const path = request.line.parentPath;
  if (path[path.length - 1] !== 'matchLabels') return undefined;
  const strings = path.filter((segment): segment is string => typeof segment === 'string');
  if (request.kind === 'AuthorizationPolicy' && strings.join('.') === 'spec.selector.matchLabels') {
    const namespace = documentNamespace(request, index);
    return { namespace: namespace === request.options.istioRootNamespace ? undefined : namespace, cilium: false };
  }
  if (request.kind && CILIUM_POLICY_KINDS.includes(request.kind)) {
    const holder = strings[strings.length - 2];
    if (holder === 'endpointSelector') return { namespace: request.kind === 'CiliumNetworkPolicy' ? documentNamespace(request, index) : undefined, cilium: true };
    if (holder === 'fromEndpoints' || holder === 'toEndpoints') return { namespace: undefined, cilium: true };
  }
  return undefined;
}

function stripCiliumSource(key: string): string {
  return key.replace(/^(k8s|any):/, '');
}

/**
 * The key of the current line when the cursor is on its value. The shared
 * line reader does not take keys with a colon inside (`k8s:app: x`, common in
 * Cilium selectors), so those are read here.
 */
function valueKey(request: CompletionRequest): string | undefined {
  if (request.line.position === 'value') return request.line.key;
  const { lineIndex } = request.file.yaml;
  const position = lineIndex.positionAt(request.offset);
  const before = lineIndex.lineText(position.line).slice(0, position.character);
  return /^\s*(?:-\s+)*([^\s#'"{}[\],]+):\s+[^\s]*$/.exec(before)?.[1];
}

function labelCompletion(request: CompletionRequest): CompletionItem[] {
  const index = k8sIndex(request.workspace);
  const scope = selectorScope(request, index);
  if (!scope) return [];
  const key = valueKey(request);
  const scoped = index.labelKeysAndValues(scope.namespace === undefined ? {} : { namespace: scope.namespace });
  const labels = scoped.size > 0 ? scoped : index.labelKeysAndValues();
  if (key === undefined && request.line.position === 'key') {
    const keys = [...labels.keys()].filter((key) => !request.line.siblingKeys.includes(key));
    const entries = keys.map((key) => ({ label: key, detail: `pod label (${labels.get(key)!.length} value${labels.get(key)!.length === 1 ? '' : 's'})`, insertText: `${key}: ` }));
    if (scope.cilium) entries.push(...NAMESPACE_LABEL_KEYS.slice(0, 1).filter((key) => !request.line.siblingKeys.includes(key)).map((key) => ({ label: key, detail: 'namespace of the pod', insertText: `${key}: ` })));
    return items(request, entries, 'property');
  }
  if (key !== undefined) {
    if (scope.cilium && NAMESPACE_LABEL_KEYS.includes(key)) return items(request, index.namespaceNames().map((name) => ({ label: name, detail: 'namespace' })), 'reference');
    const values = labels.get(scope.cilium ? stripCiliumSource(key) : key) ?? index.labelKeysAndValues().get(scope.cilium ? stripCiliumSource(key) : key) ?? [];
    return items(request, values.map((value) => ({ label: value, detail: `value of ${key} in the workspace` })));
  }
  return [];
}

function authzValueCompletion(request: CompletionRequest): CompletionItem[] {
  if (request.kind !== 'AuthorizationPolicy') return [];
  const field = valueField(request);
  if (!field) return [];
  const container = containerPath(request).filter((segment): segment is string => typeof segment === 'string');
  const last = container[container.length - 1];
  const index = k8sIndex(request.workspace);
  if (last === 'source') {
    if (field === 'principals' || field === 'notPrincipals') {
      return items(request, index.serviceAccounts().map((account) => ({ label: `cluster.local/ns/${account.namespace}/sa/${account.name}`, detail: account.declared ? 'ServiceAccount' : 'service account used by a workload' })), 'reference');
    }
    if (field === 'serviceAccounts' || field === 'notServiceAccounts') {
      return items(request, index.serviceAccounts().map((account) => ({ label: `${account.namespace}/${account.name}`, detail: account.declared ? 'ServiceAccount' : 'service account used by a workload' })), 'reference');
    }
    if (field === 'namespaces' || field === 'notNamespaces') return items(request, index.namespaceNames().map((name) => ({ label: name, detail: 'namespace' })), 'reference');
  }
  if (last === 'operation' && (field === 'methods' || field === 'notMethods')) return items(request, HTTP_METHODS.map((method) => ({ label: method })), 'enum');
  if ((last === 'targetRefs' || last === 'targetRef') && field === 'name' && request.line.position === 'value') {
    const namespace = documentNamespace(request, index);
    const candidates = [
      ...index.services.filter((service) => service.namespace === namespace).map((service) => ({ label: service.name, detail: 'Service' })),
      ...index.gateways.filter((gateway) => gateway.namespace === namespace).map((gateway) => ({ label: gateway.name, detail: gateway.isWaypoint ? 'Gateway (waypoint)' : 'Gateway' })),
      ...index.serviceEntries.filter((entry) => entry.namespace === namespace).map((entry) => ({ label: entry.name, detail: 'ServiceEntry' })),
    ];
    return items(request, candidates, 'reference');
  }
  return [];
}

function ciliumValueCompletion(request: CompletionRequest): CompletionItem[] {
  if (!request.kind || !CILIUM_POLICY_KINDS.includes(request.kind)) return [];
  const field = valueField(request);
  if (field === 'fromEntities' || field === 'toEntities') return items(request, CILIUM_ENTITIES.map((entity) => ({ label: entity, detail: 'Cilium entity' })), 'enum');
  if (field === 'method' && request.line.position === 'value' && containerPath(request).includes('http')) return items(request, HTTP_METHODS.map((method) => ({ label: method })), 'enum');
  return [];
}
