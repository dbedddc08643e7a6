/**
 * The repository as Flux deploys it: clusters, their roots, and where every
 * file lands (cluster, namespace, the Flux Kustomization and overlay chain
 * that deploy it).
 *
 * Roots, in order of preference:
 * - a flux-operator `FluxInstance` with `spec.sync`, or a flux-instance chart
 *   HelmRelease with `values.instance.sync` (it renders one): its sync path is
 *   the root, and the GitRepository/OCIRepository and Kustomization it creates
 *   (named `sync.name`, else after its namespace) are sources of the cluster;
 * - a `gotk-sync.yaml` Flux Kustomization (`flux bootstrap`), or a bootstrap
 *   folder (`<cluster>/flux-system/gotk-*.yaml` placeholders): the folder above;
 * - a Flux Kustomization that no other one builds;
 * - no Flux at all (e.g. Argo CD): every kustomization folder that no other
 *   one includes, together as one cluster.
 * From a root, each Flux Kustomization found in a build is followed through
 * its `spec.path` when its `sourceRef` is the cluster's own source; paths
 * resolve against the folder that holds the root's sync path. Variables of
 * `postBuild.substitute`/`substituteFrom` (ConfigMaps and Secrets placed in the
 * cluster; SOPS values unknown) and the parent's `spec.patches` that set a
 * child's `postBuild.substitute` are applied to paths and namespaces.
 *
 * Invariants: memoized as plain data (`derive`), so an edit that changes no
 * placement keeps dependents cached; linear in the number of files and
 * Kustomizations (maps, no pairwise path matching); what cannot be resolved
 * offline is listed in `unknown` and makes the cluster incomplete rather
 * than guessed.
 */

import { deref, mapGet, scalarString, type YamlMap, type YamlNode } from '../parse/ast';
import { createParsedDocument } from '../parse/yamlFile';
import { isInside, joinPath, normalizePath, parentDirectory, type IndexedDocument, type WorkspaceModel } from '../workspace/model';
import { substitute, hasPlaceholder } from './envsubst';
import { overlayBuilder, type InputRole, type OverlayBuilder } from './overlayMembers';
import { replacedTargetNamespace } from './folderReplacements';
import { isKustomizationFile, workspaceTree, type WorkspaceTree } from './tree';
import { detectFluxVersion, type FluxVersionFact } from './fluxVersion';
// Patch target names are user input: matched on RE2 (linear, cached), as the build engine matches them.
import { anchoredMatch } from '../build/resource';

export type RootKind = 'FluxInstance' | 'flux-instance HelmRelease' | 'gotk-sync' | 'bootstrap folder' | 'Kustomization' | 'kustomization folder';

export interface ClusterRoot {
  kind: RootKind;
  /** The file that declares the root (for a bootstrap folder, its gotk file). */
  file: string;
  document?: number;
  /** The folder the root builds. */
  directory: string;
}

/** A source object the root creates outside the repository's files (FluxInstance sync, bootstrap). */
export interface CreatedSource {
  kind: string;
  name: string;
  namespace: string;
  file: string;
}

export interface Cluster {
  name: string;
  roots: ClusterRoot[];
  /** The folder Flux paths of this cluster are relative to. */
  sourceRoot: string;
  sources: CreatedSource[];
  flux?: FluxVersionFact;
  /** Flux Kustomizations (`file#index`) this cluster reconciles. */
  kustomizations: string[];
  /** What could not be followed offline (templated or missing paths, remote bases). */
  unknown: string[];
}

export interface Placement {
  cluster: number;
  /** Namespace forced by the build (targetNamespace, kustomize `namespace:`); undefined = the object's own. */
  namespace?: string;
  /** True when `namespace` is the Flux Kustomization's `targetNamespace`. */
  targetNamespace?: boolean;
  /** The Flux Kustomization (`file#index`) whose build holds the file; undefined for a root folder. */
  kustomization?: string;
  /** Kustomization files from the built folder down to the file. */
  via: readonly string[];
  /** The build (key of `GitopsModel.builds`) that holds the file. */
  build?: string;
}

/** Where a post-build variable is defined: document-relative offsets of its value. */
export interface VariableOrigin {
  file: string;
  document: number;
  start: number;
  end: number;
}

/**
 * One build Flux runs for a cluster: a Flux Kustomization's `spec.path` (with
 * its overlay fields and post-build variables), or a root folder.
 */
export interface BuildTask {
  key: string;
  cluster: number;
  directory: string;
  /** The Flux Kustomization (`file#index`) whose build it is; undefined for a root folder. */
  kustomization?: string;
  /** Post-build variables (undefined value = known name, unknown value) and where each is written. */
  variables: Map<string, string | undefined>;
  variableOrigins: Map<string, VariableOrigin>;
  /** True when the Kustomization has `spec.postBuild` (Flux substitutes only then), itself or through a parent's patch. */
  substitutes: boolean;
  /** The build (key) whose output holds this Flux Kustomization object (its parent's), when it has one. */
  parent?: string;
}

