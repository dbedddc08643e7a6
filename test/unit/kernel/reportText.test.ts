// The kernel report rendered by the core: the CLI's text and the editor view's Markdown (sections, links, lines).
import { describe, expect, it } from 'vitest';
import { releaseKernelReport, renderKernelReport, withDisplayPaths, workspaceKernelReport, type WorkspaceKernelReport } from '../../../core/src/index';
import { Workspace } from '../../../core/src/workspace/workspace';

const PROFILES =
  '# node pools of prod\n' +
  'apiVersion: meshlens.dev/v1alpha1\nkind: NodeProfile\nmetadata: {name: general}\nspec: {kernel: 6.8.0-45-generic}\n' +
  '---\n' +
  'apiVersion: meshlens.dev/v1alpha1\nkind: NodeProfile\nmetadata: {name: legacy}\nspec: {kernel: 5.4.0-91-generic}\n';

function release(values: string, version = '1.16.5', name = 'cilium'): string {
  return `apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: ${name}, namespace: kube-system}\nspec:\n  chart:\n    spec: {chart: cilium, version: ${version}, sourceRef: {kind: HelmRepository, name: cilium}}\n  values:\n${values}`;
}

// BBR needs eBPF host routing, which needs kube-proxy replacement: with masquerading and BBR alone, BPF masquerading and
// BBR lack a dependency the values turn off on every pool, and BBR is also too new for legacy's 5.4.
const MIXED_VALUES = '    bpf: {masquerade: true}\n    bandwidthManager: {enabled: true, bbr: true}\n';
// kube-proxy replacement with BPF masquerading: host routing works, so BBR only needs a newer kernel.
const KERNEL_ONLY_VALUES = '    kubeProxyReplacement: true\n    bpf: {masquerade: true}\n    bandwidthManager: {enabled: true, bbr: true}\n';

