/**
 * The effective-policy model of the workspace's workloads: for a workload
 * named `namespace/name` (Deployment, StatefulSet, DaemonSet, Pod, …), what
 * Cilium allows per direction and what Istio enforces inbound, each element
 * with its source. Also: the list of workloads, the workload "under the
 * cursor" (a workload document, or the first workload a policy there
 * selects), and the named container ports of a workload.
 *
 * Results are memoized per workspace generation; nothing here does IO or
 * throws on odd input.
 */

import { deref, mapGet, scalarString } from '../parse/ast';
import type { AnalysisOptions } from '../options';
import type { K8sIndex, WorkloadInfo } from '../policy/k8sIndex';
import type { WorkspaceView } from '../workspace/workspace';
import { previewIndex } from './workloads/previewIndex';
import { ciliumPolicyIndex, subjectMatches, workloadId } from './ciliumIndex';
import { ciliumViewFor } from './ciliumEffective';
import { istioPolicyIndex, type IstioPolicyEntry } from './istioIndex';
import { istioViewFor } from './istioEffective';
import type { EffectivePolicy, WorkloadSummary } from './model';
import { sourceMaker } from './sources';
import { resolveEnd } from './endpoints';
import { ciliumPolicyIndexIn, istioPolicyIndexIn, type ClusterScope } from './clusterScope';
import { originOf } from './workloads/inferredWorkloads';
import { deriveWithAllOptions } from '../workspace/deriveWith';

export { workloadId };

export function listWorkloads(workspace: WorkspaceView): WorkloadSummary[] {
  const index = previewIndex(workspace);
  const makeSource = sourceMaker(workspace);
  const seen = new Set<string>();
  const result: WorkloadSummary[] = [];
  for (const workload of index.workloads) {
    const id = workloadId(workload);
    if (seen.has(id)) continue;
    seen.add(id);
    result.push(summary(workload, makeSource));
  }
  return result.sort((a, b) => a.id.localeCompare(b.id));
}

function summary(workload: WorkloadInfo, makeSource: ReturnType<typeof sourceMaker>): WorkloadSummary {
  return {
    id: workloadId(workload),
    kind: workload.kind,
    name: workload.name,
    namespace: workload.namespace,
    serviceAccount: workload.serviceAccountName,
    podLabels: { ...workload.podLabels },
    source: makeSource(workload.source.file, workload.source.document, workload.source, `${workload.kind} ${workloadId(workload)}`),
    ...originField(workload),
  };
}

function originField(workload: WorkloadInfo): Pick<WorkloadSummary, 'origin'> {
  const origin = originOf(workload);
  return origin ? { origin: { inferred: origin.inferred, from: origin.from, how: origin.how } } : {};
}

/** The first workload with this `namespace/name` (a bare name is looked up in every namespace when unambiguous). */
export function findWorkload(workspace: WorkspaceView, id: string): WorkloadInfo | undefined {
  const index = previewIndex(workspace);
  if (id.includes('/')) {
    const slash = id.indexOf('/');
    return index.workload(id.slice(0, slash), id.slice(slash + 1));
  }
  const matches = index.workloads.filter((workload) => workload.name === id);
  return matches.length === 1 ? matches[0] : undefined;
}

export function effectivePolicy(workspace: WorkspaceView, id: string, options: AnalysisOptions): EffectivePolicy | undefined {
  const workload = findWorkload(workspace, id);
  if (!workload) {
    // A label set (`namespace/key=value,…`) stands for a pod with exactly those labels.
    const end = resolveEnd(workspace, id);
    return end.kind === 'workload' && end.labelSet ? effectivePolicyOf(workspace, end.workload, options) : undefined;
  }
  return effectivePolicyOf(workspace, workload, options);
}

/** The model of one workload object (also a label-set pod that no document declares); with a cluster, only that cluster's policies count. */
export function effectivePolicyOf(workspace: WorkspaceView, workload: WorkloadInfo, options: AnalysisOptions, cluster?: ClusterScope): EffectivePolicy {
  const labels = workload.source.file === '' ? `:${JSON.stringify(workload.podLabels)}:${workload.serviceAccountName}` : '';
  const scoped = cluster ? `@${cluster.index}:${cluster.name}` : '';
  return deriveWithAllOptions(workspace, `preview-effective:${workloadId(workload)}${labels}${scoped}`, options, () => compute(workspace, workload, options, cluster));
}

