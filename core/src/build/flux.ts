/**
 * Builds the way Flux's kustomize-controller does, on top of the kustomize
 * engine.
 *
 * What Flux does (fluxcd/pkg `kustomize` generator, read for semantics):
 * 1. It looks for `kustomization.yaml` / `kustomization.yml` / `Kustomization`
 *    in `spec.path`. When there is none it generates one whose `resources`
 *    list every `.yaml`/`.yml` file below the directory (walked in lexical
 *    order), except that a subdirectory holding a kustomization file is listed
 *    as a directory and not walked into. An empty directory builds nothing.
 * 2. It then edits that kustomization in place, before building:
 *    - `spec.targetNamespace` replaces `namespace`;
 *    - `spec.namePrefix` / `spec.nameSuffix` replace `namePrefix` / `nameSuffix`;
 *    - `spec.patches` are appended to `patches` (so they run in the root
 *      kustomization's patch step, before its namespace/prefix/labels);
 *    - `spec.components` are appended to `components` (missing ones are
 *      skipped when `spec.ignoreMissingComponents` is true);
 *    - `spec.images` are merged into `images` by name (a Flux entry overrides
 *      `newName`, and `newTag` + `digest` together, of an existing entry).
 * 3. It builds with load restrictions off (files outside the directory, within
 *    the source, may be referenced).
 * 4. After the build, `spec.commonMetadata` labels and annotations are set on
 *    every object's `metadata` only (never on selectors or pod templates).
 *    (`postBuild` substitution and the controller's own ownership labels are
 *    applied after this and are not part of this module.)
 *
 * Invariant: Flux's fields get their own provenance (the Flux Kustomization
 * document's lines), never the kustomization file's.
 */

import { deref, mapGet, type YamlNode } from '../parse/ast';
import { KustomizeEngine, type Kustomization, type LoadedDocument } from './engine';
import { joinPath, KUSTOMIZATION_FILE_NAMES } from './paths';
import { nodeOrigin, recordWrite } from './provenance';
import { ensureMetadata, isObject, stringField, type Json, type JsonObject, type TargetSelector } from './resource';
import type { BuildFileSystem, BuildResult, Origin } from './types';

/** The Flux Kustomization fields that change a build, with where they are written. */
export interface FluxOverlay {
  /** The Flux Kustomization's file and document, for provenance and notes. */
  file: string;
  document?: number;
  /** Syntax node of the Flux Kustomization document and the offset of its document in `file`. */
  node?: YamlNode;
  base?: number;
  targetNamespace?: string;
  namePrefix?: string;
  nameSuffix?: string;
  patches?: Array<{ patch: string; target?: TargetSelector }>;
  components?: string[];
  ignoreMissingComponents?: boolean;
  images?: Array<{ name: string; newName?: string; newTag?: string; digest?: string }>;
  commonMetadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
}

/** Reads the overlay fields from a Flux Kustomization object (`kustomize.toolkit.fluxcd.io`). */
export function fluxOverlayFromObject(value: Json, file: string, document = 0, node?: YamlNode, base = 0): FluxOverlay {
  const spec = isObject(value) && isObject(value.spec) ? value.spec : {};
  const overlay: FluxOverlay = { file, document, node, base };
  if (typeof spec.targetNamespace === 'string' && spec.targetNamespace) overlay.targetNamespace = spec.targetNamespace;
  if (typeof spec.namePrefix === 'string' && spec.namePrefix) overlay.namePrefix = spec.namePrefix;
  if (typeof spec.nameSuffix === 'string' && spec.nameSuffix) overlay.nameSuffix = spec.nameSuffix;
  if (Array.isArray(spec.patches)) {
    overlay.patches = spec.patches.filter(isObject).map((entry) => ({
      patch: stringField(entry.patch),
      target: isObject(entry.target) ? readTarget(entry.target) : undefined,
    }));
  }
  if (Array.isArray(spec.components)) overlay.components = spec.components.map(stringField);
  if (spec.ignoreMissingComponents === true) overlay.ignoreMissingComponents = true;
  if (Array.isArray(spec.images)) {
    overlay.images = spec.images.filter(isObject).map((entry) => ({
      name: stringField(entry.name),
      newName: stringField(entry.newName) || undefined,
      newTag: stringField(entry.newTag) || undefined,
      digest: stringField(entry.digest) || undefined,
    }));
  }
  if (isObject(spec.commonMetadata)) {
    overlay.commonMetadata = {
      labels: isObject(spec.commonMetadata.labels) ? stringRecord(spec.commonMetadata.labels) : undefined,
      annotations: isObject(spec.commonMetadata.annotations) ? stringRecord(spec.commonMetadata.annotations) : undefined,
    };
  }
  return overlay;
}

