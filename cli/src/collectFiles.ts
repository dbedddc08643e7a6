/**
 * Finds the YAML files the CLI checks: files named on the command line as
 * they are, directories walked recursively for `*.yaml`/`*.yml`, skipping
 * `.git`, `node_modules` and other dot-directories. Each file keeps the path
 * the user would recognise (relative stays relative) for output.
 */

import { readdirSync, statSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';

export interface CollectedFile {
  /** Absolute path with `/` separators: the core's file key. */
  key: string;
  /** The path to print: built from what was given on the command line. */
  display: string;
}

export const SKIPPED_DIRECTORIES = new Set(['.git', 'node_modules', '.terraform', '.venv', 'vendor']);

export function collectFiles(paths: readonly string[], exclude: readonly RegExp[] = []): { files: CollectedFile[]; roots: string[]; missing: string[] } {
  const files: CollectedFile[] = [];
  const roots: string[] = [];
  const missing: string[] = [];
  const seen = new Set<string>();
  const add = (absolute: string, display: string) => {
    const key = toKey(absolute);
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
      walk(absolute, given, add);
    } else {
      roots.push(toKey(resolve(absolute, '..')));
      add(absolute, given);
    }
  }
  files.sort((a, b) => a.display.localeCompare(b.display));
  return { files, roots, missing };
}

function walk(directory: string, display: string, add: (absolute: string, display: string) => void): void {
  let entries;
  try {
    entries = readdirSync(directory, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const absolute = join(directory, entry.name);
    const shown = display === '.' ? entry.name : `${display.replace(/[\\/]+$/, '')}/${entry.name}`;
    if (entry.isDirectory()) {
      if (SKIPPED_DIRECTORIES.has(entry.name) || entry.name.startsWith('.')) continue;
      walk(absolute, shown, add);
    } else if (entry.isFile() && /\.ya?ml$/i.test(entry.name)) {
      add(absolute, shown);
    }
  }
}

export function toKey(absolute: string): string {
  return sep === '/' ? absolute : absolute.split(sep).join('/');
}
