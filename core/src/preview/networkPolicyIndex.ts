/**
 * Kubernetes NetworkPolicies read into the same spec entries as Cilium
 * policies, because that is how Cilium enforces them: the agent translates
 * each NetworkPolicy into rules of its one policy repository, so for a pod the
 * allows of every CNP, CCNP and NetworkPolicy that select it form one union,
 * a direction is default-deny as soon as any of them isolates it, and a CNP
 * deny wins over a NetworkPolicy allow (reference notes B3).
 *
 * NetworkPolicy semantics applied (Kubernetes API reference):
 * - `podSelector` selects pods of the policy's namespace (`{}` = all of them);
 * - `policyTypes` isolates the listed directions; when absent, Ingress always
 *   and Egress when the policy has an `egress` section;
 * - a rule with `from`/`to` missing or empty admits every peer (also outside
 *   the cluster); a rule with `ports` missing or empty covers every port;
 * - a peer is `podSelector` (pods of the policy's namespace),
 *   `namespaceSelector` (every pod of matching namespaces; with a
 *   `podSelector` too, only the matching pods there) or `ipBlock` (a CIDR
 *   minus its `except` ranges, never pods);
 * - ports: number or container-port name, `protocol` default TCP, `endPort`
 *   for ranges (named ports resolve against the destination pod).
 * Namespace selectors are expressed with Cilium's namespace-label keys, so the
 * same selector matching serves both kinds. Pure; never throws.
 */

import { deref, mapGet, scalarString, type YamlNode } from '../parse/ast';
import { readLabelSelector, type K8sIndex, type LabelSelector } from '../policy/k8sIndex';
import type { WorkspaceModel } from '../workspace/model';
import { ciliumSelectorMatches, workloadId, type CiliumSpecEntry } from './ciliumIndex';
import type { CiliumPeer, CiliumPort } from './model';
import type { SourceMaker } from './sources';
import { documentVariants } from '../gitops/documentVariants';

const NAMESPACE_LABEL_PREFIX = 'io.cilium.k8s.namespace.labels.';

export function networkPolicySpecs(workspace: WorkspaceModel, index: K8sIndex, makeSource: SourceMaker): CiliumSpecEntry[] {
  const specs: CiliumSpecEntry[] = [];
  for (const document of workspace.byKind('NetworkPolicy')) {
    if (document.identity.group !== 'networking.k8s.io') continue;
    // As each build applies it (`${VAR}` substituted, the build's namespace); one variant for most documents.
    for (const variant of documentVariants(workspace, document)) {
      const root = deref(variant.root);
      const spec = deref(mapGet(root, 'spec'));
      if (!spec || spec.type !== 'map') continue;
      const namespace = variant.namespace ?? index.effectiveNamespace(document.file, document.identity.namespace).namespace;
      const label = `np ${namespace}/${scalarString(mapGet(deref(mapGet(root, 'metadata')), 'name')) ?? document.identity.name ?? '?'}`;
      const source = (node: { start: number; end: number }, path: string) => makeSource(document.file, document.index, node, path ? `${label} ${path}` : label);
      const podSelectorNode = deref(mapGet(spec, 'podSelector'));
      const entry: CiliumSpecEntry = {
        label,
        file: document.file,
        document: document.index,
        clusterwide: false,
        policyNamespace: namespace,
        subject: { selector: readLabelSelector(podSelectorNode), namespace, reserved: false },
        source: source(podSelectorNode ?? spec, ''),
        sections: [],
        enableDefaultDeny: {},
        allows: [],
        denies: [],
        inert: [],
        ...(variant.clusters ? { clusters: variant.clusters } : {}),
      };
      for (const direction of isolatedDirections(spec)) {
        const sectionNode = mapGet(spec, direction) ?? mapGet(spec, 'policyTypes') ?? spec;
        entry.sections.push({ direction, deny: false, source: source(sectionNode, `policyTypes ${direction === 'ingress' ? 'Ingress' : 'Egress'}`) });
        const rules = deref(mapGet(spec, direction));
        if (rules?.type !== 'seq') continue;
        rules.items.forEach((item, position) => {
          const rule = deref(item);
          if (!rule || rule.type !== 'map') return;
          const ruleSource = source(rule, `${direction}[${position}]`);
          const peers = readPeers(deref(mapGet(rule, direction === 'ingress' ? 'from' : 'to')), namespace, index);
          const ports = readPorts(deref(mapGet(rule, 'ports')));
          for (const peer of peers) entry.allows.push({ direction, entry: { peer, ports, source: ruleSource } });
        });
    }
    specs.push(entry);
    }
  }
  return specs;
}

function isolatedDirections(spec: YamlNode): ('ingress' | 'egress')[] {
  const types = deref(mapGet(spec, 'policyTypes'));
  if (types?.type === 'seq') {
    const listed = types.items.map((item) => scalarString(item));
    return [...(listed.includes('Ingress') ? ['ingress' as const] : []), ...(listed.includes('Egress') ? ['egress' as const] : [])];
  }
  return ['ingress', ...(mapGet(spec, 'egress') ? ['egress' as const] : [])];
}

