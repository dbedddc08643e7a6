/**
 * What one cluster's Flux really applies: the build of a Flux Kustomization
 * (or a root folder) by the kustomize engine, with Flux's overlay fields and
 * its post-build substitution, and the way back from a built field to the
 * line that wrote it.
 *
 * - `clusterBuild(model, key)` builds one entry of `GitopsModel.builds`:
 *   `buildFluxDirectory` with the Flux Kustomization's overlay (patches,
 *   components, targetNamespace, name prefix/suffix, images, commonMetadata),
 *   then `postBuild` substitution on every string of every object (unless
 *   the object opts out with `kustomize.toolkit.fluxcd.io/substitute:
 *   disabled`). A value whose variable is not known offline keeps its
 *   placeholder (it stays unknown); a plain scalar that was only a
 *   placeholder is re-read as YAML after substitution, as Flux re-parses the
 *   substituted text (`replicas: ${N}` with N=2 is the number 2).
 * - `builtInstances(model, document)` lists the built objects a resource
 *   document becomes, one per build that holds its file, with the cluster.
 * - `builtFieldAnchor(model, instance, path)` says where the built value at
 *   `path` is written: the substitution variable's definition, the patch or
 *   generator line, or the field in the document itself — as a workspace
 *   anchor (file, document, document-relative offsets).
 *
 * Invariants: memoized per build and workspace generation; never throws (a
 * build that fails internally is reported as failed, with no objects); only
 * the workspace (and files the host's confined reader allows) is read.
 */

import { fieldOrigin, fieldPathKey, buildFluxDirectory, fluxOverlayFromObject, type BuildFileSystem, type BuildResult, type BuiltObject, type Origin, type PathSegment } from '../build/index';
import { deref } from '../parse/ast';
import { resolvePlainScalar } from '../parse/resolveScalar';
import type { IndexedDocument, WorkspaceModel } from '../workspace/model';
import { gitopsModel, type BuildTask, type VariableOrigin } from './clusters';
import { substitute } from './envsubst';
import { workspaceBuildFs, type WorkspaceBuildFs } from './workspaceBuildFs';
import { replacedTargetNamespace } from './folderReplacements';
import { containedError } from '../util/containedErrors';

export interface ClusterBuild {
  task: BuildTask;
  result: BuildResult;
  /** Per object (same index as `result.objects`): field path key → the variable that wrote it, where known. */
  substitutions: Array<Map<string, { variable: string; origin?: VariableOrigin }>>;
}

export interface BuiltInstance {
  cluster: number;
  clusterName: string;
  build: ClusterBuild;
  object: BuiltObject;
  index: number;
}

/** A place in a workspace document (document-relative offsets); the same shape as a finding's anchor. */
export type Anchor = VariableOrigin;

const SUBSTITUTE_ANNOTATION = 'kustomize.toolkit.fluxcd.io/substitute';

/** The build of `GitopsModel.builds.get(key)` (memoized). */
export function clusterBuild(model: WorkspaceModel, key: string): ClusterBuild | undefined {
  return model.derive(`gitops/build:${key}`, (workspace) => {
    const task = buildTask(workspace, key);
    if (!task) return undefined;
    try {
      return computeBuild(workspace, task);
    } catch (error) {
      containedError('gitops/cluster-build', error);
      return { task, result: { root: task.directory, objects: [], notes: [], failed: true, incomplete: true, files: [] }, substitutions: [] };
    }
  });
}

function computeBuild(model: WorkspaceModel, task: BuildTask): ClusterBuild {
  const fs = workspaceBuildFs(model);
  const directory = fs.fromWorkspace(task.directory);
  if (directory === undefined) return { task, result: { root: task.directory, objects: [], notes: [], failed: true, incomplete: true, files: [] }, substitutions: [] };
  const overlay = task.kustomization ? overlayOf(model, fs, task) : undefined;
  const result = buildFluxDirectory(fs, directory, overlay);
  const substitutions = result.objects.map((object) => (task.substitutes ? substituteObject(object, task) : new Map()));
  return { task, result, substitutions };
}

/**
 * The overlay fields of the task's Flux Kustomization as Flux sees them: the
 * object after its parent's `spec.patches` and post-build substitution (what
 * the parent's build applies), else the document as written.
 */
function overlayOf(model: WorkspaceModel, fs: WorkspaceBuildFs, task: BuildTask) {
  const found = kustomizationDocument(model, task.kustomization!);
  const relative = found ? fs.fromWorkspace(found.document.file) : undefined;
  if (!found || relative === undefined) return undefined;
  const start = documentStart(model, found.document.file, found.document.index);
  const value = effectiveKustomization(model, task) ?? found.document.parsed.value().value;
  return fluxOverlayFromObject(value as never, relative, found.document.index, deref(found.document.parsed.root), start ?? 0);
}