function report(files: Record<string, string>, options: { kernelVersion?: string } = {}): WorkspaceKernelReport {
  const workspace = new Workspace({}, ['/repo']);
  for (const [path, text] of Object.entries(files)) workspace.setFile(`/repo/${path}`, text);
  return withDisplayPaths(workspaceKernelReport(workspace, options), (file) => file.replace(/^\/repo\//, ''));
}

/** The lines of one `## …`/`### …` section of the Markdown (up to the next heading of any level). */
function section(markdown: string, title: string): string[] {
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => /^#+ /.test(line) && line.replace(/^#+ /, '') === title);
  if (start === -1) throw new Error(`no section "${title}" in:\n${markdown}`);
  const end = lines.findIndex((line, index) => index > start && /^#+ /.test(line));
  return lines.slice(start + 1, end === -1 ? undefined : end).filter((line) => line.trim() !== '');
}

const KERNEL = 'Kernel too old';
const CONFIG = 'A dependency the values turn off (config dependency, any kernel)';

describe('renderKernelReport markdown: one release', () => {
  const cases: { name: string; values: string; kernel: RegExp[]; notKernel: RegExp[]; config: RegExp[]; notConfig: RegExp[]; table: RegExp[] }[] = [
    {
      name: 'a pool failing on its kernel and every pool lacking a dependency the values turn off',
      values: MIXED_VALUES,
      kernel: [/^- \*\*BBR congestion control for pods\*\* fails on pool legacy: needs kernel ≥ 5\.18.*has 5\.4\.0-91-generic.*also stops it/],
      notKernel: [/BPF masquerading/, /on pool general/],
      config: [/^- \*\*BPF masquerading\*\* fails on general, legacy: .*BPF NodePort.*which these values do not turn on/, /^- \*\*BBR congestion control for pods\*\* fails on general, legacy: .*eBPF host routing/],
      notConfig: [/Bandwidth Manager/],
      table: [/^\| BBR congestion control for pods \| `bandwidthManager\.bbr` \| 5\.18 \| fails \(config\) \| fails \(kernel \+ config\) \|$/, /^\| Bandwidth Manager \| `bandwidthManager\.enabled` \| 5\.1 \| ok \| ok \|$/],
    },
    {
      name: 'only the kernel deciding',
      values: KERNEL_ONLY_VALUES,
      kernel: [/^- \*\*BBR congestion control for pods\*\* fails on pool legacy: needs kernel ≥ 5\.18/],
      notKernel: [/also stops it/, /on pool general/],
      config: [/^No feature the values turn on lacks a dependency they turn off\.$/],
      notConfig: [/BBR/],
      table: [/^\| BBR congestion control for pods \| `bandwidthManager\.bbr` \| 5\.18 \| ok \| fails \(kernel\) \|$/],
    },
  ];

  for (const testCase of cases) {
    it(`keeps kernel and config dependency apart: ${testCase.name}`, () => {
      const full = report({ 'clusters/prod/pools.yaml': PROFILES, 'clusters/prod/cilium.yaml': release(testCase.values) });
      const narrowed = releaseKernelReport(full, 'clusters/prod/cilium.yaml', 0)!;
      const markdown = renderKernelReport(narrowed, 'markdown');
      expect(markdown.split('\n')[0]).toBe('# Kernel report: HelmRelease kube-system/cilium');
      const kernel = section(markdown, KERNEL);
      const config = section(markdown, CONFIG);
      for (const pattern of testCase.kernel) expect(kernel.some((line) => pattern.test(line)), `${pattern} in ${KERNEL}:\n${kernel.join('\n')}`).toBe(true);
      for (const pattern of testCase.notKernel) expect(kernel.some((line) => pattern.test(line)), `${pattern} not in ${KERNEL}`).toBe(false);
      for (const pattern of testCase.config) expect(config.some((line) => pattern.test(line)), `${pattern} in ${CONFIG}:\n${config.join('\n')}`).toBe(true);
      for (const pattern of testCase.notConfig) expect(config.some((line) => pattern.test(line)), `${pattern} not in ${CONFIG}`).toBe(false);
      const features = section(markdown, 'Features the values turn on');
      expect(features[0]).toBe('| feature | values keys | min kernel | general | legacy |');
      for (const pattern of testCase.table) expect(features.some((line) => pattern.test(line)), `${pattern} in:\n${features.join('\n')}`).toBe(true);
    });
  }

  it('links the release and each NodeProfile at the line its YAML starts', () => {
    const full = report({ 'clusters/prod/pools.yaml': PROFILES, 'clusters/prod/cilium.yaml': `# the CNI\n\n${release(MIXED_VALUES)}` });
    const markdown = renderKernelReport(releaseKernelReport(full, 'clusters/prod/cilium.yaml', 0)!, 'markdown');
    expect(markdown).toContain('HelmRelease kube-system/cilium — `clusters/prod/cilium.yaml:3`');
    expect(section(markdown, 'Node pools')).toEqual([
      'Base requirement: Cilium 1.16: kernel ≥ 5.4 or RHEL 8.6 (4.18.0-372); agent refuses below 5.2; agent probes have_large_insn_limit.',
      '| pool | kernel | from | base requirement |',
      '| --- | --- | --- | --- |',
      '| general | 6.8.0-45-generic (Ubuntu) | NodeProfile `clusters/prod/pools.yaml:2` | ok |',
      '| legacy | 5.4.0-91-generic (Ubuntu) | NodeProfile `clusters/prod/pools.yaml:7` | ok |',
    ]);
    // The plain report carries the same lines.
    expect(full.releases[0]).toMatchObject({ line: 3 });
    expect(full.profiles.map((profile) => profile.profile?.line)).toEqual([2, 7]);
  });

  it('says nothing is judged without a pool, and still lists what the values turn on', () => {
    const markdown = renderKernelReport(report({ 'cilium.yaml': release(MIXED_VALUES) }), 'markdown');
    expect(section(markdown, 'Node pools')).toContain('No NodeProfile above this file and no `meshlens.kernel.version` setting: nothing is judged.');
    expect(section(markdown, 'Features the values turn on')).toContain('| BBR congestion control for pods | `bandwidthManager.bbr` | 5.18 |');
    expect(section(markdown, KERNEL)).toEqual(['Nothing is judged without a pool.']);
  });

  it('names the setting as the pool when no NodeProfile covers the release', () => {
    const markdown = renderKernelReport(report({ 'cilium.yaml': release(MIXED_VALUES) }, { kernelVersion: '5.4.0-91-generic' }), 'markdown');
    expect(section(markdown, 'Node pools')).toContain('| setting | 5.4.0-91-generic (Ubuntu) | the `meshlens.kernel.version` setting | ok |');
  });

  it('stops after the summary for a version outside the matrix', () => {
    const markdown = renderKernelReport(report({ 'cilium.yaml': release(MIXED_VALUES, '1.9.0') }), 'markdown');
    expect(markdown).toContain('Cilium 1.9.0 is outside the kernel matrix');
    expect(markdown).not.toContain('## Node pools');
  });
});

describe('renderKernelReport markdown: the workspace', () => {
  it('lists the NodeProfiles with links, then each release under its own heading', () => {
    const markdown = renderKernelReport(
      report({ 'clusters/prod/pools.yaml': PROFILES, 'clusters/prod/cilium.yaml': release(MIXED_VALUES), 'clusters/prod/cilium-b.yaml': release(KERNEL_ONLY_VALUES, '1.17.3', 'cilium-b') }),
      'markdown',
    );
    expect(markdown.split('\n')[0]).toBe('# Kernel report');
    expect(section(markdown, 'NodeProfiles')).toEqual([
      '- **general**: kernel 6.8.0-45-generic (Ubuntu) — `clusters/prod/pools.yaml:2`',
      '- **legacy**: kernel 5.4.0-91-generic (Ubuntu) — `clusters/prod/pools.yaml:7`',
    ]);
    expect(markdown.match(/^## HelmRelease .*$/gm)).toEqual(['## HelmRelease kube-system/cilium', '## HelmRelease kube-system/cilium-b']);
    expect(markdown.match(/^### Kernel too old$/gm)).toHaveLength(2);
  });

  it('keeps the workspace layout for a workspace with one release when asked', () => {
    const markdown = renderKernelReport(report({ 'pools.yaml': PROFILES, 'cilium.yaml': release(MIXED_VALUES) }), 'markdown', 'workspace');
    expect(markdown.split('\n')[0]).toBe('# Kernel report');
    expect(section(markdown, 'NodeProfiles')).toHaveLength(2);
    expect(markdown).toContain('## HelmRelease kube-system/cilium\n');
    expect(markdown).toContain('### Node pools');
  });

  it('says when there is nothing to report', () => {
    const markdown = renderKernelReport(report({}), 'markdown');
    expect(markdown).toContain('None in the workspace');
    expect(markdown).toContain('No Cilium HelmRelease in the workspace.');
  });

  it('escapes table cells', () => {
    const base = report({ 'pools.yaml': PROFILES.replace('name: general', 'name: "gen|eral"'), 'cilium.yaml': release(MIXED_VALUES) });
    expect(renderKernelReport(base, 'markdown')).toContain('| gen\\|eral | 6.8.0-45-generic (Ubuntu) |');
  });
});

describe('renderKernelReport text (the CLI)', () => {
  it('prints profiles, then each release with its per-pool verdicts and the failing dependency links', () => {
    const text = renderKernelReport(report({ 'clusters/prod/pools.yaml': PROFILES, 'clusters/prod/cilium.yaml': release(MIXED_VALUES) }), 'text');
    const lines = text.split('\n');
    expect(lines.slice(0, 3)).toEqual(['NodeProfile general (clusters/prod/pools.yaml): kernel 6.8.0-45-generic (Ubuntu)', 'NodeProfile legacy (clusters/prod/pools.yaml): kernel 5.4.0-91-generic (Ubuntu)', '']);
    expect(lines[3]).toMatch(/^HelmRelease kube-system\/cilium \(clusters\/prod\/cilium\.yaml\): Cilium 1\.16\.5 needs kernel ≥ /);
    expect(lines).toContain('  BBR congestion control for pods [bandwidthManager.bbr]: general FAILS, legacy FAILS');
    expect(lines).toContain('    legacy: needs kernel ≥ 5.18; sched_cls helpers bpf_skb_set_tstamp; has 5.4.0-91-generic (Ubuntu) (BBR congestion control for pods needs eBPF host routing, which these values do not turn on)');
    expect(text.endsWith('\n')).toBe(true);
  });

  it('says none for an empty workspace', () => {
    expect(renderKernelReport(report({}), 'text')).toBe('NodeProfiles: none\n\nCilium HelmReleases: none\n');
  });
});

describe('releaseKernelReport', () => {
  it('keeps one release and the NodeProfiles its pools come from; undefined for an unknown release', () => {
    const full = report({ 'a/pools.yaml': PROFILES, 'a/cilium.yaml': release(MIXED_VALUES), 'b/pools.yaml': PROFILES.replace(/general/g, 'other').replace(/legacy/g, 'older'), 'b/cilium.yaml': release(MIXED_VALUES) });
    expect(full.profiles).toHaveLength(4);
    const narrowed = releaseKernelReport(full, 'b/cilium.yaml', 0)!;
    expect(narrowed.releases.map((entry) => entry.file)).toEqual(['b/cilium.yaml']);
    expect(narrowed.profiles.map((profile) => profile.name)).toEqual(['other', 'older']);
    expect(releaseKernelReport(full, 'b/cilium.yaml', 1)).toBeUndefined();
  });
});
