/**
 * `meshlens check --fix [--dry-run]`: runs the core fix engine over the loaded
 * files and writes what it kept, or prints it as a unified diff.
 *
 * Invariants:
 * - a file is written only when its bytes on disk are still exactly the bytes
 *   that were read (compared again just before the rename), and only when its
 *   text round-trips to those bytes (invalid UTF-8 is never rewritten);
 * - writes are atomic: a temporary file in the same directory, with the
 *   original's mode (and owner, where permitted), renamed over the original;
 *   a symlink is followed, so the link stays a link and its target gets the
 *   fix; a failure removes the temporary file and leaves the original
 *   untouched;
 * - one file that cannot be written is reported on stderr (no stack trace),
 *   its in-memory text is restored so the report shows what is on disk, and
 *   the other files are still written;
 * - `--dry-run` writes nothing and restores every in-memory text.
 * Every line printed from a user's file goes through `escapeControl`.
 */

import { chmodSync, chownSync, closeSync, fsyncSync, openSync, readFileSync, realpathSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { planFixes, unifiedDiff, type AnalysisOptions, type FixPlan, type MeshlensService } from '../../core/src/index';
import { escapeControl } from './formats/escape';

export interface FixIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export interface FixOutcome {
  plan: FixPlan;
  written: string[];
  failed: { file: string; reason: string }[];
}

/**
 * Plans the fixes; `overlay` is what the service's host reads for referenced
 * files, so values files read through a manifest see the fixed text too.
 */
export function runFixes(
  service: MeshlensService,
  keys: readonly string[],
  options: AnalysisOptions,
  overlay: Map<string, string>,
  display: (key: string) => string,
  io: FixIo,
  dryRun: boolean,
  readOriginal: (key: string) => Buffer | undefined = (key) => tryRead(key),
): FixOutcome {
  const plan = planFixes(
    {
      diagnostics: (file) => service.diagnostics(file, options),
      text: (file) => overlay.get(file) ?? service.workspace.getFile(file)?.text,
      update: (file, text) => {
        overlay.set(file, text);
        if (service.workspace.getFile(file)) service.setFile(file, text);
      },
    },
    keys,
  );
  const restore = (file: string) => {
    const text = plan.original.get(file)!;
    overlay.delete(file);
    if (service.workspace.getFile(file)) service.setFile(file, text);
  };
  const where = (record: FixPlan['applied'][number]) =>
    `${display(record.diagnostic.file)}:${record.diagnostic.range.start.line + 1}:${record.diagnostic.range.start.character + 1}: ${record.diagnostic.rule}`;
  const written: string[] = [];
  const failed: { file: string; reason: string }[] = [];

  if (dryRun) {
    for (const [file, fixed] of plan.fixed) {
      io.stdout(escapeControl(unifiedDiff(plan.original.get(file)!, fixed, `a/${display(file)}`, `b/${display(file)}`), true));
      restore(file);
    }
  } else {
    for (const [file, fixed] of plan.fixed) {
      const failure = writeIfUnchanged(file, plan.original.get(file)!, fixed, readOriginal);
      if (failure) {
        failed.push({ file, reason: failure });
        restore(file);
        io.stderr(`meshlens: not fixed ${escapeControl(display(file))}: ${failure}\n`);
      } else written.push(file);
    }
  }
  const failedFiles = new Set(failed.map((entry) => entry.file));
  const verb = dryRun ? 'would fix' : 'fixed';
  for (const record of plan.applied) {
    if (record.files.some((file) => failedFiles.has(file))) continue;
    io.stderr(`${verb} ${escapeControl(where(record))}: ${escapeControl(record.fix.title)}\n`);
  }
  for (const record of plan.refused) {
    io.stderr(`not fixed ${escapeControl(where(record))}: ${escapeControl(record.fix.title)} — ${escapeControl(record.reason)}\n`);
  }
  if (!plan.converged) {
    io.stderr(`meshlens: fixes did not settle after ${plan.rounds} rounds; run --fix again and check the result\n`);
  }
  return { plan, written, failed };
}

function tryRead(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}

/** Writes `fixed` over `file` atomically if the file still holds `original`; returns why not otherwise. */
export function writeIfUnchanged(file: string, original: string, fixed: string, readOriginal: (key: string) => Buffer | undefined): string | undefined {
  const expected = Buffer.from(original, 'utf8');
  const onDisk = readOriginal(file);
  if (!onDisk) return 'the file can no longer be read';
  if (!onDisk.equals(expected)) {
    return onDisk.toString('utf8') === original ? 'the file is not valid UTF-8; meshlens does not rewrite it' : 'the file changed on disk since it was read; run again';
  }
  let mode: number;
  let owner: { uid: number; gid: number };
  let target: string;
  try {
    target = realpathSync(file);
    const stat = statSync(target);
    mode = stat.mode & 0o7777;
    owner = { uid: stat.uid, gid: stat.gid };
  } catch (error) {
    return describe(error);
  }
  const temporary = join(dirname(target), `.${basename(target)}.meshlens-${process.pid}-${Math.random().toString(36).slice(2, 10)}.tmp`);
  let descriptor: number | undefined;
  try {
    descriptor = openSync(temporary, 'wx', mode);
    const bytes = Buffer.from(fixed, 'utf8');
    let offset = 0;
    while (offset < bytes.length) offset += writeSync(descriptor, bytes, offset, bytes.length - offset);
    fsyncSync(descriptor);
    closeSync(descriptor);
    descriptor = undefined;
    chmodSync(temporary, mode);
    try {
      chownSync(temporary, owner.uid, owner.gid);
    } catch {
      // Only root may give a file away; otherwise it stays the writer's, as any editor's save would.
    }
    // Last look before the rename: an edit made since the read wins over the fix.
    const now = readOriginal(file);
    if (!now || !now.equals(expected)) {
      unlinkSync(temporary);
      return 'the file changed on disk since it was read; run again';
    }
    renameSync(temporary, target);
    return undefined;
  } catch (error) {
    if (descriptor !== undefined) {
      try {
        closeSync(descriptor);
      } catch {
        // already closed
      }
    }
    try {
      unlinkSync(temporary);
    } catch {
      // never created
    }
    return describe(error);
  }
}

function describe(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'read-only file system';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'ENOENT':
      return 'the file or its directory no longer exists';
    default:
      return code ? `write failed (${code})` : 'write failed';
  }
}
