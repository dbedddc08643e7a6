/**
 * Small shared readers for Flux objects: which API group a kind belongs to,
 * object references (`sourceRef`, `chartRef`, `dependsOn` entries), and
 * whether a value is a post-build `${VAR}` placeholder that only the cluster
 * can resolve.
 *
 * Invariant: never throws on odd shapes; a reference missing a name is
 * returned with `name` undefined.
 */

import { mapGet, mapGetPair, scalarString, type YamlNode, type YamlPair } from '../parse/ast';
import { textUnknownUntilRender } from '../parse/unknownValue';
import type { ResourceIdentity } from '../resources/identify';
import type { IndexedDocument } from '../workspace/model';
import { HELM_GROUP, KUSTOMIZE_GROUP, SOURCE_GROUP } from './fluxVersions';

export const FLUX_KIND_GROUPS: Readonly<Record<string, string>> = {
  HelmRelease: HELM_GROUP,
  Kustomization: KUSTOMIZE_GROUP,
  GitRepository: SOURCE_GROUP,
  HelmRepository: SOURCE_GROUP,
  HelmChart: SOURCE_GROUP,
  OCIRepository: SOURCE_GROUP,
  Bucket: SOURCE_GROUP,
  ExternalArtifact: SOURCE_GROUP,
};

/** Is this identity the Flux kind (not, say, a kustomize `Kustomization` file)? */
export function isFluxKind(identity: ResourceIdentity | undefined, kind: string): boolean {
  return !!identity && identity.kind === kind && identity.group === FLUX_KIND_GROUPS[kind];
}

export function isFluxDocument(document: IndexedDocument, kind: string): boolean {
  return isFluxKind(document.identity, kind);
}

/** `${VAR}` placeholders are filled in by Flux post-build substitution (see `parse/unknownValue.ts`). */
export function hasSubstitution(text: string | undefined): boolean {
  return textUnknownUntilRender(text);
}

export interface ObjectReference {
  /** The reference map (or whatever node stands there). */
  node: YamlNode;
  kind?: string;
  name?: string;
  namespace?: string;
  apiVersion?: string;
  kindNode?: YamlNode;
  nameNode?: YamlNode;
  namespacePair?: YamlPair;
}

export function readReference(node: YamlNode | undefined): ObjectReference | undefined {
  if (!node || node.type !== 'map') return undefined;
  return {
    node,
    kind: scalarString(mapGet(node, 'kind')),
    name: scalarString(mapGet(node, 'name')),
    namespace: scalarString(mapGet(node, 'namespace')),
    apiVersion: scalarString(mapGet(node, 'apiVersion')),
    kindNode: mapGet(node, 'kind'),
    nameNode: mapGet(node, 'name'),
    namespacePair: mapGetPair(node, 'namespace'),
  };
}

/** True when a reference names something only the cluster can resolve (placeholders). */
export function referenceIsTemplated(reference: ObjectReference): boolean {
  return hasSubstitution(reference.name) || hasSubstitution(reference.namespace) || hasSubstitution(reference.kind);
}
