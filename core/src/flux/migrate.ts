/**
 * Builds the edits that move a Flux document from a deprecated API version to
 * its replacement, touching only what changes:
 * - the `apiVersion` value (quoting kept), and `apiVersion`s of references
 *   and health checks that name removed versions;
 * - `valuesFile: X` → `valuesFiles: [X, …]` (X first: it was merged first);
 * - kustomize `patchesStrategicMerge` / `patchesJson6902` → `patches` items
 *   whose `patch` is the old object or operation list as a YAML block string;
 * - fields the new version dropped (`validation`, `accessFrom`,
 *   `gitImplementation`) are removed.
 *
 * Invariants: edits never overlap; when a part is not mechanical (flow-style
 * patch items, a non-scalar `valuesFile`), no migration is offered at all
 * (`undefined`), because a half-migrated document would be rejected.
 */

import { deref, mapGet, mapGetPair, scalarString, type YamlMap, type YamlNode, type YamlPair, type YamlScalar } from '../parse/ast';
import type { ResourceIdentity } from '../resources/identify';
import type { DocRange } from '../findings';
import { apiVersionLifecycle, fluxServes, type ApiVersionLifecycle } from './fluxVersions';
import { columnOf, indentAll, lineEndOf, pairRemovalRange, reindentBlock, startsItsLine } from './textEdits';

export interface MigrationEdit {
  range: DocRange;
  newText: string;
}

/** Fields each kind's replacement version no longer has, by path under `spec`. */
const DROPPED_FIELDS: Record<string, string[][]> = {
  Kustomization: [['validation']],
  GitRepository: [['accessFrom'], ['gitImplementation']],
  HelmChart: [['accessFrom']],
  Bucket: [['accessFrom']],
};

export function migrationEdits(text: string, root: YamlNode | undefined, identity: ResourceIdentity, lifecycle: ApiVersionLifecycle, fluxRelease?: string): MigrationEdit[] | undefined {
  if (!root || root.type !== 'map') return undefined;
  const edits: MigrationEdit[] = [];
  const apiVersionNode = mapGet(root, 'apiVersion');
  if (apiVersionNode?.type !== 'scalar') return undefined;
  edits.push(replaceScalar(apiVersionNode, `${lifecycle.group}/${lifecycle.replacement}`));
  const spec = deref(mapGet(root, 'spec'));
  if (spec?.type === 'map') {
    for (const path of DROPPED_FIELDS[identity.kind] ?? []) {
      const pair = mapGetPair(spec, path[0]);
      if (pair) edits.push({ range: pairRemovalRange(text, pair), newText: '' });
    }
    const ok = kindSpecificEdits(text, identity.kind, spec, edits, fluxRelease);
    if (!ok) return undefined;
  }
  return edits;
}

function kindSpecificEdits(text: string, kind: string, spec: YamlMap, edits: MigrationEdit[], fluxRelease: string | undefined): boolean {
  switch (kind) {
    case 'HelmRelease': {
      const chartSpec = deref(mapGet(deref(mapGet(spec, 'chart')), 'spec'));
      if (chartSpec?.type === 'map' && !valuesFileEdits(text, chartSpec, edits)) return false;
      bumpReferenceApiVersion(deref(mapGet(chartSpec, 'sourceRef')), edits, fluxRelease);
      bumpReferenceApiVersion(deref(mapGet(spec, 'chartRef')), edits, fluxRelease);
      const postRenderers = deref(mapGet(spec, 'postRenderers'));
      if (postRenderers?.type === 'seq') {
        for (const renderer of postRenderers.items) {
          const kustomize = deref(mapGet(deref(renderer), 'kustomize'));
          if (kustomize?.type === 'map' && !patchesEdits(text, kustomize, edits)) return false;
        }
      }
      return true;
    }
    case 'HelmChart':
      bumpReferenceApiVersion(deref(mapGet(spec, 'sourceRef')), edits, fluxRelease);
      return valuesFileEdits(text, spec, edits);
    case 'Kustomization': {
      bumpReferenceApiVersion(deref(mapGet(spec, 'sourceRef')), edits, fluxRelease);
      const healthChecks = deref(mapGet(spec, 'healthChecks'));
      if (healthChecks?.type === 'seq') for (const check of healthChecks.items) bumpReferenceApiVersion(deref(check), edits, fluxRelease);
      return patchesEdits(text, spec, edits);
    }
    default:
      return true;
  }
}

