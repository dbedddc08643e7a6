/**
 * Field specs: where kustomize's built-in transformers write (labels,
 * annotations, namespace, name prefix/suffix, images, replicas) and which
 * fields hold references to other objects' names. The defaults below are the
 * facts of kustomize v5's built-in configuration, encoded as
 * `path|kind|group|version|c` rows (`c`: create the field when missing);
 * a kustomization's `configurations:` files add to them.
 *
 * Invariant: `visitFieldSpec` only creates what the spec allows (maps on the
 * way when `create`, the final field through the setter) and never throws on
 * unexpected shapes; a scalar where a map is expected stops the walk.
 */

import type { PathSegment } from './provenance';
import { gvkSelected, isObject, type Gvk, type Json, type JsonObject } from './resource';

export interface FieldSpec {
  group?: string;
  version?: string;
  kind?: string;
  path: string;
  create?: boolean;
}

export interface NameReferenceSpec {
  /** The kind (and group/version) of the object referred to. */
  target: Partial<Gvk>;
  fieldSpecs: FieldSpec[];
}

export interface TransformerConfig {
  namePrefix: FieldSpec[];
  nameSuffix: FieldSpec[];
  namespace: FieldSpec[];
  commonLabels: FieldSpec[];
  labels: FieldSpec[];
  templateLabels: FieldSpec[];
  volumeClaimTemplateLabels: FieldSpec[];
  commonAnnotations: FieldSpec[];
  images: FieldSpec[];
  replicas: FieldSpec[];
  nameReference: NameReferenceSpec[];
}

function rows(text: string): FieldSpec[] {
  return text
    .trim()
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => {
      const [path, kind, group, version, create] = line.split('|');
      const spec: FieldSpec = { path };
      if (kind) spec.kind = kind;
      if (group) spec.group = group;
      if (version) spec.version = version;
      if (create === 'c') spec.create = true;
      return spec;
    });
}

const METADATA_LABELS = rows(`
metadata/labels||||c
spec/template/metadata/labels|ReplicationController||v1|c
spec/template/metadata/labels|Deployment|||c
spec/template/metadata/labels|ReplicaSet|||c
spec/template/metadata/labels|DaemonSet|||c
spec/template/metadata/labels|StatefulSet|apps||c
spec/template/metadata/labels|Job|batch||c
spec/jobTemplate/metadata/labels|CronJob|batch||c
spec/jobTemplate/spec/template/metadata/labels|CronJob|batch||c
`);

const VOLUME_CLAIM_TEMPLATE_LABELS = rows(`
spec/volumeClaimTemplates[]/metadata/labels|StatefulSet|apps||c
`);

const AFFINITY_PATHS = [
  'spec/template/spec/affinity/podAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels',
  'spec/template/spec/affinity/podAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels',
  'spec/template/spec/affinity/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels',
  'spec/template/spec/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels',
  'spec/template/spec/topologySpreadConstraints/labelSelector/matchLabels',
];

const SELECTOR_LABELS: FieldSpec[] = [
  ...rows(`
spec/selector|Service||v1|c
spec/selector|ReplicationController||v1|c
spec/selector/matchLabels|Deployment|||c
`),
  ...AFFINITY_PATHS.map((path) => ({ path, kind: 'Deployment', group: 'apps' })),
  ...rows(`
spec/selector/matchLabels|ReplicaSet|||c
spec/selector/matchLabels|DaemonSet|||c
spec/selector/matchLabels|StatefulSet|apps||c
`),
  ...AFFINITY_PATHS.map((path) => ({ path, kind: 'StatefulSet', group: 'apps' })),
  ...rows(`
spec/selector/matchLabels|Job|batch
spec/jobTemplate/spec/selector/matchLabels|CronJob|batch
spec/selector/matchLabels|PodDisruptionBudget|policy
spec/podSelector/matchLabels|NetworkPolicy|networking.k8s.io
spec/ingress/from/podSelector/matchLabels|NetworkPolicy|networking.k8s.io
spec/egress/to/podSelector/matchLabels|NetworkPolicy|networking.k8s.io
`),
];

const COMMON_ANNOTATIONS = rows(`
metadata/annotations||||c
spec/template/metadata/annotations|ReplicationController||v1|c
spec/template/metadata/annotations|Deployment|||c
spec/template/metadata/annotations|ReplicaSet|||c
spec/template/metadata/annotations|DaemonSet|||c
spec/template/metadata/annotations|StatefulSet|||c
spec/template/metadata/annotations|Job|batch||c
spec/jobTemplate/metadata/annotations|CronJob|batch||c
spec/jobTemplate/spec/template/metadata/annotations|CronJob|batch||c
`);

