/**
 * Hover on a workload selector (the selector key or one of its `matchLabels`
 * keys): lists the workloads of the workspace it matches, each as
 * `kind name` with file and line.
 *
 * Selectors understood: AuthorizationPolicy `spec.selector`, Cilium
 * `endpointSelector` and `fromEndpoints`/`toEndpoints` items. Cilium label
 * keys may carry a source prefix (`k8s:`, `any:`); the pod-namespace label
 * narrows the namespace instead of matching a pod label.
 */

import type { HoverProvider, HoverRequest, HoverResult } from './hover';
import { nodeAtPath } from '../parse/ast';
import { k8sIndex, readLabelSelector, type LabelSelector, type WorkloadInfo } from '../policy/k8sIndex';
import { isInside } from '../workspace/model';
import { anchorLine } from '../workspace/anchorLine';

const MAX_LISTED = 20;
const NAMESPACE_KEYS = ['io.kubernetes.pod.namespace'];

interface SelectorTarget {
  /** Path of the selector map (the node holding matchLabels). */
  path: (string | number)[];
  /** Namespace the selector is limited to; undefined = all. */
  namespace: string | undefined;
  cilium: boolean;
}

export const selectorHover: HoverProvider = (request) => {
  const { cursor, file } = request;
  if (!cursor.onKey) return undefined;
  const identity = file.identities[cursor.documentIndex];
  if (!identity) return undefined;
  const index = k8sIndex(request.workspace);
  const namespace = index.effectiveNamespace(file.path, identity.namespace).namespace;
  const target = selectorTarget(identity.kind, cursor.path, namespace, request.options.istioRootNamespace);
  if (!target) return undefined;
  const selectorNode = nodeAtPath(cursor.document.parsed.root, target.path);
  if (!selectorNode || selectorNode.type !== 'map') return undefined;
  let selector = readLabelSelector(selectorNode);
  let scopeNamespace = target.namespace;
  if (target.cilium) ({ selector, namespace: scopeNamespace } = normalizeCiliumSelector(selector, scopeNamespace));
  const matched = index.workloadsMatching(scopeNamespace, selector);
  const key = cursor.onKey.key;
  return {
    contents: render(request, matched, scopeNamespace),
    start: cursor.document.start + key.start,
    end: cursor.document.start + key.end,
  } satisfies HoverResult;
};

function selectorTarget(kind: string, path: (string | number)[], namespace: string, rootNamespace: string): SelectorTarget | undefined {
  const selectorEnd = (name: string) => {
    const at = path.lastIndexOf(name);
    // The cursor is on the selector key itself, on `matchLabels`, or on a label key below it.
    if (at === -1 || path.length > at + 3) return undefined;
    if (path.length >= at + 2 && path[at + 1] !== 'matchLabels' && path[at + 1] !== 'matchExpressions') return undefined;
    return path.slice(0, at + 1);
  };
  if (kind === 'AuthorizationPolicy' && path[0] === 'spec' && path[1] === 'selector') {
    const selectorPath = selectorEnd('selector');
    return selectorPath ? { path: selectorPath, namespace: namespace === rootNamespace ? undefined : namespace, cilium: false } : undefined;
  }
  if (kind === 'CiliumNetworkPolicy' || kind === 'CiliumClusterwideNetworkPolicy') {
    const clusterwide = kind === 'CiliumClusterwideNetworkPolicy';
    const endpoint = path.indexOf('endpointSelector');
    if (endpoint !== -1) {
      const selectorPath = selectorEnd('endpointSelector');
      return selectorPath ? { path: selectorPath, namespace: clusterwide ? undefined : namespace, cilium: true } : undefined;
    }
    for (const peer of ['fromEndpoints', 'toEndpoints']) {
      const at = path.indexOf(peer);
      if (at === -1 || typeof path[at + 1] !== 'number') continue;
      const rest = path.slice(at + 2);
      if (rest.length > 2 || (rest.length >= 1 && rest[0] !== 'matchLabels' && rest[0] !== 'matchExpressions')) return undefined;
      // Peer selectors of a namespaced policy see only its namespace unless they name one.
      return { path: path.slice(0, at + 2), namespace: clusterwide ? undefined : namespace, cilium: true };
    }
  }
  return undefined;
}

/** Strips Cilium label sources and turns the pod-namespace label into a namespace limit. */
function normalizeCiliumSelector(selector: LabelSelector, namespace: string | undefined): { selector: LabelSelector; namespace: string | undefined } {
  const matchLabels: Record<string, string> = {};
  let scope = namespace;
  for (const [rawKey, value] of Object.entries(selector.matchLabels ?? {})) {
    const key = rawKey.replace(/^(k8s|any):/, '');
    if (NAMESPACE_KEYS.includes(key)) scope = value;
    else matchLabels[key] = value;
  }
  const matchExpressions = (selector.matchExpressions ?? []).map((expression) => ({ ...expression, key: expression.key.replace(/^(k8s|any):/, '') }));
  return { selector: { matchLabels, matchExpressions }, namespace: scope };
}

function render(request: HoverRequest, matched: WorkloadInfo[], namespace: string | undefined): string {
  const where = namespace === undefined ? 'in all namespaces' : `in namespace \`${namespace}\``;
  if (matched.length === 0) return `**Selects no workload** ${where} of this workspace (workloads defined outside it are not known).`;
  const lines = [`**Selects ${matched.length} workload${matched.length === 1 ? '' : 's'}** ${where}:`, ''];
  for (const workload of matched.slice(0, MAX_LISTED)) {
    lines.push(`- ${workload.kind} \`${workload.namespace}/${workload.name}\` — ${location(request, workload)}`);
  }
  if (matched.length > MAX_LISTED) lines.push(`- … and ${matched.length - MAX_LISTED} more`);
  return lines.join('\n');
}

/** `file:line` (1-based) of a workload's name, with the path relative to a workspace root. */
function location(request: HoverRequest, workload: WorkloadInfo): string {
  const line = anchorLine(request.workspace, { file: workload.source.file, document: workload.source.document, start: workload.source.start });
  const root = request.workspace.roots.find((candidate) => isInside(workload.source.file, candidate));
  const shown = root ? workload.source.file.slice(root.replace(/\/$/, '').length + 1) : workload.source.file;
  return `${shown}:${line}`;
}
