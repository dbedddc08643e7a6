/**
 * A policy document as each build applies it: Flux substitutes `${VAR}` per
 * Flux Kustomization, and one file (a kustomize component, a shared base)
 * is often applied by several of them with different variables and
 * namespaces. `documentVariants` gives the document's parse tree once per
 * distinct build output, with every substituted scalar replaced in place:
 * the nodes keep the offsets of the text that wrote them (the `${APP}` the
 * user typed), so what the policy models read from a variant still points
 * at the right line, and the namespace is the one the build gives it.
 *
 * A document without `${` is returned as it is written (one variant, the
 * namespace left to the caller), so this costs nothing for most files. A
 * scalar whose variable no build knows keeps its placeholder (it stays
 * unknown); an object annotated `kustomize.toolkit.fluxcd.io/substitute:
 * disabled` is not substituted, as Flux leaves it alone.
 *
 * Invariants: memoized per document and workspace generation; never throws;
 * the original parse tree is never changed (variants are copies).
 */

import { deref, mapGet, scalarString, type YamlNode } from '../parse/ast';
import { resolvePlainScalar } from '../parse/resolveScalar';
import type { IndexedDocument, WorkspaceModel } from '../workspace/model';
import { containedError } from '../util/containedErrors';
import { builtInstances } from './clusterBuild';
import { substitute, type SubstitutionVariables } from './envsubst';

export interface DocumentVariant {
  root: YamlNode | undefined;
  /** The namespace the build gives the object; undefined: as written (the caller resolves it). */
  namespace?: string;
  /** The clusters (indexes) whose builds produce this variant; undefined: every cluster that deploys the file. */
  clusters?: readonly number[];
  /** Names of the clusters, for labels. */
  clusterNames?: readonly string[];
}

const SUBSTITUTE_ANNOTATION = 'kustomize.toolkit.fluxcd.io/substitute';
const MAX_DEPTH = 64;

export function documentVariants(model: WorkspaceModel, document: IndexedDocument): readonly DocumentVariant[] {
  const written: DocumentVariant[] = [{ root: document.parsed.root }];
  if (!document.parsed.text.includes('${')) return written;
  return model.derive(`gitops/document-variants:${document.file}#${document.index}`, (workspace) => {
    try {
      return variantsOf(workspace, document) ?? written;
    } catch (error) {
      containedError('gitops/document-variants', error);
      return written;
    }
  });
}

function variantsOf(model: WorkspaceModel, document: IndexedDocument): DocumentVariant[] | undefined {
  const root = document.parsed.root;
  if (!root || disabled(root)) return undefined;
  const byKey = new Map<string, { variant: DocumentVariant; clusters: Set<number>; names: Set<string> }>();
  for (const instance of builtInstances(model, document)) {
    const task = instance.build.task;
    const changed: string[] = [];
    const variantRoot = task.substitutes ? substituted(root, task.variables, changed, 0) : root;
    const metadata = instance.object.value.metadata as Record<string, unknown> | undefined;
    const namespace = typeof metadata?.namespace === 'string' ? metadata.namespace : undefined;
    const key = `${namespace ?? ''}\u0000${changed.join('\u0000')}`;
    const known = byKey.get(key);
    if (known) {
      known.clusters.add(instance.cluster);
      known.names.add(instance.clusterName);
      continue;
    }
    byKey.set(key, { variant: { root: variantRoot, ...(namespace !== undefined ? { namespace } : {}) }, clusters: new Set([instance.cluster]), names: new Set([instance.clusterName]) });
  }
  if (byKey.size === 0) return undefined;
  return [...byKey.values()].map(({ variant, clusters, names }) => ({ ...variant, clusters: [...clusters], clusterNames: [...names] }));
}

function disabled(root: YamlNode): boolean {
  const annotations = deref(mapGet(deref(mapGet(deref(root), 'metadata')), 'annotations'));
  return scalarString(mapGet(annotations, SUBSTITUTE_ANNOTATION)) === 'disabled';
}

/** A copy of `node` with each scalar that a known variable fills replaced (same offsets); unchanged subtrees are shared. */
function substituted(node: YamlNode, variables: SubstitutionVariables, changed: string[], depth: number): YamlNode {
  if (depth > MAX_DEPTH) return node;
  switch (node.type) {
    case 'scalar': {
      if (!node.text.includes('$')) return node;
      const result = substitute(node.text, variables);
      if (!result.changed || result.unknown) return node;
      changed.push(`${node.start}=${result.text}`);
      // A plain scalar is read again after substitution (`port: ${PORT}` is a number), as Flux re-parses the text.
      return { ...node, text: result.text, value: node.style === 'plain' ? resolvePlainScalar(result.text) : result.text };
    }
    case 'map': {
      let copy: typeof node | undefined;
      node.pairs.forEach((pair, index) => {
        const key = substituted(pair.key, variables, changed, depth + 1);
        const value = substituted(pair.value, variables, changed, depth + 1);
        if (key === pair.key && value === pair.value) return;
        copy ??= { ...node, pairs: [...node.pairs] };
        copy.pairs[index] = { ...pair, key, value };
      });
      return copy ?? node;
    }
    case 'seq': {
      let copy: typeof node | undefined;
      node.items.forEach((item, index) => {
        const next = substituted(item, variables, changed, depth + 1);
        if (next === item) return;
        copy ??= { ...node, items: [...node.items] };
        copy.items[index] = next;
      });
      return copy ?? node;
    }
    default:
      return node;
  }
}
