/**
 * Strategic merge patches as kustomize v5 (kyaml merge2) applies them.
 *
 * - Maps merge field by field; a `null` in the patch removes the field;
 *   `$patch: delete` removes the map, `$patch: replace` replaces it.
 * - Lists merge by key only where kustomize's compiled-in Kubernetes schema
 *   gives the field a `merge` patch strategy (containers by name, ports by
 *   port/protocol, …; see `generated/mergeKeys.ts`). Every other list, and every
 *   list of a custom resource, is replaced by the patch's list: for CRDs this
 *   is JSON merge patch behaviour. Merged lists put the patch's elements
 *   first (kustomize prepends), then the remaining elements of the target.
 * - Lists of scalars with a merge strategy (finalizers) become the union.
 *
 * Known difference: for lists keyed by two fields (ports by port and
 * protocol), when the patch names a protocol the target's element omits,
 * kustomize's element bookkeeping drops the patched element and keeps the
 * target's; this engine applies the patch to a new element instead.
 *
 * Invariants: the patch value is never mutated (one patch may apply to many
 * targets); every value the patch writes is recorded in the target's
 * provenance with the patch's syntax node, and list moves re-key it.
 */

import { deref, mapGet, type YamlNode } from '../parse/ast';
import { MERGE_DEFINITIONS, MERGE_ROOTS } from './generated/mergeKeys';
import { recordDelete, recordWrite, remapList, type PathSegment, type ProvenanceCarrier } from './provenance';
import { cloneJson, isObject, stringField, type Json, type JsonObject } from './resource';
import type { Origin } from './types';

/** Where a patch's text lives, to build origins for what it writes. */
export interface PatchWriter {
  target: ProvenanceCarrier;
  origin(node: YamlNode | undefined): Origin;
}

type Schema = { def: string } | { mapValues: string } | undefined;

interface ListSchema {
  keys: readonly string[];
  element: Schema;
}

function fieldSchema(schema: Schema, field: string): { schema: Schema; list?: ListSchema } {
  if (!schema) return { schema: undefined };
  if ('mapValues' in schema) return { schema: { def: schema.mapValues } };
  const entry = MERGE_DEFINITIONS[schema.def]?.[field];
  if (!entry) return { schema: undefined };
  const [child, keys, map] = entry;
  const childSchema: Schema = child ? (map ? { mapValues: child } : { def: child }) : undefined;
  if (keys) return { schema: undefined, list: { keys, element: child ? { def: child } : undefined } };
  return { schema: childSchema };
}

export function rootSchema(apiVersion: string, kind: string): Schema {
  const def = MERGE_ROOTS[`${apiVersion}|${kind}`];
  return def ? { def } : undefined;
}

const DIRECTIVE = '$patch';

function childNode(node: YamlNode | undefined, key: string | number): YamlNode | undefined {
  const target = deref(node);
  if (!target) return undefined;
  if (typeof key === 'number') return target.type === 'seq' ? deref(target.items[key]) : undefined;
  return deref(mapGet(target, key));
}

/**
 * Applies `patch` to `target` (the whole object). Returns the merged object,
 * or undefined when the patch deletes the object (`$patch: delete`).
 */
export function applyStrategicMerge(
  target: JsonObject,
  patch: JsonObject,
  patchNode: YamlNode | undefined,
  writer: PatchWriter,
): JsonObject | undefined {
  const schema = rootSchema(stringField(target.apiVersion), stringField(target.kind));
  const result = mergeValue(target, patch, schema, undefined, [], patchNode, writer);
  return isObject(result) ? result : undefined;
}

function kindOf(value: Json | undefined): 'map' | 'seq' | 'scalar' | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return 'seq';
  if (typeof value === 'object') return 'map';
  return 'scalar';
}

function mergeValue(
  dest: Json | undefined,
  patch: Json | undefined,
  schema: Schema,
  list: ListSchema | undefined,
  path: PathSegment[],
  patchNode: YamlNode | undefined,
  writer: PatchWriter,
): Json | undefined {
  const kind = kindOf(dest) ?? kindOf(patch);
  if (kind === 'seq') {
    if (list && Array.isArray(dest ?? patch) && (patch === undefined || patch === null || Array.isArray(patch))) {
      return mergeList(Array.isArray(dest) ? dest : undefined, patch, list, path, patchNode, writer);
    }
    if (patch === undefined) return dest;
    if (patch === null) {
      recordDelete(writer.target, path);
      return undefined;
    }
    recordWrite(writer.target, path, writer.origin(patchNode));
    return cloneJson(patch);
  }
  if (kind === 'scalar') {
    if (patch === undefined) return dest;
    if (patch === null) {
      recordDelete(writer.target, path);
      return undefined;
    }
    if (kindOf(patch) === 'map') return mergeMap(undefined, patch, schema, path, patchNode, writer);
    // A patch that repeats the current value (names used as merge keys, identification fields) did not write it.
    if (patch !== dest) recordWrite(writer.target, path, writer.origin(patchNode));
    return cloneJson(patch);
  }
  return mergeMap(dest, patch, schema, path, patchNode, writer);
}

