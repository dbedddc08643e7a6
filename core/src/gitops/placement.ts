/**
 * Questions the analysis asks of the GitOps model, one answer each: which
 * clusters deploy a document, in which namespace it lands, whether a file is a
 * kustomize patch (a fragment, not an object), which source objects a cluster
 * has that no file defines (FluxInstance / bootstrap), which Flux release
 * serves a document, and whether any cluster deploys a file at all.
 *
 * This replaces the path-suffix heuristics of the former `flux/fluxWorkspace`
 * and the namespace rules of `workspace/k8sIndex`: every answer comes from the
 * placements computed in `clusters.ts`.
 *
 * Invariant: when nothing says where a document lands, its namespace is
 * unknown (`undefined`, matches any) so lookups err towards "found".
 */

import { kustomizePatchFiles } from '../workspace/kustomizePatches';
import { normalizePath, type IndexedDocument, type WorkspaceModel } from '../workspace/model';
import { compareMinor as compareFluxReleases } from '../util/minorVersion';
import { substitute } from './envsubst';
import { gitopsModel, type Cluster, type CreatedSource, type GitopsModel, type Placement } from './clusters';
import type { FluxVersionFact } from './fluxVersion';

/** Documents of files used as kustomize patches are fragments, not objects of their own. */
export function isPatchDocument(model: WorkspaceModel, document: { file: string }): boolean {
  const file = normalizePath(document.file);
  return kustomizePatchFiles(model).has(file) || gitopsModel(model).inputs.get(file) === 'patch';
}

export function placementsOf(model: WorkspaceModel, file: string): readonly Placement[] {
  return gitopsModel(model).placements.get(normalizePath(file)) ?? [];
}

/** True when the Flux Kustomization document `kustomization` applies `file` (its own build, not a nested one's). */
export function deployedByKustomization(model: WorkspaceModel, kustomization: { file: string; index: number }, file: string): boolean {
  const key = `${normalizePath(kustomization.file)}#${kustomization.index}`;
  return placementsOf(model, file).some((placement) => placement.kustomization === key);
}

/** The clusters (indexes) that deploy a file; empty when none does. */
export function clustersOf(model: WorkspaceModel, file: string): number[] {
  return [...new Set(placementsOf(model, file).map((placement) => placement.cluster).filter((cluster) => cluster >= 0))];
}

/** The namespace one placement gives a document whose own `metadata.namespace` is `declared`. */
function placedNamespace(gitops: GitopsModel, placement: Placement, declared: string | undefined): string | undefined {
  if (placement.namespace !== undefined) return placement.namespace;
  if (declared === undefined) return undefined;
  const variables = placement.kustomization ? gitops.kustomizations.get(placement.kustomization)?.variables : undefined;
  if (!variables || !declared.includes('${')) return declared;
  const result = substitute(declared, variables);
  return result.unknown ? undefined : result.text;
}

/**
 * The namespaces a document may land in (one per placement); undefined =
 * unknown (matches any). A templated namespace no cluster resolves is unknown.
 */
export function documentNamespaces(model: WorkspaceModel, document: IndexedDocument): ReadonlySet<string> | undefined {
  const gitops = gitopsModel(model);
  const own = document.identity.namespace;
  const placements = gitops.placements.get(normalizePath(document.file)) ?? [];
  const candidates = new Set<string>();
  let unknown = false;
  for (const placement of placements) {
    const namespace = placedNamespace(gitops, placement, own);
    if (namespace === undefined || namespace.includes('${')) unknown = true;
    else candidates.add(namespace);
  }
  if (placements.length === 0) {
    if (own === undefined || own.includes('${')) return undefined;
    return new Set([own]);
  }
  if (unknown && candidates.size === 0) return undefined;
  return candidates.size > 0 ? candidates : undefined;
}

/** The single namespace the tools give a file's documents, with where it comes from (k8s index). */
export function forcedNamespace(model: WorkspaceModel, file: string): { namespace: string; origin: 'kustomization' | 'flux-kustomization' } | undefined {
  const gitops = gitopsModel(model);
  for (const placement of gitops.placements.get(normalizePath(file)) ?? []) {
    if (placement.namespace === undefined || placement.namespace.includes('${')) continue;
    return { namespace: placement.namespace, origin: placement.targetNamespace ? 'flux-kustomization' : 'kustomization' };
  }
  return undefined;
}

/** Every file whose documents the build puts in one namespace, with where that comes from (for the k8s index). */
export function forcedNamespacesByFile(model: WorkspaceModel): Map<string, { namespace: string; origin: 'kustomization' | 'flux-kustomization' }> {
  const out = new Map<string, { namespace: string; origin: 'kustomization' | 'flux-kustomization' }>();
  for (const file of gitopsModel(model).placements.keys()) {
    const forced = forcedNamespace(model, file);
    if (forced) out.set(file, forced);
  }
  return out;
}

export function namespacesOverlap(a: ReadonlySet<string> | undefined, b: ReadonlySet<string> | undefined): boolean {
  if (!a || !b) return true;
  for (const namespace of a) if (b.has(namespace)) return true;
  return false;
}

