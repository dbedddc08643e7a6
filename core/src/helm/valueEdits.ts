/**
 * Turns value-level edits (`unset path`, `set path = value`, applied in
 * order) into text edits of the YAML where the values are written, touching
 * only the lines that change:
 * - an unset removes the key's lines (trailing comment included); a parent
 *   map left empty is removed with it, up to the values root;
 * - a set of an existing scalar replaces the value text only;
 * - a set of a missing key inserts it under the deepest map that exists
 *   (at the removed key's place when one was removed from that map, else
 *   after the map's last entry), creating missing parents, with the map's
 *   own indentation and the document's indentation step.
 * For values embedded in a ConfigMap block, every inserted line also carries
 * the block indentation. A trailing comment on the line of a removed key moves
 * with it: it ends the first line block inserted for the same edit list (a
 * move keeps `# why` next to the new key).
 *
 * Invariants: returns undefined (no fix) rather than a risky edit: flow-style
 * maps, keys not first on their line, a set that would overwrite a different
 * value the user wrote elsewhere, or values that cannot be located exactly.
 * Edits never overlap. Nothing throws.
 */

import { deref, type YamlMap, type YamlNode, type YamlPair } from '../parse/ast';
import type { ValueEdit } from '../cilium/valuesCatalog';
import type { Anchor } from '../findings';
import type { ValuesText } from './valuesText';
import { containedError } from '../util/containedErrors';

export interface AnchoredEdit {
  range: Anchor;
  newText: string;
}

interface LocalEdit {
  start: number;
  end: number;
  newText: string;
  /** Whole-line edit (start and end at line starts; every inserted line complete). */
  lines: boolean;
}

interface Located {
  pair: YamlPair;
  parent: YamlMap;
}

export function renderValueEdits(values: ValuesText, edits: readonly ValueEdit[]): AnchoredEdit[] | undefined {
  try {
    if (!values.exact) return undefined;
    const root = deref(values.root);
    if (!root || root.type !== 'map' || root.flow) return undefined;
    const text = values.text;
    const removed = new Set<YamlPair>();
    const removals: { pair: YamlPair; parent: YamlMap; start: number; end: number }[] = [];
    const replacements: LocalEdit[] = [];
    const inserts = new Map<YamlMap, { target: Record<string, unknown>; order: number }>();
    let order = 0;
    let movedComment: string | undefined;

    for (const edit of edits) {
      if (edit.op === 'unset') {
        const first = locate(root, edit.path, removed);
        if (!first) continue;
        movedComment ??= trailingComment(text, first.pair);
        let found: Located = first;
        // Remove parents that would be left empty (never the values root itself).
        while (found.parent !== root) {
          const current: Located = found;
          const remaining = current.parent.pairs.filter((pair) => !removed.has(pair) && pair !== current.pair);
          if (remaining.length > 0) break;
          const parentPath = pathOf(root, current.parent);
          const up: Located | undefined = parentPath ? locate(root, parentPath, removed) : undefined;
          if (!up) break;
          found = up;
        }
        if (!startsLine(text, found.pair.key.start)) return undefined;
        const range = pairLines(text, found.pair);
        markRemoved(found.pair, removed);
        removals.push({ pair: found.pair, parent: found.parent, ...range });
        continue;
      }
      const existing = locate(root, edit.path, removed);
      if (existing) {
        const node = deref(existing.pair.value);
        if (node?.type === 'scalar' && (node.value === edit.value || (node.value === null && edit.value === null))) continue;
        if (node?.type !== 'scalar' || isObject(edit.value) || Array.isArray(edit.value)) return undefined;
        replacements.push({ start: existing.pair.value.start, end: existing.pair.value.end, newText: renderScalar(edit.value), lines: false });
        continue;
      }
      // Deepest existing (not removed) map on the way.
      let map: YamlMap = root;
      let depth = 0;
      for (; depth < edit.path.length - 1; depth++) {
        const next = locate(root, edit.path.slice(0, depth + 1), removed);
        const value = next ? deref(next.pair.value) : undefined;
        if (!next) break;
        if (!value || value.type !== 'map' || value.flow || value.pairs.length === 0) return undefined;
        map = value;
      }
      const entry = inserts.get(map) ?? { target: {}, order: order++ };
      setNested(entry.target, edit.path.slice(depth), edit.value);
      inserts.set(map, entry);
    }

    const local: LocalEdit[] = [...replacements];
    const removalStarts = new Map<number, LocalEdit>();
    for (const removal of removals) {
      const edit: LocalEdit = { start: removal.start, end: removal.end, newText: '', lines: true };
      local.push(edit);
      removalStarts.set(removal.start, edit);
    }
    for (const [map, { target }] of [...inserts.entries()].sort((a, b) => a[1].order - b[1].order)) {
      const indent = keyColumn(text, map);
      if (indent === undefined) return undefined;
      const step = indentStep(text, root, map);
      let block = renderBlock(target, indent, step);
      if (movedComment !== undefined) {
        block = `${block.slice(0, -1)} ${movedComment}\n`;
        movedComment = undefined;
      }
      // At the place of a key removed from this map, else after the map's last entry.
      const removal = removals.find((candidate) => candidate.parent === map);
      if (removal) {
        const edit = removalStarts.get(removal.start)!;
        edit.newText = block + edit.newText;
        continue;
      }
      const last = map.pairs[map.pairs.length - 1];
      const at = nextLineStart(text, last.value.end > last.key.end ? last.value.end : last.key.end);
      const needsBreak = at === text.length && !text.endsWith('\n');
      local.push({ start: at, end: at, newText: (needsBreak ? '\n' : '') + block, lines: !needsBreak });
    }
    local.sort((a, b) => a.start - b.start || a.end - b.end);
    for (let index = 1; index < local.length; index++) {
      if (local[index].start < local[index - 1].end) return undefined;
    }
    return local.map((edit) => toAnchored(values, edit));
  } catch (error) {
    containedError('helm/value-edits', error);
    return undefined;
  }
}

