/**
 * `meshlens`: the command-line adapter over the analysis core, for CI and
 * terminals. Reads files (the only IO), builds AnalysisOptions from flags,
 * prints findings in the chosen format.
 *
 * Exit codes: 0 no finding at or above --fail-on; 1 findings at or above it;
 * 2 usage or internal error (also an unknown subcommand or an invalid flag).
 * Every flag is validated before anything is read; `--help` on a subcommand
 * prints that subcommand's help and does nothing else. Text that comes from
 * users' files is escaped in text and GitHub output (see formats/escape).
 */

import { readFileSync, writeFileSync } from 'node:fs';
import { ALL_RULES, containedErrors, MeshlensService, severityRank, type ContainedError, type AnalysisOptions, type Severity } from '../../core/src/index';
import { checkKnownFlags, flag, flagList, nonEmptyFlag, normalizeBooleans, parseArgs, UsageError, type ParsedArgs } from './args';
import { runFixes } from './fixFiles';
import { compilePathRegExp } from '../../host/src/pathMatchers';
import { formatGithub } from './formats/github';
import { formatRdjson } from './formats/rdjson';
import { formatJson } from './formats/json';
import { summarize, toReported, type Report, toSkippedPaths } from './formats/report';
import { formatSarif } from './formats/sarif';
import { formatText } from './formats/text';
import { escapeControl } from './formats/escape';
import { EXTRA_COMMANDS } from './commands';
import { loadWorkspace, optionsFromFlags, VERSION, type CliIo } from './cliContext';

import { TerminalProgress } from './progress';
import { ChartDownloader } from '../../host/src/charts/chartDownloader';
import { defaultChartCacheDir } from '../../host/src/charts/cacheDir';


const EXIT_CODES = `Exit codes:
  0  no finding at or above --fail-on (and the command did what was asked)
  1  findings at or above --fail-on
  2  usage error (unknown command or option, invalid value) or internal error
`;

const HELP = `meshlens ${VERSION} — checks Cilium, Istio and Flux manifests

Usage:
  meshlens check [paths...] [options]     check YAML files and directories (default: .)
  meshlens rules [--format text|json]     list every rule with its id and default severity
${EXTRA_COMMANDS.map((command) => `  ${command.usage.padEnd(40)}${command.summary}`).join('\n')}
  meshlens COMMAND --help                 help of one command

${EXIT_CODES}`;

const CHECK_HELP = `Usage: meshlens check [paths...] [options]

Checks YAML files and directories (default: the current directory).

Options:
  --format text|json|sarif|github|rdjson   output format (default: text; rdjson: reviewdog -f=rdjson)
  --fail-on error|warning|info|hint|none
                                    exit 1 when a finding has at least this severity (default: error)
  --output FILE                     write the report to FILE instead of standard output
  --cilium-version X.Y[.Z]          Cilium version when no Cilium HelmRelease says
  --flux-version X.Y[.Z]            Flux version in use (else read from gotk-components labels or a
                                    FluxInstance; else the newest known is assumed)
  --kernel RELEASE                  node kernel (uname -r) when no NodeProfile covers a file
  --istio-version X.Y               Istio version for version-dependent checks
  --istio-root-namespace NS         Istio root namespace (default: istio-system)
  --rule ID=SEVERITY                set a rule's severity or 'off' (repeatable; ID may be family/*)
  --exclude REGEX                   skip files whose path matches (RE2 syntax; repeatable; not empty)
  --no-schema                       do not report CRD schema findings
  --undeployed info|keep            findings in files no cluster deploys: lowered to info with a note
                                    (default), or kept at their severity
  --max-file-size KIB               skip larger files (default: 2048)
  --fix                             apply safe quick-fixes in place and report each one on stderr
                                    (each file verified, written atomically, only if unchanged since read)
  --dry-run                         with --fix: print the fixes as a unified diff, write nothing
  --download-charts                 download charts from HelmRepository URLs (https, digest-checked,
                                    cached in $XDG_CACHE_HOME/meshlens) to check values of any chart
  --download-budget SECONDS         overall time for chart downloads (default: 60)
  --allow-private-networks          let chart downloads reach loopback/private/link-local addresses
  --no-color                        plain text output
  --debug                           list internal errors the analysis contained (with stacks)
Boolean options also take =true|false|yes|no|1|0 (--fix=no does not fix).

${EXIT_CODES}`;

