/**
 * Confined file reads for the hosts (language server and CLI): the one place
 * where meshlens opens a workspace file.
 *
 * A read succeeds only when all of these hold, checked in this order:
 * - the real path (every symlink resolved) lies inside the real path of one
 *   of the workspace roots;
 * - `stat` of the real path says it is a regular file (no device, FIFO,
 *   socket or directory), so nothing is opened that could block or stream
 *   forever;
 * - its size is at most the cap.
 * The file is then opened non-blocking without following a final symlink,
 * checked again on the open descriptor (a swap between the checks is
 * refused), and read up to its size + 1 bytes, so a file that grows
 * meanwhile is refused rather than read whole. Workspace scans may ask for
 * the first cap + 1 bytes of a larger file (`oversized: 'prefix'`) so the
 * core can report it as too large without the host reading all of it.
 *
 * Invariant: every refusal looks the same to the caller (`undefined` from the
 * plain readers, `REFUSED_READ` as the reason), whether the target is
 * missing, outside, special or too large, so a message never tells whether a
 * path outside the workspace exists.
 */

import { closeSync, constants, fstatSync, openSync, readSync, realpathSync, statSync } from 'node:fs';
import { open, realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';

/** The one reason given for any refused read. */
export const REFUSED_READ = 'not read: missing, outside the workspace, not a regular file, or over the size limit';

/** Caps a read when the caller gives none: far above any manifest, far below what would exhaust memory. */
export const DEFAULT_MAX_READ_BYTES = 8 * 1024 * 1024;

export interface FileAccessOptions {
  /** Workspace roots (absolute paths); reads outside all of them are refused. */
  roots: () => readonly string[];
  /** Largest file read, in bytes. */
  maxBytes?: () => number;
}

export type ConfinedRead = { ok: true; text: string; bytes: number } | { ok: false; reason: typeof REFUSED_READ };

export interface ReadOptions {
  /** Largest file read, in bytes (default: the instance's cap). */
  maxBytes?: number;
  /**
   * `refuse` (default): a larger file is refused. `prefix`: its first
   * maxBytes + 1 bytes are returned, so the core can say the file is too large
   * (its size check counts UTF-8 bytes, and the prefix is over the limit).
   */
  oversized?: 'refuse' | 'prefix';
}

/** No setting makes a single read larger than this. */
export const HARD_MAX_READ_BYTES = 64 * 1024 * 1024;

const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0);

export class ConfinedFiles {
  private readonly realRoots = new Map<string, string | undefined>();

  constructor(private readonly options: FileAccessOptions) {}

  /** Reads a text file (UTF-8; invalid bytes become U+FFFD) or refuses it. */
  readSync(path: string, options: ReadOptions = {}): ConfinedRead {
    const maxBytes = this.cap(options);
    let fd: number | undefined;
    try {
      const real = realpathSync(path);
      if (!this.insideRoots(real)) return refused();
      const size = allowedSize(statSync(real), maxBytes, options);
      if (size === undefined) return refused();
      fd = openSync(real, OPEN_FLAGS);
      const opened = allowedSize(fstatSync(fd), maxBytes, options);
      if (opened === undefined) return refused();
      const buffer = Buffer.allocUnsafe(opened + 1);
      let length = 0;
      while (length < buffer.length) {
        const count = readSync(fd, buffer, length, buffer.length - length, null);
        if (count === 0) break;
        length += count;
      }
      return finish(buffer, length, opened, maxBytes, options);
    } catch {
      return refused();
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }

  async read(path: string, options: ReadOptions = {}): Promise<ConfinedRead> {
    const maxBytes = this.cap(options);
    let handle;
    try {
      const real = await realpath(path);
      if (!this.insideRoots(real)) return refused();
      if (allowedSize(await stat(real), maxBytes, options) === undefined) return refused();
      handle = await open(real, OPEN_FLAGS);
      const opened = allowedSize(await handle.stat(), maxBytes, options);
      if (opened === undefined) return refused();
      const buffer = Buffer.allocUnsafe(opened + 1);
      let length = 0;
      while (length < buffer.length) {
        const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
        if (bytesRead === 0) break;
        length += bytesRead;
      }
      return finish(buffer, length, opened, maxBytes, options);
    } catch {
      return refused();
    } finally {
      await handle?.close().catch(() => undefined);
    }
  }

  /** The core's `WorkspaceHost.readFile`: text, or undefined for any refusal. */
  readTextSync(path: string): string | undefined {
    const result = this.readSync(path);
    return result.ok ? result.text : undefined;
  }

  /** Is this real path (symlinks resolved) inside a root's real path? */
  insideRoots(realPath: string): boolean {
    return this.options.roots().some((root) => {
      const realRoot = this.realRoot(root);
      return realRoot !== undefined && isWithin(realPath, realRoot);
    });
  }

  private realRoot(root: string): string | undefined {
    if (!this.realRoots.has(root)) {
      let real: string | undefined;
      try {
        real = realpathSync(resolve(root));
      } catch {
        real = undefined;
      }
      // Roots change only when folders are added or removed: a small map is enough.
      if (this.realRoots.size > 256) this.realRoots.clear();
      this.realRoots.set(root, real);
    }
    return this.realRoots.get(root);
  }

  private cap(options: ReadOptions): number {
    const value = options.maxBytes ?? this.options.maxBytes?.() ?? DEFAULT_MAX_READ_BYTES;
    return Number.isFinite(value) && value >= 0 ? Math.min(Math.floor(value), HARD_MAX_READ_BYTES) : DEFAULT_MAX_READ_BYTES;
  }
}

/** Is `path` the directory `root` or below it? Both absolute and real. */
export function isWithin(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/** How many bytes to read from a file with these stats (undefined: refuse): only regular files, at most the cap (+1 for a prefix). */
function allowedSize(stats: { isFile(): boolean; size: number }, maxBytes: number, options: ReadOptions): number | undefined {
  if (!stats.isFile()) return undefined;
  if (stats.size <= maxBytes) return stats.size;
  return options.oversized === 'prefix' ? maxBytes + 1 : undefined;
}

/** Decodes what was read; a file that grew past its stat size while being read is refused, except when a prefix was asked for. */
function finish(buffer: Buffer, length: number, expected: number, maxBytes: number, options: ReadOptions): ConfinedRead {
  const prefix = options.oversized === 'prefix' && expected > maxBytes;
  if (!prefix && length > expected) return refused();
  const used = Math.min(length, expected);
  return { ok: true, text: buffer.toString('utf8', 0, used), bytes: used };
}

function refused(): ConfinedRead {
  return { ok: false, reason: REFUSED_READ };
}
