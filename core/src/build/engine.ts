/**
 * The kustomize (v5) build: loads a kustomization, accumulates its resources,
 * bases and components, runs generators and the built-in transformers in
 * kustomize's order, adds name hash suffixes, fixes name references and sorts
 * the result — in TypeScript, over a read-only file view, with provenance.
 *
 * Order inside one kustomization (as kustomize's KustTarget): resources →
 * configurations → generators → components → patchesStrategicMerge → patches
 * → namespace → namePrefix → nameSuffix → labels/commonLabels →
 * commonAnnotations → patchesJson6902 → replicas → images → replacements →
 * `transformers:`. After the root: hash suffixes, name references, dropping
 * local-config objects, sort (legacy order unless `sortOptions` says fifo).
 *
 * Invariants: never reads outside the repository (remote bases and `..`
 * escaping the root become `unknown` notes); never throws on bad input (an
 * error note and a partial result instead); deterministic output; the
 * directory build cache is per build call (no state between calls).
 */

import { deref, mapGet, type YamlNode } from '../parse/ast';
import { parseYamlFile } from '../parse/yamlFile';
import {
  defaultTransformerConfig,
  fieldSpecsFromJson,
  mergeFieldSpecs,
  mergeTransformerConfig,
  transformerConfigFromJson,
  type FieldSpec,
  type TransformerConfig,
} from './fieldSpecs';
import { generateResource, readGeneratorOptions, type GeneratorLoader } from './generators';
import { applyJsonPatch, type JsonPatchOperation } from './jsonPatch';
import { nameHash } from './nameHash';
import { fixNameReferences } from './nameReference';
import { dirname, isRemoteReference, isWithin, joinPath, KUSTOMIZATION_FILE_NAMES } from './paths';
import { nodeOrigin, recordWrite } from './provenance';
import { applyReplacements, readReplacement, type Replacement } from './replacements';
import {
  allIds,
  cloneJson,
  currentId,
  idKey,
  effectiveNamespace,
  ensureMetadata,
  gvkOf,
  idString,
  isObject,
  metadataOf,
  nameOf,
  namespaceOf,
  sameGvk,
  sameId,
  selectorError,
  selectorMatches,
  storePreviousId,
  stringField,
  type Json,
  type JsonObject,
  type ResId,
  type Resource,
  type TargetSelector,
} from './resource';
import { applyStrategicMerge, type PatchWriter } from './strategicMerge';
import { applyImage, applyNameAffix, applyNamespace, applyReplicas, applyStringMap, type ImageSpec } from './transformers';
import { yamlValue } from './yamlValue';
import type { BuildFileSystem, BuildNote, BuildOptions, BuildResult, BuiltObject, Origin, OriginKind } from './types';

/** A loaded YAML document with the offset that maps its syntax offsets to the file. */
export interface LoadedDocument {
  value: Json;
  node: YamlNode | undefined;
  base: number;
  index: number;
}

/** A kustomization as the engine reads it. */
export interface Kustomization {
  dir: string;
  /** Path of the kustomization file; for a generated one (Flux), `<dir>/kustomization.yaml` that does not exist. */
  file: string;
  value: JsonObject;
  node: YamlNode | undefined;
  base: number;
  /** True when the engine made this kustomization up (Flux directory scan). */
  synthetic?: boolean;
  /** Fields a Flux Kustomization set on this (root) kustomization, with their origins in the Flux file. */
  overlay?: {
    namespace?: Origin;
    namePrefix?: Origin;
    nameSuffix?: Origin;
    /** Origins of `images` entries by index. */
    images: Map<number, Origin>;
    patches: Array<{ documents: LoadedDocument[]; file: string; target?: TargetSelector; detail: string }>;
  };
}

export interface Accumulator {
  resources: Resource[];
  config: TransformerConfig;
}

const KNOWN_FIELDS = new Set([
  'apiVersion',
  'kind',
  'metadata',
  'resources',
  'bases',
  'components',
  'namespace',
  'namePrefix',
  'nameSuffix',
  'commonLabels',
  'labels',
  'commonAnnotations',
  'patches',
  'patchesStrategicMerge',
  'patchesJson6902',
  'configMapGenerator',
  'secretGenerator',
  'generatorOptions',
  'images',
  'imageTags',
  'replicas',
  'vars',
  'replacements',
  'crds',
  'configurations',
  'generators',
  'transformers',
  'validators',
  'openapi',
  'helmCharts',
  'helmGlobals',
  'helmChartInflationGenerator',
  'buildMetadata',
  'sortOptions',
]);

const MAX_DEPTH = 64;

class BuildError extends Error {}

export class KustomizeEngine {
  readonly notes: BuildNote[] = [];
  readonly files = new Set<string>();
  private readonly fileCache = new Map<string, LoadedDocument[] | string>();
  private readonly restrictions: 'rootOnly' | 'none';

  constructor(
    private readonly fs: BuildFileSystem,
    options: BuildOptions = {},
  ) {
    this.restrictions = options.loadRestrictions ?? 'rootOnly';
  }

  // --- notes -----------------------------------------------------------------

  note(kind: BuildNote['kind'], message: string, file: string, node?: YamlNode, base = 0): void {
    const note: BuildNote = { kind, message, file };
    if (node) {
      note.start = base + node.start;
      note.end = base + node.end;
    }
    if (!this.notes.some((existing) => existing.kind === note.kind && existing.message === note.message && existing.file === note.file && existing.start === note.start)) {
      this.notes.push(note);
    }
  }

  fail(message: string, file: string, node?: YamlNode, base = 0): never {
    this.note('error', message, file, node, base);
    throw new BuildError(message);
  }

  // --- files -----------------------------------------------------------------

  readText(path: string): string | undefined {
    const text = this.fs.readFile(path);
    if (text !== undefined) this.files.add(path);
    return text;
  }

  loadDocuments(path: string): LoadedDocument[] | string {
    const cached = this.fileCache.get(path);
    if (cached !== undefined) return cached;
    const text = this.readText(path);
    let result: LoadedDocument[] | string;
    if (text === undefined) result = `file '${path}' does not exist`;
    else {
      const parsed = this.fs.readYaml?.(path) ?? parseYamlFile(text);
      if (parsed.skipped) result = `${path}: ${parsed.skipped.reason}`;
      else {
        result = [];
        for (const document of parsed.documents) {
          const syntax = document.parsed.problems.find((problem) => problem.code === 'yaml/syntax');
          if (syntax) {
            result = `${path}: YAML syntax error: ${syntax.message}`;
            break;
          }
          const converted = yamlValue(document.parsed.root);
          if (converted.exceeded) {
            result = `${path}: YAML alias expansion is too large`;
            break;
          }
          result.push({ value: converted.value ?? null, node: document.parsed.root, base: document.start, index: document.index });
        }
      }
    }
    this.fileCache.set(path, result);
    return result;
  }

  /** Finds the kustomization file of a directory. */
  kustomizationFileOf(dir: string): string | undefined {
    const listing = this.fs.listDir(dir);
    if (!listing) return undefined;
    for (const name of KUSTOMIZATION_FILE_NAMES) {
      if (listing.files.includes(name)) return dir === '' ? name : `${dir}/${name}`;
    }
    return undefined;
  }

