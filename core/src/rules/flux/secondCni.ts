/**
 * flux/second-cni: another CNI (Calico, Flannel, Weave Net, Canal,
 * kube-router as CNI, Antrea, Kube-OVN) installed in a workspace that also
 * installs Cilium, as a HelmRelease of its chart, its DaemonSet, or a Tigera
 * operator `Installation`. Chained setups (`cni.chainingMode`,
 * `cni.customConf`) are left alone.
 */

import { mapGet, scalarString, type YamlNode } from '../../parse/ast';
import { resolveChartSource } from '../../flux/chartSource';
import { ciliumReleases } from '../../helm/ciliumReleases';
import { isFluxKind } from '../../flux/fluxObjects';
import { isPatchDocument } from '../../gitops/placement';
import type { CrossFileRule, RuleContext } from '../types';
import { anchorOf, describeDocument, nameNodeOf } from './anchors';
import { currentDocument } from './referenceNotFound';

/** Chart names of other CNIs → product name. */
const CNI_CHARTS: Readonly<Record<string, string>> = {
  'tigera-operator': 'Calico',
  calico: 'Calico',
  flannel: 'Flannel',
  weave: 'Weave Net',
  'weave-net': 'Weave Net',
  canal: 'Canal',
  antrea: 'Antrea',
  'kube-ovn': 'Kube-OVN',
};

/** DaemonSet names of other CNIs' node agents → product name. */
const CNI_DAEMONSETS: Readonly<Record<string, string>> = {
  'calico-node': 'Calico',
  'kube-flannel-ds': 'Flannel',
  'kube-flannel-ds-amd64': 'Flannel',
  'weave-net': 'Weave Net',
  canal: 'Canal',
  'kube-router': 'kube-router',
  'antrea-agent': 'Antrea',
  'kube-ovn-cni': 'Kube-OVN',
};

export const secondCni: CrossFileRule = {
  meta: {
    id: 'flux/second-cni',
    severity: 'warning',
    title: 'Another CNI installed beside Cilium',
    kinds: ['HelmRelease', 'DaemonSet', 'Installation'],
    crossFile: true,
    docs: {
      summary: 'The workspace installs Cilium and also another CNI plugin (Calico, Flannel, Weave Net, Canal, kube-router as CNI, Antrea, Kube-OVN).',
      why: 'Two CNIs on one node both write a CNI configuration; the kubelet uses whichever sorts first, so pods end up on different networks, policies are enforced by one and not the other, and Cilium may evict the other\'s configuration. Remove one, or run Cilium chained behind the other (`cni.chainingMode`). kube-router is accepted when it runs with `--enable-cni=false` (BGP only).',
      good: 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: cilium, namespace: kube-system}\nspec:\n  interval: 1h\n  chart:\n    spec: {chart: cilium, version: 1.16.5, sourceRef: {kind: HelmRepository, name: cilium}}\n  values:\n    kubeProxyReplacement: true\n    k8sServiceHost: api.example.internal\n    k8sServicePort: 6443\n',
      bad: 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: calico, namespace: tigera-operator}\nspec:\n  interval: 1h\n  chart:\n    spec: {chart: tigera-operator, version: 3.28.0, sourceRef: {kind: HelmRepository, name: projectcalico}}\n---\napiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: cilium, namespace: kube-system}\nspec:\n  interval: 1h\n  chart:\n    spec: {chart: cilium, version: 1.16.5, sourceRef: {kind: HelmRepository, name: cilium}}\n  values:\n    kubeProxyReplacement: true\n    k8sServiceHost: api.example.internal\n    k8sServicePort: 6443\n',
      source: 'Cilium documentation (installation requirements, CNI chaining, kube-router BGP guide)',
    },
  },
  check(context) {
    const releases = ciliumReleases(context.workspace);
    if (releases.length === 0 || releases.every((release) => release.chained)) return;
    const document = currentDocument(context.file, context.documentIndex, context.workspace.fileResources(context.file));
    if (!document || isPatchDocument(context.workspace, document)) return;
    const found = detectOtherCni(context);
    if (!found) return;
    const cilium = releases.find((release) => !release.chained)!;
    context.report(
      found.at,
      `${found.product} is installed beside Cilium (${describeDocument(cilium.document)}): two CNIs on the same nodes put pods on different networks and enforce policies inconsistently. Remove one, or chain Cilium with cni.chainingMode.`,
      { related: [{ at: anchorOf(cilium.document, nameNodeOf(cilium.document)), message: `Cilium is installed by ${describeDocument(cilium.document)}` }] },
    );
  },
};

function detectOtherCni(context: RuleContext): { product: string; at: YamlNode } | undefined {
  const { resource, root } = context;
  if (!resource || !root) return undefined;
  if (isFluxKind(resource, 'HelmRelease')) {
    const document = currentDocument(context.file, context.documentIndex, context.workspace.fileResources(context.file));
    const chartName = document ? resolveChartSource(context.workspace, document).chartName : undefined;
    const product = chartName ? CNI_CHARTS[chartName] : undefined;
    const chartNode = mapGet(mapGet(mapGet(mapGet(root, 'spec'), 'chart'), 'spec'), 'chart');
    return product ? { product, at: chartNode ?? mapGet(root, 'spec') ?? root } : undefined;
  }
  if (resource.kind === 'Installation' && resource.group === 'operator.tigera.io') {
    const cni = scalarString(mapGet(mapGet(mapGet(root, 'spec'), 'cni'), 'type'));
    if (cni && cni !== 'Calico') return undefined;
    return { product: 'Calico', at: mapGet(mapGet(root, 'metadata'), 'name') ?? root };
  }
  if (resource.kind === 'DaemonSet' && resource.group === 'apps') {
    const product = resource.name ? CNI_DAEMONSETS[resource.name] : undefined;
    if (!product) return undefined;
    if (product === 'kube-router' && !kubeRouterActsAsCni(root)) return undefined;
    return { product, at: mapGet(mapGet(root, 'metadata'), 'name') ?? root };
  }
  return undefined;
}

/** kube-router is a CNI unless its containers run with `--enable-cni=false`. */
function kubeRouterActsAsCni(root: YamlNode): boolean {
  const containers = mapGet(mapGet(mapGet(mapGet(root, 'spec'), 'template'), 'spec'), 'containers');
  if (containers?.type !== 'seq') return true;
  for (const container of containers.items) {
    for (const field of ['args', 'command']) {
      const list = mapGet(container, field);
      if (list?.type !== 'seq') continue;
      if (list.items.some((item) => /^--enable-cni(=|\s+)false$/.test(scalarString(item) ?? ''))) return false;
    }
  }
  return true;
}
