/**
 * flux/chart-or-chart-ref: a HelmRelease must name its chart in exactly one
 * way, `spec.chart` (a HelmChart template) or `spec.chartRef`.
 */

import { mapGet, mapGetPair } from '../../parse/ast';
import { isFluxKind } from '../../flux/fluxObjects';
import { isPatchDocument } from '../../gitops/placement';
import type { CrossFileRule } from '../types';

export const chartOrChartRef: CrossFileRule = {
  meta: {
    id: 'flux/chart-or-chart-ref',
    severity: 'error',
    title: 'HelmRelease needs exactly one of chart and chartRef',
    kinds: ['HelmRelease'],
    crossFile: true,
    docs: {
      summary: 'A HelmRelease sets both `spec.chart` and `spec.chartRef`, or neither.',
      why: 'The HelmRelease CRD (v2) validates "either chart or chartRef must be set": the API server rejects the object, and the Kustomization that applies it fails. Documents that a kustomize overlay uses as patches are partial and not checked.',
      bad: 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: cilium}\nspec:\n  interval: 1h\n  chart:\n    spec: {chart: cilium, sourceRef: {kind: HelmRepository, name: cilium}}\n  chartRef: {kind: OCIRepository, name: cilium}\n',
      good: 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: cilium}\nspec:\n  interval: 1h\n  chartRef: {kind: OCIRepository, name: cilium}\n',
      source: 'helm-controller CRD helm.toolkit.fluxcd.io_helmreleases.yaml (x-kubernetes-validations on spec)',
    },
  },
  check(context) {
    if (!isFluxKind(context.resource, 'HelmRelease') || !context.root) return;
    if (isPatchDocument(context.workspace, { file: context.file })) return;
    const specPair = mapGetPair(context.root, 'spec');
    if (!specPair || specPair.value.type !== 'map') return;
    const chart = mapGetPair(specPair.value, 'chart');
    const chartRef = mapGetPair(specPair.value, 'chartRef');
    if (chart && chartRef) {
      context.report(chartRef.key, 'Both `chart` and `chartRef` are set: the API server rejects the HelmRelease ("either chart or chartRef must be set"). Keep one.');
    } else if (!chart && !chartRef && context.resource?.version !== 'v2beta1' && mapGet(specPair.value, 'interval')) {
      // v2beta1 requires `chart` in its schema, which schema/missing-required reports.
      context.report(specPair.key, 'Neither `chart` nor `chartRef` is set: the API server rejects the HelmRelease ("either chart or chartRef must be set").');
    }
  },
};
