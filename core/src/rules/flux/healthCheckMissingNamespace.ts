/**
 * flux/health-check-missing-namespace: a health check of a namespaced kind
 * without `namespace`. The controller does not default it, so the lookup
 * misses. The fix fills in the namespace when the workspace defines exactly
 * one object of that kind and name.
 */

import { mapGet } from '../../parse/ast';
import { FLUX_KIND_GROUPS } from '../../flux/fluxObjects';
import { documentNamespaces, isPatchDocument } from '../../gitops/placement';
import { ciliumReleases } from '../../helm/ciliumReleases';
import { columnOf, lineEndOf } from '../../flux/textEdits';
import type { CrossFileRule, RuleContext, RuleFix } from '../types';
import { CLUSTER_SCOPED_KINDS, healthCheckEntries } from './healthCheckKinds';

export const healthCheckMissingNamespace: CrossFileRule = {
  meta: {
    id: 'flux/health-check-missing-namespace',
    severity: 'warning',
    title: 'Health check without namespace',
    kinds: ['Kustomization'],
    crossFile: true,
    docs: {
      summary: 'A `healthChecks` entry for a namespaced kind has no `namespace`.',
      why: 'kustomize-controller does not fill in the namespace of a health check (not even with `targetNamespace`), so it looks for the object outside any namespace, never finds it, and the Kustomization times out. Cluster-scoped kinds need no namespace.',
      bad: 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: infra, namespace: flux-system}\nspec:\n  interval: 1h\n  prune: true\n  path: ./infrastructure\n  sourceRef: {kind: GitRepository, name: flux-system}\n  healthChecks:\n    - apiVersion: apps/v1\n      kind: DaemonSet\n      name: cilium\n',
      good: 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: infra, namespace: flux-system}\nspec:\n  interval: 1h\n  prune: true\n  path: ./infrastructure\n  sourceRef: {kind: GitRepository, name: flux-system}\n  healthChecks:\n    - apiVersion: apps/v1\n      kind: DaemonSet\n      name: cilium\n      namespace: kube-system\n',
      source: 'kustomize-controller docs/spec/v1/kustomizations.md (healthChecks), internal/controller checkHealth',
    },
    fix: { title: 'Add the namespace the workspace defines the object in', safe: false },
  },
  check(context) {
    const text = context.document.text;
    for (const entry of healthCheckEntries(context.resource, context.root)) {
      if (entry.namespace || !entry.kind || !entry.name || CLUSTER_SCOPED_KINDS.has(entry.kind)) continue;
      const namespace = knownNamespace(context.workspace, entry.kind, entry.name, entry.apiVersion);
      const fixes: RuleFix[] = [];
      const node = entry.node;
      if (namespace && node.type === 'map' && node.pairs.length > 0) {
        const last = node.pairs[node.pairs.length - 1];
        const at = node.flow ? last.value.end : lineEndOf(text, last.value.end);
        const insert = node.flow ? `, namespace: ${namespace}` : `\n${' '.repeat(columnOf(text, node.start))}namespace: ${namespace}`;
        fixes.push({ title: `Add namespace: ${namespace}`, safe: false, preferred: true, edits: [{ range: { start: at, end: at }, newText: insert }] });
      }
      context.report(mapGet(node, 'name') ?? node, `Health check for ${entry.kind} "${entry.name}" has no namespace: the controller does not default it and never finds the object, so the Kustomization times out.`, { fixes });
    }
  },
};

/** The one namespace the workspace places `kind/name` in, if exactly one. */
function knownNamespace(model: RuleContext['workspace'], kind: string, name: string, apiVersion: string | undefined): string | undefined {
  const group = apiVersion?.includes('/') ? apiVersion.split('/')[0] : apiVersion === undefined ? FLUX_KIND_GROUPS[kind] : '';
  const namespaces = new Set<string>();
  for (const document of model.byKind(kind)) {
    if (document.identity.name !== name || isPatchDocument(model, document)) continue;
    if (group !== undefined && document.identity.group !== group) continue;
    const candidates = documentNamespaces(model, document);
    if (!candidates) return undefined;
    for (const candidate of candidates) namespaces.add(candidate);
  }
  // Workloads of a Cilium release are not in the repository; the release says where they go.
  if (namespaces.size === 0 && (kind === 'DaemonSet' || kind === 'Deployment')) {
    for (const release of ciliumReleases(model)) {
      if ((name === release.agentName || name === release.operatorName) && release.namespace) namespaces.add(release.namespace);
    }
  }
  return namespaces.size === 1 ? [...namespaces][0] : undefined;
}
