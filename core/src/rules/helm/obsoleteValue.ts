import type { Rule } from '../types';
import { reportHelmFindings } from './reportHelmFindings';

export const obsoleteValue: Rule = {
  meta: {
    id: 'helm/obsolete-value',
    severity: 'warning',
    title: 'Renamed, removed or deprecated Cilium Helm value',
    anyDocument: true,
    crossFile: true,
    docs: {
      summary:
        'A Cilium chart value that the resolved chart version renamed, removed, re-typed or deprecated (e.g. `tunnel: vxlan`, `kubeProxyReplacement: strict`, `encryption.keyFile`), with a quick-fix where the migration is mechanical and an explanation where a human must decide.',
      why: 'When the chart `fail`s on a removed key the release does not install (error); otherwise the key is silently ignored and the cluster runs with the default instead of your setting (warning). Deprecated keys still work but will stop working on the next upgrade.',
      bad: 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: cilium, namespace: kube-system}\nspec:\n  interval: 1h\n  chart:\n    spec: {chart: cilium, version: 1.16.5, sourceRef: {kind: HelmRepository, name: cilium}}\n  values:\n    tunnel: vxlan\n',
      good: 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: cilium, namespace: kube-system}\nspec:\n  interval: 1h\n  chart:\n    spec: {chart: cilium, version: 1.16.5, sourceRef: {kind: HelmRepository, name: cilium}}\n  values:\n    routingMode: tunnel\n    tunnelProtocol: vxlan\n',
      source: 'Cilium upgrade notes and chart templates per minor line (schemas/cilium-values/changes.json)',
    },
    fix: { title: 'Apply the mechanical migration', safe: true },
    tags: ['deprecated'],
  },
  check(context) {
    reportHelmFindings(context, 'obsolete');
  },
};
