/**
 * What the Cilium Helm chart accepts under `spec.values`, per chart minor line, refined per patch
 * by the generated chart facts (chartFacts.ts): known and commented-out keys, keys only the
 * templates read, free-form maps, types, defaults, enums, renames/removals with their mechanical
 * migrations, the patch's own `fail` conditions, and cross-value rules the chart or agent enforces.
 *
 * Pure: data comes from the JSON files in schemas/cilium-values (bundled), inputs are plain
 * values and key paths (lists of map keys from `spec.values` down). Every function accepts a
 * minor ("1.16") or a full chart version ("1.16.3"); versions outside the known lines are
 * clamped to the nearest one. Nothing here throws on bad input.
 */

import { closestMatches } from '../util/editDistance';
import { valueUnknownUntilRender } from '../parse/unknownValue';
import { compareMinors, minorOfVersion, resolveChartVersion, type ResolvedChartVersion } from './chartVersion';
import {
  CILIUM_VALUE_CATALOGS,
  CILIUM_VALUE_CHANGES,
  CILIUM_VALUE_COMBINATIONS,
  CILIUM_VALUE_DESCRIPTIONS,
  type CatalogEntry,
  type ChangeFact,
  type ValueType,
} from './valuesCatalogData';
import { chartPatches, failRulesAt, factsPatch, keyFactsAt, type FailRule, type KeyFacts } from './chartFacts';
import { conditionPath, conditionPaths, effectiveValue, evaluate, evaluateCondition, UNKNOWN_DEFAULT, userHasPath, type ValuesLookup } from './valuesCondition';

export type { ValueType } from './valuesCatalogData';
export type { ResolvedChartVersion } from './chartVersion';

export interface KeyInfo {
  /** Dotted key path, e.g. "hubble.relay.enabled". */
  path: string;
  /** JSON type, or the list of types the chart's schema allows. */
  type: ValueType | ValueType[];
  /** Chart default (left out when large). For commented keys: the value shown in the comment. */
  default?: unknown;
  /** Known closed set of values for this version. */
  enum?: unknown[];
  /** Values still accepted in this version but deprecated. */
  deprecatedValues?: unknown[];
  /** The key appears only commented out in values.yaml; it is valid but has no effective default. */
  commented?: boolean;
  /** Anything may be nested under this key (labels, resources, affinity, …). */
  mapOfAny?: boolean;
  /** Our one-line description, when we have one. */
  description?: string;
  /** Not in values.yaml, but the chart patch's templates read it. */
  templateRead?: boolean;
}

export type KeyStatus = 'known' | 'commented' | 'free-form' | 'unknown';

export interface KeySuggestion {
  path: string;
  reason: 'renamed' | 'similar';
}

/** One step of a mechanical migration; apply in order (unsets come before sets). */
export type ValueEdit = { op: 'unset'; path: string[] } | { op: 'set'; path: string[]; value: unknown };

export interface ValueChange {
  id: string;
  kind: ChangeFact['kind'];
  path: string[];
  /** 'removed': no longer read (or value rejected); 'deprecated': still works. */
  state: 'deprecated' | 'removed';
  /** True when `helm template` fails on it for this chart version. */
  chartFails: boolean;
  severity: 'error' | 'warning';
  message: string;
  deprecatedIn?: string;
  removedIn?: string;
  /** Mechanical fix, when one preserves meaning. */
  edits?: ValueEdit[];
  /** What a human must decide, when the fix is not mechanical (or not for this value). */
  manual?: string;
}

export interface CombinationFinding {
  id: string;
  severity: 'error' | 'warning';
  message: string;
  /** Key path to put the diagnostic on: the first of the rule's keys the user wrote. */
  reportAt: string[];
  source: 'chart' | 'agent' | 'docs';
  /** Every key the rule's condition reads (dotted). */
  keys: string[];
}

export interface KeyHistoryEntry {
  minor: string;
  chartVersion: string;
  status: 'known' | 'commented' | 'free-form' | 'absent';
}

// ---------------------------------------------------------------- versions

const MINORS = Object.keys(CILIUM_VALUE_CATALOGS).sort(compareMinors);
const CATALOG_VERSIONS: Record<string, string> = Object.fromEntries(MINORS.map((m) => [m, CILIUM_VALUE_CATALOGS[m].chartVersion]));

