/**
 * The workspace: every YAML file the editor or the CLI gave us, parsed per
 * document, indexed for cross-file rules, and analysed on demand.
 *
 * Caches, from cheapest to invalidate to dearest:
 * - parsed documents, keyed by document text (shared across files/versions);
 * - per-document findings of document-local rules, keyed by document text and
 *   options (so an edit re-checks only the document it touched);
 * - per-file diagnostics, keyed by the file's text, the workspace generation
 *   and the options;
 * - derived values (`derive`), bounded by estimated bytes (`estimateBytes`:
 *   what the files and the parse cache hold is not counted again) and by
 *   count; the least recently used are dropped first and recomputed when
 *   asked again (an index every computation reads stays while thousands of
 *   per-workload values come and go: dropping the oldest first dropped it
 *   every few thousand values, and rebuilding it made big workspaces
 *   quadratic).
 * The generation increases whenever any file changes.
 *
 * Dependency tracking (for incremental cross-file analysis): every read of
 * the model made while a tracker is open (`track`) is recorded as a
 * dependency with a stamp: per kind (`byKind`, `find`), per file
 * (`fileResources`; `fileDocuments` and `getFile` by the file's text), the file list
 * (`files`), the host's chart fetcher (`chartFetcher`, stamped anew by
 * `chartsChanged`), a derived index (`derive`, by its version) or everything
 * (`resources`, `generation`, `readReferencedFile`). A stamp changes only
 * when what that read returns may have changed, so `isCurrent(deps)` tells
 * whether a result computed from those reads is still valid.
 *
 * A derived index is reused, across generations, while what it was computed
 * from is current: its own reads plus the reads its caller had made before
 * asking (and the caller's own document), since the compute closure may hold
 * objects obtained from them — or, for a value derived `of` one resource
 * document, its own reads plus that document. A recomputed value structurally equal to the
 * old one keeps its version (early cutoff), so its dependents stay valid;
 * values holding functions never compare equal. Reads are attributed to the
 * innermost open tracker, so lazy reads made later through a derived value's
 * closures count for whoever triggers them.
 */

import type { AnalysisOptions } from '../options';
import { defaultAnalysisOptions } from '../options';
import { DocumentParseCache, parseYamlFile, type ParsedDocument, type YamlFile } from '../parse/yamlFile';
import { identifyResource, type ResourceIdentity } from '../resources/identify';
import type { ChartFetcher } from './chartHost';
import { isInside, joinPath, parentDirectory, type IndexedDocument, type PolicyRefusal, type PolicyRefusalSource, type WorkspaceModel } from './model';
import { estimateBytes } from './estimateBytes';

/** Why a referenced file was not read, for every reason alike. */
export const REFERENCED_FILE_REFUSED = 'was not read (missing, outside the workspace, not a regular file, or over the size limit)';

export interface WorkspaceHost {
  /**
   * Reads a file referenced by a manifest; undefined when it does not exist or is refused. Hosts must resolve the
   * real path (symlinks) and refuse files outside the workspace roots, non-regular files and oversized files.
   */
  readFile?(path: string): string | undefined;
  /** Chart files from a HelmRepository, when the host may download them (see `helm/chartFiles`). */
  chartFetcher?: ChartFetcher;
}

export interface WorkspaceFile {
  readonly path: string;
  readonly text: string;
  readonly version: number;
  readonly yaml: YamlFile;
  readonly resources: readonly IndexedDocument[];
  /** Identity per document index (undefined for non-resources). */
  readonly identities: readonly (ResourceIdentity | undefined)[];
}

/** Reads recorded by `Workspace.track`: dependency key → stamp seen. */
export type Dependencies = ReadonlyMap<string, number>;

interface DerivedEntry {
  value: unknown;
  version: number;
  /** What the value was computed from (see `derive`). */
  dependencies: Dependencies;
  /** The generation in which `dependencies` were last found current. */
  checkedGeneration: number;
  /** The dependency key a read of this value records (`DERIVED` + its key), made once. */
  readKey: string;
  /** Estimated bytes the value holds beyond what the workspace's files and the parse cache hold. */
  bytes: number;
  /** When it was last asked for (`Workspace.useCounter`): pruning drops the least recently used. */
  lastUse: number;
}