function compute(workspace: WorkspaceView, workload: WorkloadInfo, options: AnalysisOptions, cluster: ClusterScope | undefined): EffectivePolicy {
  const index = previewIndex(workspace);
  const makeSource = sourceMaker(workspace);
  return {
    workload: summary(workload, makeSource),
    cilium: ciliumViewFor(workload, ciliumPolicyIndexIn(workspace, options, cluster), index),
    istio: istioViewFor(workload, istioPolicyIndexIn(workspace, options, cluster), index, (choice) => {
      const gateway = index.gateway(choice.namespace, choice.name);
      return gateway ? makeSource(gateway.source.file, gateway.source.document, gateway.source, `Gateway ${choice.namespace}/${choice.name}`) : undefined;
    }),
  };
}

/** Named container ports of a workload's pod template (`http` → 8080), lower-cased names. */
export function containerPorts(workspace: WorkspaceView, workload: WorkloadInfo): Record<string, number> {
  const document = workspace.fileResources(workload.source.file).find((resource) => resource.index === workload.source.document);
  const root = deref(document?.parsed.root);
  const spec = deref(mapGet(root, 'spec'));
  const podSpec =
    workload.kind === 'Pod'
      ? spec
      : workload.kind === 'CronJob'
        ? deref(mapGet(deref(mapGet(deref(mapGet(deref(mapGet(spec, 'jobTemplate')), 'spec')), 'template')), 'spec'))
        : deref(mapGet(deref(mapGet(spec, 'template')), 'spec'));
  const ports: Record<string, number> = {};
  for (const list of ['containers', 'initContainers']) {
    const containers = deref(mapGet(podSpec, list));
    if (containers?.type !== 'seq') continue;
    for (const container of containers.items) {
      const portList = deref(mapGet(deref(container), 'ports'));
      if (portList?.type !== 'seq') continue;
      for (const port of portList.items) {
        const name = scalarString(mapGet(deref(port), 'name'));
        const number = Number(scalarString(mapGet(deref(port), 'containerPort')));
        if (name && Number.isInteger(number)) ports[name.toLowerCase()] = number;
      }
    }
  }
  return ports;
}

/** Workloads an AuthorizationPolicy reaches (selector, namespace, mesh, or the workloads behind its targetRefs). */
export function workloadsOfAuthz(policy: IstioPolicyEntry, index: K8sIndex, rootNamespace: string): WorkloadInfo[] {
  const scope = policy.scope;
  if (scope.kind === 'mesh') return [...index.workloads];
  if (scope.kind === 'namespace') return index.workloads.filter((workload) => workload.namespace === policy.namespace);
  if (scope.kind === 'selector') return index.workloadsMatching(scope.inRootNamespace || policy.namespace === rootNamespace ? undefined : policy.namespace, { matchLabels: scope.matchLabels });
  const result: WorkloadInfo[] = [];
  for (const ref of scope.refs) {
    if (ref.kind === 'Service') {
      const service = index.service(policy.namespace, ref.name);
      if (service?.selector && Object.keys(service.selector).length > 0) result.push(...index.workloadsMatching(policy.namespace, { matchLabels: service.selector }));
    } else if (ref.kind === 'Gateway') {
      for (const workload of index.workloads) {
        const namespace = index.namespace(workload.namespace);
        const via = workload.podLabels['istio.io/use-waypoint'] ?? namespace?.useWaypoint;
        if (via === ref.name && workload.namespace === policy.namespace) result.push(workload);
      }
    }
  }
  return [...new Set(result)];
}

/** The workload the cursor is about: the workload document at the offset, or the first workload a policy there selects. */
export function workloadAt(workspace: WorkspaceView, file: string, offset: number, options: AnalysisOptions): string | undefined {
  const yamlFile = workspace.getFile(file);
  if (!yamlFile) return undefined;
  const documentIndex = yamlFile.yaml.documents.findIndex((document) => offset >= document.start && offset <= document.end);
  if (documentIndex === -1) return undefined;
  const index = previewIndex(workspace);
  const own = index.workloads.find((workload) => workload.source.file === file && workload.source.document === documentIndex);
  if (own) return workloadId(own);
  for (const spec of ciliumPolicyIndex(workspace, options).specs) {
    if (spec.file !== file || spec.document !== documentIndex) continue;
    const selected = index.workloads.find((workload) => subjectMatches(spec.subject, workload, index));
    if (selected) return workloadId(selected);
  }
  const istio = istioPolicyIndex(workspace, options);
  for (const policy of istio.policies) {
    if (policy.source.file !== file || policy.source.document !== documentIndex) continue;
    const reached = workloadsOfAuthz(policy, index, istio.rootNamespace)[0];
    if (reached) return workloadId(reached);
  }
  return undefined;
}
