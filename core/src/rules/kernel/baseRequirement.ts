/**
 * kernel/base-requirement: the Cilium chart version's own kernel floor is
 * not met by some node pool. Error where the agent refuses to start, warning
 * where the kernel is only below the documented minimum. Reported at the
 * chart version (or at the chart name when the version is not pinned).
 */

import type { CrossFileRule } from '../types';
import { reportKernelFacts } from './support';

export const baseRequirement: CrossFileRule = {
  meta: {
    id: 'kernel/base-requirement',
    severity: 'error',
    title: 'Node kernel below what the Cilium version requires',
    anyDocument: true,
    crossFile: true,
    docs: {
      summary: 'The Cilium version a HelmRelease installs requires a newer kernel than one of the node pools runs.',
      why: 'Each Cilium minor raises its kernel floor (for example 5.10 from 1.18). The agent checks it at start: below it, the agent exits and the node has no pod networking. Slightly older kernels that the agent still accepts are outside what Cilium supports and are reported as warnings.',
      bad: 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: cilium, namespace: kube-system}\nspec:\n  interval: 1h\n  chart:\n    spec: {chart: cilium, version: 1.18.2, sourceRef: {kind: HelmRepository, name: cilium}}\n',
      good: 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: cilium, namespace: kube-system}\nspec:\n  interval: 1h\n  chart:\n    spec: {chart: cilium, version: 1.17.6, sourceRef: {kind: HelmRepository, name: cilium}}\n',
      exampleOptions: { kernelVersion: '5.4.0-91-generic' },
      source: 'schemas/kernel-features.json `base` (Cilium system requirements per minor, agent start-up checks)',
    },
  },
  check(context) {
    reportKernelFacts(context, 'base', ({ pool, verdict, versionLabel }) => {
      const fails = verdict.status === 'fails';
      const consequence = fails ? 'the agent does not start on these nodes' : 'Cilium does not support these nodes';
      return {
        severity: fails ? 'error' : 'warning',
        message: `pool ${pool.name} runs ${verdict.has}, below what Cilium ${versionLabel} requires: ${verdict.problems.join('; ')}; ${consequence}`,
      };
    });
  },
};
