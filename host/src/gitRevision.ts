/**
 * A git revision as files, for comparing the working tree with it (`meshlens
 * diff --base`, the editor's "Compare Effective Policy with Branch…"): the
 * repository's top folder, and the regular files of a revision below some
 * paths written into a fresh temporary folder with the same layout.
 *
 * Invariants: git runs without a shell and with arguments only (a ref is never
 * interpreted by a shell); only regular files are written (symlinks and
 * submodules are left out), none larger than `MAX_BASE_FILE_BYTES`, never
 * outside the temporary folder; a failure throws `GitError` with git's first
 * line of stderr and leaves nothing behind.
 */

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, sep } from 'node:path';

/** Base files larger than this are left out, like the workspace scan does. */
export const MAX_BASE_FILE_BYTES = 4 * 1024 * 1024;

export class GitError extends Error {}

export function git(cwd: string, args: string[], input?: string): Buffer {
  try {
    return execFileSync('git', args, { cwd, input, maxBuffer: 512 * 1024 * 1024, stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    throw new GitError(`git ${args[0]} failed${stderr ? `: ${stderr.split('\n')[0]}` : ''}`);
  }
}

/** The top folder of the git repository holding `path`. */
export function gitTopLevel(path: string): string {
  const start = statSync(path).isDirectory() ? path : dirname(path);
  return realpathSync(git(start, ['rev-parse', '--show-toplevel']).toString().trim());
}

/** Writes the regular files of `ref` below `paths` into a temporary directory. */
export function materializeRevision(top: string, ref: string, paths: string[]): { root: string; cleanup: () => void } {
  git(top, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  const listing = git(top, ['ls-tree', '-r', '-z', '-l', '--full-tree', ref, '--', ...paths.map((path) => path || '.')]).toString();
  const wanted: { object: string; path: string }[] = [];
  for (const entry of listing.split('\0')) {
    if (!entry) continue;
    const tab = entry.indexOf('\t');
    const [mode, type, object, size] = entry.slice(0, tab).split(/\s+/);
    const path = entry.slice(tab + 1);
    // Regular files only: symlinks (120000) and submodules are not followed.
    if (type !== 'blob' || (mode !== '100644' && mode !== '100755')) continue;
    if (Number(size) > MAX_BASE_FILE_BYTES) continue;
    if (path.split('/').some((part) => part === '..' || part === '')) continue;
    wanted.push({ object, path });
  }
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'meshlens-base-')));
  const cleanup = () => rmSync(root, { recursive: true, force: true });
  try {
    const contents = readBlobs(top, wanted.map((item) => item.object));
    wanted.forEach((item, index) => {
      const target = join(root, ...item.path.split('/'));
      if (!target.startsWith(root + sep)) return;
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, contents[index]);
    });
  } catch (error) {
    cleanup();
    throw error;
  }
  return { root, cleanup };
}

/** `git cat-file --batch`: every object in one process. */
function readBlobs(top: string, objects: string[]): Buffer[] {
  if (!objects.length) return [];
  const output = git(top, ['cat-file', '--batch'], `${objects.join('\n')}\n`);
  const result: Buffer[] = [];
  let offset = 0;
  for (let index = 0; index < objects.length; index++) {
    const newline = output.indexOf(10, offset);
    const header = output.subarray(offset, newline).toString();
    const size = Number(header.split(' ')[2]);
    if (!Number.isFinite(size)) throw new GitError(`git cat-file: unexpected answer "${header}"`);
    result.push(output.subarray(newline + 1, newline + 1 + size));
    offset = newline + 1 + size + 1;
  }
  return result;
}
