/**
 * Hover and completion for Helm values: keys under a HelmRelease's
 * `spec.values` (also in a kustomize patch file or a Flux Kustomization's
 * inline patch of a Cilium release), inside a ConfigMap values block (`data: values.yaml: |`) and
 * in a generated values file (`configMapGenerator`) that feeds a release
 * through `valuesFrom`, answered from the Cilium value catalog of the
 * release's resolved chart version, or from the chart folder in the
 * workspace (else the host's download) for any other chart.
 *
 * Invariants: no IO beyond the workspace model (chart files are read through
 * it and memoized); results are capped; nothing throws. Completion items of a
 * values block carry the block's indentation (the server sends them
 * `insertTextMode: asIs`), and their ranges are file offsets of the ConfigMap.
 */

import { keyInsertText, type CompletionItem, type CompletionProvider, type CompletionRequest } from './completion';
import type { AnalysisOptions } from '../options';
import type { HoverProvider, HoverRequest, HoverResult } from './hover';
import { documentAt } from './documentAt';
import {
  changesFor,
  childKeys,
  enumFor,
  keyHistory,
  lookupValueKey,
  resolveCiliumChartVersion,
  suggestKey,
  type KeyInfo,
  type ResolvedChartVersion,
} from '../cilium/valuesCatalog';
import type { IndexedDocument, WorkspaceModel } from '../workspace/model';
import { chartChildKeys, chartDefault, chartDocComment, chartFilesFor, chartKeyStatus, localChartFiles, remoteChartStatus, type ChartFiles } from '../helm/chartFiles';
import { ciliumReleaseOf, ciliumReleases, ciliumReleasesOf, type CiliumRelease } from '../helm/ciliumReleases';
import { effectiveValues, valueAtPath, valuesInputFiles, type EffectiveValues, type ValuesWrite } from '../helm/effectiveValues';
import { embeddedValuesText } from '../helm/valuesText';
import { deref, mapGet, scalarString, type YamlNode, type YamlPair, type YamlScalar } from '../parse/ast';
import { valueUnknownUntilRender } from '../parse/unknownValue';
import type { ParsedDocument } from '../parse/yamlFile';
import { LineIndex } from '../text/lineIndex';
import { yamlPathAtLine, type LinePathContext } from './yamlPathAtLine';
import { kernelHoverLinesForRelease } from '../kernel/hover';
import { isPatchDocument } from '../gitops/placement';
import { renderScalar } from '../helm/valueEdits';
import { containedError } from '../util/containedErrors';
import { anchorLine } from '../workspace/anchorLine';

// ---------------------------------------------------------------- hover

const helmValuesHover: HoverProvider = (request) => {
  try {
    return hoverAt(request);
  } catch (error) {
    containedError('features/helm-values', error);
    return undefined;
  }
};

function hoverAt({ workspace, file, cursor, options }: HoverRequest): HoverResult | undefined {
  const offset = cursor.offset;
  const contains = (write: ValuesWrite) =>
    write.location.key.file === file.path && write.location.key.document === cursor.documentIndex && offset >= write.location.key.start && offset <= write.location.key.end && write.location.key.end > write.location.key.start;
  const toResult = (write: ValuesWrite, contents: string): HoverResult => ({
    contents,
    start: cursor.document.start + write.location.key.start,
    end: cursor.document.start + write.location.key.end,
  });
  for (const release of ciliumReleases(workspace)) {
    const write = release.values.entries().find(contains);
    if (write) return toResult(write, [ciliumHover(workspace, release, write, options), ...perClusterLines(workspace, release, write.path)].join('\n'));
  }
  // A key of the release's own values that every cluster's build rewrites (a substitution variable, a patch): the builds
  // locate it elsewhere, the hover still belongs here.
  const ownKey = keyAtCursor(file.path, cursor.documentIndex, cursor.document.parsed.root, offset);
  const variant = ownKey ? ciliumReleasesOf(workspace, file.path, cursor.documentIndex)[0] : undefined;
  if (ownKey && variant) {
    const write: ValuesWrite = { path: ownKey.path, value: valueAtPath(variant.values.value, ownKey.path), location: { key: ownKey.anchor, value: ownKey.anchor }, sourceIndex: -1 };
    return toResult(write, [ciliumHover(workspace, variant, write, options), ...perClusterLines(workspace, variant, ownKey.path)].join('\n'));
  }
  for (const document of workspace.byKind('HelmRelease')) {
    const chart = chartFilesFor(workspace, document);
    // No chart files: the host may say why (downloading, refused, not supported), as information only.
    const status = chart ? undefined : remoteChartStatus(workspace, document);
    if (!chart && !status) continue;
    const write = effectiveValues(workspace, document).entries().find(contains);
    if (write && chart) return toResult(write, localChartHover(document, chart, write));
    if (write && status) return toResult(write, `**${write.path.join('.')}** — ${document.identity.name ?? 'HelmRelease'}\n\nChart files not available: ${status}`);
  }
  return undefined;
}

