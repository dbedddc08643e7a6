/**
 * `meshlens`: the command-line adapter over the analysis core, for CI and
 * terminals. Reads files (the only IO), builds AnalysisOptions from flags,
 * prints findings in the chosen format.
 *
 * Exit codes: 0 no finding at or above --fail-on; 1 findings at or above it;
 * 2 usage or internal error.
 */

import { readFileSync, writeFileSync } from 'node:fs';
import { ALL_RULES, MeshlensService, applyEdits, defaultAnalysisOptions, severityRank, type AnalysisOptions, type Severity, type SeveritySetting } from '../../core/src/index';
import { checkKnownFlags, flag, flagList, parseArgs, UsageError, type ParsedArgs } from './args';
import { collectFiles } from './collectFiles';
import { formatGithub } from './formats/github';
import { formatRdjson } from './formats/rdjson';
import { formatJson } from './formats/json';
import { summarize, toReported, type Report } from './formats/report';
import { formatSarif } from './formats/sarif';
import { formatText } from './formats/text';
import { EXTRA_COMMANDS } from './commands';
import { ChartDownloader } from '../../server/src/charts/chartDownloader';
import { defaultChartCacheDir } from '../../server/src/charts/cacheDir';
import type { ChartFetcher } from '../../core/src/helm/chartFiles';

export const VERSION = '0.1.0';

const HELP = `meshlens ${VERSION} — checks Cilium, Istio and Flux manifests

Usage:
  meshlens check [paths...] [options]     check YAML files and directories (default: .)
  meshlens rules [--format text|json]     list every rule with its id and default severity
${EXTRA_COMMANDS.map((command) => `  ${command.usage.padEnd(40)}${command.summary}`).join('\n')}

Options for check:
  --format text|json|sarif|github|rdjson   output format (default: text; rdjson: reviewdog -f=rdjson)
  --fail-on error|warning|info|hint|none
                                    exit 1 when a finding has at least this severity (default: error)
  --output FILE                     write the report to FILE instead of standard output
  --cilium-version X.Y[.Z]          Cilium version when no Cilium HelmRelease says
  --kernel RELEASE                  node kernel (uname -r) when no NodeProfile covers a file
  --istio-version X.Y               Istio version for version-dependent checks
  --istio-root-namespace NS         Istio root namespace (default: istio-system)
  --rule ID=SEVERITY                set a rule's severity or 'off' (repeatable; ID may be family/*)
  --exclude REGEX                   skip files whose path matches (repeatable)
  --no-schema                       do not report CRD schema findings
  --max-file-size KIB               skip larger files (default: 2048)
  --fix                             apply safe quick-fixes in place and report each one
  --download-charts                 download charts from HelmRepository URLs (https, digest-checked,
                                    cached in $XDG_CACHE_HOME/meshlens) to check values of any chart
  --no-color                        plain text output
`;

