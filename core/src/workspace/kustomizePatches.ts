/**
 * Files that a `kustomization.yaml` uses as patches (`patches[].path`,
 * `patchesStrategicMerge`, `patchesJson6902[].path`). They hold partial
 * resources by design, so required-field checks do not apply to them.
 */

import { mapGet, deref, type YamlNode } from '../parse/ast';
import { joinPath, parentDirectory, type WorkspaceModel } from './model';

export function kustomizePatchFiles(workspace: WorkspaceModel): ReadonlySet<string> {
  return workspace.derive('kustomize-patch-files', (model) => {
    const patches = new Set<string>();
    // kustomize finds its file by name; apiVersion/kind are optional in it.
    for (const file of model.files()) {
      if (!/(^|\/)(kustomization\.ya?ml|Kustomization)$/.test(file)) continue;
      const root = model.fileDocuments(file)[0]?.root;
      const base = parentDirectory(file);
      for (const entry of listOf(mapGet(root, 'patches'))) addPath(patches, base, deref(entry)?.type === 'map' ? mapGet(deref(entry), 'path') : undefined);
      for (const entry of listOf(mapGet(root, 'patchesJson6902'))) addPath(patches, base, mapGet(deref(entry), 'path'));
      for (const entry of listOf(mapGet(root, 'patchesStrategicMerge'))) addPath(patches, base, entry);
    }
    return patches;
  });
}

function listOf(node: YamlNode | undefined): YamlNode[] {
  const target = deref(node);
  return target?.type === 'seq' ? target.items : [];
}

function addPath(into: Set<string>, base: string, node: YamlNode | undefined): void {
  const target = deref(node);
  if (target?.type !== 'scalar' || typeof target.value !== 'string' || target.value.includes('\n')) return;
  into.add(joinPath(base, target.value));
}
