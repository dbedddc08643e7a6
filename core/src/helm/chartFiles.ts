/**
 * A chart whose files are at hand: a chart folder in the workspace that a
 * HelmRelease installs from a GitRepository or Bucket
 * (`spec.chart.spec.chart: ./charts/x`, relative to the source root, which is
 * the repository root and so an ancestor folder of the release). Its
 * `Chart.yaml`, `values.yaml` and `values.schema.json` are read at run time
 * through the workspace (confined to it), never copied into meshlens.
 *
 * Downloading a chart from a HelmRepository or OCI registry is the host's
 * business (setting `meshlens.charts.download`, off by default): the core
 * only defines `ChartFetcher`, which a host may implement and pass in through
 * `WorkspaceHost.chartFetcher`; the core itself does no network or file IO.
 * `chartFilesFor` is what rules, hover and completion use: the chart folder
 * in the workspace, else the fetcher's copy of a HelmRepository chart. Cilium
 * releases never ask the fetcher: they use the built-in value catalogs.
 *
 * Invariants: memoized per workspace generation (the host bumps it when a
 * download lands); never throws; an absent or unreadable file leaves its
 * field undefined.
 */

import { deref, mapGet, scalarString, type YamlNode } from '../parse/ast';
import { createParsedDocument } from '../parse/yamlFile';
import { toValue } from '../parse/toValue';
import { textUnknownUntilRender } from '../parse/unknownValue';
import { parentDirectory, type IndexedDocument, type WorkspaceModel } from '../workspace/model';
import { resolveChartSource } from '../flux/chartSource';
import { readText } from './workspaceFiles';
import { BoundedCache } from '../util/boundedCache';

export type { ChartFetcher, ChartFiles, ChartRequest } from '../workspace/chartHost';
import type { ChartFiles, ChartRequest } from '../workspace/chartHost';
import { containedError } from '../util/containedErrors';
import { lineContaining } from '../text/lineIndex';

const MAX_LEVELS_UP = 12;

/** The chart files of a release installed from a chart folder in the workspace. */
export function localChartFiles(workspace: WorkspaceModel, helmRelease: IndexedDocument): ChartFiles | undefined {
  return workspace.derive(`helm/local-chart:${helmRelease.file}#${helmRelease.index}`, () => {
    try {
      const source = resolveChartSource(workspace, helmRelease);
      if (source.sourceKind !== 'GitRepository' && source.sourceKind !== 'Bucket') return undefined;
      if (!source.chartPath || textUnknownUntilRender(source.chartPath)) return undefined;
      return findChartFolder(workspace, helmRelease.file, source.chartPath);
    } catch (error) {
      containedError('helm/local-chart', error);
      return undefined;
    }
  });
}

/** The chart files of a release: its chart folder in the workspace, else the host's download of it. */
export function chartFilesFor(workspace: WorkspaceModel, helmRelease: IndexedDocument): ChartFiles | undefined {
  return localChartFiles(workspace, helmRelease) ?? remoteChartFiles(workspace, helmRelease);
}

/**
 * The chart files of a release installed from a HelmRepository (or an OCI
 * source), as the host's fetcher has them; undefined without a fetcher, for
 * Cilium (catalogs instead) and while nothing is downloaded.
 */
export function remoteChartFiles(workspace: WorkspaceModel, helmRelease: IndexedDocument): ChartFiles | undefined {
  return workspace.derive(`helm/remote-chart:${helmRelease.file}#${helmRelease.index}`, () => {
    try {
      const fetcher = workspace.chartFetcher?.();
      if (!fetcher) return undefined;
      const request = remoteChartRequest(workspace, helmRelease);
      return request ? fetcher.chartFiles(request) : undefined;
    } catch (error) {
      containedError('helm/remote-chart', error);
      return undefined;
    }
  });
}

/** What the host says about a release's remote chart when it has no files for it (for hover); undefined when there is nothing to say. */
export function remoteChartStatus(workspace: WorkspaceModel, helmRelease: IndexedDocument): string | undefined {
  try {
    const fetcher = workspace.chartFetcher?.();
    if (!fetcher?.describe) return undefined;
    const request = remoteChartRequest(workspace, helmRelease);
    return request ? fetcher.describe(request) : undefined;
  } catch (error) {
    containedError('helm/remote-chart-status', error);
    return undefined;
  }
}

