/**
 * Workloads the repository implies without declaring them: the pods that
 * HelmReleases, kustomize `helmCharts` entries and Gateway API `Gateway`s
 * create once deployed. Each one is marked `inferred` and says where it comes
 * from and by which convention its labels were derived, so the preview never
 * presents a guess as a declared object.
 *
 * Conventions applied (checked against the charts' own templates):
 * - bjw-s `app-template` (any version): one workload per enabled entry of
 *   `controllers`; pods labelled `app.kubernetes.io/name` = `global.nameOverride`
 *   (the chart sets it to the release name when unset), `app.kubernetes.io/instance`
 *   = release name, `app.kubernetes.io/controller` = the controller key, plus
 *   `defaultPodOptions.labels` overlaid by the controller's `pod.labels`, its
 *   `extraSelectorLabels`, and `global.labels` when `global.propagateGlobalMetadataToPods`.
 * - Istio `gateway` chart: `app` and `app.kubernetes.io/name` = `name` value or
 *   release name, `istio` = that name without an `istio-` prefix,
 *   `app.kubernetes.io/instance` = release name, plus the `labels` value; an
 *   enforcement point in the mesh.
 * - Any other chart: the Kubernetes recommended labels most charts put on pods,
 *   `app.kubernetes.io/name` = `nameOverride` or the chart name and
 *   `app.kubernetes.io/instance` = release name.
 * - Gateway API `Gateway` (not waypoints): one gateway deployment labelled
 *   `gateway.networking.k8s.io/gateway-name` (the Gateway API convention for
 *   generated infrastructure); Istio classes add `istio.io/gateway-name` and run
 *   in the Gateway's namespace; Envoy Gateway classes add its owning-gateway
 *   labels and run in the controller's namespace unless the Envoy Gateway
 *   release deploys with `GatewayNamespace`.
 * Flux release names follow helm-controller: `spec.releaseName`, else
 * `[<targetNamespace>-]<name>`; pods run in `spec.targetNamespace`, else the
 * HelmRelease's namespace (read through the k8s index, the one namespace
 * resolver).
 *
 * Pure: reads the workspace model only; never throws (a release that cannot be
 * read contributes nothing).
 */

import { deref, mapGet, mapGetPair, scalarString } from '../../parse/ast';
import { resolveChartSource } from '../../flux/chartSource';
import { effectiveValues } from '../../helm/effectiveValues';
import type { K8sIndex, WorkloadInfo, WorkloadKind } from '../../policy/k8sIndex';
import type { IndexedDocument, WorkspaceModel } from '../../workspace/model';
import { containedError } from '../../util/containedErrors';

/** Where a workload of the preview comes from. */
export interface WorkloadOrigin {
  /** True for workloads derived from other objects (not a Deployment, Pod… in the repository). */
  inferred: boolean;
  /** `HelmRelease media/jellyfin`, `Gateway network/envoy-internal`, `Workloads extra`. */
  from: string;
  /** The convention or declaration that gave the labels. */
  how: string;
  /** The object is an ingress/egress gateway (an Envoy that enforces AuthorizationPolicies). */
  gateway?: boolean;
}

/** A workload of the preview: a declared one, or one inferred or written in a `Workloads` document. */
export interface PreviewWorkload extends WorkloadInfo {
  origin?: WorkloadOrigin;
}

export function originOf(workload: WorkloadInfo): WorkloadOrigin | undefined {
  return (workload as PreviewWorkload).origin;
}

const APP_TEMPLATE = 'app-template';
const CONTROLLER_KINDS: Record<string, WorkloadKind> = { deployment: 'Deployment', statefulset: 'StatefulSet', daemonset: 'DaemonSet', cronjob: 'CronJob', job: 'Job' };

export function inferWorkloads(workspace: WorkspaceModel, index: K8sIndex): PreviewWorkload[] {
  const result: PreviewWorkload[] = [];
  const envoyGatewayMode = envoyGatewayDeployment(workspace, index);
  for (const release of workspace.byKind('HelmRelease')) {
    if (!release.identity.apiVersion?.startsWith('helm.toolkit.fluxcd.io/')) continue;
    try {
      result.push(...fromHelmRelease(workspace, index, release));
    } catch (error) {
      containedError('preview/inferred-workloads', error);
      // A release that cannot be read implies nothing.
    }
  }
  for (const gateway of index.gateways) {
    if (gateway.isWaypoint) continue;
    const className = gateway.gatewayClassName ?? '';
    const envoy = /envoy/i.test(className) || envoyGatewayMode.classes.has(className);
    const istio = !envoy && /istio/i.test(className);
    const namespace = envoy && !envoyGatewayMode.gatewayNamespace ? envoyGatewayMode.controllerNamespace : gateway.namespace;
    const podLabels: Record<string, string> = { 'gateway.networking.k8s.io/gateway-name': gateway.name };
    if (istio) podLabels['istio.io/gateway-name'] = gateway.name;
    if (envoy) {
      podLabels['gateway.envoyproxy.io/owning-gateway-name'] = gateway.name;
      podLabels['gateway.envoyproxy.io/owning-gateway-namespace'] = gateway.namespace;
      podLabels['app.kubernetes.io/name'] = 'envoy';
      podLabels['app.kubernetes.io/component'] = 'proxy';
      podLabels['app.kubernetes.io/managed-by'] = 'envoy-gateway';
    }
    const name = istio ? `${gateway.name}-${className}` : envoy ? `envoy-${gateway.namespace}-${gateway.name}` : gateway.name;
    result.push({
      kind: 'Deployment',
      name,
      namespace,
      namespaceOrigin: 'metadata',
      labels: {},
      podLabels,
      serviceAccountName: istio ? name : 'default',
      source: gateway.source,
      origin: {
        inferred: true,
        from: `Gateway ${gateway.namespace}/${gateway.name}`,
        how: istio
          ? `deployment Istio generates for class ${className}`
          : envoy
            ? `Envoy Gateway proxy for class ${className}${namespace === gateway.namespace ? ' (GatewayNamespace mode)' : ` in the controller namespace ${namespace}`}`
            : `gateway deployment labelled by the Gateway API convention (class ${className || 'unset'})`,
        gateway: istio,
      },
    });
  }
  return result;
}

