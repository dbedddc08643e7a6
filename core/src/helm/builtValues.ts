/**
 * A HelmRelease's values as one cluster's build makes them: the inline
 * `spec.values` after kustomize patches, components, Flux `spec.patches` and
 * post-build substitution, and `valuesFrom` ConfigMaps found among the
 * objects of the same build (a generator in another folder included), each
 * key located on the line that wrote it.
 *
 * Each key of the built `spec.values` is traced (`builtFieldAnchor`) to the
 * document that last wrote it. Keys written in a document that holds the
 * values as YAML (`spec.values` of the release itself or of a patch file)
 * keep that document's syntax, so findings carry fixes there; keys written
 * elsewhere (an inline Flux patch, a substitution variable) are anchored on
 * that text without fixes.
 *
 * Invariants: the merged value equals the built object's values (plus the
 * `valuesFrom` layers); a path is written by exactly one inline write; never
 * throws (the caller falls back to the document's own values).
 */

import { deref, mapGet, type YamlNode } from '../parse/ast';
import type { Anchor } from '../findings';
import type { IndexedDocument, WorkspaceModel } from '../workspace/model';
import { builtFieldAnchor, builtInstances, originAnchor, type BuiltInstance } from '../gitops/clusterBuild';
import { fieldOrigin, fieldPathKey } from '../build/index';
import { placementsOf } from '../gitops/placement';
import {
  composeValues,
  configMapData,
  effectiveValues,
  treeWrites,
  valuesFileData,
  type EffectiveValues,
  type FoundData,
  type ValuesSource,
  type ValuesWrite,
} from './effectiveValues';
import { directValuesText } from './valuesText';

type InlineWrite = Omit<ValuesWrite, 'sourceIndex'>;

/** The release's effective values in one built instance (memoized per instance). */
export function builtEffectiveValues(model: WorkspaceModel, release: IndexedDocument, instance: BuiltInstance): EffectiveValues {
  return model.derive(`helm/built-values:${instance.build.task.key}:${instance.index}`, (workspace) =>
    composeValues(workspace, release, {
      findData: (name, key) => builtConfigMapData(workspace, instance, name, key),
      inline: inlineSources(workspace, release, instance),
    }),
  );
}

/**
 * The values of a release in each build that deploys it (the document's own
 * values where a build changes nothing, or where no cluster builds it),
 * without repeats.
 */
export function valuesPerBuild(model: WorkspaceModel, release: IndexedDocument): EffectiveValues[] {
  const instances = builtInstances(model, release).filter((instance) => !instance.build.result.failed);
  const out: EffectiveValues[] = [];
  const seen = new Set<string>();
  let raw: EffectiveValues | undefined;
  for (const instance of instances.length > 0 ? instances : [undefined]) {
    const values = !instance || valuesUnchangedByBuild(release, instance) ? (raw ??= effectiveValues(model, release)) : builtEffectiveValues(model, release, instance);
    const key = JSON.stringify(values.value);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(values);
  }
  return out;
}

/** True when the build changed nothing the values depend on (the document's own values can be used as they are). */
export function valuesUnchangedByBuild(release: IndexedDocument, instance: BuiltInstance): boolean {
  const built = specOf(instance.object.value);
  const raw = specOf(release.parsed.value().value);
  return sameJson(built?.values, raw?.values) && sameJson(built?.valuesFrom, raw?.valuesFrom) && instance.build.substitutions[instance.index]?.size === 0 && !builtConfigMapsDiffer(instance);
}

function builtConfigMapsDiffer(instance: BuiltInstance): boolean {
  // A valuesFrom ConfigMap generated in the same build: the build decides its content (another folder's generator, an overlay's behavior: merge).
  const names = valuesFromNames(instance.object.value);
  if (names.length === 0) return false;
  return instance.build.result.objects.some((object) => object.value.kind === 'ConfigMap' && names.includes(baseName(object)));
}

