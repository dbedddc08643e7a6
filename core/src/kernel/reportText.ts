/**
 * The kernel reports as people read them, rendered once for every host:
 * - `renderKernelMatrix`: one Cilium version's matrix (`meshlens kernel --cilium`), text;
 * - `renderKernelReport(report, 'text')`: the verdicts of a workspace's Cilium releases and
 *   NodeProfiles as the CLI prints them (`meshlens kernel [paths]`);
 * - `renderKernelReport(report, 'markdown')`: the same verdicts for the editor's kernel report
 *   view: per release, the node pools with their base-requirement verdict, every feature the
 *   values turn on (values keys, minimum kernel, status on each pool), then the failures the
 *   kernel causes apart from those a dependency the values turn off causes on any kernel.
 *   The HelmRelease and each NodeProfile appear as `` `file:line` `` references, which the
 *   client turns into links.
 *
 * `withDisplayPaths` maps file names for display; `releaseKernelReport` narrows a report to one release.
 *
 * Invariants: pure string building over the plain report (file names are shown as the report
 * carries them: the host maps them to display paths first); the text rendering is what the CLI
 * has always printed, byte for byte; never throws.
 */

import type { KernelMatrixModel, ReleaseKernelReport, WorkspaceKernelReport } from './matrixModel';

export type KernelReportFormat = 'text' | 'markdown';

const STATUS_TEXT: Record<string, string> = { ok: 'ok', fails: 'FAILS', 'falls-back': 'falls back', unknown: '?', unsupported: 'unsupported' };