function stringRecord(value: JsonObject): Record<string, string> {
  return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, stringField(entry)]));
}

function readTarget(value: JsonObject): TargetSelector {
  const selector: TargetSelector = {};
  for (const key of ['group', 'version', 'kind', 'name', 'namespace', 'labelSelector', 'annotationSelector'] as const) {
    if (value[key] !== undefined && value[key] !== null && stringField(value[key]) !== '') selector[key] = stringField(value[key]);
  }
  return selector;
}

/** The resources Flux lists when it generates a kustomization for a directory (paths relative to it, `./`-prefixed). */
export function fluxScanResources(fs: BuildFileSystem, dir: string): string[] {
  const result: string[] = [];
  const walk = (current: string, relative: string) => {
    const listing = fs.listDir(current);
    if (!listing) return;
    const entries = [...listing.files.map((name) => ({ name, dir: false })), ...listing.dirs.map((name) => ({ name, dir: true }))].sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
    for (const entry of entries) {
      const path = current === '' ? entry.name : `${current}/${entry.name}`;
      const rel = `${relative}/${entry.name}`;
      if (entry.dir) {
        const nested = fs.listDir(path);
        if (nested && KUSTOMIZATION_FILE_NAMES.some((name) => nested.files.includes(name))) {
          result.push(rel);
          continue;
        }
        walk(path, rel);
      } else if (entry.name.endsWith('.yaml') || entry.name.endsWith('.yml')) {
        result.push(rel);
      }
    }
  };
  walk(dir, '.');
  return result;
}

function overlayNode(overlay: FluxOverlay, path: Array<string | number>): YamlNode | undefined {
  let node = deref(overlay.node);
  for (const segment of path) {
    if (!node) return undefined;
    if (typeof segment === 'number') node = node.type === 'seq' ? deref(node.items[segment]) : undefined;
    else node = deref(mapGet(node, segment));
  }
  return node;
}

function overlayOrigin(overlay: FluxOverlay, path: Array<string | number>, detail: string, kind: Origin['kind'] = 'flux'): Origin {
  const node = overlayNode(overlay, path) ?? deref(overlay.node);
  if (!node) return { kind, file: overlay.file, document: overlay.document ?? 0, start: 0, end: 0, kustomization: overlay.file, detail };
  return nodeOrigin(kind, overlay.file, overlay.document ?? 0, node, overlay.base ?? 0, { kustomization: overlay.file, detail });
}

/**
 * Builds `dir` as Flux would: its kustomization file, or the one Flux
 * generates; then the overlay (when given) as described in the module comment.
 */
export function buildFluxDirectory(fs: BuildFileSystem, dir: string, overlay?: FluxOverlay): BuildResult {
  const engine = new KustomizeEngine(fs, { loadRestrictions: 'none' });
  let root: Kustomization;
  const loaded = engine.kustomizationFileOf(dir) ? engine.loadKustomization(dir) : undefined;
  if (typeof loaded === 'string') {
    engine.note('error', loaded, dir);
    return { root: dir, objects: [], notes: engine.notes, failed: true, incomplete: false, files: [...engine.files].sort() };
  }
  if (loaded) {
    root = { ...loaded, value: { ...loaded.value } };
  } else {
    if (!fs.isDir(dir)) {
      engine.note('error', `'${dir || '.'}' is not a directory`, dir);
      return { root: dir, objects: [], notes: engine.notes, failed: true, incomplete: false, files: [] };
    }
    const resources = fluxScanResources(fs, dir);
    root = { dir, file: dir === '' ? 'kustomization.yaml' : `${dir}/kustomization.yaml`, value: { resources }, node: undefined, base: 0, synthetic: true };
  }
  if (overlay) applyOverlayFields(engine, root, overlay, fs);
  const result = engine.build(root);
  if (overlay?.commonMetadata) applyCommonMetadata(result, overlay);
  return result;
}

