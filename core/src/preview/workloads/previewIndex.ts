/**
 * The Kubernetes index the effective-policy preview reads: the workspace's
 * k8s index (declared objects, namespaces as the index resolves them) with
 * the workloads the repository implies (`inferredWorkloads.ts`) and the ones
 * users write in `Workloads` documents (`declaredWorkloads.ts`) added to its
 * workload list. Every lookup of the index (by namespace, by labels, by name)
 * then sees them, so CodeLenses, hover, `effective` and `simulate` treat an
 * app-template controller like a Deployment — while `originOf` tells them it
 * is inferred.
 *
 * Precedence for one `namespace/name`: a declared Kubernetes object, then a
 * `Workloads` entry, then an inferred workload. Rules outside the preview keep
 * reading the plain k8s index. Memoized per workspace generation.
 */

import { indexView, k8sIndexData, type K8sIndex, type K8sIndexData } from '../../policy/k8sIndex';
import type { WorkspaceModel } from '../../workspace/model';
import { declaredWorkloads } from './declaredWorkloads';
import { inferWorkloads, type PreviewWorkload } from './inferredWorkloads';

export function previewIndex(workspace: WorkspaceModel): K8sIndex {
  return indexView(workspace.derive('preview-workload-index', () => buildPreviewIndexData(workspace)));
}

function buildPreviewIndexData(workspace: WorkspaceModel): K8sIndexData {
  const base = k8sIndexData(workspace);
  const baseIndex = indexView(base);
  const taken = new Set(base.workloads.map((workload) => `${workload.namespace}/${workload.name}`));
  const declared = declaredWorkloads(workspace, baseIndex);
  const replaced = new Set(declared.replaced);
  const added: PreviewWorkload[] = [];
  for (const workload of declared.workloads) {
    const id = `${workload.namespace}/${workload.name}`;
    if (taken.has(id)) continue;
    taken.add(id);
    added.push(workload);
  }
  for (const workload of inferWorkloads(workspace, baseIndex)) {
    const id = `${workload.namespace}/${workload.name}`;
    if (taken.has(id) || replaced.has(id)) continue;
    taken.add(id);
    added.push(workload);
  }
  if (added.length === 0) return base;
  return { ...base, workloads: [...base.workloads, ...added], hasKubernetesObjects: true };
}
