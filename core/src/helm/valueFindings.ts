/**
 * Every finding on Helm values in the workspace, computed once per workspace
 * generation and handed out per document: the `helm/*` rules run on every
 * document (HelmReleases, ConfigMaps, plain values files) and report the
 * findings located there, so a finding lands in the file and line where the
 * offending key or value is written — inside a ConfigMap's values block too.
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
import type { Anchor, RelatedInfo, RuleEdit, RuleFix } from '../findings';
import type { IndexedDocument, WorkspaceModel } from '../workspace/model';
import {
  chartFailures,
  changesFor,
  enumFor,
  evaluateCombinations,
  jsonTypeOf,
  knownCiliumMinors,
  lookupValueKey,
  lookupValueKeyAt,
  suggestKey,
  valueFitsType,
  type ChartFailure,
  type ValueChange,
  type ValueEdit,
} from '../cilium/valuesCatalog';
import { CILIUM_VALUE_CATALOGS, CILIUM_VALUE_CHANGES } from '../cilium/valuesCatalogData';
import { compareMinors, minorOfVersion } from '../cilium/chartVersion';
import { isFluxDocument } from '../flux/fluxObjects';
import { isPatchDocument } from '../gitops/placement';
import { configurationConflicts } from '../cilium/kernel/kernelMatrix';
import { closestMatches } from '../util/editDistance';
import { chartChildKeys, chartFilesFor, chartKeyStatus, type ChartFiles } from './chartFiles';
import { ciliumReleases, type CiliumRelease } from './ciliumReleases';
import { type EffectiveValues, type ValuesWrite } from './effectiveValues';
import { valuesPerBuild } from './builtValues';
import { renderScalar, renderValueEdits } from './valueEdits';

export type HelmFindingKind = 'unknown-key' | 'type' | 'enum' | 'obsolete' | 'combination' | 'version' | 'chart-schema';

export interface HelmFinding {
  kind: HelmFindingKind;
  severity: 'error' | 'warning' | 'info';
  message: string;
  at: Anchor;
  fixes?: RuleFix[];
  related?: RelatedInfo[];
}

export function helmFindingsAt(workspace: WorkspaceModel, file: string, documentIndex: number, kind: HelmFindingKind): HelmFinding[] {
  const all = workspace.derive('helm/value-findings', computeAll);
  return (all.get(`${file}#${documentIndex}`) ?? []).filter((finding) => finding.kind === kind);
}

function computeAll(workspace: WorkspaceModel): Map<string, HelmFinding[]> {
  const byDocument = new Map<string, HelmFinding[]>();
  const seen = new Set<string>();
  const add = (finding: HelmFinding) => {
    const key = `${finding.kind}|${finding.at.file}#${finding.at.document}|${finding.at.start}|${finding.message}`;
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
  const holdsIn = new Map<HelmFinding, { release: CiliumRelease; clusters: Set<string> }>();
  const keyed = new Map<string, HelmFinding>();
  for (const release of releases) {
    cilium.add(release.document);
    try {
      ciliumFindings(release, (finding) => {
        const key = `${finding.kind}|${finding.at.file}#${finding.at.document}|${finding.at.start}|${finding.message}`;
        const known = keyed.get(key);
        if (known) {
          for (const name of release.clusterNames ?? []) holdsIn.get(known)?.clusters.add(name);
          return;
        }
        keyed.set(key, finding);
        holdsIn.set(finding, { release, clusters: new Set(release.clusterNames ?? []) });
        add(finding);
      });
    } catch {
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
    } catch {
      // Same containment as above.
    }
  }
  return byDocument;
}

// ---------------------------------------------------------------- Cilium

function hasPlaceholder(value: unknown): boolean {
  return valueUnknownUntilRender(value);
}

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

function ciliumFindings(release: CiliumRelease, add: (finding: HelmFinding) => void): void {
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
      for (const change of changes) add(obsoleteFinding(release, write, change, related));
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
      add(unknownCiliumKey(release, write, related, found.facts?.lastSeen));
      suppressed.add(key);
      continue;
    }
    if (!found.info || found.status === 'free-form') continue;
    // Type and enum: only the winning write is what the chart sees.
    const winner = values.provenance(path);
    if (winner !== write.location || write.value === null || hasPlaceholder(write.value)) continue;
    const entry = catalog[dotted(path)];
    // Where the type is not the version's own schema, the version's default tells the type too.
    const defaultFits = entry?.typeSource !== 'schema' && entry?.default !== undefined && entry.default !== null && jsonTypeOf(entry.default) === jsonTypeOf(write.value);
    if (!valueFitsType(found.info, write.value) && !defaultFits) {
      const enforced = entry?.typeSource === 'schema';
      const expected = Array.isArray(found.info.type) ? found.info.type.join(' or ') : found.info.type;
      add({
        kind: 'type',
        severity: enforced ? 'error' : 'warning',
        message: enforced
          ? `\`${dotted(path)}\` must be ${article(expected)} in ${versionLabel}, not ${describeValue(write.value)}: the chart's schema rejects it and the release fails`
          : `\`${dotted(path)}\` is ${article(expected)} in ${versionLabel}, not ${describeValue(write.value)}: the templates may render it wrongly`,
        at: write.location.value,
        related,
      });
      continue;
    }
    const allowed = enumFor(minor, path);
    if (allowed && !allowed.some((candidate) => candidate === write.value)) {
      const shown = [...new Set(allowed.map((candidate) => renderScalar(candidate)))].join(', ');
      const closest = typeof write.value === 'string' ? closestMatches(write.value, allowed.filter((c): c is string => typeof c === 'string' && c !== '')) : [];
      add({
        kind: 'enum',
        severity: 'error',
        message: `\`${dotted(path)}\` cannot be ${describeValue(write.value)} in ${versionLabel} (allowed: ${shown}); the agent or chart rejects it`,
        at: write.location.value,
        related,
        fixes: closest.slice(0, 3).map((candidate, index) => ({
          title: `Change to ${candidate}`,
          safe: false,
          preferred: index === 0,
          edits: [{ range: write.location.value, newText: renderScalar(candidate) }],
        })),
      });
    }
  }

  // Combination facts start with the oldest catalog; an older chart named some keys differently.
  if (olderThanCatalogs) return;
  const unknownNote = values.unknownSources.length > 0 ? ` (values from ${values.unknownSources.map((source) => source.split(':')[0]).join(', ')} are not known and may change this)` : '';
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
    const severity = failure ? 'error' : combination.severity;
    add({
      kind: 'combination',
      severity: unknownNote ? 'warning' : severity,
      message: `${combination.message}${failure ? ` (chart ${chartVersion} fails rendering)` : ''} [${combination.id}, ${versionLabel}]${unknownNote}`,
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
      severity: unknownNote ? 'warning' : 'error',
      message: `${keys.map((key) => `\`${key}\``).join(', ')} turn${keys.length === 1 ? 's' : ''} on ${conflict.title}, which needs ${conflict.dependencyTitle}; these values do not turn that on, so the agent refuses to start on every node, whatever the kernel [config dependency: ${conflict.featureId} needs ${conflict.dependencyId}, ${versionLabel}]${unknownNote}`,
      at,
      related: location ? relatedForLocation(release, at) : undefined,
    });
  }
  for (const failure of failures) {
    if (claimed.has(failure)) continue;
    const reportAt = failure.userKeys[failure.userKeys.length - 1].split('.');
    const location = values.provenance(reportAt);
    const at = location?.key ?? valuesKeyAnchor(release.document);
    const reason = failure.rule.message ? `: "${failure.rule.message.length > 160 ? `${failure.rule.message.slice(0, 157)}...` : failure.rule.message}"` : '';
    add({
      kind: 'combination',
      severity: unknownNote ? 'warning' : 'error',
      message: `Cilium chart ${chartVersion} fails rendering with these values (${failure.userKeys.map((key) => `\`${key}\``).join(', ')})${reason} [chart-fail, templates/${failure.rule.file}]${unknownNote}`,
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

function versionFinding(release: CiliumRelease, add: (finding: HelmFinding) => void): void {
  const ownCatalog = minorOfVersion(release.version.chartVersion) === release.version.minor;
  if (release.version.how === 'exact' && ownCatalog) return;
  const root = release.document.parsed.root;
  const spec = mapGet(root, 'spec');
  const chartSpec = mapGet(mapGet(spec, 'chart'), 'spec');
  const node = mapGet(chartSpec, 'version') ?? mapGetPair(chartSpec, 'chart')?.key ?? mapGetPair(spec, 'chartRef')?.key ?? mapGetPair(spec, 'chart')?.key;
  if (!node) return;
  add({
    kind: 'version',
    severity: 'info',
    message: ownCatalog
      ? `${release.version.note} Values are checked against that version; pin an exact chart version to check against the one you run`
      : `${release.version.note} Only keys and values that exist in both are checked; unknown keys are reported only when a near key exists`,
    at: { file: release.document.file, document: release.document.index, start: node.start, end: node.end },
  });
}

function obsoleteFinding(release: CiliumRelease, write: ValuesWrite, change: ValueChange, related: RelatedInfo[] | undefined): HelmFinding {
  const { chartVersion } = release.version;
  const when =
    change.state === 'removed'
      ? change.chartFails
        ? `Cilium chart ${chartVersion} fails rendering on it`
        : `ignored by Cilium chart ${chartVersion}`
      : `deprecated since ${change.deprecatedIn ?? '?'}${change.removedIn ? `, removed in ${change.removedIn}` : ''}`;
  const manual = change.manual ? ` ${change.manual}` : '';
  const fixes: RuleFix[] = [];
  const source = release.values.sources[write.sourceIndex];
  if (change.edits && source?.text) {
    const edits = renderValueEdits(source.text, change.edits);
    if (edits && edits.length > 0) {
      fixes.push({ title: describeEdits(change.edits), safe: true, preferred: true, edits: edits as RuleEdit[] });
    }
  }
  return {
    kind: 'obsolete',
    severity: change.state === 'removed' ? change.severity : 'warning',
    message: `${change.message.replace(/\.\s*$/, '')} (${when}).${manual}`,
    at: write.location.key,
    fixes,
    related,
  };
}

function describeEdits(edits: readonly ValueEdit[]): string {
  // Action titles are plain text in editors (no Markdown), so values are quoted, not back-ticked.
  const unset = edits.filter((edit) => edit.op === 'unset').map((edit) => `"${dotted(edit.path)}"`);
  const set = edits.flatMap((edit) => (edit.op === 'set' ? [`"${dotted(edit.path)}: ${renderScalar(edit.value)}"`] : []));
  if (unset.length > 0 && set.length > 0) return `Replace ${unset.join(', ')} with ${set.join(', ')}`;
  if (unset.length > 0) return `Remove ${unset.join(', ')}`;
  return `Set ${set.join(', ')}`;
}

function unknownCiliumKey(release: CiliumRelease, write: ValuesWrite, related: RelatedInfo[] | undefined, lastSeen?: string): HelmFinding {
  const { minor, chartVersion } = release.version;
  const path = write.path;
  const suggestions = suggestKey(minor, path).slice(0, 3);
  const source = release.values.sources[write.sourceIndex];
  const fixes: RuleFix[] = [];
  suggestions.forEach((suggestion, index) => {
    const target = suggestion.path.split('.');
    const sameParent = target.length === path.length && target.slice(0, -1).every((segment, i) => segment === path[i]);
    let edits: RuleEdit[] | undefined;
    if (sameParent) edits = [{ range: write.location.key, newText: target[target.length - 1] }];
    else if (source?.text) edits = renderValueEdits(source.text, [{ op: 'unset', path }, { op: 'set', path: target, value: write.value }]) as RuleEdit[] | undefined;
    if (edits && edits.length > 0) {
      fixes.push({ title: `Change to "${suggestion.path}"`, safe: suggestion.reason === 'renamed', preferred: index === 0, edits });
    }
  });
  const hint = suggestions.length > 0 ? `; did you mean ${suggestions.map((s) => `\`${s.path}\`${s.reason === 'renamed' ? ' (renamed)' : ''}`).join(' or ')}?` : '.';
  return {
    kind: 'unknown-key',
    severity: 'warning',
    message: lastSeen
      ? `\`${dotted(path)}\` is no longer a value of Cilium chart ${chartVersion} (last in chart ${lastSeen})${hint} Helm ignores it silently`
      : `\`${dotted(path)}\` is not a value of Cilium chart ${chartVersion}${hint} Helm ignores it silently`,
    at: write.location.key,
    fixes,
    related,
  };
}

// ---------------------------------------------------------------- any chart with files at hand

function localChartFindings(document: IndexedDocument, chart: ChartFiles, values: EffectiveValues, add: (finding: HelmFinding) => void): void {
  const chartLabel = `chart ${chart.name ?? chart.dir}${chart.version ? ` ${chart.version}` : ''}`;
  if (chart.valuesYaml) {
    for (const write of values.entries()) {
      const parent = write.path.slice(0, -1);
      if (parent.length > 0 && chartKeyStatus(chart, parent) !== 'known') continue;
      if (chartKeyStatus(chart, write.path) !== 'unknown') continue;
      const siblings = chartChildKeys(chart, parent);
      const name = write.path[write.path.length - 1];
      const suggestions = closestMatches(name, siblings);
      add({
        kind: 'unknown-key',
        severity: 'warning',
        message: `\`${dotted(write.path)}\` is not in the values.yaml of ${chartLabel}${suggestions.length ? `; did you mean \`${[...parent, suggestions[0]].join('.')}\`?` : '.'} Helm ignores it silently`,
        at: write.location.key,
        related: usedBy({ document }, write, ''),
        fixes: suggestions.map((suggestion, index) => ({
          title: `Change to "${[...parent, suggestion].join('.')}"`,
          safe: false,
          preferred: index === 0,
          edits: [{ range: write.location.key, newText: suggestion }],
        })),
      });
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

function schemaErrorFinding(error: ErrorObject, values: EffectiveValues, chartLabel: string, document: IndexedDocument): HelmFinding | undefined {
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
  if (write && hasPlaceholder(write.value)) return undefined;
  const at = location ? (error.keyword === 'additionalProperties' ? location.key : location.value) : valuesKeyAnchor(document);
  return {
    kind: 'chart-schema',
    severity: 'error',
    message: `\`${dotted(keyPath) || 'values'}\` ${error.message ?? 'does not match the schema'}${allowedSuffix(error)} (values.schema.json of ${chartLabel}); Helm refuses to install`,
    at,
  };
}

function allowedSuffix(error: ErrorObject): string {
  const allowed = (error.params as { allowedValues?: unknown[] }).allowedValues;
  return Array.isArray(allowed) ? ` (${allowed.map((value) => renderScalar(value)).join(', ')})` : '';
}

// ---------------------------------------------------------------- wording

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value)}`;
  if (Array.isArray(value)) return 'a list';
  if (value && typeof value === 'object') return 'a map';
  return `\`${String(value)}\``;
}
