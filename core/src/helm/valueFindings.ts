/**
 * Every fact about Helm values in the workspace that a `helm/*` rule reports,
 * computed once per workspace generation and handed out per document: the
 * rules run on every document (HelmReleases, ConfigMaps, plain values files)
 * and report the facts located there, so a finding lands in the file and line
 * where the offending key or value is written — inside a ConfigMap's values
 * block too. A fact is data (which key, which value, which chart version,
 * which change or condition); the rule that reports it owns its message,
 * severity and fixes (`rules/helm/*`).
 *
 * Sources of findings: Cilium releases against the value catalog of their
 * resolved chart version (unknown keys, types, enums, renamed/removed keys
 * with mechanical fixes, cross-value combinations, version pin), and releases
 * of a chart folder in the workspace (or of a chart the host downloaded)
 * against that chart's values.yaml and values.schema.json.
 *
 * Invariants: never throws; a value holding a Flux `${VAR}` placeholder is
 * not type- or enum-checked (only the cluster knows it); a key under an
 * unknown or free-form key is not reported again.
 */

import type { ErrorObject } from 'ajv';
import { chartSchemaValidator } from '../schema/chartSchemaValidator';
import { mapGet, mapGetPair, type YamlNode } from '../parse/ast';
import { valueUnknownUntilRender } from '../parse/unknownValue';
import type { Anchor, RelatedInfo } from '../findings';
import type { IndexedDocument, WorkspaceModel } from '../workspace/model';
import {
  chartFailures,
  changesFor,
  enumFor,
  evaluateCombinations,
  type CombinationFinding,
  jsonTypeOf,
  knownCiliumMinors,
  lookupValueKey,
  lookupValueKeyAt,
  suggestKey,
  valueFitsType,
  type ChartFailure,
  type ValueChange,
} from '../cilium/valuesCatalog';
import { CILIUM_VALUE_CATALOGS, CILIUM_VALUE_CHANGES } from '../cilium/valuesCatalogData';
import { compareMinors, minorOfVersion } from '../cilium/chartVersion';
import { isFluxDocument } from '../flux/fluxObjects';
import { isPatchDocument } from '../gitops/placement';
import { configurationConflicts, type ConfigurationConflict } from '../cilium/kernel/kernelMatrix';
import { closestMatches } from '../util/editDistance';
import { chartChildKeys, chartFilesFor, chartKeyStatus, type ChartFiles } from './chartFiles';
import { ciliumReleases, type CiliumRelease } from './ciliumReleases';
import { type EffectiveValues, type ValuesWrite } from './effectiveValues';
import type { ValuesText } from './valuesText';
import { valuesPerBuild } from './builtValues';
import { containedError } from '../util/containedErrors';

interface FactPlace {
  /** Where the finding lands: the key or value as written (a patch, a values file, a ConfigMap block). */
  at: Anchor;
  /** The release that reads a value written elsewhere; the clusters a finding holds in when not all. */
  related?: RelatedInfo[];
}

/** A values write as a fact carries it: where, what, and the text of the source it is written in (for fixes). */
export interface FactWrite {
  path: readonly string[];
  value: unknown;
  keyAt: Anchor;
  valueAt: Anchor;
  /** The source text, when the write maps into it (fixes edit it); absent for values meshlens composed. */
  source?: ValuesText;
}

/** Which sources of a release's values meshlens could not read: a finding on the rest may not hold. */
export type UnknownSources = readonly string[];

export type HelmValueFact = FactPlace &
  (
    | { kind: 'version'; note: string; ownCatalog: boolean }
    | { kind: 'obsolete'; chartVersion: string; write: FactWrite; change: ValueChange }
    | { kind: 'unknown-key'; chart: 'cilium'; chartVersion: string; write: FactWrite; suggestions: readonly { path: string; reason: string }[]; lastSeen?: string }
    | { kind: 'unknown-key'; chart: 'local'; chartLabel: string; write: FactWrite; suggestions: readonly string[] }
    | { kind: 'type'; path: readonly string[]; value: unknown; expected: string; enforced: boolean; versionLabel: string }
    | { kind: 'enum'; write: FactWrite; allowed: readonly unknown[]; versionLabel: string }
    | { kind: 'combination'; condition: 'catalog'; combination: CombinationFinding; chartFails: boolean; chartVersion: string; versionLabel: string; unknownSources: UnknownSources }
    | { kind: 'combination'; condition: 'config-dependency'; conflict: ConfigurationConflict; versionLabel: string; unknownSources: UnknownSources }
    | { kind: 'combination'; condition: 'chart-fail'; failure: ChartFailure; chartVersion: string; unknownSources: UnknownSources }
    | { kind: 'chart-schema'; keyPath: readonly string[]; error: ErrorObject; chartLabel: string }
  );

