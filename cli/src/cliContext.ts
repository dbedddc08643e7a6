/**
 * What every CLI command shares, below `main.ts` and the command modules so
 * that neither imports the other: the version, the IO seam, analysis options
 * from flags and loading paths into a fresh service (confined reads).
 */

import { MeshlensService, defaultAnalysisOptions, type AnalysisOptions, type ChartFetcher, type SeveritySetting } from '../../core/src/index';
import { flag, flagList, nonEmptyFlag, UsageError, type ParsedArgs } from './args';
import { collectFiles } from './collectFiles';
import { ConfinedFiles } from '../../host/src/fileAccess';
import type { PathMatcher } from '../../host/src/pathMatchers';
import { escapeControl } from './formats/escape';
import type { TerminalProgress } from './progress';

export const VERSION = '0.1.0';

/** A subcommand besides `check` and `rules`. */
export interface ExtraCommand {
  name: string;
  usage: string;
  summary: string;
  run(args: ParsedArgs, io: CliIo): Promise<number> | number;
}

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** stdout is a terminal (colors). */
  isTty: boolean;
  /** stderr is a terminal: `check` draws a progress bar there. */
  stderrIsTty?: boolean;
  /** When the progress bar starts and how often it redraws (default 250/100 ms; tests draw at once). */
  progressTiming?: { delayMs: number; intervalMs: number };
}

export function optionsFromFlags(args: ParsedArgs): AnalysisOptions {
  const rules: Record<string, SeveritySetting> = {};
  for (const entry of flagList(args, 'rule')) {
    const [id, severity] = entry.split('=');
    if (!id || !['error', 'warning', 'info', 'hint', 'off'].includes(severity ?? '')) {
      throw new UsageError(`--rule expects ID=error|warning|info|hint|off, got "${entry}"`);
    }
    rules[id] = severity as SeveritySetting;
  }
  const undeployed = flag(args, 'undeployed') ?? 'info';
  if (undeployed !== 'info' && undeployed !== 'keep') throw new UsageError(`--undeployed expects info or keep, not "${escapeControl(undeployed)}"`);
  const maxKib = flag(args, 'max-file-size');
  if (maxKib !== undefined && !/^[1-9][0-9]{0,7}$/.test(maxKib)) throw new UsageError('--max-file-size expects a number of KiB');
  return defaultAnalysisOptions({
    rules,
    ciliumVersion: versionFlag(args, 'cilium-version', /^v?1\.\d{1,3}(\.\d{1,3})?$/, '1.16 or 1.16.3'),
    fluxVersion: versionFlag(args, 'flux-version', /^v?2\.\d{1,3}(\.\d{1,3})?$/, '2.3 or v2.3.1'),
    kernelVersion: versionFlag(args, 'kernel', /^\d+\.\d+(\.\d+)?([-+.~_][A-Za-z0-9._+~-]*)?$/, '5.15.0-91-generic'),
    istioVersion: versionFlag(args, 'istio-version', /^v?1\.\d{1,3}(\.\d{1,3})?$/, '1.24'),
    istioRootNamespace: versionFlag(args, 'istio-root-namespace', /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'istio-system') ?? 'istio-system',
    schemaValidation: !args.flags.has('no-schema'),
    undeployedFiles: undeployed,
    maxFileBytes: maxKib ? Number(maxKib) * 1024 : 2 * 1024 * 1024,
  });
}

/** A flag whose value must match a pattern (versions, names); a usage error otherwise. */
function versionFlag(args: ParsedArgs, name: string, pattern: RegExp, example: string): string | undefined {
  const value = nonEmptyFlag(args, name);
  if (value === undefined) return undefined;
  if (!pattern.test(value)) throw new UsageError(`--${name}: "${escapeControl(value)}" is not valid (expected something like ${example})`);
  return value;
}

/**
 * Loads the given paths into a fresh service. Shared by check and the other commands.
 * `overlay` holds texts that replace files on disk for referenced-file reads (fixes not yet written).
 */
export function loadWorkspace(paths: readonly string[], options: AnalysisOptions, exclude: readonly PathMatcher[] = [], chartFetcher?: ChartFetcher, progress?: TerminalProgress) {
  const { files, roots, missing, skipped } = collectFiles(paths.length > 0 ? paths : ['.'], exclude);
  if (missing.length > 0) throw new UsageError(`no such file or directory: ${escapeControl(missing.join(', '))}`);
  const overlay = new Map<string, string>();
  // Every read goes through the confined reader: real path inside the roots, regular files only, size-capped.
  const access = new ConfinedFiles({ roots: () => roots, maxBytes: () => options.maxFileBytes });
  const service = new MeshlensService({
    roots,
    host: { readFile: (path) => overlay.get(path) ?? access.readTextSync(path), chartFetcher },
    maxFileBytes: () => options.maxFileBytes,
  });
  const displayByKey = new Map<string, string>();
  const loaded = [];
  for (const [index, file] of files.entries()) {
    progress?.update('reading', index, files.length);
    // A larger file is read only up to the limit: the core then reports it as too large.
    const read = access.readSync(file.key, { oversized: 'prefix' });
    if (!read.ok) {
      skipped.push({ display: file.display, reason: read.reason });
      continue;
    }
    service.setFile(file.key, read.text);
    displayByKey.set(file.key, file.display);
    loaded.push(file);
  }
  return { service, files: loaded, displayByKey, overlay, skipped };
}