  loadKustomization(dir: string): Kustomization | string {
    const file = this.kustomizationFileOf(dir);
    if (!file) return `unable to find one of ${KUSTOMIZATION_FILE_NAMES.map((name) => `'${name}'`).join(', ')} in directory '${dir || '.'}'`;
    const documents = this.loadDocuments(file);
    if (typeof documents === 'string') return documents;
    const first = documents.find((document) => document.value !== null && document.value !== undefined);
    const value = first?.value ?? {};
    if (!isObject(value)) return `${file}: a kustomization must be a map`;
    return { dir, file, value, node: first?.node, base: first?.base ?? 0 };
  }

  // --- origins ---------------------------------------------------------------

  kustomizationOrigin(k: Kustomization, node: YamlNode | undefined, detail: string, kind: OriginKind = 'transformer'): Origin {
    if (!node) return { kind, file: k.file, document: 0, start: 0, end: 0, kustomization: k.file, detail };
    return nodeOrigin(kind, k.file, 0, node, k.base, { kustomization: k.file, detail });
  }

  fieldNode(k: Kustomization, field: string, index?: number): YamlNode | undefined {
    const node = deref(mapGet(deref(k.node), field));
    if (index === undefined) return node;
    return node?.type === 'seq' ? deref(node.items[index]) : undefined;
  }

  // --- paths -----------------------------------------------------------------

  /** Resolves an entry of a kustomization; notes and returns undefined when it cannot be read offline. */
  resolveEntry(k: Kustomization, entry: string, node: YamlNode | undefined, what: string): string | undefined {
    if (isRemoteReference(entry)) {
      this.note('unknown', `${what} '${entry}' is remote; it cannot be read offline`, k.file, node, k.base);
      return undefined;
    }
    const path = joinPath(k.dir, entry);
    if (path === undefined) {
      this.note('unknown', `${what} '${entry}' is outside the repository`, k.file, node, k.base);
      return undefined;
    }
    return path;
  }

  /** Loads a file a kustomization refers to, applying kustomize's load restrictions. */
  loadFile(k: Kustomization, entry: string, node: YamlNode | undefined, what: string): { text: string; path: string } | { error: string } | undefined {
    const path = this.resolveEntry(k, entry, node, what);
    if (path === undefined) return undefined;
    if (this.restrictions === 'rootOnly' && !isWithin(path, k.dir)) {
      return { error: `security; file '${path}' is not in or below '${k.dir || '.'}'` };
    }
    const text = this.readText(path);
    if (text === undefined) return { error: `${what} '${entry}': file '${path}' does not exist` };
    return { text, path };
  }

  // --- accumulation ----------------------------------------------------------

  emptyAccumulator(): Accumulator {
    return { resources: [], config: defaultTransformerConfig() };
  }

  /**
   * Appends resources, failing on an id already registered. `registered`
   * holds the `idKey`s of `acc.resources`; callers appending several times in
   * a row (no transformer runs in between) pass the same set, so a folder of
   * n files costs O(n), not O(n²).
   */
  appendResources(acc: Accumulator, resources: Resource[], k: Kustomization, node: YamlNode | undefined, registered = new Set(acc.resources.map((existing) => idKey(currentId(existing))))): void {
    for (const resource of resources) {
      const id = currentId(resource);
      const key = idKey(id);
      if (registered.has(key)) {
        this.fail(`may not add resource with an already registered id: ${idString(id)}`, k.file, node, k.base);
      }
      registered.add(key);
      acc.resources.push(resource);
    }
  }

  resourcesFromDocuments(path: string, documents: LoadedDocument[], k: Kustomization | undefined): Resource[] | string {
    const resources: Resource[] = [];
    for (const document of documents) {
      if (document.value === null || document.value === undefined) continue;
      if (!isObject(document.value)) return `${path}: document ${document.index} is not a map`;
      const items: Array<{ value: JsonObject; node: YamlNode | undefined }> = [];
      if (stringField(document.value.kind) === 'List' && Array.isArray(document.value.items)) {
        const itemsNode = deref(mapGet(deref(document.node), 'items'));
        document.value.items.forEach((item, index) => {
          if (isObject(item)) items.push({ value: item, node: itemsNode?.type === 'seq' ? deref(itemsNode.items[index]) : undefined });
        });
      } else items.push({ value: document.value, node: document.node });
      for (const item of items) {
        if (Object.keys(item.value).length === 0) continue;
        if (!stringField(item.value.kind)) return `${path}: missing kind in document ${document.index}`;
        const source: Origin = item.node
          ? nodeOrigin('resource', path, document.index, item.node, document.base, k ? { kustomization: k.file } : {})
          : { kind: 'resource', file: path, document: document.index, start: document.base, end: document.base, ...(k ? { kustomization: k.file } : {}) };
        resources.push({
          value: cloneJson(item.value),
          source,
          fieldOrigins: new Map(),
          via: [],
          prevIds: [],
          namePrefixes: [],
          nameSuffixes: [],
          needsHash: false,
        });
      }
    }
    return resources;
  }

  accumulateResources(k: Kustomization, acc: Accumulator, stack: string[]): void {
    const entries = [...stringList(k.value.resources), ...stringList(k.value.bases)];
    const resourcesNode = this.fieldNode(k, 'resources');
    // Nothing transforms `acc` while its resources are appended: one id index serves every entry.
    const registered = new Set(acc.resources.map((existing) => idKey(currentId(existing))));
    entries.forEach((entry, index) => {
      const node = resourcesNode?.type === 'seq' ? deref(resourcesNode.items[index]) : undefined;
      const path = this.resolveEntry(k, entry, node, 'resource');
      if (path === undefined) return;
      if (this.fs.isDir(path)) {
        const sub = this.loadKustomization(path);
        if (typeof sub === 'string') this.fail(sub, k.file, node, k.base);
        if (stringField(sub.value.kind) === 'Component') this.fail(`expected kind != 'Component' for path '${path}'`, k.file, node, k.base);
        const subAcc = this.accumulateTarget(sub, this.emptyAccumulator(), [...stack, k.dir]);
        this.appendResources(acc, subAcc.resources, k, node, registered);
        acc.config = mergeTransformerConfig(acc.config, subAcc.config);
        return;
      }
      if (this.restrictions === 'rootOnly' && !isWithin(path, k.dir)) {
        this.fail(`security; file '${path}' is not in or below '${k.dir || '.'}'`, k.file, node, k.base);
      }
      const documents = this.loadDocuments(path);
      if (typeof documents === 'string') {
        this.fail(`accumulating resources: ${documents}`, k.file, node, k.base);
      }
      const resources = this.resourcesFromDocuments(path, documents, k);
      if (typeof resources === 'string') this.fail(resources, k.file, node, k.base);
      this.appendResources(acc, resources, k, node, registered);
    });
  }

