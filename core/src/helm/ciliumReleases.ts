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
 * Invariants: memoized per workspace generation; kustomize patch fragments
 * are not releases; never throws.
 */

import { mapGet, scalarString } from '../parse/ast';
import type { IndexedDocument, WorkspaceModel } from '../workspace/model';
import { resolveCiliumChartVersion, type ResolvedChartVersion } from '../cilium/valuesCatalog';
import { resolveChartSource, type ChartSourceResolution } from '../flux/chartSource';
import { isFluxDocument } from '../flux/fluxObjects';
import { isPatchDocument } from '../gitops/placement';
import { effectiveValues, type EffectiveValues } from './effectiveValues';
import { localChartFiles } from './chartFiles';

export interface CiliumRelease {
  document: IndexedDocument;
  version: ResolvedChartVersion;
  values: EffectiveValues;
  chart: ChartSourceResolution;
}

export function ciliumReleases(workspace: WorkspaceModel): CiliumRelease[] {
  return workspace.derive('helm/cilium-releases', (model) => {
    const releases: CiliumRelease[] = [];
    for (const document of model.byKind('HelmRelease')) {
      try {
        if (!isFluxDocument(document, 'HelmRelease') || isPatchDocument(model, document)) continue;
        const chart = resolveChartSource(model, document);
        if (!isCiliumChart(chart, document)) continue;
        releases.push({ document, chart, version: chartVersion(model, document, chart), values: effectiveValues(model, document) });
      } catch {
        // One odd release must not hide the others.
      }
    }
    return releases;
  });
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
