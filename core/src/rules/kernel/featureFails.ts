/**
 * kernel/feature-fails: the Cilium values turn on a feature that some node
 * pool's kernel cannot run, and the agent fails there instead of running
 * without it. Reported at the values key that turns it on (inline or in the
 * valuesFrom source), or at the chart version when it is on by default.
 */

import type { CrossFileRule } from '../types';
import { describeFeature, reportKernelFacts } from './support';

export const featureFails: CrossFileRule = {
  meta: {
    id: 'kernel/feature-fails',
    severity: 'error',
    title: 'Cilium feature the node kernel cannot run (agent fails)',
    anyDocument: true,
    crossFile: true,
    docs: {
      summary: 'A Cilium Helm value turns on a datapath feature that the kernel of at least one node pool (NodeProfile, or the kernel setting) cannot run, and the agent fails on those nodes.',
      why: 'Flux applies the HelmRelease anyway. Features such as BBR, an explicit netkit datapath or WireGuard without the module make cilium-agent (or pod networking) fail at start on the older nodes, so those nodes lose networking during the rollout. The message names the weakest pool, its kernel, what the feature needs, the Cilium version judged and the dependency chain.',
      bad: 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: cilium, namespace: kube-system}\nspec:\n  interval: 1h\n  chart:\n    spec: {chart: cilium, version: 1.16.5, sourceRef: {kind: HelmRepository, name: cilium}}\n  values:\n    kubeProxyReplacement: true\n    bandwidthManager:\n      enabled: true\n      bbr: true\n',
      good: 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: cilium, namespace: kube-system}\nspec:\n  interval: 1h\n  chart:\n    spec: {chart: cilium, version: 1.16.5, sourceRef: {kind: HelmRepository, name: cilium}}\n  values:\n    kubeProxyReplacement: true\n    bandwidthManager:\n      enabled: true\n      bbr: false\n',
      exampleOptions: { kernelVersion: '5.4.0-91-generic' },
      source: 'schemas/kernel-features.json (from Cilium system requirements and agent probes, see its $comment)',
    },
    fix: { title: 'Switch to the automatic value, or turn the feature off', safe: false },
  },
  check(context) {
    reportKernelFacts(context, 'feature', (fact) => (fact.fails ? { severity: 'error', ...describeFeature(fact) } : undefined));
  },
};
