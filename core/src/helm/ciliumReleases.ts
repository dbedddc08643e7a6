/**
 * The canonical list of HelmReleases that install the Cilium chart, with the
 * chart version each one means and its effective values.
 *
 * A release is a Cilium release when its chart resolves (through
 * `resolveChartSource`, which follows `sourceRef`/`chartRef` with Flux's
 * namespace defaulting) to the chart named `cilium`: `spec.chart.spec.chart:
 * cilium` from a HelmRepository, an OCIRepository whose URL ends in
 * `/cilium`, a HelmChart for `cilium`, or a chart folder named `cilium`. When
 * a `chartRef` OCIRepository is not in the workspace, its name `cilium` is
 * taken as the hint.
 *
 * The version: `spec.chart.spec.version` or the OCIRepository `ref.semver` /
 * `ref.tag` (exact, or a range: the highest known version in range); for a
 * chart folder, its Chart.yaml; none: the newest known catalog, and the note
 * says so.
 *
 * Each release also carries what the Flux rules read from its values (the
 * agent DaemonSet and operator Deployment names, the namespace the chart
 * installs to, kube-proxy replacement, CNI chaining), and `ciliumReleaseFor`
 * says which release serves a file: the one deployed by a cluster that
 * deploys the file (`gitops/placement`), else the workspace's (kube-system
 * first). This is the one place that answers "which Cilium is installed
 * where" (the former `flux/ciliumReleases` is merged here).
 *
 * Per cluster: a release deployed by Flux is judged as each cluster's build
 * makes it (`gitops/clusterBuild`): values and chart version after overlay
 * patches, components, Flux `spec.patches` and post-build substitution, and
 * `valuesFrom` ConfigMaps generated anywhere in the same build. Clusters whose
 * builds give the same chart version and values share one entry; `clusters`
 * lists them. A release no cluster builds is judged as written.
 *
 * Invariants: memoized per workspace generation; kustomize patch fragments
 * are not releases; never throws.
 */

import { mapGet, scalarString } from '../parse/ast';
import type { IndexedDocument, WorkspaceModel } from '../workspace/model';
import { resolveCiliumChartVersion, type ResolvedChartVersion } from '../cilium/valuesCatalog';
import { resolveChartSource, type ChartSourceResolution } from '../flux/chartSource';
import { isFluxDocument } from '../flux/fluxObjects';
import { clustersOf, documentNamespaces, isPatchDocument, singleNamespace } from '../gitops/placement';
import { builtInstances, type BuiltInstance } from '../gitops/clusterBuild';
import { effectiveValues, type EffectiveValues } from './effectiveValues';
import { builtEffectiveValues, valuesUnchangedByBuild } from './builtValues';
import { localChartFiles } from './chartFiles';
import { containedError } from '../util/containedErrors';

export interface CiliumRelease {
  document: IndexedDocument;
  version: ResolvedChartVersion;
  values: EffectiveValues;
  chart: ChartSourceResolution;
  /** Agent DaemonSet name (chart value `name`, default `cilium`). */
  agentName: string;
  /** `cilium-operator` when the operator is enabled (the chart does not derive it from `name`), else undefined. */
  operatorName?: string;
  /** Where the chart's workloads land: `namespaceOverride`, `targetNamespace`, the release's namespace in the build. */
  namespace?: string;
  /** `kubeProxyReplacement` as set (true, "true", "strict", …), undefined when unset. */
  kubeProxyReplacement?: unknown;
  /** Cilium runs chained behind another CNI (`cni.chainingMode` / `cni.customConf`). */
  chained: boolean;
  /** The clusters whose builds give this chart version and these values (undefined: judged as written, no cluster build). */
  clusters?: number[];
  clusterNames?: string[];
}

export function ciliumReleases(workspace: WorkspaceModel): CiliumRelease[] {
  return workspace.derive('helm/cilium-releases', (model) => {
    const releases: CiliumRelease[] = [];
    for (const document of model.byKind('HelmRelease')) {
      try {
        if (!isFluxDocument(document, 'HelmRelease') || isPatchDocument(model, document)) continue;
        const chart = resolveChartSource(model, document);
        if (!isCiliumChart(chart, document)) continue;
        const instances = builtInstances(model, document).filter((instance) => !instance.build.result.failed);
        if (instances.length === 0) {
          const values = effectiveValues(model, document);
          releases.push({ document, chart, version: chartVersion(model, document, chart), values, ...workloadFacts(model, document, values.value) });
          continue;
        }
        releases.push(...clusterVariants(model, document, chart, instances));
      } catch (error) {
        containedError('helm/cilium-releases', error);
        // One odd release must not hide the others.
      }
    }
    return releases;
  });
}

