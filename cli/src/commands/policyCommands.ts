/**
 * `meshlens effective …` and `meshlens simulate …`: the effective-policy model
 * from the command line.
 *
 * - `meshlens effective [paths] --workload <ns>/<name> [--format text|json]`
 *   prints the workload's effective ingress/egress (Cilium) and inbound Istio
 *   authorization, each line with its source `file:line`.
 * - `meshlens simulate [paths] --from <ns>/<name> --to <ns>/<name> --port <n>
 *   [--protocol TCP] [--method M --path P] [--host H] [--header 'K: V']
 *   [--format text|json]` judges one request layer by layer.
 *
 * Files are shown as the CLI was given them (relative stays relative).
 * Exit codes: 0 when the model was computed (a denied request is data, not a
 * failure); 2 on usage errors and unknown workloads.
 */

import { effectivePolicy } from '../../../core/src/index';
import type { SourceRef } from '../../../core/src/index';
import { renderEffectivePolicy, renderSimulation } from '../../../core/src/index';
import { isSimulateError, simulateRequest, type SimulateQuery } from '../../../core/src/index';
import { resolveEnd } from '../../../core/src/index';
import { checkKnownFlags, flag, flagList, UsageError, type ParsedArgs } from '../args';
import type { ExtraCommand } from '../cliContext';
import { loadWorkspace, optionsFromFlags, type CliIo } from '../cliContext';

const COMMON_FLAGS = ['format', 'cilium-version', 'istio-root-namespace', 'help'];
const END_PATTERN = /^\S+$/;

const EFFECTIVE_HELP = `Usage:
  meshlens effective [paths...] --workload NAMESPACE/NAME [--format text|json]
  meshlens effective [paths...] --workload 'NAMESPACE/key=value,…'
      the effective policy of a workload (Deployment, StatefulSet, DaemonSet, Pod…,
      one inferred from a HelmRelease or Gateway, or declared in a Workloads document)
      or of a pod with the given labels: Cilium ingress/egress at L3/L4/L7 and Istio
      authorization, with sources
  Options: --cilium-version X.Y  --istio-root-namespace NS (default: istio-system)
`;

const SIMULATE_HELP = `Usage:
  meshlens simulate [paths...] --from END --to END --port N
                    [--protocol TCP|UDP|SCTP] [--method M --path P] [--host H]
                    [--header 'Name: value']... [--cluster NAME] [--format text|json]
      would this request pass? allow/deny per layer (Cilium L3/L4, Cilium L7,
      Istio sidecar / waypoint / ztunnel / gateway) with the deciding rules; exits 0 either way
  END is NAMESPACE/NAME, a label set 'NAMESPACE/key=value,…', an entity (world, host,
  cluster, remote-node, kube-apiserver, …), an IP or CIDR, or a DNS name
  --cluster NAME judges with the policies that cluster deploys (see meshlens clusters)
  Options: --cilium-version X.Y  --istio-root-namespace NS (default: istio-system)
`;

export const POLICY_COMMANDS: ExtraCommand[] = [
  {
    name: 'effective',
    usage: 'effective [paths] --workload NS/NAME',
    summary: 'effective Cilium and Istio policy of a workload',
    run: (args, io) => (args.flags.has('help') ? help(io, EFFECTIVE_HELP) : effectiveCommand(args, io)),
  },
  {
    name: 'simulate',
    usage: 'simulate [paths] --from W --to W --port N',
    summary: 'would a request pass? verdict per layer with deciding rules',
    run: (args, io) => (args.flags.has('help') ? help(io, SIMULATE_HELP) : simulateCommand(args, io)),
  },
];

function help(io: CliIo, text: string): number {
  io.stdout(text);
  return 0;
}