/** Bounds of the workspace's caches (defaults suit an editor session; tests use small ones). */
export interface WorkspaceCacheLimits {
  /** Most estimated bytes of derived values kept. */
  derivedBytes?: number;
  /** Most derived values kept (default `MAX_DERIVED_ENTRIES`). */
  derivedEntries?: number;
}

interface Tracker {
  reads: Map<string, number>;
  /** Reads the tracked task stands on without making them (its own document); inherited by derived values it computes. */
  context: Dependencies;
}

const ALL = 'a';
const KIND = 'k:';
const FILE = 'f:';
const FILE_TEXT = 't:';
const DOCUMENT = 'r:';
const FILE_LIST = 'l';
const CHARTS = 'c';
const DERIVED = 'd:';
/** Derived values kept across generations (for early cutoff); beyond this the oldest half is dropped. */
const MAX_DERIVED_ENTRIES = 4096;
/**
 * Estimated bytes of derived values kept (see `estimateBytes`); beyond this the oldest entries are dropped
 * until half is left, so a long session over big builds plateaus however many entries there are.
 */
const MAX_DERIVED_BYTES = 256 * 1024 * 1024;
/** Structural comparison gives up (values count as different) beyond this many visited nodes. */
const MAX_COMPARED_NODES = 500_000;

/**
 * The workspace as everything above this layer reads it: the model, each
 * file's text and parse, and which policies the rules say are refused.
 * Only the service changes a workspace (files, roots, charts).
 */
export interface WorkspaceView extends WorkspaceModel {
  /** The workspace folders; reads are confined to them. */
  readonly roots: readonly string[];
  getFile(path: string): WorkspaceFile | undefined;
  policyRefusals(file: string, documentIndex: number, options: AnalysisOptions): readonly PolicyRefusal[];
}

export class Workspace implements WorkspaceView {
  private readonly fileMap = new Map<string, WorkspaceFile>();
  private readonly parseCache = new DocumentParseCache();
  private generationCounter = 0;
  private derivedEntries = new Map<string, DerivedEntry>();
  private derivedBytes = 0;
  /** Counts `derive` calls: an entry's `lastUse`. */
  private useCounter = 0;
  /** Objects of the files themselves (files, parsed documents, index entries): a derived value only refers to them. */
  private readonly fileObjects = new WeakSet<object>();
  private readonly isFileObject = (candidate: object) => this.fileObjects.has(candidate);
  private resourceList: IndexedDocument[] | undefined;
  private kindIndex: Map<string, IndexedDocument[]> | undefined;
  private versionCounter = 0;
  /** Source of stamps for kinds, files, the file list and derived versions. */
  private stampCounter = 0;
  /**
   * Stamps of kinds, files, file texts and documents, keyed by their full
   * dependency key (`KIND + kind`, …), so checking a recorded read is one
   * lookup, with no substring made.
   */
  private readonly stamps = new Map<string, number>();
  private fileListStamp = 0;
  private chartsStamp = 0;
  /** `derivedEntries` by their dependency key (`DERIVED + key`). */
  private readonly derivedByReadKey = new Map<string, DerivedEntry>();
  private readonly trackers: Tracker[] = [];

  constructor(
    private readonly host: WorkspaceHost = {},
    /** Folders the workspace may read from; referenced files outside them are refused. */
    public roots: string[] = [],
    private readonly parseOptionsSource: () => Pick<AnalysisOptions, 'maxFileBytes'> = () => defaultAnalysisOptions(),
    private readonly cacheLimits: WorkspaceCacheLimits = {},
  ) {}

  /** Entries and estimated bytes of the derived-value cache (for tests and diagnostics). */
  derivedCacheSize(): { entries: number; bytes: number } {
    return { entries: this.derivedEntries.size, bytes: this.derivedBytes };
  }

  private refusalSource: PolicyRefusalSource | undefined;

  /**
   * The analysis layer tells the workspace how to find the findings that make
   * a policy refused as a whole (it runs the rules, which sit above the
   * effective-policy model); without it no policy counts as refused.
   */
  setPolicyRefusalSource(source: PolicyRefusalSource | undefined): void {
    this.refusalSource = source;
  }

  /** Findings for which the agent or the API server refuses this policy document (empty when none, or when no source is set). */
  policyRefusals(file: string, documentIndex: number, options: AnalysisOptions): readonly PolicyRefusal[] {
    return this.refusalSource?.(file, documentIndex, options) ?? [];
  }

