/**
 * Which documents are partial objects — kustomize patches — rather than
 * whole resources. One module answers it (to be replaced by the build model,
 * which will know every patch by construction):
 * - files a `kustomization.yaml` (or a Component) uses as patches
 *   (`patches[].path`, `patchesStrategicMerge`, `patchesJson6902[].path`);
 * - documents whose own content shows a patch: strategic-merge directives
 *   (`$patch`, `$setElementOrder/…`, `$retainKeys`, `$deleteFromPrimitiveList/…`).
 *
 * Rules whose meta says `needsWholeObject` are not reported on partial
 * documents (the analyzer applies it); the checks that make sense on a
 * fragment (types, unknown fields, patterns) still run.
 */

import { mapGet, deref, type YamlNode } from '../parse/ast';
import { isKustomizationPath } from '../parse/manifestText';
import type { ParsedDocument } from '../parse/yamlFile';
import { joinPath, parentDirectory, type WorkspaceModel } from './model';

export function kustomizePatchFiles(workspace: WorkspaceModel): ReadonlySet<string> {
  return workspace.derive('kustomize-patch-files', (model) => {
    const patches = new Set<string>();
    // kustomize finds its file by name; apiVersion/kind are optional in it.
    for (const file of model.files()) {
      if (!isKustomizationPath(file)) continue;
      const root = model.fileDocuments(file)[0]?.root;
      const base = parentDirectory(file);
      for (const entry of listOf(mapGet(root, 'patches'))) addPath(patches, base, deref(entry)?.type === 'map' ? mapGet(deref(entry), 'path') : undefined);
      for (const entry of listOf(mapGet(root, 'patchesJson6902'))) addPath(patches, base, mapGet(deref(entry), 'path'));
      for (const entry of listOf(mapGet(root, 'patchesStrategicMerge'))) addPath(patches, base, entry);
    }
    return patches;
  });
}

/** Is this document a patch (a partial object), by the file's use or by its own directives? */
export function isPartialDocument(workspace: WorkspaceModel, file: string, document: ParsedDocument): boolean {
  if (hasPatchDirective(document.text)) return true;
  return kustomizePatchFiles(workspace).has(file);
}

/** A strategic-merge directive key (`$patch`, `$retainKeys`, `$setElementOrder/x`, `$deleteFromPrimitiveList/x`). */
export function isPatchDirectiveKey(name: string): boolean {
  return /^\$(patch|retainKeys|setElementOrder\/.+|deleteFromPrimitiveList\/.+)$/.test(name);
}

/** Strategic-merge directives as keys: only patches carry them. */
function hasPatchDirective(text: string): boolean {
  return text.indexOf('$') !== -1 && /^[ \t-]*["']?\$(patch|retainKeys|setElementOrder\/[^:\s]+|deleteFromPrimitiveList\/[^:\s]+)["']?:/m.test(text);
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