function formatOf(args: ParsedArgs): 'text' | 'json' {
  const format = flag(args, 'format') ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json, not "${format}"`);
  return format;
}

function workloadFlag(args: ParsedArgs, name: string): string {
  const value = flag(args, name);
  if (value === undefined) throw new UsageError(`--${name} NAMESPACE/NAME is required`);
  if (!END_PATTERN.test(value)) throw new UsageError(`--${name} expects NAMESPACE/NAME, NAMESPACE/key=value,… or an entity, CIDR or DNS name, got "${value}"`);
  return value;
}

/** Replaces every `file` field of plain data with its display form. */
function withDisplayedFiles<T>(value: T, display: (file: string) => string): T {
  return JSON.parse(JSON.stringify(value), (key, item) => (key === 'file' && typeof item === 'string' ? display(item) : item)) as T;
}

function effectiveCommand(args: ParsedArgs, io: CliIo): number {
  checkKnownFlags(args, [...COMMON_FLAGS, 'workload']);
  const format = formatOf(args);
  const workload = workloadFlag(args, 'workload');
  const options = optionsFromFlags(args);
  const { service, displayByKey } = loadWorkspace(args.positionals, options);
  const display = (file: string) => displayByKey.get(file) ?? file;
  const model = effectivePolicy(service.workspace, workload, options);
  if (!model) {
    const end = resolveEnd(service.workspace, workload);
    throw new UsageError(end.kind === 'error' ? end.error : `"${workload}" is not a workload: effective shows the policy of a workload or a label set`);
  }
  io.stdout(format === 'json' ? `${JSON.stringify(withDisplayedFiles(model, display), null, 2)}\n` : renderEffectivePolicy(model, 'text', display));
  return 0;
}

function simulateCommand(args: ParsedArgs, io: CliIo): number {
  checkKnownFlags(args, [...COMMON_FLAGS, 'from', 'to', 'port', 'protocol', 'method', 'path', 'host', 'header', 'cluster']);
  const format = formatOf(args);
  const from = workloadFlag(args, 'from');
  const to = workloadFlag(args, 'to');
  const portText = flag(args, 'port');
  if (portText === undefined) throw new UsageError('--port N is required');
  if (!/^\d+$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535) throw new UsageError(`--port expects 1–65535, got "${portText}"`);
  const protocol = (flag(args, 'protocol') ?? 'TCP').toUpperCase();
  if (!['TCP', 'UDP', 'SCTP'].includes(protocol)) throw new UsageError(`--protocol must be TCP, UDP or SCTP, not "${protocol}"`);
  const headers: Record<string, string> = {};
  for (const header of flagList(args, 'header')) {
    const colon = header.indexOf(':');
    if (colon <= 0) throw new UsageError(`--header expects "Name: value", got "${header}"`);
    headers[header.slice(0, colon).trim()] = header.slice(colon + 1).trim();
  }
  const method = flag(args, 'method');
  const path = flag(args, 'path');
  const host = flag(args, 'host');
  if ((method !== undefined || path !== undefined || host !== undefined) && protocol !== 'TCP') throw new UsageError('--method, --path and --host describe HTTP, which needs --protocol TCP');
  const query: SimulateQuery = {
    from,
    to,
    port: Number(portText),
    protocol,
    ...(method !== undefined ? { method } : {}),
    ...(path !== undefined ? { path } : {}),
    ...(host !== undefined ? { host } : {}),
    ...(Object.keys(headers).length > 0 ? { headers } : {}),
    ...(flag(args, 'cluster') !== undefined ? { cluster: flag(args, 'cluster')! } : {}),
  };
  const options = optionsFromFlags(args);
  const { service, displayByKey } = loadWorkspace(args.positionals, options);
  const display = (file: string) => displayByKey.get(file) ?? file;
  const result = simulateRequest(service.workspace, query, options);
  if (isSimulateError(result)) throw new UsageError(result.error);
  if (format === 'json') {
    const brief = (sources: SourceRef[]) => sources.map((source) => ({ file: display(source.file), line: source.line, rule: source.rule }));
    const output = {
      verdict: result.verdict,
      from: result.from,
      to: result.to,
      request: result.request,
      layers: result.layers.map((layer) => ({ layer: layer.layer, verdict: layer.verdict, reason: layer.reason, decidedBy: brief(layer.decidedBy) })),
      decidedBy: brief(result.decidedBy),
      ...(result.cluster ? { cluster: result.cluster } : {}),
    };
    io.stdout(`${JSON.stringify(output, null, 2)}\n`);
  } else {
    io.stdout(renderSimulation(result, 'text', display));
  }
  return 0;
}