  get generation(): number {
    this.record(ALL, this.generationCounter);
    return this.generationCounter;
  }

  /** Adds or replaces a file. Returns false when the text did not change. */
  setFile(path: string, text: string): boolean {
    const existing = this.fileMap.get(path);
    if (existing && existing.text === text) return false;
    const yaml = parseYamlFile(text, this.parseCache, { maxFileBytes: this.parseOptionsSource().maxFileBytes, path }, existing?.yaml);
    // Documents whose text and place did not change keep their identity and
    // index entry (same objects), so unchanged documents compare equal cheaply.
    // Index entries are matched by place: a file may repeat a document's text.
    const previous = new Map<ParsedDocument, ResourceIdentity | undefined>();
    const previousAt = new Map<number, IndexedDocument>();
    if (existing) {
      existing.yaml.documents.forEach((document, index) => previous.set(document.parsed, existing.identities[index]));
      for (const resource of existing.resources) previousAt.set(resource.index, resource);
    }
    const identities: (ResourceIdentity | undefined)[] = [];
    const resources: IndexedDocument[] = [];
    yaml.documents.forEach((document, index) => {
      const identity = previous.has(document.parsed) ? previous.get(document.parsed) : identifyResource(document.parsed.root);
      identities.push(identity);
      if (!identity) return;
      const kept = previousAt.get(index);
      resources.push(kept && kept.parsed === document.parsed ? kept : { file: path, index, parsed: document.parsed, identity });
    });
    const file: WorkspaceFile = { path, text, version: ++this.versionCounter, yaml, resources, identities };
    this.fileMap.set(path, file);
    // Registered once each: a parsed document or index entry the edit kept is registered already (an edit of one
    // document of a 2,000-document file registers a handful, not 6,000, objects).
    this.fileObjects.add(file);
    this.fileObjects.add(yaml);
    for (const document of yaml.documents) {
      this.fileObjects.add(document);
      if (!previous.has(document.parsed)) this.fileObjects.add(document.parsed);
    }
    for (const resource of resources) if (previousAt.get(resource.index) !== resource) this.fileObjects.add(resource);
    const kindIndex = existing ? this.patchedKindIndex(path, existing.resources, resources) : undefined;
    this.invalidate();
    this.kindIndex = kindIndex;
    this.stampChanges(path, existing?.resources ?? [], resources, !existing);
    return true;
  }

  removeFile(path: string): boolean {
    const existing = this.fileMap.get(path);
    const removed = this.fileMap.delete(path);
    if (removed) {
      this.invalidate();
      this.stampChanges(path, existing?.resources ?? [], [], true);
    }
    return removed;
  }

  /**
   * Runs `task` with a tracker open and returns its result with the reads it
   * made. Trackers nest; a read counts for the innermost one.
   */
  track<T>(task: () => T, context: Dependencies = new Map()): { value: T; dependencies: Dependencies } {
    const tracker: Tracker = { reads: new Map(), context };
    this.trackers.push(tracker);
    try {
      return { value: task(), dependencies: tracker.reads };
    } finally {
      this.trackers.pop();
    }
  }

  /** The dependency on the resource document at (file, index) itself, for `track`'s context. */
  documentDependency(file: string, index: number): Dependencies {
    const key = `${DOCUMENT}${file}#${index}`;
    return new Map([[key, this.stamps.get(key) ?? 0]]);
  }

  /**
   * Records, in the computation under way, reads a cached result was made
   * from (its `track` dependencies), so that computation is invalidated
   * with it even when the cache answered without reading again.
   */
  recordDependencies(dependencies: Dependencies): void {
    for (const [key, stamp] of dependencies) this.record(key, stamp);
  }

  /** True when every read recorded in `dependencies` would return what it returned then. */
  isCurrent(dependencies: Dependencies): boolean {
    return this.dependenciesCurrent(dependencies, new Set());
  }

  getFile(path: string): WorkspaceFile | undefined {
    // Values files and kustomizations are read this way: results built from them depend on their text.
    this.recordStamped(FILE_TEXT + path);
    return this.fileMap.get(path);
  }

  files(): readonly string[] {
    this.record(FILE_LIST, this.fileListStamp);
    return [...this.fileMap.keys()];
  }