export interface KustomizationNode {
  cluster: number;
  name: string;
  /** Variables of its post-build substitution (undefined value = known name, unknown value). */
  variables: Map<string, string | undefined>;
  /** Fields of `spec` that a parent's `spec.patches` supplies. */
  patchedFields: string[];
  directory?: string;
}

export interface GitopsModel {
  clusters: Cluster[];
  /** file → where it is deployed (cluster -1: in a kustomize build no cluster reaches). */
  placements: Map<string, Placement[]>;
  /** Files read by builds other than as members (patches, generator inputs, kustomization files). */
  inputs: Map<string, InputRole>;
  kustomizations: Map<string, KustomizationNode>;
  /** The builds of every cluster, by key (a Flux Kustomization's `file#index`, or `dir:<cluster>:<folder>`). */
  builds: Map<string, BuildTask>;
  /** True when the repository has Flux roots (FluxInstance, bootstrap, Flux Kustomizations). */
  flux: boolean;
}

const KUSTOMIZE_GROUP = 'kustomize.toolkit.fluxcd.io';
const SOURCE_KINDS = new Set(['GitRepository', 'OCIRepository', 'Bucket']);

/** The model last computed per workspace, with its fingerprint (see `gitopsModel`). */
const lastModels = new WeakMap<WorkspaceModel, { fingerprint: string; value: GitopsModel }>();

/**
 * The model of the current workspace (memoized). Most edits change no
 * placement: when a recomputed model has the same content (its JSON
 * fingerprint), the previous object is returned, so everything derived from
 * the model stays valid (the workspace compares derived values structurally,
 * but within a budget this model exceeds on real repositories).
 */
export function gitopsModel(model: WorkspaceModel): GitopsModel {
  return model.derive('gitops/model', (workspace) => {
    const value = buildModel(workspace);
    const fingerprint = JSON.stringify(value, (_key, entry: unknown) => (entry instanceof Map ? [...entry] : entry instanceof Set ? [...entry] : entry));
    const last = lastModels.get(workspace);
    if (last && last.fingerprint === fingerprint) return last.value;
    lastModels.set(workspace, { fingerprint, value });
    return value;
  });
}

interface Entry {
  kind: RootKind;
  file: string;
  document?: number;
  /** The sync path as written (relative to the source root). */
  path: string;
  source?: { kind: string; name: string; namespace: string };
  /** The Flux Kustomization document of the root, when it is one. */
  kustomization?: IndexedDocument;
  /** A folder already resolved (bootstrap layout); the repository root is then found from the children. */
  directory?: string;
}

interface NodeTask {
  document?: IndexedDocument;
  directory: string;
  targetNamespace?: string;
  variables: Map<string, string | undefined>;
  variableOrigins?: Map<string, VariableOrigin>;
  childPatches: ChildPatch[];
  parentBuild?: string;
}

interface ChildPatch {
  target: PatchTarget;
  fields: string[];
  substitute: Record<string, string>;
}

interface PatchTarget {
  group?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  labelSelector?: string;
}

