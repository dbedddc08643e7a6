/**
 * Field provenance of built objects: which file, document and range last wrote
 * each field.
 *
 * Cheap by construction: an object carries its source document's origin, and a
 * map from field path to origin only for fields written after that (patches,
 * transformers, generators). A lookup walks up the path to the nearest recorded
 * ancestor and then narrows the range inside that origin's syntax node.
 *
 * Invariant: the map never holds an entry below a path whose value was
 * replaced or removed (writes clear descendants), and list moves re-key the
 * entries of the moved elements, so a lookup never reports a stale writer.
 */

import { nodeAtPath, type YamlNode } from '../parse/ast';
import type { BuiltObject, Origin } from './types';

export type PathSegment = string | number;

function escapeSegment(segment: PathSegment): string {
  return typeof segment === 'number' ? String(segment) : segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** The key of a field path in `BuiltObject.fieldOrigins`: segments joined by `/`, `~` and `/` escaped as in JSON pointers. */
export function fieldPathKey(path: readonly PathSegment[]): string {
  return path.map(escapeSegment).join('/');
}

export interface ProvenanceCarrier {
  source: Origin;
  fieldOrigins: Map<string, Origin>;
}

/** Records that `origin` wrote the value at `path` (and everything below it). */
export function recordWrite(target: ProvenanceCarrier, path: readonly PathSegment[], origin: Origin): void {
  const key = fieldPathKey(path);
  clearBelow(target, key);
  target.fieldOrigins.set(key, origin);
}

/** Forgets the origins at and below `path` (the value was removed). */
export function recordDelete(target: ProvenanceCarrier, path: readonly PathSegment[]): void {
  const key = fieldPathKey(path);
  clearBelow(target, key);
  target.fieldOrigins.delete(key);
}

function clearBelow(target: ProvenanceCarrier, key: string): void {
  if (target.fieldOrigins.size === 0) return;
  const prefix = key === '' ? '' : `${key}/`;
  for (const existing of [...target.fieldOrigins.keys()]) {
    if (existing !== key && (prefix === '' || existing.startsWith(prefix))) target.fieldOrigins.delete(existing);
  }
}

/**
 * Re-keys origins under the list at `listPath` after its elements moved:
 * `newIndexOf(old)` gives an element's new index, or undefined when it was
 * dropped. Elements that moved without a recorded origin get an explicit one,
 * because their source-document position no longer matches their index.
 */
export function remapList(
  target: ProvenanceCarrier,
  listPath: readonly PathSegment[],
  oldLength: number,
  newIndexOf: (oldIndex: number) => number | undefined,
): void {
  const listKey = fieldPathKey(listPath);
  const prefix = listKey === '' ? '' : `${listKey}/`;
  const resolved: Array<Origin | undefined> = [];
  for (let index = 0; index < oldLength; index++) {
    const next = newIndexOf(index);
    resolved.push(next !== undefined && next !== index ? originAt(target, [...listPath, index]) : undefined);
  }
  const moved = new Map<string, Origin>();
  for (const [key, origin] of [...target.fieldOrigins]) {
    if (!key.startsWith(prefix) || key === listKey) continue;
    const rest = key.slice(prefix.length);
    const slash = rest.indexOf('/');
    const indexText = slash === -1 ? rest : rest.slice(0, slash);
    if (!/^\d+$/.test(indexText)) continue;
    target.fieldOrigins.delete(key);
    const next = newIndexOf(Number(indexText));
    if (next === undefined) continue;
    moved.set(`${prefix}${next}${slash === -1 ? '' : rest.slice(slash)}`, origin);
  }
  resolved.forEach((origin, index) => {
    const next = newIndexOf(index);
    if (origin && next !== undefined && !moved.has(`${prefix}${next}`)) moved.set(`${prefix}${next}`, origin);
  });
  for (const [key, origin] of moved) target.fieldOrigins.set(key, origin);
}

/** The origin of the value at `path`, narrowed to the field's own range when the writer's syntax is known. */
export function originAt(target: ProvenanceCarrier, path: readonly PathSegment[]): Origin {
  for (let length = path.length; length >= 0; length--) {
    const origin = length === 0 && !target.fieldOrigins.has('') ? target.source : target.fieldOrigins.get(fieldPathKey(path.slice(0, length)));
    if (!origin) continue;
    return narrow(origin, path.slice(length));
  }
  return target.source;
}

function narrow(origin: Origin, rest: readonly PathSegment[]): Origin {
  if (rest.length === 0 || !origin.node) return origin;
  const node: YamlNode | undefined = nodeAtPath(origin.node, rest);
  if (!node) return origin;
  const base = origin.nodeBase ?? 0;
  return { ...origin, node, start: base + node.start, end: base + node.end };
}

/** Public lookup: the file, document and range that last wrote the field at `path` of a built object. */
export function fieldOrigin(object: BuiltObject, path: readonly PathSegment[]): Origin {
  return originAt(object, path);
}

/** An origin for a syntax node of a document that starts at `base` in `file`. */
export function nodeOrigin(
  kind: Origin['kind'],
  file: string,
  document: number,
  node: YamlNode,
  base: number,
  extra: { kustomization?: string; detail?: string } = {},
): Origin {
  return { kind, file, document, start: base + node.start, end: base + node.end, node, nodeBase: base, ...extra };
}
