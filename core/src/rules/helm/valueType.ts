import type { CrossFileRule } from '../types';
import { article, describeValue, dotted, reportHelmFacts } from './helmFacts';

export const valueType: CrossFileRule = {
  meta: {
    id: 'helm/value-type',
    severity: 'error',
    title: 'Cilium Helm value of the wrong type',
    anyDocument: true,
    crossFile: true,
    docs: {
      summary: 'A Cilium chart value whose type (string, integer, boolean, list, map) differs from what the resolved chart version expects.',
      why: 'Where the chart\'s values.schema.json types the key, Helm refuses to render and the release fails (error); where only the default value tells the type, the templates may render nonsense (warning). Values holding Flux `${VAR}` placeholders are not checked.',
      bad: 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: cilium, namespace: kube-system}\nspec:\n  interval: 1h\n  chart:\n    spec: {chart: cilium, version: 1.16.5, sourceRef: {kind: HelmRepository, name: cilium}}\n  values:\n    cluster:\n      id: "one"\n',
      good: 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: cilium, namespace: kube-system}\nspec:\n  interval: 1h\n  chart:\n    spec: {chart: cilium, version: 1.16.5, sourceRef: {kind: HelmRepository, name: cilium}}\n  values:\n    cluster:\n      id: 1\n',
      source: 'Cilium chart values.schema.json (1.15+) and values.yaml defaults',
    },
  },
  check(context) {
    reportHelmFacts(context, 'type', ({ path, value, expected, enforced, versionLabel }) => ({
      severity: enforced ? 'error' : 'warning',
      message: enforced
        ? `\`${dotted(path)}\` must be ${article(expected)} in ${versionLabel}, not ${describeValue(value)}: the chart's schema rejects it and the release fails`
        : `\`${dotted(path)}\` is ${article(expected)} in ${versionLabel}, not ${describeValue(value)}: the templates may render it wrongly`,
    }));
  },
};