export function buildModel(model: WorkspaceModel): GitopsModel {
  const tree = workspaceTree(model);
  const overlayBuild = overlayBuilder(model);
  const fluxKustomizations = model.byKind('Kustomization').filter((document) => document.identity.group === KUSTOMIZE_GROUP);
  const byFile = groupByFile([...fluxKustomizations, ...model.byKind('ConfigMap'), ...model.byKind('Secret')]);
  const entries = findEntries(model, tree, fluxKustomizations);
  const artifactGenerators = model.byKind('ArtifactGenerator');
  const result: GitopsModel = { clusters: [], placements: new Map(), inputs: new Map(), kustomizations: new Map(), builds: new Map(), flux: entries.length > 0 || fluxKustomizations.length > 0 };
  const claimed = new Set<string>();

  const runCluster = (name: string, rootEntries: Entry[]) => {
    const index = result.clusters.length;
    const cluster: Cluster = { name, roots: [], sourceRoot: '', sources: [], kustomizations: [], unknown: [] };
    result.clusters.push(cluster);
    const tasks: NodeTask[] = [];
    let sourceName: string | undefined;
    for (const entry of rootEntries) {
      const resolved = entry.directory ? { directory: entry.directory, root: '' } : resolveSyncPath(tree, entry.file, entry.path);
      if (!resolved) {
        cluster.unknown.push(`${entry.file}: path "${entry.path}" names no folder of the workspace`);
        continue;
      }
      if (!cluster.sourceRoot) cluster.sourceRoot = resolved.root;
      cluster.roots.push({ kind: entry.kind, file: entry.file, ...(entry.document !== undefined ? { document: entry.document } : {}), directory: resolved.directory });
      if (entry.source) {
        sourceName ??= entry.source.name;
        cluster.sources.push({ ...entry.source, file: entry.file });
        cluster.sources.push({ kind: 'Kustomization', name: entry.source.name, namespace: entry.source.namespace, file: entry.file });
      }
      if (entry.kustomization) {
        const spec = mapGet(entry.kustomization.parsed.root, 'spec');
        const sourceRef = mapGet(spec, 'sourceRef');
        sourceName ??= scalarString(mapGet(sourceRef, 'name'));
        const variables = new Map<string, string | undefined>();
        const variableOrigins = new Map<string, VariableOrigin>();
        readSubstitutions(spec, new Map(), entry.kustomization.identity.namespace, [], variables, variableOrigins, entry.kustomization);
        tasks.push({ ...kustomizationTask(entry.kustomization, resolved.directory, variables, []), variableOrigins });
      } else tasks.push({ directory: resolved.directory, variables: new Map(), childPatches: [] });
    }
    const visited = new Set<string>();
    const placedData: PlacedData[] = [];
    for (let position = 0; position < tasks.length; position++) {
      const task = tasks[position];
      const key = task.document ? keyOf(task.document) : `dir:${task.directory}`;
      if (visited.has(key)) continue;
      visited.add(key);
      if (task.document) {
        cluster.kustomizations.push(key);
        claimed.add(key);
      }
      const buildKey = task.document ? key : `dir:${index}:${task.directory}`;
      result.builds.set(buildKey, {
        key: buildKey,
        cluster: index,
        directory: task.directory,
        ...(task.document ? { kustomization: key } : {}),
        variables: task.variables,
        variableOrigins: task.variableOrigins ?? new Map(),
        substitutes:
          task.document !== undefined &&
          (mapGet(mapGet(deref(task.document.parsed.root), 'spec'), 'postBuild') !== undefined || (result.kustomizations.get(key)?.patchedFields.includes('postBuild') ?? false)),
        ...(task.parentBuild ? { parent: task.parentBuild } : {}),
      });
      const build = overlayBuild(task.directory);
      for (const [file, role] of build.inputs) result.inputs.set(file, role);
      for (const unknown of build.unknown) cluster.unknown.push(unknown);
      // Flux adds the Kustomization's own `spec.components` (folders relative to `spec.path`) to the build.
      const members = [...build.members];
      for (const component of fluxComponents(task.document)) {
        const componentBuild = overlayBuild(joinPath(task.directory, component));
        for (const [file, role] of componentBuild.inputs) result.inputs.set(file, role);
        for (const unknown of componentBuild.unknown) cluster.unknown.push(unknown);
        members.push(...componentBuild.members);
      }
      for (const member of members) {
        const forced = task.targetNamespace ?? member.namespace;
        const namespace = forced === undefined ? undefined : substituted(forced, task.variables);
        addPlacement(result, member.file, {
          cluster: index,
          ...(namespace !== undefined ? { namespace } : {}),
          ...(task.targetNamespace !== undefined ? { targetNamespace: true } : {}),
          ...(task.document ? { kustomization: keyOf(task.document) } : {}),
          via: member.via,
          build: buildKey,
        });
        for (const document of byFile.get(member.file) ?? []) {
          if (document.identity.kind === 'ConfigMap' || document.identity.kind === 'Secret') placedData.push({ document, namespace: namespace ?? document.identity.namespace });
        }
      }
      for (const member of members) {
        const forced = task.targetNamespace ?? member.namespace;
        const namespace = forced === undefined ? undefined : substituted(forced, task.variables);
        for (const child of byFile.get(member.file) ?? []) {
          if (child.identity.kind !== 'Kustomization' || child.identity.group !== KUSTOMIZE_GROUP) continue;
          const childKey = keyOf(child);
          if (visited.has(childKey)) continue;
          const childTask = followChild(model, result, cluster, index, task, child, namespace, placedData, tree, sourceName, artifactGenerators);
          if (childTask) tasks.push({ ...childTask, parentBuild: buildKey });
        }
      }
    }
    // The roots' own files are applied to the cluster (by bootstrap, or by the build that holds them).
    for (const root of cluster.roots) {
      if (!result.placements.get(root.file)?.some((placement) => placement.cluster === index)) addPlacement(result, root.file, { cluster: index, via: [] });
    }
    cluster.flux = detectFluxVersion(model, result, index, rootEntries);
  };

  // Roots from entry points, one cluster per distinct root folder.
  const byDirectory = new Map<string, Entry[]>();
  for (const entry of entries) {
    const resolved = entry.directory ? { directory: entry.directory } : resolveSyncPath(tree, entry.file, entry.path);
    const key = resolved?.directory ?? `?${entry.file}`;
    const list = byDirectory.get(key) ?? [];
    list.push(entry);
    byDirectory.set(key, list);
  }
  for (const [directory, list] of byDirectory) runCluster(clusterName(directory, list[0]), list);

  // Flux Kustomizations that no cluster reaches and no other Kustomization builds are roots of their own.
  const unclaimed = fluxKustomizations.filter((document) => !claimed.has(keyOf(document)));
  if (unclaimed.length > 0) {
    const builtByOther = new Set<string>();
    const directories = new Map<string, string>();
    for (const document of unclaimed) {
      const path = scalarString(mapGet(mapGet(document.parsed.root, 'spec'), 'path'));
      const resolved = path === undefined || hasPlaceholder(path) ? undefined : resolveSyncPath(tree, document.file, path);
      if (!resolved) continue;
      directories.set(keyOf(document), resolved.directory);
      for (const member of overlayBuild(resolved.directory).members) {
        for (const other of byFile.get(member.file) ?? []) if (keyOf(other) !== keyOf(document)) builtByOther.add(keyOf(other));
      }
    }
    // A Kustomization inside a folder that a cluster already builds is one its kustomization.yaml leaves out (disabled), not a root.
    const builtFolders = new Set<string>();
    for (const node of result.kustomizations.values()) if (node.cluster >= 0 && node.directory) builtFolders.add(node.directory);
    for (const cluster of result.clusters) for (const root of cluster.roots) builtFolders.add(root.directory);
    const insideBuilt = (file: string) => {
      for (let folder = parentDirectory(file); folder && folder !== '/' && folder !== '.'; folder = parentDirectory(folder)) {
        if (builtFolders.has(folder)) return true;
        if (parentDirectory(folder) === folder) break;
      }
      return false;
    };
    const rootsByFile = new Map<string, Entry[]>();
    for (const document of unclaimed) {
      const key = keyOf(document);
      if (builtByOther.has(key) || claimed.has(key) || !directories.has(key) || insideBuilt(document.file)) continue;
      const path = scalarString(mapGet(mapGet(document.parsed.root, 'spec'), 'path'))!;
      const list = rootsByFile.get(document.file) ?? [];
      list.push({ kind: 'Kustomization', file: document.file, document: document.index, path, kustomization: document });
      rootsByFile.set(document.file, list);
    }
    for (const [file, list] of rootsByFile) {
      const folder = parentDirectory(file).split('/').pop();
      const name = list.length === 1 ? (list[0].kustomization?.identity.name ?? folder) : folder;
      runCluster(uniqueName(result, name ?? 'cluster'), list);
    }
  }

  // No Flux at all: kustomization folders that nothing includes form one cluster.
  if (!result.flux) {
    const tops = topKustomizationFolders(tree, result, overlayBuild);
    if (tops.length > 0) {
      const index = result.clusters.length;
      const cluster: Cluster = { name: 'kustomize', roots: [], sourceRoot: commonFolder(tops), sources: [], kustomizations: [], unknown: [] };
      result.clusters.push(cluster);
      for (const directory of tops) {
        cluster.roots.push({ kind: 'kustomization folder', file: tree.directories.get(directory)!.kustomization!, directory });
        const buildKey = `dir:${index}:${directory}`;
        result.builds.set(buildKey, { key: buildKey, cluster: index, directory, variables: new Map(), variableOrigins: new Map(), substitutes: false });
        placeBuild(overlayBuild, result, index, directory, cluster.unknown, buildKey);
      }
    }
  }

  // Kustomize folders no cluster reaches still decide the namespaces of their files (cluster -1).
  for (const directory of topKustomizationFolders(tree, result, overlayBuild)) placeBuild(overlayBuild, result, -1, directory, []);
  return result;
}