function ciliumHover(workspace: WorkspaceModel, release: CiliumRelease, write: ValuesWrite, options: AnalysisOptions): string {
  const { minor, chartVersion } = release.version;
  const path = write.path;
  const found = lookupValueKey(minor, path);
  const lines = [`**${path.join('.')}** — Cilium chart ${chartVersion} value`];
  const effective = valueAtPath(release.values.value, path);
  if (valueUnknownUntilRender(effective)) {
    lines.push('', `Value \`${String(effective)}\` is filled in when Flux builds it (a post-build variable no build of this repository defines, or a template): not known offline, so meshlens does not check it.`);
  }
  if (found.status === 'unknown') {
    const suggestions = suggestKey(minor, path).slice(0, 3);
    lines.push('', `Not a value of this chart version.${suggestions.length ? ` Did you mean ${suggestions.map((s) => `\`${s.path}\``).join(' or ')}?` : ''}`);
  } else if (found.status === 'free-form') {
    lines.push('', 'Inside a free-form map: the chart passes it through unchecked.');
  } else if (found.info) {
    if (found.info.description) lines.push('', found.info.description);
    lines.push('', ...keyFacts(found.info, minor));
  }
  const local = localChartFiles(workspace, release.document);
  const doc = local ? chartDocComment(local, path) : undefined;
  if (doc) lines.push('', `Chart documentation: ${doc}`);
  lines.push(...historyLines(path));
  // What the key needs from the kernel, with the verdict for the node pools that cover the release.
  const kernel = kernelHoverLinesForRelease(workspace, release.document.file, release.document.index, path, options);
  if (kernel.length > 0) lines.push('', ...kernel);
  lines.push('', `_${release.version.note}_`);
  const winner = release.values.provenance(path);
  if (winner && winner !== write.location) lines.push('', `Overridden by a later source: ${sourceLabelOf(release, winner)}.`);
  if (release.values.unknownSources.length > 0) lines.push('', `Values not known to meshlens: ${release.values.unknownSources.join('; ')}.`);
  return lines.join('\n');
}

/** The `spec.values` key under the cursor in a HelmRelease document, with its path. */
function keyAtCursor(file: string, document: number, root: YamlNode | undefined, offset: number): { path: string[]; anchor: ValuesWrite['location']['key'] } | undefined {
  const walk = (node: YamlNode | undefined, path: string[], depth: number): { path: string[]; anchor: ValuesWrite['location']['key'] } | undefined => {
    const map = deref(node);
    if (!map || map.type !== 'map' || depth > 64 || offset < map.start || offset > map.end) return undefined;
    for (const pair of map.pairs) {
      if (pair.key.type !== 'scalar') continue;
      const childPath = [...path, pair.key.text];
      if (offset >= pair.key.start && offset <= pair.key.end) return { path: childPath, anchor: { file, document, start: pair.key.start, end: pair.key.end } };
      const inside = walk(pair.value, childPath, depth + 1);
      if (inside) return inside;
    }
    return undefined;
  };
  return walk(mapGet(deref(mapGet(deref(root), 'spec')), 'values'), [], 0);
}

/**
 * The effective value of a key in each cluster that deploys the release, and
 * where it is last set, when clusters build it differently (overlays,
 * substitution); nothing when one build serves every cluster.
 */
