/**
 * Reads the few files meshlens needs out of a Helm chart archive (`.tgz`):
 * `Chart.yaml`, `values.yaml` and `values.schema.json` of the chart's own
 * folder (the archive's first top-level folder; subcharts under `charts/` are
 * not taken). The archive comes from the network, so it is treated as hostile:
 * - it is gunzipped with a cap on the unpacked size;
 * - any entry whose path is absolute or climbs out with `..`, any link
 *   (symbolic or hard) and any device or FIFO entry refuses the whole archive;
 * - a wanted file larger than `maxEntryBytes` refuses the archive.
 * Nothing is written anywhere: the result is the wanted files' texts.
 *
 * Supports ustar headers (with `prefix`), pax `path` records and GNU long
 * names, which is what `helm package` and common tar writers produce.
 */

import { gunzip } from 'node:zlib';

export const WANTED_CHART_FILES = ['Chart.yaml', 'values.yaml', 'values.schema.json'] as const;
export type WantedChartFile = (typeof WANTED_CHART_FILES)[number];

export interface ArchiveLimits {
  /** Cap on the archive's unpacked (tar) size. */
  maxUnpackedBytes: number;
  /** Cap on each wanted file. */
  maxEntryBytes: number;
}

export type ArchiveResult = { ok: true; chartFolder: string; files: Partial<Record<WantedChartFile, string>> } | { ok: false; reason: string };

const BLOCK = 512;

/** Gunzips (bounded) and reads a chart archive. Never throws. */
export async function readChartArchive(archive: Uint8Array, limits: ArchiveLimits): Promise<ArchiveResult> {
  let tar: Buffer;
  try {
    tar = await new Promise<Buffer>((resolve, reject) =>
      gunzip(archive, { maxOutputLength: limits.maxUnpackedBytes }, (error, result) => (error ? reject(error) : resolve(result))),
    );
  } catch (error) {
    if (error instanceof RangeError || (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      return { ok: false, reason: `the archive unpacks to more than ${mib(limits.maxUnpackedBytes)}` };
    }
    return { ok: false, reason: 'the archive is not gzip data' };
  }
  return readChartTar(tar, limits);
}

/** Reads an uncompressed tar stream (see `readChartArchive`). Never throws. */
export function readChartTar(tar: Uint8Array, limits: Pick<ArchiveLimits, 'maxEntryBytes'>): ArchiveResult {
  const files: Partial<Record<WantedChartFile, string>> = {};
  let chartFolder: string | undefined;
  let offset = 0;
  let longName: string | undefined;
  let paxPath: string | undefined;
  while (offset + BLOCK <= tar.length) {
    const header = tar.subarray(offset, offset + BLOCK);
    if (header.every((byte) => byte === 0)) break; // end of archive
    if (!checksumMatches(header)) return { ok: false, reason: 'the archive is not a valid tar file (bad header checksum)' };
    const size = readSize(header);
    if (size === undefined || size < 0) return { ok: false, reason: 'the archive is not a valid tar file (bad entry size)' };
    const type = String.fromCharCode(header[156] || 0x30);
    const dataStart = offset + BLOCK;
    const dataEnd = dataStart + size;
    if (dataEnd > tar.length) return { ok: false, reason: 'the archive is truncated' };
    const data = tar.subarray(dataStart, dataEnd);
    offset = dataStart + Math.ceil(size / BLOCK) * BLOCK;

    if (type === 'L') {
      longName = cString(data);
      continue;
    }
    if (type === 'x') {
      paxPath = paxRecords(data).get('path') ?? paxPath;
      continue;
    }
    if (type === 'g' || type === 'K') continue; // global pax header, GNU long link name (links are refused below)
    const name = paxPath ?? longName ?? ustarName(header);
    paxPath = undefined;
    longName = undefined;

    const path = entryPath(name);
    if (!path.ok) return { ok: false, reason: `the archive entry "${printable(name)}" ${path.reason}; refused` };
    if (type === '1' || type === '2') return { ok: false, reason: `the archive entry "${printable(name)}" is a link; refused` };
    if (type === '3' || type === '4' || type === '6') return { ok: false, reason: `the archive entry "${printable(name)}" is a device or FIFO; refused` };
    if (path.segments.length === 0) continue;
    chartFolder ??= path.segments[0];
    if (type === '5' || (type !== '0' && type !== '7')) continue; // folders and unknown kinds carry nothing we read
    if (path.segments.length !== 2 || path.segments[0] !== chartFolder) continue;
    const wanted = WANTED_CHART_FILES.find((file) => file === path.segments[1]);
    if (!wanted) continue;
    if (size > limits.maxEntryBytes) return { ok: false, reason: `${wanted} in the archive is larger than ${mib(limits.maxEntryBytes)}; refused` };
    files[wanted] = Buffer.from(data).toString('utf8');
  }
  if (chartFolder === undefined) return { ok: false, reason: 'the archive holds no chart' };
  return { ok: true, chartFolder, files };
}

function entryPath(name: string): { ok: true; segments: string[] } | { ok: false; reason: string } {
  if (name.includes('\0')) return { ok: false, reason: 'has a NUL in its name' };
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name) || name.includes('\\')) return { ok: false, reason: 'has an absolute or non-portable path' };
  const segments = name.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments.includes('..')) return { ok: false, reason: 'points outside the chart folder' };
  return { ok: true, segments };
}