  resources(): readonly IndexedDocument[] {
    this.record(ALL, this.generationCounter);
    return this.allResources();
  }

  byKind(kind: string): readonly IndexedDocument[] {
    this.recordStamped(KIND + kind);
    return this.resourcesOfKind(kind);
  }

  find(kind: string, name: string, namespace?: string): IndexedDocument | undefined {
    return this.byKind(kind).find(
      (resource) => resource.identity.name === name && (namespace === undefined || resource.identity.namespace === namespace),
    );
  }

  fileResources(file: string): readonly IndexedDocument[] {
    this.recordStamped(FILE + file);
    return this.fileMap.get(file)?.resources ?? [];
  }

  fileDocuments(file: string): readonly ParsedDocument[] {
    this.recordStamped(FILE_TEXT + file);
    return this.fileMap.get(file)?.yaml.documents.map((document) => document.parsed) ?? [];
  }

  /**
   * Memoizes a derived index, computed at most once per generation. Its
   * version (what dependents record) changes only when a recomputed value
   * differs structurally from the previous one.
   */
  derive<T>(key: string, compute: (model: WorkspaceModel) => T, of?: { file: string; index: number }): T {
    let entry = this.derivedEntries.get(key);
    // Hot path (rules ask for the same indexes per document): already checked in this generation.
    if (entry && entry.checkedGeneration === this.generationCounter) {
      entry.lastUse = ++this.useCounter;
      this.record(entry.readKey, entry.version);
      return entry.value as T;
    }
    if (!entry || !this.entryCurrent(entry, new Set([entry.readKey]))) {
      // `compute` may hold objects its caller read from the model (or the
      // caller's own document): the value depends on those reads as well as
      // on its own.
      // With `of`, it holds that one resource document only (see `WorkspaceModel.derive`).
      const caller = this.trackers[this.trackers.length - 1];
      const inherited = of ? new Map(this.documentDependency(of.file, of.index)) : new Map<string, number>(caller ? [...caller.context, ...caller.reads] : []);
      const { value, dependencies } = this.track(() => compute(this), inherited);
      for (const [read, stamp] of dependencies) inherited.set(read, stamp);
      if (entry && sameValue(entry.value, value)) {
        entry.dependencies = inherited;
        entry.checkedGeneration = this.generationCounter;
      } else {
        if (!entry && this.derivedEntries.size >= (this.cacheLimits.derivedEntries ?? MAX_DERIVED_ENTRIES)) this.pruneDerived();
        if (entry) this.derivedBytes -= entry.bytes;
        const bytes = estimateBytes(value, this.isFileObject);
        entry = { value, version: ++this.stampCounter, dependencies: inherited, checkedGeneration: this.generationCounter, readKey: DERIVED + key, bytes, lastUse: 0 };
        this.derivedEntries.set(key, entry);
        this.derivedByReadKey.set(entry.readKey, entry);
        this.derivedBytes += bytes;
        if (this.derivedBytes > (this.cacheLimits.derivedBytes ?? MAX_DERIVED_BYTES)) this.pruneDerivedBytes(key);
      }
    }
    entry.lastUse = ++this.useCounter;
    this.record(entry.readKey, entry.version);
    return entry.value as T;
  }

  readReferencedFile(fromFile: string, relativePath: string): { text: string; path: string } | { error: string } {
    // Files outside the model can change without a setFile: results that read
    // them are valid for this generation only.
    this.record(ALL, this.generationCounter);
    const path = joinPath(parentDirectory(fromFile), relativePath);
    const roots = this.roots.length > 0 ? this.roots : [parentDirectory(fromFile)];
    // One message for every refusal (outside, missing, special file, too large, symlink out): it must not tell
    // whether a path outside the workspace exists. The host resolves real paths and checks the file itself.
    const refused = { error: `"${relativePath}" ${REFERENCED_FILE_REFUSED}` };
    if (!roots.some((root) => isInside(path, root))) return refused;
    const text = this.host.readFile?.(path);
    if (text === undefined) return refused;
    return { text, path };
  }

  chartFetcher(): ChartFetcher | undefined {
    this.record(CHARTS, this.chartsStamp);
    return this.host.chartFetcher;
  }

  /** The host's fetcher now answers differently (a download landed, downloads were turned on or off): results that asked it are stale. */
  chartsChanged(): void {
    this.chartsStamp = ++this.stampCounter;
    this.invalidate();
  }

