/**
 * `replacements`: copy a field of one built object into fields of others, as
 * kustomize's ReplacementTransformer does (source by id, field paths with
 * `[key=value]` list selectors, numeric indexes and `*`, delimiter/index
 * options, `create`). The copied value's origin is the source field's origin,
 * so a finding on the target points at the line that really decides it.
 *
 * Invariant: a missing source or target field is an error (kustomize fails),
 * returned as a message; nothing is guessed.
 */

import { RE2JS } from 're2js';
import { resolvePlainScalar } from '../parse/resolveScalar';
import { originAt, recordWrite, type PathSegment } from './provenance';
import {
  allIds,
  cloneJson,
  effectiveNamespace,
  gvkSelected,
  isObject,
  labelsMatch,
  metadataOf,
  parseApiVersion,
  stringField,
  stringMap,
  type Json,
  type JsonObject,
  type ResId,
  type Resource,
} from './resource';

interface IdSelector {
  group?: string;
  version?: string;
  kind?: string;
  name?: string;
  namespace?: string;
}

interface Selector extends IdSelector {
  labelSelector?: string;
  annotationSelector?: string;
}

interface FieldOptions {
  delimiter?: string;
  index?: number;
  create?: boolean;
}

export interface Replacement {
  source?: IdSelector & { fieldPath?: string; options?: FieldOptions };
  targets?: Array<{ select?: Selector; reject?: Selector[]; fieldPaths?: string[]; options?: FieldOptions }>;
}

function readSelector(value: Json | undefined): Selector | undefined {
  if (!isObject(value)) return undefined;
  const selector: Selector = {};
  for (const key of ['group', 'version', 'kind', 'name', 'namespace', 'labelSelector', 'annotationSelector'] as const) {
    if (value[key] !== undefined && value[key] !== null) selector[key] = stringField(value[key]);
  }
  if (typeof value.apiVersion === 'string' && value.apiVersion) {
    const { group, version } = parseApiVersion(value.apiVersion);
    selector.group ??= group;
    selector.version ??= version;
  }
  return selector;
}

function readOptions(value: Json | undefined): FieldOptions | undefined {
  if (!isObject(value)) return undefined;
  return {
    delimiter: typeof value.delimiter === 'string' ? value.delimiter : undefined,
    index: typeof value.index === 'number' ? value.index : 0,
    create: value.create === true,
  };
}

export function readReplacement(value: Json): Replacement {
  if (!isObject(value)) return {};
  const source = isObject(value.source)
    ? { ...readSelector(value.source), fieldPath: typeof value.source.fieldPath === 'string' ? value.source.fieldPath : undefined, options: readOptions(value.source.options) }
    : undefined;
  const targets = Array.isArray(value.targets)
    ? value.targets.filter(isObject).map((target) => ({
        select: readSelector(target.select),
        reject: Array.isArray(target.reject) ? target.reject.map(readSelector).filter((entry): entry is Selector => entry !== undefined) : undefined,
        fieldPaths: Array.isArray(target.fieldPaths) ? target.fieldPaths.map(stringField) : undefined,
        options: readOptions(target.options),
      }))
    : undefined;
  return { source, targets };
}

function idSelected(id: ResId, selector: IdSelector): boolean {
  if (selector.name && selector.name !== id.name) return false;
  if (selector.namespace && effectiveNamespace({ ...id, namespace: selector.namespace }) !== effectiveNamespace(id)) return false;
  return gvkSelected(id, { group: selector.group, version: selector.version, kind: selector.kind });
}

function annotationsAndLabelsMatch(resource: Resource, selector: Selector): boolean {
  const metadata = metadataOf(resource.value);
  if (selector.labelSelector && !labelsMatch(selector.labelSelector, stringMap(metadata?.labels))) return false;
  if (selector.annotationSelector && !labelsMatch(selector.annotationSelector, stringMap(metadata?.annotations))) return false;
  return true;
}