function toAnchored(values: ValuesText, edit: LocalEdit): AnchoredEdit {
  const base = { file: values.file, document: values.document };
  if (edit.lines) {
    const newText = values.linePrefix ? edit.newText.replace(/^(?=.)/gm, values.linePrefix) : edit.newText;
    return { range: { ...base, start: values.lineStartToDocument(edit.start), end: values.lineStartToDocument(edit.end) }, newText };
  }
  const newText = values.linePrefix ? edit.newText.replace(/\n(?=.)/g, `\n${values.linePrefix}`) : edit.newText;
  return { range: { ...base, start: values.toDocument(edit.start), end: values.toDocument(edit.end) }, newText };
}

// ---------------------------------------------------------------- tree helpers

function locate(root: YamlMap, path: readonly string[], removed: ReadonlySet<YamlPair>): Located | undefined {
  let current: YamlNode | undefined = root;
  let found: Located | undefined;
  for (const segment of path) {
    const map = deref(current);
    if (!map || map.type !== 'map') return undefined;
    const pair = map.pairs.find((candidate) => candidate.key.type === 'scalar' && candidate.key.text === segment && !removed.has(candidate));
    if (!pair) return undefined;
    found = { pair, parent: map };
    current = pair.value;
  }
  return found;
}

function pathOf(root: YamlMap, target: YamlMap): string[] | undefined {
  const search = (node: YamlNode | undefined, path: string[], depth: number): string[] | undefined => {
    const map = deref(node);
    if (!map || map.type !== 'map' || depth > 64) return undefined;
    for (const pair of map.pairs) {
      if (pair.key.type !== 'scalar') continue;
      if (deref(pair.value) === target) return [...path, pair.key.text];
      const below = search(pair.value, [...path, pair.key.text], depth + 1);
      if (below) return below;
    }
    return undefined;
  };
  return search(root, [], 0);
}

function markRemoved(pair: YamlPair, removed: Set<YamlPair>): void {
  removed.add(pair);
  const value = deref(pair.value);
  if (value?.type === 'map') for (const child of value.pairs) markRemoved(child, removed);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function setNested(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let current = target;
  for (const segment of path.slice(0, -1)) {
    if (!isObject(current[segment])) current[segment] = {};
    current = current[segment] as Record<string, unknown>;
  }
  current[path[path.length - 1]] = value;
}

// ---------------------------------------------------------------- text helpers

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', Math.max(0, offset) - 1) + 1;
}

function nextLineStart(text: string, offset: number): number {
  const next = text.indexOf('\n', offset);
  return next === -1 ? text.length : next + 1;
}

