/**
 * The object references a Flux document makes, as the controllers read them:
 * which field, which kinds it may name, which kinds a mistaken reference
 * plausibly meant, and where to report. Shared by the reference rules.
 */

import { mapGet, type YamlNode } from '../../parse/ast';
import { isFluxKind, readReference, type ObjectReference } from '../../flux/fluxObjects';
import type { ResourceIdentity } from '../../resources/identify';

export interface ReferenceSite {
  /** Field label for messages: `sourceRef`, `chartRef`, `dependsOn`. */
  field: string;
  reference: ObjectReference;
  /** Kinds the field accepts. */
  allowedKinds: readonly string[];
  /** Kinds to look for when nothing of the named kind exists. */
  alternatives: readonly string[];
  /** The reference may carry its own namespace. */
  namespaced: boolean;
  /** Node to report on. */
  at: YamlNode;
}

const HELM_CHART_SOURCES = ['HelmRepository', 'GitRepository', 'Bucket'];
const CHART_REF_KINDS = ['OCIRepository', 'HelmChart', 'ExternalArtifact'];
const KUSTOMIZATION_SOURCES = ['GitRepository', 'OCIRepository', 'Bucket', 'ExternalArtifact'];

export function referenceSites(identity: ResourceIdentity | undefined, root: YamlNode | undefined): ReferenceSite[] {
  const spec = mapGet(root, 'spec');
  const sites: ReferenceSite[] = [];
  const add = (field: string, node: YamlNode | undefined, allowedKinds: readonly string[], alternatives: readonly string[], namespaced: boolean, impliedKind?: string) => {
    const reference = readReference(node);
    if (!reference) return;
    if (impliedKind) reference.kind = impliedKind;
    sites.push({ field, reference, allowedKinds, alternatives, namespaced, at: reference.nameNode ?? reference.node });
  };
  if (isFluxKind(identity, 'HelmRelease')) {
    add('chart.spec.sourceRef', mapGet(mapGet(mapGet(spec, 'chart'), 'spec'), 'sourceRef'), HELM_CHART_SOURCES, [...CHART_REF_KINDS, ...HELM_CHART_SOURCES], true);
    add('chartRef', mapGet(spec, 'chartRef'), CHART_REF_KINDS, [...CHART_REF_KINDS, ...HELM_CHART_SOURCES], true);
    dependsOn(spec, 'HelmRelease', ['Kustomization'], add);
  } else if (isFluxKind(identity, 'Kustomization')) {
    add('sourceRef', mapGet(spec, 'sourceRef'), KUSTOMIZATION_SOURCES, [...KUSTOMIZATION_SOURCES, 'HelmRepository'], true);
    dependsOn(spec, 'Kustomization', ['HelmRelease'], add);
  } else if (isFluxKind(identity, 'HelmChart')) {
    add('sourceRef', mapGet(spec, 'sourceRef'), HELM_CHART_SOURCES, [...HELM_CHART_SOURCES, 'OCIRepository'], false);
  }
  return sites;
}

function dependsOn(
  spec: YamlNode | undefined,
  kind: string,
  alternatives: readonly string[],
  add: (field: string, node: YamlNode | undefined, allowed: readonly string[], alternatives: readonly string[], namespaced: boolean, impliedKind?: string) => void,
): void {
  const list = mapGet(spec, 'dependsOn');
  if (list?.type !== 'seq') return;
  for (const item of list.items) add('dependsOn', item, [kind], alternatives, true, kind);
}
