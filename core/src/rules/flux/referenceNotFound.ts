/**
 * flux/reference-not-found: a `sourceRef`, `chartRef` or `dependsOn` entry
 * names an object that no document in the workspace defines (namespace
 * defaulting to the referring object's, as the controllers do).
 */

import { isPatchDocument } from '../../gitops/placement';
import { describeNamespaces, resolveReference } from '../../flux/references';
import type { IndexedDocument } from '../../workspace/model';
import type { CrossFileRule } from '../types';
import { referenceSites } from './referenceSites';

export const referenceNotFound: CrossFileRule = {
  meta: {
    id: 'flux/reference-not-found',
    severity: 'warning',
    title: 'Flux reference names nothing in the workspace',
    kinds: ['HelmRelease', 'Kustomization', 'HelmChart'],
    crossFile: true,
    docs: {
      summary: 'A `sourceRef`, `chartRef` or `dependsOn` entry names an object that is not defined anywhere in the workspace.',
      why: 'Flux resolves references by kind, name and namespace (the referring object\'s namespace when none is given). A reference to nothing leaves the HelmRelease or Kustomization waiting, never Ready, and everything that depends on it waits too. The repository may not hold every object of the cluster, so this is a warning.',
      bad: 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: cilium, namespace: kube-system}\nspec:\n  interval: 1h\n  chartRef: {kind: OCIRepository, name: cilium}\n',
      good: 'apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata: {name: cilium, namespace: kube-system}\nspec:\n  interval: 1h\n  url: oci://ghcr.io/home-operations/charts-mirror/cilium\n---\napiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: cilium, namespace: kube-system}\nspec:\n  interval: 1h\n  chartRef: {kind: OCIRepository, name: cilium}\n',
      source: 'helm-controller and kustomize-controller reference resolution (namespace defaults to the object\'s own)',
    },
  },
  check(context) {
    const from = currentDocument(context.file, context.documentIndex, context.workspace.fileResources(context.file));
    if (!from || isPatchDocument(context.workspace, from)) return;
    for (const site of referenceSites(context.resource, context.root)) {
      const { kind, name } = site.reference;
      if (!kind || !name || !site.allowedKinds.includes(kind)) continue;
      const resolution = resolveReference(context.workspace, from, site.namespaced ? site.reference : { ...site.reference, namespace: undefined }, site.alternatives);
      if (resolution.status !== 'missing') continue;
      const where = describeNamespaces(resolution.namespaces);
      const consequence =
        site.field === 'dependsOn'
          ? `Flux holds this ${context.resource?.kind} back until it exists and is Ready`
          : `the ${context.resource?.kind} cannot become Ready unless it exists in the cluster`;
      context.report(site.at, `${site.field} names ${kind} "${name}"${where}, which no file in the workspace defines: ${consequence}.`);
    }
  },
};

export function currentDocument(file: string, index: number, resources: readonly IndexedDocument[]): IndexedDocument | undefined {
  return resources.find((resource) => resource.index === index);
}