function kustomizationDocument(model: WorkspaceModel, key: string): { document: IndexedDocument } | undefined {
  const hash = key.lastIndexOf('#');
  const document = model.fileResources(key.slice(0, hash)).find((candidate) => candidate.index === Number(key.slice(hash + 1)));
  return document ? { document } : undefined;
}

const VIRTUAL_DIRECTORY = '.meshlens-kustomization';

/**
 * A Flux Kustomization object as its parent's build makes it, computed
 * without the rest of that build (an edit elsewhere in the parent's tree
 * must not rebuild every child): the parent's `spec.patches` and its
 * post-build substitution change a child's overlay fields, and so may
 * `replacements` of the kustomization that lists the child's file (the
 * common way to fill `spec.targetNamespace`; see folderReplacements.ts). The
 * child's document alone is built with the parent's patches (in a one-file
 * view of the workspace), given the replaced target namespace, and
 * substituted with the parent's variables. The parent's own object is found
 * the same way, up the chain. Undefined when the parent changes nothing (the
 * document as written is the object).
 */
function effectiveKustomization(model: WorkspaceModel, task: BuildTask): Record<string, unknown> | undefined {
  return model.derive(`gitops/kustomization-object:${task.key}`, (workspace) => {
    const parent = task.parent && task.parent !== task.key ? buildTask(workspace, task.parent) : undefined;
    if (!parent) return undefined;
    const found = kustomizationDocument(workspace, task.kustomization!);
    if (!found) return undefined;
    const parentFound = parent.kustomization ? kustomizationDocument(workspace, parent.kustomization) : undefined;
    const parentValue = parentFound ? (effectiveKustomization(workspace, parent) ?? parentFound.document.parsed.value().value) : undefined;
    const patches = parentFound ? (fluxOverlayFromObject(parentValue as never, parentFound.document.file).patches ?? []) : [];
    const overlay = parentFound && patches.length > 0 ? { file: parentFound.document.file, patches } : undefined;
    const fs = workspaceBuildFs(workspace);
    const file = found.document.file;
    const real = fs.fromWorkspace(file);
    if (real === undefined) return undefined;
    // `replacements` of the folder that lists it may fill `spec.targetNamespace` (see folderReplacements.ts).
    const replacedTarget = replacedTargetNamespace(workspace, found.document);
    if (!overlay && !parent.substitutes && replacedTarget === undefined) return undefined;
    const name = file.slice(file.lastIndexOf('/') + 1);
    const single: BuildFileSystem = {
      readFile: (path) => (path === `${VIRTUAL_DIRECTORY}/${name}` ? fs.readFile(real) : undefined),
      readYaml: (path) => (path === `${VIRTUAL_DIRECTORY}/${name}` ? fs.readYaml?.(real) : undefined),
      listDir: (path) => (path === VIRTUAL_DIRECTORY ? { files: [name], dirs: [] } : undefined),
      isDir: (path) => path === VIRTUAL_DIRECTORY,
    };
    const built = buildFluxDirectory(single, VIRTUAL_DIRECTORY, overlay).objects.find((object) => object.source.document === found.document.index);
    // As kustomize runs it, the replacement sets the field whatever the document wrote.
    if (built && replacedTarget !== undefined) built.value.spec = { ...((built.value.spec ?? {}) as Record<string, unknown>), targetNamespace: replacedTarget };
    if (!built) return undefined;
    if (parent.substitutes) substituteObject(built, parent);
    return built.value;
  });
}

