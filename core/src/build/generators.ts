/**
 * configMapGenerator / secretGenerator: builds the ConfigMap or Secret an
 * entry describes (env files, then literals, then files, as kustomize loads
 * them) and records, for every data key, the line or file that supplied it.
 *
 * Invariants: keys are unique (a repeated key is an error, as in kustomize);
 * files are read through the engine's loader (so load restrictions apply);
 * the name hash is added at the end of the whole build, not here.
 */

import { deref, mapGet, type YamlNode } from '../parse/ast';
import { base64Utf8 } from './nameHash';
import { basename } from './paths';
import { recordWrite } from './provenance';
import { isObject, stringField, type Json, type JsonObject, type Resource } from './resource';
import type { Origin } from './types';

export interface GeneratorOptionsValue {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  disableNameSuffixHash?: boolean;
  immutable?: boolean;
}

export interface GeneratorLoader {
  /** Reads a file relative to the kustomization; returns text and its repository path, or an error message. */
  load(relative: string): { text: string; path: string } | { error: string };
  /** Origin of a syntax node of the kustomization file. */
  origin(node: YamlNode | undefined, detail: string): Origin;
  /** Origin of a range in another file (env and data files). */
  fileOrigin(path: string, start: number, end: number, detail: string): Origin;
}

function stringRecord(value: Json | undefined): Record<string, string> | undefined {
  if (!isObject(value)) return undefined;
  const result: Record<string, string> = {};
  for (const [key, entry] of Object.entries(value)) result[key] = stringField(entry);
  return result;
}

export function readGeneratorOptions(value: Json | undefined): GeneratorOptionsValue | undefined {
  if (!isObject(value)) return undefined;
  return {
    labels: stringRecord(value.labels),
    annotations: stringRecord(value.annotations),
    disableNameSuffixHash: value.disableNameSuffixHash === true,
    immutable: value.immutable === true,
  };
}

/** kustomize's MergeGlobalOptionsIntoLocal: global labels/annotations overridden by local ones; flags OR-ed. */
export function mergeGeneratorOptions(local: GeneratorOptionsValue | undefined, global: GeneratorOptionsValue | undefined): GeneratorOptionsValue | undefined {
  if (!global) return local;
  const result: GeneratorOptionsValue = { ...(local ?? {}) };
  if (global.labels) result.labels = { ...global.labels, ...(local?.labels ?? {}) };
  if (global.annotations) result.annotations = { ...global.annotations, ...(local?.annotations ?? {}) };
  if (global.disableNameSuffixHash) result.disableNameSuffixHash = true;
  if (global.immutable) result.immutable = true;
  return result;
}

interface Pair {
  key: string;
  value: string;
  origin: Origin;
}

const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const DATA_KEY = /^[-._a-zA-Z0-9]+$/;

function stringList(value: Json | undefined): string[] {
  if (Array.isArray(value)) return value.map(stringField);
  if (typeof value === 'string') return [value];
  return [];
}

function listNode(entryNode: YamlNode | undefined, field: string, index: number): YamlNode | undefined {
  const list = deref(mapGet(deref(entryNode), field));
  return list?.type === 'seq' ? deref(list.items[index]) : list;
}

function envPairs(text: string, path: string, loader: GeneratorLoader, detail: string): Pair[] | string {
  const pairs: Pair[] = [];
  let offset = 0;
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const rawLine = lines[index];
    const lineStart = offset;
    offset += rawLine.length + 1;
    let line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (index === 0 && line.startsWith('\ufeff')) line = line.slice(1);
    const trimmed = line.replace(/^\s+/, '');
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const equals = trimmed.indexOf('=');
    const key = equals === -1 ? trimmed : trimmed.slice(0, equals);
    if (!ENV_NAME.test(key)) return `invalid environment variable name '${key}' in ${path}`;
    pairs.push({ key, value: equals === -1 ? '' : trimmed.slice(equals + 1), origin: loader.fileOrigin(path, lineStart, lineStart + rawLine.length, detail) });
  }
  return pairs;
}

/** kustomize writes Secret data as base64 broken into 70-character lines (each ending in a newline) once it reaches 70 characters. */
function wrappedBase64(text: string): string {
  const encoded = base64Utf8(text);
  if (encoded.length < 70) return encoded;
  let result = '';
  for (let index = 0; index < encoded.length; index += 70) result += `${encoded.slice(index, index + 70)}\n`;
  return result;
}

