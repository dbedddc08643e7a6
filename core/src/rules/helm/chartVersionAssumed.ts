import type { CrossFileRule } from '../types';
import { reportHelmFacts } from './helmFacts';

export const chartVersionAssumed: CrossFileRule = {
  meta: {
    id: 'helm/chart-version-assumed',
    severity: 'info',
    title: 'Cilium chart version assumed for value checks',
    kinds: ['HelmRelease'],
    crossFile: true,
    docs: {
      summary: 'A Cilium HelmRelease whose chart version is a range, missing or not readable: the message says which chart version the value checks, hover and completion assume.',
      why: 'Keys and allowed values differ between Cilium versions. With a range, Flux installs the newest matching release, which may not be the one meshlens checked against; pinning an exact version makes the checks match what runs.',
      bad: 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: cilium, namespace: kube-system}\nspec:\n  interval: 1h\n  chart:\n    spec: {chart: cilium, version: 1.16.x, sourceRef: {kind: HelmRepository, name: cilium}}\n',
      good: 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: cilium, namespace: kube-system}\nspec:\n  interval: 1h\n  chart:\n    spec: {chart: cilium, version: 1.16.5, sourceRef: {kind: HelmRepository, name: cilium}}\n',
      source: 'Flux helm-controller chart version resolution (semver ranges)',
    },
  },
  check(context) {
    reportHelmFacts(context, 'version', ({ note, ownCatalog }) => ({
      severity: 'info',
      message: ownCatalog
        ? `${note} Values are checked against that version; pin an exact chart version to check against the one you run`
        : `${note} Only keys and values that exist in both are checked; unknown keys are reported only when a near key exists`,
    }));
  },
};
