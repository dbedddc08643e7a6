/**
 * flux/reference-wrong-kind: a reference names an object that exists in the
 * workspace, but as another kind (an OCIRepository referenced as a
 * HelmRepository, a Kustomization listed in a HelmRelease's `dependsOn`).
 */

import { isPatchDocument } from '../../gitops/placement';
import { closestFirst, resolveReference } from '../../flux/references';
import type { CrossFileRule, RuleFix } from '../types';
import { anchorOf, describeDocument, nameNodeOf, withArticle } from './anchors';
import { currentDocument } from './referenceNotFound';
import { referenceSites } from './referenceSites';

export const referenceWrongKind: CrossFileRule = {
  meta: {
    id: 'flux/reference-wrong-kind',
    severity: 'error',
    title: 'Flux reference names an object of another kind',
    kinds: ['HelmRelease', 'Kustomization', 'HelmChart'],
    crossFile: true,
    docs: {
      summary: 'A `sourceRef`, `chartRef` or `dependsOn` entry names an object that the workspace defines under a different kind.',
      why: 'The controllers look the reference up by kind: a HelmRepository reference never finds an OCIRepository of the same name, and `dependsOn` of a HelmRelease only considers HelmReleases (of a Kustomization, only Kustomizations). The object stays not Ready. When the field accepts the kind that exists, the fix changes `kind`.',
      bad: 'apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata: {name: platform, namespace: flux-system}\nspec:\n  interval: 1h\n  url: oci://ghcr.io/example/platform\n  ref: {tag: latest}\n---\napiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: apps, namespace: flux-system}\nspec:\n  interval: 1h\n  prune: true\n  path: ./apps\n  sourceRef: {kind: GitRepository, name: platform}\n',
      good: 'apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata: {name: platform, namespace: flux-system}\nspec:\n  interval: 1h\n  url: oci://ghcr.io/example/platform\n  ref: {tag: latest}\n---\napiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: apps, namespace: flux-system}\nspec:\n  interval: 1h\n  prune: true\n  path: ./apps\n  sourceRef: {kind: OCIRepository, name: platform}\n',
      source: 'helm-controller and kustomize-controller reference resolution; CRD enums of sourceRef/chartRef kinds',
    },
    fix: { title: 'Change the reference kind to the kind that exists', safe: false },
  },
  check(context) {
    const from = currentDocument(context.file, context.documentIndex, context.workspace.fileResources(context.file));
    if (!from || isPatchDocument(context.workspace, from)) return;
    for (const site of referenceSites(context.resource, context.root)) {
      const { kind, name, kindNode } = site.reference;
      if (!kind || !name || !site.allowedKinds.includes(kind)) continue;
      const resolution = resolveReference(context.workspace, from, site.namespaced ? site.reference : { ...site.reference, namespace: undefined }, site.alternatives);
      if (resolution.status !== 'wrong-kind') continue;
      const others = closestFirst(from, resolution.others);
      const otherKinds = [...new Set(others.map((other) => other.identity.kind))];
      const fixes: RuleFix[] = [];
      if (otherKinds.length === 1 && site.allowedKinds.includes(otherKinds[0]) && kindNode && kindNode.type === 'scalar') {
        fixes.push({ title: `Change kind to ${otherKinds[0]}`, safe: false, preferred: true, edits: [{ range: { start: kindNode.start, end: kindNode.end }, newText: otherKinds[0] }] });
      }
      const hint = otherKinds.some((other) => site.allowedKinds.includes(other)) ? '' : ` (${site.field} cannot name ${otherKinds.map(withArticle).join(' or ')})`;
      context.report(
        site.at,
        `${site.field} names ${kind} "${name}", but "${name}" is ${otherKinds.map(withArticle).join(' and ')} in the workspace${hint}: the lookup by kind finds nothing and the ${context.resource?.kind} never becomes Ready.`,
        {
          fixes,
          related: others.slice(0, 3).map((other) => ({ at: anchorOf(other, nameNodeOf(other)), message: `${describeDocument(other)} is defined here` })),
        },
      );
    }
  },
};