// ---------------------------------------------------------------- HelmReleases

interface ReleaseFacts {
  releaseName: string;
  namespace: string;
  chart?: string;
  sourceUrl?: string;
  values: Record<string, unknown>;
  label: string;
}

function releaseFacts(workspace: WorkspaceModel, index: K8sIndex, release: IndexedDocument): ReleaseFacts | undefined {
  const name = release.identity.name;
  if (!name || name.includes('${')) return undefined;
  const spec = deref(mapGet(release.parsed.root, 'spec'));
  const namespace = index.effectiveNamespace(release.file, release.identity.namespace).namespace;
  const targetNamespace = scalarString(mapGet(spec, 'targetNamespace'));
  const releaseName = scalarString(mapGet(spec, 'releaseName')) ?? (targetNamespace ? `${targetNamespace}-${name}` : name);
  const podNamespace = targetNamespace ?? namespace;
  if (releaseName.includes('${') || podNamespace.includes('${')) return undefined;
  const chart = resolveChartSource(workspace, release);
  const values = effectiveValues(workspace, release).value;
  return { releaseName, namespace: podNamespace, chart: chart.chartName, sourceUrl: chart.url, values, label: `HelmRelease ${namespace}/${name}` };
}

function fromHelmRelease(workspace: WorkspaceModel, index: K8sIndex, release: IndexedDocument): PreviewWorkload[] {
  const facts = releaseFacts(workspace, index, release);
  if (!facts || !facts.chart || facts.chart.includes('${')) return [];
  const source = releaseSource(release);
  if (facts.chart === APP_TEMPLATE) return appTemplateWorkloads(facts, source);
  if (facts.chart === 'gateway' && (facts.sourceUrl ?? '').includes('istio')) return [istioGatewayWorkload(facts, source)];
  return [genericChartWorkload(facts, source)];
}

function releaseSource(release: IndexedDocument): WorkloadInfo['source'] {
  const root = deref(release.parsed.root);
  const namePair = mapGetPair(deref(mapGet(root, 'metadata')), 'name');
  const anchor = namePair?.value ?? root;
  return { file: release.file, document: release.index, start: anchor?.start ?? 0, end: anchor?.end ?? 0, documentStart: root?.start ?? 0, documentEnd: root?.end ?? 0 };
}

function object(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function stringMap(value: unknown): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, item] of Object.entries(object(value) ?? {})) {
    if (typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean') result[key] = String(item);
  }
  return result;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : undefined;
}

function appTemplateWorkloads(facts: ReleaseFacts, source: WorkloadInfo['source']): PreviewWorkload[] {
  const values = facts.values;
  const global = object(values.global) ?? {};
  const appName = text(global.nameOverride) ?? facts.releaseName;
  const fullname = text(global.fullnameOverride) ?? (facts.releaseName.includes(appName) ? facts.releaseName : `${facts.releaseName}-${appName}`);
  const defaultPod = object(values.defaultPodOptions) ?? {};
  const globalLabels = global.propagateGlobalMetadataToPods === true ? stringMap(global.labels) : {};
  const controllers = Object.entries(object(values.controllers) ?? {}).filter(([, controller]) => object(controller)?.enabled !== false);
  const result: PreviewWorkload[] = [];
  for (const [identifier, raw] of controllers) {
    const controller = object(raw) ?? {};
    const pod = object(controller.pod) ?? {};
    const podLabels: Record<string, string> = {
      ...globalLabels,
      ...stringMap(defaultPod.labels),
      ...stringMap(pod.labels),
      'app.kubernetes.io/name': appName,
      'app.kubernetes.io/instance': facts.releaseName,
      'app.kubernetes.io/controller': identifier,
      ...stringMap(controller.extraSelectorLabels),
    };
    const kind = CONTROLLER_KINDS[(text(controller.type) ?? 'deployment').toLowerCase()] ?? 'Deployment';
    const name = controllers.length === 1 || identifier === appName ? fullname : `${fullname}-${identifier}`;
    result.push(inferredWorkload(facts, source, { kind, name, podLabels, serviceAccountName: appTemplateServiceAccount(values, controller, fullname) }, `app-template controller "${identifier}"`));
  }
  return result;
}

