/**
 * Editor features of the GitOps model: a code lens above each HelmRelease and
 * Flux Kustomization naming the clusters that deploy it (and through which
 * Flux Kustomization), or saying that no cluster does.
 *
 * Invariant: only says "not deployed" when the model is sure (see
 * `isUndeployed`); a document no cluster is known to deploy otherwise gets no
 * lens.
 */

import type { CodeLensItem, CodeLensProvider } from './codeLens';
import { gitopsModel } from '../gitops/clusters';
import { isUndeployed, placementsOf } from '../gitops/placement';

const LENS_KINDS: Readonly<Record<string, string>> = {
  HelmRelease: 'helm.toolkit.fluxcd.io',
  Kustomization: 'kustomize.toolkit.fluxcd.io',
};

const deployedByLens: CodeLensProvider = ({ workspace, file }) => {
  const documents = file.resources.filter((resource) => LENS_KINDS[resource.identity.kind] === resource.identity.group);
  if (documents.length === 0) return [];
  const gitops = gitopsModel(workspace);
  if (gitops.clusters.length === 0) return [];
  const placements = placementsOf(workspace, file.path).filter((placement) => placement.cluster >= 0);
  let title: string | undefined;
  if (placements.length > 0) {
    const parts = placements.map((placement) => {
      const cluster = gitops.clusters[placement.cluster].name;
      const via = placement.kustomization ? gitops.kustomizations.get(placement.kustomization)?.name : undefined;
      return via ? `${cluster} (via ${via})` : cluster;
    });
    title = `Deployed to ${[...new Set(parts)].join(', ')}`;
  } else if (isUndeployed(workspace, file.path)) {
    title = 'Not deployed: no cluster of this repository builds this file';
  }
  if (!title) return [];
  const items: CodeLensItem[] = [];
  for (const document of documents) {
    const root = document.parsed.root;
    if (!root) continue;
    items.push({ start: root.start, end: root.start, title });
  }
  return items;
};

export const GITOPS_CODE_LENSES: CodeLensProvider[] = [deployedByLens];
