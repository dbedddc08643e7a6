import { mapGet } from '../../parse/ast';
import { KNOWN_KINDS } from '../../resources/knownKinds';
import { closestMatches } from '../../util/editDistance';
import type { LocalRule } from '../types';

/**
 * A `kind` that the document's API group does not serve, close to one it
 * does (a typo such as `CiliumNetworkPolcy`). Without this the document is
 * simply not recognised and nothing at all is checked in it.
 */
export const unknownKind: LocalRule = {
  meta: {
    id: 'schema/unknown-kind',
    severity: 'error',
    title: 'Kind not served by the API group',
    docs: {
      summary: 'A document of a Cilium, Istio, Flux or meshlens API group whose `kind` the group does not serve, with the near kind it most likely means.',
      why: 'The API server rejects the object ("no matches for kind"), so Flux fails the whole Kustomization; meshlens would otherwise not recognise the document and check nothing in it.',
      bad: 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolcy\nmetadata: {name: web}\nspec:\n  endpointSelector: {}\n',
      good: 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: web}\nspec:\n  endpointSelector: {}\n',
      source: 'CRD names of Cilium, Istio security and Flux',
    },
    fix: { title: 'Change to the suggested kind', safe: false },
  },
  check(context) {
    const resource = context.resource;
    const known = resource ? KNOWN_KINDS.get(resource.group) : undefined;
    if (!resource || !known || known.includes(resource.kind)) return;
    const node = mapGet(context.root, 'kind');
    if (!node || node.type !== 'scalar') return;
    const suggestions = closestMatches(resource.kind, known);
    if (suggestions.length === 0) return;
    context.report(node, `Kind "${resource.kind}" is not served by ${resource.group}; did you mean "${suggestions[0]}"? The API server rejects the object, and the policy checks do not run on it.`, {
      fixes: suggestions.map((suggestion, index) => ({
        title: `Change the kind to "${suggestion}"`,
        safe: false,
        preferred: index === 0,
        edits: [{ range: { start: node.start, end: node.end }, newText: suggestion }],
      })),
    });
  },
};