/** One Cilium version's kernel-feature matrix as a text table (with a kernel or probe: the status on it). */
export function renderKernelMatrix(model: KernelMatrixModel): string {
  const lines: string[] = [];
  const judged = model.kernel?.description ?? (model.probe ? 'the bpftool probe' : undefined);
  lines.push(`Cilium ${model.cilium} kernel-feature matrix${judged ? `, judged for ${judged}${model.kernel && model.probe ? ' with its bpftool probe' : ''}` : ''}`);
  if (model.base) {
    lines.push(`Base: ${model.base.requirement}${model.base.status ? ` → ${STATUS_TEXT[model.base.status] ?? model.base.status}` : ''}`);
    if (model.base.problems?.length) lines.push(`  ${model.base.problems.join('; ')}`);
  }
  lines.push('');
  const showValues = model.rows.some((row) => row.enabled !== undefined);
  const header = ['feature', 'min kernel', 'below min', ...(judged ? ['status'] : []), ...(showValues ? ['on'] : []), 'enabled by'];
  const rows = model.rows.map((row) => [
    `${row.title}${row.minor ? ' (minor)' : ''}`,
    row.minKernel ? `${row.minKernel}${row.docsMinKernel ? ` (docs ${row.docsMinKernel})` : ''}` : row.requirement.startsWith('nothing') ? 'base' : 'config',
    row.belowMin === 'fail' ? 'fails' : row.belowMin === 'fallback' ? 'falls back' : row.belowMin ?? '-',
    ...(judged ? [row.status ? STATUS_TEXT[row.status] ?? row.status : '-'] : []),
    ...(showValues ? [row.enabled ? 'yes' : 'no'] : []),
    row.enabledBy.join(' | '),
  ]);
  const widths = header.map((title, column) => Math.min(48, Math.max(title.length, ...rows.map((row) => row[column]!.length))));
  const render = (cells: string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column]!)))
      .join('  ')
      .trimEnd();
  lines.push(render(header), ...rows.map(render));
  const explained = model.rows.filter((row) => (row.status === 'fails' || row.status === 'falls-back') && row.has);
  if (explained.length > 0) {
    lines.push('');
    for (const row of explained) lines.push(`${row.title}: needs ${row.requirement}; has ${row.has}${failingLinks(row.chain)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The report with every file name as `display` shows it (releases, their pools' NodeProfiles, the profiles). */
export function withDisplayPaths(report: WorkspaceKernelReport, display: (file: string) => string): WorkspaceKernelReport {
  return {
    releases: report.releases.map((release) => ({ ...release, file: display(release.file), pools: release.pools.map((pool) => (pool.profile ? { ...pool, profile: { ...pool.profile, file: display(pool.profile.file) } } : pool)) })),
    profiles: report.profiles.map((profile) => (profile.profile ? { ...profile, profile: { ...profile.profile, file: display(profile.profile.file) } } : profile)),
  };
}

/** The part of a report about one HelmRelease (file key and document index) and the NodeProfiles its pools come from; undefined when no such release. */
export function releaseKernelReport(report: WorkspaceKernelReport, file: string, document: number): WorkspaceKernelReport | undefined {
  const release = report.releases.find((entry) => entry.file === file && entry.document === document);
  if (!release) return undefined;
  const used = new Set(release.pools.flatMap((pool) => (pool.profile ? [`${pool.profile.file}#${pool.profile.document}`] : [])));
  return { releases: [release], profiles: report.profiles.filter((profile) => profile.profile && used.has(`${profile.profile.file}#${profile.profile.document}`)) };
}

/**
 * The workspace's (or one release's) kernel verdicts, as CLI text or as the editor view's Markdown.
 * `scope` (Markdown only): 'release' titles the view after its one release and lists its NodeProfiles
 * in the pool table only; 'workspace' lists every NodeProfile first and each release under a heading.
 * Default: 'release' when the report holds exactly one release.
 */
export function renderKernelReport(report: WorkspaceKernelReport, format: KernelReportFormat, scope?: 'release' | 'workspace'): string {
  if (format === 'text') return textReport(report);
  return markdownReport(report, scope ?? (report.releases.length === 1 ? 'release' : 'workspace'));
}

function textReport(report: WorkspaceKernelReport): string {
  const lines: string[] = [];
  if (report.profiles.length === 0) lines.push('NodeProfiles: none');
  for (const profile of report.profiles) {
    lines.push(`NodeProfile ${profile.name} (${profile.profile?.file ?? '?'}): kernel ${profile.kernelDescription ?? profile.kernel ?? 'unknown'}${profile.probe ? ', bpftool probe' : ''}`);
    for (const problem of profile.problems) lines.push(`  problem: ${problem}`);
  }
  if (report.releases.length === 0) lines.push('', 'Cilium HelmReleases: none');
  for (const release of report.releases) {
    lines.push('', `HelmRelease ${releaseName(release)} (${release.file}): ${release.summary}`);
    if (release.poolsFrom === 'none') lines.push('  no NodeProfile above this file and no --kernel: nothing is judged');
    for (const base of release.base) {
      if (base.status !== 'ok') lines.push(`  base on pool ${base.pool}: ${STATUS_TEXT[base.status] ?? base.status} (${base.has})${base.problems.length ? `: ${base.problems.join('; ')}` : ''}`);
    }
    for (const feature of release.features) {
      const verdicts = feature.pools.map((pool) => `${pool.pool} ${STATUS_TEXT[pool.status] ?? pool.status}`).join(', ');
      lines.push(`  ${feature.title}${feature.enabledKeys.length ? ` [${feature.enabledKeys.join(', ')}]` : feature.auto ? ' [automatic]' : ' [default]'}: ${verdicts || 'no pool'}`);
      for (const pool of feature.pools) {
        if (pool.status === 'fails' || pool.status === 'falls-back') {
          lines.push(`    ${pool.pool}: needs ${pool.requirement}; has ${pool.has}${failingLinks(pool.chain)}`);
        }
      }
    }
  }
  return `${lines.join('\n').replace(/^\n/, '')}\n`;
}

/** The dependency links that explain a failure (a working dependency adds nothing here). */
function failingLinks(chain: readonly string[] | undefined): string {
  const links = (chain ?? []).filter((link) => link.includes(', which '));
  return links.length > 0 ? ` (${links.join('; ')})` : '';
}

function releaseName(release: ReleaseKernelReport): string {
  return `${release.namespace ? `${release.namespace}/` : ''}${release.name ?? '?'}`;
}

type FeatureReport = ReleaseKernelReport['features'][number];
type FeaturePoolVerdict = FeatureReport['pools'][number];

const STATUS_WORDS: Record<string, string> = { ok: 'ok', fails: 'fails', 'falls-back': 'falls back', unknown: 'unknown', unsupported: 'below the documented minimum' };
const DECIDES_WORDS: Record<string, string> = { kernel: 'kernel', 'config dependency': 'config', both: 'kernel + config' };

function markdownReport(report: WorkspaceKernelReport, scope: 'release' | 'workspace'): string {
  const lines: string[] = [];
  const single = scope === 'release' && report.releases.length === 1 ? report.releases[0] : undefined;
  lines.push(single ? `# Kernel report: HelmRelease ${releaseName(single)}` : '# Kernel report', '');
  lines.push(
    'What the node kernels make of each Cilium HelmRelease: the base requirement of its version and every feature its values turn on. ' +
      '"Kernel too old" lists what a pool\'s kernel cannot run; "config dependency" lists what fails on any kernel because the values turn a dependency off.',
  );
  if (!single) {
    lines.push('', '## NodeProfiles', '');
    if (report.profiles.length === 0) lines.push('None in the workspace: a release is judged only with the `meshlens.kernel.version` setting.');
    for (const profile of report.profiles) {
      lines.push(`- **${cell(profile.name)}**: kernel ${profile.kernelDescription ?? profile.kernel ?? 'unknown'}${profile.probe ? ', bpftool probe' : ''}${profile.profile ? ` — \`${profile.profile.file}:${profile.profile.line}\`` : ''}`);
      for (const problem of profile.problems) lines.push(`  - problem: ${problem}`);
    }
  }
  if (report.releases.length === 0) lines.push('', 'No Cilium HelmRelease in the workspace.');
  for (const release of report.releases) markdownRelease(release, lines, single ? '##' : '###', !single);
  return `${lines.join('\n')}\n`;
}

function markdownRelease(release: ReleaseKernelReport, lines: string[], heading: string, withTitle: boolean): void {
  if (withTitle) lines.push('', `## HelmRelease ${releaseName(release)}`);
  lines.push('', `HelmRelease ${releaseName(release)} — \`${release.file}:${release.line}\``, '', release.summary);
  if (!release.minor) return;

  lines.push('', `${heading} Node pools`, '');
  if (release.baseRequirement) lines.push(`Base requirement: ${release.baseRequirement}.`, '');
  if (release.pools.length === 0) {
    lines.push('No NodeProfile above this file and no `meshlens.kernel.version` setting: nothing is judged.');
  } else {
    lines.push('| pool | kernel | from | base requirement |', '| --- | --- | --- | --- |');
    for (const pool of release.pools) {
      const base = release.base.find((entry) => entry.pool === pool.name);
      const from = pool.profile ? `NodeProfile \`${pool.profile.file}:${pool.profile.line}\`` : 'the `meshlens.kernel.version` setting';
      const verdict = base ? `${STATUS_WORDS[base.status] ?? base.status}${base.problems.length ? `: ${base.problems.join('; ')}` : ''}` : 'unknown';
      lines.push(`| ${cell(pool.name)} | ${cell(pool.kernelDescription ?? pool.kernel ?? 'unknown')}${pool.probe ? ' (bpftool probe)' : ''} | ${from} | ${cell(verdict)} |`);
    }
  }

  lines.push('', `${heading} Features the values turn on`, '');
  if (release.features.length === 0) lines.push('None beyond the base requirement.');
  else {
    const pools = release.pools.map((pool) => pool.name);
    lines.push(tableRow(['feature', 'values keys', 'min kernel', ...pools.map(cell)]), tableRow(['feature', 'values keys', 'min kernel', ...pools].map(() => '---')));
    for (const feature of release.features) {
      const statuses = pools.map((pool) => {
        const verdict = feature.pools.find((entry) => entry.pool === pool);
        return verdict ? statusCell(verdict) : 'unknown';
      });
      lines.push(tableRow([`${cell(feature.title)}${feature.minor ? ' (minor)' : ''}`, valuesKeys(feature), minKernel(feature), ...statuses]));
    }
  }

  const byKernel = failures(release, (verdict) => verdict.decides !== 'config dependency');
  const byConfig = failures(release, (verdict) => verdict.decides !== 'kernel');
  lines.push('', `${heading} Kernel too old`, '');
  if (byKernel.length === 0) lines.push(release.pools.length === 0 ? 'Nothing is judged without a pool.' : 'Every pool\'s kernel runs every feature the values turn on (or nothing decides).');
  for (const { feature, verdicts } of byKernel) {
    for (const verdict of verdicts) {
      const also = verdict.decides === 'both' ? ' (a dependency the values turn off also stops it: see below)' : '';
      lines.push(`- **${cell(feature.title)}** ${STATUS_WORDS[verdict.status]} on pool ${verdict.pool}: needs ${verdict.requirement}; has ${verdict.has}${also}`);
    }
  }
  lines.push('', `${heading} A dependency the values turn off (config dependency, any kernel)`, '');
  if (byConfig.length === 0) lines.push('No feature the values turn on lacks a dependency they turn off.');
  for (const { feature, verdicts } of byConfig) {
    const status = verdicts.every((verdict) => verdict.status === verdicts[0]!.status) ? STATUS_WORDS[verdicts[0]!.status] : 'fails or falls back';
    const missing = [...new Set(verdicts.flatMap((verdict) => verdict.configMissing))];
    const links = [...new Set(verdicts.flatMap((verdict) => verdict.chain.filter((link) => link.includes(', which '))))];
    const why = links.length > 0 ? links.join('; ') : missing.length > 0 ? `the values do not turn on ${missing.join(', ')}` : 'a dependency is off';
    lines.push(`- **${cell(feature.title)}** ${status} on ${verdicts.map((verdict) => verdict.pool).join(', ')}: ${why}${missing.length > 0 && links.length > 0 ? ` (turn on: ${missing.join(', ')})` : ''}`);
  }
}

/** Features with the pools where they fail or fall back for the reason `decided` accepts. */
function failures(release: ReleaseKernelReport, decided: (verdict: FeaturePoolVerdict) => boolean): { feature: FeatureReport; verdicts: FeaturePoolVerdict[] }[] {
  return release.features
    .map((feature) => ({ feature, verdicts: feature.pools.filter((verdict) => (verdict.status === 'fails' || verdict.status === 'falls-back') && decided(verdict)) }))
    .filter((entry) => entry.verdicts.length > 0);
}

function statusCell(verdict: FeaturePoolVerdict): string {
  const words = STATUS_WORDS[verdict.status] ?? verdict.status;
  return verdict.status === 'fails' || verdict.status === 'falls-back' ? `${words} (${DECIDES_WORDS[verdict.decides] ?? verdict.decides})` : words;
}

function valuesKeys(feature: FeatureReport): string {
  if (feature.enabledKeys.length > 0) return feature.enabledKeys.map((key) => `\`${key}\``).join(', ');
  return feature.auto ? 'automatic' : 'default';
}

function minKernel(feature: FeatureReport): string {
  if (feature.minKernel) return `${feature.minKernel}${feature.docsMinKernel ? ` (docs ${feature.docsMinKernel})` : ''}`;
  return feature.requirement.startsWith('nothing') ? 'base' : cell(feature.requirement);
}

/** A Markdown table row of cells already made safe. */
function tableRow(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`;
}

/** Text safe inside a Markdown table cell. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
