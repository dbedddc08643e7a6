/**
 * Kustomize `replacements` that fill fields of the Flux Kustomizations a
 * folder lists — the common way to set every app's `spec.targetNamespace`
 * from the folder's Namespace object (`replacements: [{path:
 * components/replacements/ks.yaml}]` next to `namespace: app`). A
 * Kustomization document does not show such a field; its folder's build
 * does. `replacedObject` builds the folder with the kustomize engine (once
 * per folder and workspace generation) and returns the document's object as
 * built, only where the folder's kustomization lists the file and declares
 * `replacements` (elsewhere the document is the object).
 *
 * The common form — the folder's Namespace object's name (which kustomize's
 * `namespace:` transformer sets) copied into `spec.targetNamespace` of the
 * Flux Kustomizations it lists — is read from the kustomization files alone
 * (`replacedTargetNamespace`), without building the folder: a shared
 * component every app folder includes would otherwise rebuild every folder on
 * each edit.
 *
 * Invariants: never throws; reads the workspace (and what the confined
 * reader allows) only; a folder whose build fails gives nothing.
 */

import { buildFluxDirectory } from '../build/index';
import { deref, mapGet, scalarString } from '../parse/ast';
import { joinPath, parentDirectory, type IndexedDocument, type WorkspaceModel } from '../workspace/model';
import type { YamlNode } from '../parse/ast';
import { containedError } from '../util/containedErrors';
import { workspaceBuildFs } from './workspaceBuildFs';

const KUSTOMIZATION_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** Does the kustomization of `file`'s folder list it and declare `replacements`? */
export function listedWithReplacements(model: WorkspaceModel, file: string): boolean {
  const folder = parentDirectory(file);
  const root = kustomizationRoot(model, folder);
  if (!root || !mapGet(root, 'replacements')) return false;
  const listed = deref(mapGet(root, 'resources'));
  const base = file.slice(folder.length + 1);
  return listed?.type === 'seq' && listed.items.some((item) => scalarString(deref(item))?.replace(/^\.\//, '') === base);
}

/** The document's object as its folder's build makes it, where `replacements` there may change it; else undefined. */
export function replacedObject(model: WorkspaceModel, document: Pick<IndexedDocument, 'file' | 'index'>): Record<string, unknown> | undefined {
  if (!listedWithReplacements(model, document.file)) return undefined;
  const folder = parentDirectory(document.file);
  const objects = model.derive(`gitops/folder-build:${folder}`, (workspace) => {
    const byDocument = new Map<string, Record<string, unknown>>();
    try {
      const fs = workspaceBuildFs(workspace);
      const relative = fs.fromWorkspace(folder);
      const result = relative === undefined ? undefined : buildFluxDirectory(fs, relative);
      if (!result || result.failed) return byDocument;
      for (const object of result.objects) {
        const file = fs.toWorkspace(object.source.file);
        byDocument.set(`${file}#${object.source.document}`, object.value);
      }
    } catch (error) {
      containedError('gitops/folder-build', error);
    }
    return byDocument;
  });
  return objects.get(`${document.file}#${document.index}`);
}

/**
 * The `spec.targetNamespace` that `replacements` of the listing folder give a
 * Flux Kustomization document; undefined when none does. The common form is
 * read from the kustomization files; any other form builds the folder.
 */
export function replacedTargetNamespace(model: WorkspaceModel, document: Pick<IndexedDocument, 'file' | 'index'>): string | undefined {
  if (!listedWithReplacements(model, document.file)) return undefined;
  const folder = parentDirectory(document.file);
  const root = kustomizationRoot(model, folder);
  const entries = replacementEntries(model, folder, deref(mapGet(root, 'replacements')));
  const namespace = scalarString(mapGet(root, 'namespace'));
  // With the folder's `namespace:`, the Namespace object carries that name; without it, the build says which.
  const common = entries !== undefined && entries.length > 0 && entries.every((entry) => isNamespaceToTargetNamespace(entry));
  if (common && namespace !== undefined) return namespace;
  const built = replacedObject(model, document)?.spec as Record<string, unknown> | undefined;
  return typeof built?.targetNamespace === 'string' ? built.targetNamespace : undefined;
}

function kustomizationRoot(model: WorkspaceModel, folder: string): YamlNode | undefined {
  for (const name of KUSTOMIZATION_NAMES) {
    const root = deref(model.fileDocuments(`${folder}/${name}`)[0]?.root);
    if (root) return root;
  }
  return undefined;
}

/** The replacement entries, inline or from `path:` files (a YAML list each); undefined when one cannot be read. */
function replacementEntries(model: WorkspaceModel, folder: string, list: YamlNode | undefined): YamlNode[] | undefined {
  if (list?.type !== 'seq') return undefined;
  const entries: YamlNode[] = [];
  for (const item of list.items) {
    const entry = deref(item);
    const path = scalarString(mapGet(entry, 'path'));
    if (path === undefined) {
      if (entry) entries.push(entry);
      continue;
    }
    const file = deref(model.fileDocuments(joinPath(folder, path))[0]?.root);
    if (file?.type !== 'seq') return undefined;
    for (const child of file.items) {
      const resolved = deref(child);
      if (resolved) entries.push(resolved);
    }
  }
  return entries;
}

/** `source: {kind: Namespace, fieldPath: metadata.name}` into `spec.targetNamespace` of Flux Kustomizations only. */
function isNamespaceToTargetNamespace(entry: YamlNode): boolean {
  const source = deref(mapGet(entry, 'source'));
  if (scalarString(mapGet(source, 'kind')) !== 'Namespace' || (scalarString(mapGet(source, 'fieldPath')) ?? 'metadata.name') !== 'metadata.name') return false;
  if (mapGet(source, 'name') !== undefined || mapGet(source, 'options') !== undefined) return false;
  const targets = deref(mapGet(entry, 'targets'));
  if (targets?.type !== 'seq' || targets.items.length === 0) return false;
  return targets.items.every((item) => {
    const target = deref(item);
    const select = deref(mapGet(target, 'select'));
    const fields = deref(mapGet(target, 'fieldPaths'));
    return (
      scalarString(mapGet(select, 'kind')) === 'Kustomization' &&
      scalarString(mapGet(select, 'group')) === 'kustomize.toolkit.fluxcd.io' &&
      fields?.type === 'seq' &&
      fields.items.every((field) => scalarString(deref(field)) === 'spec.targetNamespace')
    );
  });
}
