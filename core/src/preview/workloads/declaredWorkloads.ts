/**
 * Workloads a user writes down for the preview: `meshlens.dev/v1alpha1`
 * `Workloads` documents, each entry a pod class with its namespace, labels
 * and service account. An entry adds a workload the repository does not show
 * (pods of a chart meshlens cannot render, something deployed elsewhere) or
 * corrects an inferred one: an entry with the same `namespace/name` as an
 * inferred workload replaces it, and `replaces: namespace/name` removes the
 * named inferred workload.
 *
 * Pure; entries without a name are skipped (the schema reports them).
 */

import { deref, mapGet, scalarString, type YamlNode } from '../../parse/ast';
import { readLabels, type K8sIndex, type WorkloadKind } from '../../policy/k8sIndex';
import type { WorkspaceModel } from '../../workspace/model';
import type { PreviewWorkload } from './inferredWorkloads';

export const WORKLOADS_API_VERSION = 'meshlens.dev/v1alpha1';
export const WORKLOADS_KIND = 'Workloads';

const KINDS: readonly WorkloadKind[] = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Pod', 'Job', 'CronJob'];

export interface DeclaredWorkloads {
  workloads: PreviewWorkload[];
  /** `namespace/name` of inferred workloads that entries replace. */
  replaced: string[];
}

export function declaredWorkloads(workspace: WorkspaceModel, index: K8sIndex): DeclaredWorkloads {
  const result: DeclaredWorkloads = { workloads: [], replaced: [] };
  for (const document of workspace.byKind(WORKLOADS_KIND)) {
    if (document.identity.apiVersion !== WORKLOADS_API_VERSION) continue;
    const documentNamespace = index.effectiveNamespace(document.file, document.identity.namespace).namespace;
    const list = deref(mapGet(deref(mapGet(document.parsed.root, 'spec')), 'workloads'));
    if (list?.type !== 'seq') continue;
    const root = deref(document.parsed.root);
    for (const item of list.items) {
      const entry = deref(item);
      const name = scalarString(mapGet(entry, 'name'));
      if (!entry || entry.type !== 'map' || !name) continue;
      const namespace = scalarString(mapGet(entry, 'namespace')) ?? documentNamespace;
      const kindText = scalarString(mapGet(entry, 'kind'));
      const kind = KINDS.find((candidate) => candidate === kindText) ?? 'Deployment';
      const replaces = scalarString(mapGet(entry, 'replaces'));
      if (replaces) result.replaced.push(replaces.includes('/') ? replaces : `${namespace}/${replaces}`);
      result.workloads.push({
        kind,
        name,
        namespace,
        namespaceOrigin: 'metadata',
        labels: {},
        podLabels: readLabels(mapGet(entry, 'labels')),
        serviceAccountName: scalarString(mapGet(entry, 'serviceAccount')) ?? 'default',
        source: sourceOf(document.file, document.index, entry, root),
        origin: { inferred: false, from: `Workloads ${document.identity.name ?? ''}`.trim(), how: 'declared in a Workloads document', ...(gatewayFlag(entry) ? { gateway: true } : {}) },
      });
    }
  }
  return result;
}

function gatewayFlag(entry: YamlNode): boolean {
  return scalarString(mapGet(entry, 'gateway')) === 'true';
}

function sourceOf(file: string, document: number, entry: YamlNode, root: YamlNode | undefined): PreviewWorkload['source'] {
  return { file, document, start: entry.start, end: entry.end, documentStart: root?.start ?? 0, documentEnd: root?.end ?? 0 };
}
