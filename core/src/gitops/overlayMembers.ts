/**
 * Which files a kustomize build of one folder reads, and in which namespace
 * the objects of each land: the membership half of the build (the object
 * half, patches and generators applied field by field, is `core/src/build`).
 *
 * A folder with a kustomization file builds its `resources:` (files, folders,
 * legacy `bases:`), `components:` and `crds:`; its `namespace:` overrides the
 * namespace of everything below it (outer kustomizations win). Patch files,
 * generator inputs and `helmCharts` are recorded as inputs of the build, not
 * members. A folder without a kustomization file builds the way Flux's
 * generator does: every manifest (a document with apiVersion and kind) below
 * it, sub-folders with their own kustomization file built as such.
 *
 * Cost: each folder is built once per `overlayBuilder` (the GitOps model
 * makes one per computation, itself memoized by the workspace), so a model is
 * linear in folders and files. (One derived value per folder was tried: the
 * workspace copies the caller's reads into every nested derived value, which
 * made hundreds of folders quadratic.) Remote resources are unknown (listed,
 * never guessed); a cycle is cut where it closes.
 */

import { deref, mapGet, scalarString, type YamlNode } from '../parse/ast';
import { joinPath, normalizePath, type WorkspaceModel } from '../workspace/model';
import { workspaceTree, type WorkspaceTree } from './tree';

export type InputRole = 'patch' | 'generator' | 'kustomization';

export interface OverlayMember {
  readonly file: string;
  /** Namespace set by the kustomizations of the chain (outermost wins); undefined = the object's own. */
  readonly namespace?: string;
  /** Kustomization files from the build's folder down to the one that listed the file. */
  readonly via: readonly string[];
}

export interface OverlayBuild {
  readonly directory: string;
  readonly members: readonly OverlayMember[];
  /** Files read to build it other than members: kustomization files, patches, generator inputs. */
  readonly inputs: ReadonlyMap<string, InputRole>;
  /** Entries that cannot be resolved offline (remote bases, `helmCharts`, missing paths). */
  readonly unknown: readonly string[];
}

const REMOTE = /^(https?:\/\/|git@|ssh:\/\/|github\.com\/|gitlab\.com\/|bitbucket\.org\/)|\?ref=|\/\/.*\?/;
export type OverlayBuilder = (directory: string) => OverlayBuild;

/** A builder of folder builds that memoizes each folder (see the module comment). */
export function overlayBuilder(model: WorkspaceModel): OverlayBuilder {
  const tree = workspaceTree(model);
  const built = new Map<string, OverlayBuild>();
  const visiting = new Set<string>();
  const build: OverlayBuilder = (directory) => {
    const normalized = normalizePath(directory);
    let result = built.get(normalized);
    if (!result) {
      result = computeBuild(model, tree, normalized, build, visiting);
      built.set(normalized, result);
    }
    return result;
  };
  return build;
}

