/**
 * JSON 6902 patches (`add`, `remove`, `replace`, `move`, `copy`, `test`) on a
 * built object, with provenance: the value an operation writes is recorded
 * with the operation's `value` syntax node.
 *
 * Invariant: an operation that cannot apply (missing path, failed test)
 * returns an error string and leaves the object as the previous operations
 * left it; the caller reports it as kustomize would fail there.
 */

import { deref, mapGet, type YamlNode } from '../parse/ast';
import { recordDelete, recordWrite, remapList, type PathSegment } from './provenance';
import { cloneJson, isObject, type Json, type JsonObject } from './resource';
import type { PatchWriter } from './strategicMerge';

export interface JsonPatchOperation {
  op: string;
  path: string;
  from?: string;
  value?: Json;
  /** Syntax node of the operation (a map), for provenance. */
  node?: YamlNode;
}

export function parsePointer(pointer: string): string[] | undefined {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) return undefined;
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function deepEqual(a: Json | undefined, b: Json | undefined): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, index) => deepEqual(item, b[index]));
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => Object.prototype.hasOwnProperty.call(b, key) && deepEqual(a[key], b[key]));
  }
  return false;
}

interface Located {
  parent: JsonObject | Json[];
  key: string | number;
  path: PathSegment[];
}

function locate(root: JsonObject, segments: string[], forAdd: boolean): Located | string {
  let current: Json = root;
  const path: PathSegment[] = [];
  for (let index = 0; index < segments.length - 1; index++) {
    const segment = segments[index];
    if (Array.isArray(current)) {
      const position = Number(segment);
      if (!/^\d+$/.test(segment) || position >= current.length) return `index ${segment} out of range`;
      path.push(position);
      current = current[position];
    } else if (isObject(current)) {
      if (!(segment in current)) return `path segment '${segment}' not found`;
      path.push(segment);
      current = current[segment];
    } else return `path segment '${segment}' is not a container`;
  }
  const last = segments[segments.length - 1];
  if (Array.isArray(current)) {
    if (last === '-' && forAdd) return { parent: current, key: current.length, path: [...path, current.length] };
    if (!/^\d+$/.test(last)) return `invalid list index '${last}'`;
    const position = Number(last);
    if (position > current.length || (!forAdd && position >= current.length)) return `index ${last} out of range`;
    return { parent: current, key: position, path: [...path, position] };
  }
  if (isObject(current)) {
    if (!forAdd && !(last in current)) return `path '${last}' not found`;
    return { parent: current, key: last, path: [...path, last] };
  }
  return `parent of '${last}' is not a container`;
}

function read(location: Located): Json | undefined {
  return Array.isArray(location.parent) ? location.parent[location.key as number] : (location.parent as JsonObject)[location.key as string];
}

function valueNode(node: YamlNode | undefined): YamlNode | undefined {
  return deref(mapGet(deref(node), 'value'));
}

/** Applies the operations in order; returns an error message at the first one that fails. */
export function applyJsonPatch(target: JsonObject, operations: JsonPatchOperation[], writer: PatchWriter): string | undefined {
  for (const operation of operations) {
    const error = applyOne(target, operation, writer);
    if (error) return `${operation.op} ${operation.path}: ${error}`;
  }
  return undefined;
}

function remove(location: Located, writer: PatchWriter): void {
  if (Array.isArray(location.parent)) {
    const position = location.key as number;
    const length = location.parent.length;
    location.parent.splice(position, 1);
    recordDelete(writer.target, location.path);
    remapList(writer.target, location.path.slice(0, -1), length, (old) => (old === position ? undefined : old > position ? old - 1 : old));
  } else {
    delete (location.parent as JsonObject)[location.key as string];
    recordDelete(writer.target, location.path);
  }
}

function add(location: Located, value: Json, writer: PatchWriter, node: YamlNode | undefined): void {
  if (Array.isArray(location.parent)) {
    const position = location.key as number;
    const length = location.parent.length;
    remapList(writer.target, location.path.slice(0, -1), length, (old) => (old >= position ? old + 1 : old));
    location.parent.splice(position, 0, value);
  } else {
    (location.parent as JsonObject)[location.key as string] = value;
  }
  recordWrite(writer.target, location.path, writer.origin(node));
}

function applyOne(target: JsonObject, operation: JsonPatchOperation, writer: PatchWriter): string | undefined {
  const segments = parsePointer(operation.path);
  if (!segments) return 'invalid path';
  if (segments.length === 0) return 'cannot patch the document root';
  switch (operation.op) {
    case 'add': {
      const location = locate(target, segments, true);
      if (typeof location === 'string') return location;
      add(location, cloneJson(operation.value ?? null), writer, valueNode(operation.node) ?? operation.node);
      return undefined;
    }
    case 'remove': {
      const location = locate(target, segments, false);
      if (typeof location === 'string') return location;
      remove(location, writer);
      return undefined;
    }
    case 'replace': {
      const location = locate(target, segments, false);
      if (typeof location === 'string') return location;
      if (Array.isArray(location.parent)) location.parent[location.key as number] = cloneJson(operation.value ?? null);
      else (location.parent as JsonObject)[location.key as string] = cloneJson(operation.value ?? null);
      recordWrite(writer.target, location.path, writer.origin(valueNode(operation.node) ?? operation.node));
      return undefined;
    }
    case 'move':
    case 'copy': {
      const fromSegments = parsePointer(operation.from ?? '');
      if (!fromSegments || fromSegments.length === 0) return 'invalid from';
      const from = locate(target, fromSegments, false);
      if (typeof from === 'string') return from;
      const value = cloneJson(read(from) ?? null);
      if (operation.op === 'move') remove(from, writer);
      const to = locate(target, segments, true);
      if (typeof to === 'string') return to;
      add(to, value, writer, operation.node);
      return undefined;
    }
    case 'test': {
      const location = locate(target, segments, false);
      if (typeof location === 'string') return location;
      return deepEqual(read(location), operation.value ?? null) ? undefined : 'test failed';
    }
    default:
      return `unknown operation '${operation.op}'`;
  }
}