const NAMESPACE = rows(`
metadata/name|Namespace|||c
spec/service/namespace|APIService|apiregistration.k8s.io||c
spec/conversion/webhook/clientConfig/service/namespace|CustomResourceDefinition|apiextensions.k8s.io
`);

const IMAGES = rows(`
spec/containers[]/image||||c
spec/initContainers[]/image||||c
spec/volumes[]/image/reference||||c
spec/template/spec/containers[]/image||||c
spec/template/spec/initContainers[]/image||||c
spec/template/spec/volumes[]/image/reference||||c
`);

const REPLICAS = rows(`
spec/replicas|Deployment|||c
spec/replicas|ReplicationController|||c
spec/replicas|ReplicaSet|||c
spec/replicas|StatefulSet|||c
`);

/** Pod-spec reference fields, by the prefix at which each workload kind holds its pod spec. */
function podReferences(suffixes: string[]): FieldSpec[] {
  const holders: Array<[string, string, string?]> = [
    ['spec/', 'Pod', 'v1'],
    ['template/spec/', 'PodTemplate'],
    ['spec/template/spec/', 'Deployment'],
    ['spec/template/spec/', 'ReplicaSet'],
    ['spec/template/spec/', 'DaemonSet'],
    ['spec/template/spec/', 'StatefulSet'],
    ['spec/template/spec/', 'Job'],
    ['spec/jobTemplate/spec/template/spec/', 'CronJob'],
  ];
  const result: FieldSpec[] = [];
  for (const [prefix, kind, version] of holders) {
    for (const suffix of suffixes) result.push({ path: prefix + suffix, kind, ...(version ? { version } : {}) });
  }
  return result;
}

const CONFIG_MAP_POD_FIELDS = [
  'volumes/configMap/name',
  'containers/env/valueFrom/configMapKeyRef/name',
  'initContainers/env/valueFrom/configMapKeyRef/name',
  'containers/envFrom/configMapRef/name',
  'initContainers/envFrom/configMapRef/name',
  'volumes/projected/sources/configMap/name',
];

const SECRET_POD_FIELDS = [
  'volumes/secret/secretName',
  'containers/env/valueFrom/secretKeyRef/name',
  'initContainers/env/valueFrom/secretKeyRef/name',
  'containers/envFrom/secretRef/name',
  'initContainers/envFrom/secretRef/name',
  'imagePullSecrets/name',
  'volumes/projected/sources/secret/name',
];

const WORKLOAD_KINDS_FOR_POD_FIELD = ['StatefulSet', 'Deployment', 'ReplicationController', 'Job', 'DaemonSet'];

function workloadField(suffix: string, podKind = true): FieldSpec[] {
  return [
    ...(podKind ? [{ path: `spec/${suffix}`, kind: 'Pod' }] : []),
    ...WORKLOAD_KINDS_FOR_POD_FIELD.map((kind) => ({ path: `spec/template/spec/${suffix}`, kind })),
    { path: `spec/jobTemplate/spec/template/spec/${suffix}`, kind: 'CronJob' },
  ];
}

