/**
 * A best-effort view of a HelmRelease's user values, enough for the Flux
 * rules that need a few Cilium settings: `valuesFrom` ConfigMaps (found as
 * ConfigMap documents in the workspace, or as `configMapGenerator` entries of
 * a kustomization.yaml in the release's folder, read through the host), in
 * list order, then inline `spec.values` on top. Maps merge deeply; lists and
 * scalars replace, as in Flux.
 *
 * Invariants: Secrets, `targetPath` entries and unreadable sources are left
 * out and listed in `unknownSources` (their content is unknown, not empty);
 * nothing throws.
 */

import { createParsedDocument } from '../parse/yamlFile';
import { mapGet, scalarString, type YamlNode } from '../parse/ast';
import { toValue } from '../parse/toValue';
import { parentDirectory, type IndexedDocument, type WorkspaceModel } from '../workspace/model';

export interface ReleaseValues {
  values: Record<string, unknown>;
  /** `valuesFrom` entries whose content could not be read. */
  unknownSources: string[];
}

export function releaseValues(model: WorkspaceModel, helmRelease: IndexedDocument): ReleaseValues {
  return model.derive(`flux/release-values:${helmRelease.file}#${helmRelease.index}`, () => computeValues(model, helmRelease));
}

function computeValues(model: WorkspaceModel, helmRelease: IndexedDocument): ReleaseValues {
  const spec = mapGet(helmRelease.parsed.root, 'spec');
  let values: Record<string, unknown> = {};
  const unknownSources: string[] = [];
  const valuesFrom = mapGet(spec, 'valuesFrom');
  if (valuesFrom?.type === 'seq') {
    for (const entry of valuesFrom.items) {
      const kind = scalarString(mapGet(entry, 'kind'));
      const name = scalarString(mapGet(entry, 'name'));
      const key = scalarString(mapGet(entry, 'valuesKey')) ?? 'values.yaml';
      const label = `${kind ?? '?'} ${name ?? '?'}`;
      if (kind !== 'ConfigMap' || !name || mapGet(entry, 'targetPath')) {
        unknownSources.push(label);
        continue;
      }
      const text = configMapData(model, helmRelease, name, key);
      const parsed = text === undefined ? undefined : parseValues(text);
      if (parsed === undefined) unknownSources.push(label);
      else values = mergeValues(values, parsed);
    }
  }
  const inline = toValue(mapGet(spec, 'values')).value;
  if (isPlainObject(inline)) values = mergeValues(values, inline);
  return { values, unknownSources };
}

function configMapData(model: WorkspaceModel, helmRelease: IndexedDocument, name: string, key: string): string | undefined {
  for (const configMap of model.byKind('ConfigMap')) {
    if (configMap.identity.name !== name) continue;
    const data = scalarString(mapGet(mapGet(configMap.parsed.root, 'data'), key));
    if (data !== undefined) return data;
  }
  // kustomize configMapGenerator next to the release: `files: [values.yaml=./helm-values.yaml]`.
  const folder = parentDirectory(helmRelease.file);
  for (const kustomizationFile of [`${folder}/kustomization.yaml`, `${folder}/kustomization.yml`]) {
    const generators = mapGet(model.fileDocuments(kustomizationFile)[0]?.root, 'configMapGenerator');
    if (generators?.type !== 'seq') continue;
    for (const generator of generators.items) {
      if (scalarString(mapGet(generator, 'name')) !== name) continue;
      const file = generatorFile(mapGet(generator, 'files'), key);
      if (!file) continue;
      const read = model.readReferencedFile(kustomizationFile, file);
      if ('text' in read) return read.text;
    }
  }
  return undefined;
}

function generatorFile(files: YamlNode | undefined, key: string): string | undefined {
  if (files?.type !== 'seq') return undefined;
  for (const item of files.items) {
    const entry = scalarString(item);
    if (!entry) continue;
    const equals = entry.indexOf('=');
    const entryKey = equals === -1 ? entry.slice(entry.lastIndexOf('/') + 1) : entry.slice(0, equals);
    if (entryKey === key) return equals === -1 ? entry : entry.slice(equals + 1);
  }
  return undefined;
}

function parseValues(text: string): Record<string, unknown> | undefined {
  const parsed = createParsedDocument(text);
  if (parsed.problems.some((problem) => problem.code === 'yaml/syntax')) return undefined;
  const value = parsed.value().value;
  return isPlainObject(value) ? value : value === null || value === undefined ? {} : undefined;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function mergeValues(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = result[key];
    result[key] = isPlainObject(current) && isPlainObject(value) ? mergeValues(current, value) : value;
  }
  return result;
}

export function valueAt(values: unknown, path: readonly string[]): unknown {
  let current = values;
  for (const segment of path) {
    if (!isPlainObject(current)) return undefined;
    current = current[segment];
  }
  return current;
}