function replaceScalar(node: YamlScalar, value: string): MigrationEdit {
  const quote = node.style === 'double' ? '"' : node.style === 'single' ? "'" : '';
  return { range: { start: node.start, end: node.end }, newText: `${quote}${value}${quote}` };
}

/** A reference (`sourceRef`, `chartRef`, health check) naming a deprecated version of a Flux kind (left alone when the Flux in use does not serve the replacement). */
function bumpReferenceApiVersion(reference: YamlNode | undefined, edits: MigrationEdit[], fluxRelease: string | undefined): void {
  const apiVersionNode = deref(mapGet(reference, 'apiVersion'));
  const kind = scalarString(mapGet(reference, 'kind'));
  if (apiVersionNode?.type !== 'scalar' || !kind) return;
  const [group, version] = apiVersionNode.text.split('/');
  const lifecycle = version ? apiVersionLifecycle(group, kind, version) : undefined;
  if (!lifecycle || (fluxRelease && !fluxServes(fluxRelease, group, kind, lifecycle.replacement))) return;
  edits.push(replaceScalar(apiVersionNode, `${group}/${lifecycle.replacement}`));
}

/** `valuesFile: X` → `valuesFiles: [X, …existing]`. */
function valuesFileEdits(text: string, spec: YamlMap, edits: MigrationEdit[]): boolean {
  const single = mapGetPair(spec, 'valuesFile');
  if (!single) return true;
  if (single.value.type !== 'scalar' || single.key.type !== 'scalar') return false;
  const valueText = text.slice(single.value.start, single.value.end);
  if (single.value.value === null || valueText.includes('\n')) {
    edits.push({ range: pairRemovalRange(text, single), newText: '' });
    return true;
  }
  const list = mapGetPair(spec, 'valuesFiles');
  const listNode = list ? deref(list.value) : undefined;
  if (!list || (listNode?.type === 'scalar' && listNode.value === null && listNode.start === listNode.end)) {
    if (list) edits.push({ range: pairRemovalRange(text, list), newText: '' });
    if (!startsItsLine(text, single.key.start)) return false;
    const indent = ' '.repeat(columnOf(text, single.key.start) + 2);
    edits.push({ range: { start: single.key.start, end: single.value.end }, newText: `valuesFiles:\n${indent}- ${valueText}` });
    return true;
  }
  if (listNode?.type !== 'seq') return false;
  if (listNode.flow) {
    if (listNode.items.length === 0) edits.push({ range: { start: listNode.start, end: listNode.end }, newText: `[${valueText}]` });
    else edits.push({ range: { start: listNode.items[0].start, end: listNode.items[0].start }, newText: `${valueText}, ` });
  } else {
    const dashIndent = ' '.repeat(columnOf(text, listNode.start));
    edits.push({ range: { start: listNode.items[0].start, end: listNode.items[0].start }, newText: `${valueText}\n${dashIndent}- ` });
  }
  edits.push({ range: pairRemovalRange(text, single), newText: '' });
  return true;
}

