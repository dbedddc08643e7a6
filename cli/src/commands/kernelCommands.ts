/**
 * `meshlens kernel …`: the kernel-feature matrix for planning upgrades.
 *
 * - `meshlens kernel --cilium 1.17 [--kernel 5.10 | --probe probe.json] [--values values.yaml] [--format text|json]`
 *   prints every matrix row of that Cilium version (feature, the values that
 *   turn it on, minimum kernel, what happens below it) and, with a kernel or
 *   probe, the status on it. With --values, rows say whether the values turn
 *   the feature on and verdicts follow feature dependencies.
 * - `meshlens kernel [paths…] [--kernel …] [--cilium-version …]` (no --cilium):
 *   the verdicts for the Cilium HelmReleases and NodeProfiles found in the paths.
 *
 * Exit codes: 0 nothing fails; 1 an enabled feature or the base requirement
 * fails on a judged kernel/pool; 2 usage error. Only this adapter does IO;
 * the text comes from the core (`renderKernelMatrix`, `renderKernelReport`).
 */

import { readFileSync } from 'node:fs';
import { createParsedDocument } from '../../../core/src/index';
import { kernelMatrixModel, renderKernelMatrix, renderKernelReport, withDisplayPaths, workspaceKernelReport } from '../../../core/src/index';
import { isProbeParseError, parseBpftoolProbe, parseKernelRelease, type ProbeFacts } from '../../../core/src/index';
import { checkKnownFlags, flag, UsageError, type ParsedArgs } from '../args';
import type { ExtraCommand } from '../cliContext';
import { loadWorkspace, optionsFromFlags, type CliIo } from '../cliContext';

const MATRIX_FLAGS = ['cilium', 'kernel', 'probe', 'values', 'format', 'help'];
const WORKSPACE_FLAGS = ['kernel', 'cilium-version', 'format', 'help'];

export const KERNEL_COMMANDS: ExtraCommand[] = [
  {
    name: 'kernel',
    usage: 'kernel [--cilium X.Y] [--kernel R]',
    summary: 'kernel-feature matrix of a Cilium version; without --cilium: verdicts for the paths',
    run(args, io) {
      if (args.flags.has('help')) {
        io.stdout(KERNEL_HELP);
        return 0;
      }
      const format = flag(args, 'format') ?? 'text';
      if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json, not "${format}"`);
      return args.flags.has('cilium') ? matrixCommand(args, io, format) : workspaceCommand(args, io, format);
    },
  },
];

const KERNEL_HELP = `Usage:
  meshlens kernel --cilium X.Y [--kernel RELEASE | --probe FILE] [--values FILE] [--format text|json]
      the kernel-feature matrix of a Cilium version, judged against a kernel release
      (uname -r) or a \`bpftool -j feature probe\` output; --values marks what those
      Helm values (a values file or a HelmRelease) turn on
  meshlens kernel [paths...] [--kernel RELEASE] [--cilium-version X.Y] [--format text|json]
      verdicts for every Cilium HelmRelease and NodeProfile under the paths
`;

function matrixCommand(args: ParsedArgs, io: CliIo, format: string): number {
  checkKnownFlags(args, MATRIX_FLAGS);
  if (args.positionals.length > 0) throw new UsageError('--cilium prints the matrix and takes no paths');
  const cilium = flag(args, 'cilium')!;
  const kernel = flag(args, 'kernel');
  const probePath = flag(args, 'probe');
  if (kernel !== undefined && !parseKernelRelease(kernel)) throw new UsageError(`--kernel "${kernel}" is not a kernel release (e.g. 5.10 or 5.15.0-91-generic)`);
  const probe = probePath !== undefined ? readProbe(probePath) : undefined;
  const valuesPath = flag(args, 'values');
  const values = valuesPath !== undefined ? readValues(valuesPath) : undefined;
  const model = kernelMatrixModel({ cilium, ...(kernel !== undefined ? { kernel } : {}), ...(probe ? { probe } : {}), ...(values !== undefined ? { values } : {}) });
  if (!model.supported) throw new UsageError(`Cilium "${cilium}" is not covered by the kernel matrix (${model.ciliumRange})`);
  io.stdout(format === 'json' ? `${JSON.stringify(model, null, 2)}\n` : renderKernelMatrix(model));
  const failing = model.base?.status === 'fails' || model.rows.some((row) => row.status === 'fails' && (values === undefined ? false : row.enabled === true));
  return failing ? 1 : 0;
}

function workspaceCommand(args: ParsedArgs, io: CliIo, format: string): number {
  checkKnownFlags(args, WORKSPACE_FLAGS);
  const options = optionsFromFlags(args);
  const { service, displayByKey } = loadWorkspace(args.positionals, options);
  const report = workspaceKernelReport(service.workspace, options);
  const display = (key: string) => displayByKey.get(key) ?? key;
  const shown = withDisplayPaths(report, display);
  io.stdout(format === 'json' ? `${JSON.stringify(shown, null, 2)}\n` : renderKernelReport(shown, 'text'));
  const failing = report.releases.some(
    (release) => release.base.some((entry) => entry.status === 'fails') || release.features.some((feature) => feature.pools.some((pool) => pool.status === 'fails')),
  );
  return failing ? 1 : 0;
}

function readProbe(path: string): ProbeFacts {
  const text = readText(path, '--probe');
  const parsed = parseBpftoolProbe(text);
  if (isProbeParseError(parsed)) throw new UsageError(`--probe ${path}: ${parsed.error}`);
  return parsed;
}

/** A values file, or a HelmRelease whose `spec.values` are taken. */
function readValues(path: string): unknown {
  const text = readText(path, '--values');
  const document = createParsedDocument(text);
  if (document.problems.some((problem) => problem.code === 'yaml/syntax')) throw new UsageError(`--values ${path}: not valid YAML`);
  const value = document.value().value;
  if (isRecord(value) && value['kind'] === 'HelmRelease' && isRecord(value['spec'])) return value['spec']['values'] ?? {};
  return value ?? {};
}

function readText(path: string, option: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new UsageError(`${option}: cannot read "${path}"`);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
