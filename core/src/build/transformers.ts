/**
 * kustomize's built-in field transformers: namespace, name prefix/suffix,
 * labels, annotations, images and replicas, each writing through field specs
 * and recording the kustomization line that configured it as the origin of
 * every field it writes.
 *
 * Invariant: transformers only touch the fields their specs name (plus the
 * documented special cases: `metadata.namespace` of namespaced kinds, role
 * binding subjects named `default`, and any `containers`/`initContainers` list
 * for images), and record previous ids before renaming so references can be
 * fixed at the end of the build.
 */

import { RE2JS } from 're2js';
import { visitFieldSpec, specApplies, type FieldSpec } from './fieldSpecs';
import { recordWrite, type PathSegment } from './provenance';
import {
  ensureMetadata,
  gvkOf,
  gvkSelected,
  isClusterScoped,
  isObject,
  originalId,
  allIds,
  storePreviousId,
  stringField,
  type Json,
  type JsonObject,
  type Resource,
} from './resource';
import type { Origin } from './types';

function setAt(container: JsonObject | Json[], key: string | number, value: Json): void {
  if (Array.isArray(container)) container[key as number] = value;
  else container[key as string] = value;
}

function getAt(container: JsonObject | Json[], key: string | number): Json | undefined {
  return Array.isArray(container) ? container[key as number] : container[key as string];
}

// --- namespace ---------------------------------------------------------------

export interface NamespaceOptions {
  unsetOnly?: boolean;
  /** `defaultOnly` (default), `allServiceAccounts` or `none`. */
  setRoleBindingSubjects?: string;
}

export function applyNamespace(resources: Resource[], namespace: string, specs: FieldSpec[], origin: Origin, options: NamespaceOptions = {}): string | undefined {
  if (!namespace) return undefined;
  const mode = options.setRoleBindingSubjects ?? '';
  if (!['', 'defaultOnly', 'allServiceAccounts', 'none'].includes(mode)) return `invalid value "${mode}" for setRoleBindingSubjects`;
  const set = (container: JsonObject | Json[], key: string | number, path: PathSegment[], resource: Resource) => {
    const current = getAt(container, key);
    if (options.unsetOnly && current !== undefined && current !== null && current !== '') return;
    setAt(container, key, namespace);
    recordWrite(resource, path, origin);
  };
  for (const resource of resources) {
    if (isHelmGenerated(resource)) continue;
    storePreviousId(resource);
    const gvk = gvkOf(resource.value);
    const apiVersion = stringField(resource.value.apiVersion);
    if (!isClusterScoped(gvk)) {
      const metadata = ensureMetadata(resource.value);
      set(metadata, 'namespace', ['metadata', 'namespace'], resource);
    }
    const isBinding = gvk.kind === 'RoleBinding' || gvk.kind === 'ClusterRoleBinding';
    for (const spec of specs) {
      if (spec.path === 'metadata/namespace') continue;
      if (spec.path === 'metadata/name' && apiVersion !== 'v1') continue;
      if (isBinding && spec.path === 'subjects/namespace' && (spec.kind === 'RoleBinding' || spec.kind === 'ClusterRoleBinding')) continue;
      if (!specApplies(spec, gvk)) continue;
      visitFieldSpec(resource.value, spec, 'scalar', (container, key, path) => set(container, key, path, resource));
    }
    if (isBinding && mode !== 'none' && Array.isArray(resource.value.subjects)) {
      resource.value.subjects.forEach((subject, index) => {
        if (!isObject(subject)) return;
        const matches = mode === 'allServiceAccounts' ? subject.kind === 'ServiceAccount' : subject.name === 'default';
        if (matches) set(subject, 'namespace', ['subjects', index, 'namespace'], resource);
      });
    }
  }
  return undefined;
}

function isHelmGenerated(resource: Resource): boolean {
  const annotations = isObject(resource.value.metadata) ? resource.value.metadata.annotations : undefined;
  return isObject(annotations) && annotations['kustomize.config.k8s.io/helm-generated'] === 'true';
}

// --- name prefix / suffix ----------------------------------------------------

const PREFIX_SKIP: Array<{ kind: string; group?: string }> = [{ kind: 'CustomResourceDefinition' }, { kind: 'APIService', group: 'apiregistration.k8s.io' }, { kind: 'Namespace' }];

export function applyNameAffix(resources: Resource[], affix: string, where: 'prefix' | 'suffix', specs: FieldSpec[], origin: Origin): void {
  if (!affix) return;
  for (const resource of resources) {
    const id = originalId(resource);
    if (PREFIX_SKIP.some((skip) => gvkSelected(id, skip))) continue;
    for (const spec of specs) {
      if (!gvkSelected(id, { kind: spec.kind, group: spec.group, version: spec.version })) continue;
      if (spec.path === 'metadata/name') {
        if (where === 'prefix') resource.namePrefixes.push(affix);
        else resource.nameSuffixes.push(affix);
        storePreviousId(resource);
      }
      visitFieldSpec(resource.value, spec, undefined, (container, key, path) => {
        const current = getAt(container, key);
        if (typeof current !== 'string') return;
        setAt(container, key, where === 'prefix' ? affix + current : current + affix);
        recordWrite(resource, path, origin);
      });
    }
  }
}

// --- labels / annotations ----------------------------------------------------