/** Applies post-build substitution to every string of the object, recording which fields a variable wrote. */
function substituteObject(object: BuiltObject, task: BuildTask): Map<string, { variable: string; origin?: VariableOrigin }> {
  const written = new Map<string, { variable: string; origin?: VariableOrigin }>();
  const metadata = object.value.metadata as Record<string, unknown> | undefined;
  const annotations = metadata && typeof metadata === 'object' ? (metadata.annotations as Record<string, unknown> | undefined) : undefined;
  if (annotations && typeof annotations === 'object' && annotations[SUBSTITUTE_ANNOTATION] === 'disabled') return written;
  const visit = (container: Record<string, unknown> | unknown[], key: string | number, path: PathSegment[], depth: number) => {
    const value = (container as Record<string | number, unknown>)[key];
    if (depth > 64) return;
    if (typeof value === 'string') {
      if (!value.includes('$')) return;
      const result = substitute(value, task.variables);
      if (!result.changed || result.unknown) return;
      const whole = /^\$\{([_a-zA-Z][_a-zA-Z0-9]*)(?:(?::?[=-])[^}]*)?\}$/.exec(value);
      const origin = fieldOrigin(object, path);
      const plain = origin.node?.type === 'scalar' && origin.node.style === 'plain';
      (container as Record<string | number, unknown>)[key] = plain ? resolvePlainScalar(result.text) : result.text;
      const variable = whole?.[1];
      written.set(fieldPathKey(path), variable ? { variable, origin: task.variableOrigins.get(variable) } : { variable: '' });
      return;
    }
    if (Array.isArray(value)) value.forEach((_, index) => visit(value, index, [...path, index], depth + 1));
    else if (value && typeof value === 'object') for (const child of Object.keys(value)) visit(value as Record<string, unknown>, child, [...path, child], depth + 1);
  };
  for (const key of Object.keys(object.value)) visit(object.value, key, [key], 0);
  return written;
}

/**
 * Small views of the GitOps model, each memoized on its own: the model is
 * rebuilt after many edits and is too big to compare, so a build that read it
 * whole would be redone after every edit; these views compare equal when the
 * part a build reads did not change.
 */
function buildTask(model: WorkspaceModel, key: string): BuildTask | undefined {
  return model.derive(`gitops/build-task:${key}`, (workspace) => gitopsModel(workspace).builds.get(key));
}

function filePlacements(model: WorkspaceModel, file: string): Array<{ cluster: number; clusterName: string; build?: string }> {
  return model.derive(`gitops/file-builds:${file}`, (workspace) => {
    const gitops = gitopsModel(workspace);
    return (gitops.placements.get(file) ?? []).map((placement) => ({
      cluster: placement.cluster,
      clusterName: gitops.clusters[placement.cluster]?.name ?? '?',
      ...(placement.build ? { build: placement.build } : {}),
    }));
  });
}

/** The built objects a resource document becomes: one per build that deploys its file. */
export function builtInstances(model: WorkspaceModel, document: Pick<IndexedDocument, 'file' | 'index'>): BuiltInstance[] {
  const placements = filePlacements(model, document.file);
  const fs = workspaceBuildFs(model);
  const relative = fs.fromWorkspace(document.file);
  if (relative === undefined) return [];
  const out: BuiltInstance[] = [];
  const seen = new Set<string>();
  for (const placement of placements) {
    if (placement.cluster < 0 || !placement.build || seen.has(placement.build)) continue;
    seen.add(placement.build);
    const build = clusterBuild(model, placement.build);
    if (!build) continue;
    build.result.objects.forEach((object, index) => {
      if (object.source.file !== relative || object.source.document !== document.index) return;
      out.push({ cluster: placement.cluster, clusterName: placement.clusterName, build, object, index });
    });
  }
  return out;
}

/** Where the built value at `path` of an instance is written, as a workspace anchor; undefined when not in a workspace document. */
export function builtFieldAnchor(model: WorkspaceModel, instance: BuiltInstance, path: readonly PathSegment[]): Anchor | undefined {
  const substitution = instance.build.substitutions[instance.index]?.get(fieldPathKey(path));
  if (substitution?.origin) return { ...substitution.origin };
  return originAnchor(model, fieldOrigin(instance.object, path));
}

/** The workspace anchor of a build origin (file offsets → document and document offsets). */
export function originAnchor(model: WorkspaceModel, origin: Origin): Anchor | undefined {
  const fs = workspaceBuildFs(model);
  const file = fs.toWorkspace(origin.file);
  const documents = fileDocumentSpans(model, file);
  if (!documents) return undefined;
  const document = documents.find((span) => origin.start >= span.start && origin.start <= span.end) ?? documents.find((span) => span.index === origin.document);
  if (!document) return undefined;
  return { file, document: document.index, start: Math.max(0, origin.start - document.start), end: Math.max(0, origin.end - document.start) };
}

interface WorkspaceWithYaml {
  getFile?(path: string): { yaml: { documents: Array<{ start: number; end: number; index: number }> } } | undefined;
}

function fileDocumentSpans(model: WorkspaceModel, file: string): Array<{ start: number; end: number; index: number }> | undefined {
  return (model as WorkspaceWithYaml).getFile?.(file)?.yaml.documents;
}

function documentStart(model: WorkspaceModel, file: string, index: number): number | undefined {
  return fileDocumentSpans(model, file)?.find((span) => span.index === index)?.start;
}