function startsLine(text: string, offset: number): boolean {
  return /^[ ]*$/.test(text.slice(lineStart(text, offset), offset));
}

/** `# comment` after a single-line scalar pair, on its line; undefined when none. */
function trailingComment(text: string, pair: YamlPair): string | undefined {
  const value = deref(pair.value);
  if (value?.type !== 'scalar' || value.style === 'literal' || value.style === 'folded') return undefined;
  const end = pair.value.end > pair.key.end ? pair.value.end : pair.key.end;
  const lineEnd = text.indexOf('\n', end);
  const rest = text.slice(end, lineEnd === -1 ? text.length : lineEnd).replace(/\r$/, '');
  const match = /^[ \t]+(#.*)$/.exec(rest);
  return match ? match[1] : undefined;
}

function pairLines(text: string, pair: YamlPair): { start: number; end: number } {
  const end = pair.value.end > pair.key.end ? pair.value.end : pair.key.end;
  return { start: lineStart(text, pair.key.start), end: nextLineStart(text, end) };
}

function keyColumn(text: string, map: YamlMap): number | undefined {
  const first = map.pairs[0];
  if (!first || !startsLine(text, first.key.start)) {
    // `- key: v` items: the column is still well defined.
    if (first && /^[ ]*(- +)+$/.test(text.slice(lineStart(text, first.key.start), first.key.start))) return first.key.start - lineStart(text, first.key.start);
    return undefined;
  }
  return first.key.start - lineStart(text, first.key.start);
}

function indentStep(text: string, root: YamlMap, map: YamlMap): number {
  // The step between a map and its first nested block map, found anywhere in the values.
  const probe = (node: YamlNode | undefined, depth: number): number | undefined => {
    const current = deref(node);
    if (!current || current.type !== 'map' || current.flow || depth > 16) return undefined;
    const column = keyColumn(text, current);
    for (const pair of current.pairs) {
      const child = deref(pair.value);
      if (child?.type === 'map' && !child.flow && child.pairs.length > 0 && column !== undefined) {
        const childColumn = keyColumn(text, child);
        if (childColumn !== undefined && childColumn > column) return childColumn - column;
      }
    }
    for (const pair of current.pairs) {
      const found = probe(pair.value, depth + 1);
      if (found) return found;
    }
    return undefined;
  };
  return probe(map, 0) ?? probe(root, 0) ?? 2;
}

// ---------------------------------------------------------------- rendering

const PLAIN_SAFE = /^[A-Za-z_/^][A-Za-z0-9_./^$@+-]*$/;
const RESERVED = /^(true|false|yes|no|on|off|y|n|null|~)$/i;

export function renderScalar(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean' || typeof value === 'number') return String(value);
  if (typeof value === 'string') return PLAIN_SAFE.test(value) && !RESERVED.test(value) ? value : JSON.stringify(value);
  return JSON.stringify(value);
}

export function renderKey(key: string): string {
  return /^[A-Za-z0-9_][A-Za-z0-9_.\/-]*$/.test(key) && !RESERVED.test(key) ? key : JSON.stringify(key);
}

/** A map as block YAML lines at `indent` columns (each line ends with a line break). */
export function renderBlock(value: Record<string, unknown>, indent: number, step: number): string {
  let out = '';
  const pad = ' '.repeat(indent);
  for (const [key, child] of Object.entries(value)) {
    if (isObject(child) && Object.keys(child).length > 0) {
      out += `${pad}${renderKey(key)}:\n${renderBlock(child, indent + step, step)}`;
    } else if (Array.isArray(child) && child.length > 0) {
      out += `${pad}${renderKey(key)}:\n`;
      for (const item of child) {
        if (isObject(item) && Object.keys(item).length > 0) {
          const inner = renderBlock(item, indent + step + 2, step);
          out += `${' '.repeat(indent + step)}- ${inner.slice(indent + step + 2)}`;
        } else {
          out += `${' '.repeat(indent + step)}- ${isObject(item) ? '{}' : Array.isArray(item) ? JSON.stringify(item) : renderScalar(item)}\n`;
        }
      }
    } else {
      out += `${pad}${renderKey(key)}: ${isObject(child) ? '{}' : Array.isArray(child) ? '[]' : renderScalar(child)}\n`;
    }
  }
  return out;
}
