/**
 * flux/kube-proxy-with-replacement: a Cilium HelmRelease sets
 * `kubeProxyReplacement: true` while the workspace still installs kube-proxy
 * (its DaemonSet, a KubeProxyConfiguration, or a kubeadm InitConfiguration
 * that does not skip the `addon/kube-proxy` phase). Only evidence present in
 * the workspace counts.
 */

import { mapGet, nodeAtPath, scalarString, type YamlNode } from '../../parse/ast';
import { ciliumReleases, replacesKubeProxy } from '../../helm/ciliumReleases';
import type { IndexedDocument, WorkspaceModel } from '../../workspace/model';
import type { CrossFileRule } from '../types';
import { anchorOf, describeDocument, nameNodeOf } from './anchors';

interface Evidence {
  document: IndexedDocument;
  what: string;
}

function kubeProxyEvidence(model: WorkspaceModel): Evidence[] {
  return model.derive('flux/kube-proxy-evidence', (workspace) => {
    const evidence: Evidence[] = [];
    for (const document of workspace.byKind('DaemonSet')) {
      if (document.identity.name === 'kube-proxy') evidence.push({ document, what: `${describeDocument(document)}` });
    }
    for (const document of workspace.byKind('KubeProxyConfiguration')) {
      evidence.push({ document, what: 'a KubeProxyConfiguration' });
    }
    for (const document of workspace.byKind('InitConfiguration')) {
      if (!document.identity.group.startsWith('kubeadm.k8s.io')) continue;
      const skipped = mapGet(document.parsed.root, 'skipPhases');
      const skipsProxy = skipped?.type === 'seq' && skipped.items.some((item) => ['addon/kube-proxy', 'addon'].includes(scalarString(item) ?? ''));
      if (!skipsProxy) evidence.push({ document, what: 'a kubeadm InitConfiguration that does not skip addon/kube-proxy' });
    }
    return evidence;
  });
}

export const kubeProxyWithReplacement: CrossFileRule = {
  meta: {
    id: 'flux/kube-proxy-with-replacement',
    severity: 'warning',
    title: 'kube-proxy left in place with kube-proxy replacement',
    kinds: ['HelmRelease'],
    crossFile: true,
    docs: {
      summary: 'Cilium is configured with `kubeProxyReplacement: true`, but the workspace still deploys kube-proxy.',
      why: 'With kube-proxy replacement Cilium handles Services in eBPF. A kube-proxy that keeps running still programs iptables/IPVS rules for the same Services; the two disagree during changes, and NodePort or health-check ports can clash. Remove kube-proxy (kubeadm: `skipPhases: [addon/kube-proxy]`; k3s: `disable-kube-proxy`; Talos: `cluster.proxy.disabled: true`) and clean up its rules.',
      good: 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: cilium, namespace: kube-system}\nspec:\n  interval: 1h\n  chart:\n    spec: {chart: cilium, version: 1.16.5, sourceRef: {kind: HelmRepository, name: cilium}}\n  values:\n    kubeProxyReplacement: true\n    k8sServiceHost: api.example.internal\n    k8sServicePort: 6443\n',
      bad: 'apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: kube-proxy, namespace: kube-system}\nspec:\n  selector: {matchLabels: {k8s-app: kube-proxy}}\n  template:\n    metadata: {labels: {k8s-app: kube-proxy}}\n    spec:\n      containers: [{name: kube-proxy, image: registry.k8s.io/kube-proxy:v1.30.0}]\n---\napiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: cilium, namespace: kube-system}\nspec:\n  interval: 1h\n  chart:\n    spec: {chart: cilium, version: 1.16.5, sourceRef: {kind: HelmRepository, name: cilium}}\n  values:\n    kubeProxyReplacement: true\n    k8sServiceHost: api.example.internal\n    k8sServicePort: 6443\n',
      source: 'Cilium documentation, kube-proxy replacement guide (removing kube-proxy)',
    },
  },
  check(context) {
    const release = ciliumReleases(context.workspace).find((each) => each.document.file === context.file && each.document.index === context.documentIndex);
    if (!release || !replacesKubeProxy(release.kubeProxyReplacement)) return;
    const evidence = kubeProxyEvidence(context.workspace);
    if (evidence.length === 0) return;
    const at: YamlNode | undefined =
      nodeAtPath(context.root, ['spec', 'values', 'kubeProxyReplacement']) ??
      mapGet(mapGet(context.root, 'spec'), 'valuesFrom') ??
      mapGet(mapGet(context.root, 'metadata'), 'name');
    if (!at) return;
    context.report(at, `kubeProxyReplacement is on, but the workspace still deploys kube-proxy: ${evidence[0].what}. Both program Service rules and conflict; remove kube-proxy.`, {
      related: evidence.slice(0, 3).map((each) => ({ at: anchorOf(each.document, nameNodeOf(each.document)), message: `kube-proxy is still installed: ${each.what}` })),
    });
  },
};
