/**
 * Values a HelmRelease reads through `valuesFrom` from a ConfigMap that a
 * kustomize `configMapGenerator` makes out of a file (`values.yaml=./x.yaml`):
 * the generator is looked up in the kustomization files of the release's
 * build chain (its own folder first), the file parsed as the workspace has it.
 *
 * Invariant: answers only what the files say; a ConfigMap not generated from
 * a workspace file (a literal, a Secret, another repository) gives undefined.
 */

import { deref, mapGet, scalarString, type YamlNode } from '../parse/ast';
import { joinPath, normalizePath, parentDirectory, type IndexedDocument, type WorkspaceModel } from '../workspace/model';
import { gitopsModel } from './clusters';
import { workspaceTree } from './tree';

export interface GeneratedValues {
  root: YamlNode | undefined;
  /** The values file. */
  file: string;
  /** The kustomization file holding the generator. */
  generator: string;
}

/** The values a ConfigMap `name` generated for `release` carries under `key` (default `values.yaml`). */
export function generatedValues(model: WorkspaceModel, release: IndexedDocument, name: string, key = 'values.yaml'): GeneratedValues | undefined {
  const candidates: string[] = [];
  const own = workspaceTree(model).directories.get(parentDirectory(normalizePath(release.file)))?.kustomization;
  if (own) candidates.push(own);
  for (const placement of gitopsModel(model).placements.get(normalizePath(release.file)) ?? []) {
    for (const file of [...placement.via].reverse()) if (!candidates.includes(file)) candidates.push(file);
  }
  for (const kustomization of candidates) {
    const root = deref(model.fileDocuments(kustomization)[0]?.root);
    const generators = deref(mapGet(root, 'configMapGenerator'));
    if (generators?.type !== 'seq') continue;
    for (const item of generators.items) {
      const generator = deref(item);
      if (scalarString(mapGet(generator, 'name')) !== name) continue;
      const files = deref(mapGet(generator, 'files'));
      if (files?.type !== 'seq') continue;
      for (const entry of files.items) {
        const text = scalarString(deref(entry));
        if (!text) continue;
        const equals = text.indexOf('=');
        const entryKey = equals >= 0 ? text.slice(0, equals) : text.split('/').pop();
        if (entryKey !== key) continue;
        const file = joinPath(parentDirectory(kustomization), equals >= 0 ? text.slice(equals + 1) : text);
        return { root: model.fileDocuments(file)[0]?.root, file, generator: kustomization };
      }
    }
  }
  return undefined;
}
