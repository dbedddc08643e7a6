import type { CrossFileRule } from '../types';
import type { ErrorObject } from 'ajv';
import { renderScalar } from '../../helm/valueEdits';
import { dotted, reportHelmFacts } from './helmFacts';

export const chartSchema: CrossFileRule = {
  meta: {
    id: 'helm/chart-schema',
    severity: 'error',
    title: "Values rejected by the chart's values.schema.json",
    anyDocument: true,
    crossFile: true,
    docs: {
      summary: "For a HelmRelease whose chart files are at hand — a chart folder in the workspace (GitRepository source, `chart: ./charts/x`), or a chart downloaded from its HelmRepository when `meshlens.charts.download` is on — a value the chart's own values.schema.json rejects.",
      why: 'Helm validates values against the chart schema before rendering; a violation fails the install or upgrade. Required keys are not reported, as the chart defaults may supply them.',
      bad: 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: podinfo, namespace: apps}\nspec:\n  interval: 10m\n  chart:\n    spec:\n      chart: ./charts/podinfo\n      sourceRef: {kind: GitRepository, name: flux-system}\n  values:\n    replicaCount: many\n',
      good: 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: podinfo, namespace: apps}\nspec:\n  interval: 10m\n  chart:\n    spec:\n      chart: ./charts/podinfo\n      sourceRef: {kind: GitRepository, name: flux-system}\n  values:\n    replicaCount: 2\n',
      exampleFile: 'apps/podinfo.yaml',
      exampleContext: {
        'flux-system/gitrepository.yaml': 'apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata: {name: flux-system, namespace: apps}\nspec:\n  interval: 1m\n  url: https://github.com/example/fleet\n  ref: {branch: main}\n',
        'charts/podinfo/Chart.yaml': 'apiVersion: v2\nname: podinfo\nversion: 6.5.0\n',
        'charts/podinfo/values.yaml': 'replicaCount: 1\n',
        'charts/podinfo/values.schema.json': '{"type": "object", "properties": {"replicaCount": {"type": "integer"}}}',
      },
      source: 'Helm values schema validation (values.schema.json)',
    },
  },
  check(context) {
    reportHelmFacts(context, 'chart-schema', ({ keyPath, error, chartLabel }) => ({
      severity: 'error',
      message: `\`${dotted(keyPath) || 'values'}\` ${error.message ?? 'does not match the schema'}${allowedSuffix(error)} (values.schema.json of ${chartLabel}); Helm refuses to install`,
    }));
  },
};

function allowedSuffix(error: ErrorObject): string {
  const allowed = (error.params as { allowedValues?: unknown[] }).allowedValues;
  return Array.isArray(allowed) ? ` (${allowed.map((value) => renderScalar(value)).join(', ')})` : '';
}
