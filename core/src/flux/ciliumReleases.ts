/**
 * The Cilium HelmReleases of the workspace (found and merged by
 * `helm/ciliumReleases`, the one place that decides what a Cilium release is
 * and what values Helm will render), with what the Flux rules need from their
 * values: the agent DaemonSet and operator Deployment names and namespace,
 * kube-proxy replacement and CNI chaining.
 *
 * Invariant: memoized per workspace generation.
 */

import { mapGet, scalarString } from '../parse/ast';
import { ciliumReleases as helmCiliumReleases } from '../helm/ciliumReleases';
import type { IndexedDocument, WorkspaceModel } from '../workspace/model';
import type { ChartSourceResolution } from './chartSource';
import { documentNamespaces, singleNamespace } from '../gitops/placement';

export interface CiliumRelease {
  document: IndexedDocument;
  chart: ChartSourceResolution;
  values: Record<string, unknown>;
  /** Agent DaemonSet name (chart value `name`, default `cilium`). */
  agentName: string;
  /** `cilium-operator` when the operator is enabled (the chart does not derive it from `name`), else undefined. */
  operatorName?: string;
  /** Where the chart's workloads land: `namespaceOverride`, `targetNamespace`, the release's namespace. */
  namespace?: string;
  /** `kubeProxyReplacement` as set (true, "true", "strict", …), undefined when unset. */
  kubeProxyReplacement?: unknown;
  /** Cilium runs chained behind another CNI (`cni.chainingMode` / `cni.customConf`). */
  chained: boolean;
}

export function ciliumReleases(model: WorkspaceModel): readonly CiliumRelease[] {
  return model.derive('flux/cilium-releases', (workspace) => {
    const releases: CiliumRelease[] = [];
    for (const { document, chart, values: effective } of helmCiliumReleases(workspace)) {
      const values = effective.value;
      const name = stringValue(valueAt(values, ['name'])) ?? 'cilium';
      const operatorEnabled = valueAt(values, ['operator', 'enabled']);
      const chainingMode = stringValue(valueAt(values, ['cni', 'chainingMode']));
      const spec = mapGet(document.parsed.root, 'spec');
      releases.push({
        document,
        chart,
        values,
        agentName: name,
        operatorName: operatorEnabled === false || operatorEnabled === 'false' ? undefined : 'cilium-operator',
        namespace:
          stringValue(valueAt(values, ['namespaceOverride'])) ||
          scalarString(mapGet(spec, 'targetNamespace')) ||
          singleNamespace(documentNamespaces(workspace, document)),
        kubeProxyReplacement: valueAt(values, ['kubeProxyReplacement']),
        chained: (chainingMode !== undefined && chainingMode !== 'none') || valueAt(values, ['cni', 'customConf']) === true,
      });
    }
    return releases;
  });
}

/** Does the setting ask Cilium to replace kube-proxy entirely? (`partial`/`false` do not.) */
export function replacesKubeProxy(setting: unknown): boolean {
  return setting === true || setting === 'true' || setting === 'strict';
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