function appTemplateServiceAccount(values: Record<string, unknown>, controller: Record<string, unknown>, fullname: string): string {
  const reference = object(controller.serviceAccount);
  const named = text(reference?.name);
  if (named) return named;
  const identifier = text(reference?.identifier);
  if (identifier) return text(object(object(values.serviceAccount)?.[identifier])?.name) ?? `${fullname}-${identifier}`;
  const pod = object(controller.pod) ?? {};
  const fromPod = text(pod.serviceAccountName) ?? text(object(values.defaultPodOptions)?.serviceAccountName);
  if (fromPod) return fromPod;
  const single = object(values.serviceAccount);
  if (single && single.create === true) return text(single.name) ?? fullname;
  return 'default';
}

function istioGatewayWorkload(facts: ReleaseFacts, source: WorkloadInfo['source']): PreviewWorkload {
  const name = text(facts.values.name) ?? facts.releaseName;
  const podLabels: Record<string, string> = {
    ...stringMap(facts.values.labels),
    app: name,
    istio: name.replace(/^istio-/, ''),
    'app.kubernetes.io/name': name,
    'app.kubernetes.io/instance': facts.releaseName,
  };
  const kind = text(facts.values.kind) === 'DaemonSet' ? 'DaemonSet' : 'Deployment';
  return inferredWorkload(facts, source, { kind, name, podLabels, serviceAccountName: text(object(facts.values.serviceAccount)?.name) ?? name }, 'Istio gateway chart', true);
}

function genericChartWorkload(facts: ReleaseFacts, source: WorkloadInfo['source']): PreviewWorkload {
  const name = text(facts.values.nameOverride) ?? facts.chart!;
  return inferredWorkload(
    facts,
    source,
    {
      kind: 'Deployment',
      name: facts.releaseName,
      podLabels: { ...extraPodLabels(facts.values), 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': facts.releaseName },
      serviceAccountName: text(object(facts.values.serviceAccount)?.name) ?? 'default',
    },
    `chart ${facts.chart}: recommended labels app.kubernetes.io/name and instance, plus podLabels values (the chart may label its pods otherwise)`,
  );
}

/** A workload a HelmRelease implies: in the release's namespace, marked inferred, saying from what and how. */
function inferredWorkload(
  facts: ReleaseFacts,
  source: WorkloadInfo['source'],
  workload: Pick<PreviewWorkload, 'kind' | 'name' | 'podLabels' | 'serviceAccountName'>,
  how: string,
  gateway = false,
): PreviewWorkload {
  return { ...workload, namespace: facts.namespace, namespaceOrigin: 'metadata', labels: {}, source, origin: { inferred: true, from: facts.label, how, ...(gateway ? { gateway: true } : {}) } };
}

/** Pod labels charts commonly take from values: `podLabels`, and a pod `template.metadata.labels` (runner scale sets). */
function extraPodLabels(values: Record<string, unknown>): Record<string, string> {
  return { ...stringMap(values.podLabels), ...stringMap(object(object(values.template)?.metadata)?.labels) };
}

// ---------------------------------------------------------------- Envoy Gateway deployment mode

interface EnvoyGatewayMode {
  gatewayNamespace: boolean;
  controllerNamespace: string;
  classes: Set<string>;
}

/** Where Envoy Gateway puts proxies: its own namespace, unless its release deploys with `GatewayNamespace`. */
function envoyGatewayDeployment(workspace: WorkspaceModel, index: K8sIndex): EnvoyGatewayMode {
  const mode: EnvoyGatewayMode = { gatewayNamespace: false, controllerNamespace: 'envoy-gateway-system', classes: new Set() };
  for (const gatewayClass of workspace.byKind('GatewayClass')) {
    const controller = scalarString(mapGet(deref(mapGet(gatewayClass.parsed.root, 'spec')), 'controllerName'));
    if (controller?.startsWith('gateway.envoyproxy.io/') && gatewayClass.identity.name) mode.classes.add(gatewayClass.identity.name);
  }
  for (const release of workspace.byKind('HelmRelease')) {
    try {
      const facts = releaseFacts(workspace, index, release);
      if (facts?.chart !== 'gateway-helm') continue;
      mode.controllerNamespace = facts.namespace;
      const deploy = object(object(object(object(object(facts.values.config)?.envoyGateway)?.provider)?.kubernetes)?.deploy);
      if (text(deploy?.type) === 'GatewayNamespace') mode.gatewayNamespace = true;
    } catch (error) {
      containedError('preview/inferred-workloads', error);
      // Unknown release: keep the default mode.
    }
  }
  return mode;
}