export function knownCiliumMinors(): string[] {
  return [...MINORS];
}

export function resolveCiliumChartVersion(spec: string | undefined): ResolvedChartVersion {
  return resolveChartVersion(spec, CATALOG_VERSIONS, chartPatches());
}

/** The known minor a version string belongs to (clamped to the known range). */
function knownMinor(version: string): string {
  const minor = typeof version === 'string' ? minorOfVersion(version) : undefined;
  if (!minor) return MINORS[MINORS.length - 1];
  if (CILIUM_VALUE_CATALOGS[minor]) return minor;
  if (compareMinors(minor, MINORS[0]) < 0) return MINORS[0];
  return MINORS.filter((m) => compareMinors(m, minor) <= 0).pop() ?? MINORS[MINORS.length - 1];
}

/** The exact chart version meant: a full version as given, else the catalog's. */
function patchVersion(version: string, minor: string): string {
  return typeof version === 'string' && /^v?\d+\.\d+\.\d+$/.test(version.trim()) ? version.trim().replace(/^v/, '') : CATALOG_VERSIONS[minor];
}

export function ciliumCatalogChartVersion(minor: string): string {
  return CATALOG_VERSIONS[knownMinor(minor)];
}

// ---------------------------------------------------------------- key lookup

const childIndexCache = new Map<string, Map<string, string[]>>();

function entries(minor: string): Record<string, CatalogEntry> {
  return CILIUM_VALUE_CATALOGS[minor].keys;
}

function childIndex(minor: string): Map<string, string[]> {
  let index = childIndexCache.get(minor);
  if (!index) {
    index = new Map();
    for (const dotted of Object.keys(entries(minor))) {
      const cut = dotted.lastIndexOf('.');
      const parent = cut < 0 ? '' : dotted.slice(0, cut);
      const list = index.get(parent) ?? [];
      list.push(dotted);
      index.set(parent, list);
    }
    for (const list of index.values()) list.sort();
    childIndexCache.set(minor, index);
  }
  return index;
}

function toKeyInfo(dotted: string, entry: CatalogEntry): KeyInfo {
  const info: KeyInfo = { path: dotted, type: entry.type };
  if (entry.default !== undefined) info.default = entry.default;
  if (entry.enum) info.enum = entry.enum;
  if (entry.deprecatedValues) info.deprecatedValues = entry.deprecatedValues;
  if (entry.commented) info.commented = true;
  if (entry.mapOfAny) info.mapOfAny = true;
  const description = CILIUM_VALUE_DESCRIPTIONS[dotted];
  if (description) info.description = description;
  return info;
}

function typeList(type: ValueType | ValueType[]): ValueType[] {
  return Array.isArray(type) ? type : [type];
}

function cleanPath(path: string[]): string[] {
  return Array.isArray(path) ? path.filter((segment) => typeof segment === 'string') : [];
}

export function lookupValueKey(minor: string, path: string[]): { status: KeyStatus; info?: KeyInfo } {
  const m = knownMinor(minor);
  const keys = entries(m);
  const segments = cleanPath(path);
  if (segments.length === 0) return { status: 'unknown' };
  const dotted = segments.join('.');
  const entry = Object.prototype.hasOwnProperty.call(keys, dotted) ? keys[dotted] : undefined;
  if (entry) return { status: entry.commented ? 'commented' : 'known', info: toKeyInfo(dotted, entry) };
  // Not catalogued: free-form if any ancestor is a free-form map, or an object/any-typed key
  // whose children the chart does not list.
  const index = childIndex(m);
  for (let i = segments.length - 1; i >= 1; i--) {
    const ancestor = segments.slice(0, i).join('.');
    const ancestorEntry = Object.prototype.hasOwnProperty.call(keys, ancestor) ? keys[ancestor] : undefined;
    if (!ancestorEntry) continue;
    if (ancestorEntry.mapOfAny) return { status: 'free-form' };
    const types = typeList(ancestorEntry.type);
    const hasChildren = (index.get(ancestor) ?? []).length > 0;
    if (!hasChildren && (types.includes('object') || types.includes('any'))) return { status: 'free-form' };
    // Keep looking further up: a free-form map may enclose known children.
  }
  return { status: 'unknown' };
}

