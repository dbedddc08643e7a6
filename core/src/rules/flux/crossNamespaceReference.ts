/**
 * flux/cross-namespace-reference: a reference that leaves the referring
 * object's namespace. Fine by default, refused by controllers started with
 * `--no-cross-namespace-refs=true` (the multi-tenancy lockdown).
 */

import { hasSubstitution } from '../../flux/fluxObjects';
import type { LocalRule } from '../types';
import { referenceSites } from './referenceSites';

export const crossNamespaceReference: LocalRule = {
  meta: {
    id: 'flux/cross-namespace-reference',
    severity: 'hint',
    title: 'Flux reference crosses namespaces',
    kinds: ['HelmRelease', 'Kustomization'],
    docs: {
      summary: 'A `sourceRef`, `chartRef` or `dependsOn` entry sets a namespace other than the referring object\'s.',
      why: 'Flux allows this by default, but clusters hardened for multi-tenancy run the controllers with `--no-cross-namespace-refs=true`, and there the reference is refused and the object never becomes Ready. Keep sources next to their releases, or make sure the lockdown is off.',
      bad: 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: cilium, namespace: kube-system}\nspec:\n  interval: 1h\n  chartRef: {kind: OCIRepository, name: cilium, namespace: flux-system}\n',
      good: 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: cilium, namespace: kube-system}\nspec:\n  interval: 1h\n  chartRef: {kind: OCIRepository, name: cilium}\n',
      source: 'Flux multi-tenancy lockdown (--no-cross-namespace-refs on helm-, kustomize- and notification-controller)',
    },
  },
  check(context) {
    const own = context.resource?.namespace;
    if (!own || hasSubstitution(own)) return;
    for (const site of referenceSites(context.resource, context.root)) {
      const target = site.reference.namespace;
      if (!site.namespaced || !target || target === own || hasSubstitution(target) || !site.reference.namespacePair) continue;
      context.report(
        site.reference.namespacePair.value,
        `${site.field} points into namespace "${target}" from "${own}": refused when the Flux controllers run with --no-cross-namespace-refs=true.`,
      );
    }
  },
};