/**
 * The Cilium release that serves `file`: one deployed by a cluster that also
 * deploys the file, else (no cluster says) any; a release in `kube-system`
 * first. Undefined when the workspace has none.
 */
export function ciliumReleaseFor(workspace: WorkspaceModel, file: string | undefined): CiliumRelease | undefined {
  const releases = ciliumReleases(workspace);
  if (releases.length === 0) return undefined;
  const preferred = (list: readonly CiliumRelease[]) => list.find((release) => release.namespace === 'kube-system') ?? list[0];
  const clusters = file === undefined ? [] : clustersOf(workspace, file);
  if (clusters.length > 0) {
    const same = releases.filter((release) => (release.clusters ?? clustersOf(workspace, release.document.file)).some((cluster) => clusters.includes(cluster)));
    if (same.length > 0) return preferred(same);
  }
  return preferred(releases);
}

/** Does the setting ask Cilium to replace kube-proxy entirely? (`partial`/`false` do not.) */
export function replacesKubeProxy(setting: unknown): boolean {
  return setting === true || setting === 'true' || setting === 'strict';
}

/** One release per distinct (chart version, values) among the clusters that build the document. */
function clusterVariants(model: WorkspaceModel, document: IndexedDocument, chart: ChartSourceResolution, instances: readonly BuiltInstance[]): CiliumRelease[] {
  const variants = new Map<string, CiliumRelease>();
  let raw: EffectiveValues | undefined;
  for (const instance of instances) {
    const builtVersion = builtChartVersion(instance, chart);
    const variantChart = builtVersion !== undefined && builtVersion !== chart.versionSpec ? { ...chart, versionSpec: builtVersion } : chart;
    const version = variantChart === chart ? chartVersion(model, document, chart) : resolveCiliumChartVersion(builtVersion);
    const values = valuesUnchangedByBuild(document, instance) ? (raw ??= effectiveValues(model, document)) : builtEffectiveValues(model, document, instance);
    const namespace = builtNamespace(instance);
    const key = `${version.chartVersion}\u0000${namespace ?? ''}\u0000${JSON.stringify(values.value)}`;
    const existing = variants.get(key);
    if (existing) {
      if (!existing.clusters!.includes(instance.cluster)) {
        existing.clusters!.push(instance.cluster);
        existing.clusterNames!.push(instance.clusterName);
      }
      continue;
    }
    const facts = workloadFacts(model, document, values.value);
    variants.set(key, {
      document,
      chart: variantChart,
      version,
      values,
      ...facts,
      ...(namespace && !valueAt(values.value, ['namespaceOverride']) ? { namespace } : {}),
      clusters: [instance.cluster],
      clusterNames: [instance.clusterName],
    });
  }
  return [...variants.values()];
}

/** The chart version a cluster's build asks for, when the build says it (the release's chart spec, or the chartRef OCIRepository of the same build). */
function builtChartVersion(instance: BuiltInstance, chart: ChartSourceResolution): string | undefined {
  const spec = objectAt(instance.object.value, ['spec']);
  const version = valueAt(spec, ['chart', 'spec', 'version']);
  if (typeof version === 'string' && version !== '') return version;
  const chartRef = objectAt(spec, ['chartRef']);
  if (chart.via !== 'chartRef' || valueAt(chartRef, ['kind']) !== 'OCIRepository') return undefined;
  const source = instance.build.result.objects.find(
    (object) => object.value.kind === 'OCIRepository' && valueAt(object.value, ['metadata', 'name']) === valueAt(chartRef, ['name']),
  );
  const ref = source ? objectAt(source.value, ['spec', 'ref']) : undefined;
  const pinned = valueAt(ref, ['semver']) ?? valueAt(ref, ['tag']);
  return typeof pinned === 'string' && pinned !== '' ? pinned : undefined;
}