/**
 * Like lookupValueKey, but for the exact chart patch when the chart facts cover it: a key the
 * patch's templates read is known even where values.yaml does not declare it, and a catalogued
 * key that this patch neither declares nor reads (added in a later patch of the line) is unknown.
 */
export function lookupValueKeyAt(chartVersion: string, path: string[]): { status: KeyStatus; info?: KeyInfo; facts?: KeyFacts } {
  const found = lookupValueKey(chartVersion, path);
  const dotted = cleanPath(path).join('.');
  const facts = keyFactsAt(chartVersion, dotted);
  if (!facts) return found;
  if (found.status === 'unknown' && facts.read) return { status: 'known', info: { path: dotted, type: 'any', templateRead: true }, facts };
  if (found.status === 'known' && facts.everSeen && !facts.declared && !facts.read) return { status: 'unknown', facts };
  return { ...found, facts };
}

export interface ChartFailure {
  rule: FailRule;
  /** Keys of the rule the user wrote. */
  userKeys: string[];
}

/**
 * The `fail` conditions of the exact chart patch that certainly hold for these values (chart
 * defaults filled in from the minor's catalog; a default we do not know makes a test unknown,
 * and unknown never counts as failing).
 */
const failureCache = new WeakMap<object, Map<string, ChartFailure[]>>();

export function chartFailures(chartVersion: string, values: unknown): ChartFailure[] {
  const patch = factsPatch(chartVersion);
  if (!patch) return [];
  const cacheable = values !== null && typeof values === 'object';
  const cached = cacheable ? failureCache.get(values as object)?.get(patch) : undefined;
  if (cached) return cached;
  const computed = computeChartFailures(chartVersion, values);
  if (cacheable) {
    const byPatch = failureCache.get(values as object) ?? new Map<string, ChartFailure[]>();
    byPatch.set(patch, computed);
    failureCache.set(values as object, byPatch);
  }
  return computed;
}

function computeChartFailures(chartVersion: string, values: unknown): ChartFailure[] {
  const lookup: ValuesLookup = { user: values, defaultFor: knownDefaultLookup(knownMinor(chartVersion)) };
  const failures: ChartFailure[] = [];
  for (const rule of failRulesAt(chartVersion)) {
    if (evaluate(rule.when, lookup).truth !== true) continue;
    failures.push({ rule, userKeys: rule.keys.filter((key) => userHasPath(values, key.split('.'))) });
  }
  return failures;
}

function knownDefaultLookup(minor: string): (path: string[]) => unknown {
  const keys = entries(minor);
  return (path) => {
    const dotted = path.join('.');
    const entry = Object.prototype.hasOwnProperty.call(keys, dotted) ? keys[dotted] : undefined;
    if (!entry || entry.commented) return undefined;
    // Large defaults are left out of the catalog: the key has a value we do not know.
    return entry.default === undefined ? UNKNOWN_DEFAULT : entry.default;
  };
}

export function childKeys(minor: string, path: string[]): KeyInfo[] {
  const m = knownMinor(minor);
  const parent = cleanPath(path).join('.');
  const keys = entries(m);
  return (childIndex(m).get(parent) ?? []).map((dotted) => toKeyInfo(dotted, keys[dotted]));
}

export function enumFor(minor: string, path: string[]): unknown[] | undefined {
  const found = lookupValueKey(minor, path);
  return found.info?.enum;
}

/** JSON type of a YAML value as the chart's schema sees it. */
export function jsonTypeOf(value: unknown): ValueType {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  if (typeof value === 'string') return 'string';
  return 'object';
}

/**
 * Does `value` fit the key's type? A null always fits: in user values it removes the key,
 * so Helm never validates it against the schema.
 */
export function valueFitsType(info: Pick<KeyInfo, 'type'>, value: unknown): boolean {
  if (value === null || value === undefined) return true;
  const types = typeList(info.type);
  if (types.includes('any')) return true;
  const actual = jsonTypeOf(value);
  return types.includes(actual) || (actual === 'integer' && types.includes('number'));
}

export function keyHistory(path: string[]): KeyHistoryEntry[] {
  return MINORS.map((minor) => {
    const { status } = lookupValueKey(minor, path);
    return { minor, chartVersion: CATALOG_VERSIONS[minor], status: status === 'unknown' ? 'absent' : status };
  });
}