  /** The host's `readFile` now answers differently (a file it could not read synchronously arrived): results that read referenced files are stale. */
  hostFilesChanged(): void {
    this.invalidate();
  }

  private allResources(): IndexedDocument[] {
    this.resourceList ??= [...this.fileMap.values()].flatMap((file) => file.resources);
    return this.resourceList;
  }

  private resourcesOfKind(kind: string): readonly IndexedDocument[] {
    if (!this.kindIndex) {
      const index = new Map<string, IndexedDocument[]>();
      for (const resource of this.allResources()) {
        const list = index.get(resource.identity.kind) ?? [];
        list.push(resource);
        index.set(resource.identity.kind, list);
      }
      this.kindIndex = index;
    }
    return this.kindIndex.get(kind) ?? [];
  }

  private record(key: string, stamp: number): void {
    const tracker = this.trackers[this.trackers.length - 1];
    if (tracker) tracker.reads.set(key, stamp);
  }

  private dependenciesCurrent(dependencies: Dependencies, visiting: Set<string>): boolean {
    for (const [key, stamp] of dependencies) {
      if (this.currentStamp(key, visiting) !== stamp) return false;
    }
    return true;
  }

  private entryCurrent(entry: DerivedEntry, visiting: Set<string>): boolean {
    if (entry.checkedGeneration === this.generationCounter) return true;
    if (!this.dependenciesCurrent(entry.dependencies, visiting)) return false;
    entry.checkedGeneration = this.generationCounter;
    return true;
  }

  private recordStamped(key: string): void {
    this.record(key, this.stamps.get(key) ?? 0);
  }

  private currentStamp(key: string, visiting: Set<string>): number | undefined {
    const stamp = this.stamps.get(key);
    if (stamp !== undefined) return stamp;
    if (key === ALL) return this.generationCounter;
    if (key === FILE_LIST) return this.fileListStamp;
    if (key === CHARTS) return this.chartsStamp;
    if (key.startsWith(DERIVED)) {
      // Current when what it was computed from is; otherwise it is recomputed
      // (with the caller's fresh closure) when a dependent re-runs.
      const entry = this.derivedByReadKey.get(key);
      if (!entry || visiting.has(key)) return undefined;
      visiting.add(key);
      const current = this.entryCurrent(entry, visiting);
      visiting.delete(key);
      return current ? entry.version : undefined;
    }
    // A kind, file, file text or document never stamped: as it was at the start.
    if (key.startsWith(KIND) || key.startsWith(FILE) || key.startsWith(FILE_TEXT) || key.startsWith(DOCUMENT)) return 0;
    return undefined;
  }

  /**
   * Bumps the stamps of what changed between a file's old and new resource
   * entries: the file, the file list (when added or removed) and every kind
   * with an entry added, removed or replaced.
   */
  private stampChanges(path: string, before: readonly IndexedDocument[], after: readonly IndexedDocument[], fileListChanged: boolean): void {
    const stamp = ++this.stampCounter;
    this.stamps.set(FILE_TEXT + path, stamp);
    if (fileListChanged) this.fileListStamp = stamp;
    const kept = new Set(after);
    const changedKinds = new Set<string>();
    for (const resource of before) if (!kept.has(resource)) changedKinds.add(resource.identity.kind);
    const old = new Set(before);
    for (const resource of after) if (!old.has(resource)) changedKinds.add(resource.identity.kind);
    if (changedKinds.size > 0 || fileListChanged || before.length !== after.length) this.stamps.set(FILE + path, stamp);
    for (const kind of changedKinds) this.stamps.set(KIND + kind, stamp);
    for (const resource of before) if (!kept.has(resource)) this.stamps.set(`${DOCUMENT}${path}#${resource.index}`, stamp);
    for (const resource of after) if (!old.has(resource)) this.stamps.set(`${DOCUMENT}${path}#${resource.index}`, stamp);
  }

  /** Drops the least recently used half of the derived values. */
  private pruneDerived(): void {
    const keys = this.derivedKeysByUse();
    for (const key of keys.slice(0, keys.length >> 1)) this.dropDerived(key);
  }