function ustarName(header: Uint8Array): string {
  const name = cString(header.subarray(0, 100));
  const magic = cString(header.subarray(257, 263));
  const prefix = magic.startsWith('ustar') ? cString(header.subarray(345, 500)) : '';
  return prefix ? `${prefix}/${name}` : name;
}

function readSize(header: Uint8Array): number | undefined {
  const field = header.subarray(124, 136);
  if (field[0] & 0x80) {
    // Base-256 (GNU) for sizes beyond the octal field: far beyond any chart; read the low bytes.
    let value = 0;
    for (let index = 1; index < field.length; index++) value = value * 256 + field[index];
    return Number.isSafeInteger(value) ? value : undefined;
  }
  const text = cString(field).trim();
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) return undefined;
  return parseInt(text, 8);
}

function checksumMatches(header: Uint8Array): boolean {
  const text = cString(header.subarray(148, 156)).trim();
  if (!/^[0-7]+$/.test(text)) return false;
  let sum = 0;
  for (let index = 0; index < BLOCK; index++) sum += index >= 148 && index < 156 ? 0x20 : header[index];
  return sum === parseInt(text, 8);
}

/** pax extended header records: `<length> <key>=<value>\n`, the length counted in bytes. */
function paxRecords(data: Uint8Array): Map<string, string> {
  const records = new Map<string, string>();
  const bytes = Buffer.from(data);
  let position = 0;
  while (position < bytes.length) {
    const space = bytes.indexOf(0x20, position);
    if (space < 0) break;
    const length = Number(bytes.subarray(position, space).toString('latin1'));
    if (!Number.isInteger(length) || length <= 0 || position + length > bytes.length) break;
    const record = bytes.subarray(space + 1, position + length).toString('utf8').replace(/\n$/, '');
    const equals = record.indexOf('=');
    if (equals > 0) records.set(record.slice(0, equals), record.slice(equals + 1));
    position += length;
  }
  return records;
}

function cString(bytes: Uint8Array): string {
  const end = bytes.indexOf(0);
  return Buffer.from(end < 0 ? bytes : bytes.subarray(0, end)).toString('utf8');
}

function printable(name: string): string {
  const cleaned = name.replace(/[\u0000-\u001f\u007f]/g, '?');
  return cleaned.length > 120 ? `${cleaned.slice(0, 117)}...` : cleaned;
}

/** A byte count for messages: MiB, KiB or bytes. */
export function mib(bytes: number): string {
  const format = (value: number) => (Number.isInteger(value) ? String(value) : value.toFixed(1));
  if (bytes >= 1024 * 1024) return `${format(bytes / (1024 * 1024))} MiB`;
  if (bytes >= 1024) return `${format(bytes / 1024)} KiB`;
  return `${bytes} bytes`;
}