export function applyStringMap(resources: Resource[], entries: Record<string, string>, specs: FieldSpec[], origin: Origin): void {
  const keys = Object.keys(entries);
  if (keys.length === 0) return;
  for (const resource of resources) {
    const gvk = gvkOf(resource.value);
    for (const spec of specs) {
      if (!specApplies(spec, gvk)) continue;
      visitFieldSpec(resource.value, spec, 'map', (container, key, path) => {
        let map = getAt(container, key);
        if (map === null || map === undefined) {
          if (!spec.create) return;
          map = {};
          setAt(container, key, map);
        }
        if (!isObject(map)) return;
        for (const name of keys) {
          map[name] = entries[name];
          recordWrite(resource, [...path, name], origin);
        }
      });
    }
  }
}

// --- images ------------------------------------------------------------------

export interface ImageSpec {
  name: string;
  newName?: string;
  newTag?: string;
  digest?: string;
  tagSuffix?: string;
}

export function splitImage(image: string): { name: string; tag: string; digest: string } {
  let search = image;
  let slash = image.indexOf('/');
  if (slash > 0) search = image.slice(slash);
  else slash = 0;
  let at = search.indexOf('@');
  let colon = search.indexOf(':');
  if (colon < 0 && at < 0) return { name: image, tag: '', digest: '' };
  if (at >= 0 && (at < colon || colon < 0)) {
    at += slash;
    return { name: image.slice(0, at), tag: '', digest: image.slice(at + 1) };
  }
  if (at >= 0 && colon >= 0) {
    at += slash;
    colon += slash;
    return { name: image.slice(0, colon), tag: image.slice(colon + 1, at), digest: image.slice(at + 1) };
  }
  colon += slash;
  return { name: image.slice(0, colon), tag: image.slice(colon + 1), digest: '' };
}

const imagePatternCache = new Map<string, RE2JS | null>();

function imageMatches(value: string, name: string): boolean {
  let pattern = imagePatternCache.get(name);
  if (pattern === undefined) {
    try {
      // kustomize uses the image name as a regular expression prefix.
      pattern = RE2JS.compile(`^${name}(:[a-zA-Z0-9_.{}-]*)?(@sha256:[a-zA-Z0-9_.{}-]*)?$`);
    } catch {
      pattern = null;
    }
    imagePatternCache.set(name, pattern);
  }
  return pattern ? pattern.matcher(value).find() : false;
}

export function updatedImage(value: string, spec: ImageSpec): string | undefined {
  if (!imageMatches(value, spec.name)) return undefined;
  let { name, tag, digest } = splitImage(value);
  if (spec.newName) name = spec.newName;
  if (spec.newTag && spec.digest) {
    tag = spec.newTag;
    digest = spec.digest;
  } else if (spec.newTag) {
    tag = spec.newTag;
    digest = '';
  } else if (spec.digest) {
    tag = '';
    digest = spec.digest;
  } else if (spec.tagSuffix) {
    tag += spec.tagSuffix;
    digest = '';
  }
  if (tag) name += `:${tag}`;
  if (digest) name += `@${digest}`;
  return name;
}

export function applyImage(resources: Resource[], spec: ImageSpec, specs: FieldSpec[], origin: Origin): void {
  for (const resource of resources) {
    if (stringField(resource.value.kind) === 'CustomResourceDefinition') continue;
    const update = (container: JsonObject, path: PathSegment[]) => {
      const current = container.image;
      if (typeof current !== 'string') return;
      const next = updatedImage(current, spec);
      if (next === undefined) return;
      container.image = next;
      recordWrite(resource, [...path, 'image'], origin);
    };
    // Any `containers` / `initContainers` list anywhere in the object (kustomize's legacy image filter).
    const walk = (node: Json, path: PathSegment[]): void => {
      if (Array.isArray(node)) node.forEach((item, index) => walk(item, [...path, index]));
      else if (isObject(node)) {
        for (const [key, value] of Object.entries(node)) {
          walk(value, [...path, key]);
          if ((key === 'containers' || key === 'initContainers') && Array.isArray(value)) {
            value.forEach((item, index) => {
              if (isObject(item)) update(item, [...path, key, index]);
            });
          }
        }
      }
    };
    walk(resource.value, []);
    const gvk = gvkOf(resource.value);
    for (const fieldSpec of specs) {
      if (!specApplies(fieldSpec, gvk)) continue;
      visitFieldSpec(resource.value, { ...fieldSpec, create: false }, undefined, (container, key, path) => {
        const current = getAt(container, key);
        if (typeof current !== 'string') return;
        const next = updatedImage(current, spec);
        if (next === undefined) return;
        setAt(container, key, next);
        recordWrite(resource, path, origin);
      });
    }
  }
}

// --- replicas ----------------------------------------------------------------

export function applyReplicas(resources: Resource[], name: string, count: number, specs: FieldSpec[], origin: Origin): string | undefined {
  let found = false;
  for (const spec of specs) {
    for (const resource of resources) {
      const ids = allIds(resource);
      if (!ids.some((id) => id.name === name && gvkSelected(id, { kind: spec.kind, group: spec.group, version: spec.version }))) continue;
      found = true;
      visitFieldSpec(resource.value, spec, 'scalar', (container, key, path) => {
        setAt(container, key, count);
        recordWrite(resource, path, origin);
      });
    }
  }
  return found ? undefined : `resource with name ${name} does not match a config with the following GVK ${specs.map((spec) => spec.kind ?? '').join(', ')}`;
}