  /** Drops the least recently used derived values (never `keep`, the one just computed) until half the byte budget is left. */
  private pruneDerivedBytes(keep: string): void {
    const target = (this.cacheLimits.derivedBytes ?? MAX_DERIVED_BYTES) / 2;
    for (const key of this.derivedKeysByUse()) {
      if (this.derivedBytes <= target) break;
      if (key !== keep) this.dropDerived(key);
    }
  }

  /** Keys of the derived values, least recently used first (ties: oldest first, as the map keeps them). */
  private derivedKeysByUse(): string[] {
    return [...this.derivedEntries].sort(([, a], [, b]) => a.lastUse - b.lastUse).map(([key]) => key);
  }

  private dropDerived(key: string): void {
    const entry = this.derivedEntries.get(key);
    if (!entry) return;
    this.derivedBytes -= entry.bytes;
    this.derivedEntries.delete(key);
    this.derivedByReadKey.delete(entry.readKey);
  }

  /**
   * The kind index after a file's resources changed from `before` to `after`,
   * made from the current one without walking every resource again — when the
   * file keeps the same kinds in the same order (an edit inside documents):
   * each list that holds a replaced entry is copied with the file's entries
   * swapped in place (lists already handed out are never modified). Undefined
   * (rebuilt on the next lookup) otherwise.
   */
  private patchedKindIndex(path: string, before: readonly IndexedDocument[], after: readonly IndexedDocument[]): Map<string, IndexedDocument[]> | undefined {
    if (!this.kindIndex || before.length !== after.length) return undefined;
    const changedKinds = new Set<string>();
    for (let index = 0; index < before.length; index++) {
      if (before[index].identity.kind !== after[index].identity.kind) return undefined;
      if (before[index] !== after[index]) changedKinds.add(after[index].identity.kind);
    }
    if (changedKinds.size === 0) return this.kindIndex;
    const patched = new Map(this.kindIndex);
    for (const kind of changedKinds) {
      const list = patched.get(kind);
      if (!list) return undefined;
      const replacements = after.filter((resource) => resource.identity.kind === kind);
      const copy = list.slice();
      let next = 0;
      for (let index = 0; index < copy.length && next < replacements.length; index++) {
        if (copy[index].file === path) copy[index] = replacements[next++];
      }
      if (next !== replacements.length) return undefined;
      patched.set(kind, copy);
    }
    return patched;
  }

  private invalidate(): void {
    this.generationCounter++;
    this.resourceList = undefined;
    this.kindIndex = undefined;
  }
}

/**
 * Structural equality for derived values: same reference, or plain objects,
 * arrays, Maps and Sets with equal contents; primitives by value (NaN equals
 * NaN). Functions, class instances other than those, and values too large to
 * compare count as different, which only costs a recomputation downstream.
 */
export function sameValue(a: unknown, b: unknown): boolean {
  let budget = MAX_COMPARED_NODES;
  const seen = new Map<object, object>();
  const equal = (x: unknown, y: unknown): boolean => {
    if (Object.is(x, y)) return true;
    if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null) return false;
    if (--budget < 0) return false;
    const paired = seen.get(x);
    if (paired !== undefined) return paired === y;
    seen.set(x, y);
    const prototype = Object.getPrototypeOf(x);
    if (prototype !== Object.getPrototypeOf(y)) return false;
    if (Array.isArray(x)) {
      const other = y as unknown[];
      if (x.length !== other.length) return false;
      for (let index = 0; index < x.length; index++) if (!equal(x[index], other[index])) return false;
      return true;
    }
    if (x instanceof Map) {
      const other = y as Map<unknown, unknown>;
      if (x.size !== other.size) return false;
      for (const [key, value] of x) if (!other.has(key) || !equal(value, other.get(key))) return false;
      return true;
    }
    if (x instanceof Set) {
      const other = y as Set<unknown>;
      if (x.size !== other.size) return false;
      for (const value of x) if (!other.has(value)) return false;
      return true;
    }
    if (prototype !== Object.prototype && prototype !== null) return false;
    const keys = Object.keys(x);
    if (keys.length !== Object.keys(y).length) return false;
    for (const key of keys) {
      if (!Object.prototype.hasOwnProperty.call(y, key)) return false;
      if (!equal((x as Record<string, unknown>)[key], (y as Record<string, unknown>)[key])) return false;
    }
    return true;
  };
  return equal(a, b);
}