const NAME_REFERENCE: NameReferenceSpec[] = [
  ...['Deployment', 'ReplicationController', 'ReplicaSet', 'StatefulSet'].map((kind) => ({
    target: { kind },
    fieldSpecs: [{ path: 'spec/scaleTargetRef/name', kind: 'HorizontalPodAutoscaler' }],
  })),
  {
    target: { kind: 'ConfigMap', version: 'v1' },
    fieldSpecs: [
      ...podReferences(CONFIG_MAP_POD_FIELDS),
      ...rows(`
spec/configSource/configMap|Node
rules/resourceNames|Role
rules/resourceNames|ClusterRole
metadata/annotations/nginx.ingress.kubernetes.io\\/fastcgi-params-configmap|Ingress
`),
    ],
  },
  {
    target: { kind: 'Secret', version: 'v1' },
    fieldSpecs: [
      ...podReferences(SECRET_POD_FIELDS),
      ...rows(`
spec/tls/secretName|Ingress
metadata/annotations/ingress.kubernetes.io\\/auth-secret|Ingress
metadata/annotations/nginx.ingress.kubernetes.io\\/auth-secret|Ingress
metadata/annotations/nginx.ingress.kubernetes.io\\/auth-tls-secret|Ingress
imagePullSecrets/name|ServiceAccount
parameters/secretName|StorageClass
parameters/adminSecretName|StorageClass
parameters/userSecretName|StorageClass
parameters/secretRef|StorageClass
rules/resourceNames|Role
rules/resourceNames|ClusterRole
spec/template/spec/containers/env/valueFrom/secretKeyRef/name|Service|serving.knative.dev|v1
spec/azureFile/secretName|PersistentVolume
`),
    ],
  },
  {
    target: { kind: 'Service', version: 'v1' },
    fieldSpecs: rows(`
spec/serviceName|StatefulSet|apps
spec/rules/http/paths/backend/serviceName|Ingress
spec/backend/serviceName|Ingress
spec/rules/http/paths/backend/service/name|Ingress
spec/defaultBackend/service/name|Ingress
spec/service/name|APIService|apiregistration.k8s.io
webhooks/clientConfig/service|ValidatingWebhookConfiguration|admissionregistration.k8s.io
webhooks/clientConfig/service|MutatingWebhookConfiguration|admissionregistration.k8s.io
`),
  },
  { target: { kind: 'Role', group: 'rbac.authorization.k8s.io' }, fieldSpecs: rows('roleRef/name|RoleBinding|rbac.authorization.k8s.io') },
  {
    target: { kind: 'ClusterRole', group: 'rbac.authorization.k8s.io' },
    fieldSpecs: rows(`
roleRef/name|RoleBinding|rbac.authorization.k8s.io
roleRef/name|ClusterRoleBinding|rbac.authorization.k8s.io
`),
  },
  {
    target: { kind: 'ServiceAccount', version: 'v1' },
    fieldSpecs: [
      ...rows(`
subjects|RoleBinding|rbac.authorization.k8s.io
subjects|ClusterRoleBinding|rbac.authorization.k8s.io
spec/serviceAccountName|Pod
`),
      ...workloadField('serviceAccountName', false),
    ],
  },
  { target: { kind: 'PersistentVolumeClaim', version: 'v1' }, fieldSpecs: workloadField('volumes/persistentVolumeClaim/claimName') },
  {
    target: { kind: 'PersistentVolume', version: 'v1' },
    fieldSpecs: rows(`
spec/volumeName|PersistentVolumeClaim
rules/resourceNames|ClusterRole
`),
  },
  {
    target: { kind: 'StorageClass', version: 'v1', group: 'storage.k8s.io' },
    fieldSpecs: rows(`
spec/storageClassName|PersistentVolume
spec/storageClassName|PersistentVolumeClaim
spec/volumeClaimTemplates/spec/storageClassName|StatefulSet
`),
  },
  { target: { kind: 'PriorityClass', version: 'v1', group: 'scheduling.k8s.io' }, fieldSpecs: workloadField('priorityClassName') },
  { target: { kind: 'IngressClass', version: 'v1', group: 'networking.k8s.io/v1' }, fieldSpecs: rows('spec/ingressClassName|Ingress') },
  {
    target: { kind: 'ValidatingAdmissionPolicy', group: 'admissionregistration.k8s.io' },
    fieldSpecs: rows('spec/policyName|ValidatingAdmissionPolicyBinding|admissionregistration.k8s.io'),
  },
];

export function defaultTransformerConfig(): TransformerConfig {
  return {
    namePrefix: [{ path: 'metadata/name' }],
    nameSuffix: [{ path: 'metadata/name' }],
    namespace: [...NAMESPACE],
    commonLabels: [...SELECTOR_LABELS, ...METADATA_LABELS, ...VOLUME_CLAIM_TEMPLATE_LABELS],
    labels: [],
    templateLabels: [...METADATA_LABELS],
    volumeClaimTemplateLabels: [...VOLUME_CLAIM_TEMPLATE_LABELS],
    commonAnnotations: [...COMMON_ANNOTATIONS],
    images: [...IMAGES],
    replicas: [...REPLICAS],
    nameReference: NAME_REFERENCE.map((entry) => ({ target: entry.target, fieldSpecs: [...entry.fieldSpecs] })),
  };
}

function sameSpec(a: FieldSpec, b: FieldSpec): boolean {
  return a.path === b.path && (a.kind ?? '') === (b.kind ?? '') && (a.group ?? '') === (b.group ?? '') && (a.version ?? '') === (b.version ?? '');
}

/** Adds specs not already present (kustomize's FsSlice.MergeAll; a duplicate with a different `create` keeps the first). */
export function mergeFieldSpecs(into: FieldSpec[], more: readonly FieldSpec[]): FieldSpec[] {
  const result = [...into];
  for (const spec of more) if (!result.some((existing) => sameSpec(existing, spec))) result.push(spec);
  return result;
}

