import type { Rule } from '../types';
import { reportHelmFindings } from './reportHelmFindings';

export const unknownValueKey: Rule = {
  meta: {
    id: 'helm/unknown-value-key',
    severity: 'warning',
    title: 'Helm value the chart does not have',
    anyDocument: true,
    crossFile: true,
    docs: {
      summary:
        'A key under a HelmRelease\'s values (inline, or in a ConfigMap or values file it reads) that the chart version does not define: checked against the Cilium value catalog of the resolved chart version, or against the values.yaml of a chart folder in the workspace.',
      why: 'Helm passes unknown keys to the templates, which never read them: a misspelled or moved setting silently does nothing. Keys the chart only shows commented out are valid; free-form maps (labels, resources, extraConfig, …) are not checked. A near key or a known rename is suggested.',
      bad: 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: cilium, namespace: kube-system}\nspec:\n  interval: 1h\n  chart:\n    spec: {chart: cilium, version: 1.16.5, sourceRef: {kind: HelmRepository, name: cilium}}\n  values:\n    hubble:\n      relay:\n        enabeld: true\n',
      good: 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: cilium, namespace: kube-system}\nspec:\n  interval: 1h\n  chart:\n    spec: {chart: cilium, version: 1.16.5, sourceRef: {kind: HelmRepository, name: cilium}}\n  values:\n    hubble:\n      relay:\n        enabled: true\n',
      source: 'Cilium chart values.yaml per minor line (schemas/cilium-values); Helm value coalescing',
    },
    fix: { title: 'Change to the suggested key', safe: false },
  },
  check(context) {
    reportHelmFindings(context, 'unknown-key');
  },
};
