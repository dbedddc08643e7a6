/**
 * Facts about kinds that Kustomization health checks name: the API version
 * to write for well-known kinds, which kinds the controller's `apps/v1`
 * default covers, and which kinds are cluster-scoped (need no namespace).
 */

import { mapGet, scalarString, type YamlNode } from '../../parse/ast';
import { isFluxKind } from '../../flux/fluxObjects';
import type { ResourceIdentity } from '../../resources/identify';

/** Kinds served by `apps/v1`: a health check without apiVersion finds these. */
export const APPS_V1_KINDS: ReadonlySet<string> = new Set(['Deployment', 'DaemonSet', 'StatefulSet', 'ReplicaSet', 'ControllerRevision']);

export const KNOWN_API_VERSIONS: Readonly<Record<string, string>> = {
  HelmRelease: 'helm.toolkit.fluxcd.io/v2',
  Kustomization: 'kustomize.toolkit.fluxcd.io/v1',
  GitRepository: 'source.toolkit.fluxcd.io/v1',
  HelmRepository: 'source.toolkit.fluxcd.io/v1',
  HelmChart: 'source.toolkit.fluxcd.io/v1',
  OCIRepository: 'source.toolkit.fluxcd.io/v1',
  Bucket: 'source.toolkit.fluxcd.io/v1',
  Service: 'v1',
  ConfigMap: 'v1',
  Secret: 'v1',
  Pod: 'v1',
  ServiceAccount: 'v1',
  PersistentVolumeClaim: 'v1',
  PersistentVolume: 'v1',
  Namespace: 'v1',
  Job: 'batch/v1',
  CronJob: 'batch/v1',
  Ingress: 'networking.k8s.io/v1',
  CustomResourceDefinition: 'apiextensions.k8s.io/v1',
  HorizontalPodAutoscaler: 'autoscaling/v2',
  PodDisruptionBudget: 'policy/v1',
};

export const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  'Namespace',
  'Node',
  'PersistentVolume',
  'CustomResourceDefinition',
  'ClusterRole',
  'ClusterRoleBinding',
  'StorageClass',
  'PriorityClass',
  'IngressClass',
  'RuntimeClass',
  'CSIDriver',
  'APIService',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'GatewayClass',
  'ClusterIssuer',
  'CiliumClusterwideNetworkPolicy',
  'CiliumLoadBalancerIPPool',
  'CiliumBGPClusterConfig',
  'CiliumNodeConfig',
  'ClusterSecretStore',
]);

export interface HealthCheckEntry {
  node: YamlNode;
  kind?: string;
  name?: string;
  apiVersion?: string;
  namespace?: string;
}

/** The `spec.healthChecks` entries of a Flux Kustomization (empty for anything else). */
export function healthCheckEntries(identity: ResourceIdentity | undefined, root: YamlNode | undefined): HealthCheckEntry[] {
  if (!isFluxKind(identity, 'Kustomization')) return [];
  const list = mapGet(mapGet(root, 'spec'), 'healthChecks');
  if (list?.type !== 'seq') return [];
  return list.items
    .filter((item) => item.type === 'map')
    .map((item) => ({
      node: item,
      kind: scalarString(mapGet(item, 'kind')),
      name: scalarString(mapGet(item, 'name')),
      apiVersion: scalarString(mapGet(item, 'apiVersion')),
      namespace: scalarString(mapGet(item, 'namespace')),
    }));
}
