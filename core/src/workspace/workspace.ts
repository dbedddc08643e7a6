/**
 * The workspace: every YAML file the editor or the CLI gave us, parsed per
 * document, indexed for cross-file rules, and analysed on demand.
 *
 * Caches, from cheapest to invalidate to dearest:
 * - parsed documents, keyed by document text (shared across files/versions);
 * - per-document findings of document-local rules, keyed by document text and
 *   options (so an edit re-checks only the document it touched);
 * - per-file diagnostics, keyed by the file's text, the workspace generation
 *   and the options.
 * The generation increases whenever any file changes; derived indexes and
 * cross-file findings follow it.
 */

import type { AnalysisOptions } from '../options';
import { defaultAnalysisOptions } from '../options';
import { DocumentParseCache, parseYamlFile, type ParsedDocument, type YamlFile } from '../parse/yamlFile';
import { identifyResource, type ResourceIdentity } from '../resources/identify';
import { isInside, joinPath, parentDirectory, type IndexedDocument, type WorkspaceModel } from './model';

export interface WorkspaceHost {
  /** Reads a file referenced by a manifest; undefined when it does not exist. */
  readFile?(path: string): string | undefined;
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

export class Workspace implements WorkspaceModel {
  private readonly fileMap = new Map<string, WorkspaceFile>();
  private readonly parseCache = new DocumentParseCache();
  private generationCounter = 0;
  private derivedGeneration = -1;
  private derivedValues = new Map<string, unknown>();
  private resourceList: IndexedDocument[] | undefined;
  private kindIndex: Map<string, IndexedDocument[]> | undefined;
  private versionCounter = 0;

  constructor(
    private readonly host: WorkspaceHost = {},
    /** Folders the workspace may read from; referenced files outside them are refused. */
    public roots: string[] = [],
    private readonly parseOptionsSource: () => Pick<AnalysisOptions, 'maxFileBytes'> = () => defaultAnalysisOptions(),
  ) {}

  get generation(): number {
    return this.generationCounter;
  }

  /** Adds or replaces a file. Returns false when the text did not change. */
  setFile(path: string, text: string): boolean {
    const existing = this.fileMap.get(path);
    if (existing && existing.text === text) return false;
    const yaml = parseYamlFile(text, this.parseCache, { maxFileBytes: this.parseOptionsSource().maxFileBytes });
    const identities = yaml.documents.map((document) => identifyResource(document.parsed.root));
    const resources: IndexedDocument[] = [];
    yaml.documents.forEach((document, index) => {
      const identity = identities[index];
      if (identity) resources.push({ file: path, index, parsed: document.parsed, identity });
    });
    this.fileMap.set(path, { path, text, version: ++this.versionCounter, yaml, resources, identities });
    this.invalidate();
    return true;
  }

  removeFile(path: string): boolean {
    const removed = this.fileMap.delete(path);
    if (removed) this.invalidate();
    return removed;
  }

  getFile(path: string): WorkspaceFile | undefined {
    return this.fileMap.get(path);
  }

  files(): readonly string[] {
    return [...this.fileMap.keys()];
  }

  resources(): readonly IndexedDocument[] {
    this.resourceList ??= [...this.fileMap.values()].flatMap((file) => file.resources);
    return this.resourceList;
  }

  byKind(kind: string): readonly IndexedDocument[] {
    if (!this.kindIndex) {
      const index = new Map<string, IndexedDocument[]>();
      for (const resource of this.resources()) {
        const list = index.get(resource.identity.kind) ?? [];
        list.push(resource);
        index.set(resource.identity.kind, list);
      }
      this.kindIndex = index;
    }
    return this.kindIndex.get(kind) ?? [];
  }

  find(kind: string, name: string, namespace?: string): IndexedDocument | undefined {
    return this.byKind(kind).find(
      (resource) => resource.identity.name === name && (namespace === undefined || resource.identity.namespace === namespace),
    );
  }

  fileResources(file: string): readonly IndexedDocument[] {
    return this.fileMap.get(file)?.resources ?? [];
  }

  fileDocuments(file: string): readonly ParsedDocument[] {
    return this.fileMap.get(file)?.yaml.documents.map((document) => document.parsed) ?? [];
  }

  derive<T>(key: string, compute: (model: WorkspaceModel) => T): T {
    if (this.derivedGeneration !== this.generationCounter) {
      this.derivedValues = new Map();
      this.derivedGeneration = this.generationCounter;
    }
    if (!this.derivedValues.has(key)) this.derivedValues.set(key, compute(this));
    return this.derivedValues.get(key) as T;
  }

  readReferencedFile(fromFile: string, relativePath: string): { text: string; path: string } | { error: string } {
    const path = joinPath(parentDirectory(fromFile), relativePath);
    const roots = this.roots.length > 0 ? this.roots : [parentDirectory(fromFile)];
    if (!roots.some((root) => isInside(path, root))) {
      return { error: `"${relativePath}" points outside the workspace; meshlens does not read it` };
    }
    const text = this.host.readFile?.(path);
    if (text === undefined) return { error: `"${relativePath}" does not exist or cannot be read` };
    return { text, path };
  }

  private invalidate(): void {
    this.generationCounter++;
    this.resourceList = undefined;
    this.kindIndex = undefined;
  }
}
