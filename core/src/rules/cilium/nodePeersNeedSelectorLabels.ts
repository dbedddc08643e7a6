/**
 * `cnp/node-peers-need-selector-labels`: `fromNodes`/`toNodes` need Cilium
 * 1.16+ and the agent flag `enable-node-selector-labels` (Helm
 * `nodeSelectorLabels: true`, off by default).
 */

import { nodeAtPath, type YamlNode } from '../../parse/ast';
import type { CrossFileRule } from '../types';
import { AGENT_REJECTS, CNP_KINDS, atLeast, ciliumContextOf, pairRange, policyOf, versionPhrase } from './support';

export const nodePeersNeedSelectorLabels: CrossFileRule = {
  meta: {
    id: 'cnp/node-peers-need-selector-labels',
    severity: 'error',
    title: 'fromNodes/toNodes without node selector labels',
    kinds: CNP_KINDS,
    mayRefusePolicy: true,
    crossFile: true,
    docs: {
      summary: '`fromNodes`/`toNodes` while the Cilium HelmRelease does not set `nodeSelectorLabels: true`, or on Cilium before 1.16.',
      why: 'Node peers are selected by node labels, which the agent only tracks with `enable-node-selector-labels`. Without it the agent refuses the policy ("FromNodes/ToNodes rules can only be applied when the \\"enable-node-selector-labels\\" flag is set"). Before 1.16 the fields do not exist and the API server drops them, leaving a rule without peers.',
      bad: 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: cilium, namespace: kube-system}\nspec:\n  interval: 1h\n  chart:\n    spec: {chart: cilium, version: 1.16.5, sourceRef: {kind: HelmRepository, name: cilium}}\n  values: {}\n---\napiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: web, namespace: shop}\nspec:\n  endpointSelector: {matchLabels: {app: web}}\n  ingress:\n    - fromNodes: [{matchLabels: {node-role.kubernetes.io/control-plane: ""}}]\n',
      good: 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: cilium, namespace: kube-system}\nspec:\n  interval: 1h\n  chart:\n    spec: {chart: cilium, version: 1.16.5, sourceRef: {kind: HelmRepository, name: cilium}}\n  values:\n    nodeSelectorLabels: true\n---\napiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: web, namespace: shop}\nspec:\n  endpointSelector: {matchLabels: {app: web}}\n  ingress:\n    - fromNodes: [{matchLabels: {node-role.kubernetes.io/control-plane: ""}}]\n',
      source: 'cilium/cilium pkg/policy/api/rule_validation.go (1.16+); chart value nodeSelectorLabels (default false)',
    },
  },
  check(context) {
    const policy = policyOf(context);
    if (!policy) return;
    const cilium = ciliumContextOf(context);
    const since116 = atLeast(context, '1.16');
    for (const spec of policy.specs) {
      for (const rule of spec.rules) {
        for (const peer of rule.peers) {
          if (peer.kind !== 'nodes' || (peer.items?.length ?? 0) === 0) continue;
          if (!since116) {
            context.report(peer.pair.key, `${peer.field} needs Cilium 1.16; on ${versionPhrase(context)} the API server drops it and this rule has no peers left.`, { severity: 'warning' });
            continue;
          }
          if (cilium.nodeSelectorLabels === true) continue;
          const error = '"FromNodes/ToNodes rules can only be applied when the \\"enable-node-selector-labels\\" flag is set"';
          if (cilium.helmRelease) {
            const release = cilium.helmRelease;
            const related = cilium.nodeSelectorLabelsPair
              ? [{ at: { file: release.file, document: release.index, ...pairRange(cilium.nodeSelectorLabelsPair) }, message: 'nodeSelectorLabels is not true here' }]
              : [{ at: { file: release.file, document: release.index, ...releaseNameRange(release.parsed.root) }, message: 'Cilium HelmRelease without nodeSelectorLabels: true' }];
            context.report(peer.pair.key, `The Cilium HelmRelease does not set nodeSelectorLabels: true (default false): ${error}; ${AGENT_REJECTS}.`, { refused: 'agent', related });
          } else {
            context.report(peer.pair.key, `${peer.field} only works when the agent runs with enable-node-selector-labels (Helm nodeSelectorLabels: true, default false); otherwise ${AGENT_REJECTS}.`, {
              refused: 'agent',
              severity: 'warning',
            });
          }
        }
      }
    }
  },
};

/** The HelmRelease's `metadata.name` value (or the document start) for related locations. */
function releaseNameRange(root: YamlNode | undefined): { start: number; end: number } {
  const name = nodeAtPath(root, ['metadata', 'name']);
  return name ? { start: name.start, end: name.end } : { start: 0, end: 0 };
}