/** kyaml's SmarterPathSplitter: `.`-separated, bracketed segments kept whole (`[a=b.c]`), `[x.y]` without `=` becomes the field `x.y`. */
export function splitReplacementPath(path: string): string[] {
  const parts = path.split('.');
  const result: string[] = [];
  for (let index = 0; index < parts.length; index++) {
    const part = parts[index];
    if (part.startsWith('[') && !part.endsWith(']')) {
      const bracketed = [part];
      while (index < parts.length - 1) {
        index++;
        bracketed.push(parts[index]);
        if (parts[index].endsWith(']')) break;
      }
      const joined = bracketed.join('.');
      result.push(joined.includes('=') ? joined : joined.replace(/^\[+|\]+$/g, ''));
    } else result.push(part);
  }
  return result.map((segment) => segment.trim()).filter((segment) => segment !== '');
}

interface Match {
  container: JsonObject | Json[];
  key: string | number;
  path: PathSegment[];
}

function regexFind(pattern: string, text: string): boolean {
  try {
    return RE2JS.compile(pattern).matcher(text).find();
  } catch {
    return false;
  }
}

function scalarText(value: Json | undefined): string {
  return stringField(value);
}

/** Finds (and with `create`, makes) the fields a path names. */
function findFields(root: JsonObject, segments: string[], create: Json | undefined): Match[] {
  const results: Match[] = [];
  const walk = (container: JsonObject | Json[], key: string | number, path: PathSegment[], index: number): void => {
    if (index === segments.length) {
      results.push({ container, key, path });
      return;
    }
    const node = Array.isArray(container) ? container[key as number] : container[key as string];
    const segment = segments[index];
    const next = segments[index + 1];
    const emptyFor = (part: string | undefined): Json => (part === undefined ? cloneJson(create ?? null) : /^\d+$/.test(part) || part.startsWith('[') ? [] : {});
    if (/^\d+$/.test(segment)) {
      if (!Array.isArray(node)) return;
      const position = Number(segment);
      if (position === node.length && create !== undefined) node.push(emptyFor(next));
      if (position >= node.length) return;
      walk(node, position, [...path, position], index + 1);
      return;
    }
    if (segment.startsWith('[') && segment.endsWith(']') && segment.includes('=')) {
      if (!Array.isArray(node)) return;
      const inner = segment.slice(1, -1);
      const equals = inner.indexOf('=');
      const field = inner.slice(0, equals);
      const pattern = inner.slice(equals + 1);
      let found = false;
      node.forEach((element, position) => {
        const text = field === '' ? scalarText(element) : isObject(element) && element[field] !== undefined && element[field] !== null ? scalarText(element[field]) : undefined;
        if (text === undefined || !regexFind(pattern, text.trim())) return;
        found = true;
        walk(node, position, [...path, position], index + 1);
      });
      if (!found && create !== undefined) {
        node.push(field === '' ? pattern : { [field]: pattern });
        walk(node, node.length - 1, [...path, node.length - 1], index + 1);
      }
      return;
    }
    if (segment === '*') {
      if (Array.isArray(node)) node.forEach((_, position) => walk(node, position, [...path, position], index + 1));
      return;
    }
    if (!isObject(node)) return;
    if ((node[segment] === undefined || node[segment] === null) && create !== undefined) node[segment] = emptyFor(next);
    if (node[segment] === undefined) return;
    walk(node, segment, [...path, segment], index + 1);
  };
  const first = segments[0];
  if (first === undefined) return [];
  // Walk from a virtual holder so the root's own fields are addressed uniformly.
  const walkRoot = (index: number) => {
    const segment = segments[index];
    if (/^\d+$/.test(segment) || segment.startsWith('[') || segment === '*') return;
    if ((root[segment] === undefined || root[segment] === null) && create !== undefined) {
      const next = segments[index + 1];
      root[segment] = next === undefined ? cloneJson(create) : /^\d+$/.test(next) || next.startsWith('[') ? [] : {};
    }
    if (root[segment] === undefined) return;
    walk(root, segment, [segment], index + 1);
  };
  walkRoot(0);
  return results;
}

