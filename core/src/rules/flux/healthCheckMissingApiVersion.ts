/**
 * flux/health-check-missing-api-version: a health check without `apiVersion`
 * for a kind outside `apps/v1`; the controller assumes `apps/v1` and the
 * lookup fails.
 */

import { mapGet } from '../../parse/ast';
import type { LocalRule } from '../types';
import { columnOf } from '../../flux/textEdits';
import { APPS_V1_KINDS, healthCheckEntries, KNOWN_API_VERSIONS } from './healthCheckKinds';

export const healthCheckMissingApiVersion: LocalRule = {
  meta: {
    id: 'flux/health-check-missing-api-version',
    severity: 'error',
    title: 'Health check without apiVersion',
    kinds: ['Kustomization'],
    docs: {
      summary: 'A `healthChecks` entry for a kind outside `apps/v1` (HelmRelease, Service, a custom resource) has no `apiVersion`.',
      why: 'kustomize-controller fills a missing `apiVersion` with `apps/v1`, so the lookup of, say, a HelmRelease fails ("no matches for kind … in group apps") and the Kustomization never becomes Ready. Only the API group matters for the lookup.',
      bad: 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: infra, namespace: flux-system}\nspec:\n  interval: 1h\n  prune: true\n  path: ./infrastructure\n  sourceRef: {kind: GitRepository, name: flux-system}\n  healthChecks:\n    - kind: HelmRelease\n      name: cilium\n      namespace: kube-system\n',
      good: 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: infra, namespace: flux-system}\nspec:\n  interval: 1h\n  prune: true\n  path: ./infrastructure\n  sourceRef: {kind: GitRepository, name: flux-system}\n  healthChecks:\n    - apiVersion: helm.toolkit.fluxcd.io/v2\n      kind: HelmRelease\n      name: cilium\n      namespace: kube-system\n',
      source: 'kustomize-controller checkHealth / inventory ReferenceToObjMetadataSet; fluxcd/kustomize-controller issue #931',
    },
    fix: { title: 'Add the apiVersion of the kind', safe: true },
  },
  check(context) {
    const text = context.document.text;
    for (const entry of healthCheckEntries(context.resource, context.root)) {
      if (entry.apiVersion || !entry.kind || APPS_V1_KINDS.has(entry.kind)) continue;
      const kindNode = mapGet(entry.node, 'kind');
      const kindPair = entry.node.type === 'map' ? entry.node.pairs.find((pair) => pair.value === kindNode) : undefined;
      if (!kindPair) continue;
      const apiVersion = KNOWN_API_VERSIONS[entry.kind];
      const separator = entry.node.type === 'map' && entry.node.flow ? ', ' : `\n${' '.repeat(columnOf(text, entry.node.start))}`;
      const first = entry.node.type === 'map' ? entry.node.pairs[0].key : kindPair.key;
      context.report(kindPair.value, `Health check for ${entry.kind} without apiVersion: the controller assumes apps/v1 and the lookup fails (no ${entry.kind} in group apps), so the Kustomization never becomes Ready.`, {
        fixes: apiVersion
          ? [{ title: `Add apiVersion: ${apiVersion}`, safe: true, preferred: true, edits: [{ range: { start: first.start, end: first.start }, newText: `apiVersion: ${apiVersion}${separator}` }] }]
          : undefined,
      });
    }
  },
};
