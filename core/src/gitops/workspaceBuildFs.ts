/**
 * The workspace seen through the build engine's file interface.
 *
 * The engine works in repository-relative POSIX paths (`''` is the root); the
 * workspace names files as its host does (absolute, or relative to where the
 * CLI ran, `..` included). The view roots itself at the deepest folder that
 * holds every workspace file and maps paths both ways.
 *
 * Reads: a file the workspace holds is taken from the workspace (the text the
 * editor has, so offsets match the analyzer's); any other file (an env file of
 * a generator, a values file not scanned) is read through the host's confined
 * `readReferencedFile`, which refuses anything outside the workspace roots.
 * Folders are the workspace tree's (folders holding manifests).
 *
 * Invariant: never throws; a path the engine derives outside the root is
 * refused by the engine itself (`build/paths.ts`), so nothing outside the
 * workspace is read.
 */

import type { BuildFileSystem } from '../build/index';
import { normalizePath, parentDirectory, type WorkspaceModel } from '../workspace/model';
import { workspaceTree } from './tree';
import type { YamlFile } from '../parse/yamlFile';
import { containedError } from '../util/containedErrors';

interface WorkspaceWithText {
  getFile?(path: string): { text: string; yaml?: YamlFile } | undefined;
}

export interface WorkspaceBuildFs extends BuildFileSystem {
  /** The workspace folder the view is rooted at. */
  readonly root: string;
  /** Engine path → workspace path. */
  toWorkspace(path: string): string;
  /** Workspace path → engine path; undefined when the file is not below the root. */
  fromWorkspace(path: string): string | undefined;
}

const WORKSPACE_HELD = /(\.(ya?ml|json)|(^|\/)Kustomization)$/;

/** The build view of the current workspace. */
export function workspaceBuildFs(model: WorkspaceModel): WorkspaceBuildFs {
  const root = model.derive('gitops/build-root', (workspace) => commonFolder(workspace.files()));
  const tree = workspaceTree(model);
  const toWorkspace = (path: string) => (path === '' ? root : root === '' ? path : root === '/' ? `/${path}` : `${root}/${path}`);
  const fromWorkspace = (path: string) => {
    const normalized = normalizePath(path);
    if (root === '') return normalized.startsWith('../') || normalized === '..' || normalized.startsWith('/') ? undefined : normalized;
    if (normalized === root) return '';
    const prefix = root === '/' ? '/' : `${root}/`;
    return normalized.startsWith(prefix) ? normalized.slice(prefix.length) : undefined;
  };
  const childName = (path: string) => path.slice(path.lastIndexOf('/') + 1);
  return {
    root,
    toWorkspace,
    fromWorkspace,
    readFile(path) {
      try {
        const file = toWorkspace(path);
        const live = (model as WorkspaceWithText).getFile?.(file);
        if (live && typeof live.text === 'string') return live.text;
        // The workspace holds every YAML file and kustomization file it checks: one it does not hold is absent (or
        // excluded). Asking the host would make the build depend on every edit (host reads are valid for one
        // generation only), and kustomize probes several kustomization file names per folder.
        if (WORKSPACE_HELD.test(file)) return undefined;
        const read = model.readReferencedFile(file, childName(file));
        return 'text' in read ? read.text : undefined;
      } catch (error) {
        containedError('gitops/build-read', error);
        return undefined;
      }
    },
    readYaml(path) {
      const live = (model as WorkspaceWithText).getFile?.(toWorkspace(path));
      return live?.yaml;
    },
    listDir(path) {
      const entry = tree.directories.get(toWorkspace(path));
      if (!entry) return undefined;
      return { files: entry.files.map(childName).concat(entry.kustomization ? [childName(entry.kustomization)] : []), dirs: entry.directories.map(childName) };
    },
    isDir(path) {
      return tree.directories.has(toWorkspace(path));
    },
  };
}

/** The deepest folder holding every file (`''` when the files are relative with no common folder). */
function commonFolder(files: readonly string[]): string {
  if (files.length === 0) return '';
  let common = parentDirectory(normalizePath(files[0]));
  for (const raw of files) {
    const file = normalizePath(raw);
    while (common !== '' && common !== '/' && !(file.startsWith(`${common}/`))) {
      const up = parentDirectory(common);
      if (up === common) break;
      common = up;
    }
  }
  // A relative root made only of `..` segments cannot be a prefix the engine maps back; keep it anyway (paths below it are plain).
  return common === '.' ? '' : common;
}