const BOOLEAN_FLAGS = new Set(['help', 'no-schema', 'fix', 'no-color', 'version', 'download-charts']);
const CHECK_FLAGS = [
  'format', 'fail-on', 'output', 'cilium-version', 'kernel', 'istio-version', 'istio-root-namespace', 'rule', 'exclude',
  'no-schema', 'max-file-size', 'fix', 'no-color', 'help', 'download-charts',
];

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  isTty: boolean;
}

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  let args: ParsedArgs;
  try {
    args = parseArgs(argv, BOOLEAN_FLAGS);
    if (args.flags.has('version')) {
      io.stdout(`${VERSION}\n`);
      return 0;
    }
    if (!args.command || args.command === 'help' || (args.flags.has('help') && !args.command)) {
      io.stdout(HELP);
      return args.command || args.flags.has('help') ? 0 : 2;
    }
    switch (args.command) {
      case 'check':
        return await check(args, io);
      case 'rules':
        return listRules(args, io);
      default: {
        const extra = EXTRA_COMMANDS.find((command) => command.name === args.command);
        if (extra) return await extra.run(args, io);
        throw new UsageError(`unknown command "${args.command}"`);
      }
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`meshlens: ${error.message}\nRun "meshlens --help" for usage.\n`);
      return 2;
    }
    io.stderr(`meshlens: internal error: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    return 2;
  }
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
  const maxKib = flag(args, 'max-file-size');
  if (maxKib !== undefined && !/^[1-9][0-9]*$/.test(maxKib)) throw new UsageError('--max-file-size expects a number of KiB');
  return defaultAnalysisOptions({
    rules,
    ciliumVersion: flag(args, 'cilium-version'),
    kernelVersion: flag(args, 'kernel'),
    istioVersion: flag(args, 'istio-version'),
    istioRootNamespace: flag(args, 'istio-root-namespace') ?? 'istio-system',
    schemaValidation: !args.flags.has('no-schema'),
    maxFileBytes: maxKib ? Number(maxKib) * 1024 : 2 * 1024 * 1024,
  });
}

/** Loads the given paths into a fresh service. Shared by check and the other commands. */
export function loadWorkspace(paths: readonly string[], options: AnalysisOptions, exclude: readonly RegExp[] = [], chartFetcher?: ChartFetcher) {
  const { files, roots, missing } = collectFiles(paths.length > 0 ? paths : ['.'], exclude);
  if (missing.length > 0) throw new UsageError(`no such file or directory: ${missing.join(', ')}`);
  const service = new MeshlensService({
    roots,
    host: { readFile: (path) => readTextFile(path), chartFetcher },
    maxFileBytes: () => options.maxFileBytes,
  });
  const displayByKey = new Map<string, string>();
  for (const file of files) {
    const text = readTextFile(file.key);
    if (text === undefined) continue;
    service.setFile(file.key, text);
    displayByKey.set(file.key, file.display);
  }
  return { service, files, displayByKey };
}

async function check(args: ParsedArgs, io: CliIo): Promise<number> {
  checkKnownFlags(args, CHECK_FLAGS);
  const format = flag(args, 'format') ?? 'text';
  if (!['text', 'json', 'sarif', 'github', 'rdjson'].includes(format)) throw new UsageError(`--format must be text, json, sarif, github or rdjson, not "${format}"`);
  const failOn = flag(args, 'fail-on') ?? 'error';
  if (!['error', 'warning', 'info', 'hint', 'none'].includes(failOn)) throw new UsageError(`--fail-on must be error, warning, info, hint or none`);
  const options = optionsFromFlags(args);
  const exclude = flagList(args, 'exclude').map((pattern) => {
    try {
      return new RegExp(pattern);
    } catch {
      throw new UsageError(`--exclude: invalid regular expression "${pattern}"`);
    }
  });
  const started = performance.now();
  // Asked for on the command line: the user trusts what they check. Same limits as the language server.
  const downloader = args.flags.has('download-charts')
    ? new ChartDownloader({ userAgent: `meshlens/${VERSION}`, cacheDir: defaultChartCacheDir(), policy: { enabled: true, trusted: true } })
    : undefined;
  const { service, files, displayByKey } = loadWorkspace(args.positionals, options, exclude, downloader);
  if (downloader) await downloadCharts(downloader, service, files.map((file) => file.key), options, io);
  if (args.flags.has('fix')) applySafeFixes(service, files.map((file) => file.key), options, displayByKey, io);
  const displayOf = (key: string) => displayByKey.get(key) ?? key;
  const keyByDisplay = new Map([...displayByKey].map(([key, display]) => [display, key]));
  const diagnostics = files.flatMap((file) => service.diagnostics(file.key, options).map((diagnostic) => toReported(diagnostic, file.display, displayOf)));
  const report: Report = { diagnostics, summary: summarize(diagnostics, files.length, performance.now() - started) };
  const output =
    format === 'json'
      ? formatJson(report)
      : format === 'sarif'
        ? formatSarif(report, ALL_RULES, VERSION, options.docsBaseUrl)
        : format === 'github'
          ? formatGithub(report)
          : format === 'rdjson'
            ? formatRdjson(report, (file, line) => lineOf(service, keyByDisplay.get(file), line), options.docsBaseUrl)
          : formatText(report, io.isTty && !args.flags.has('no-color') && !process.env.NO_COLOR);
  const outputFile = flag(args, 'output');
  if (outputFile) writeFileSync(outputFile, output);
  else io.stdout(output);
  if (failOn === 'none') return 0;
  const threshold = severityRank(failOn as Severity);
  return diagnostics.some((diagnostic) => severityRank(diagnostic.severity) >= threshold) ? 1 : 0;
}

/** A 1-based line of a file the service holds (for formats that count columns in UTF-8). */
function lineOf(service: MeshlensService, key: string | undefined, line: number): string | undefined {
  const text = key === undefined ? undefined : service.workspace.getFile(key)?.text;
  return text?.split(/\r?\n/, line)[line - 1];
}

/** `--download-charts`: a first pass asks for the charts, then the report waits for every download (each bounded by the downloader's timeouts). */
async function downloadCharts(downloader: ChartDownloader, service: MeshlensService, keys: readonly string[], options: AnalysisOptions, io: CliIo): Promise<void> {
  downloader.onDidChange(() => service.workspace.chartsChanged());
  for (const key of keys) service.diagnostics(key, options);
  await downloader.whenIdle();
  for (const problem of downloader.problems()) io.stderr(`meshlens: ${problem.reason}\n`);
}

/** `--fix`: applies safe fixes file by file until none is left (at most 5 rounds), and says what it did. */
function applySafeFixes(service: MeshlensService, keys: readonly string[], options: AnalysisOptions, displayByKey: Map<string, string>, io: CliIo): void {
  for (const key of keys) {
    let text = service.workspace.getFile(key)?.text;
    if (text === undefined) continue;
    let changed = false;
    for (let round = 0; round < 5; round++) {
      const fixes = service
        .diagnostics(key, options)
        .map((diagnostic) => ({ diagnostic, fix: diagnostic.fixes?.find((fix) => fix.safe && fix.edits.every((edit) => edit.file === key)) }))
        .filter((entry) => entry.fix !== undefined);
      if (fixes.length === 0) break;
      const result = applyEdits(text, fixes.flatMap((entry) => entry.fix!.edits));
      if (result.applied === 0 || result.text === text) break;
      for (const entry of fixes) {
        io.stderr(`fixed ${displayByKey.get(key)}:${entry.diagnostic.range.start.line + 1}:${entry.diagnostic.range.start.character + 1}: ${entry.diagnostic.rule}: ${entry.fix!.title}\n`);
      }
      text = result.text;
      changed = true;
      service.setFile(key, text);
    }
    if (changed) writeFileSync(key, text);
  }
}

function listRules(args: ParsedArgs, io: CliIo): number {
  checkKnownFlags(args, ['format', 'help']);
  const format = flag(args, 'format') ?? 'text';
  if (format === 'json') {
    io.stdout(JSON.stringify(ALL_RULES.map((rule) => ({ id: rule.meta.id, severity: rule.meta.severity, title: rule.meta.title, fix: rule.meta.fix ?? null })), null, 2) + '\n');
  } else {
    const width = Math.max(...ALL_RULES.map((rule) => rule.meta.id.length));
    for (const rule of ALL_RULES) io.stdout(`${rule.meta.id.padEnd(width)}  ${rule.meta.severity.padEnd(7)}  ${rule.meta.title}${rule.meta.fix ? ' (fix)' : ''}\n`);
  }
  return 0;
}

function readTextFile(path: string): string | undefined {
  try {
    const buffer = readFileSync(path);
    // Invalid UTF-8 decodes to U+FFFD replacement characters: analysed, never a crash.
    return buffer.toString('utf8');
  } catch {
    return undefined;
  }
}
