/**
 * The read-only view of the workspace that cross-file rules, hover,
 * completion and the effective-policy model use: every resource document of
 * every file, looked up by kind and name, plus derived indexes memoized per
 * generation (the generation changes whenever any document changes).
 */

import type { ChartFetcher } from './chartHost';
import type { AnalysisOptions } from '../options';
import type { ParsedDocument } from '../parse/yamlFile';
import type { ResourceIdentity } from '../resources/identify';

export interface IndexedDocument {
  readonly file: string;
  /** Index of the document within its file. */
  readonly index: number;
  readonly parsed: ParsedDocument;
  readonly identity: ResourceIdentity;
}

/** A finding that makes the Cilium agent or the API server refuse a whole policy document (see `Workspace.policyRefusals`). */
export interface PolicyRefusal {
  rule: string;
  by: 'agent' | 'api-server';
  message: string;
  /** Document-relative range of the finding. */
  start: number;
  end: number;
}

/** Answers "does anything refuse this policy document?"; provided by the analysis layer (it runs the rules). */
export type PolicyRefusalSource = (file: string, documentIndex: number, options: AnalysisOptions) => readonly PolicyRefusal[];

export interface WorkspaceModel {
  readonly generation: number;
  /** All identified resource documents, in file order. */
  resources(): readonly IndexedDocument[];
  byKind(kind: string): readonly IndexedDocument[];
  /** A resource by kind and name; `namespace` undefined matches any namespace. */
  find(kind: string, name: string, namespace?: string): IndexedDocument | undefined;
  fileResources(file: string): readonly IndexedDocument[];
  /** Every parsed document of a file, resources or not (e.g. a `kustomization.yaml` without apiVersion). */
  fileDocuments(file: string): readonly ParsedDocument[];
  files(): readonly string[];
  /**
   * Memoizes a derived index for the current generation. By default the value
   * depends on its own reads plus the reads its caller had made (the closure
   * may hold what the caller read). With `of`, the closure holds nothing of
   * the caller's but that resource document of the workspace: the value
   * depends on its own reads and that document only, so a caller that read a
   * whole kind (every HelmRelease) does not make it stale on every edit of
   * that kind.
   */
  derive<T>(key: string, compute: (model: WorkspaceModel) => T, of?: { file: string; index: number }): T;
  /**
   * Reads a non-YAML file that a manifest refers to (a bpftool probe, a chart
   * values file), through the host. Paths outside the workspace roots are
   * refused: the result says why.
   */
  readReferencedFile(fromFile: string, relativePath: string): { text: string; path: string } | { error: string };
  /**
   * The host's chart downloader, when it has one (the language server or the
   * CLI with downloads allowed). What it answers may change between
   * generations only: the host bumps the generation when a download lands.
   */
  chartFetcher?(): ChartFetcher | undefined;
}

export function parentDirectory(file: string): string {
  const slash = file.lastIndexOf('/');
  return slash <= 0 ? (slash === 0 ? '/' : '') : file.slice(0, slash);
}

/** Joins and normalizes `/`-separated paths; `..` past the root stays at the root. */
export function joinPath(base: string, relative: string): string {
  if (relative.startsWith('/')) return normalizePath(relative);
  return normalizePath(`${base}/${relative}`);
}

/** A path with an empty, `.` or `..` segment, or a trailing slash: one `normalizePath` must rewrite. */
const NOT_NORMAL = /\/\/|(^|\/)\.\.?(\/|$)|.\/$/;

export function normalizePath(path: string): string {
  // Most paths (workspace keys) are already normal: return them as they are.
  if (path !== '' && !NOT_NORMAL.test(path)) return path;
  const absolute = path.startsWith('/');
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
      else if (!absolute) parts.push('..');
      continue;
    }
    parts.push(part);
  }
  const joined = parts.join('/');
  return absolute ? `/${joined}` : joined || '.';
}

export function isInside(path: string, root: string): boolean {
  const normalizedRoot = normalizePath(root);
  const normalized = normalizePath(path);
  return normalized === normalizedRoot || normalized.startsWith(normalizedRoot.endsWith('/') ? normalizedRoot : `${normalizedRoot}/`);
}
