/**
 * The effective-policy model of one cluster: when a question names a cluster
 * (a `PolicyTest` case's `cluster`, `simulate --cluster`), only the policies
 * whose files that cluster deploys (its placements in the GitOps model) are
 * in force, and the Cilium release that serves that cluster judges them.
 *
 * A name that is not a cluster of the repository is an error that lists the
 * clusters; when the repository has no cluster model at all (no Flux roots,
 * no kustomization folders) there is nothing to scope by and the whole
 * workspace is judged, which the answer says.
 *
 * Pure; memoized per workspace generation; never throws.
 */

import { gitopsModel } from '../gitops/clusters';
import { clustersOf } from '../gitops/placement';
import type { AnalysisOptions } from '../options';
import { clusterCiliumContext } from '../policy/ciliumContext';
import { closestMatches } from '../util/editDistance';
import type { WorkspaceModel } from '../workspace/model';
import type { WorkspaceView } from '../workspace/workspace';
import { ciliumPolicyIndex, type CiliumPolicyIndex } from './ciliumIndex';
import { istioPolicyIndex, type IstioPolicyIndex } from './istioIndex';
import { deriveWithAllOptions } from '../workspace/deriveWith';

export interface ClusterScope {
  name: string;
  /** Index of the cluster in the GitOps model. */
  index: number;
}

export type ClusterResolution =
  /** The cluster exists: judge with its policies. */
  | { kind: 'cluster'; scope: ClusterScope }
  /** The repository models no cluster: the whole workspace is judged. */
  | { kind: 'unmodelled' }
  | { kind: 'error'; error: string };

/** Names of the clusters the repository defines, in model order. */
export function clusterNames(workspace: WorkspaceModel): string[] {
  return gitopsModel(workspace).clusters.map((cluster) => cluster.name);
}

export function resolveCluster(workspace: WorkspaceModel, name: string): ClusterResolution {
  const names = clusterNames(workspace);
  if (names.length === 0) return { kind: 'unmodelled' };
  const index = names.indexOf(name);
  if (index >= 0) return { kind: 'cluster', scope: { name, index } };
  return { kind: 'error', error: unknownClusterMessage(name, names) };
}

/** `cluster "prd" is not a cluster of this repository (clusters: prod, staging); did you mean "prod"?` */
export function unknownClusterMessage(name: string, names: readonly string[]): string {
  const near = closestMatches(name, names);
  const listed = names.length > 6 ? `${names.slice(0, 6).join(', ')} … +${names.length - 6}` : names.join(', ');
  return `cluster "${name}" is not a cluster of this repository (clusters: ${listed})${near.length > 0 ? `; did you mean "${near[0]}"?` : ''}`;
}

/** Does the cluster deploy this file? */
function deploys(workspace: WorkspaceModel, scope: ClusterScope, file: string): boolean {
  return clustersOf(workspace, file).includes(scope.index);
}

/** The Cilium policies in force in a cluster (all of them without a scope), judged by that cluster's Cilium. */
export function ciliumPolicyIndexIn(workspace: WorkspaceView, options: AnalysisOptions, scope: ClusterScope | undefined): CiliumPolicyIndex {
  const all = ciliumPolicyIndex(workspace, options);
  if (!scope) return all;
  return deriveWithAllOptions(workspace, `preview-cilium@${scope.index}:${scope.name}`, options, () => {
    const specs = all.specs.filter((spec) => (spec.clusters === undefined || spec.clusters.includes(scope.index)) && deploys(workspace, scope, spec.file));
    const anyFile = [...gitopsModel(workspace).placements].find(([, placements]) => placements.some((placement) => placement.cluster === scope.index))?.[0];
    return { minor: anyFile ? clusterCiliumContext(workspace, options, anyFile).minor : all.minor, specs };
  });
}

/** The Istio AuthorizationPolicies in force in a cluster (all of them without a scope). */
export function istioPolicyIndexIn(workspace: WorkspaceView, options: AnalysisOptions, scope: ClusterScope | undefined): IstioPolicyIndex {
  const all = istioPolicyIndex(workspace, options);
  if (!scope) return all;
  return deriveWithAllOptions(workspace, `preview-istio@${scope.index}:${scope.name}`, options, () => ({ ...all, policies: all.policies.filter((policy) => (policy.clusters === undefined || policy.clusters.includes(scope.index)) && deploys(workspace, scope, policy.source.file)) }));
}