function applyOverlayFields(engine: KustomizeEngine, root: Kustomization, overlay: FluxOverlay, fs: BuildFileSystem): void {
  const origins: NonNullable<Kustomization['overlay']> = { images: new Map(), patches: [] };
  if (overlay.targetNamespace) {
    root.value.namespace = overlay.targetNamespace;
    origins.namespace = overlayOrigin(overlay, ['spec', 'targetNamespace'], 'targetNamespace');
  }
  if (overlay.namePrefix) {
    root.value.namePrefix = overlay.namePrefix;
    origins.namePrefix = overlayOrigin(overlay, ['spec', 'namePrefix'], 'namePrefix');
  }
  if (overlay.nameSuffix) {
    root.value.nameSuffix = overlay.nameSuffix;
    origins.nameSuffix = overlayOrigin(overlay, ['spec', 'nameSuffix'], 'nameSuffix');
  }
  overlay.patches?.forEach((entry, index) => {
    const patchNode = overlayNode(overlay, ['spec', 'patches', index, 'patch']);
    const documents = engine.patchDocuments(entry.patch, overlay.file, patchNode ? engine.offsetMapper(overlay.file, overlay.base ?? 0, patchNode, entry.patch) : undefined, 0);
    if (typeof documents === 'string') {
      engine.note('error', documents, overlay.file, patchNode, overlay.base ?? 0);
      return;
    }
    origins.patches.push({ documents: documents as LoadedDocument[], file: overlay.file, target: entry.target, detail: `Flux spec.patches[${index}]` });
  });
  if (overlay.components && overlay.components.length > 0) {
    const components = Array.isArray(root.value.components) ? [...root.value.components] : [];
    for (const component of overlay.components) {
      const path = joinPath(root.dir, component);
      if (overlay.ignoreMissingComponents && (path === undefined || (!fs.isDir(path) && fs.readFile(path) === undefined))) continue;
      components.push(component);
    }
    root.value.components = components;
  }
  if (overlay.images && overlay.images.length > 0) {
    const images = Array.isArray(root.value.images) ? root.value.images.map((entry) => (isObject(entry) ? { ...entry } : entry)) : [];
    overlay.images.forEach((image, index) => {
      const origin = overlayOrigin(overlay, ['spec', 'images', index], `images[${index}]`);
      const existing = images.findIndex((entry) => isObject(entry) && entry.name === image.name);
      if (existing !== -1) {
        const entry = images[existing] as JsonObject;
        if (image.newName) entry.newName = image.newName;
        if (image.newTag || image.digest) {
          entry.newTag = image.newTag ?? '';
          entry.digest = image.digest ?? '';
        }
        origins.images.set(existing, origin);
      } else {
        const entry: JsonObject = { name: image.name };
        if (image.newName) entry.newName = image.newName;
        if (image.newTag) entry.newTag = image.newTag;
        if (image.digest) entry.digest = image.digest;
        origins.images.set(images.length, origin);
        images.push(entry);
      }
    });
    root.value.images = images;
  }
  root.overlay = origins;
}

function applyCommonMetadata(result: BuildResult, overlay: FluxOverlay): void {
  for (const object of result.objects) {
    const metadata = ensureMetadata(object.value as JsonObject);
    for (const field of ['labels', 'annotations'] as const) {
      const entries = overlay.commonMetadata?.[field];
      if (!entries || Object.keys(entries).length === 0) continue;
      if (!isObject(metadata[field])) metadata[field] = {};
      const target = metadata[field] as JsonObject;
      for (const [key, value] of Object.entries(entries)) {
        target[key] = value;
        recordWrite(object, ['metadata', field, key], overlayOrigin(overlay, ['spec', 'commonMetadata', field, key], `commonMetadata.${field}`));
      }
    }
  }
}