/** The namespace a reference points into: its own `namespace`, else the referring object's. */
export function referenceNamespaces(model: WorkspaceModel, from: IndexedDocument, explicitNamespace: string | undefined): ReadonlySet<string> | undefined {
  if (explicitNamespace !== undefined) return explicitNamespace.includes('${') ? undefined : new Set([explicitNamespace]);
  return documentNamespaces(model, from);
}

/** One readable namespace for messages: the only candidate, else undefined. */
export function singleNamespace(namespaces: ReadonlySet<string> | undefined): string | undefined {
  return namespaces && namespaces.size === 1 ? [...namespaces][0] : undefined;
}

/**
 * Can `a` and `b` be in the same cluster? True when either is deployed by no
 * cluster (unknown) or they share one.
 */
export function shareCluster(model: WorkspaceModel, a: { file: string }, b: { file: string }): boolean {
  const left = clustersOf(model, a.file);
  if (left.length === 0) return true;
  const right = clustersOf(model, b.file);
  if (right.length === 0) return true;
  return left.some((cluster) => right.includes(cluster));
}

/** Sources the clusters deploying `file` have without a file defining them (FluxInstance sync, bootstrap). */
export function createdSources(model: WorkspaceModel, file: string): CreatedSource[] {
  const gitops = gitopsModel(model);
  const clusters = clustersOf(model, file);
  const chosen = clusters.length > 0 ? clusters.map((index) => gitops.clusters[index]) : gitops.clusters;
  return chosen.flatMap((cluster) => cluster.sources);
}

/**
 * The Flux release that serves a document: the one its clusters pin (the
 * newest when they differ); else the newest any cluster pins; undefined when
 * nothing in the repository says. `2.x` ranges count as unknown here.
 */
export function fluxReleaseFor(model: WorkspaceModel, file: string | undefined): { minor: string; fact: FluxVersionFact; cluster: string } | undefined {
  const gitops = gitopsModel(model);
  const own = file === undefined ? [] : clustersOf(model, file);
  const candidates = (own.length > 0 ? own : gitops.clusters.map((_, index) => index))
    .map((index) => ({ cluster: gitops.clusters[index], fact: gitops.clusters[index].flux }))
    .filter((entry): entry is { cluster: Cluster; fact: FluxVersionFact } => entry.fact?.minor !== undefined);
  candidates.sort((a, b) => compareFluxReleases(a.fact.minor!, b.fact.minor!));
  const newest = candidates.pop();
  return newest ? { minor: newest.fact.minor!, fact: newest.fact, cluster: newest.cluster.name } : undefined;
}

/**
 * True when the repository has Flux roots, every cluster was followed
 * completely, and no cluster deploys `file` (and no build reads it): the file
 * is not deployed. False whenever the model is unsure.
 */
export function isUndeployed(model: WorkspaceModel, file: string): boolean {
  const gitops = gitopsModel(model);
  if (!gitops.flux || gitops.clusters.length === 0 || gitops.clusters.some((cluster) => cluster.unknown.length > 0)) return false;
  const normalized = normalizePath(file);
  if (gitops.inputs.has(normalized)) return false;
  return !(gitops.placements.get(normalized) ?? []).some((placement) => placement.cluster >= 0);
}

/** The note on findings of a file no cluster deploys; undefined when some cluster does (or the model is unsure). */
export function undeployedNote(model: WorkspaceModel, file: string): string | undefined {
  if (!isUndeployed(model, file)) return undefined;
  const names = gitopsModel(model).clusters.map((cluster) => cluster.name);
  return `not deployed: no cluster (${names.join(', ')}) builds this file; set undeployedFiles to "keep" to report it as configured`;
}

/** Fields of a Flux Kustomization's `spec` that a parent Kustomization's `spec.patches` supply. */
export function patchedSpecFields(model: WorkspaceModel, document: { file: string; index: number }): readonly string[] {
  return gitopsModel(model).kustomizations.get(`${normalizePath(document.file)}#${document.index}`)?.patchedFields ?? [];
}

export interface ClusterSummary {
  name: string;
  roots: Cluster['roots'];
  sources: CreatedSource[];
  flux?: FluxVersionFact;
  kustomizations: number;
  files: number;
  unknown: string[];
}

export function clusterSummaries(model: WorkspaceModel): ClusterSummary[] {
  const gitops = gitopsModel(model);
  const files = gitops.clusters.map(() => 0);
  for (const placements of gitops.placements.values()) {
    for (const cluster of new Set(placements.map((placement) => placement.cluster))) if (cluster >= 0) files[cluster]++;
  }
  return gitops.clusters.map((cluster, index) => ({
    name: cluster.name,
    roots: cluster.roots,
    sources: cluster.sources,
    ...(cluster.flux ? { flux: cluster.flux } : {}),
    kustomizations: cluster.kustomizations.length,
    files: files[index],
    unknown: cluster.unknown,
  }));
}

