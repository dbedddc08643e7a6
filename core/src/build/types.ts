/**
 * Public types of the kustomize build engine: the read-only file view it
 * builds from, the built objects with provenance, and the notes a build
 * reports.
 *
 * Invariants: every path is repository-relative POSIX without a leading `./`
 * (the root is `''`); offsets are UTF-16 offsets into the file's text; every
 * value is plain JSON (no Maps, no class instances), so results can be cached,
 * compared and sent over the wire.
 */

import type { YamlNode } from '../parse/ast';
import type { YamlFile } from '../parse/yamlFile';

/** What the engine may read. Paths are repository-relative POSIX paths; `''` is the root. */
export interface BuildFileSystem {
  /** The file's text, or undefined when it is missing, unreadable or not a file. */
  readFile(path: string): string | undefined;
  /** Names (not paths) of the entries of a directory, or undefined when it is not one. */
  listDir(path: string): { files: string[]; dirs: string[] } | undefined;
  isDir(path: string): boolean;
  /**
   * The file already parsed, when the caller holds it (the workspace does):
   * saves parsing it again. Must be the parse of `readFile(path)`.
   */
  readYaml?(path: string): YamlFile | undefined;
}

/** What wrote a value. */
export type OriginKind =
  /** A resource document listed in `resources` (or found by a Flux directory scan). */
  | 'resource'
  /** A strategic merge or JSON 6902 patch (file or inline). */
  | 'patch'
  /** configMapGenerator / secretGenerator: the literal, env line or file that gave a data key. */
  | 'generator'
  /** A field transformer: namespace, namePrefix/nameSuffix, labels, annotations, images, replicas, hash suffix, name reference. */
  | 'transformer'
  /** A `replacements` entry: points at the source field the value was copied from. */
  | 'replacement'
  /** A field set by the Flux Kustomization overlay (targetNamespace, commonMetadata, …). */
  | 'flux';

/** A place in a file that wrote a value. */
export interface Origin {
  kind: OriginKind;
  /** Repository-relative path of the file holding the text. */
  file: string;
  /** Index of the YAML document in that file (0 for non-YAML files such as env files). */
  document: number;
  /** File offsets of the text that wrote the value (the whole document for a resource). */
  start: number;
  end: number;
  /** The kustomization file (or Flux Kustomization) whose directive applied this write. */
  kustomization?: string;
  /** Short human description: `patches[0]`, `namePrefix`, `configMapGenerator[1] literal`, … */
  detail?: string;
  /**
   * Syntax node of the written value in `file` (offsets relative to `nodeBase`); lets
   * `fieldOrigin` narrow the range to a nested field. Not serialised.
   */
  node?: YamlNode;
  nodeBase?: number;
}

/** One object of a build. */
export interface BuiltObject {
  /** The object as kustomize prints it, as plain JSON. */
  value: Record<string, unknown>;
  /** The resource document (or generator entry) the object comes from. */
  source: Origin;
  /**
   * Origins of fields written after the source document, keyed by field path
   * (see `fieldPathKey`). A field without an entry inherits from its nearest
   * ancestor with one, and finally from `source`.
   */
  fieldOrigins: Map<string, Origin>;
  /** Kustomization files the object came through, innermost first (the root last). */
  via: string[];
}

export type BuildNoteKind =
  /** A build error: kustomize would fail here (the result is partial). */
  | 'error'
  /** Something the engine cannot know offline (remote base, path outside the repository). */
  | 'unknown'
  /** A directive the engine does not model (helmCharts, plugins, …): never guessed. */
  | 'unsupported';

export interface BuildNote {
  kind: BuildNoteKind;
  message: string;
  /** The kustomization file (or directory) the note is about. */
  file: string;
  /** Offsets in `file` of the offending entry, when known. */
  start?: number;
  end?: number;
}

export interface BuildResult {
  /** The directory that was built. */
  root: string;
  /** Objects in kustomize's output order. */
  objects: BuiltObject[];
  notes: BuildNote[];
  /** True when kustomize would fail (an `error` note exists). */
  failed: boolean;
  /** True when some input could not be known (`unknown` or `unsupported` notes): the objects may be incomplete. */
  incomplete: boolean;
  /** Every file the build read (for incremental rebuilds). */
  files: string[];
}

export type LoadRestrictions = 'rootOnly' | 'none';

export interface BuildOptions {
  /**
   * kustomize's default `rootOnly` refuses files (not directories) outside the
   * kustomization's directory; Flux's kustomize-controller builds with `none`.
   */
  loadRestrictions?: LoadRestrictions;
}