// ---------------------------------------------------------------- suggestions

function renameTargets(dotted: string): string[] {
  const targets: string[] = [];
  for (const change of CILIUM_VALUE_CHANGES) {
    const replacement = change.replacement;
    if (!replacement) continue;
    let target: string | undefined;
    if (replacement.kind === 'move' || replacement.kind === 'wrapInList' || replacement.kind === 'anchoredRegex') target = replacement.to;
    else if (replacement.kind === 'byValue') target = Object.values(replacement.values)[0]?.[0]?.path;
    if (!target) continue;
    if (change.path === dotted) targets.push(target);
    // A parent of renamed keys (proxy.prometheus → envoy.prometheus) when the tails agree.
    else if (change.path.startsWith(dotted + '.')) {
      const tail = change.path.slice(dotted.length);
      if (target.endsWith(tail)) targets.push(target.slice(0, target.length - tail.length));
    }
  }
  return [...new Set(targets)];
}

export function suggestKey(minor: string, path: string[]): KeySuggestion[] {
  const m = knownMinor(minor);
  const segments = cleanPath(path);
  if (segments.length === 0) return [];
  const suggestions: KeySuggestion[] = [];
  const seen = new Set<string>();
  const add = (suggestion: KeySuggestion) => {
    if (seen.has(suggestion.path) || suggestion.path === segments.join('.')) return;
    seen.add(suggestion.path);
    suggestions.push(suggestion);
  };
  const isKnown = (candidate: string) => lookupValueKey(m, candidate.split('.')).status !== 'unknown';

  for (const target of renameTargets(segments.join('.'))) if (isKnown(target)) add({ path: target, reason: 'renamed' });

  // Edit distance at the first segment that is not known, then the rest of the path kept.
  let firstUnknown = segments.findIndex((_, i) => lookupValueKey(m, segments.slice(0, i + 1)).status === 'unknown');
  if (firstUnknown < 0) firstUnknown = segments.length - 1;
  const parentPath = segments.slice(0, firstUnknown);
  const rest = segments.slice(firstUnknown + 1);
  const siblings = childKeys(m, parentPath).map((info) => info.path.slice(parentPath.length ? parentPath.join('.').length + 1 : 0));
  for (const name of closestMatches(segments[firstUnknown], siblings, 5)) {
    const full = [...parentPath, name, ...rest];
    // Prefer corrections whose whole path exists; fall back to the corrected segment alone.
    const candidate = rest.length && lookupValueKey(m, full).status === 'unknown' ? [...parentPath, name] : full;
    add({ path: candidate.join('.'), reason: 'similar' });
  }
  return suggestions;
}

// ---------------------------------------------------------------- changes

