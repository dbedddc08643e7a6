/**
 * `meshlens replay FLOWS [paths] [--cluster NAME] [--format
 * text|json|sarif|markdown] [--fail-on LIST]`: replays a recorded Hubble flow export (`hubble observe
 * -o json`, `-o jsonpb`, the Hubble exporter's files; gzip detected by its
 * magic bytes; `-` reads standard input) against the policies in the paths.
 *
 * This adapter only streams: it reads the export chunk by chunk, splits
 * lines (a line longer than the cap is counted as malformed and skipped
 * without being held in memory), and feeds each line to the pure core
 * (`createFlowReplay`), which groups, judges and counts. A corrupt or
 * truncated gzip stream ends the replay with what was read and counts as
 * malformed. A progress line is shown on a terminal's stderr.
 *
 * Exit codes: 0 when no class has an outcome listed in --fail-on (default
 * `dropped`: recorded-allowed traffic the policies would drop); 1 when one
 * does; 2 on usage errors and unreadable exports.
 */

import { createReadStream, realpathSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import { createFlowReplay, resolveCluster, type ReplayOutcome, type ReplayReport } from '../../../core/src/index';
import { checkKnownFlags, flag, UsageError, type ParsedArgs } from '../args';
import type { ExtraCommand } from '../cliContext';
import { loadWorkspace, optionsFromFlags, type CliIo } from '../cliContext';
import type { AnalysisOptions } from '../../../core/src/index';
import { gitTopLevel, GitError, materializeRevision } from '../../../host/src/gitRevision';
import { escapeControl } from '../formats/escape';
import { renderReplay, type ReplayFormat } from '../formats/replay';

/** Longest line kept (bytes after decoding, as characters); longer lines are malformed. */
const MAX_LINE_CHARS = 256 * 1024;

const REPLAY_HELP = `Usage:
  meshlens replay FLOWS [paths...] [--cluster NAME] [--base REF | --base-dir DIR]
                 [--format text|json|sarif|markdown] [--fail-on LIST]
      replays recorded Hubble flows against the Cilium policies in the paths (default: .)
      and reports each distinct flow class: recorded as passing but now DROPPED (traffic
      that breaks), DROPPED by policy but now allowed, and what the model cannot decide,
      each with the rule that decides it
  FLOWS is a file of JSON lines as 'hubble observe -o json' or the Hubble exporter write
  (gzip is detected), or - for standard input
  Options:
    --fail-on LIST   exit 1 when a class has one of these outcomes, comma-separated:
                     dropped (default), allowed, undecided, changed, or none
    --cluster NAME   judge with the policies this cluster deploys (see meshlens clusters)
    --base REF | --base-dir DIR
                     also judge every flow with the base revision's policies (a git revision,
                     or a checked-out copy with the same layout) and list what this revision
                     newly denies or allows; --fail-on changed exits 1 on a newly denied flow
    --cilium-version X.Y
`;

const FAIL_ON: Record<string, ReplayOutcome | 'changed'> = { dropped: 'newly-dropped', allowed: 'newly-allowed', undecided: 'undecided', changed: 'changed' };

export const REPLAY_COMMAND: ExtraCommand = {
  name: 'replay',
  usage: 'replay FLOWS [paths]',
  summary: 'replay recorded Hubble flows: what the policies would newly drop or allow',
  run: (args, io) => (args.flags.has('help') ? (io.stdout(REPLAY_HELP), 0) : replayCommand(args, io)),
};

async function replayCommand(args: ParsedArgs, io: CliIo): Promise<number> {
  checkKnownFlags(args, ['format', 'fail-on', 'cluster', 'base', 'base-dir', 'cilium-version', 'istio-root-namespace', 'help']);
  const format = (flag(args, 'format') ?? 'text') as ReplayFormat;
  if (!['text', 'json', 'sarif', 'markdown'].includes(format)) throw new UsageError(`--format must be text, json, sarif or markdown, not "${format}"`);
  const failOn = failOnOf(flag(args, 'fail-on') ?? 'dropped');
  const baseRef = flag(args, 'base');
  const baseDir = flag(args, 'base-dir');
  if (baseRef !== undefined && baseDir !== undefined) throw new UsageError('give at most one of --base REF and --base-dir DIR');
  if (failOn.includes('changed') && baseRef === undefined && baseDir === undefined) throw new UsageError('--fail-on changed needs --base REF or --base-dir DIR');
  const [flows, ...paths] = args.positionals;
  if (flows === undefined) throw new UsageError('replay needs FLOWS: a Hubble flow export (JSON lines, optionally gzip) or - for standard input');
  const input = openFlows(flows);
  const options = optionsFromFlags(args);
  const { service, displayByKey } = loadWorkspace(paths, options);
  const clusterName = flag(args, 'cluster');
  const cluster = clusterName !== undefined ? resolveCluster(service.workspace, clusterName) : undefined;
  if (cluster?.kind === 'error') throw new UsageError(cluster.error);
  if (cluster?.kind === 'unmodelled') io.stderr(`meshlens: the paths define no cluster (no Flux roots or kustomization folders): --cluster ${clusterName} is ignored, every policy is judged\n`);
  const progress = process.stderr.isTTY && !process.env.CI ? progressLine() : undefined;
  const scope = cluster?.kind === 'cluster' ? { cluster: cluster.scope } : {};
  const base = baseRef !== undefined || baseDir !== undefined ? loadBase(paths, baseRef, baseDir, options, clusterName) : undefined;
  let replay;
  try {
    replay = createFlowReplay(service.workspace, options, { ...scope, ...(base ? { base: base.revision } : {}) });
    await readLines(input, (line) => {
      replay!.addLine(line);
      progress?.tick();
    }, (reason) => replay!.addMalformed(reason));
  } finally {
    base?.cleanup();
  }
  progress?.done();
  const report = replay.report();
  const shown = (file: string) => displayByKey.get(file) ?? base?.display(file) ?? file;
  io.stdout(renderReplay(report, format, shown, flows === '-' ? 'stdin' : flows, base?.label));
  return failed(report, failOn) ? 1 : 0;
}

/**
 * The base revision's policies: a checked-out directory (`--base-dir`, the
 * same layout as the paths), or a git revision written to a temporary
 * directory (`--base`, removed afterwards).
 */
function loadBase(paths: string[], baseRef: string | undefined, baseDir: string | undefined, options: AnalysisOptions, clusterName: string | undefined) {
  const headPaths = (paths.length > 0 ? paths : ['.']).map((path) => resolve(path));
  let root: string;
  let basePaths: string[];
  let cleanup = () => {};
  if (baseRef !== undefined) {
    let top: string;
    try {
      top = gitTopLevel(headPaths[0]);
    } catch (error) {
      throw new UsageError(`--base needs the paths inside a git repository (${error instanceof Error ? error.message : 'git failed'})`);
    }
    const relativePaths = headPaths.map((path) => relative(top, realpathSync(path)).split(sep).join('/'));
    if (relativePaths.some((path) => path.startsWith('..'))) throw new UsageError('every path must be inside the same git repository');
    try {
      const materialized = materializeRevision(top, baseRef, relativePaths);
      root = materialized.root;
      cleanup = materialized.cleanup;
    } catch (error) {
      throw new UsageError(`--base ${escapeControl(baseRef)}: ${error instanceof GitError || error instanceof Error ? error.message : 'git failed'}`);
    }
    basePaths = relativePaths.map((path) => join(root, path || '.'));
  } else {
    root = resolve(baseDir!);
    try {
      if (!statSync(root).isDirectory()) throw new Error('not a directory');
    } catch {
      throw new UsageError(`--base-dir: not a directory: ${escapeControl(baseDir!)}`);
    }
    const headRoot = headPaths.length === 1 ? headPaths[0] : resolve('.');
    basePaths = headPaths.map((path) => join(root, relative(headRoot, path) || '.'));
  }
  try {
    const { service } = loadWorkspace(basePaths, options);
    const cluster = clusterName !== undefined ? resolveCluster(service.workspace, clusterName) : undefined;
    // Base sources are shown relative to the base root (a temporary directory for --base).
    const display = (file: string) => (file.startsWith(`${root}${sep}`) ? relative(root, file).split(sep).join('/') : undefined);
    return { revision: { workspace: service.workspace, ...(cluster?.kind === 'cluster' ? { cluster: cluster.scope } : {}) }, cleanup, label: baseRef ?? baseDir!, display };
  } catch (error) {
    cleanup();
    throw error;
  }
}

function failOnOf(text: string): (ReplayOutcome | 'changed')[] {
  if (text === 'none') return [];
  return text.split(',').map((word) => {
    const outcome = FAIL_ON[word.trim()];
    if (!outcome) throw new UsageError(`--fail-on takes dropped, allowed, undecided, changed (comma-separated) or none, not "${escapeControl(text)}"`);
    return outcome;
  });
}

function failed(report: ReplayReport, failOn: (ReplayOutcome | 'changed')[]): boolean {
  return failOn.some((outcome) => (outcome === 'changed' ? (report.changes?.['now-denied'].flows ?? 0) > 0 : report.outcomes[outcome].flows > 0));
}

/** The export as a byte stream: standard input, or a regular file (no directory, device or FIFO). */
function openFlows(path: string): Readable {
  if (path === '-') return process.stdin;
  let stats;
  try {
    stats = statSync(path);
  } catch {
    throw new UsageError(`cannot read the flow export ${escapeControl(path)}: no such file`);
  }
  if (!stats.isFile()) throw new UsageError(`the flow export ${escapeControl(path)} is not a regular file`);
  return createReadStream(path);
}

/**
 * Streams lines out of a byte stream, gunzipping it when it starts with the
 * gzip magic bytes. Memory stays bounded: a partial line longer than the cap
 * is dropped (reported once) and the rest of it skipped up to its newline.
 */
async function readLines(input: Readable, onLine: (line: string) => void, onMalformed: (reason: string) => void): Promise<void> {
  const source = await maybeGunzip(input);
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let skipping = false;
  const take = (text: string) => {
    let start = 0;
    for (;;) {
      const newline = text.indexOf('\n', start);
      if (newline === -1) break;
      if (skipping) skipping = false;
      else onLine(pending + text.slice(start, newline));
      pending = '';
      start = newline + 1;
    }
    if (skipping) return;
    pending += text.slice(start);
    if (pending.length > MAX_LINE_CHARS) {
      onMalformed(`line longer than ${MAX_LINE_CHARS} characters`);
      pending = '';
      skipping = true;
    }
  };
  try {
    for await (const chunk of source) take(decoder.write(chunk as Buffer));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    onMalformed(`the export ends early or is corrupt (${code ?? (error instanceof Error ? error.message : 'read error')}); the flows before it were replayed`);
  }
  take(decoder.end());
  if (!skipping && pending !== '') onLine(pending);
}

/** Peeks at the first bytes; gzip (1f 8b) is decompressed as it streams. */
async function maybeGunzip(input: Readable): Promise<AsyncIterable<Buffer>> {
  const iterator = input[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const first = await iterator.next();
  if (first.done) return Readable.from([]);
  const head = Buffer.isBuffer(first.value) ? first.value : Buffer.from(first.value as string);
  const rest = Readable.from(
    (async function* () {
      yield head;
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        yield next.value;
      }
    })(),
    { objectMode: false },
  );
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) {
    const gunzip = createGunzip();
    rest.on('error', (error) => gunzip.destroy(error));
    return rest.pipe(gunzip);
  }
  return rest;
}

/** A one-line counter on stderr (a terminal only), redrawn at most every 200 ms. */
function progressLine(): { tick(): void; done(): void } {
  let lines = 0;
  let last = 0;
  return {
    tick() {
      lines++;
      if ((lines & 0x3fff) !== 0) return;
      const now = Date.now();
      if (now - last < 200) return;
      last = now;
      process.stderr.write(`\rreplaying: ${lines.toLocaleString('en-US')} lines`);
    },
    done() {
      if (last !== 0) process.stderr.write(`\r${' '.repeat(40)}\r`);
    },
  };
}