export function mergeTransformerConfig(into: TransformerConfig, more: Partial<TransformerConfig>): TransformerConfig {
  const result: TransformerConfig = { ...into };
  for (const key of ['namePrefix', 'nameSuffix', 'namespace', 'commonLabels', 'labels', 'templateLabels', 'volumeClaimTemplateLabels', 'commonAnnotations', 'images', 'replicas'] as const) {
    if (more[key]) result[key] = mergeFieldSpecs(into[key], more[key]!);
  }
  if (more.nameReference) {
    const merged = into.nameReference.map((entry) => ({ target: entry.target, fieldSpecs: [...entry.fieldSpecs] }));
    for (const entry of more.nameReference) {
      const existing = merged.find(
        (candidate) =>
          (candidate.target.kind ?? '') === (entry.target.kind ?? '') &&
          (candidate.target.group ?? '') === (entry.target.group ?? '') &&
          (candidate.target.version ?? '') === (entry.target.version ?? ''),
      );
      if (existing) existing.fieldSpecs = mergeFieldSpecs(existing.fieldSpecs, entry.fieldSpecs);
      else merged.push({ target: entry.target, fieldSpecs: [...entry.fieldSpecs] });
    }
    result.nameReference = merged;
  }
  return result;
}

/** Reads a field spec list from kustomization/configuration YAML values. */
export function fieldSpecsFromJson(value: unknown): FieldSpec[] {
  if (!Array.isArray(value)) return [];
  const result: FieldSpec[] = [];
  for (const entry of value) {
    if (!isObject(entry) || typeof entry.path !== 'string') continue;
    const spec: FieldSpec = { path: entry.path };
    if (typeof entry.kind === 'string' && entry.kind) spec.kind = entry.kind;
    if (typeof entry.group === 'string' && entry.group) spec.group = entry.group;
    if (typeof entry.version === 'string' && entry.version) spec.version = entry.version;
    if (entry.create === true) spec.create = true;
    result.push(spec);
  }
  return result;
}

/** Reads a `configurations:` file's value into a partial transformer config. */
export function transformerConfigFromJson(value: unknown): Partial<TransformerConfig> {
  if (!isObject(value)) return {};
  const result: Partial<TransformerConfig> = {};
  for (const key of ['namePrefix', 'nameSuffix', 'namespace', 'commonLabels', 'labels', 'templateLabels', 'volumeClaimTemplateLabels', 'commonAnnotations', 'images', 'replicas'] as const) {
    if (value[key] !== undefined) result[key] = fieldSpecsFromJson(value[key]);
  }
  if (Array.isArray(value.nameReference)) {
    result.nameReference = value.nameReference.filter(isObject).map((entry) => ({
      target: {
        ...(typeof entry.kind === 'string' ? { kind: entry.kind } : {}),
        ...(typeof entry.group === 'string' && entry.group ? { group: entry.group } : {}),
        ...(typeof entry.version === 'string' && entry.version ? { version: entry.version } : {}),
      },
      fieldSpecs: fieldSpecsFromJson(entry.fieldSpecs),
    }));
  }
  return result;
}

export function splitFieldPath(path: string): string[] {
  const result: string[] = [];
  let current = '';
  for (let index = 0; index < path.length; index++) {
    const char = path[index];
    if (char === '\\' && path[index + 1] === '/') {
      current += '/';
      index++;
    } else if (char === '/') {
      result.push(current);
      current = '';
    } else current += char;
  }
  result.push(current);
  return result;
}

export function specApplies(spec: FieldSpec, gvk: Gvk): boolean {
  return gvkSelected(gvk, { kind: spec.kind, group: spec.group, version: spec.version });
}

export type CreateKind = 'map' | 'scalar' | undefined;

/**
 * Visits the field(s) a spec names in `value` (lists on the way are entered
 * element by element). `visit` gets the container, key and path of the field;
 * the field may be missing when `create` allows a scalar to be written.
 */
export function visitFieldSpec(
  value: JsonObject,
  spec: FieldSpec,
  createKind: CreateKind,
  visit: (container: JsonObject | Json[], key: string | number, path: PathSegment[]) => void,
): void {
  const segments = splitFieldPath(spec.path);
  const create = Boolean(spec.create) && createKind !== undefined;
  const walk = (node: Json | undefined, index: number, path: PathSegment[]): void => {
    if (node === null || node === undefined) return;
    if (Array.isArray(node)) {
      node.forEach((item, position) => {
        if (index === segments.length) visit(node, position, [...path, position]);
        else walk(item, index, [...path, position]);
      });
      return;
    }
    if (!isObject(node)) return;
    const raw = segments[index];
    const isSequence = raw.endsWith('[]');
    const name = isSequence ? raw.slice(0, -2) : raw;
    if (name === '') return;
    const last = index === segments.length - 1;
    let child = node[name];
    if (child === undefined || child === null) {
      if (!create || isSequence) {
        if (child === null && last) visit(node, name, [...path, name]);
        return;
      }
      if (!last) {
        node[name] = {};
      } else if (createKind === 'map') {
        node[name] = {};
      }
      child = node[name];
    }
    if (last) {
      visit(node, name, [...path, name]);
      return;
    }
    walk(child, index + 1, [...path, name]);
  };
  walk(value, 0, []);
}