const RULES_HELP = `Usage: meshlens rules [--format text|json]

Lists every rule with its id, default severity and title ("(fix)" when it offers a quick-fix).

${EXIT_CODES}`;

const BOOLEAN_FLAGS = new Set(['debug', 'help', 'no-schema', 'fix', 'dry-run', 'no-color', 'version', 'download-charts', 'generate', 'allow-private-networks']);
const CHECK_FLAGS = [
  'format', 'fail-on', 'output', 'cilium-version', 'flux-version', 'kernel', 'istio-version', 'istio-root-namespace', 'rule', 'exclude',
  'no-schema', 'undeployed', 'max-file-size', 'fix', 'dry-run', 'no-color', 'debug', 'help', 'download-charts', 'download-budget', 'allow-private-networks',
];

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  let args: ParsedArgs;
  try {
    args = parseArgs(argv, BOOLEAN_FLAGS);
    normalizeBooleans(args, BOOLEAN_FLAGS);
    if (args.flags.has('version') && !args.command) {
      io.stdout(`${VERSION}\n`);
      return 0;
    }
    if (args.command === 'help' && args.positionals.length === 1 && !args.flags.has('help')) {
      // `meshlens help check` = `meshlens check --help`.
      return await run([args.positionals[0], '--help'], io);
    }
    if (!args.command || args.command === 'help' || (args.flags.has('help') && !args.command)) {
      io.stdout(HELP);
      return args.command || args.flags.has('help') ? 0 : 2;
    }
    const contained = containedErrors().length;
    const code = await dispatch(args, io);
    reportContained(args, io, containedErrors().slice(contained));
    return code;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`meshlens: ${error.message}\nRun "meshlens --help" for usage.\n`);
      return 2;
    }
    // One line, no stack trace (MESHLENS_DEBUG=1 shows it).
    const detail = error instanceof Error ? (process.env.MESHLENS_DEBUG ? (error.stack ?? error.message) : error.message) : String(error);
    io.stderr(`meshlens: internal error: ${escapeControl(detail)}\n`);
    return 2;
  }
}

async function dispatch(args: ParsedArgs, io: CliIo): Promise<number> {
  switch (args.command) {
    case 'check':
      if (args.flags.has('help')) {
        io.stdout(CHECK_HELP);
        return 0;
      }
      return await check(args, io);
    case 'rules':
      if (args.flags.has('help')) {
        io.stdout(RULES_HELP);
        return 0;
      }
      return listRules(args, io);
    default: {
      const extra = EXTRA_COMMANDS.find((command) => command.name === args.command);
      if (extra) return await extra.run(args, escapedIo(io, flag(args, 'format')));
      throw new UsageError(`unknown command "${escapeControl(args.command ?? '')}"`);
    }
  }
}

/**
 * Internal errors the core contained while the command ran: some findings may be missing. One line
 * says so; `--debug` (or MESHLENS_DEBUG=1) lists each with its stack.
 */
function reportContained(args: ParsedArgs, io: CliIo, errors: readonly ContainedError[]): void {
  if (errors.length === 0) return;
  if (args.flags.has('debug') || process.env.MESHLENS_DEBUG) {
    for (const error of errors) io.stderr(`meshlens: debug: contained error in ${error.where}: ${escapeControl(error.stack ?? error.message, true)}\n`);
    return;
  }
  io.stderr(`meshlens: ${errors.length} internal error${errors.length === 1 ? ' was' : 's were'} contained, so some findings may be missing; run with --debug for details\n`);
}

/**
 * The other commands print names and values from users' files: their text
 * output (and every message on stderr) goes through `escapeControl`, line
 * breaks kept. JSON and SARIF are left alone (JSON escaping covers them).
 */
function escapedIo(io: CliIo, format: string | undefined): CliIo {
  const textual = format === undefined || ['text', 'markdown', 'github'].includes(format);
  return {
    ...io,
    stdout: textual ? (text) => io.stdout(escapeControl(text, true)) : io.stdout,
    stderr: (text) => io.stderr(escapeControl(text, true)),
  };
}

