/**
 * Finds the YAML files the CLI checks: files named on the command line as
 * they are, directories walked for `*.yaml`/`*.yml` by the host's walker
 * (symbolic links and special files inside them are skipped and listed in
 * `skipped`). Each file keeps the path the user would recognise (relative
 * stays relative) for output. Roots are the directories given (or the
 * parent of a file given): the confined reader refuses anything whose real
 * path lies outside them.
 */

import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { PathMatcher } from '../../host/src/pathMatchers';
import { SKIPPED_SPECIAL, toKey, walkYamlFilesSync, type SkippedEntry } from '../../host/src/yamlFiles';

export { SKIPPED_DIRECTORIES, toKey } from '../../host/src/yamlFiles';

export interface CollectedFile {
  /** Absolute path with `/` separators: the core's file key. */
  key: string;
  /** The path to print: built from what was given on the command line. */
  display: string;
}

export interface CollectedFiles {
  files: CollectedFile[];
  roots: string[];
  missing: string[];
  skipped: SkippedEntry[];
}

export function collectFiles(paths: readonly string[], exclude: readonly PathMatcher[] = []): CollectedFiles {
  const files: CollectedFile[] = [];
  const roots: string[] = [];
  const missing: string[] = [];
  const skipped: SkippedEntry[] = [];
  const seen = new Set<string>();
  const add = (key: string, display: string) => {
    if (seen.has(key) || exclude.some((pattern) => pattern.test(display))) return;
    seen.add(key);
    files.push({ key, display });
  };
  for (const given of paths) {
    const absolute = resolve(given);
    let stats;
    try {
      stats = statSync(absolute);
    } catch {
      missing.push(given);
      continue;
    }
    if (stats.isDirectory()) {
      roots.push(toKey(absolute));
      const walked = walkYamlFilesSync(absolute, given, exclude);
      for (const file of walked.files) add(file.key, file.display);
      skipped.push(...walked.skipped);
    } else if (stats.isFile()) {
      roots.push(toKey(resolve(absolute, '..')));
      add(toKey(absolute), given);
    } else {
      skipped.push({ display: given, reason: SKIPPED_SPECIAL });
    }
  }
  files.sort((a, b) => a.display.localeCompare(b.display));
  return { files, roots, missing, skipped };
}
