/**
 * What Flux and kustomize do to names and namespaces before the API server
 * sees them, approximated from the files in the workspace, memoized per
 * workspace generation:
 * - files that a kustomize `kustomization.yaml` uses as patches (their
 *   documents are partial objects, not resources of their own; the list of
 *   workspace/kustomizePatches plus `patches[].path` entries);
 * - the namespace a document ends up in: `metadata.namespace`, the
 *   `namespace:` of the kustomization.yaml in its folder, the `targetNamespace`
 *   of a Flux Kustomization whose `path` covers its folder.
 *
 * Invariant: when nothing says where a document lands, its namespace is
 * unknown (`undefined`) and matches any namespace, so lookups err towards
 * "found" and rules stay quiet rather than report what might be fine.
 */

import { mapGet, scalarString, type YamlNode } from '../parse/ast';
import { joinPath, normalizePath, parentDirectory, type IndexedDocument, type WorkspaceModel } from '../workspace/model';
import { kustomizePatchFiles } from '../workspace/kustomizePatches';
import { hasSubstitution, isFluxDocument } from './fluxObjects';

const KUSTOMIZE_GROUP = 'kustomize.config.k8s.io';

interface FluxWorkspaceIndex {
  patchFiles: ReadonlySet<string>;
  /** Folder → namespace set by the kustomization.yaml in it. */
  folderNamespaces: ReadonlyMap<string, string>;
  targetNamespaces: readonly { path: string; namespace: string }[];
}

function buildIndex(model: WorkspaceModel): FluxWorkspaceIndex {
  const patchFiles = new Set<string>(kustomizePatchFiles(model));
  const folderNamespaces = new Map<string, string>();
  const targetNamespaces: { path: string; namespace: string }[] = [];
  // kustomize finds kustomization.yaml by its name; apiVersion/kind are optional there.
  for (const file of model.files()) {
    if (!/(^|\/)(kustomization\.ya?ml|Kustomization)$/.test(file)) continue;
    const root = model.fileDocuments(file)[0]?.root;
    const apiVersion = scalarString(mapGet(root, 'apiVersion'));
    if (apiVersion && !apiVersion.startsWith(`${KUSTOMIZE_GROUP}/`)) continue;
    const folder = parentDirectory(file);
    const namespace = scalarString(mapGet(root, 'namespace'));
    if (namespace && !hasSubstitution(namespace)) folderNamespaces.set(folder, namespace);
    for (const path of patchPaths(root)) patchFiles.add(joinPath(folder, path));
  }
  for (const document of model.byKind('Kustomization')) {
    if (!isFluxDocument(document, 'Kustomization')) continue;
    const spec = mapGet(document.parsed.root, 'spec');
    const namespace = scalarString(mapGet(spec, 'targetNamespace'));
    const path = scalarString(mapGet(spec, 'path'));
    if (namespace && path && !hasSubstitution(namespace)) targetNamespaces.push({ path, namespace });
  }
  return { patchFiles, folderNamespaces, targetNamespaces };
}

function patchPaths(root: YamlNode | undefined): string[] {
  const paths: string[] = [];
  const patches = mapGet(root, 'patches');
  if (patches?.type === 'seq') {
    for (const item of patches.items) {
      const path = scalarString(mapGet(item, 'path'));
      if (path) paths.push(path);
    }
  }
  const strategic = mapGet(root, 'patchesStrategicMerge');
  if (strategic?.type === 'seq') {
    for (const item of strategic.items) {
      const path = item.type === 'scalar' ? scalarString(item) : undefined;
      if (path && !path.includes('\n')) paths.push(path);
    }
  }
  return paths;
}

function fluxIndex(model: WorkspaceModel): FluxWorkspaceIndex {
  return model.derive('flux/workspace-index', buildIndex);
}

/** Documents of files used as kustomize patches are fragments, not objects of their own. */
export function isPatchDocument(model: WorkspaceModel, document: { file: string }): boolean {
  return fluxIndex(model).patchFiles.has(normalizePath(document.file));
}

/**
 * Does a Flux Kustomization `spec.path` (relative to its source's root) name
 * this folder or one of its ancestors? Approximated by matching the path as a
 * suffix of the folder's path, since the source root is not known. The root
 * path (`./`) matches nothing: it would match everything.
 */
export function kustomizationPathCovers(kustomizationPath: string, folder: string): boolean {
  const path = normalizePath(kustomizationPath.replace(/^\.\//, ''));
  if (path === '.' || path === '' || path.startsWith('..') || hasSubstitution(path)) return false;
  const normalizedFolder = normalizePath(folder);
  const segments = normalizedFolder.split('/');
  const pathSegments = path.split('/');
  for (let end = segments.length; end >= pathSegments.length; end--) {
    const slice = segments.slice(end - pathSegments.length, end);
    if (slice.join('/') === pathSegments.join('/')) return true;
  }
  return false;
}

/** Same test, but only for the folder the path names exactly (not its descendants). */
export function kustomizationPathNames(kustomizationPath: string, folder: string): boolean {
  const path = normalizePath(kustomizationPath.replace(/^\.\//, ''));
  if (path === '.' || path === '' || path.startsWith('..') || hasSubstitution(path)) return false;
  const normalizedFolder = normalizePath(folder);
  return normalizedFolder === path || normalizedFolder.endsWith(`/${path}`);
}

/**
 * The namespaces a document may land in; undefined = unknown (matches any).
 * Kustomize and Flux override `metadata.namespace`, so all candidates count.
 */
export function documentNamespaces(model: WorkspaceModel, document: IndexedDocument): ReadonlySet<string> | undefined {
  const index = fluxIndex(model);
  const own = document.identity.namespace;
  if (hasSubstitution(own)) return undefined;
  const candidates = new Set<string>();
  if (own) candidates.add(own);
  const folder = parentDirectory(document.file);
  const folderNamespace = index.folderNamespaces.get(folder);
  if (folderNamespace) candidates.add(folderNamespace);
  for (const target of index.targetNamespaces) {
    if (kustomizationPathCovers(target.path, folder)) candidates.add(target.namespace);
  }
  return candidates.size > 0 ? candidates : undefined;
}

export function namespacesOverlap(a: ReadonlySet<string> | undefined, b: ReadonlySet<string> | undefined): boolean {
  if (!a || !b) return true;
  for (const namespace of a) if (b.has(namespace)) return true;
  return false;
}

/** The namespace a reference points into: its own `namespace`, else the referring object's. */
export function referenceNamespaces(
  model: WorkspaceModel,
  from: IndexedDocument,
  explicitNamespace: string | undefined,
): ReadonlySet<string> | undefined {
  if (explicitNamespace !== undefined) return hasSubstitution(explicitNamespace) ? undefined : new Set([explicitNamespace]);
  return documentNamespaces(model, from);
}

/** One readable namespace for messages: the only candidate, else undefined. */
export function singleNamespace(namespaces: ReadonlySet<string> | undefined): string | undefined {
  return namespaces && namespaces.size === 1 ? [...namespaces][0] : undefined;
}