export type HelmFactKind = HelmValueFact['kind'];

/** The facts of one kind placed in one document. */
export function helmFactsAt<K extends HelmFactKind>(workspace: WorkspaceModel, file: string, documentIndex: number, kind: K): Extract<HelmValueFact, { kind: K }>[] {
  const all = workspace.derive('helm/value-findings', computeAll);
  return (all.get(`${file}#${documentIndex}`) ?? []).filter((fact): fact is Extract<HelmValueFact, { kind: K }> => fact.kind === kind);
}

/** What makes two facts the same finding: where it sits and its data, without the source texts. */
function factKey(fact: HelmValueFact): string {
  const { at, related: _related, ...data } = fact;
  const plain = 'write' in data ? { ...data, write: { path: data.write.path, value: data.write.value } } : data;
  return `${fact.kind}|${at.file}#${at.document}|${at.start}|${JSON.stringify(plain)}`;
}

function factWrite(release: { values: EffectiveValues }, write: ValuesWrite): FactWrite {
  const source = release.values.sources[write.sourceIndex]?.text;
  return { path: write.path, value: write.value, keyAt: write.location.key, valueAt: write.location.value, ...(source ? { source } : {}) };
}

function computeAll(workspace: WorkspaceModel): Map<string, HelmValueFact[]> {
  const byDocument = new Map<string, HelmValueFact[]>();
  const seen = new Set<string>();
  const add = (finding: HelmValueFact) => {
    const key = factKey(finding);
    if (seen.has(key)) return;
    seen.add(key);
    const documentKey = `${finding.at.file}#${finding.at.document}`;
    const list = byDocument.get(documentKey) ?? [];
    list.push(finding);
    byDocument.set(documentKey, list);
  };
  const cilium = new Set<IndexedDocument>();
  // A release that clusters build differently is judged per cluster: a finding that holds in some of them only says which.
  const releases = ciliumReleases(workspace);
  const clustersOfDocument = new Map<IndexedDocument, Set<string>>();
  for (const release of releases) for (const name of release.clusterNames ?? []) clustersOfDocument.set(release.document, (clustersOfDocument.get(release.document) ?? new Set()).add(name));
  const holdsIn = new Map<HelmValueFact, { release: CiliumRelease; clusters: Set<string> }>();
  const keyed = new Map<string, HelmValueFact>();
  for (const release of releases) {
    cilium.add(release.document);
    try {
      ciliumFindings(release, (finding) => {
        const key = factKey(finding);
        const known = keyed.get(key);
        if (known) {
          for (const name of release.clusterNames ?? []) holdsIn.get(known)?.clusters.add(name);
          return;
        }
        keyed.set(key, finding);
        holdsIn.set(finding, { release, clusters: new Set(release.clusterNames ?? []) });
        add(finding);
      });
    } catch (error) {
      containedError('helm/value-findings', error);
      // Keep the findings of other releases.
    }
  }
  for (const [finding, { release, clusters }] of holdsIn) {
    const all = clustersOfDocument.get(release.document);
    if (!all || clusters.size === 0 || clusters.size === all.size) continue;
    const names = [...clusters].map((name) => `\`${name}\``).join(', ');
    const root = release.document.parsed.root;
    const node = mapGetPair(root, 'spec')?.key ?? root;
    finding.related = [
      ...(finding.related ?? []),
      { at: { file: release.document.file, document: release.document.index, start: node?.start ?? 0, end: node?.end ?? 0 }, message: `holds in cluster${clusters.size === 1 ? '' : 's'} ${names} only (of ${all.size} that deploy ${releaseLabel(release)})` },
    ];
  }
  for (const document of workspace.byKind('HelmRelease')) {
    if (cilium.has(document)) continue;
    try {
      if (!isFluxDocument(document, 'HelmRelease') || isPatchDocument(workspace, document)) continue;
      const chart = chartFilesFor(workspace, document);
      // As each cluster's build makes the values (overlays, substitution); findings repeated across builds are merged by `add`.
      if (chart) for (const values of valuesPerBuild(workspace, document)) localChartFindings(document, chart, values, add);
    } catch (error) {
      containedError('helm/value-findings', error);
      // Same containment as above.
    }
  }
  return byDocument;
}

