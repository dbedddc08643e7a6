/**
 * flux/depends-on-cycle: HelmReleases (or Kustomizations) whose `dependsOn`
 * entries form a cycle. Each entry that lies on a cycle is reported, with the
 * other entries of the cycle as related locations.
 *
 * The dependency graph is built once per workspace generation: nodes are the
 * HelmRelease and Kustomization documents (patch fragments excluded), edges
 * the resolved `dependsOn` entries; cycles are strongly connected components.
 */

import { mapGet, type YamlNode } from '../../parse/ast';
import { isFluxDocument, isFluxKind, readReference } from '../../flux/fluxObjects';
import { isPatchDocument } from '../../gitops/placement';
import { resolveReference } from '../../flux/references';
import type { IndexedDocument, WorkspaceModel } from '../../workspace/model';
import type { CrossFileRule } from '../types';
import { anchorOf, describeDocument } from './anchors';

interface Edge {
  from: number;
  to: number;
  /** The `dependsOn` entry (its name node, else the entry). */
  at: YamlNode;
}

interface DependencyGraph {
  nodes: IndexedDocument[];
  nodeIndex: Map<string, number>;
  edges: Edge[];
  component: number[];
  /** Component sizes; a component of one is a cycle only with a self edge. */
  componentSize: Map<number, number>;
}

const keyOf = (document: { file: string; index: number }) => `${document.file}#${document.index}`;

function buildGraph(model: WorkspaceModel): DependencyGraph {
  const nodes = [...model.byKind('HelmRelease'), ...model.byKind('Kustomization')].filter(
    (document) => (isFluxDocument(document, 'HelmRelease') || isFluxDocument(document, 'Kustomization')) && !isPatchDocument(model, document),
  );
  const nodeIndex = new Map(nodes.map((document, index) => [keyOf(document), index]));
  const edges: Edge[] = [];
  nodes.forEach((document, from) => {
    const list = mapGet(mapGet(document.parsed.root, 'spec'), 'dependsOn');
    if (list?.type !== 'seq') return;
    for (const item of list.items) {
      const reference = readReference(item);
      if (!reference?.name) continue;
      const resolution = resolveReference(model, document, { kind: document.identity.kind, name: reference.name, namespace: reference.namespace });
      if (resolution.status !== 'found') continue;
      for (const target of resolution.targets) {
        const to = nodeIndex.get(keyOf(target));
        if (to !== undefined) edges.push({ from, to, at: reference.nameNode ?? item });
      }
    }
  });
  const component = stronglyConnected(nodes.length, edges);
  const componentSize = new Map<number, number>();
  for (const id of component) componentSize.set(id, (componentSize.get(id) ?? 0) + 1);
  return { nodes, nodeIndex, edges, component, componentSize };
}

/** Tarjan's algorithm, iterative so deep chains cannot overflow the stack. */
function stronglyConnected(count: number, edges: readonly Edge[]): number[] {
  const adjacency: number[][] = Array.from({ length: count }, () => []);
  for (const edge of edges) adjacency[edge.from].push(edge.to);
  const index = new Array<number>(count).fill(-1);
  const low = new Array<number>(count).fill(0);
  const onStack = new Array<boolean>(count).fill(false);
  const component = new Array<number>(count).fill(-1);
  const stack: number[] = [];
  let counter = 0;
  let components = 0;
  for (let start = 0; start < count; start++) {
    if (index[start] !== -1) continue;
    const work: [number, number][] = [[start, 0]];
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const [node, next] = frame;
      if (next === 0 && index[node] === -1) {
        index[node] = low[node] = counter++;
        stack.push(node);
        onStack[node] = true;
      }
      if (next < adjacency[node].length) {
        frame[1]++;
        const target = adjacency[node][next];
        if (index[target] === -1) work.push([target, 0]);
        else if (onStack[target]) low[node] = Math.min(low[node], index[target]);
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1][0];
        low[parent] = Math.min(low[parent], low[node]);
      }
      if (low[node] === index[node]) {
        let member: number;
        do {
          member = stack.pop()!;
          onStack[member] = false;
          component[member] = components;
        } while (member !== node);
        components++;
      }
    }
  }
  return component;
}

/** A shortest path from `from` to `to` inside one component (breadth-first), as node indices. */
function pathWithin(graph: DependencyGraph, from: number, to: number): number[] {
  const previous = new Map<number, number>([[from, -1]]);
  const queue = [from];
  while (queue.length > 0) {
    const node = queue.shift()!;
    if (node === to) break;
    for (const edge of graph.edges) {
      if (edge.from !== node || previous.has(edge.to) || graph.component[edge.to] !== graph.component[from]) continue;
      previous.set(edge.to, node);
      queue.push(edge.to);
    }
  }
  if (!previous.has(to)) return [from];
  const path: number[] = [];
  for (let node = to; node !== -1; node = previous.get(node)!) path.unshift(node);
  return path;
}

export const dependsOnCycle: CrossFileRule = {
  meta: {
    id: 'flux/depends-on-cycle',
    severity: 'error',
    title: 'dependsOn cycle',
    kinds: ['HelmRelease', 'Kustomization'],
    crossFile: true,
    docs: {
      summary: 'HelmReleases or Kustomizations whose `dependsOn` entries lead back to themselves.',
      why: 'Flux reconciles an object only after everything it depends on is Ready. In a cycle each member waits for another, so none of them is ever applied or upgraded, and Flux only reports "dependency not ready".',
      bad: 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: apps, namespace: flux-system}\nspec:\n  dependsOn: [{name: infra}]\n---\napiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: infra, namespace: flux-system}\nspec:\n  dependsOn: [{name: apps}]\n',
      good: 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: apps, namespace: flux-system}\nspec:\n  dependsOn: [{name: infra}]\n---\napiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: infra, namespace: flux-system}\nspec: {}\n',
      source: 'helm-controller and kustomize-controller dependency checks (dependsOn)',
    },
  },
  check(context) {
    if (!isFluxKind(context.resource, 'HelmRelease') && !isFluxKind(context.resource, 'Kustomization')) return;
    const graph = context.workspace.derive('flux/depends-on-graph', buildGraph);
    const self = graph.nodeIndex.get(keyOf({ file: context.file, index: context.documentIndex }));
    if (self === undefined) return;
    const reported = new Set<number>();
    for (const edge of graph.edges) {
      if (edge.from !== self || reported.has(edge.at.start)) continue;
      const sameComponent = graph.component[edge.to] === graph.component[self];
      const isCycle = edge.to === self || (sameComponent && (graph.componentSize.get(graph.component[self]) ?? 0) > 1);
      if (!isCycle) continue;
      reported.add(edge.at.start);
      const back = edge.to === self ? [self] : pathWithin(graph, edge.to, self);
      const cycle = [self, ...back];
      const names = cycle.map((node) => graph.nodes[node].identity.name ?? '?').join(' → ');
      const related = [];
      for (let step = 1; step < cycle.length - 1; step++) {
        const hop = graph.edges.find((candidate) => candidate.from === cycle[step] && candidate.to === cycle[step + 1]);
        if (hop) related.push({ at: anchorOf(graph.nodes[hop.from], hop.at), message: `${describeDocument(graph.nodes[hop.from])} depends on ${graph.nodes[hop.to].identity.name}` });
      }
      context.report(edge.at, `dependsOn cycle ${names}: each waits for another to be Ready, so Flux never reconciles any of them.`, { related });
    }
  },
};