/** The repository request for a release whose chart comes from a HelmRepository, OCIRepository or HelmChart over one; not for Cilium. */
export function remoteChartRequest(workspace: WorkspaceModel, helmRelease: IndexedDocument): ChartRequest | undefined {
  const source = resolveChartSource(workspace, helmRelease);
  if (source.sourceKind !== 'HelmRepository' && source.sourceKind !== 'OCIRepository') return undefined;
  if (!source.url || !source.chartName || source.chartName === 'cilium') return undefined;
  // Placeholders are resolved by Flux in the cluster; we cannot know what they become.
  if (textUnknownUntilRender(`${source.url}${source.chartName}${source.versionSpec ?? ''}`)) return undefined;
  return { repositoryUrl: source.url, chart: source.chartName, ...(source.versionSpec ? { version: source.versionSpec } : {}) };
}

/**
 * Chart files from texts a host obtained (a downloaded archive): the same
 * shape as a workspace chart folder. `dir` names where they live for messages.
 */
export function chartFilesFromTexts(dir: string, texts: { chartYaml?: string; valuesYaml?: string; valuesSchemaJson?: string }): ChartFiles {
  const meta = texts.chartYaml !== undefined ? createParsedDocument(texts.chartYaml).root : undefined;
  const files: ChartFiles = { dir, name: scalarString(mapGet(meta, 'name')), version: scalarString(mapGet(meta, 'version')) };
  if (texts.valuesYaml !== undefined) files.valuesYaml = parseValuesYaml(`${dir}/values.yaml`, texts.valuesYaml);
  if (texts.valuesSchemaJson !== undefined) {
    const schema = parseSchema(texts.valuesSchemaJson);
    if (schema) files.schema = { path: `${dir}/values.schema.json`, schema };
  }
  return files;
}

function parseValuesYaml(path: string, text: string): NonNullable<ChartFiles['valuesYaml']> {
  const parsed = createParsedDocument(text);
  return { path, text, root: parsed.root, value: toValue(parsed.root).value };
}

function parseSchema(text: string): Record<string, unknown> | undefined {
  try {
    const schema = JSON.parse(text) as unknown;
    return schema && typeof schema === 'object' && !Array.isArray(schema) ? (schema as Record<string, unknown>) : undefined;
  } catch {
    // A broken schema is Helm's error to report; we just do not validate against it.
    return undefined;
  }
}

