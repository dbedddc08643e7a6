/**
 * The workspace as a directory tree, for resolving Flux `spec.path`s and
 * kustomize `resources:` entries without scanning the file list: each folder's
 * manifests, sub-folders and kustomization file, built once per change of the
 * file list (adding or removing a file; edits do not touch it).
 *
 * Invariant: plain data (Maps of arrays of strings) so the workspace's early
 * cutoff compares it; every path is normalized (`/`-separated, no `.`/`..`).
 */

import { normalizePath, parentDirectory, type WorkspaceModel } from '../workspace/model';

export interface DirectoryEntry {
  /** Manifest files directly in the folder (`.yaml`/`.yml`/`.json`), sorted. */
  readonly files: readonly string[];
  /** Sub-folders holding manifests somewhere below, sorted. */
  readonly directories: readonly string[];
  /** The folder's `kustomization.yaml` / `kustomization.yml` / `Kustomization`, when present. */
  readonly kustomization?: string;
}

export interface WorkspaceTree {
  readonly directories: ReadonlyMap<string, DirectoryEntry>;
}

const KUSTOMIZATION_FILE = /(^|\/)(kustomization\.ya?ml|Kustomization)$/;
const MANIFEST_FILE = /\.(ya?ml|json)$/;

export function isKustomizationFile(file: string): boolean {
  return KUSTOMIZATION_FILE.test(file);
}

export function workspaceTree(model: WorkspaceModel): WorkspaceTree {
  return model.derive('gitops/tree', (workspace) => buildTree(workspace.files()));
}

export function buildTree(files: readonly string[]): WorkspaceTree {
  const building = new Map<string, { files: string[]; directories: Set<string>; kustomization?: string }>();
  const entry = (directory: string) => {
    let found = building.get(directory);
    if (!found) {
      found = { files: [], directories: new Set() };
      building.set(directory, found);
    }
    return found;
  };
  for (const raw of files) {
    const file = normalizePath(raw);
    if (!MANIFEST_FILE.test(file) && !KUSTOMIZATION_FILE.test(file)) continue;
    let directory = parentDirectory(file);
    const own = entry(directory);
    if (KUSTOMIZATION_FILE.test(file)) {
      // kustomize's order of preference when several exist.
      if (!own.kustomization || preference(file) < preference(own.kustomization)) own.kustomization = file;
    } else own.files.push(file);
    // Register the folder with its ancestors (stops at the first already known link).
    while (directory !== '' && directory !== '/' && directory !== '.') {
      const parent = parentDirectory(directory);
      const parentEntry = entry(parent);
      if (parentEntry.directories.has(directory)) break;
      parentEntry.directories.add(directory);
      if (parent === directory) break;
      directory = parent;
    }
  }
  const directories = new Map<string, DirectoryEntry>();
  for (const [directory, value] of building) {
    directories.set(directory, {
      files: value.files.sort(),
      directories: [...value.directories].sort(),
      ...(value.kustomization ? { kustomization: value.kustomization } : {}),
    });
  }
  return { directories };
}

function preference(file: string): number {
  if (file.endsWith('kustomization.yaml')) return 0;
  if (file.endsWith('kustomization.yml')) return 1;
  return 2;
}
