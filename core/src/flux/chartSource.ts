/**
 * Which chart a HelmRelease installs and where it comes from, resolved from
 * the workspace the way helm-controller does:
 * - `spec.chart.spec` names a chart in a HelmRepository (chart name + semver
 *   range), or a chart folder in a GitRepository/Bucket (version from its
 *   Chart.yaml, so unknown here);
 * - `spec.chartRef` names an OCIRepository (chart = last URL segment, version
 *   from `ref`) or a HelmChart (followed to its own source).
 * Reference namespaces default to the HelmRelease's (a HelmChart's
 * `sourceRef` is always in the HelmChart's namespace).
 *
 * Pure and total: never throws; what cannot be resolved is left undefined and
 * explained in `problems`, each with the path of the HelmRelease node to point at.
 */

import { mapGet, scalarString, type YamlNode } from '../parse/ast';
import type { IndexedDocument, WorkspaceModel } from '../workspace/model';
import { readReference, referenceIsTemplated } from './fluxObjects';
import { closest, describeNamespaces, resolveReference } from './references';
import { containedError } from '../util/containedErrors';

export type ChartSourceProblemCode =
  | 'no-chart'
  | 'chart-and-chart-ref'
  | 'source-missing'
  | 'source-wrong-kind'
  | 'source-templated'
  | 'helm-chart-source-missing';

export interface ChartSourceProblem {
  code: ChartSourceProblemCode;
  message: string;
  /** Path of the node in the HelmRelease document the problem is about. */
  path: (string | number)[];
  /** Documents of the other kind, for `source-wrong-kind`. */
  others?: IndexedDocument[];
}

export interface ChartSourceResolution {
  /** Which field names the chart. */
  via?: 'chart' | 'chartRef';
  /** Chart name (for Git/Bucket sources: the last segment of the chart path). */
  chartName?: string;
  /** For GitRepository/Bucket sources: the chart's folder inside the artifact. */
  chartPath?: string;
  /** Exact version or semver range as written (HelmRepository `version`, OCIRepository `ref.semver`/`ref.tag`). */
  versionSpec?: string;
  /** OCIRepository pinned by digest. */
  digest?: string;
  /** The source object that serves the chart (HelmRepository, OCIRepository, GitRepository, Bucket). */
  source?: IndexedDocument;
  sourceKind?: string;
  sourceName?: string;
  sourceNamespace?: string;
  /** Repository URL; for OCI sources the full artifact URL (`oci://…/<chart>`). */
  url?: string;
  /** The HelmChart followed when `chartRef.kind` is HelmChart. */
  helmChart?: IndexedDocument;
  problems: ChartSourceProblem[];
}

const CHART_SPEC_SOURCE_KINDS = ['HelmRepository', 'GitRepository', 'Bucket'];
const CHART_REF_KINDS = ['OCIRepository', 'HelmChart', 'ExternalArtifact'];

export function resolveChartSource(workspace: WorkspaceModel, helmRelease: IndexedDocument): ChartSourceResolution {
  const result: ChartSourceResolution = { problems: [] };
  try {
    const spec = mapGet(helmRelease.parsed.root, 'spec');
    const chart = mapGet(spec, 'chart');
    const chartRef = mapGet(spec, 'chartRef');
    if (chart && chartRef) {
      result.problems.push({ code: 'chart-and-chart-ref', message: 'both `chart` and `chartRef` are set', path: ['spec', 'chartRef'] });
    }
    if (chart) resolveChartTemplate(workspace, helmRelease, chart, result);
    else if (chartRef) resolveChartRef(workspace, helmRelease, chartRef, result);
    else result.problems.push({ code: 'no-chart', message: 'neither `chart` nor `chartRef` is set', path: ['spec'] });
  } catch (error) {
    containedError('flux/chart-source', error);
    // Defensive: a resolver must never take a rule down; keep what we have.
  }
  return result;
}

function resolveChartTemplate(workspace: WorkspaceModel, from: IndexedDocument, chart: YamlNode, result: ChartSourceResolution): void {
  result.via = 'chart';
  const chartSpec = mapGet(chart, 'spec');
  const chartText = scalarString(mapGet(chartSpec, 'chart'));
  const reference = readReference(mapGet(chartSpec, 'sourceRef'));
  result.sourceKind = reference?.kind;
  result.sourceName = reference?.name;
  result.sourceNamespace = reference?.namespace ?? from.identity.namespace;
  const sourcePath = ['spec', 'chart', 'spec', 'sourceRef'];
  applyChartSpec(chartText, scalarString(mapGet(chartSpec, 'version')), reference?.kind, result);
  if (!reference) return;
  const source = lookupSource(workspace, from, reference, CHART_SPEC_SOURCE_KINDS, sourcePath, result, 'source-missing');
  if (source) completeFromSource(source, chartText, result);
}