function perClusterLines(workspace: WorkspaceModel, release: CiliumRelease, path: readonly string[]): string[] {
  const variants = ciliumReleasesOf(workspace, release.document.file, release.document.index).filter((variant) => variant.clusterNames && variant.clusterNames.length > 0);
  if (variants.length < 2) return [];
  const lines = ['', 'Per cluster:'];
  for (const variant of variants) {
    const value = valueAtPath(variant.values.value, path);
    const at = variant.values.provenance(path);
    const where = at ? ` — set in ${shortFile(at.value.file)}:${lineOf(workspace, at.value)}` : '';
    lines.push(`- ${variant.clusterNames!.map((name) => `\`${name}\``).join(', ')}: ${value === undefined ? 'not set (chart default)' : `\`${shortJson(value)}\``}${where} (chart ${variant.version.chartVersion})`);
  }
  return lines;
}

function shortFile(file: string): string {
  return file.split('/').slice(-3).join('/');
}

const lineOf = anchorLine;

function sourceLabelOf(release: CiliumRelease, location: ValuesWrite['location']): string {
  const write = release.values.entries().find((candidate) => candidate.location === location);
  return write ? release.values.sources[write.sourceIndex]?.label ?? 'another source' : 'another source';
}

function keyFacts(info: KeyInfo, minor: string): string[] {
  const facts: string[] = [];
  facts.push(`Type: \`${Array.isArray(info.type) ? info.type.join(' | ') : info.type}\`${info.mapOfAny ? ' (free-form map)' : ''}`);
  if (info.commented) facts.push(`Shown commented out in values.yaml${info.default !== undefined ? ` (example: \`${shortJson(info.default)}\`)` : ''}: valid, no default`);
  else if (info.default !== undefined) facts.push(`Default in ${minor}: \`${shortJson(info.default)}\``);
  if (info.enum) facts.push(`Allowed: ${[...new Set(info.enum.map((value) => `\`${renderScalar(value)}\``))].join(', ')}`);
  if (info.deprecatedValues?.length) facts.push(`Deprecated values: ${info.deprecatedValues.map((value) => `\`${renderScalar(value)}\``).join(', ')}`);
  return facts.map((fact) => `- ${fact}`);
}

function historyLines(path: readonly string[]): string[] {
  const history = keyHistory([...path]);
  const groups: Record<string, string[]> = { known: [], commented: [], 'free-form': [], absent: [] };
  for (const entry of history) groups[entry.status].push(entry.minor);
  const parts: string[] = [];
  if (groups.known.length) parts.push(`exists in ${groups.known.join(', ')}`);
  if (groups.commented.length) parts.push(`commented out in ${groups.commented.join(', ')}`);
  if (groups['free-form'].length) parts.push(`free-form in ${groups['free-form'].join(', ')}`);
  if (groups.absent.length) parts.push(`absent in ${groups.absent.join(', ')}`);
  return parts.length ? ['', `Versions: ${parts.join('; ')}.`] : [];
}

function localChartHover(document: IndexedDocument, chart: ChartFiles, write: ValuesWrite): string {
  const path = write.path;
  const lines = [`**${path.join('.')}** — chart ${chart.name ?? chart.dir}${chart.version ? ` ${chart.version}` : ''} (${document.identity.name ?? 'HelmRelease'})`];
  const status = chartKeyStatus(chart, path);
  if (status === 'unknown') lines.push('', "Not in the chart's values.yaml.");
  const doc = chartDocComment(chart, path);
  if (doc) lines.push('', doc);
  const fallback = chartDefault(chart, path);
  if (fallback !== undefined) lines.push('', `- Default: \`${shortJson(fallback)}\``);
  return lines.join('\n');
}