/** `patchesStrategicMerge` / `patchesJson6902` → `patches` in a kustomize-style map. */
function patchesEdits(text: string, owner: YamlMap, edits: MigrationEdit[]): boolean {
  const strategic = mapGetPair(owner, 'patchesStrategicMerge');
  const json6902 = mapGetPair(owner, 'patchesJson6902');
  if (!strategic && !json6902) return true;
  const oldPairs = [strategic, json6902].filter((pair): pair is YamlPair => pair !== undefined).sort((a, b) => a.key.start - b.key.start);
  if (oldPairs.some((pair) => !startsItsLine(text, pair.key.start))) return false;
  const existing = mapGetPair(owner, 'patches');
  const existingList = existing ? deref(existing.value) : undefined;
  const existingItems = existingList?.type === 'seq' ? existingList.items : [];
  if (existingList?.type === 'seq' && existingList.flow && existingItems.length > 0) return false;
  if (existing && existingList?.type !== 'seq' && !(existingList?.type === 'scalar' && existingList.value === null)) return false;

  const firstOld = oldPairs[0];
  const keyColumn = columnOf(text, firstOld.key.start);
  const firstOldList = deref(firstOld.value);
  let dashColumn = keyColumn + 2;
  if (existingList?.type === 'seq' && !existingList.flow && existingItems.length > 0) dashColumn = columnOf(text, existingList.start);
  else if (firstOldList?.type === 'seq' && !firstOldList.flow && firstOldList.items.length > 0) dashColumn = columnOf(text, firstOldList.start);

  const items: string[] = [];
  for (const [pair, convert] of [
    [strategic, strategicMergeItem],
    [json6902, json6902Item],
  ] as const) {
    if (!pair) continue;
    const list = deref(pair.value);
    if (list?.type === 'scalar' && list.value === null) continue;
    if (list?.type !== 'seq') return false;
    for (const item of list.items) {
      const converted = convert(text, item, dashColumn);
      if (converted === undefined) return false;
      items.push(converted);
    }
  }
  const dashIndent = ' '.repeat(dashColumn);
  const block = items.map((item) => `${dashIndent}${item}`).join('\n');

  if (existingList?.type === 'seq' && !existingList.flow && existingItems.length > 0) {
    if (items.length > 0) {
      const at = lineEndOf(text, existingList.end);
      edits.push({ range: { start: at, end: at }, newText: `\n${block}` });
    }
    for (const pair of oldPairs) edits.push({ range: pairRemovalRange(text, pair), newText: '' });
    return true;
  }
  if (existing) edits.push({ range: pairRemovalRange(text, existing), newText: '' });
  if (items.length === 0) {
    for (const pair of oldPairs) edits.push({ range: pairRemovalRange(text, pair), newText: '' });
    return true;
  }
  edits.push({ range: { start: firstOld.key.start, end: lineEndOf(text, firstOld.value.end) }, newText: `patches:\n${block}` });
  for (const pair of oldPairs.slice(1)) edits.push({ range: pairRemovalRange(text, pair), newText: '' });
  return true;
}

/** One strategic-merge object → `- patch: |` with the object as the block text. */
function strategicMergeItem(text: string, item: YamlNode, dashColumn: number): string | undefined {
  const object = deref(item);
  if (!object || item.type === 'alias' || (object.type !== 'map' && object.type !== 'seq')) return undefined;
  const objectColumn = columnOf(text, item.start);
  // Block items end at their last value; keep a trailing comment on that line.
  const end = object.type === 'map' && object.flow ? item.end : lineEndOf(text, item.end);
  const body = indentAll(text.slice(item.start, end), objectColumn, ' '.repeat(dashColumn + 4));
  return `- patch: |\n${body}`;
}

/** One `{target, patch: [ops]}` entry → `- target: …` / `patch: |` with the operations as block text. */
function json6902Item(text: string, item: YamlNode, dashColumn: number): string | undefined {
  if (item.type !== 'map' || item.flow) return undefined;
  const patch = mapGetPair(item, 'patch');
  const itemColumn = columnOf(text, item.start);
  let itemText = text.slice(item.start, item.end);
  if (patch && (patch.value.type === 'seq' || patch.value.type === 'map')) {
    const patchColumn = columnOf(text, patch.key.start);
    const valueEnd = patch.value.flow ? patch.value.end : lineEndOf(text, patch.value.end);
    const operations = indentAll(text.slice(patch.value.start, valueEnd), columnOf(text, patch.value.start), ' '.repeat(patchColumn + 2));
    const relativeStart = patch.value.start - item.start;
    const relativeEnd = Math.min(valueEnd, Math.max(item.end, valueEnd)) - item.start;
    itemText = text.slice(item.start, Math.max(item.end, valueEnd));
    // A block sequence value sits on the lines after `patch:`; replace from right after the colon.
    const colon = text.lastIndexOf(':', patch.value.start);
    const replaceFrom = colon >= patch.key.end ? colon + 1 - item.start : relativeStart;
    itemText = `${itemText.slice(0, replaceFrom)} |\n${operations}${itemText.slice(relativeEnd)}`;
  } else if (patch && patch.value.type !== 'scalar') {
    return undefined;
  }
  return `- ${reindentBlock(itemText, itemColumn, ' '.repeat(dashColumn + 2))}`;
}