function specOf(value: unknown): Record<string, unknown> | undefined {
  const spec = value && typeof value === 'object' ? (value as Record<string, unknown>).spec : undefined;
  return spec && typeof spec === 'object' && !Array.isArray(spec) ? (spec as Record<string, unknown>) : undefined;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

function valuesFromNames(value: unknown): string[] {
  const list = specOf(value)?.valuesFrom;
  if (!Array.isArray(list)) return [];
  return list.filter((entry) => entry && typeof entry === 'object' && (entry as Record<string, unknown>).kind === 'ConfigMap').map((entry) => String((entry as Record<string, unknown>).name));
}

/** The name a generated object was declared with (kustomize appends a content hash). */
function baseName(object: BuiltInstance['object']): string {
  const metadata = object.value.metadata as Record<string, unknown> | undefined;
  const name = typeof metadata?.name === 'string' ? metadata.name : '';
  return object.source.kind === 'generator' ? name.replace(/-[a-z0-9]{10}$/, '') : name;
}

function builtConfigMapData(model: WorkspaceModel, instance: BuiltInstance, name: string, key: string): FoundData | undefined {
  const objects = instance.build.result.objects;
  for (let index = 0; index < objects.length; index++) {
    const object = objects[index];
    if (object.value.kind !== 'ConfigMap') continue;
    const metadata = object.value.metadata as Record<string, unknown> | undefined;
    if (metadata?.name !== name && baseName(object) !== name) continue;
    const data = object.value.data as Record<string, unknown> | undefined;
    if (!data || typeof data[key] !== 'string') continue;
    const anchor = builtFieldAnchor(model, { ...instance, object, index }, ['data', key]);
    if (!anchor) continue;
    const document = model.fileResources(anchor.file).find((candidate) => candidate.index === anchor.document);
    if (document && document.identity.kind === 'ConfigMap') {
      const found = configMapData(document, key);
      if (found) return found;
    }
    const origin = fieldOrigin(object, ['data', key]);
    if (origin.kind === 'generator') {
      const generator = originAnchor(model, object.source) ?? anchor;
      return valuesFileData(model, anchor.file, anchor.file.slice(anchor.file.lastIndexOf('/') + 1), generator);
    }
  }
  // Another build of the same cluster (a ConfigMap applied by another Flux Kustomization): the one this cluster deploys,
  // not the first of that name in the workspace.
  for (const configMap of model.byKind('ConfigMap')) {
    if (configMap.identity.name !== name || !placementsOf(model, configMap.file).some((placement) => placement.cluster === instance.cluster)) continue;
    const found = configMapData(configMap, key);
    if (found) return found;
  }
  return undefined;
}

interface Group {
  source: ValuesSource;
  writes: InlineWrite[];
  /** Writes of the group's YAML text by path, when the writer holds the values as YAML. */
  tree?: Map<string, InlineWrite>;
}

function inlineSources(model: WorkspaceModel, release: IndexedDocument, instance: BuiltInstance): Array<{ source: ValuesSource; writes: InlineWrite[] }> {
  const values = specOf(instance.object.value)?.values;
  if (!values || typeof values !== 'object' || Array.isArray(values)) return [];
  const groups = new Map<string, Group>();
  const ownKey = `${release.file}#${release.index}`;
  const groupOf = (anchor: Anchor): Group => {
    const key = `${anchor.file}#${anchor.document}`;
    let group = groups.get(key);
    if (!group) {
      group = makeGroup(model, anchor, key === ownKey, instance.clusterName);
      groups.set(key, group);
    }
    return group;
  };
  // The release's own document first: its writes merge below the overlays'.
  const ownAnchor = builtFieldAnchor(model, instance, ['spec', 'values']);
  if (ownAnchor && `${ownAnchor.file}#${ownAnchor.document}` === ownKey) groupOf(ownAnchor);
  const visit = (value: Record<string, unknown>, path: string[], depth: number) => {
    if (depth > 64) return;
    for (const [key, child] of Object.entries(value)) {
      const childPath = [...path, key];
      const anchor = builtFieldAnchor(model, instance, ['spec', 'values', ...childPath]);
      if (anchor) {
        const group = groupOf(anchor);
        const fromTree = group.tree?.get(childPath.join('\u0000'));
        const treeMatches = fromTree && (isMap(child) ? isMap(fromTree.value) : sameJson(fromTree.value, child));
        const substituted = instance.build.substitutions[instance.index]?.get(fieldPathKey(['spec', 'values', ...childPath]));
        // A value a substitution variable wrote is changed where the variable is defined: key and value point there.
        const key = substituted?.origin ? anchor : (keyAnchor(model, instance, childPath) ?? keyBefore(model, anchor, childPath[childPath.length - 1]) ?? anchor);
        group.writes.push(treeMatches ? { ...fromTree, value: child } : { path: childPath, value: child, location: { key, value: anchor } });
      }
      if (isMap(child)) visit(child, childPath, depth + 1);
    }
  };
  visit(values as Record<string, unknown>, [], 0);
  return [...groups.values()].filter((group) => group.writes.length > 0).map(({ source, writes }) => ({ source, writes }));
}

function makeGroup(model: WorkspaceModel, anchor: Anchor, own: boolean, cluster: string): Group {
  const document = model.fileResources(anchor.file).find((candidate) => candidate.index === anchor.document);
  const valuesNode = document ? deref(mapGet(deref(mapGet(deref(document.parsed.root), 'spec')), 'values')) : undefined;
  const label = own ? 'spec.values' : `spec.values from ${anchor.file.slice(anchor.file.lastIndexOf('/') + 1)} (cluster ${cluster})`;
  if (document && valuesNode?.type === 'map' && anchor.start >= valuesNode.start && anchor.start <= valuesNode.end) {
    const text = directValuesText(document.file, document.index, document.parsed.text, valuesNode);
    const tree = new Map<string, InlineWrite>();
    for (const write of treeWrites(text)) tree.set(write.path.join('\u0000'), write);
    return { source: { kind: 'inline', label, text }, writes: [], tree };
  }
  return { source: { kind: 'inline', label }, writes: [] };
}

/** The key's own range, found in the writer of the parent map. */
function keyAnchor(model: WorkspaceModel, instance: BuiltInstance, path: readonly string[]): Anchor | undefined {
  const parent = fieldOrigin(instance.object, ['spec', 'values', ...path.slice(0, -1)]);
  const node: YamlNode | undefined = deref(parent.node);
  if (!node || node.type !== 'map') return undefined;
  const pair = node.pairs.find((candidate) => candidate.key.type === 'scalar' && candidate.key.text === path[path.length - 1]);
  if (!pair) return undefined;
  const base = parent.nodeBase ?? 0;
  return originAnchor(model, { ...parent, start: base + pair.key.start, end: base + pair.key.end });
}

/** The key written just before a value (`key: value` or `key:` above a block), found in the document's text. */
function keyBefore(model: WorkspaceModel, value: Anchor, key: string): Anchor | undefined {
  const text = model.fileDocuments(value.file)[value.document]?.text;
  if (text === undefined) return undefined;
  let index = value.start - 1;
  while (index >= 0 && /\s/.test(text[index])) index--;
  if (text[index] !== ':') return undefined;
  const end = index;
  const candidates = [key, `"${key}"`, `'${key}'`];
  for (const candidate of candidates) {
    const start = end - candidate.length;
    if (start >= 0 && text.slice(start, end) === candidate && (start === 0 || /[\s{,?-]/.test(text[start - 1]))) {
      return { file: value.file, document: value.document, start, end };
    }
  }
  return undefined;
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