  /** Accumulates one kustomization (or a component into its parent's accumulator). */
  accumulateTarget(k: Kustomization, acc: Accumulator, stack: string[]): Accumulator {
    if (stack.includes(k.dir) || stack.length > MAX_DEPTH) this.fail(`cycle detected: '${k.dir}' includes itself`, k.file);
    for (const key of Object.keys(k.value)) {
      if (!KNOWN_FIELDS.has(key)) this.fail(`invalid Kustomization: unknown field "${key}"`, k.file, deref(mapGet(deref(k.node), key)), k.base);
    }
    const before = new Set(acc.resources);
    this.accumulateResources(k, acc, stack);
    this.mergeConfigurations(k, acc);
    this.unsupported(k);
    this.runGenerators(k, acc);
    this.accumulateComponents(k, acc, stack);
    this.runBuiltinTransformers(k, acc);
    this.runTransformerEntries(k, acc, stack);
    for (const resource of acc.resources) {
      if (!k.synthetic || !before.has(resource)) resource.via.push(k.file);
    }
    return acc;
  }

  mergeConfigurations(k: Kustomization, acc: Accumulator): void {
    stringList(k.value.configurations).forEach((entry, index) => {
      const node = this.fieldNode(k, 'configurations', index);
      const loaded = this.loadFile(k, entry, node, 'configuration');
      if (!loaded) return;
      if ('error' in loaded) this.fail(loaded.error, k.file, node, k.base);
      const documents = this.loadDocuments(loaded.path);
      if (typeof documents === 'string') this.fail(documents, k.file, node, k.base);
      for (const document of documents) acc.config = mergeTransformerConfig(acc.config, transformerConfigFromJson(document.value));
    });
  }

  unsupported(k: Kustomization): void {
    const report = (field: string, what: string) => {
      const value = k.value[field];
      if (value === undefined || value === null || (Array.isArray(value) && value.length === 0) || (isObject(value) && Object.keys(value).length === 0)) return;
      this.note('unsupported', `${what} is not modelled; its output is unknown`, k.file, this.fieldNode(k, field), k.base);
    };
    report('helmCharts', 'helmCharts (Helm chart inflation)');
    report('helmChartInflationGenerator', 'helmChartInflationGenerator');
    report('generators', 'generators (generator plugins)');
    report('validators', 'validators (validator plugins)');
    report('vars', 'vars (deprecated variable substitution)');
    report('crds', 'crds (custom reference configuration from CRD schemas)');
    report('openapi', 'openapi (custom merge schema)');
  }

  runGenerators(k: Kustomization, acc: Accumulator): void {
    const globalOptions = readGeneratorOptions(k.value.generatorOptions);
    const loader = (field: string): GeneratorLoader => ({
      load: (relative) => {
        const loaded = this.loadFile(k, relative, this.fieldNode(k, field), 'generator input');
        return loaded ?? { error: `generator input '${relative}' cannot be read offline` };
      },
      origin: (node, detail) => this.kustomizationOrigin(k, node, detail, 'generator'),
      fileOrigin: (path, start, end, detail) => ({ kind: 'generator', file: path, document: 0, start, end, kustomization: k.file, detail }),
    });
    for (const [field, kind] of [
      ['configMapGenerator', 'ConfigMap'],
      ['secretGenerator', 'Secret'],
    ] as const) {
      const entries = k.value[field];
      if (!Array.isArray(entries)) continue;
      entries.forEach((entry, index) => {
        const node = this.fieldNode(k, field, index);
        if (!isObject(entry)) this.fail(`${field}[${index}] must be a map`, k.file, node, k.base);
        const generated = generateResource(kind, entry, node, globalOptions, loader(field), `${field}[${index}]`);
        if (typeof generated === 'string') this.fail(generated, k.file, node, k.base);
        this.absorb(acc, generated, k, node);
      });
    }
  }