function stripQuotes(text: string): string {
  if (text.length < 2 || text[0] !== text[text.length - 1]) return text;
  return text[0] === '"' || text[0] === "'" ? text.slice(1, -1) : text;
}

/** Builds the resource of one generator entry, or returns an error message. */
export function generateResource(
  kind: 'ConfigMap' | 'Secret',
  entry: JsonObject,
  entryNode: YamlNode | undefined,
  globalOptions: GeneratorOptionsValue | undefined,
  loader: GeneratorLoader,
  detail: string,
): Resource | string {
  const name = stringField(entry.name);
  if (!name) return `a ${kind === 'ConfigMap' ? 'configmap' : 'secret'} generator entry must have a name`;
  const behavior = stringField(entry.behavior) || 'create';
  if (!['create', 'merge', 'replace'].includes(behavior)) return `invalid generator behavior '${behavior}'`;
  const pairs: Pair[] = [];
  const envs = [...stringList(entry.envs), ...stringList(entry.env)];
  for (const env of envs) {
    const loaded = loader.load(env);
    if ('error' in loaded) return loaded.error;
    const more = envPairs(loaded.text, loaded.path, loader, `${detail} env ${env}`);
    if (typeof more === 'string') return more;
    pairs.push(...more);
  }
  stringList(entry.literals).forEach((literal, index) => {
    const equals = literal.indexOf('=');
    if (equals <= 0) {
      pairs.push({ key: '', value: literal, origin: loader.origin(listNode(entryNode, 'literals', index), detail) });
      return;
    }
    pairs.push({ key: literal.slice(0, equals), value: stripQuotes(literal.slice(equals + 1)), origin: loader.origin(listNode(entryNode, 'literals', index), `${detail} literal`) });
  });
  if (pairs.some((pair) => pair.key === '')) return `invalid literal source in ${kind} ${name}, expected key=value`;
  const files = stringList(entry.files);
  for (const source of files) {
    const separators = source.split('=').length - 1;
    let key: string;
    let file: string;
    if (separators === 0) {
      key = basename(source);
      file = source;
    } else if (separators === 1 && !source.startsWith('=') && !source.endsWith('=')) {
      [key, file] = source.split('=');
    } else return `invalid file source '${source}'`;
    const loaded = loader.load(file);
    if ('error' in loaded) return loaded.error;
    pairs.push({ key, value: loaded.text, origin: loader.fileOrigin(loaded.path, 0, loaded.text.length, `${detail} file ${source}`) });
  }
  const data: JsonObject = {};
  const keyOrigins = new Map<string, Origin>();
  for (const pair of pairs) {
    if (!DATA_KEY.test(pair.key)) return `invalid key '${pair.key}' in ${kind} ${name}`;
    if (pair.key in data) return `${kind === 'ConfigMap' ? 'configmap' : 'secret'} ${name} illegally repeats the key \`${pair.key}\``;
    data[pair.key] = kind === 'Secret' ? wrappedBase64(pair.value) : pair.value;
    keyOrigins.set(pair.key, pair.origin);
  }
  const options = mergeGeneratorOptions(readGeneratorOptions(entry.options), globalOptions);
  const metadata: JsonObject = { name };
  const namespace = stringField(entry.namespace);
  if (namespace) metadata.namespace = namespace;
  const value: JsonObject = { apiVersion: 'v1', kind, metadata };
  if (options?.labels && Object.keys(options.labels).length > 0) metadata.labels = { ...options.labels };
  if (options?.annotations && Object.keys(options.annotations).length > 0) metadata.annotations = { ...options.annotations };
  if (kind === 'Secret') value.type = stringField(entry.type) || 'Opaque';
  if (Object.keys(data).length > 0) value.data = data;
  if (options?.immutable) value.immutable = true;
  const source = loader.origin(entryNode, detail);
  const resource: Resource = {
    value,
    source: { ...source, kind: 'generator' },
    fieldOrigins: new Map(),
    via: [],
    prevIds: [],
    namePrefixes: [],
    nameSuffixes: [],
    needsHash: !options?.disableNameSuffixHash,
    behavior: behavior as Resource['behavior'],
  };
  for (const [key, origin] of keyOrigins) recordWrite(resource, ['data', key], origin);
  return resource;
}