function shortJson(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

// ---------------------------------------------------------------- completion

const MAX_ITEMS = 200;

const helmValuesCompletion: CompletionProvider = (request) => {
  try {
    return completeAt(request).slice(0, MAX_ITEMS);
  } catch (error) {
    containedError('features/helm-values', error);
    return [];
  }
};

function completeAt(request: CompletionRequest): CompletionItem[] {
  const { line } = request;
  if (line.parentPath[0] !== 'spec' || line.parentPath[1] !== 'values') return [];
  const rest = line.parentPath.slice(2);
  if (rest.some((segment) => typeof segment !== 'string')) return [];
  const path = rest as string[];
  const found = documentAt(request.file, request.offset);
  if (!found) return [];
  const release = ciliumReleaseOf(request.workspace, request.file.path, found.index);
  const version = release?.version ?? versionFromText(found.document.parsed.text) ?? patchedReleaseVersion(request, found.index, found.document.parsed.text);
  if (version) return ciliumCompletions(request, path, version);
  const identity = request.file.identities[found.index];
  if (!identity || identity.kind !== 'HelmRelease') return [];
  const document = request.workspace.fileResources(request.file.path).find((candidate) => candidate.index === found.index);
  const chart = document ? chartFilesFor(request.workspace, document) : undefined;
  return chart ? localChartCompletions(request, path, chart) : [];
}

/**
 * A kustomize patch of a HelmRelease (a file a kustomization uses as a patch):
 * the Cilium release it patches, by name (and namespace when the patch says),
 * answers with its version, or with the version the patch itself pins.
 */
function patchedReleaseVersion(request: CompletionRequest, index: number, text: string): ResolvedChartVersion | undefined {
  const identity = request.file.identities[index];
  const kind = identity?.kind ?? /^kind:\s*["']?([^\s"'#]+)/m.exec(text)?.[1];
  if (kind !== 'HelmRelease' || !isPatchDocument(request.workspace, { file: request.file.path })) return undefined;
  const name = identity?.name ?? /^\s+name:\s*["']?([^\s"'#]+)/m.exec(text)?.[1];
  if (!name) return undefined;
  const namespace = identity?.namespace;
  const target = ciliumReleases(request.workspace).find((candidate) => candidate.document.identity.name === name && (!namespace || candidate.document.identity.namespace === namespace));
  if (!target) return undefined;
  const pinned = /^\s+version:\s*["']?([^"'\s#]+)/m.exec(text)?.[1];
  return pinned ? resolveCiliumChartVersion(pinned) : target.version;
}

/** While a document does not parse, recognise a Cilium release from its text. */
function versionFromText(text: string): ResolvedChartVersion | undefined {
  if (!/^kind:\s*HelmRelease\b/m.test(text) || !/^\s+chart:\s*["']?cilium["']?\s*$/m.test(text)) return undefined;
  const version = /^\s+version:\s*["']?([^"'\s#]+)/m.exec(text)?.[1];
  return resolveCiliumChartVersion(version);
}

function ciliumCompletions(request: CompletionRequest, path: string[], version: ResolvedChartVersion): CompletionItem[] {
  const { line } = request;
  const { minor } = version;
  if (line.position === 'value' && line.key !== undefined) {
    const keyPath = [...path, line.key];
    const found = lookupValueKey(minor, keyPath);
    const allowed = enumFor(minor, keyPath) ?? (found.info && typeIs(found.info.type, 'boolean') ? [true, false] : []);
    const seen = new Set<string>();
    return allowed.flatMap((value) => {
      const text = renderScalar(value);
      if (seen.has(text)) return [];
      seen.add(text);
      return [{ label: text, kind: 'enum' as const, detail: `Cilium ${version.chartVersion}`, insertText: text, replaceStart: line.wordStart, replaceEnd: line.wordEnd }];
    });
  }
  if (line.position !== 'key') return [];
  const parent = lookupValueKey(minor, path);
  if (path.length > 0 && (parent.status === 'unknown' || parent.status === 'free-form')) return [];
  const prefix = path.length ? `${path.join('.')}.` : '';
  return childKeys(minor, path)
    .map((info) => ({ info, name: info.path.slice(prefix.length) }))
    .filter(({ name }) => !line.siblingKeys.includes(name))
    .map(({ info, name }) => {
      const nested = childKeys(minor, [...path, name]).length > 0 || (typeIs(info.type, 'object') && !typeIs(info.type, 'string'));
      const type = Array.isArray(info.type) ? info.type.join(' | ') : info.type;
      return {
        label: name,
        kind: 'property' as const,
        detail: `${type}${info.commented ? ' · commented out in values.yaml' : ''} · Cilium ${version.chartVersion}`,
        documentation: [info.description, info.default !== undefined && !info.commented ? `Default: ${shortJson(info.default)}` : undefined].filter(Boolean).join('\n\n') || undefined,
        insertText: keyInsertText(name, nested ? 'object' : typeIs(info.type, 'array') ? 'array' : 'scalar', line.indent),
        snippet: true,
        replaceStart: line.wordStart,
        replaceEnd: line.wordEnd,
        sortText: `${info.commented ? '1' : '0'}${name}`,
        // A key the chart still reads but has announced as going away (no value condition: the key itself).
        deprecated: changesFor(minor, [...path, name], undefined).some((change) => change.kind !== 'value'),
      };
    });
}

function localChartCompletions(request: CompletionRequest, path: string[], chart: ChartFiles): CompletionItem[] {
  const { line } = request;
  if (line.position !== 'key') return [];
  return chartChildKeys(chart, path)
    .filter((name) => !line.siblingKeys.includes(name))
    .map((name) => {
      const fallback = chartDefault(chart, [...path, name]);
      const shape = fallback && typeof fallback === 'object' ? (Array.isArray(fallback) ? 'array' : 'object') : 'scalar';
      return {
        label: name,
        kind: 'property' as const,
        detail: `chart ${chart.name ?? ''}`.trim(),
        documentation: chartDocComment(chart, [...path, name]),
        insertText: keyInsertText(name, shape, line.indent),
        snippet: true,
        replaceStart: line.wordStart,
        replaceEnd: line.wordEnd,
      };
    });
}

// ---------------------------------------------------------------- completion in valuesFrom sources

const valuesSourceCompletion: CompletionProvider = (request) => {
  try {
    return completeInValuesSource(request).slice(0, MAX_ITEMS);
  } catch (error) {
    containedError('features/helm-values', error);
    return [];
  }
};

/**
 * Completion inside values a HelmRelease reads through `valuesFrom`: a literal
 * block of a ConfigMap's `data`, or a values file of a `configMapGenerator`.
 * Only files some release reads are looked at (`valuesInputFiles`), so other
 * ConfigMaps and YAML files get nothing from here.
 */
function completeInValuesSource(request: CompletionRequest): CompletionItem[] {
  const { workspace, file, offset } = request;
  if (!valuesInputFiles(workspace).has(file.path)) return [];
  const found = documentAt(file, offset);
  if (!found) return [];
  const relative = offset - found.document.start;
  const block = valuesBlockAt(found.document.parsed, relative);
  if (block) {
    const reader = valuesReader(workspace, (values) => readsBlock(values, file.path, found.index, block));
    if (!reader) return [];
    const mapped = lineInBlock(found.document.parsed.text, found.index, file.path, block, relative);
    return mapped ? completeInBlock(request, found.document.start, mapped, (blockRequest) => readerCompletions(blockRequest, reader)) : [];
  }
  if (found.index !== 0) return [];
  const reader = valuesReader(workspace, (values) => readsFile(values, file.path));
  return reader ? readerCompletions(request, reader) : [];
}

type ValuesReader = { kind: 'cilium'; version: ResolvedChartVersion } | { kind: 'chart'; chart: ChartFiles };

/** The release that reads the values at the cursor: a Cilium release first, else one with chart files. */
function valuesReader(workspace: WorkspaceModel, reads: (values: EffectiveValues) => boolean): ValuesReader | undefined {
  for (const release of ciliumReleases(workspace)) if (reads(release.values)) return { kind: 'cilium', version: release.version };
  for (const document of workspace.byKind('HelmRelease')) {
    if (!reads(effectiveValues(workspace, document))) continue;
    const chart = chartFilesFor(workspace, document);
    if (chart) return { kind: 'chart', chart };
  }
  return undefined;
}

function readerCompletions(request: CompletionRequest, reader: ValuesReader): CompletionItem[] {
  const path = request.line.parentPath;
  if (path.some((segment) => typeof segment !== 'string')) return [];
  return reader.kind === 'cilium' ? ciliumCompletions(request, path as string[], reader.version) : localChartCompletions(request, path as string[], reader.chart);
}

/** A source of `values` parsed from `block`, or one that could not be parsed but points at it. */
function readsBlock(values: EffectiveValues, file: string, document: number, block: ValuesBlock): boolean {
  const inBlock = (start: number) => start >= block.scalar.start && start <= block.end;
  if (values.sources.some((source) => source.kind === 'ConfigMap' && source.text?.file === file && source.text.document === document && inBlock(source.text.toDocument(0)))) return true;
  return values.unreadableSources.some((source) => source.at?.file === file && source.at.document === document && source.at.start === block.scalar.start);
}

function readsFile(values: EffectiveValues, file: string): boolean {
  if (values.sources.some((source) => source.kind === 'generated-file' && source.text?.file === file)) return true;
  return values.unreadableSources.some((source) => source.at?.file === file && source.at.document === 0 && source.at.start === 0);
}

// ---------------------------------------------------------------- completion in Flux inline patches

const fluxPatchCompletion: CompletionProvider = (request) => {
  try {
    return completeInFluxPatch(request).slice(0, MAX_ITEMS);
  } catch (error) {
    containedError('features/helm-values', error);
    return [];
  }
};

/**
 * Completion inside an inline patch of a Flux Kustomization
 * (`spec.patches[].patch: |`) that patches a Cilium HelmRelease: under the
 * patch's `spec.values`, the keys of the patched release's chart version (or
 * of the version the patch pins). The release is the one named by the patch
 * (`metadata.name`, else `target.name`, with `target.namespace` when set).
 */
function completeInFluxPatch(request: CompletionRequest): CompletionItem[] {
  const { file, offset, workspace } = request;
  const found = documentAt(file, offset);
  const identity = found ? file.identities[found.index] : undefined;
  if (!found || identity?.kind !== 'Kustomization' || !identity.group.startsWith('kustomize.toolkit.fluxcd.io')) return [];
  const parsed = found.document.parsed;
  const patches = deref(mapGet(mapGet(parsed.root, 'spec'), 'patches'));
  if (patches?.type !== 'seq') return [];
  const relative = offset - found.document.start;
  for (const entry of patches.items) {
    const item = deref(entry);
    if (item?.type !== 'map') continue;
    const patch = item.pairs.find((pair) => pair.key.type === 'scalar' && pair.key.text === 'patch');
    const block = patch ? literalBlockAt(parsed.text, patch, relative) : undefined;
    if (!block) continue;
    const mapped = lineInBlock(parsed.text, found.index, file.path, block, relative);
    const path = mapped?.line.parentPath ?? [];
    if (!mapped || path[0] !== 'spec' || path[1] !== 'values' || path.slice(2).some((segment) => typeof segment !== 'string')) return [];
    const target = mapGet(item, 'target');
    const kind = /^kind:\s*["']?([^\s"'#]+)/m.exec(mapped.text)?.[1] ?? scalarString(mapGet(target, 'kind'));
    const name = /^metadata:\s*\n(?:[ \t]+.*\n)*?[ \t]+name:\s*["']?([^\s"'#]+)/m.exec(mapped.text)?.[1] ?? scalarString(mapGet(target, 'name'));
    if (kind !== 'HelmRelease' || !name) return [];
    const namespace = scalarString(mapGet(target, 'namespace'));
    const release = ciliumReleases(workspace).find((candidate) => candidate.document.identity.name === name && (!namespace || candidate.document.identity.namespace === namespace));
    if (!release) return [];
    const pinned = /^\s+version:\s*["']?([^"'\s#]+)/m.exec(mapped.text)?.[1];
    const version = pinned ? resolveCiliumChartVersion(pinned) : release.version;
    return completeInBlock(request, found.document.start, mapped, (blockRequest) => ciliumCompletions(blockRequest, path.slice(2) as string[], version));
  }
  return [];
}

interface ValuesBlock {
  scalar: YamlScalar;
  /** Document offset where the block ends, including trailing blank lines the user is typing in. */
  end: number;
}

/** The literal block of a `data` key that holds the cursor (document offsets), below its `|` header line. */
function valuesBlockAt(parsed: ParsedDocument, offset: number): ValuesBlock | undefined {
  const data = deref(mapGet(parsed.root, 'data'));
  if (!data || data.type !== 'map') return undefined;
  for (const pair of data.pairs) {
    const block = literalBlockAt(parsed.text, pair, offset);
    if (block) return block;
  }
  return undefined;
}

/** The literal block value of `pair` when it holds the cursor (document offsets), below its `|` header line. */
function literalBlockAt(text: string, pair: YamlPair, offset: number): ValuesBlock | undefined {
  const scalar = deref(pair.value);
  if (!scalar || scalar.type !== 'scalar' || scalar.style !== 'literal') return undefined;
  const headerEnd = text.indexOf('\n', scalar.start);
  if (headerEnd === -1 || offset <= headerEnd) return undefined;
  // A parser ends the block at its last content line; blank lines after it still belong to it while typing.
  const keyColumn = pair.key.start - (text.lastIndexOf('\n', pair.key.start - 1) + 1);
  let end = Math.max(scalar.end, headerEnd + 1);
  let lineStart = text.lastIndexOf('\n', end - 1) + 1;
  for (;;) {
    const lineEnd = text.indexOf('\n', lineStart) === -1 ? text.length : text.indexOf('\n', lineStart);
    const line = text.slice(lineStart, lineEnd);
    const indentation = line.length - line.trimStart().length;
    if (line.trim() !== '' && indentation <= keyColumn) break;
    end = Math.max(end, lineEnd);
    if (lineEnd >= text.length) break;
    lineStart = lineEnd + 1;
  }
  return offset <= end ? { scalar, end } : undefined;
}

/**
 * Runs `complete` with the cursor's line context inside a block (path from the
 * block's own root), then maps the items back: ranges to file offsets, nested
 * indentation plus the block's, and the missing indentation when the cursor
 * sits left of it on a blank line.
 */
function completeInBlock(request: CompletionRequest, documentStart: number, mapped: LineInBlock, complete: (request: CompletionRequest) => CompletionItem[]): CompletionItem[] {
  const shift = (local: number) => (mapped.shortfall > 0 ? request.offset : documentStart + mapped.toDocument(local));
  const line: LinePathContext = {
    ...mapped.line,
    indent: mapped.line.indent + mapped.blockIndent,
    wordStart: shift(mapped.line.wordStart),
    wordEnd: shift(mapped.line.wordEnd),
  };
  const items = complete({ ...request, line });
  const pad = ' '.repeat(mapped.shortfall);
  return pad && line.position === 'key' ? items.map((item) => ({ ...item, insertText: pad + item.insertText })) : items;
}

interface LineInBlock {
  /** The block's text (block indentation cut). */
  text: string;
  /** The cursor's line context in the values text (offsets of that text). */
  line: LinePathContext;
  toDocument(offset: number): number;
  blockIndent: number;
  /** Columns between the cursor and the block's indentation when the cursor is left of it on a blank line. */
  shortfall: number;
}

function lineInBlock(documentText: string, document: number, file: string, block: ValuesBlock, offset: number): LineInBlock | undefined {
  const { values } = embeddedValuesText(file, document, documentText, { ...block.scalar, end: block.end });
  const blockIndent = values.linePrefix.length;
  const lines = new LineIndex(values.text);
  let lineNumber = -1;
  let rawStart = 0;
  for (let line = 0; line < lines.lineCount; line++) {
    const start = values.lineStartToDocument(lines.lineStartOffset(line));
    if (start > offset) break;
    lineNumber = line;
    rawStart = start;
  }
  if (lineNumber < 0) return undefined;
  const column = offset - rawStart;
  const rawLineEnd = documentText.indexOf('\n', rawStart);
  const before = documentText.slice(rawStart, offset);
  const shortfall = column < blockIndent && before.trim() === '' ? blockIndent - column : 0;
  if (column < blockIndent && shortfall === 0) return undefined;
  if (rawLineEnd !== -1 && offset > rawLineEnd) return undefined;
  const local = lines.offsetAt({ line: lineNumber, character: Math.max(0, column - blockIndent) });
  return { text: values.text, line: yamlPathAtLine(values.text, lines, local), toDocument: values.toDocument, blockIndent, shortfall };
}

function typeIs(type: string | string[], wanted: string): boolean {
  return Array.isArray(type) ? type.includes(wanted) : type === wanted;
}


export const HELM_VALUES_HOVER: HoverProvider[] = [helmValuesHover];
export const HELM_VALUES_COMPLETION: CompletionProvider[] = [helmValuesCompletion, valuesSourceCompletion, fluxPatchCompletion];
