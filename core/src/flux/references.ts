/**
 * Resolves a Flux object reference (`sourceRef`, `chartRef`, a `dependsOn`
 * entry) against the workspace the way the controllers do: by kind, name and
 * namespace, the namespace defaulting to the referring object's.
 *
 * Results: `found` (one or more documents match), `wrong-kind` (nothing of the
 * requested kind, but an object of another plausible kind has that name),
 * `missing`, or `unknown` (placeholders, or a kind whose producer we cannot
 * see). Documents of kustomize patch files never count as targets; targets
 * must be deployed to a cluster that also deploys the referring object (see
 * `gitops/placement`); the source objects a FluxInstance or `flux bootstrap`
 * creates count as found.
 */

import { mapGet, scalarString } from '../parse/ast';
import type { IndexedDocument, WorkspaceModel } from '../workspace/model';
import { FLUX_KIND_GROUPS, hasSubstitution, type ObjectReference } from './fluxObjects';
import { clustersOf, createdSources, documentNamespaces, isPatchDocument, namespacesOverlap, referenceNamespaces, shareCluster } from '../gitops/placement';

export type ReferenceResolution =
  | { status: 'found'; targets: IndexedDocument[] }
  | { status: 'wrong-kind'; others: IndexedDocument[] }
  | { status: 'missing'; namespaces?: ReadonlySet<string> }
  | { status: 'unknown'; reason: string };

export interface ReferenceQuery {
  kind: string | undefined;
  name: string | undefined;
  namespace?: string;
}

/**
 * @param alternatives kinds that a mistaken reference plausibly meant (checked
 *   only when nothing of the requested kind matches)
 */
export function resolveReference(
  model: WorkspaceModel,
  from: IndexedDocument,
  query: ReferenceQuery | ObjectReference,
  alternatives: readonly string[] = [],
): ReferenceResolution {
  const { kind, name } = query;
  if (!kind || !name) return { status: 'unknown', reason: 'the reference has no kind or name' };
  if (hasSubstitution(kind) || hasSubstitution(name) || hasSubstitution(query.namespace)) {
    return { status: 'unknown', reason: 'the reference uses ${…} placeholders' };
  }
  const namespaces = referenceNamespaces(model, from, query.namespace);
  if (kind === 'ExternalArtifact') {
    return externalArtifactExists(model, name, namespaces)
      ? { status: 'found', targets: [] }
      : { status: 'unknown', reason: 'ExternalArtifacts may come from controllers outside the workspace' };
  }
  // `shareCluster` is true for every target when no cluster deploys the referring file: skip the test then
  // (asked at the first target, so a reference without targets reads no more than before).
  let undeployed: boolean | undefined;
  const inCluster = (target: IndexedDocument) => (undeployed ??= clustersOf(model, from.file).length === 0) || shareCluster(model, from, target);
  const targets = candidates(model, kind, name, namespaces).filter(inCluster);
  if (targets.length > 0) return { status: 'found', targets };
  if (createdSources(model, from.file).some((source) => source.kind === kind && source.name === name && (!namespaces || namespaces.has(source.namespace)))) {
    return { status: 'found', targets: [] };
  }
  const others = alternatives.filter((other) => other !== kind).flatMap((other) => candidates(model, other, name, namespaces).filter(inCluster));
  if (others.length > 0) return { status: 'wrong-kind', others };
  return { status: 'missing', namespaces };
}

interface Candidate {
  document: IndexedDocument;
  namespaces: ReadonlySet<string> | undefined;
}

/**
 * The possible targets of a kind, by name: documents of the kind's group that
 * are not kustomize patches, with the namespaces they may land in. Computed
 * once per workspace state (a derived value), so a reference looks at the
 * documents of its name only, instead of testing every document of the kind.
 */
function candidatesByName(model: WorkspaceModel, kind: string): ReadonlyMap<string, readonly Candidate[]> {
  return model.derive(`flux/reference-candidates:${kind}`, () => {
    const group = FLUX_KIND_GROUPS[kind];
    const byName = new Map<string, Candidate[]>();
    for (const document of model.byKind(kind)) {
      const name = document.identity.name;
      if (name === undefined || (group !== undefined && document.identity.group !== group) || isPatchDocument(model, document)) continue;
      const candidate = { document, namespaces: documentNamespaces(model, document) };
      const list = byName.get(name);
      if (list) list.push(candidate);
      else byName.set(name, [candidate]);
    }
    return byName;
  });
}

function candidates(model: WorkspaceModel, kind: string, name: string, namespaces: ReadonlySet<string> | undefined): IndexedDocument[] {
  const out: IndexedDocument[] = [];
  for (const candidate of candidatesByName(model, kind).get(name) ?? []) {
    if (namespacesOverlap(namespaces, candidate.namespaces)) out.push(candidate.document);
  }
  return out;
}

/** ArtifactGenerators (source-watcher) publish ExternalArtifacts named by `spec.artifacts[].name`. */
function externalArtifactExists(model: WorkspaceModel, name: string, namespaces: ReadonlySet<string> | undefined): boolean {
  return model.byKind('ArtifactGenerator').some((generator) => {
    if (!namespacesOverlap(namespaces, documentNamespaces(model, generator))) return false;
    const artifacts = mapGet(mapGet(generator.parsed.root, 'spec'), 'artifacts');
    return artifacts?.type === 'seq' && artifacts.items.some((item) => scalarString(mapGet(item, 'name')) === name);
  });
}

/** How near `document` is to `from`: same file 0, same folder or below 1, elsewhere 2. */
function distance(from: { file: string }, folder: string, document: IndexedDocument): number {
  return document.file === from.file ? 0 : document.file.startsWith(folder) ? 1 : 2;
}

/** Orders candidates: same file first, then same folder, then the rest (stable otherwise). */
export function closestFirst(from: { file: string }, documents: readonly IndexedDocument[]): IndexedDocument[] {
  const folder = from.file.slice(0, from.file.lastIndexOf('/') + 1);
  // Each document's distance is worked out once (not per comparison); the sort is stable.
  return documents
    .map((document) => ({ document, score: distance(from, folder, document) }))
    .sort((a, b) => a.score - b.score)
    .map((entry) => entry.document);
}

/** The first document of `closestFirst(from, documents)`, in one pass. */
export function closest(from: { file: string }, documents: readonly IndexedDocument[]): IndexedDocument | undefined {
  const folder = from.file.slice(0, from.file.lastIndexOf('/') + 1);
  let best: IndexedDocument | undefined;
  let bestScore = Infinity;
  for (const document of documents) {
    const score = distance(from, folder, document);
    if (score < bestScore) {
      best = document;
      bestScore = score;
      if (score === 0) break;
    }
  }
  return best;
}

export function describeNamespaces(namespaces: ReadonlySet<string> | undefined): string {
  if (!namespaces) return '';
  return ` in namespace ${[...namespaces].map((namespace) => `"${namespace}"`).join(' or ')}`;
}