function valueMatches(when: ChangeFact['when'], value: unknown): boolean {
  if (!when) return true;
  if (when.type && jsonTypeOf(value) !== when.type) return false;
  if (when.in) {
    if (value === null || value === undefined || typeof value === 'object') return false;
    if (!when.in.includes(String(value))) return false;
  }
  return true;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function editsFor(change: ChangeFact, path: string[], value: unknown): ValueEdit[] | undefined {
  const replacement = change.replacement;
  if (!replacement) return undefined;
  switch (replacement.kind) {
    case 'delete':
      return [{ op: 'unset', path }];
    case 'move':
      return [{ op: 'unset', path }, { op: 'set', path: replacement.to.split('.'), value }];
    case 'wrapInList':
      return [{ op: 'unset', path }, { op: 'set', path: replacement.to.split('.'), value: Array.isArray(value) ? value : [value] }];
    case 'anchoredRegex':
      if (typeof value !== 'string') return undefined;
      return [{ op: 'unset', path }, { op: 'set', path: replacement.to.split('.'), value: `^${escapeRegex(value)}$` }];
    case 'toBoolean':
      if (value === 'true' || value === 'false') return [{ op: 'set', path, value: value === 'true' }];
      return undefined;
    case 'setValue': {
      const key = value === null || value === undefined || typeof value === 'object' ? undefined : String(value);
      if (key === undefined || !Object.prototype.hasOwnProperty.call(replacement.values, key)) return undefined;
      return [{ op: 'set', path, value: replacement.values[key] }];
    }
    case 'byValue': {
      const key = value === null || value === undefined || typeof value === 'object' ? undefined : String(value);
      if (key === undefined || !Object.prototype.hasOwnProperty.call(replacement.values, key)) return undefined;
      return [{ op: 'unset', path }, ...replacement.values[key].map((set) => ({ op: 'set' as const, path: set.path.split('.'), value: set.value }))];
    }
    default:
      return undefined;
  }
}

/**
 * Renames, removals and value changes that apply to a key in a chart version. With `values` (the
 * composed user values) and an exact chart patch covered by the chart facts, "the chart fails on
 * it" also comes from that patch's own `fail` conditions.
 */
export function changesFor(minor: string, path: string[], value: unknown, values?: unknown): ValueChange[] {
  const m = knownMinor(minor);
  const patch = patchVersion(minor, m);
  const segments = cleanPath(path);
  const dotted = segments.join('.');
  const found: ValueChange[] = [];
  for (const change of CILIUM_VALUE_CHANGES) {
    if (change.path !== dotted || !valueMatches(change.when, value)) continue;
    const since = change.deprecatedIn ?? change.removedIn;
    if (!since || compareMinors(m, since) < 0) continue;
    const removed = change.removedIn !== undefined && compareMinors(m, change.removedIn) >= 0;
    const chartFails =
      removed &&
      ((change.chartFailsFrom !== undefined && compareMinors(m, change.chartFailsFrom) >= 0) ||
        (change.chartFailsInPatches ?? []).includes(patch) ||
        (values !== undefined && chartFailures(patch, values).some((failure) => failure.rule.keys.includes(dotted))));
    let edits = editsFor(change, segments, value);
    // Only offer a fix whose target keys exist in this chart version.
    if (edits?.some((edit) => edit.op === 'set' && edit.path.join('.') !== dotted && lookupValueKey(m, edit.path).status === 'unknown')) edits = undefined;
    const result: ValueChange = {
      id: change.id,
      kind: change.kind,
      path: segments,
      state: removed ? 'removed' : 'deprecated',
      chartFails,
      severity: chartFails ? 'error' : 'warning',
      message: change.message,
    };
    if (change.deprecatedIn) result.deprecatedIn = change.deprecatedIn;
    if (change.removedIn) result.removedIn = change.removedIn;
    if (edits) result.edits = edits;
    if (change.manual && !edits) result.manual = change.manual;
    else if (change.manual && change.replacement?.kind === 'byValue') result.manual = change.manual;
    found.push(result);
  }
  return found;
}

// ---------------------------------------------------------------- combinations

function hasSubstitution(value: unknown): boolean {
  return valueUnknownUntilRender(value, false);
}

function defaultLookup(minor: string): (path: string[]) => unknown {
  const keys = entries(minor);
  return (path) => {
    const entry = keys[path.join('.')];
    // A commented-out key has no effect until the user writes it.
    return entry && !entry.commented ? entry.default : undefined;
  };
}

export function evaluateCombinations(minor: string, values: unknown): CombinationFinding[] {
  const m = knownMinor(minor);
  const lookup: ValuesLookup = { user: values, defaultFor: defaultLookup(m) };
  const findings: CombinationFinding[] = [];
  for (const rule of CILIUM_VALUE_COMBINATIONS) {
    if (compareMinors(m, rule.from) < 0) continue;
    if (rule.to && compareMinors(m, rule.to) > 0) continue;
    // Values still holding Flux substitution variables (${NAME}) are unknown until
    // reconciliation; a rule that reads one cannot be decided, so it stays silent.
    if (conditionPaths(rule.when).some((p) => hasSubstitution(effectiveValue(lookup, p)))) continue;
    if (!evaluateCondition(rule.when, lookup)) continue;
    const severity = rule.errorFrom && compareMinors(m, rule.errorFrom) >= 0 ? 'error' : rule.severity;
    const candidates = rule.reportAt.map((p) => conditionPath(p));
    const reportAt = candidates.find((p) => userHasPath(values, p)) ?? candidates[0];
    findings.push({ id: rule.id, severity, message: rule.message, reportAt, source: rule.source, keys: conditionPaths(rule.when).map((p) => p.join('.')) });
  }
  return findings;
}