function mergeMap(
  dest: Json | undefined,
  patch: Json | undefined,
  schema: Schema,
  path: PathSegment[],
  patchNode: YamlNode | undefined,
  writer: PatchWriter,
): Json | undefined {
  if (!isObject(dest)) {
    if (patch === undefined) return dest ?? undefined;
    if (!isObject(patch)) {
      // A null patch on a missing field, or a list/scalar replacing a non-map.
      if (patch === null) {
        if (dest !== undefined) recordDelete(writer.target, path);
        return undefined;
      }
      recordWrite(writer.target, path, writer.origin(patchNode));
      return cloneJson(patch);
    }
    if (patch[DIRECTIVE] === 'delete') return undefined;
    recordWrite(writer.target, path, writer.origin(patchNode));
    return normalizePatch(patch, schema, path, patchNode, writer);
  }
  if (patch === undefined) return dest;
  if (patch === null) {
    recordDelete(writer.target, path);
    return undefined;
  }
  if (!isObject(patch)) {
    recordWrite(writer.target, path, writer.origin(patchNode));
    return cloneJson(patch);
  }
  const directive = patch[DIRECTIVE];
  if (directive === 'delete') {
    recordDelete(writer.target, path);
    return undefined;
  }
  if (directive === 'replace') {
    recordWrite(writer.target, path, writer.origin(patchNode));
    return normalizePatch(patch, schema, path, patchNode, writer);
  }
  for (const key of Object.keys(patch)) {
    if (key === DIRECTIVE) continue;
    const { schema: childSchema, list } = fieldSchema(schema, key);
    const merged = mergeValue(dest[key], patch[key], childSchema, list, [...path, key], childNode(patchNode, key), writer);
    if (merged === undefined) delete dest[key];
    else dest[key] = merged;
  }
  return dest;
}

/** A patch value placed where the target had nothing: directives applied, nulls dropped (merging the patch with itself, as kyaml does). */
function normalizePatch(patch: JsonObject, schema: Schema, path: PathSegment[], patchNode: YamlNode | undefined, writer: PatchWriter): JsonObject {
  const copy = cloneJson(patch);
  delete copy[DIRECTIVE];
  const silent: PatchWriter = { target: { source: writer.target.source, fieldOrigins: new Map() }, origin: writer.origin };
  const result = mergeMap(copy, { ...patch, [DIRECTIVE]: null }, schema, path, patchNode, silent);
  const value = isObject(result) ? result : {};
  delete value[DIRECTIVE];
  return value;
}

function keyTuple(element: Json, keys: readonly string[]): string[] {
  if (!isObject(element)) return keys.map(() => '');
  return keys.map((key) => stringField(element[key]));
}

function tupleMatches(element: Json, keys: readonly string[], values: readonly string[]): boolean {
  if (!isObject(element)) return false;
  return keys.every((key, index) => stringField(element[key]) === values[index]);
}

function listDirective(patch: Json[]): { directive?: string; rest: Json[] } {
  const index = patch.findIndex((item) => isObject(item) && Object.keys(item).length === 1 && typeof item[DIRECTIVE] === 'string');
  if (index === -1) return { rest: patch };
  const directive = (patch[index] as JsonObject)[DIRECTIVE] as string;
  return { directive, rest: patch.filter((_, position) => position !== index) };
}

function mergeList(
  dest: Json[] | undefined,
  patch: Json | undefined,
  list: ListSchema,
  path: PathSegment[],
  patchNode: YamlNode | undefined,
  writer: PatchWriter,
): Json | undefined {
  if (patch === undefined) return dest;
  if (patch === null) {
    recordDelete(writer.target, path);
    return undefined;
  }
  if (!Array.isArray(patch)) return dest;
  const { directive, rest } = listDirective(patch);
  if (directive === 'delete') {
    recordDelete(writer.target, path);
    return undefined;
  }
  if (dest === undefined || directive === 'replace') {
    recordWrite(writer.target, path, writer.origin(patchNode));
    const silent: PatchWriter = { target: { source: writer.target.source, fieldOrigins: new Map() }, origin: writer.origin };
    return mergeList(cloneJson(rest), rest, list, path, patchNode, silent) as Json[];
  }
  if (list.keys.length === 0) {
    // Scalars merged as a set: the patch's values first, then the target's.
    const seen = new Set<string>();
    const result: Json[] = [];
    for (const item of [...rest, ...dest]) {
      const key = stringField(item);
      if (seen.has(key)) continue;
      seen.add(key);
      result.push(cloneJson(item));
    }
    recordWrite(writer.target, path, writer.origin(patchNode));
    return result;
  }
  return mergeKeyedList(dest, rest, list, path, patchNode, writer);
}

