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
 * Invariants: never throws; reads the workspace (and what the confined
 * reader allows) only; a folder whose build fails gives nothing.
 */

import { buildFluxDirectory } from '../build/index';
import { deref, mapGet, scalarString } from '../parse/ast';
import { parentDirectory, type IndexedDocument, type WorkspaceModel } from '../workspace/model';
import { containedError } from '../util/containedErrors';
import { workspaceBuildFs } from './workspaceBuildFs';

const KUSTOMIZATION_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** Does the kustomization of `file`'s folder list it and declare `replacements`? */
export function listedWithReplacements(model: WorkspaceModel, file: string): boolean {
  const folder = parentDirectory(file);
  for (const name of KUSTOMIZATION_NAMES) {
    const root = deref(model.fileDocuments(`${folder}/${name}`)[0]?.root);
    if (!root) continue;
    if (!mapGet(root, 'replacements')) return false;
    const listed = deref(mapGet(root, 'resources'));
    const base = file.slice(folder.length + 1);
    return listed?.type === 'seq' && listed.items.some((item) => scalarString(deref(item))?.replace(/^\.\//, '') === base);
  }
  return false;
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
