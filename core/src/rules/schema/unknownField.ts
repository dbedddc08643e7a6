import { nodeAtPath } from '../../parse/ast';
import { closestMatches } from '../../util/editDistance';
import { isPatchDirectiveKey } from '../../workspace/kustomizePatches';
import type { LocalRule } from '../types';
import { locatedSchemaIssues } from './schemaFindings';

export const unknownField: LocalRule = {
  meta: {
    id: 'schema/unknown-field',
    crdSchema: true,
    severity: 'error',
    title: 'Field not in the resource schema',
    docs: {
      summary: "A field that the resource's CRD schema does not define.",
      why: 'The API server silently prunes unknown fields of custom resources: the setting you wrote simply does nothing, and `kubectl apply` says nothing about it. A near name is suggested when one exists.',
      bad: 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: web}\nspec:\n  endpointSelectr: {}\n',
      good: 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: web}\nspec:\n  endpointSelector: {}\n',
      source: 'Kubernetes structural schema pruning; CRDs of Cilium, Istio and Flux',
    },
    fix: { title: 'Rename to the suggested field', safe: true },
  },
  check(context) {
    for (const { issue, node } of locatedSchemaIssues(context, 'unknown-field')) {
      const name = String(issue.path[issue.path.length - 1]);
      // kustomize consumes strategic-merge directives before the API server sees the object.
      if (isPatchDirectiveKey(name)) continue;
      // Renaming onto a key that is already present would create a duplicate key.
      const parent = nodeAtPath(context.root, issue.path.slice(0, -1));
      const present = new Set(parent?.type === 'map' ? parent.pairs.map((pair) => (pair.key.type === 'scalar' ? pair.key.text : '')) : []);
      const suggestions = closestMatches(name, (issue.knownNames ?? []).filter((known) => !present.has(known)));
      const hint = suggestions.length > 0 ? `; did you mean "${suggestions[0]}"?` : '.';
      context.report(node, `${issue.message}${hint} The API server drops unknown fields silently.`, {
        fixes: suggestions.map((suggestion, index) => ({
          title: `Rename "${name}" to "${suggestion}"`,
          safe: true,
          preferred: index === 0,
          edits: [{ range: { start: node.start, end: node.end }, newText: suggestion }],
        })),
      });
    }
  },
};
