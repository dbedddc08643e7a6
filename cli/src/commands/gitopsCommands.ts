/**
 * `meshlens clusters [paths]` and `meshlens build <path> [--cluster NAME]`:
 * the repository as Flux deploys it, from the command line.
 *
 * - `clusters` lists each cluster with its roots, the Flux release it pins
 *   (and what pins it), and how many Flux Kustomizations and files it deploys;
 *   `--format json` prints the same as data.
 * - `build` prints the objects each cluster applies as its Flux builds them
 *   (kustomize overlays, components, patches, generators, Flux's overlay
 *   fields, post-build substitution): each object with a header naming the
 *   cluster, Flux Kustomization and the `file:line` of its source, and a
 *   `# from file:line` comment on every field written elsewhere; `--cluster`
 *   keeps one cluster; `--format json` prints the objects as data.
 *
 * Files are shown as the CLI was given them. Exit codes: 0 on success, 2 on
 * usage errors (unknown cluster).
 */

import { builtDocuments, clusterSummaries } from '../../../core/src/index';
import { checkKnownFlags, flag, UsageError, type ParsedArgs } from '../args';
import type { ExtraCommand } from '../cliContext';
import { loadWorkspace, optionsFromFlags, type CliIo } from '../cliContext';

const CLUSTERS_HELP = `Usage:
  meshlens clusters [paths...] [--format text|json]
      the clusters of a GitOps repository: roots (FluxInstance, bootstrap,
      root Kustomizations), the Flux release each pins, what each deploys
`;

const BUILD_HELP = `Usage:
  meshlens build <path> [--cluster NAME] [--format yaml|json]
      the objects each cluster applies, built as Flux builds them (overlays,
      components, patches, generators, substitution), with a "# from
      file:line" comment on every field written outside its source document
`;

export const GITOPS_COMMANDS: ExtraCommand[] = [
  {
    name: 'clusters',
    usage: 'clusters [paths]',
    summary: 'clusters, roots and Flux versions of a GitOps repository',
    run: (args, io) => (args.flags.has('help') ? help(io, CLUSTERS_HELP) : clustersCommand(args, io)),
  },
  {
    name: 'build',
    usage: 'build <path> [--cluster NAME]',
    summary: 'objects a cluster deploys, with the file:line that wrote each',
    run: (args, io) => (args.flags.has('help') ? help(io, BUILD_HELP) : buildCommand(args, io)),
  },
];

function help(io: CliIo, text: string): number {
  io.stdout(text);
  return 0;
}

function clustersCommand(args: ParsedArgs, io: CliIo): number {
  checkKnownFlags(args, ['format', 'help']);
  const format = flag(args, 'format') ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json, not "${format}"`);
  const { service, displayByKey } = loadWorkspace(args.positionals, optionsFromFlags(args));
  const display = (file: string) => displayByKey.get(file) ?? file;
  const summaries = clusterSummaries(service.workspace);
  if (format === 'json') {
    const shown = summaries.map((summary) => ({
      ...summary,
      roots: summary.roots.map((root) => ({ ...root, file: display(root.file), directory: displayFolder(root.directory, displayByKey) })),
      flux: summary.flux ? { ...summary.flux, file: display(summary.flux.file) } : undefined,
      unknown: summary.unknown,
    }));
    io.stdout(`${JSON.stringify(shown, null, 2)}\n`);
    return 0;
  }
  if (summaries.length === 0) {
    io.stdout('no clusters: no Flux roots and no kustomization folders in the given paths\n');
    return 0;
  }
  const lines: string[] = [];
  for (const summary of summaries) {
    const flux = summary.flux ? `Flux ${summary.flux.version} (${summary.flux.source}, ${display(summary.flux.file)})` : 'Flux version not pinned in the repository';
    lines.push(`${summary.name}: ${summary.kustomizations} Flux Kustomizations, ${summary.files} files; ${flux}`);
    for (const root of summary.roots) lines.push(`  root ${root.kind}: ${display(root.file)} → ${displayFolder(root.directory, displayByKey)}`);
    if (summary.flux?.operatorChart) lines.push(`  flux-operator chart ${summary.flux.operatorChart}`);
    for (const source of summary.sources) lines.push(`  creates ${source.kind} ${source.namespace}/${source.name}`);
    if (summary.unknown.length > 0) lines.push(`  not followed offline: ${summary.unknown.length} (${summary.unknown.slice(0, 3).join('; ')}${summary.unknown.length > 3 ? '; …' : ''})`);
  }
  io.stdout(`${lines.join('\n')}\n`);
  return 0;
}

function buildCommand(args: ParsedArgs, io: CliIo): number {
  checkKnownFlags(args, ['cluster', 'format', 'help']);
  if (args.positionals.length === 0) throw new UsageError('build needs a path (the repository or a folder of it)');
  const format = flag(args, 'format') ?? 'yaml';
  if (format !== 'yaml' && format !== 'json') throw new UsageError(`--format must be yaml or json, not "${format}"`);
  const clusterName = flag(args, 'cluster');
  const { service, displayByKey } = loadWorkspace(args.positionals, optionsFromFlags(args));
  const display = (file: string) => displayByKey.get(file) ?? file;
  const names = clusterSummaries(service.workspace).map((summary) => summary.name);
  if (clusterName !== undefined && !names.includes(clusterName)) {
    throw new UsageError(`unknown cluster "${clusterName}"; clusters: ${names.join(', ') || '(none)'}`);
  }
  const documents = builtDocuments(service.workspace, clusterName);
  const shownFile = (text: string) => text.replace(/# from (\S+?):(\d+)/g, (_, file: string, line: string) => `# from ${display(file)}:${line}`);
  if (format === 'json') {
    const shown = documents.map(({ text: _text, ...document }) => ({ ...document, file: display(document.file) }));
    io.stdout(`${JSON.stringify(shown, null, 2)}\n`);
    return 0;
  }
  const out: string[] = [];
  for (const document of documents) {
    out.push('---');
    out.push(`# from ${display(document.file)}:${document.line}`);
    out.push(`# cluster ${document.cluster}${document.namespace ? `, namespace ${document.namespace}` : ''}${document.kustomization ? `, via Flux Kustomization ${document.kustomization}` : ''}${document.incomplete ? ' (build incomplete: some inputs are not known offline)' : ''}`);
    out.push(shownFile(document.text));
  }
  io.stdout(out.length > 0 ? `${out.join('\n')}\n` : '# no objects\n');
  return 0;
}

function displayFolder(directory: string, displayByKey: ReadonlyMap<string, string>): string {
  for (const [key, shown] of displayByKey) {
    if (key.startsWith(`${directory}/`)) {
      const rest = key.slice(directory.length);
      return shown.endsWith(rest) ? shown.slice(0, shown.length - rest.length) || '.' : directory;
    }
  }
  return directory;
}