/** The `spec.components` paths of a Flux Kustomization (plain strings; a `${VAR}` path cannot be followed offline). */
function fluxComponents(document: IndexedDocument | undefined): string[] {
  const list = deref(mapGet(mapGet(deref(document?.parsed.root), 'spec'), 'components'));
  if (list?.type !== 'seq') return [];
  return list.items.flatMap((item) => {
    const text = scalarString(deref(item));
    return text && !hasPlaceholder(text) ? [text.replace(/^\.\//, '')] : [];
  });
}

function placeBuild(overlayBuild: OverlayBuilder, result: GitopsModel, cluster: number, directory: string, unknown: string[], buildKey?: string): void {
  const build = overlayBuild(directory);
  for (const [file, role] of build.inputs) result.inputs.set(file, role);
  unknown.push(...build.unknown);
  for (const member of build.members) {
    if (cluster < 0 && result.placements.has(member.file)) continue;
    addPlacement(result, member.file, { cluster, ...(member.namespace !== undefined ? { namespace: member.namespace } : {}), via: member.via, ...(buildKey ? { build: buildKey } : {}) });
  }
}

/** Kustomization folders whose kustomization file no build has read yet and that no other such folder includes. */
function topKustomizationFolders(tree: WorkspaceTree, result: GitopsModel, overlayBuild: OverlayBuilder): string[] {
  const candidates: string[] = [];
  for (const [directory, entry] of tree.directories) {
    if (entry.kustomization && !result.inputs.has(entry.kustomization)) candidates.push(directory);
  }
  const included = new Set<string>();
  for (const directory of candidates) {
    for (const [file] of overlayBuild(directory).inputs) {
      if (isKustomizationFile(file) && parentDirectory(file) !== directory) included.add(parentDirectory(file));
    }
  }
  return candidates.filter((directory) => !included.has(directory)).sort();
}

interface PlacedData {
  document: IndexedDocument;
  namespace: string | undefined;
}

function followChild(
  model: WorkspaceModel,
  result: GitopsModel,
  cluster: Cluster,
  clusterIndex: number,
  parent: NodeTask,
  child: IndexedDocument,
  childNamespace: string | undefined,
  placedData: readonly PlacedData[],
  tree: WorkspaceTree,
  sourceName: string | undefined,
  artifactGenerators: readonly IndexedDocument[],
): NodeTask | undefined {
  const root = deref(child.parsed.root);
  const spec = deref(mapGet(root, 'spec'));
  const name = child.identity.name ?? '';
  const namespace = childNamespace ?? (child.identity.namespace ? substituted(child.identity.namespace, parent.variables) : undefined);
  const labels = readStringMap(mapGet(deref(mapGet(root, 'metadata')), 'labels'));
  const patches = parent.childPatches.filter((patch) => targetMatches(patch.target, { group: KUSTOMIZE_GROUP, kind: 'Kustomization', name, namespace, labels }));
  const sourceRef = deref(mapGet(spec, 'sourceRef'));
  const refName = substituted(scalarString(mapGet(sourceRef, 'name')) ?? '', parent.variables);
  const refKind = scalarString(mapGet(sourceRef, 'kind')) ?? 'GitRepository';
  const patchedSource = patches.some((patch) => patch.fields.includes('sourceRef'));
  if (sourceRef && refKind !== 'ExternalArtifact' && sourceName !== undefined && refName !== sourceName && !hasPlaceholder(refName) && !patchedSource) return undefined;
  if (sourceRef && refKind !== 'ExternalArtifact' && !SOURCE_KINDS.has(refKind)) return undefined;
  const rawPath = scalarString(mapGet(spec, 'path')) ?? '';
  const path = substitute(rawPath, parent.variables);
  if (sourceRef && refKind === 'ExternalArtifact' && !path.unknown) {
    // An ArtifactGenerator copying folders of the cluster's own source into the artifact.
    const copied = artifactSourcePath(artifactGenerators, refName, sourceName, path.text);
    if (copied === undefined) return undefined;
    path.text = copied;
  }
  const key = keyOf(child);
  const variables = new Map<string, string | undefined>();
  const variableOrigins = new Map<string, VariableOrigin>();
  for (const patch of patches) for (const [variable, value] of Object.entries(patch.substitute)) variables.set(variable, substituteValue(value, parent.variables));
  readSubstitutions(spec, parent.variables, namespace, placedData, variables, variableOrigins, child);
  result.kustomizations.set(key, {
    cluster: clusterIndex,
    name,
    variables,
    patchedFields: [...new Set(patches.flatMap((patch) => patch.fields))].sort(),
  });
  if (path.unknown) {
    cluster.unknown.push(`${child.file}: path "${rawPath}" depends on a variable not known offline`);
    return undefined;
  }
  let directory = cluster.sourceRoot ? joinPath(cluster.sourceRoot, path.text.replace(/^\.\//, '')) : '';
  if (!tree.directories.has(directory)) {
    // The root did not say where the repository starts (bootstrap folder): find it from the child.
    const resolved = resolveSyncPath(tree, child.file, path.text);
    if (resolved && !cluster.sourceRoot) cluster.sourceRoot = resolved.root;
    if (resolved && isInside(resolved.directory, cluster.sourceRoot)) directory = resolved.directory;
  }
  if (!tree.directories.has(directory)) {
    cluster.unknown.push(`${child.file}: path "${path.text}" names no folder of the workspace`);
    return undefined;
  }
  result.kustomizations.get(key)!.directory = directory;
  // Filled by `replacements` of the folder that lists it (they win, as kustomize runs them), else as written.
  const targetNamespace = replacedTargetNamespace(model, child) ?? scalarString(mapGet(spec, 'targetNamespace'));
  return { ...kustomizationTask(child, directory, variables, [], targetNamespace === undefined ? undefined : substituted(targetNamespace, parent.variables)), variableOrigins };
}

/**
 * Where a path inside the artifact `name` comes from in the cluster's own
 * source, through an ArtifactGenerator's `copy` entries
 * (`from: "@alias/<folder>/**"`, `to: "@artifact/<sub>/"`); undefined when no
 * generator of the workspace copies that path from the cluster's source.
 */
function artifactSourcePath(generators: readonly IndexedDocument[], name: string, sourceName: string | undefined, path: string): string | undefined {
  const wanted = normalizePath(path.replace(/^\.\//, ''));
  for (const generator of generators) {
    const spec = deref(mapGet(deref(generator.parsed.root), 'spec'));
    const aliases = new Set<string>();
    for (const source of listOf(mapGet(spec, 'sources'))) {
      const alias = scalarString(mapGet(source, 'alias'));
      if (alias && (sourceName === undefined || scalarString(mapGet(source, 'name')) === sourceName)) aliases.add(alias);
    }
    for (const artifact of listOf(mapGet(spec, 'artifacts'))) {
      if (scalarString(mapGet(artifact, 'name')) !== name) continue;
      for (const copy of listOf(mapGet(artifact, 'copy'))) {
        const from = /^@([^/]+)\/(.*?)\/?\*\*$/.exec(scalarString(mapGet(copy, 'from')) ?? '');
        const to = /^@artifact\/?(.*)$/.exec(scalarString(mapGet(copy, 'to')) ?? '');
        if (!from || !to || !aliases.has(from[1])) continue;
        const sub = normalizePath(to[1] || '.');
        const rest = sub === '.' ? wanted : wanted === sub ? '.' : wanted.startsWith(`${sub}/`) ? wanted.slice(sub.length + 1) : undefined;
        if (rest === undefined) continue;
        return joinPath(from[2] || '.', rest);
      }
    }
  }
  return undefined;
}

function kustomizationTask(
  document: IndexedDocument,
  directory: string,
  variables: Map<string, string | undefined>,
  _inherited: ChildPatch[],
  targetNamespace?: string,
): NodeTask {
  const spec = deref(mapGet(deref(document.parsed.root), 'spec'));
  const ownTarget = targetNamespace ?? scalarString(mapGet(spec, 'targetNamespace'));
  return {
    document,
    directory,
    ...(ownTarget ? { targetNamespace: ownTarget } : {}),
    variables,
    childPatches: childPatchesOf(spec),
  };
}

/** `spec.postBuild.substitute` and `substituteFrom` of a Kustomization, into `variables`. */
function readSubstitutions(
  spec: YamlNode | undefined,
  parentVariables: Map<string, string | undefined>,
  namespace: string | undefined,
  placedData: readonly PlacedData[],
  variables: Map<string, string | undefined>,
  origins?: Map<string, VariableOrigin>,
  owner?: IndexedDocument,
): void {
  const postBuild = deref(mapGet(spec, 'postBuild'));
  for (const from of listOf(mapGet(postBuild, 'substituteFrom'))) {
    const kind = scalarString(mapGet(from, 'kind'));
    const name = scalarString(mapGet(from, 'name'));
    if (!name || (kind !== 'ConfigMap' && kind !== 'Secret')) continue;
    const wanted = substituted(name, parentVariables);
    const candidates = placedData.filter((data) => data.document.identity.kind === kind && data.document.identity.name === wanted);
    const source = candidates.find((data) => namespace === undefined || data.namespace === undefined || data.namespace === namespace) ?? candidates[0];
    if (!source) continue;
    for (const [key, value] of readData(source.document)) {
      variables.set(key, value);
      const node = dataValueNode(source.document, key);
      if (origins && node) origins.set(key, { file: source.document.file, document: source.document.index, start: node.start, end: node.end });
    }
  }
  const substitute = deref(mapGet(postBuild, 'substitute'));
  for (const [key, value] of Object.entries(readStringMap(substitute))) {
    variables.set(key, substituteValue(value, parentVariables));
    const node = deref(mapGet(substitute, key));
    if (origins && owner && node) origins.set(key, { file: owner.file, document: owner.index, start: node.start, end: node.end });
  }
}

function dataValueNode(document: IndexedDocument, key: string): YamlNode | undefined {
  const root = deref(document.parsed.root);
  return deref(mapGet(deref(mapGet(root, 'data')), key)) ?? deref(mapGet(deref(mapGet(root, 'stringData')), key));
}

/** ConfigMap `data` / Secret `stringData` and `data` (base64); SOPS-encrypted values are unknown. */
function readData(document: IndexedDocument): Map<string, string | undefined> {
  const root = deref(document.parsed.root);
  const values = new Map<string, string | undefined>();
  const encrypted = mapGet(root, 'sops') !== undefined;
  for (const [key, value] of Object.entries(readStringMap(mapGet(root, 'data')))) {
    if (encrypted || /^ENC\[/.test(value)) values.set(key, undefined);
    else if (document.identity.kind === 'Secret') values.set(key, decodeBase64(value));
    else values.set(key, value);
  }
  for (const [key, value] of Object.entries(readStringMap(mapGet(root, 'stringData')))) values.set(key, encrypted || /^ENC\[/.test(value) ? undefined : value);
  return values;
}

function decodeBase64(text: string): string | undefined {
  try {
    const decode = (globalThis as { atob?: (encoded: string) => string }).atob;
    return decode ? decode(text.replace(/\s+/g, '')) : undefined;
  } catch {
    return undefined;
  }
}

/** Inline strategic-merge `spec.patches` of a Flux Kustomization that target Kustomizations. */
function childPatchesOf(spec: YamlNode | undefined): ChildPatch[] {
  const patches: ChildPatch[] = [];
  for (const item of listOf(mapGet(spec, 'patches'))) {
    const target = deref(mapGet(item, 'target'));
    const kind = scalarString(mapGet(target, 'kind'));
    if (kind !== 'Kustomization') continue;
    const text = scalarString(mapGet(item, 'patch'));
    if (!text) continue;
    const patchRoot = deref(createParsedDocument(text).root);
    if (patchRoot?.type !== 'map') continue;
    const patchSpec = deref(mapGet(patchRoot, 'spec'));
    const fields = patchSpec?.type === 'map' ? patchSpec.pairs.map((pair) => scalarString(pair.key)).filter((key): key is string => !!key) : [];
    patches.push({
      target: {
        group: scalarString(mapGet(target, 'group')),
        kind,
        name: scalarString(mapGet(target, 'name')),
        namespace: scalarString(mapGet(target, 'namespace')),
        labelSelector: scalarString(mapGet(target, 'labelSelector')),
      },
      fields,
      substitute: readStringMap(mapGet(deref(mapGet(patchSpec, 'postBuild')), 'substitute')),
    });
  }
  return patches;
}

/** Does a kustomize patch `target` select this object? (group, kind, name regex, namespace, label selector). */
export function targetMatches(
  target: PatchTarget,
  object: { group: string; kind: string; name: string; namespace?: string; labels: Record<string, string> },
): boolean {
  if (target.group !== undefined && target.group !== object.group) return false;
  if (target.kind !== undefined && target.kind !== object.kind) return false;
  if (target.name !== undefined && !anchoredMatch(target.name, object.name)) return false;
  if (target.namespace !== undefined && object.namespace !== undefined && !anchoredMatch(target.namespace, object.namespace)) return false;
  if (target.labelSelector !== undefined && !labelSelectorMatches(target.labelSelector, object.labels)) return false;
  return true;
}


/** Equality-based and set-less label selectors (`a=b,c!=d,e`); `in (…)` forms match when any listed value does. */
function labelSelectorMatches(selector: string, labels: Record<string, string>): boolean {
  for (const raw of selector.split(/,(?![^(]*\))/)) {
    const term = raw.trim();
    if (!term) continue;
    let match: RegExpExecArray | null;
    if ((match = /^([^!=\s]+)\s*!=\s*(.*)$/.exec(term))) {
      if (labels[match[1]] === match[2].trim()) return false;
    } else if ((match = /^([^!=\s]+)\s*==?\s*(.*)$/.exec(term))) {
      if (labels[match[1]] !== match[2].trim()) return false;
    } else if ((match = /^(\S+)\s+(in|notin)\s*\((.*)\)$/.exec(term))) {
      const values = match[3].split(',').map((value) => value.trim());
      const has = values.includes(labels[match[1]] ?? '\u0000');
      if (match[2] === 'in' ? !has : has) return false;
    } else if ((match = /^!(\S+)$/.exec(term))) {
      if (match[1] in labels) return false;
    } else if (!(term in labels)) return false;
  }
  return true;
}

function findEntries(model: WorkspaceModel, tree: WorkspaceTree, fluxKustomizations: readonly IndexedDocument[]): Entry[] {
  const entries: Entry[] = [];
  for (const document of model.byKind('FluxInstance')) {
    const spec = deref(mapGet(deref(document.parsed.root), 'spec'));
    const entry = syncEntry('FluxInstance', document, deref(mapGet(spec, 'sync')), document.identity.namespace);
    if (entry) entries.push(entry);
  }
  for (const document of model.byKind('HelmRelease')) {
    const spec = deref(mapGet(deref(document.parsed.root), 'spec'));
    let sync = deref(mapGet(deref(mapGet(deref(mapGet(spec, 'values')), 'instance')), 'sync'));
    for (const from of sync ? [] : listOf(mapGet(spec, 'valuesFrom'))) {
      const name = scalarString(mapGet(from, 'name'));
      if (scalarString(mapGet(from, 'kind')) !== 'ConfigMap' || !name) continue;
      const values = generatedValuesInTree(model, tree, document, name, scalarString(mapGet(from, 'valuesKey')) ?? 'values.yaml');
      sync = deref(mapGet(deref(mapGet(deref(values), 'instance')), 'sync'));
      if (sync) break;
    }
    if (!sync) continue;
    const entry = syncEntry('flux-instance HelmRelease', document, sync, document.identity.namespace);
    if (entry) entries.push(entry);
  }
  const bootstrapFolders = new Set<string>();
  for (const document of fluxKustomizations) {
    if (!/(^|\/)gotk-sync\.ya?ml$/.test(document.file)) continue;
    const path = scalarString(mapGet(mapGet(document.parsed.root, 'spec'), 'path'));
    if (path === undefined) continue;
    bootstrapFolders.add(parentDirectory(document.file));
    entries.push({ kind: 'gotk-sync', file: document.file, document: document.index, path, kustomization: document });
  }
  // `flux bootstrap` layout with the generated files left out: <cluster>/flux-system/gotk-*.yaml.
  for (const [directory, entry] of tree.directories) {
    if (!directory.endsWith('/flux-system') || bootstrapFolders.has(directory)) continue;
    const gotk = entry.files.find((file) => /\/gotk-(sync|components)\.ya?ml$/.test(file));
    if (!gotk) continue;
    entries.push({ kind: 'bootstrap folder', file: gotk, path: parentDirectory(directory), directory: parentDirectory(directory), source: { kind: 'GitRepository', name: 'flux-system', namespace: 'flux-system' } });
  }
  return entries;
}

/** A generated values file in the release's own folder (the model is not built yet when roots are sought). */
function generatedValuesInTree(model: WorkspaceModel, tree: WorkspaceTree, release: IndexedDocument, name: string, key: string): YamlNode | undefined {
  const kustomization = tree.directories.get(parentDirectory(normalizePath(release.file)))?.kustomization;
  if (!kustomization) return undefined;
  const generators = deref(mapGet(deref(model.fileDocuments(kustomization)[0]?.root), 'configMapGenerator'));
  if (generators?.type !== 'seq') return undefined;
  for (const item of generators.items) {
    if (scalarString(mapGet(deref(item), 'name')) !== name) continue;
    for (const entry of listOf(mapGet(deref(item), 'files'))) {
      const text = scalarString(entry) ?? '';
      const equals = text.indexOf('=');
      if ((equals >= 0 ? text.slice(0, equals) : text.split('/').pop()) !== key) continue;
      return model.fileDocuments(joinPath(parentDirectory(kustomization), equals >= 0 ? text.slice(equals + 1) : text))[0]?.root;
    }
  }
  return undefined;
}

function syncEntry(kind: RootKind, document: IndexedDocument, sync: YamlNode | undefined, namespace: string | undefined): Entry | undefined {
  const path = scalarString(mapGet(sync, 'path'));
  if (!sync || path === undefined || hasPlaceholder(path)) return undefined;
  const sourceNamespace = namespace ?? 'flux-system';
  const sourceKind = scalarString(mapGet(sync, 'kind')) ?? 'GitRepository';
  const sourceName = scalarString(mapGet(sync, 'name')) ?? sourceNamespace;
  return { kind, file: document.file, document: document.index, path, source: { kind: sourceKind, name: sourceName, namespace: sourceNamespace } };
}

/**
 * The folder a Flux path names, relative to the repository holding `file`:
 * the deepest ancestor of `file` under which the path exists. An absolute
 * bootstrap folder (already resolved) is returned as is.
 */
function resolveSyncPath(tree: WorkspaceTree, file: string, path: string): { directory: string; root: string } | undefined {
  const relative = normalizePath(path.replace(/^\.\//, ''));
  if (relative.startsWith('..')) return undefined;
  let ancestor = parentDirectory(normalizePath(file));
  for (let guard = 0; guard < 256; guard++) {
    const candidate = relative === '.' ? ancestor : joinPath(ancestor, relative);
    if (tree.directories.has(candidate)) return { directory: candidate, root: ancestor };
    const parent = parentDirectory(ancestor);
    if (parent === ancestor || ancestor === '' || ancestor === '/') break;
    ancestor = parent;
  }
  return undefined;
}

function clusterName(directory: string, entry: Entry): string {
  const segments = directory.split('/').filter(Boolean);
  const last = segments[segments.length - 1];
  return last && !directory.startsWith('?') ? last : (entry.document !== undefined ? entry.file : 'cluster');
}

function uniqueName(result: GitopsModel, name: string): string {
  let candidate = name;
  for (let suffix = 2; result.clusters.some((cluster) => cluster.name === candidate); suffix++) candidate = `${name}-${suffix}`;
  return candidate;
}

function commonFolder(directories: readonly string[]): string {
  if (directories.length === 0) return '';
  let common = directories[0];
  for (const directory of directories) while (common && !isInside(directory, common)) common = parentDirectory(common);
  return common;
}

function addPlacement(result: GitopsModel, file: string, placement: Placement): void {
  const list = result.placements.get(file);
  if (!list) result.placements.set(file, [placement]);
  else if (!list.some((existing) => existing.cluster === placement.cluster && existing.kustomization === placement.kustomization && existing.namespace === placement.namespace)) list.push(placement);
}

function substituted(text: string, variables: Map<string, string | undefined>): string {
  const result = substitute(text, variables);
  return result.unknown ? text : result.text;
}

function substituteValue(text: string, variables: Map<string, string | undefined>): string | undefined {
  const result = substitute(text, variables);
  return result.unknown ? undefined : result.text;
}

function groupByFile(documents: readonly IndexedDocument[]): Map<string, IndexedDocument[]> {
  const map = new Map<string, IndexedDocument[]>();
  for (const document of documents) {
    const list = map.get(document.file);
    if (list) list.push(document);
    else map.set(document.file, [document]);
  }
  for (const list of map.values()) list.sort((a, b) => a.index - b.index);
  return map;
}

function listOf(node: YamlNode | undefined): YamlNode[] {
  const seq = deref(node);
  return seq?.type === 'seq' ? seq.items.map((item) => deref(item)).filter((item): item is YamlNode => !!item) : [];
}

function readStringMap(node: YamlNode | undefined): Record<string, string> {
  const map = deref(node);
  const out: Record<string, string> = {};
  if (map?.type !== 'map') return out;
  for (const pair of (map as YamlMap).pairs) {
    const key = scalarString(deref(pair.key));
    const value = deref(pair.value);
    if (key === undefined || value?.type !== 'scalar') continue;
    out[key] = value.value === null ? '' : String(value.text);
  }
  return out;
}

export function keyOf(document: { file: string; index: number }): string {
  return `${document.file}#${document.index}`;
}