function mergeKeyedList(
  dest: Json[],
  patch: Json[],
  list: ListSchema,
  path: PathSegment[],
  patchNode: YamlNode | undefined,
  writer: PatchWriter,
): Json[] {
  const keys = list.keys;
  // Key tuples in kustomize's order: the patch's elements first, then the target's.
  let tuples: string[][] = [];
  const seen = new Set<string>();
  for (const element of [...patch, ...dest]) {
    const tuple = keyTuple(element, keys);
    const id = JSON.stringify(tuple);
    if (seen.has(id)) continue;
    seen.add(id);
    tuples.push(tuple);
  }
  if (keys.length > 1) tuples = unifyTuples(tuples);
  const validKeyIndexes = keys.map((_, index) => index).filter((index) => tuples.some((tuple) => tuple[index] !== ''));
  const useIndexes = validKeyIndexes.length > 0 ? validKeyIndexes : keys.map((_, index) => index);
  const validKeys = useIndexes.map((index) => keys[index]);

  interface Slot {
    values: string[];
    destIndex?: number;
    patchIndex?: number;
  }
  const slots: Slot[] = [];
  const slotIds = new Set<string>();
  const usedDest = new Set<number>();
  for (const tuple of tuples) {
    const values = useIndexes.map((index) => tuple[index]);
    const id = JSON.stringify(values);
    if (slotIds.has(id)) continue;
    slotIds.add(id);
    const patchIndex = patch.findIndex((element) => tupleMatches(element, validKeys, values));
    const destIndex = dest.findIndex((element, index) => !usedDest.has(index) && tupleMatches(element, validKeys, values));
    if (patchIndex === -1 && destIndex === -1) continue;
    const patchElement = patchIndex === -1 ? undefined : patch[patchIndex];
    if (isObject(patchElement) && patchElement[DIRECTIVE] === 'delete') {
      if (destIndex !== -1) usedDest.add(destIndex);
      continue;
    }
    if (destIndex !== -1) usedDest.add(destIndex);
    slots.push({ values, destIndex: destIndex === -1 ? undefined : destIndex, patchIndex: patchIndex === -1 ? undefined : patchIndex });
  }
  // Target elements without key values keep their relative order at the end.
  dest.forEach((_, index) => {
    if (!usedDest.has(index) && keyTuple(dest[index], validKeys).every((value) => value === '')) slots.push({ values: [], destIndex: index });
  });

  const newIndexOfDest = new Map<number, number>();
  slots.forEach((slot, position) => {
    if (slot.destIndex !== undefined) newIndexOfDest.set(slot.destIndex, position);
  });
  remapList(writer.target, path, dest.length, (old) => newIndexOfDest.get(old));

  const result: Json[] = [];
  slots.forEach((slot, position) => {
    const destElement = slot.destIndex === undefined ? undefined : dest[slot.destIndex];
    if (slot.patchIndex === undefined) {
      result.push(destElement as Json);
      return;
    }
    const merged = mergeValue(destElement, patch[slot.patchIndex], list.element, undefined, [...path, position], childNode(patchNode, patchIndexInNode(patchNode, patch, slot.patchIndex)), writer);
    if (merged === undefined || (isObject(merged) && Object.keys(merged).length === 0)) return;
    if (isObject(merged)) {
      validKeys.forEach((key, index) => {
        if (merged[key] === undefined && slot.values[index] !== '') merged[key] = slot.values[index];
      });
    }
    result.push(merged);
  });
  return result;
}

/** The patch list may have lost its directive element; map an index in `patch` back to the syntax list. */
function patchIndexInNode(patchNode: YamlNode | undefined, patch: Json[], index: number): number {
  const node = deref(patchNode);
  if (!node || node.type !== 'seq' || node.items.length === patch.length) return index;
  let seen = -1;
  for (let position = 0; position < node.items.length; position++) {
    const item = deref(node.items[position]);
    const isDirective = item?.type === 'map' && item.pairs.length === 1 && item.pairs[0].key.type === 'scalar' && item.pairs[0].key.text === DIRECTIVE;
    if (isDirective) continue;
    seen++;
    if (seen === index) return position;
  }
  return index;
}

/** kyaml pairs key tuples that agree on every non-empty position (e.g. a port with and without its protocol). */
function unifyTuples(tuples: string[][]): string[][] {
  const result = tuples.map((tuple) => [...tuple]);
  for (let i = 0; i < result.length; i++) {
    for (let j = 0; j < result.length; j++) {
      const a = result[i];
      const b = result[j];
      let common = false;
      let compatible = true;
      const merged: string[] = [];
      for (let k = 0; k < a.length; k++) {
        if (a[k] === b[k]) {
          common = true;
          merged.push(a[k]);
        } else if (a[k] !== '' && b[k] !== '') {
          compatible = false;
          break;
        } else merged.push(a[k] || b[k]);
      }
      if (compatible && common) {
        result[i] = merged;
        result[j] = [...merged];
      }
    }
  }
  const seen = new Set<string>();
  return result.filter((tuple) => {
    const id = JSON.stringify(tuple);
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
