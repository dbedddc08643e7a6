/**
 * Reading YAML files that are not Kubernetes resources (values files, a
 * kustomization.yaml without apiVersion) and knowing the workspace roots,
 * through the workspace model.
 *
 * The analysis must see the same text as the editor, so a file the workspace
 * holds (open or loaded) is taken from the workspace; only files it does not
 * hold are read through `readReferencedFile` (confined to the workspace).
 * `WorkspaceModel` does not expose file texts or roots; the `Workspace` class
 * does, so both are looked up structurally and everything degrades to the
 * host read when absent.
 *
 * Invariant: never throws; an unreadable file is `undefined`.
 */

import { parseYamlFile, type YamlFile } from '../parse/yamlFile';
import { joinPath, parentDirectory, type WorkspaceModel } from '../workspace/model';
import { containedError } from '../util/containedErrors';

interface WorkspaceWithFiles {
  getFile?(path: string): { yaml: YamlFile; text: string } | undefined;
  roots?: string[];
}

export interface LoadedYamlFile {
  path: string;
  yaml: YamlFile;
  /** True when the text is the workspace's own copy (offsets match the analyzer's). */
  live: boolean;
}

/** A YAML file by path relative to `fromFile`'s folder: the workspace's copy first, else the host's. */
export function loadYamlFile(model: WorkspaceModel, fromFile: string, relativePath: string): LoadedYamlFile | undefined {
  const path = joinPath(parentDirectory(fromFile), relativePath);
  const live = (model as WorkspaceWithFiles).getFile?.(path);
  if (live && live.yaml) return { path, yaml: live.yaml, live: true };
  const read = readText(model, fromFile, relativePath);
  if (!read) return undefined;
  return { path: read.path, yaml: parseYamlFile(read.text), live: false };
}

/** Text of any file (YAML or not) relative to `fromFile`, confined to the workspace. */
export function readText(model: WorkspaceModel, fromFile: string, relativePath: string): { text: string; path: string } | undefined {
  try {
    const path = joinPath(parentDirectory(fromFile), relativePath);
    const live = (model as WorkspaceWithFiles).getFile?.(path);
    if (live && typeof live.text === 'string') return { text: live.text, path };
    const read = model.readReferencedFile(fromFile, relativePath);
    return 'text' in read ? read : undefined;
  } catch (error) {
    containedError('helm/read-referenced-file', error);
    return undefined;
  }
}

/** Workspace roots when the model knows them. */
export function workspaceRoots(model: WorkspaceModel): string[] {
  const roots = (model as WorkspaceWithFiles).roots;
  return Array.isArray(roots) ? roots.filter((root) => typeof root === 'string') : [];
}
