/**
 * "Which Flux Kustomization deploys this file, and with which
 * targetNamespace?" — the one question `authz/target-namespace-override` asks
 * of the build. Answered today from the workspace's path heuristic (the
 * Kustomization's `spec.path` contains the file's directory; the longest path
 * wins), the same one the namespace index uses. Kept behind this one function
 * so the per-cluster build model can answer it instead.
 */

import { deref, mapGet, mapGetPair, scalarString, type YamlNode } from '../../parse/ast';
import { normalizePath, parentDirectory, type IndexedDocument, type WorkspaceModel } from '../../workspace/model';

export interface TargetNamespaceDeployer {
  /** The Flux Kustomization. */
  kustomization: IndexedDocument;
  targetNamespace: string;
  /** The `targetNamespace` value node, for related information. */
  node: YamlNode;
}

interface Candidate extends TargetNamespaceDeployer {
  path: string;
}

export function targetNamespaceDeployer(workspace: WorkspaceModel, file: string): TargetNamespaceDeployer | undefined {
  const candidates = workspace.derive('authz/flux-target-namespaces', (model) => {
    const found: Candidate[] = [];
    for (const document of model.byKind('Kustomization')) {
      if (document.identity.group !== 'kustomize.toolkit.fluxcd.io') continue;
      const spec = deref(mapGet(deref(document.parsed.root), 'spec'));
      const pair = mapGetPair(spec, 'targetNamespace');
      const targetNamespace = scalarString(pair?.value);
      const path = scalarString(mapGet(spec, 'path'));
      if (!pair || !targetNamespace || path === undefined) continue;
      const normalized = normalizePath(path.replace(/^\.\//, '')).replace(/^\//, '');
      if (normalized === '.' || normalized === '' || normalized.startsWith('..')) continue;
      found.push({ kustomization: document, targetNamespace, node: pair.value, path: normalized });
    }
    return found.sort((a, b) => b.path.length - a.path.length);
  });
  const directory = `${parentDirectory(normalizePath(file))}/`;
  return candidates.find((candidate) => directory.includes(`/${candidate.path}/`) || directory.startsWith(`${candidate.path}/`));
}