  /** kustomize's appendReplaceOrMerge for generated resources. */
  absorb(acc: Accumulator, generated: Resource, k: Kustomization, node: YamlNode | undefined): void {
    const id = currentId(generated);
    const matches = acc.resources.filter((resource) => allIds(resource).some((candidate) => sameId(candidate, id)));
    const behavior = generated.behavior ?? 'create';
    delete generated.behavior;
    if (matches.length === 0) {
      if (behavior !== 'create') this.fail(`id ${idString(id)} does not exist; cannot merge or replace`, k.file, node, k.base);
      acc.resources.push(generated);
      return;
    }
    if (matches.length > 1) this.fail(`found multiple objects that could accept merge of ${idString(id)}`, k.file, node, k.base);
    const old = matches[0];
    if (behavior === 'create') this.fail(`id ${idString(id)} exists; behavior must be merge or replace`, k.file, node, k.base);
    const result = generated;
    const metadata = ensureMetadata(result.value);
    const oldMetadata = metadataOf(old.value) ?? {};
    const labels = { ...(isObject(oldMetadata.labels) ? oldMetadata.labels : {}), ...(isObject(metadata.labels) ? metadata.labels : {}) };
    const annotations = { ...(isObject(oldMetadata.annotations) ? oldMetadata.annotations : {}), ...(isObject(metadata.annotations) ? metadata.annotations : {}) };
    if (Object.keys(labels).length > 0) metadata.labels = labels;
    if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
    metadata.name = nameOf(old.value);
    if (namespaceOf(old.value)) metadata.namespace = namespaceOf(old.value);
    else delete metadata.namespace;
    result.needsHash = old.needsHash && generated.needsHash;
    result.prevIds = old.prevIds;
    result.namePrefixes = old.namePrefixes;
    result.nameSuffixes = old.nameSuffixes;
    if (behavior === 'merge') {
      for (const field of ['data', 'binaryData']) {
        const merged = { ...(isObject(old.value[field]) ? old.value[field] : {}), ...(isObject(result.value[field]) ? result.value[field] : {}) };
        if (Object.keys(merged).length > 0) result.value[field] = merged;
        for (const [key, origin] of old.fieldOrigins) {
          if (key.startsWith(`${field}/`) && !result.fieldOrigins.has(key)) result.fieldOrigins.set(key, origin);
        }
        if (isObject(old.value[field])) {
          for (const key of Object.keys(old.value[field] as JsonObject)) {
            const path = `${field}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
            if (!result.fieldOrigins.has(path)) result.fieldOrigins.set(path, old.source);
          }
        }
      }
      result.source = old.source;
    }
    result.via = old.via;
    acc.resources[acc.resources.indexOf(old)] = result;
  }

  accumulateComponents(k: Kustomization, acc: Accumulator, stack: string[]): void {
    stringList(k.value.components).forEach((entry, index) => {
      const node = this.fieldNode(k, 'components', index);
      const path = this.resolveEntry(k, entry, node, 'component');
      if (path === undefined) return;
      const component = this.loadKustomization(path);
      if (typeof component === 'string') this.fail(component, k.file, node, k.base);
      if (stringField(component.value.kind) !== 'Component') {
        this.fail(`expected kind 'Component' for path '${path}' but got '${stringField(component.value.kind) || 'Kustomization'}'`, k.file, node, k.base);
      }
      this.accumulateTarget(component, acc, [...stack, k.dir]);
    });
  }

  // --- transformers ----------------------------------------------------------

  runBuiltinTransformers(k: Kustomization, acc: Accumulator): void {
    this.runPatchesStrategicMerge(k, acc);
    this.runPatches(k, acc);
    const namespace = stringField(k.value.namespace);
    if (namespace) {
      const error = applyNamespace(acc.resources, namespace, acc.config.namespace, k.overlay?.namespace ?? this.kustomizationOrigin(k, this.fieldNode(k, 'namespace'), 'namespace'));
      if (error) this.fail(error, k.file);
      this.checkConflicts(acc, k, 'namespace');
    }
    const prefix = stringField(k.value.namePrefix);
    if (prefix) applyNameAffix(acc.resources, prefix, 'prefix', acc.config.namePrefix, k.overlay?.namePrefix ?? this.kustomizationOrigin(k, this.fieldNode(k, 'namePrefix'), 'namePrefix'));
    const suffix = stringField(k.value.nameSuffix);
    if (suffix) applyNameAffix(acc.resources, suffix, 'suffix', acc.config.nameSuffix, k.overlay?.nameSuffix ?? this.kustomizationOrigin(k, this.fieldNode(k, 'nameSuffix'), 'nameSuffix'));
    this.runLabels(k, acc);
    const annotations = this.stringMapField(k, 'commonAnnotations');
    if (annotations) applyStringMap(acc.resources, annotations, acc.config.commonAnnotations, this.kustomizationOrigin(k, this.fieldNode(k, 'commonAnnotations'), 'commonAnnotations'));
    this.runPatchesJson6902(k, acc);
    this.runReplicas(k, acc);
    this.runImages(k, acc);
    this.runReplacements(k, acc);
  }

  checkConflicts(acc: Accumulator, k: Kustomization, what: string): void {
    const seen = new Map<string, Resource>();
    for (const resource of acc.resources) {
      const id = currentId(resource);
      const key = `${id.group}|${id.version}|${id.kind}|${effectiveNamespace(id)}|${id.name}`;
      if (seen.has(key)) this.fail(`${what} transformation produces ID conflict: ${idString(id)}`, k.file);
      seen.set(key, resource);
    }
  }

  /** A string map field of the kustomization, with values as their YAML text (kustomize keeps label values as written). */
  stringMapField(k: Kustomization, field: string): Record<string, string> | undefined {
    const value = k.value[field];
    if (!isObject(value) || Object.keys(value).length === 0) return undefined;
    const node = this.fieldNode(k, field);
    const result: Record<string, string> = {};
    for (const [key, entry] of Object.entries(value)) {
      const entryNode = deref(mapGet(node, key));
      result[key] = entryNode?.type === 'scalar' && entryNode.value !== null ? entryNode.text : stringField(entry);
    }
    return result;
  }

  runLabels(k: Kustomization, acc: Accumulator): void {
    const labels = k.value.labels;
    if (Array.isArray(labels)) {
      labels.forEach((entry, index) => {
        if (!isObject(entry)) return;
        const node = this.fieldNode(k, 'labels', index);
        const pairsNode = deref(mapGet(node, 'pairs'));
        const pairs: Record<string, string> = {};
        if (isObject(entry.pairs)) {
          for (const [key, value] of Object.entries(entry.pairs)) {
            const valueNode = deref(mapGet(pairsNode, key));
            pairs[key] = valueNode?.type === 'scalar' && valueNode.value !== null ? valueNode.text : stringField(value);
          }
        }
        let specs: FieldSpec[] = mergeFieldSpecs(fieldSpecsFromJson(entry.fields), acc.config.labels);
        if (entry.includeSelectors === true) specs = mergeFieldSpecs(specs, acc.config.commonLabels);
        else {
          if (entry.includeTemplates === true) specs = mergeFieldSpecs(specs, acc.config.templateLabels);
          if (entry.includeVolumeClaimTemplates === true) specs = mergeFieldSpecs(specs, acc.config.volumeClaimTemplateLabels);
          specs = mergeFieldSpecs(specs, [{ path: 'metadata/labels', create: true }]);
        }
        applyStringMap(acc.resources, pairs, specs, this.kustomizationOrigin(k, pairsNode ?? node, `labels[${index}]`));
      });
    }
    const common = this.stringMapField(k, 'commonLabels');
    if (common) applyStringMap(acc.resources, common, acc.config.commonLabels, this.kustomizationOrigin(k, this.fieldNode(k, 'commonLabels'), 'commonLabels'));
  }

  runReplicas(k: Kustomization, acc: Accumulator): void {
    const replicas = k.value.replicas;
    if (!Array.isArray(replicas)) return;
    replicas.forEach((entry, index) => {
      if (!isObject(entry)) return;
      const node = this.fieldNode(k, 'replicas', index);
      const count = typeof entry.count === 'number' ? entry.count : Number(stringField(entry.count));
      const error = applyReplicas(acc.resources, stringField(entry.name), Number.isFinite(count) ? count : 0, acc.config.replicas, this.kustomizationOrigin(k, deref(mapGet(node, 'count')) ?? node, `replicas[${index}]`));
      if (error) this.fail(error, k.file, node, k.base);
    });
  }

  runImages(k: Kustomization, acc: Accumulator): void {
    const images = [...(Array.isArray(k.value.images) ? k.value.images : []), ...(Array.isArray(k.value.imageTags) ? k.value.imageTags : [])];
    images.forEach((entry, index) => {
      if (!isObject(entry)) return;
      const spec: ImageSpec = {
        name: stringField(entry.name),
        newName: stringField(entry.newName) || undefined,
        newTag: stringField(entry.newTag) || undefined,
        digest: stringField(entry.digest) || undefined,
        tagSuffix: stringField(entry.tagSuffix) || undefined,
      };
      if (!spec.name) return;
      const origin = k.overlay?.images.get(index) ?? this.kustomizationOrigin(k, this.fieldNode(k, 'images', index), `images[${index}]`);
      applyImage(acc.resources, spec, acc.config.images, origin);
    });
  }

  runReplacements(k: Kustomization, acc: Accumulator): void {
    const entries = k.value.replacements;
    if (!Array.isArray(entries) || entries.length === 0) return;
    const replacements: Replacement[] = [];
    entries.forEach((entry, index) => {
      const node = this.fieldNode(k, 'replacements', index);
      if (isObject(entry) && typeof entry.path === 'string') {
        const loaded = this.loadFile(k, entry.path, node, 'replacement');
        if (!loaded) return;
        if ('error' in loaded) this.fail(loaded.error, k.file, node, k.base);
        const documents = this.loadDocuments(loaded.path);
        if (typeof documents === 'string') this.fail(documents, k.file, node, k.base);
        for (const document of documents) {
          if (Array.isArray(document.value)) replacements.push(...document.value.map(readReplacement));
          else if (isObject(document.value)) replacements.push(readReplacement(document.value));
        }
      } else if (isObject(entry)) replacements.push(readReplacement(entry));
    });
    const error = applyReplacements(acc.resources, replacements);
    if (error) this.fail(error, k.file, this.fieldNode(k, 'replacements'), k.base);
  }

  // --- patches ---------------------------------------------------------------

  /** Parses patch text into documents whose syntax offsets are file offsets of `file`. */
  patchDocuments(text: string, file: string, mapOffset: ((offset: number) => number) | undefined, base: number): LoadedDocument[] | string {
    const parsed = parseYamlFile(text);
    if (parsed.skipped) return parsed.skipped.reason;
    const documents: LoadedDocument[] = [];
    for (const document of parsed.documents) {
      const syntax = document.parsed.problems.find((problem) => problem.code === 'yaml/syntax');
      if (syntax) return `${file}: YAML syntax error in patch: ${syntax.message}`;
      const converted = yamlValue(document.parsed.root);
      if (converted.exceeded) return `${file}: patch alias expansion is too large`;
      const node = document.parsed.root && mapOffset ? rebaseNode(document.parsed.root, (offset) => mapOffset(document.start + offset)) : document.parsed.root;
      documents.push({ value: converted.value ?? null, node, base: mapOffset ? 0 : base + document.start, index: document.index });
    }
    return documents;
  }

  /** Loads the text of a patch given inline (a scalar in the kustomization) or by path. */
  patchSource(k: Kustomization, entry: JsonObject | string, entryNode: YamlNode | undefined, field: string): { documents: LoadedDocument[]; file: string; detailFile: string } | undefined {
    const inline = typeof entry === 'string' ? (looksInline(entry) ? entry : undefined) : typeof entry.patch === 'string' ? entry.patch : undefined;
    const path = typeof entry === 'string' ? (looksInline(entry) ? undefined : entry) : typeof entry.path === 'string' ? entry.path : undefined;
    if (inline !== undefined && inline.trim() !== '') {
      const scalar = typeof entry === 'string' ? entryNode : deref(mapGet(entryNode, 'patch'));
      const mapOffset = scalar ? scalarOffsetMapper(this.fs.readFile(k.file) ?? '', k.base, scalar, inline) : undefined;
      const documents = this.patchDocuments(inline, k.file, mapOffset, 0);
      if (typeof documents === 'string') this.fail(documents, k.file, entryNode, k.base);
      return { documents, file: k.file, detailFile: k.file };
    }
    if (path !== undefined) {
      const loaded = this.loadFile(k, path, entryNode, field);
      if (!loaded) return undefined;
      if ('error' in loaded) this.fail(`failed to get the patch file from path(${path}): ${loaded.error}`, k.file, entryNode, k.base);
      const documents = this.loadDocuments(loaded.path);
      if (typeof documents === 'string') this.fail(documents, k.file, entryNode, k.base);
      return { documents, file: loaded.path, detailFile: loaded.path };
    }
    this.fail(`must specify one of patch and path in ${field}`, k.file, entryNode, k.base);
  }

  writer(resource: Resource, k: Kustomization, file: string, document: LoadedDocument, detail: string): PatchWriter {
    return {
      target: resource,
      origin: (node) => {
        const target = node ?? document.node;
        if (!target) return { kind: 'patch', file, document: document.index, start: document.base, end: document.base, kustomization: k.file, detail };
        return nodeOrigin('patch', file, document.index, target, document.base, { kustomization: k.file, detail });
      },
    };
  }

  /** Applies one strategic merge patch document to one resource (kustomize's Resource.ApplySmPatch). Returns false when the resource is deleted. */
  applySmPatch(resource: Resource, patch: JsonObject, document: LoadedDocument, k: Kustomization, file: string, detail: string, options: { allowNameChange?: boolean; allowKindChange?: boolean }): boolean {
    const name = nameOf(resource.value);
    const namespace = namespaceOf(resource.value);
    const kind = stringField(resource.value.kind);
    if (options.allowNameChange || options.allowKindChange) storePreviousId(resource);
    const merged = applyStrategicMerge(resource.value, patch, document.node, this.writer(resource, k, file, document, detail));
    if (!merged || Object.keys(merged).length === 0) return false;
    resource.value = merged;
    if (!options.allowKindChange) resource.value.kind = kind;
    const metadata = ensureMetadata(resource.value);
    if (!options.allowNameChange) metadata.name = name;
    if (namespace) metadata.namespace = namespace;
    else delete metadata.namespace;
    return true;
  }

  runPatchesStrategicMerge(k: Kustomization, acc: Accumulator): void {
    const entries = k.value.patchesStrategicMerge;
    if (!Array.isArray(entries)) return;
    entries.forEach((entry, index) => {
      const node = this.fieldNode(k, 'patchesStrategicMerge', index);
      const source = this.patchSource(k, stringField(entry), node, 'patchesStrategicMerge');
      if (!source) return;
      for (const document of source.documents) {
        if (!isObject(document.value) || Object.keys(document.value).length === 0) continue;
        this.patchById(acc, document.value, document, k, source.file, `patchesStrategicMerge[${index}]`, node, {});
      }
    });
  }

  patchById(acc: Accumulator, patch: JsonObject, document: LoadedDocument, k: Kustomization, file: string, detail: string, node: YamlNode | undefined, options: { allowNameChange?: boolean; allowKindChange?: boolean }): void {
    const patchId: ResId = { ...gvkOf(patch), name: nameOf(patch), namespace: namespaceOf(patch) };
    const matches = acc.resources.filter((resource) => allIds(resource).some((id) => sameId(id, patchId)));
    if (matches.length !== 1) {
      this.fail(
        matches.length === 0 ? `no resource matches strategic merge patch "${idString(patchId)}"` : `multiple resources match strategic merge patch "${idString(patchId)}"`,
        k.file,
        node,
        k.base,
      );
    }
    if (!this.applySmPatch(matches[0], patch, document, k, file, detail, options)) acc.resources.splice(acc.resources.indexOf(matches[0]), 1);
  }

  readSelector(value: Json | undefined): TargetSelector | undefined {
    if (!isObject(value)) return undefined;
    const selector: TargetSelector = {};
    for (const key of ['group', 'version', 'kind', 'name', 'namespace', 'labelSelector', 'annotationSelector'] as const) {
      if (value[key] !== undefined && value[key] !== null && stringField(value[key]) !== '') selector[key] = stringField(value[key]);
    }
    return selector;
  }

  runPatches(k: Kustomization, acc: Accumulator): void {
    const entries = Array.isArray(k.value.patches) ? k.value.patches : [];
    entries.forEach((entry, index) => {
      const node = this.fieldNode(k, 'patches', index);
      if (!isObject(entry)) this.fail(`patches[${index}] must be a map`, k.file, node, k.base);
      if (typeof entry.patch === 'string' && entry.patch.trim() !== '' && typeof entry.path === 'string') this.fail("patch and path can't be set at the same time", k.file, node, k.base);
      const source = this.patchSource(k, entry, node, 'patches');
      if (!source) return;
      const target = this.readSelector(entry.target);
      const options = isObject(entry.options) ? { allowNameChange: entry.options.allowNameChange === true, allowKindChange: entry.options.allowKindChange === true } : {};
      this.applyPatchDocuments(k, acc, source.documents, source.file, target, options, `patches[${index}]`, node);
    });
    for (const patch of k.overlay?.patches ?? []) {
      // Flux's spec.patches: appended to the root's patches; notes and origins name the Flux file.
      this.applyPatchDocuments({ ...k, file: patch.file }, acc, patch.documents, patch.file, patch.target, {}, patch.detail, undefined);
    }
  }

  offsetMapper(file: string, base: number, scalar: YamlNode, decoded: string): (offset: number) => number {
    return scalarOffsetMapper(this.fs.readFile(file) ?? '', base, scalar, decoded);
  }

  applyPatchDocuments(
    k: Kustomization,
    acc: Accumulator,
    documents: LoadedDocument[],
    file: string,
    target: TargetSelector | undefined,
    options: { allowNameChange?: boolean; allowKindChange?: boolean },
    detail: string,
    node: YamlNode | undefined,
  ): void {
    const nonEmpty = documents.filter((document) => document.value !== null && document.value !== undefined);
    if (nonEmpty.length === 0) this.fail(`unable to parse SM or JSON patch from ${detail}`, k.file, node, k.base);
    if (target) {
      const error = selectorError(target);
      if (error) this.fail(error, k.file, node, k.base);
    }
    if (Array.isArray(nonEmpty[0].value)) {
      if (!target) this.fail(`must specify a target for JSON patch ${detail}`, k.file, node, k.base);
      const operations = jsonOperations(nonEmpty[0]);
      if (typeof operations === 'string') this.fail(operations, k.file, node, k.base);
      for (const resource of acc.resources.filter((candidate) => selectorMatches(candidate, target))) {
        storePreviousId(resource);
        const error = applyJsonPatch(resource.value, operations, this.writer(resource, k, file, nonEmpty[0], detail));
        if (error) this.fail(`${detail}: ${error} in ${idString(currentId(resource))}`, k.file, node, k.base);
      }
      return;
    }
    if (target) {
      if (nonEmpty.length > 1) this.fail(`Multiple Strategic-Merge Patches in one \`patches\` entry is not allowed to set \`patches.target\` field: ${detail}`, k.file, node, k.base);
      const patch = nonEmpty[0].value;
      if (!isObject(patch)) this.fail(`${detail} is not a map`, k.file, node, k.base);
      const selected = acc.resources.filter((candidate) => selectorMatches(candidate, target));
      for (const resource of selected) {
        if (!this.applySmPatch(resource, patch, nonEmpty[0], k, file, detail, options)) acc.resources.splice(acc.resources.indexOf(resource), 1);
      }
      return;
    }
    for (const document of nonEmpty) {
      if (!isObject(document.value)) this.fail(`${detail} is not a map`, k.file, node, k.base);
      this.patchById(acc, document.value, document, k, file, detail, node, options);
    }
  }

  runPatchesJson6902(k: Kustomization, acc: Accumulator): void {
    const entries = k.value.patchesJson6902;
    if (!Array.isArray(entries)) return;
    entries.forEach((entry, index) => {
      const node = this.fieldNode(k, 'patchesJson6902', index);
      if (!isObject(entry)) this.fail(`patchesJson6902[${index}] must be a map`, k.file, node, k.base);
      const source = this.patchSource(k, entry, node, 'patchesJson6902');
      if (!source) return;
      const target = this.readSelector(entry.target);
      if (!target) this.fail(`patchesJson6902[${index}] must have a target`, k.file, node, k.base);
      const document = source.documents.find((candidate) => candidate.value !== null && candidate.value !== undefined);
      if (!document || !Array.isArray(document.value)) this.fail(`patchesJson6902[${index}] is not a list of operations`, k.file, node, k.base);
      const operations = jsonOperations(document);
      if (typeof operations === 'string') this.fail(operations, k.file, node, k.base);
      for (const resource of acc.resources.filter((candidate) => selectorMatches(candidate, target))) {
        storePreviousId(resource);
        const error = applyJsonPatch(resource.value, operations, this.writer(resource, k, source.file, document, `patchesJson6902[${index}]`));
        if (error) this.fail(`patchesJson6902[${index}]: ${error}`, k.file, node, k.base);
      }
    });
  }

  // --- `transformers:` ---------------------------------------------------------

  runTransformerEntries(k: Kustomization, acc: Accumulator, stack: string[]): void {
    const entries = stringList(k.value.transformers);
    entries.forEach((entry, index) => {
      const node = this.fieldNode(k, 'transformers', index);
      const configs: Array<{ value: JsonObject; document: LoadedDocument; file: string }> = [];
      if (looksInline(entry)) {
        const scalar = node;
        const mapOffset = scalar ? scalarOffsetMapper(this.fs.readFile(k.file) ?? '', k.base, scalar, entry) : undefined;
        const documents = this.patchDocuments(entry, k.file, mapOffset, 0);
        if (typeof documents === 'string') this.fail(documents, k.file, node, k.base);
        for (const document of documents) if (isObject(document.value)) configs.push({ value: document.value, document, file: k.file });
      } else {
        const path = this.resolveEntry(k, entry, node, 'transformer');
        if (path === undefined) return;
        if (this.fs.isDir(path)) {
          const sub = this.loadKustomization(path);
          if (typeof sub === 'string') this.fail(sub, k.file, node, k.base);
          const built = this.accumulateTarget(sub, this.emptyAccumulator(), [...stack, k.dir]);
          for (const resource of built.resources) {
            const document: LoadedDocument = { value: resource.value, node: resource.source.node, base: resource.source.nodeBase ?? 0, index: resource.source.document };
            configs.push({ value: resource.value, document, file: resource.source.file });
          }
        } else {
          const loaded = this.loadFile(k, entry, node, 'transformer');
          if (!loaded) return;
          if ('error' in loaded) this.fail(loaded.error, k.file, node, k.base);
          const documents = this.loadDocuments(loaded.path);
          if (typeof documents === 'string') this.fail(documents, k.file, node, k.base);
          for (const document of documents) if (isObject(document.value)) configs.push({ value: document.value, document, file: loaded.path });
        }
      }
      for (const config of configs) this.runTransformerConfig(k, acc, config.value, config.document, config.file, `transformers[${index}]`, node);
    });
  }

  runTransformerConfig(k: Kustomization, acc: Accumulator, config: JsonObject, document: LoadedDocument, file: string, detail: string, entryNode: YamlNode | undefined): void {
    const kind = stringField(config.kind);
    const apiVersion = stringField(config.apiVersion);
    const configOrigin = (field: string): Origin => {
      const node = deref(mapGet(deref(document.node), field)) ?? document.node;
      return node ? nodeOrigin('transformer', file, document.index, node, document.base, { kustomization: k.file, detail: `${detail} ${kind}` }) : this.kustomizationOrigin(k, entryNode, detail);
    };
    if (apiVersion !== 'builtin') {
      this.note('unsupported', `transformer plugin ${apiVersion}/${kind} is not modelled; its effect is unknown`, k.file, entryNode, k.base);
      return;
    }
    const fieldSpecs = fieldSpecsFromJson(config.fieldSpecs);
    switch (kind) {
      case 'NamespaceTransformer': {
        const namespace = namespaceOf(config);
        const error = applyNamespace(acc.resources, namespace, fieldSpecs, configOrigin('metadata'), {
          unsetOnly: config.unsetOnly === true,
          setRoleBindingSubjects: stringField(config.setRoleBindingSubjects),
        });
        if (error) this.fail(error, k.file, entryNode, k.base);
        if (namespace) this.checkConflicts(acc, k, 'namespace');
        return;
      }
      case 'PrefixSuffixTransformer':
      case 'PrefixTransformer':
      case 'SuffixTransformer': {
        const specs = fieldSpecs.length > 0 ? fieldSpecs : [{ path: 'metadata/name' }];
        if (kind !== 'SuffixTransformer') applyNameAffix(acc.resources, stringField(config.prefix), 'prefix', specs, configOrigin('prefix'));
        if (kind !== 'PrefixTransformer') applyNameAffix(acc.resources, stringField(config.suffix), 'suffix', specs, configOrigin('suffix'));
        return;
      }
      case 'LabelTransformer':
      case 'AnnotationsTransformer': {
        const field = kind === 'LabelTransformer' ? 'labels' : 'annotations';
        const entries = isObject(config[field]) ? Object.fromEntries(Object.entries(config[field] as JsonObject).map(([key, value]) => [key, stringField(value)])) : {};
        applyStringMap(acc.resources, entries, fieldSpecs, configOrigin(field));
        return;
      }
      case 'ImageTagTransformer': {
        const image = isObject(config.imageTag) ? config.imageTag : {};
        const spec: ImageSpec = {
          name: stringField(image.name),
          newName: stringField(image.newName) || undefined,
          newTag: stringField(image.newTag) || undefined,
          digest: stringField(image.digest) || undefined,
          tagSuffix: stringField(image.tagSuffix) || undefined,
        };
        if (spec.name) applyImage(acc.resources, spec, fieldSpecs.length > 0 ? fieldSpecs : acc.config.images, configOrigin('imageTag'));
        return;
      }
      case 'ReplicaCountTransformer': {
        const replica = isObject(config.replica) ? config.replica : {};
        const error = applyReplicas(acc.resources, stringField(replica.name), Number(replica.count ?? 0), fieldSpecs, configOrigin('replica'));
        if (error) this.fail(error, k.file, entryNode, k.base);
        return;
      }
      case 'PatchTransformer':
      case 'PatchStrategicMergeTransformer':
      case 'PatchJson6902Transformer': {
        const pseudo: Kustomization = { ...k, dir: dirname(file) === k.dir ? k.dir : k.dir };
        const patchText = typeof config.patch === 'string' ? config.patch : typeof config.jsonOp === 'string' ? config.jsonOp : undefined;
        let documents: LoadedDocument[];
        let patchFile = file;
        if (patchText !== undefined) {
          const scalarNode = deref(mapGet(deref(document.node), typeof config.patch === 'string' ? 'patch' : 'jsonOp'));
          const mapOffset = scalarNode ? scalarOffsetMapper(this.fs.readFile(file) ?? '', document.base, scalarNode, patchText) : undefined;
          const parsed = this.patchDocuments(patchText, file, mapOffset, 0);
          if (typeof parsed === 'string') this.fail(parsed, k.file, entryNode, k.base);
          documents = parsed;
        } else if (typeof config.path === 'string') {
          const loaded = this.loadFile(pseudo, config.path, entryNode, 'patch');
          if (!loaded) return;
          if ('error' in loaded) this.fail(loaded.error, k.file, entryNode, k.base);
          const parsed = this.loadDocuments(loaded.path);
          if (typeof parsed === 'string') this.fail(parsed, k.file, entryNode, k.base);
          documents = parsed;
          patchFile = loaded.path;
        } else if (kind === 'PatchStrategicMergeTransformer' && Array.isArray(config.paths)) {
          for (const path of config.paths.map(stringField)) {
            const source = this.patchSource(k, path, entryNode, 'PatchStrategicMergeTransformer');
            if (!source) continue;
            this.applyPatchDocuments(k, acc, source.documents, source.file, undefined, {}, detail, entryNode);
          }
          return;
        } else {
          this.fail(`${kind} must specify one of patch and path`, k.file, entryNode, k.base);
        }
        const options = isObject(config.options) ? { allowNameChange: config.options.allowNameChange === true, allowKindChange: config.options.allowKindChange === true } : {};
        this.applyPatchDocuments(k, acc, documents, patchFile, this.readSelector(config.target), options, `${detail} ${kind}`, entryNode);
        return;
      }
      case 'ReplacementTransformer': {
        const replacements = Array.isArray(config.replacements) ? config.replacements.map(readReplacement) : [];
        const error = applyReplacements(acc.resources, replacements);
        if (error) this.fail(error, k.file, entryNode, k.base);
        return;
      }
      case 'SortOrderTransformer':
      case 'HashTransformer':
      default:
        this.note('unsupported', `builtin transformer ${kind} is not modelled; its effect is unknown`, k.file, entryNode, k.base);
    }
  }

  // --- finishing -------------------------------------------------------------

  /** The steps kustomize runs once, after the root kustomization: hashes, references, local-config, sort. */
  finish(root: Kustomization, acc: Accumulator): Resource[] {
    for (const resource of acc.resources) {
      if (!resource.needsHash) continue;
      const hash = nameHash(resource.value);
      storePreviousId(resource);
      const metadata = ensureMetadata(resource.value);
      metadata.name = `${nameOf(resource.value)}-${hash}`;
      recordWrite(resource, ['metadata', 'name'], { ...resource.source, kind: 'generator', detail: 'name hash suffix' });
    }
    const problems = fixNameReferences(acc.resources, acc.config.nameReference, (referral) => ({ ...referral.source, kind: 'transformer', detail: `reference to ${nameOf(referral.value)}` }));
    for (const problem of problems) this.fail(problem.message, root.file);
    let resources = acc.resources.filter((resource) => {
      const annotations = metadataOf(resource.value)?.annotations;
      return !(isObject(annotations) && stringField(annotations['config.kubernetes.io/local-config']) === 'true');
    });
    const sortOptions = root.value.sortOptions;
    const order = isObject(sortOptions) ? stringField(sortOptions.order) : 'legacy';
    if (order === 'legacy' || order === '') {
      const legacy = isObject(sortOptions) && isObject(sortOptions.legacySortOptions) ? sortOptions.legacySortOptions : undefined;
      resources = legacySort(resources, legacy ? stringList(legacy.orderFirst) : undefined, legacy ? stringList(legacy.orderLast) : undefined);
    } else if (order !== 'fifo') {
      this.fail("the field 'sortOptions.order' must be one of [fifo, legacy]", root.file);
    }
    return resources;
  }

  /** Builds a kustomization directory (or a synthetic kustomization) end to end. */
  build(root: Kustomization): BuildResult {
    let objects: BuiltObject[] = [];
    try {
      const acc = this.accumulateTarget(root, this.emptyAccumulator(), []);
      objects = this.finish(root, acc).map(toBuiltObject);
    } catch (error) {
      if (!(error instanceof BuildError)) {
        this.note('error', `internal build error: ${error instanceof Error ? error.message : String(error)}`, root.file);
      }
    }
    return {
      root: root.dir,
      objects,
      notes: this.notes,
      failed: this.notes.some((note) => note.kind === 'error'),
      incomplete: this.notes.some((note) => note.kind !== 'error'),
      files: [...this.files].sort(),
    };
  }
}

function toBuiltObject(resource: Resource): BuiltObject {
  return { value: resource.value, source: resource.source, fieldOrigins: resource.fieldOrigins, via: resource.via };
}

function stringList(value: Json | undefined): string[] {
  if (Array.isArray(value)) return value.filter((entry) => entry !== null && entry !== undefined).map(stringField);
  return [];
}

function looksInline(entry: string): boolean {
  return entry.includes('\n') || /^\s*[[{]/.test(entry) || /^\s*(apiVersion|kind)\s*:/.test(entry);
}


function jsonOperations(document: LoadedDocument): JsonPatchOperation[] | string {
  if (!Array.isArray(document.value)) return 'a JSON patch must be a list of operations';
  const list = deref(document.node);
  const operations: JsonPatchOperation[] = [];
  for (let index = 0; index < document.value.length; index++) {
    const entry = document.value[index];
    if (!isObject(entry)) return `JSON patch operation ${index} is not a map`;
    operations.push({
      op: stringField(entry.op),
      path: stringField(entry.path),
      from: entry.from === undefined ? undefined : stringField(entry.from),
      value: entry.value,
      node: list?.type === 'seq' ? deref(list.items[index]) : undefined,
    });
  }
  return operations;
}

/** Copies a syntax tree with every offset mapped through `map` (inline patches: text offsets → kustomization file offsets). */
function rebaseNode(node: YamlNode, map: (offset: number) => number, seen = new Map<YamlNode, YamlNode>()): YamlNode {
  const existing = seen.get(node);
  if (existing) return existing;
  const start = map(node.start);
  const end = Math.max(start, map(Math.max(node.start, node.end - 1)) + 1);
  let copy: YamlNode;
  switch (node.type) {
    case 'scalar':
      copy = { ...node, start, end };
      break;
    case 'alias':
      copy = { ...node, start, end, target: undefined };
      break;
    case 'seq':
      copy = { ...node, start, end, items: [] };
      seen.set(node, copy);
      copy.items = node.items.map((item) => rebaseNode(item, map, seen));
      break;
    case 'map':
      copy = { ...node, start, end, pairs: [] };
      seen.set(node, copy);
      copy.pairs = node.pairs.map((pair) => ({ key: rebaseNode(pair.key, map, seen), value: rebaseNode(pair.value, map, seen) }));
      break;
  }
  seen.set(node, copy);
  if (node.type === 'alias' && node.target && copy.type === 'alias') copy.target = rebaseNode(node.target, map, seen);
  return copy;
}

/**
 * Maps offsets in the decoded text of a block scalar back to offsets in the
 * file: line `i` of the decoded text is file line `first + i`, shifted by the
 * block's indentation. Other scalar styles map everything to the scalar.
 */
function scalarOffsetMapper(fileText: string, base: number, scalar: YamlNode, decoded: string): (offset: number) => number {
  const scalarStart = base + scalar.start;
  const scalarEnd = base + scalar.end;
  if (scalar.type !== 'scalar' || (scalar.style !== 'literal' && scalar.style !== 'folded')) return () => scalarStart;
  // The content starts on the line after the block indicator.
  let lineStart = fileText.indexOf('\n', scalarStart);
  if (lineStart === -1) return () => scalarStart;
  lineStart += 1;
  const lineStarts: number[] = [];
  let indent = -1;
  for (let position = lineStart; position < scalarEnd && position <= fileText.length; ) {
    const next = fileText.indexOf('\n', position);
    const end = next === -1 ? fileText.length : next;
    const line = fileText.slice(position, end);
    if (line.trim() !== '' && indent === -1) indent = line.length - line.trimStart().length;
    lineStarts.push(position);
    if (next === -1) break;
    position = next + 1;
  }
  if (indent < 0) indent = 0;
  const decodedLineStarts = [0];
  for (let index = 0; index < decoded.length; index++) if (decoded[index] === '\n') decodedLineStarts.push(index + 1);
  return (offset: number) => {
    let line = 0;
    while (line + 1 < decodedLineStarts.length && decodedLineStarts[line + 1] <= offset) line++;
    const column = offset - decodedLineStarts[line];
    const fileLine = lineStarts[Math.min(line, lineStarts.length - 1)] ?? scalarStart;
    return Math.min(fileLine + indent + column, scalarEnd);
  };
}

const ORDER_FIRST = [
  'Namespace',
  'ResourceQuota',
  'StorageClass',
  'CustomResourceDefinition',
  'ServiceAccount',
  'PodSecurityPolicy',
  'Role',
  'ClusterRole',
  'RoleBinding',
  'ClusterRoleBinding',
  'ConfigMap',
  'Secret',
  'Endpoints',
  'Service',
  'LimitRange',
  'PriorityClass',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'Deployment',
  'StatefulSet',
  'CronJob',
  'PodDisruptionBudget',
];
const ORDER_LAST = ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'];

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** kustomize's legacy order: kinds in `orderFirst`, then the rest by group/version/kind, then `orderLast`; ties by kind, namespace, name. */
export function legacySort(resources: Resource[], orderFirst = ORDER_FIRST, orderLast = ORDER_LAST): Resource[] {
  const typeOrder = new Map<string, number>();
  orderFirst.forEach((kind, index) => typeOrder.set(kind, -orderFirst.length + index));
  orderLast.forEach((kind, index) => typeOrder.set(kind, 1 + index));
  const gvkString = (id: ResId) => `${id.group || '~G'}_${id.version || '~V'}_${id.kind || '~K'}`;
  const idString = (id: ResId) => `${id.kind || '[noKind]'}.${id.version || '[noVer]'}.${id.group || '[noGrp]'}|${id.namespace || '~X'}|${id.name || '~N'}`;
  const keyed = resources.map((resource, index) => ({ resource, id: currentId(resource), index }));
  keyed.sort((left, right) => {
    const a = left.id;
    const b = right.id;
    if (!sameGvk(a, b)) {
      const orderA = typeOrder.get(a.kind) ?? 0;
      const orderB = typeOrder.get(b.kind) ?? 0;
      if (orderA !== orderB) return orderA - orderB;
      if (a.kind === 'Namespace' && b.kind === 'Namespace' && (a.group === '' || b.group === '')) return compareText(gvkString(b), gvkString(a));
      return compareText(gvkString(a), gvkString(b));
    }
    return compareText(idString(a), idString(b)) || left.index - right.index;
  });
  return keyed.map((entry) => entry.resource);
}

