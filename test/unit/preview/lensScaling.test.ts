/**
 * Code lenses on one large CiliumNetworkPolicy stay linear in its rule items
 * (issue 12: they were quadratic). The shape is checked by the work counter of
 * the effective model's entry indexes (`entryWork.examined`: entries looked
 * at), never by time: 4× the items must cost about 4× the work. A second test
 * checks that the indexed port decision gives what the plain scan gives.
 */

import { describe, expect, it } from 'vitest';
import { codeLenses } from '../../../core/src/features/codeLens';
import { decidePort, decidePortForWorkload, workloadCovers } from '../../../core/src/preview/ciliumEffective';
import { entryWork } from '../../../core/src/preview/ciliumEntryIndex';
import { effectivePolicy, listWorkloads } from '../../../core/src/preview/effectivePolicy';
import { previewIndex } from '../../../core/src/preview/workloads/previewIndex';
import { cnp, deployment, options, workspaceOf } from './support';

const PEERS = 6;
const peers = Array.from({ length: PEERS }, (_, index) => deployment('shop', `peer-${index}`, { app: `peer-${index}` }));
const WORKLOADS = [deployment('shop', 'api', { app: 'api' }), ...peers].join('---\n');

type Shape = 'empty' | 'l4' | 'l7' | 'widened' | 'mixed';

/** One CNP selecting `api` with `count` ingress items of one shape. */
function policy(shape: Shape, count: number): string {
  const items: string[] = [];
  for (let index = 0; index < count; index++) {
    const peer = `fromEndpoints: [{matchLabels: {app: peer-${index % PEERS}}}]`;
    const l7 = `toPorts: [{ports: [{port: "${8000 + (index % 7)}", protocol: TCP}], rules: {http: [{method: GET, path: "/p${index}"}]}}]`;
    const l4 = `toPorts: [{ports: [{port: "${8000 + (index % 7)}", protocol: TCP}]}]`;
    if (shape === 'empty') items.push('    - {}');
    else if (shape === 'l4') items.push(`    - ${peer}\n      ${l4}`);
    else if (shape === 'l7') items.push(`    - ${peer}\n      ${l7}`);
    else if (shape === 'widened') {
      // Pairs on their own port: an L7 item and an L3/L4-only item for the same peer, so each L7 item gets one note.
      const port = 20000 + Math.floor(index / 2);
      const pairPeer = `fromEndpoints: [{matchLabels: {app: peer-${Math.floor(index / 2) % PEERS}}}]`;
      items.push(index % 2 === 0 ? `    - ${pairPeer}\n      toPorts: [{ports: [{port: "${port}"}], rules: {http: [{path: "/x"}]}}]` : `    - ${pairPeer}\n      toPorts: [{ports: [{port: "${port}"}]}]`);
    } else items.push(index % 3 === 0 ? `    - ${peer}` : index % 3 === 1 ? `    - ${peer}\n      ${l7}` : `    - ${peer}\n      ${l4}`);
  }
  return cnp('shop', 'large', `  endpointSelector:\n    matchLabels: {app: api}\n  ingress:\n${items.join('\n')}\n`);
}

function lensWork(shape: Shape, count: number): { work: number; lenses: number } {
  const workspace = workspaceOf({ workloads: WORKLOADS, large: policy(shape, count) });
  const before = entryWork.examined;
  const lenses = codeLenses(workspace, '/repo/large.yaml', options).length;
  return { work: entryWork.examined - before, lenses };
}

describe('code lenses on a large CiliumNetworkPolicy', () => {
  for (const shape of ['empty', 'l4', 'l7', 'widened', 'mixed'] as const) {
    it(`grow linearly with the rule items (${shape} items)`, () => {
      const small = lensWork(shape, 150);
      const large = lensWork(shape, 600);
      expect(small.work).toBeGreaterThan(0);
      // 4× the items: linear work is about 4× (quadratic would be about 16×).
      expect(large.work / small.work).toBeLessThan(5);
      if (shape !== 'empty') expect(large.lenses).toBeGreaterThanOrEqual(4 * (small.lenses - 1));
    });
  }

  it('shows the widening note of each L7 item once', () => {
    const workspace = workspaceOf({ workloads: WORKLOADS, large: policy('widened', 6) });
    const titles = codeLenses(workspace, '/repo/large.yaml', options).map((lens) => lens.title);
    expect(titles.filter((title) => title.startsWith('⚠ L7 unrestricted'))).toEqual([
      '⚠ L7 unrestricted on :20000 for peer-0 because large.yaml:13 allows the port without rules',
      '⚠ L7 unrestricted on :20001 for peer-1 because large.yaml:17 allows the port without rules',
      '⚠ L7 unrestricted on :20002 for peer-2 because large.yaml:21 allows the port without rules',
    ]);
  });
});

describe('the indexed port decision', () => {
  it('decides every peer and port as the plain scan does', () => {
    const extra = cnp('shop', 'deny', '  endpointSelector:\n    matchLabels: {app: api}\n  ingressDeny:\n    - fromEndpoints: [{matchLabels: {app: peer-2}}]\n      toPorts: [{ports: [{port: "8003"}]}]\n    - fromEntities: [cluster]\n      toPorts: [{ports: [{port: "9000", endPort: 9005}]}]\n');
    const wide = cnp('shop', 'wide', '  endpointSelector:\n    matchLabels: {app: api}\n  ingress:\n    - toPorts: [{ports: [{port: "8001", protocol: ANY}]}]\n    - fromEndpoints: [{}]\n      toPorts: [{ports: [{port: "http"}, {port: "0", protocol: UDP}]}]\n');
    const workspace = workspaceOf({ workloads: WORKLOADS, large: policy('mixed', 60), deny: extra, wide });
    const index = previewIndex(workspace);
    const model = effectivePolicy(workspace, 'shop/api', options)!;
    const workloads = listWorkloads(workspace).map((summary) => index.workloads.find((workload) => `${workload.namespace}/${workload.name}` === summary.id)!);
    let compared = 0;
    for (const direction of ['ingress', 'egress'] as const) {
      const view = model.cilium[direction];
      for (const workload of workloads) {
        for (const port of [8000, 8001, 8003, 8006, 9002, 9010, 'http']) {
          for (const protocol of ['TCP', 'UDP']) {
            expect(decidePortForWorkload(view, workload, index, port, protocol)).toEqual(decidePort(view, workloadCovers(workload, index), port, protocol));
            compared++;
          }
        }
      }
    }
    expect(compared).toBe(2 * (PEERS + 1) * 7 * 2);
  });
});