function readPeers(list: YamlNode | undefined, policyNamespace: string, index: K8sIndex): CiliumPeer[] {
  if (!list || list.type !== 'seq' || list.items.length === 0) return [{ kind: 'any', text: 'any peer' }];
  const peers: CiliumPeer[] = [];
  for (const item of list.items) {
    const peer = deref(item);
    if (!peer || peer.type !== 'map') continue;
    const ipBlock = deref(mapGet(peer, 'ipBlock'));
    if (ipBlock) {
      const cidr = scalarString(mapGet(ipBlock, 'cidr')) ?? '?';
      const exceptNode = deref(mapGet(ipBlock, 'except'));
      const except = exceptNode?.type === 'seq' ? exceptNode.items.map((value) => scalarString(value)).filter((value): value is string => value !== undefined) : [];
      peers.push({ kind: 'cidr', text: `CIDR ${cidr}${except.length ? ` except ${except.join(', ')}` : ''}`, cidr, except });
      continue;
    }
    const podSelectorNode = mapGet(peer, 'podSelector');
    const namespaceSelectorNode = mapGet(peer, 'namespaceSelector');
    const podSelector = podSelectorNode ? readLabelSelector(podSelectorNode) : {};
    let selector: LabelSelector = podSelector;
    let scope: string | undefined = policyNamespace;
    if (namespaceSelectorNode) {
      const namespaceSelector = readLabelSelector(namespaceSelectorNode);
      selector = {
        matchLabels: { ...(podSelector.matchLabels ?? {}), ...prefixed(namespaceSelector.matchLabels ?? {}) },
        matchExpressions: [...(podSelector.matchExpressions ?? []), ...(namespaceSelector.matchExpressions ?? []).map((requirement) => ({ ...requirement, key: `${NAMESPACE_LABEL_PREFIX}${requirement.key}` }))],
      };
      scope = undefined;
      const named = namespaceSelector.matchLabels?.['kubernetes.io/metadata.name'];
      if (named !== undefined && Object.keys(namespaceSelector.matchLabels ?? {}).length === 1 && (namespaceSelector.matchExpressions ?? []).length === 0) scope = named;
    }
    const workloads = index
      .workloadsIn(scope)
      .filter((workload) => ciliumSelectorMatches(selector, workload, index))
      .map(workloadId);
    peers.push({ kind: 'endpoints', text: peerText(podSelector, namespaceSelectorNode ? readLabelSelector(namespaceSelectorNode) : undefined, policyNamespace, workloads), selector, ...(scope !== undefined ? { namespace: scope } : {}), reserved: false, workloads });
  }
  return peers;
}

function prefixed(labels: Readonly<Record<string, string>>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(labels)) result[`${NAMESPACE_LABEL_PREFIX}${key}`] = value;
  return result;
}

function selectorText(selector: LabelSelector): string {
  const parts = [
    ...Object.entries(selector.matchLabels ?? {}).map(([key, value]) => `${key}=${value}`),
    ...(selector.matchExpressions ?? []).map((requirement) => `${requirement.key} ${requirement.operator}${requirement.values?.length ? ` (${requirement.values.join(',')})` : ''}`),
  ];
  return parts.join(', ');
}

function peerText(podSelector: LabelSelector, namespaceSelector: LabelSelector | undefined, policyNamespace: string, workloads: string[]): string {
  if (workloads.length > 0) {
    const names = workloads.map((id) => (id.startsWith(`${policyNamespace}/`) ? id.slice(policyNamespace.length + 1) : id));
    return names.length > 3 ? `${names.slice(0, 3).join(', ')} … +${names.length - 3}` : names.join(', ');
  }
  const pods = selectorText(podSelector);
  const where = namespaceSelector === undefined ? ` in ${policyNamespace}` : selectorText(namespaceSelector) ? ` in namespaces ${selectorText(namespaceSelector)}` : ' in every namespace';
  return `${pods ? `pods ${pods}` : 'all pods'}${where}`;
}

function readPorts(list: YamlNode | undefined): CiliumPort[] | 'all' {
  if (!list || list.type !== 'seq' || list.items.length === 0) return 'all';
  const ports: CiliumPort[] = [];
  for (const item of list.items) {
    const port = deref(item);
    const protocol = (scalarString(mapGet(port, 'protocol')) ?? 'TCP').toUpperCase();
    const value = scalarString(mapGet(port, 'port')) ?? '';
    const endText = scalarString(mapGet(port, 'endPort'));
    const endPort = endText !== undefined && /^\d+$/.test(endText) && /^\d+$/.test(value) && Number(endText) > Number(value) ? Number(endText) : undefined;
    const shown = value === '' ? 'all ports' : endPort !== undefined ? `${value}-${endPort}` : value;
    ports.push({ port: value, ...(endPort !== undefined ? { endPort } : {}), protocol, text: `${shown}/${protocol}` });
  }
  return ports;
}
