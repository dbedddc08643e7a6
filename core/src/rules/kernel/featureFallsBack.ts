/**
 * kernel/feature-falls-back: the Cilium values turn on (or leave on) a
 * feature that some node pool's kernel cannot run, and the agent silently
 * runs without it there. Reported like kernel/feature-fails.
 */

import type { CrossFileRule } from '../types';
import { describeFeature, reportKernelFacts } from './support';

export const featureFallsBack: CrossFileRule = {
  meta: {
    id: 'kernel/feature-falls-back',
    severity: 'warning',
    title: 'Cilium feature silently disabled on an older node kernel',
    anyDocument: true,
    crossFile: true,
    docs: {
      summary: 'A Cilium Helm value turns on a feature that the kernel of at least one node pool cannot run; the agent starts but runs without it there.',
      why: 'Nothing fails, so nobody notices: eBPF host routing falls back to the host stack, the bandwidth manager stops limiting pod egress, BIG TCP stays at 64k. Nodes then behave differently per pool. The message names the weakest pool, its kernel, the requirement and the Cilium version judged.',
      bad: 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: cilium, namespace: kube-system}\nspec:\n  interval: 1h\n  chart:\n    spec: {chart: cilium, version: 1.16.5, sourceRef: {kind: HelmRepository, name: cilium}}\n  values:\n    kubeProxyReplacement: true\n    k8sServiceHost: api.example.internal\n    k8sServicePort: 6443\n    socketLB:\n      hostNamespaceOnly: true\n',
      good: 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: cilium, namespace: kube-system}\nspec:\n  interval: 1h\n  chart:\n    spec: {chart: cilium, version: 1.16.5, sourceRef: {kind: HelmRepository, name: cilium}}\n  values:\n    kubeProxyReplacement: true\n    k8sServiceHost: api.example.internal\n    k8sServicePort: 6443\n',
      exampleOptions: { kernelVersion: '5.4.0-91-generic' },
      source: 'schemas/kernel-features.json (from Cilium system requirements and agent probes, see its $comment)',
    },
    fix: { title: 'Turn the feature off', safe: false },
  },
  check(context) {
    reportKernelFacts(context, 'feature', (fact) => (fact.fails ? undefined : { severity: 'warning', ...describeFeature(fact) }));
  },
};