function findChartFolder(workspace: WorkspaceModel, fromFile: string, chartPath: string): ChartFiles | undefined {
  const relative = chartPath.replace(/^\.\//, '').replace(/\/+$/, '');
  let up = '';
  for (let level = 0; level <= MAX_LEVELS_UP; level++) {
    const chartYaml = readText(workspace, fromFile, `${up}${relative}/Chart.yaml`);
    if (chartYaml) return readChartFolder(workspace, fromFile, `${up}${relative}`, chartYaml);
    up += '../';
  }
  return undefined;
}

function readChartFolder(workspace: WorkspaceModel, fromFile: string, relativeDir: string, chartYaml: { text: string; path: string }): ChartFiles {
  const meta = createParsedDocument(chartYaml.text).root;
  const files: ChartFiles = {
    dir: parentDirectory(chartYaml.path),
    name: scalarString(mapGet(meta, 'name')),
    version: scalarString(mapGet(meta, 'version')),
  };
  const values = readText(workspace, fromFile, `${relativeDir}/values.yaml`);
  if (values) files.valuesYaml = parseValuesYaml(values.path, values.text);
  const schemaText = readText(workspace, fromFile, `${relativeDir}/values.schema.json`);
  const schema = schemaText ? parseSchema(schemaText.text) : undefined;
  if (schemaText && schema) files.schema = { path: schemaText.path, schema };
  return files;
}

// ---------------------------------------------------------------- values.yaml knowledge

export type ChartKeyStatus = 'known' | 'unknown' | 'free-form';

/** Is `path` a key of the chart's values.yaml? Maps without children (`{}`) and non-maps accept anything. */
export function chartKeyStatus(chart: ChartFiles, path: readonly string[]): ChartKeyStatus {
  let current = deref(chart.valuesYaml?.root);
  if (!current) return 'free-form';
  for (const segment of path) {
    if (current.type !== 'map' || current.pairs.length === 0) return 'free-form';
    const next: YamlNode | undefined = deref(mapGet(current, segment));
    if (!next) return 'unknown';
    current = next;
  }
  return 'known';
}

/** Child keys of a path in the chart's values.yaml. */
export function chartChildKeys(chart: ChartFiles, path: readonly string[]): string[] {
  let current = deref(chart.valuesYaml?.root);
  for (const segment of path) current = deref(mapGet(current, segment));
  if (!current || current.type !== 'map') return [];
  return current.pairs.flatMap((pair) => (pair.key.type === 'scalar' ? [pair.key.text] : []));
}

/** helm-docs comments by values text: keyed by whole values files, so bounded by bytes (text and comments), not only by count. */
const docCommentCache = new BoundedCache<string, Map<string, string>>({
  capacity: 32,
  maxBytes: 32 * 1024 * 1024,
  weigh: (text, comments) => {
    let bytes = text.length * 2;
    for (const [key, comment] of comments) bytes += (key.length + comment.length) * 2 + 32;
    return bytes;
  },
});

/**
 * helm-docs comments of a values.yaml: a `# -- text` comment (and the comment
 * lines continuing it) right above a key documents that key; `# path.to.key -- text`
 * anywhere documents the named key. Read from the user's chart at run time.
 */
export function chartDocComment(chart: ChartFiles, path: readonly string[]): string | undefined {
  const values = chart.valuesYaml;
  if (!values) return undefined;
  return docCommentCache.get(values.text, (text) => helmDocsComments(text, values.root)).get(path.join('.'));
}

function helmDocsComments(text: string, root: YamlNode | undefined): Map<string, string> {
  const result = new Map<string, string>();
  const lines = text.split('\n');
  const lineStarts: number[] = [];
  let offset = 0;
  for (const line of lines) {
    lineStarts.push(offset);
    offset += line.length + 1;
  }
  const lineOf = (position: number) => lineContaining(lineStarts, position);
  // Explicitly named keys.
  for (let index = 0; index < lines.length; index++) {
    const named = /^\s*#\s*([A-Za-z0-9_.-]+)\s+--\s?(.*)$/.exec(lines[index]);
    if (named) result.set(named[1], collect(lines, index, named[2]));
  }
  const visit = (node: YamlNode | undefined, path: string[], depth: number) => {
    const target = deref(node);
    if (!target || target.type !== 'map' || depth > 32) return;
    for (const pair of target.pairs) {
      if (pair.key.type !== 'scalar') continue;
      const childPath = [...path, pair.key.text];
      const keyLine = lineOf(pair.key.start);
      let start = keyLine - 1;
      while (start >= 0 && /^\s*#/.test(lines[start])) start--;
      for (let line = start + 1; line < keyLine; line++) {
        const doc = /^\s*#\s*--\s?(.*)$/.exec(lines[line]);
        if (doc && !result.has(childPath.join('.'))) {
          result.set(childPath.join('.'), collect(lines, line, doc[1], keyLine));
          break;
        }
      }
      visit(pair.value, childPath, depth + 1);
    }
  };
  visit(root, [], 0);
  return result;
}

function collect(lines: string[], first: number, head: string, stop = lines.length): string {
  const parts = [head.trim()];
  for (let line = first + 1; line < stop; line++) {
    const more = /^\s*#\s?(.*)$/.exec(lines[line]);
    if (!more || /^\s*@/.test(more[1]) || /^\s*--/.test(more[1])) break;
    parts.push(more[1].trim());
  }
  return parts.filter((part) => part !== '').join(' ');
}

/** Plain value of a chart's values.yaml at a path (its default). */
export function chartDefault(chart: ChartFiles, path: readonly string[]): unknown {
  let current: unknown = chart.valuesYaml?.value;
  for (const segment of path) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