function resolveChartRef(workspace: WorkspaceModel, from: IndexedDocument, chartRef: YamlNode, result: ChartSourceResolution): void {
  result.via = 'chartRef';
  const reference = readReference(chartRef);
  if (!reference) return;
  result.sourceKind = reference.kind;
  result.sourceName = reference.name;
  result.sourceNamespace = reference.namespace ?? from.identity.namespace;
  const target = lookupSource(workspace, from, reference, CHART_REF_KINDS, ['spec', 'chartRef'], result, 'source-missing');
  if (!target) return;
  if (reference.kind === 'OCIRepository') {
    completeFromSource(target, undefined, result);
  } else if (reference.kind === 'HelmChart') {
    result.helmChart = target;
    const helmChartSpec = mapGet(target.parsed.root, 'spec');
    const chartText = scalarString(mapGet(helmChartSpec, 'chart'));
    const chartSourceRef = readReference(mapGet(helmChartSpec, 'sourceRef'));
    result.source = undefined;
    result.sourceKind = chartSourceRef?.kind;
    result.sourceName = chartSourceRef?.name;
    result.sourceNamespace = target.identity.namespace;
    applyChartSpec(chartText, scalarString(mapGet(helmChartSpec, 'version')), chartSourceRef?.kind, result);
    if (!chartSourceRef) return;
    // A HelmChart's sourceRef has no namespace: it is always the HelmChart's own.
    const source = lookupSource(
      workspace,
      target,
      { ...chartSourceRef, namespace: undefined },
      CHART_SPEC_SOURCE_KINDS,
      ['spec', 'chartRef'],
      result,
      'helm-chart-source-missing',
    );
    if (source) completeFromSource(source, chartText, result);
  }
}

function applyChartSpec(chartText: string | undefined, version: string | undefined, sourceKind: string | undefined, result: ChartSourceResolution): void {
  if (!chartText) return;
  if (sourceKind === 'GitRepository' || sourceKind === 'Bucket') {
    result.chartPath = chartText;
    const segments = chartText.split('/').filter((segment) => segment !== '' && segment !== '.');
    result.chartName = segments[segments.length - 1];
  } else {
    result.chartName = chartText;
    result.versionSpec = version;
  }
}

function lookupSource(
  workspace: WorkspaceModel,
  from: IndexedDocument,
  reference: ReturnType<typeof readReference> & object,
  alternatives: readonly string[],
  path: (string | number)[],
  result: ChartSourceResolution,
  missingCode: 'source-missing' | 'helm-chart-source-missing',
): IndexedDocument | undefined {
  if (referenceIsTemplated(reference)) {
    result.problems.push({ code: 'source-templated', message: 'the source reference uses ${…} placeholders', path });
    return undefined;
  }
  const resolution = resolveReference(workspace, from, reference, [...alternatives, ...CHART_SPEC_SOURCE_KINDS, 'OCIRepository', 'HelmChart']);
  if (resolution.status === 'found') {
    return closest(from, resolution.targets);
  }
  if (resolution.status === 'wrong-kind') {
    const kinds = [...new Set(resolution.others.map((other) => other.identity.kind))].join(' or ');
    result.problems.push({
      code: 'source-wrong-kind',
      message: `no ${reference.kind} "${reference.name}", but a ${kinds} of that name exists`,
      path,
      others: resolution.others,
    });
  } else if (resolution.status === 'missing') {
    result.problems.push({
      code: missingCode,
      message: `no ${reference.kind} "${reference.name}"${describeNamespaces(resolution.namespaces)} in the workspace`,
      path,
    });
  }
  return undefined;
}

function completeFromSource(source: IndexedDocument, chartText: string | undefined, result: ChartSourceResolution): void {
  result.source = source;
  result.sourceKind = source.identity.kind;
  result.sourceName = source.identity.name;
  result.sourceNamespace = source.identity.namespace ?? result.sourceNamespace;
  const spec = mapGet(source.parsed.root, 'spec');
  const url = scalarString(mapGet(spec, 'url'));
  switch (source.identity.kind) {
    case 'HelmRepository': {
      const oci = scalarString(mapGet(spec, 'type')) === 'oci' || url?.startsWith('oci://');
      result.url = oci && url && chartText ? `${url.replace(/\/+$/, '')}/${chartText}` : url;
      break;
    }
    case 'OCIRepository': {
      result.url = url;
      if (url) {
        const segments = url.replace(/\/+$/, '').split('/');
        result.chartName = segments[segments.length - 1].split(':')[0] || undefined;
      }
      const ref = mapGet(spec, 'ref');
      const digest = scalarString(mapGet(ref, 'digest'));
      const semver = scalarString(mapGet(ref, 'semver'));
      const tag = scalarString(mapGet(ref, 'tag'));
      result.digest = digest;
      result.versionSpec = semver ?? (tag && tag !== 'latest' ? tag : undefined);
      break;
    }
    case 'GitRepository':
      result.url = url;
      break;
    case 'Bucket': {
      const endpoint = scalarString(mapGet(spec, 'endpoint'));
      const bucket = scalarString(mapGet(spec, 'bucketName'));
      result.url = endpoint && bucket ? `${endpoint.replace(/\/+$/, '')}/${bucket}` : endpoint;
      break;
    }
  }
}
