/**
 * A resource while it is being built, and the identity rules kustomize uses
 * for it: group/version/kind, current and previous ids, cluster scope, target
 * selectors and label selectors.
 *
 * Invariants: `value` is plain JSON owned by this resource (never shared with
 * another resource); `prevIds` holds the ids the resource had before each
 * rename, oldest first, so references written against any earlier name can be
 * found and rewritten at the end of the build, as kustomize does.
 */

import { RE2JS } from 're2js';
import type { Origin } from './types';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface Gvk {
  group: string;
  version: string;
  kind: string;
}

export interface ResId extends Gvk {
  name: string;
  /** As written ('' when unset); see `effectiveNamespace`. */
  namespace: string;
}

export interface Resource {
  value: JsonObject;
  source: Origin;
  fieldOrigins: Map<string, Origin>;
  via: string[];
  prevIds: ResId[];
  namePrefixes: string[];
  nameSuffixes: string[];
  /** Generated with a name hash suffix still to add. */
  needsHash: boolean;
  /** Generator behavior, only for generated resources before they are absorbed. */
  behavior?: 'create' | 'merge' | 'replace';
  /** Patch options of a strategic merge patch resource. */
  allowNameChange?: boolean;
  allowKindChange?: boolean;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Deep copy of a JSON value; keys are defined as own properties so a `__proto__` key stays data. */
export function cloneJson<T extends Json | undefined>(value: T): T {
  if (value === undefined || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => cloneJson(item)) as T;
  const result: JsonObject = {};
  for (const [key, entry] of Object.entries(value)) {
    Object.defineProperty(result, key, { value: cloneJson(entry), enumerable: true, writable: true, configurable: true });
  }
  return result as T;
}

export function parseApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

export function stringField(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return '';
}

export function gvkOf(value: JsonObject): Gvk {
  const { group, version } = parseApiVersion(stringField(value.apiVersion));
  return { group, version, kind: stringField(value.kind) };
}

export function metadataOf(value: JsonObject): JsonObject | undefined {
  return isObject(value.metadata) ? value.metadata : undefined;
}

export function nameOf(value: JsonObject): string {
  return stringField(metadataOf(value)?.name);
}

export function namespaceOf(value: JsonObject): string {
  return stringField(metadataOf(value)?.namespace);
}

export function ensureMetadata(value: JsonObject): JsonObject {
  if (!isObject(value.metadata)) value.metadata = {};
  return value.metadata as JsonObject;
}

export function currentId(resource: Resource): ResId {
  return { ...gvkOf(resource.value), name: nameOf(resource.value), namespace: namespaceOf(resource.value) };
}

export function originalId(resource: Resource): ResId {
  return resource.prevIds[0] ?? currentId(resource);
}

/** Kinds the compiled-in OpenAPI document of kustomize marks as cluster-scoped, by `apiVersion|kind`. */
const CLUSTER_SCOPED = new Set(
  [
    'admissionregistration.k8s.io/v1|MutatingWebhookConfiguration',
    'admissionregistration.k8s.io/v1|ValidatingWebhookConfiguration',
    'admissionregistration.k8s.io/v1beta1|MutatingWebhookConfiguration',
    'admissionregistration.k8s.io/v1beta1|ValidatingWebhookConfiguration',
    'admissionregistration.k8s.io/v1|ValidatingAdmissionPolicy',
    'admissionregistration.k8s.io/v1|ValidatingAdmissionPolicyBinding',
    'apiextensions.k8s.io/v1|CustomResourceDefinition',
    'apiextensions.k8s.io/v1beta1|CustomResourceDefinition',
    'apiregistration.k8s.io/v1|APIService',
    'apiregistration.k8s.io/v1beta1|APIService',
    'certificates.k8s.io/v1|CertificateSigningRequest',
    'certificates.k8s.io/v1beta1|CertificateSigningRequest',
    'flowcontrol.apiserver.k8s.io/v1beta1|FlowSchema',
    'flowcontrol.apiserver.k8s.io/v1beta1|PriorityLevelConfiguration',
    'networking.k8s.io/v1|IngressClass',
    'networking.k8s.io/v1beta1|IngressClass',
    'node.k8s.io/v1|RuntimeClass',
    'node.k8s.io/v1beta1|RuntimeClass',
    'policy/v1beta1|PodSecurityPolicy',
    'rbac.authorization.k8s.io/v1|ClusterRole',
    'rbac.authorization.k8s.io/v1|ClusterRoleBinding',
    'rbac.authorization.k8s.io/v1beta1|ClusterRole',
    'rbac.authorization.k8s.io/v1beta1|ClusterRoleBinding',
    'scheduling.k8s.io/v1|PriorityClass',
    'scheduling.k8s.io/v1beta1|PriorityClass',
    'storage.k8s.io/v1|CSIDriver',
    'storage.k8s.io/v1|CSINode',
    'storage.k8s.io/v1|StorageClass',
    'storage.k8s.io/v1|VolumeAttachment',
    'storage.k8s.io/v1beta1|CSIDriver',
    'storage.k8s.io/v1beta1|CSINode',
    'storage.k8s.io/v1beta1|StorageClass',
    'storage.k8s.io/v1beta1|VolumeAttachment',
    'v1|ComponentStatus',
    'v1|Namespace',
    'v1|Node',
    'v1|NodeProxyOptions',
    'v1|PersistentVolume',
  ],
);

export function apiVersionOf(gvk: Gvk): string {
  return gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
}

/** kustomize only treats a kind as cluster-scoped when its built-in schema says so; custom resources are namespaced. */
export function isClusterScoped(gvk: Gvk): boolean {
  return CLUSTER_SCOPED.has(`${apiVersionOf(gvk)}|${gvk.kind}`);
}

export function effectiveNamespace(id: ResId): string {
  if (isClusterScoped(id)) return '~X';
  return id.namespace === '' ? 'default' : id.namespace;
}

export function sameGvk(a: Gvk, b: Gvk): boolean {
  return a.group === b.group && a.version === b.version && a.kind === b.kind;
}

export function sameId(a: ResId, b: ResId): boolean {
  return sameGvk(a, b) && a.name === b.name && effectiveNamespace(a) === effectiveNamespace(b);
}

/** A string that is equal for two ids exactly when `sameId` holds (for indexes). */
export function idKey(id: ResId): string {
  return `${id.group}|${id.version}|${id.kind}|${id.name}|${effectiveNamespace(id)}`;
}

/** kustomize's `Gvk.IsSelected`: empty selector fields match anything. */
export function gvkSelected(gvk: Gvk, selector: Partial<Gvk>): boolean {
  if (selector.group && gvk.group !== selector.group) return false;
  if (selector.version && gvk.version !== selector.version) return false;
  if (selector.kind && gvk.kind !== selector.kind) return false;
  return true;
}

/** Records the current id before a change of name, namespace or kind (kustomize stores the effective namespace). */
export function storePreviousId(resource: Resource): void {
  const id = currentId(resource);
  resource.prevIds.push({ ...id, namespace: effectiveNamespace(id) === '~X' ? '' : effectiveNamespace(id) });
}

export function allIds(resource: Resource): ResId[] {
  return [...resource.prevIds, currentId(resource)];
}

export function idString(id: ResId): string {
  const ns = id.namespace ? `${id.namespace}/` : '';
  return `${id.kind}${id.group ? `.${id.group}` : ''}/${ns}${id.name}`;
}

// --- Target selectors -------------------------------------------------------

export interface TargetSelector {
  group?: string;
  version?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  labelSelector?: string;
  annotationSelector?: string;
}

const regexCache = new Map<string, RE2JS | null>();

/** Full-match with an RE2 regular expression, as kustomize's anchored selectors do; a bad pattern matches nothing. */
export function anchoredMatch(pattern: string, text: string): boolean {
  let compiled = regexCache.get(pattern);
  if (compiled === undefined) {
    try {
      compiled = RE2JS.compile(`^(?:${pattern})$`);
    } catch {
      compiled = null;
    }
    if (regexCache.size > 5000) regexCache.clear();
    regexCache.set(pattern, compiled);
  }
  return compiled ? compiled.matches(text) : false;
}

export function selectorError(selector: TargetSelector): string | undefined {
  for (const key of ['group', 'version', 'kind', 'name', 'namespace'] as const) {
    const pattern = selector[key];
    if (!pattern) continue;
    try {
      RE2JS.compile(pattern);
    } catch {
      return `invalid regular expression in target ${key}: ${pattern}`;
    }
  }
  for (const key of ['labelSelector', 'annotationSelector'] as const) {
    const text = selector[key];
    if (text && !parseLabelSelector(text)) return `invalid ${key}: ${text}`;
  }
  return undefined;
}

export function selectorMatches(resource: Resource, selector: TargetSelector): boolean {
  const current = currentId(resource);
  const original = originalId(resource);
  if (selector.namespace && !anchoredMatch(selector.namespace, effectiveNamespace(original)) && !anchoredMatch(selector.namespace, effectiveNamespace(current))) {
    return false;
  }
  if (selector.name && !anchoredMatch(selector.name, original.name) && !anchoredMatch(selector.name, current.name)) return false;
  if (selector.group && !anchoredMatch(selector.group, current.group)) return false;
  if (selector.version && !anchoredMatch(selector.version, current.version)) return false;
  if (selector.kind && !anchoredMatch(selector.kind, current.kind)) return false;
  const metadata = metadataOf(resource.value);
  if (selector.labelSelector && !labelsMatch(selector.labelSelector, stringMap(metadata?.labels))) return false;
  if (selector.annotationSelector && !labelsMatch(selector.annotationSelector, stringMap(metadata?.annotations))) return false;
  return true;
}

export function stringMap(value: unknown): Record<string, string> {
  const result: Record<string, string> = {};
  if (!isObject(value)) return result;
  for (const [key, entry] of Object.entries(value)) result[key] = stringField(entry);
  return result;
}

interface Requirement {
  key: string;
  op: 'in' | 'notin' | 'exists' | '!' | '=' | '!=';
  values: string[];
}

/** Parses a Kubernetes label selector string (`a=b,c!=d,e in (x,y),!f,g`); undefined when malformed. */
export function parseLabelSelector(text: string): Requirement[] | undefined {
  const requirements: Requirement[] = [];
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of text) {
    if (char === '(') depth++;
    if (char === ')') depth--;
    if (char === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += char;
  }
  parts.push(current);
  for (const raw of parts) {
    const part = raw.trim();
    if (part === '') continue;
    let match = /^([^\s!=()]+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(part);
    if (match) {
      requirements.push({ key: match[1], op: match[2] as 'in' | 'notin', values: match[3].split(',').map((v) => v.trim()) });
      continue;
    }
    match = /^!\s*([^\s!=()]+)$/.exec(part);
    if (match) {
      requirements.push({ key: match[1], op: '!', values: [] });
      continue;
    }
    match = /^([^\s!=()]+)\s*(==|=|!=)\s*([^\s!=(),]*)$/.exec(part);
    if (match) {
      requirements.push({ key: match[1], op: match[2] === '!=' ? '!=' : '=', values: [match[3]] });
      continue;
    }
    match = /^([^\s!=()]+)$/.exec(part);
    if (match) {
      requirements.push({ key: match[1], op: 'exists', values: [] });
      continue;
    }
    return undefined;
  }
  return requirements;
}

export function labelsMatch(selector: string, labels: Record<string, string>): boolean {
  const requirements = parseLabelSelector(selector);
  if (!requirements) return false;
  return requirements.every((requirement) => {
    const has = Object.prototype.hasOwnProperty.call(labels, requirement.key);
    const value = labels[requirement.key];
    switch (requirement.op) {
      case 'exists':
        return has;
      case '!':
        return !has;
      case '=':
        return has && value === requirement.values[0];
      case '!=':
        return !has || value !== requirement.values[0];
      case 'in':
        return has && requirement.values.includes(value);
      case 'notin':
        return !has || !requirement.values.includes(value);
    }
  });
}