// ---------------------------------------------------------------- Cilium

function dotted(path: readonly string[]): string {
  return path.join('.');
}

function releaseLabel(release: { document: IndexedDocument }): string {
  return `HelmRelease ${release.document.identity.name ?? '?'}`;
}

/** Related location pointing back at the release, for findings written in another file. */
function usedBy(release: { document: IndexedDocument }, write: ValuesWrite, extra: string): RelatedInfo[] | undefined {
  const at = write.location.key;
  if (at.file === release.document.file && at.document === release.document.index) return undefined;
  const root = release.document.parsed.root;
  const node = mapGetPair(mapGet(root, 'spec'), 'valuesFrom')?.key ?? mapGetPair(root, 'spec')?.key ?? root;
  return [{ at: { file: release.document.file, document: release.document.index, start: node?.start ?? 0, end: node?.end ?? 0 }, message: `used by ${releaseLabel(release)}${extra}` }];
}

function ciliumFindings(release: CiliumRelease, add: (finding: HelmValueFact) => void): void {
  const { minor, chartVersion } = release.version;
  const values = release.values;
  // The catalog lines ship facts from the oldest catalog on; older charts get fewer checks.
  const versionLabel = `Cilium chart ${chartVersion}`;
  const catalog = CILIUM_VALUE_CATALOGS[minor]?.keys ?? {};
  // The minor the release really runs (may lie outside the catalogs, which are then clamped).
  const actualMinor = minorOfVersion(chartVersion) ?? minor;
  const olderThanCatalogs = compareMinors(actualMinor, knownCiliumMinors()[0]) < 0;
  versionFinding(release, add);

  // Keys under a reported (unknown) or free-form key are not looked at again.
  const suppressed = new Set<string>();
  // Keys a finding already blames: a chart `fail` on the same key is not reported twice.
  const explainedKeys = new Set<string>();
  const entries = values.entries();
  for (const write of entries) {
    const path = write.path;
    const key = dotted(path);
    const related = usedBy(release, write, ` (${versionLabel})`);
    if (path.length > 1) {
      const parentPath = path.slice(0, -1);
      if (suppressed.has(dotted(parentPath))) {
        suppressed.add(key);
        continue;
      }
      const parent = lookupValueKey(minor, parentPath);
      const parentReplaced = changesFor(chartVersion, parentPath, valueAtParent(values, path), values.value).some((change) => change.state === 'removed' && changeApplies(change, actualMinor));
      if (parent.status === 'free-form' || (parent.info && !typeAllowsChildren(parent.info.type)) || parentReplaced) {
        suppressed.add(key);
        continue;
      }
    }
    // A scalar or list that a later source replaces (inline `values` over `valuesFrom`, as Flux
    // merges them) never reaches the chart: only the winning write can be obsolete.
    const overridden = !isPlainObject(write.value) && values.provenance(path) !== write.location;
    const changes = overridden ? [] : changesFor(chartVersion, path, write.value, values.value).filter((change) => changeApplies(change, actualMinor));
    if (changes.length > 0) {
      for (const change of changes) add({ kind: 'obsolete', chartVersion, write: factWrite(release, write), change, at: write.location.key, related });
      explainedKeys.add(key);
      suppressed.add(key);
      continue;
    }
    const found = lookupValueKeyAt(chartVersion, path);
    if (found.status === 'unknown') {
      // A parent of renamed keys (`proxy` of `proxy.prometheus.enabled`): report the keys below instead.
      if (entries.some((other) => other.path.length > path.length && isUnder(other.path, path) && changesFor(chartVersion, other.path, other.value).length > 0)) continue;
      // A chart older than every catalog: a key that some later version renamed or removed was valid then.
      // Without a catalog of its own, only likely typos (a near key exists) are reported.
      if (olderThanCatalogs && (CILIUM_VALUE_CHANGES.some((change) => change.path === key || change.path.startsWith(`${key}.`)) || !suggestKey(minor, path).some((s) => s.reason === 'similar'))) {
        suppressed.add(key);
        continue;
      }
      add({
        kind: 'unknown-key',
        chart: 'cilium',
        chartVersion,
        write: factWrite(release, write),
        suggestions: suggestKey(minor, path).slice(0, 3),
        ...(found.facts?.lastSeen ? { lastSeen: found.facts.lastSeen } : {}),
        at: write.location.key,
        related,
      });
      suppressed.add(key);
      continue;
    }
    if (!found.info || found.status === 'free-form') continue;
    // Type and enum: only the winning write is what the chart sees.
    const winner = values.provenance(path);
    if (winner !== write.location || write.value === null || valueUnknownUntilRender(write.value)) continue;
    const entry = catalog[dotted(path)];
    // Where the type is not the version's own schema, the version's default tells the type too.
    const defaultFits = entry?.typeSource !== 'schema' && entry?.default !== undefined && entry.default !== null && jsonTypeOf(entry.default) === jsonTypeOf(write.value);
    if (!valueFitsType(found.info, write.value) && !defaultFits) {
      const expected = Array.isArray(found.info.type) ? found.info.type.join(' or ') : found.info.type;
      add({ kind: 'type', path, value: write.value, expected, enforced: entry?.typeSource === 'schema', versionLabel, at: write.location.value, related });
      continue;
    }
    const allowed = enumFor(minor, path);
    if (allowed && !allowed.some((candidate) => candidate === write.value)) {
      add({ kind: 'enum', write: factWrite(release, write), allowed, versionLabel, at: write.location.value, related });
    }
  }

  // Combination facts start with the oldest catalog; an older chart named some keys differently.
  if (olderThanCatalogs) return;
  const unknownSources = values.unknownSources.map((source) => source.split(':')[0]);
  // The exact patch's own `fail` conditions that hold: rendering stops there.
  const failures = chartFailures(chartVersion, values.value).filter((failure) => failure.userKeys.length > 0 && !failure.userKeys.some((key) => explainedKeys.has(key)));
  const claimed = new Set<ChartFailure>();
  const combinationKeys = new Set<string>();
  for (const combination of evaluateCombinations(minor, values.value)) {
    for (const key of combination.keys) combinationKeys.add(key);
    const location = values.provenance(combination.reportAt);
    const at = location?.key ?? valuesKeyAnchor(release.document);
    const ownKeys = new Set(combination.keys);
    const failure = failures.find((candidate) => candidate.rule.keys.some((key) => ownKeys.has(key)));
    if (failure) claimed.add(failure);
    add({
      kind: 'combination',
      condition: 'catalog',
      combination,
      chartFails: failure !== undefined,
      chartVersion,
      versionLabel,
      unknownSources,
      at,
      related: location ? relatedForLocation(release, at) : undefined,
    });
  }
  // Features the values turn on while leaving off a dependency they cannot start without (from
  // the kernel model's dependencies): configuration errors on every kernel.
  for (const conflict of configurationConflicts(actualMinor, values.value)) {
    const keys = conflict.paths.map((path) => path.join('.'));
    if (keys.some((key) => combinationKeys.has(key))) continue;
    const location = values.provenance(conflict.paths[0]);
    const at = location?.key ?? valuesKeyAnchor(release.document);
    add({
      kind: 'combination',
      condition: 'config-dependency',
      conflict,
      versionLabel,
      unknownSources,
      at,
      related: location ? relatedForLocation(release, at) : undefined,
    });
  }
  for (const failure of failures) {
    if (claimed.has(failure)) continue;
    const reportAt = failure.userKeys[failure.userKeys.length - 1].split('.');
    const location = values.provenance(reportAt);
    const at = location?.key ?? valuesKeyAnchor(release.document);
    add({
      kind: 'combination',
      condition: 'chart-fail',
      failure,
      chartVersion,
      unknownSources,
      at,
      related: location ? relatedForLocation(release, at) : undefined,
    });
  }
}

