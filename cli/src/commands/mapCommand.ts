/**
 * `meshlens map [paths] [--namespace NS] [--cluster C] [--format svg|json|mermaid]`:
 * the connectivity map of a namespace or a cluster (workloads and entities,
 * allowed flows with ports and L7 matches) written to stdout, as an SVG
 * picture (default), the JSON model, or a Mermaid flowchart.
 *
 * Files are shown as the CLI was given them (relative stays relative), so the
 * output of a relative path holds no machine path. Exit codes: 0 when the map
 * was drawn; 2 on usage errors (unknown cluster, namespace without workloads).
 */

import { connectivityMap, isConnectivityError, renderConnectivityMermaid, renderConnectivitySvg, type ConnectivityQuery } from '../../../core/src/index';
import { checkKnownFlags, flag, UsageError, type ParsedArgs } from '../args';
import { loadWorkspace, optionsFromFlags, type CliIo, type ExtraCommand } from '../cliContext';

const MAP_HELP = `Usage:
  meshlens map [paths...] [--namespace NS] [--cluster NAME] [--format svg|json|mermaid]
      the connectivity map: workloads and entities (world, host, kube-apiserver, CIDRs,
      FQDNs) as nodes, allowed flows as edges labelled with ports and L7 matches;
      default-deny, Istio ambient/sidecar and waypoints marked; policies not in force
      left out and listed. Written to stdout (svg by default).
  --namespace NS   the workloads of one namespace (their peers elsewhere are drawn too)
  --cluster NAME   the workloads and policies that cluster deploys (see meshlens clusters)
  Options: --cilium-version X.Y  --istio-root-namespace NS (default: istio-system)
`;

const FORMATS = ['svg', 'json', 'mermaid'] as const;

export const MAP_COMMAND: ExtraCommand = {
  name: 'map',
  usage: 'map [paths] [--namespace NS] [--cluster C]',
  summary: 'connectivity map of a namespace or cluster (SVG, JSON, Mermaid)',
  run: (args, io) => (args.flags.has('help') ? (io.stdout(MAP_HELP), 0) : mapCommand(args, io)),
};

function mapCommand(args: ParsedArgs, io: CliIo): number {
  checkKnownFlags(args, ['format', 'namespace', 'cluster', 'cilium-version', 'istio-root-namespace', 'help']);
  const format = flag(args, 'format') ?? 'svg';
  if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be svg, json or mermaid, not "${format}"`);
  const query: ConnectivityQuery = {};
  const namespace = flag(args, 'namespace');
  const cluster = flag(args, 'cluster');
  if (namespace !== undefined) {
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(namespace)) throw new UsageError(`--namespace expects a Kubernetes namespace name, got "${namespace}"`);
    query.namespace = namespace;
  }
  if (cluster !== undefined) {
    if (cluster.trim() === '') throw new UsageError('--cluster expects a cluster name');
    query.cluster = cluster;
  }
  const options = optionsFromFlags(args);
  const { service, displayByKey } = loadWorkspace(args.positionals, options);
  const display = (file: string) => displayByKey.get(file) ?? file;
  const map = connectivityMap(service.workspace, query, options);
  if (isConnectivityError(map)) throw new UsageError(map.error);
  if (format === 'json') {
    io.stdout(`${JSON.stringify(map, (key, value) => (key === 'file' && typeof value === 'string' ? display(value) : value), 2)}\n`);
  } else if (format === 'mermaid') {
    io.stdout(renderConnectivityMermaid(map));
  } else {
    io.stdout(renderConnectivitySvg(map, { display }));
  }
  return 0;
}