/** Applies replacements in order; returns the first error (kustomize stops there). */
export function applyReplacements(resources: Resource[], replacements: Replacement[]): string | undefined {
  for (const replacement of replacements) {
    if (!replacement.source || !replacement.targets) return 'replacements must specify a source and at least one target';
    const source = replacement.source;
    const matches = resources.filter((resource) => allIds(resource).some((id) => idSelected(id, source)));
    if (matches.length > 1) return `multiple matches for replacement source selector ${JSON.stringify(source)}`;
    if (matches.length === 0) return `nothing selected by replacement source ${JSON.stringify(source)}`;
    const sourceResource = matches[0];
    const fieldPath = source.fieldPath || 'metadata.name';
    const found = findFields(sourceResource.value, splitReplacementPath(fieldPath), undefined);
    const first = found[0];
    let value = first ? (Array.isArray(first.container) ? first.container[first.key as number] : first.container[first.key as string]) : undefined;
    if (value === undefined || value === null || (typeof value === 'object' && Object.keys(value).length === 0) || value === '') {
      return `fieldPath \`${fieldPath}\` is missing for replacement source ${source.kind ?? ''}/${source.name ?? ''}`;
    }
    const sourceOrigin = { ...originAt(sourceResource, first!.path), kind: 'replacement' as const };
    if (source.options?.delimiter) {
      if (typeof value === 'object') return 'delimiter option can only be used with scalar nodes';
      const parts = scalarText(value).split(source.options.delimiter);
      const index = source.options.index ?? 0;
      if (index < 0 || index >= parts.length) return `options.index ${index} is out of bounds for value ${scalarText(value)}`;
      value = parts[index];
    }
    for (const target of replacement.targets) {
      if (!target.select) return 'target must specify resources to select';
      const fieldPaths = target.fieldPaths && target.fieldPaths.length > 0 ? target.fieldPaths : ['metadata.name'];
      for (const resource of resources) {
        if (!annotationsAndLabelsMatch(resource, target.select)) continue;
        if ((target.reject ?? []).some((reject) => (reject.labelSelector || reject.annotationSelector) && annotationsAndLabelsMatch(resource, reject))) continue;
        const ids = allIds(resource);
        if (!ids.some((id) => idSelected(id, target.select!))) continue;
        const rejected = (target.reject ?? []).some((reject) => {
          const idPart: IdSelector = { group: reject.group, version: reject.version, kind: reject.kind, name: reject.name, namespace: reject.namespace };
          if (!Object.values(idPart).some((entry) => entry)) return false;
          return ids.some((id) => idSelected(id, idPart));
        });
        if (rejected) continue;
        for (const fieldPath of fieldPaths) {
          const targets = findFields(resource.value, splitReplacementPath(fieldPath), target.options?.create ? value : undefined);
          if (targets.length === 0) return `unable to find ${target.options?.create ? 'or create ' : ''}field "${fieldPath}" in replacement target`;
          for (const match of targets) {
            const error = setField(match, value, target.options);
            if (error) return error;
            recordWrite(resource, match.path, sourceOrigin);
          }
        }
      }
    }
  }
  return undefined;
}

function setField(match: Match, value: Json, options: FieldOptions | undefined): string | undefined {
  const current = Array.isArray(match.container) ? match.container[match.key as number] : match.container[match.key as string];
  let next: Json = cloneJson(value);
  if (options?.delimiter) {
    if (current !== null && typeof current === 'object') return 'delimiter option can only be used with scalar nodes';
    const parts = scalarText(current).split(options.delimiter);
    const text = scalarText(value);
    const index = options.index ?? 0;
    if (index < 0) parts.unshift(text);
    else if (index >= parts.length) parts.push(text);
    else parts[index] = text;
    next = parts.join(options.delimiter);
  }
  if (current !== null && current !== undefined && typeof current !== 'object' && (next === null || typeof next !== 'object')) {
    // kustomize replaces the scalar's text and keeps its tag: a string stays a string.
    const text = scalarText(next);
    next = typeof current === 'string' ? text : resolvePlainScalar(text);
  }
  if (Array.isArray(match.container)) match.container[match.key as number] = next;
  else match.container[match.key as string] = next;
  return undefined;
}