/** A change counts when the release's own version is at or past the version that made it. */
function changeApplies(change: ValueChange, actualMinor: string): boolean {
  const since = change.deprecatedIn ?? change.removedIn;
  return since === undefined || compareMinors(actualMinor, since) >= 0;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isUnder(path: readonly string[], prefix: readonly string[]): boolean {
  return prefix.every((segment, index) => path[index] === segment);
}

function typeAllowsChildren(type: string | string[]): boolean {
  const types = Array.isArray(type) ? type : [type];
  return types.includes('object') || types.includes('any');
}

function valueAtParent(values: EffectiveValues, path: readonly string[]): unknown {
  let current: unknown = values.value;
  for (const segment of path.slice(0, -1)) {
    if (!current || typeof current !== 'object' || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

function relatedForLocation(release: CiliumRelease, at: Anchor): RelatedInfo[] | undefined {
  if (at.file === release.document.file && at.document === release.document.index) return undefined;
  const node = mapGetPair(release.document.parsed.root, 'spec')?.key;
  return [{ at: { file: release.document.file, document: release.document.index, start: node?.start ?? 0, end: node?.end ?? 0 }, message: `used by ${releaseLabel(release)}` }];
}

function valuesKeyAnchor(document: IndexedDocument): Anchor {
  const spec = mapGet(document.parsed.root, 'spec');
  const node: YamlNode | undefined = mapGetPair(spec, 'values')?.key ?? mapGetPair(document.parsed.root, 'spec')?.key ?? document.parsed.root;
  return { file: document.file, document: document.index, start: node?.start ?? 0, end: node?.end ?? 0 };
}

function versionFinding(release: CiliumRelease, add: (finding: HelmValueFact) => void): void {
  const ownCatalog = minorOfVersion(release.version.chartVersion) === release.version.minor;
  if (release.version.how === 'exact' && ownCatalog) return;
  const root = release.document.parsed.root;
  const spec = mapGet(root, 'spec');
  const chartSpec = mapGet(mapGet(spec, 'chart'), 'spec');
  const node = mapGet(chartSpec, 'version') ?? mapGetPair(chartSpec, 'chart')?.key ?? mapGetPair(spec, 'chartRef')?.key ?? mapGetPair(spec, 'chart')?.key;
  if (!node) return;
  add({
    kind: 'version',
    note: release.version.note,
    ownCatalog,
    at: { file: release.document.file, document: release.document.index, start: node.start, end: node.end },
  });
}

// ---------------------------------------------------------------- any chart with files at hand

function localChartFindings(document: IndexedDocument, chart: ChartFiles, values: EffectiveValues, add: (finding: HelmValueFact) => void): void {
  const chartLabel = `chart ${chart.name ?? chart.dir}${chart.version ? ` ${chart.version}` : ''}`;
  if (chart.valuesYaml) {
    for (const write of values.entries()) {
      const parent = write.path.slice(0, -1);
      if (parent.length > 0 && chartKeyStatus(chart, parent) !== 'known') continue;
      if (chartKeyStatus(chart, write.path) !== 'unknown') continue;
      const siblings = chartChildKeys(chart, parent);
      const name = write.path[write.path.length - 1];
      const suggestions = closestMatches(name, siblings);
      add({ kind: 'unknown-key', chart: 'local', chartLabel, write: factWrite({ values }, write), suggestions, at: write.location.key, related: usedBy({ document }, write, '') });
    }
  }
  if (!chart.schema) return;
  const validate = chartSchemaValidator(chart.schema.schema);
  if (!validate) return;
  if (validate(values.value)) return;
  for (const error of validate.errors ?? []) {
    const finding = schemaErrorFinding(error, values, chartLabel, document);
    if (finding) add(finding);
  }
}

function schemaErrorFinding(error: ErrorObject, values: EffectiveValues, chartLabel: string, document: IndexedDocument): HelmValueFact | undefined {
  // Helm validates user values coalesced with the chart defaults: a missing required key may come from there.
  if (error.keyword === 'required') return undefined;
  const path = error.instancePath
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
  let keyPath = path;
  while (keyPath.length > 0 && /^\d+$/.test(keyPath[keyPath.length - 1])) keyPath = keyPath.slice(0, -1);
  if (error.keyword === 'additionalProperties') {
    const extra = String((error.params as { additionalProperty?: string }).additionalProperty ?? '');
    keyPath = [...keyPath, extra];
  }
  const location = keyPath.length > 0 ? values.provenance(keyPath) : undefined;
  const write = values.writes(keyPath).pop();
  if (write && valueUnknownUntilRender(write.value)) return undefined;
  const at = location ? (error.keyword === 'additionalProperties' ? location.key : location.value) : valuesKeyAnchor(document);
  return { kind: 'chart-schema', keyPath, error, chartLabel, at };
}