function builtNamespace(instance: BuiltInstance): string | undefined {
  const target = valueAt(instance.object.value, ['spec', 'targetNamespace']);
  if (typeof target === 'string' && target !== '') return target;
  const namespace = valueAt(instance.object.value, ['metadata', 'namespace']);
  return typeof namespace === 'string' && namespace !== '' ? namespace : undefined;
}

function objectAt(value: unknown, path: readonly string[]): Record<string, unknown> | undefined {
  const found = valueAt(value, path);
  return found && typeof found === 'object' && !Array.isArray(found) ? (found as Record<string, unknown>) : undefined;
}

function workloadFacts(model: WorkspaceModel, document: IndexedDocument, values: Record<string, unknown>): Pick<CiliumRelease, 'agentName' | 'operatorName' | 'namespace' | 'kubeProxyReplacement' | 'chained'> {
  const name = stringValue(valueAt(values, ['name'])) ?? 'cilium';
  const operatorEnabled = valueAt(values, ['operator', 'enabled']);
  const chainingMode = stringValue(valueAt(values, ['cni', 'chainingMode']));
  const spec = mapGet(document.parsed.root, 'spec');
  return {
    agentName: name,
    operatorName: operatorEnabled === false || operatorEnabled === 'false' ? undefined : 'cilium-operator',
    namespace: stringValue(valueAt(values, ['namespaceOverride'])) || scalarString(mapGet(spec, 'targetNamespace')) || singleNamespace(documentNamespaces(model, document)),
    kubeProxyReplacement: valueAt(values, ['kubeProxyReplacement']),
    chained: (chainingMode !== undefined && chainingMode !== 'none') || valueAt(values, ['cni', 'customConf']) === true,
  };
}

function valueAt(values: unknown, path: readonly string[]): unknown {
  let current = values;
  for (const key of path) {
    if (!current || typeof current !== 'object' || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function stringValue(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Every per-cluster variant of a HelmRelease document that is a Cilium release (one when no cluster builds it). */
export function ciliumReleasesOf(workspace: WorkspaceModel, file: string, documentIndex: number): CiliumRelease[] {
  return ciliumReleases(workspace).filter((release) => release.document.file === file && release.document.index === documentIndex);
}

/** The Cilium release a HelmRelease document is, if it is one. */
export function ciliumReleaseOf(workspace: WorkspaceModel, file: string, documentIndex: number): CiliumRelease | undefined {
  return ciliumReleases(workspace).find((release) => release.document.file === file && release.document.index === documentIndex);
}

function isCiliumChart(chart: ChartSourceResolution, document: IndexedDocument): boolean {
  if (chart.chartName === 'cilium') return true;
  if (chart.chartName !== undefined) return false;
  // A chartRef to an OCIRepository we cannot see: its name is the best hint there is.
  const chartRef = mapGet(mapGet(document.parsed.root, 'spec'), 'chartRef');
  return chart.via === 'chartRef' && scalarString(mapGet(chartRef, 'kind')) === 'OCIRepository' && scalarString(mapGet(chartRef, 'name')) === 'cilium';
}

function chartVersion(model: WorkspaceModel, document: IndexedDocument, chart: ChartSourceResolution): ResolvedChartVersion {
  if (chart.sourceKind === 'GitRepository' || chart.sourceKind === 'Bucket') {
    const local = localChartFiles(model, document);
    if (local?.version) {
      const resolved = resolveCiliumChartVersion(local.version);
      return { ...resolved, note: `Chart folder ${chart.chartPath ?? ''} (Chart.yaml version ${local.version}). ${resolved.note}` };
    }
    const resolved = resolveCiliumChartVersion(undefined);
    return { ...resolved, note: `The chart comes from a ${chart.sourceKind} folder whose Chart.yaml is not in the workspace. ${resolved.note}` };
  }
  if (chart.digest && !chart.versionSpec) {
    const resolved = resolveCiliumChartVersion(undefined);
    return { ...resolved, note: `The OCIRepository is pinned by digest, which does not say the version. ${resolved.note}` };
  }
  // Unset when the OCIRepository is not in the workspace: then the newest catalog, with that note.
  return resolveCiliumChartVersion(chart.versionSpec);
}
