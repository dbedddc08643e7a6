/**
 * Which files of a workspace folder meshlens checks: `*.yaml`/`*.yml` found
 * by walking directories, shared by the language server's scan and the CLI.
 *
 * Invariants:
 * - Symbolic links met while walking (to files or directories) are never
 *   followed; each is listed in `skipped` with `SKIPPED_SYMLINK`. Following
 *   them would need a realpath check per entry, could loop, and could list
 *   the same file twice; a linked file inside the workspace is still read when
 *   a manifest references it (through the confined reader).
 * - Entries that are neither files nor directories (FIFOs, sockets, devices)
 *   are listed in `skipped` and never opened.
 * - Dot-directories and dependency folders (`SKIPPED_DIRECTORIES`) are not
 *   entered; unreadable directories are listed in `skipped`.
 * - Excluded paths (by `PathMatcher`, tested against the shown path: the
 *   CLI's relative path, the server's absolute one) are neither listed nor
 *   entered.
 */

import { readdirSync, type Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, sep } from 'node:path';
import type { PathMatcher } from './pathMatchers';
import { isSkippedDirectory, isYamlName } from './yamlFileRules';

export { isYamlName, SKIPPED_DIRECTORIES } from './yamlFileRules';
export const SKIPPED_SYMLINK = 'symbolic link, not followed';
export const SKIPPED_SPECIAL = 'not a regular file';
export const SKIPPED_UNREADABLE_DIRECTORY = 'directory cannot be read';

export interface FoundFile {
  /** Absolute path with `/` separators. */
  key: string;
  /** The path to show: `display` of the walk's start joined with the entry names. */
  display: string;
}

export interface SkippedEntry {
  display: string;
  reason: string;
}

export interface WalkResult {
  files: FoundFile[];
  skipped: SkippedEntry[];
}

/** Walks `directory` (absolute) synchronously; `display` is how the user named it. */
export function walkYamlFilesSync(directory: string, display: string, exclude: readonly PathMatcher[], into: WalkResult = { files: [], skipped: [] }): WalkResult {
  let entries: Dirent[];
  try {
    entries = readdirSync(directory, { withFileTypes: true });
  } catch {
    into.skipped.push({ display, reason: SKIPPED_UNREADABLE_DIRECTORY });
    return into;
  }
  for (const entry of sorted(entries)) {
    const next = visit(directory, display, entry, exclude, into);
    if (next) walkYamlFilesSync(next.absolute, next.display, exclude, into);
  }
  return into;
}

/** Walks `directory` (absolute), one `readdir` at a time so the event loop is served between directories. */
export async function walkYamlFiles(directory: string, display: string, exclude: readonly PathMatcher[], into: WalkResult = { files: [], skipped: [] }): Promise<WalkResult> {
  let entries: Dirent[];
  try {
    entries = await readdir(directory, { withFileTypes: true });
  } catch {
    into.skipped.push({ display, reason: SKIPPED_UNREADABLE_DIRECTORY });
    return into;
  }
  for (const entry of sorted(entries)) {
    const next = visit(directory, display, entry, exclude, into);
    if (next) await walkYamlFiles(next.absolute, next.display, exclude, into);
  }
  return into;
}

export function toKey(absolute: string): string {
  return sep === '/' ? absolute : absolute.split(sep).join('/');
}

/** Files this entry adds to `into`; returns the directory to enter, if any. */
function visit(directory: string, display: string, entry: Dirent, exclude: readonly PathMatcher[], into: WalkResult): { absolute: string; display: string } | undefined {
  const absolute = join(directory, entry.name);
  const shown = display === '.' ? entry.name : `${display.replace(/[\\/]+$/, '')}/${entry.name}`;
  const key = toKey(absolute);
  if (exclude.some((pattern) => pattern.test(shown))) return undefined;
  if (entry.isDirectory()) {
    if (isSkippedDirectory(entry.name)) return undefined;
    return { absolute, display: shown };
  }
  if (entry.isSymbolicLink()) {
    // Reported when it may stand for a YAML file or a directory (names without an extension).
    if (isYamlName(entry.name) || !entry.name.includes('.')) into.skipped.push({ display: shown, reason: SKIPPED_SYMLINK });
    return undefined;
  }
  if (!isYamlName(entry.name)) return undefined;
  if (entry.isFile()) into.files.push({ key, display: shown });
  else into.skipped.push({ display: shown, reason: SKIPPED_SPECIAL });
  return undefined;
}

function sorted(entries: Dirent[]): Dirent[] {
  return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