async function check(args: ParsedArgs, io: CliIo): Promise<number> {
  checkKnownFlags(args, CHECK_FLAGS);
  const format = flag(args, 'format') ?? 'text';
  if (!['text', 'json', 'sarif', 'github', 'rdjson'].includes(format)) throw new UsageError(`--format must be text, json, sarif, github or rdjson, not "${format}"`);
  const failOn = flag(args, 'fail-on') ?? 'error';
  if (!['error', 'warning', 'info', 'hint', 'none'].includes(failOn)) throw new UsageError(`--fail-on must be error, warning, info, hint or none`);
  if (args.flags.has('dry-run') && !args.flags.has('fix')) throw new UsageError('--dry-run only goes with --fix');
  const outputFile = nonEmptyFlag(args, 'output');
  const options = optionsFromFlags(args);
  const exclude = flagList(args, 'exclude').map((pattern) => {
    // An empty pattern matches every path: almost surely a shell variable that expanded to nothing.
    if (pattern === '') throw new UsageError('--exclude needs a non-empty regular expression');
    try {
      return compilePathRegExp(pattern);
    } catch {
      throw new UsageError(`--exclude: invalid regular expression "${escapeControl(pattern)}" (RE2 syntax)`);
    }
  });
  const started = performance.now();
  // Asked for on the command line: the user trusts what they check. Same limits as the language server.
  const budget = flag(args, 'download-budget');
  if (budget !== undefined && !/^[1-9][0-9]{0,5}$/.test(budget)) throw new UsageError('--download-budget expects a number of seconds');
  const downloader = args.flags.has('download-charts')
    ? new ChartDownloader({
        userAgent: `meshlens/${VERSION}`,
        cacheDir: defaultChartCacheDir(),
        policy: { enabled: true, trusted: true },
        allowPrivateNetworks: args.flags.has('allow-private-networks'),
        ca: extraCaCertificates(),
        ...(budget ? { limits: { runBudgetMs: Number(budget) * 1000 } } : {}),
      })
    : undefined;
  // A progress bar on stderr when it is a terminal; cleared before anything else is printed.
  const progress = new TerminalProgress({ enabled: io.stderrIsTty === true, write: io.stderr, ...io.progressTiming });
  const { service, files, displayByKey, overlay, skipped } = loadWorkspace(args.positionals, options, exclude, downloader, progress);
  progress.clear();
  if (downloader) await downloadCharts(downloader, service, files.map((file) => file.key), options, io);
  const displayOf = (key: string) => displayByKey.get(key) ?? key;
  if (args.flags.has('fix')) {
    runFixes(service, files.map((file) => file.key), options, overlay, displayOf, io, args.flags.has('dry-run'));
  }
  const keyByDisplay = new Map([...displayByKey].map(([key, display]) => [display, key]));
  const diagnostics: ReturnType<typeof toReported>[] = [];
  for (const [index, file] of files.entries()) {
    progress.update('checking', index, files.length);
    for (const diagnostic of service.diagnostics(file.key, options)) diagnostics.push(toReported(diagnostic, file.display, displayOf));
  }
  progress.clear();
  const report: Report = { diagnostics, summary: summarize(diagnostics, files.length, performance.now() - started), skipped: toSkippedPaths(skipped) };
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
  if (outputFile) {
    try {
      writeFileSync(outputFile, output);
    } catch (error) {
      io.stderr(`meshlens: cannot write ${escapeControl(outputFile)}: ${(error as NodeJS.ErrnoException).code ?? 'write failed'}\n`);
      return 2;
    }
  } else io.stdout(output);
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
  downloader.onDidChange(() => service.chartsChanged());
  for (const key of keys) service.diagnostics(key, options);
  await downloader.whenIdle();
  for (const problem of downloader.problems()) io.stderr(`meshlens: ${escapeControl(problem.reason)}\n`);
  if (downloader.budgetExhausted) io.stderr(`meshlens: chart downloads stopped after ${downloader.limits.runBudgetMs / 1000} s (--download-budget); values of those charts were not checked\n`);
}

/** `NODE_EXTRA_CA_CERTS`, read here too so the downloader trusts it in-process (Node reads it only at start). */
function extraCaCertificates(): string | undefined {
  const path = process.env.NODE_EXTRA_CA_CERTS;
  if (!path) return undefined;
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
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
