/** File views for the build engine in tests: a directory on disk, or files held in memory. */

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { BuildFileSystem } from '../../core/src/build/index';

/** A read-only view of `root` on disk; paths are relative to it. */
export function diskBuildFs(root: string): BuildFileSystem {
  const full = (path: string) => (path === '' ? root : join(root, path));
  return {
    readFile(path) {
      try {
        const stat = statSync(full(path));
        return stat.isFile() ? readFileSync(full(path), 'utf8') : undefined;
      } catch {
        return undefined;
      }
    },
    listDir(path) {
      try {
        const entries = readdirSync(full(path), { withFileTypes: true });
        return {
          files: entries.filter((entry) => entry.isFile()).map((entry) => entry.name),
          dirs: entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name),
        };
      } catch {
        return undefined;
      }
    },
    isDir(path) {
      try {
        return statSync(full(path)).isDirectory();
      } catch {
        return false;
      }
    },
  };
}

/** Files in memory, keyed by repository-relative path; directories are implied by the paths. */
export function memoryBuildFs(files: Record<string, string>): BuildFileSystem {
  const dirs = new Map<string, { files: Set<string>; dirs: Set<string> }>();
  const dirOf = (path: string) => {
    let entry = dirs.get(path);
    if (!entry) {
      entry = { files: new Set(), dirs: new Set() };
      dirs.set(path, entry);
    }
    return entry;
  };
  dirOf('');
  for (const path of Object.keys(files)) {
    const parts = path.split('/');
    for (let index = 0; index < parts.length; index++) {
      const parent = parts.slice(0, index).join('/');
      if (index === parts.length - 1) dirOf(parent).files.add(parts[index]);
      else dirOf(parent).dirs.add(parts[index]);
    }
  }
  return {
    readFile: (path) => files[path],
    listDir: (path) => {
      const entry = dirs.get(path);
      return entry ? { files: [...entry.files].sort(), dirs: [...entry.dirs].sort() } : undefined;
    },
    isDir: (path) => dirs.has(path),
  };
}
