import type { Rule } from '../types';
import { reportHelmFindings } from './reportHelmFindings';

export const chartSchema: Rule = {
  meta: {
    id: 'helm/chart-schema',
    severity: 'error',
    title: "Values rejected by the chart's values.schema.json",
    anyDocument: true,
    crossFile: true,
    docs: {
      summary: "For a HelmRelease whose chart files are at hand — a chart folder in the workspace (GitRepository source, `chart: ./charts/x`), or a chart downloaded from its HelmRepository when `meshlens.charts.download` is on — a value the chart's own values.schema.json rejects.",
      why: 'Helm validates values against the chart schema before rendering; a violation fails the install or upgrade. Required keys are not reported, as the chart defaults may supply them.',
      bad: 'spec:\n  chart:\n    spec: {chart: ./charts/app, sourceRef: {kind: GitRepository, name: flux-system}}\n  values:\n    replicas: many\n',
      good: 'spec:\n  chart:\n    spec: {chart: ./charts/app, sourceRef: {kind: GitRepository, name: flux-system}}\n  values:\n    replicas: 2\n',
      source: 'Helm values schema validation (values.schema.json)',
    },
  },
  check(context) {
    reportHelmFindings(context, 'chart-schema');
  },
};