function computeBuild(model: WorkspaceModel, tree: WorkspaceTree, directory: string, overlayBuild: OverlayBuilder, visiting: Set<string>): OverlayBuild {
  const members: OverlayMember[] = [];
  const inputs = new Map<string, InputRole>();
  const unknown: string[] = [];
  const entry = tree.directories.get(directory);
  if (!entry) return { directory, members, inputs, unknown: [`${directory} (no manifests there)`] };
  // A cycle: the folder being built is included again below itself (kustomize refuses it).
  if (visiting.has(directory)) return { directory, members, inputs, unknown: [`${directory} (includes itself)`] };
  visiting.add(directory);
  try {
    if (!entry.kustomization) {
      generatedBuild(model, tree, directory, members, inputs, unknown, overlayBuild);
      return { directory, members, inputs, unknown };
    }
    const file = entry.kustomization;
    inputs.set(file, 'kustomization');
    const root = deref(model.fileDocuments(file)[0]?.root);
    const namespace = nonEmpty(scalarString(mapGet(root, 'namespace')));
    const seen = new Set<string>();
    const include = (entryText: string) => {
      if (REMOTE.test(entryText)) {
        unknown.push(entryText);
        return;
      }
      const target = joinPath(directory, entryText);
      if (tree.directories.has(target)) {
        const sub = overlayBuild(target);
        for (const member of sub.members) {
          if (seen.has(member.file)) continue;
          seen.add(member.file);
          members.push({ file: member.file, namespace: namespace ?? member.namespace, via: [file, ...member.via] });
        }
        for (const [input, role] of sub.inputs) inputs.set(input, role);
        unknown.push(...sub.unknown);
      } else if (/\.(ya?ml|json)$/.test(target)) {
        if (seen.has(target)) return;
        seen.add(target);
        members.push({ file: target, ...(namespace ? { namespace } : {}), via: [file] });
      } else unknown.push(entryText);
    };
    for (const key of ['resources', 'bases', 'components', 'crds']) for (const text of stringList(mapGet(root, key))) include(text);
    for (const path of patchPaths(root)) inputs.set(joinPath(directory, path), 'patch');
    for (const path of generatorPaths(root)) inputs.set(joinPath(directory, path), 'generator');
    if (mapGet(root, 'helmCharts')) unknown.push(`${file}: helmCharts`);
    return { directory, members, inputs, unknown };
  } finally {
    visiting.delete(directory);
  }
}

/** Flux's generated kustomization: manifests below, sub-folders with a kustomization built as such. */
function generatedBuild(
  model: WorkspaceModel,
  tree: WorkspaceTree,
  directory: string,
  members: OverlayMember[],
  inputs: Map<string, InputRole>,
  unknown: string[],
  overlayBuild: OverlayBuilder,
): void {
  const pending = [directory];
  while (pending.length > 0) {
    const current = pending.pop()!;
    const entry = tree.directories.get(current);
    if (!entry) continue;
    if (current !== directory && entry.kustomization) {
      const sub = overlayBuild(current);
      members.push(...sub.members);
      for (const [input, role] of sub.inputs) inputs.set(input, role);
      unknown.push(...sub.unknown);
      continue;
    }
    for (const file of entry.files) if (model.fileResources(file).length > 0) members.push({ file, via: [] });
    pending.push(...[...entry.directories].reverse());
  }
}

function nonEmpty(text: string | undefined): string | undefined {
  return text && text.trim() !== '' ? text : undefined;
}

function stringList(node: YamlNode | undefined): string[] {
  const seq = deref(node);
  if (seq?.type !== 'seq') return [];
  const out: string[] = [];
  for (const item of seq.items) {
    const text = scalarString(deref(item));
    if (text && !text.includes('\n')) out.push(text);
  }
  return out;
}

function patchPaths(root: YamlNode | undefined): string[] {
  const paths: string[] = [];
  for (const key of ['patches', 'patchesJson6902']) {
    const seq = deref(mapGet(root, key));
    if (seq?.type !== 'seq') continue;
    for (const item of seq.items) {
      const path = scalarString(mapGet(deref(item), 'path'));
      if (path) paths.push(path);
    }
  }
  for (const text of stringList(mapGet(root, 'patchesStrategicMerge'))) paths.push(text);
  return paths;
}

function generatorPaths(root: YamlNode | undefined): string[] {
  const paths: string[] = [];
  for (const key of ['configMapGenerator', 'secretGenerator']) {
    const seq = deref(mapGet(root, key));
    if (seq?.type !== 'seq') continue;
    for (const item of seq.items) {
      const generator = deref(item);
      for (const text of stringList(mapGet(generator, 'files'))) {
        // `key=path` names the key; the file is after the `=`.
        const equals = text.indexOf('=');
        paths.push(equals >= 0 ? text.slice(equals + 1) : text);
      }
      for (const text of stringList(mapGet(generator, 'envs'))) paths.push(text);
      const env = scalarString(mapGet(generator, 'env'));
      if (env) paths.push(env);
    }
  }
  return paths;
}
