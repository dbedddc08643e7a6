/**
 * Which workspace files meshlens checks, as rules over paths (no file system):
 * `*.yaml`/`*.yml` names, outside dot-directories and dependency folders
 * (`SKIPPED_DIRECTORIES`), not excluded by a `meshlens.files.exclude` pattern.
 * The Node walk (`yamlFiles.ts`) applies them while it walks; the browser
 * server applies them to the file list the client found
 * (`server/src/browserPlatform.ts`), so both check the same files.
 */

import type { PathMatcher } from './pathMatchers';

export const SKIPPED_DIRECTORIES = new Set(['.git', 'node_modules', '.terraform', '.venv', 'vendor']);

export function isYamlName(name: string): boolean {
  return /\.ya?ml$/i.test(name);
}

/** Is a directory with this name left out of the walk? */
export function isSkippedDirectory(name: string): boolean {
  return SKIPPED_DIRECTORIES.has(name) || name.startsWith('.');
}

/**
 * Is the file `key` (a `/`-separated path under `root`) one the walk from `root` lists? The patterns are
 * tested against the file and each folder on the way, as the walk tests each entry it meets.
 */
export function keptByWalk(root: string, key: string, exclude: readonly PathMatcher[]): boolean {
  const prefix = root.endsWith('/') ? root : `${root}/`;
  if (!key.startsWith(prefix)) return false;
  const segments = key.slice(prefix.length).split('/');
  if (!isYamlName(segments[segments.length - 1])) return false;
  let shown = prefix.slice(0, -1);
  for (let index = 0; index < segments.length; index++) {
    shown = `${shown}/${segments[index]}`;
    if (exclude.some((pattern) => pattern.test(shown))) return false;
    if (index < segments.length - 1 && isSkippedDirectory(segments[index])) return false;
  }
  return true;
}
