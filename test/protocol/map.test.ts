/**
 * `meshlens/connectivityMap` (and the picker's `meshlens/connectivityScopes`)
 * over stdio: after the workspace scan, the map of
 * a namespace of the shop fixture (model, SVG with workspace-relative
 * tooltips, title), the whole workspace, and the errors (a namespace without
 * workloads, a parameter of the wrong type) as `{error}` answers.
 */

import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CONNECTIVITY_MAP_REQUEST, CONNECTIVITY_SCOPES_REQUEST, MODEL_CHANGED_NOTIFICATION, type ConnectivityMapResponse } from '../../protocol/src/messages';
import { startLanguageServer, type LspSession } from '../support/lspClient';
import { repoRoot } from '../support/repo';

const root = join(repoRoot, 'test', 'map-fixtures', 'shop');
const sessions: LspSession[] = [];

afterEach(async () => {
  for (const session of sessions.splice(0)) await session.stop();
});

/** A server on the shop fixture, resolved once its workspace scan has finished. */
async function scannedServer(): Promise<LspSession> {
  let scanned: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (scanned = resolve));
  const session = await startLanguageServer({ root, onConnection: (connection) => connection.onNotification(MODEL_CHANGED_NOTIFICATION, () => scanned()) });
  sessions.push(session);
  await done;
  return session;
}

describe('meshlens/connectivityMap', () => {
  it('answers the map of a namespace with its SVG and title', async () => {
    const session = await scannedServer();
    const answer = await session.connection.sendRequest<ConnectivityMapResponse>(CONNECTIVITY_MAP_REQUEST, { namespace: 'shop' });
    if ('error' in answer) throw new Error(answer.error);
    expect(answer.title).toBe('Connectivity: namespace shop · Cilium 1.20 · 8 nodes, 8 edges');
    const edge = answer.map.edges.find((candidate) => candidate.id === 'workload:shop/web->workload:shop/api')!;
    expect(edge.flows.map((flow) => [flow.ports, flow.l7])).toEqual([['8080/TCP', ['GET /orders/.*', 'Istio sidecar ALLOW methods GET paths /orders/*']]]);
    // The model keeps the server's absolute files (the client opens them); the SVG shows them relative.
    expect(edge.flows[0].rules[0].file).toBe(join(root, 'api-policy.yaml'));
    expect(answer.svg).toContain('cnp shop/api ingress[0].toPorts[0] — api-policy.yaml:13');
    expect(answer.svg).not.toContain(root);
  });

  it('answers the whole workspace without parameters, and errors as {error}', async () => {
    const session = await scannedServer();
    // The picker's choices: namespaces with workloads; the fixture models no cluster.
    expect(await session.connection.sendRequest(CONNECTIVITY_SCOPES_REQUEST)).toEqual({ namespaces: ['kube-system', 'shop'], clusters: [] });
    const whole = await session.connection.sendRequest<ConnectivityMapResponse>(CONNECTIVITY_MAP_REQUEST, {});
    expect('map' in whole && whole.map.nodes.filter((node) => node.inScope).map((node) => node.id)).toEqual(['workload:kube-system/coredns', 'workload:shop/api', 'workload:shop/db', 'workload:shop/web']);
    expect(await session.connection.sendRequest(CONNECTIVITY_MAP_REQUEST, { namespace: 'nope' })).toEqual({ error: 'no workload in namespace "nope" (namespaces with workloads: kube-system, shop)' });
    expect(await session.connection.sendRequest(CONNECTIVITY_MAP_REQUEST, { namespace: 7 })).toEqual({ error: 'namespace must be a string' });
    expect(await session.connection.sendRequest(CONNECTIVITY_MAP_REQUEST, { cluster: 'prod' })).toMatchObject({ map: { scope: { cluster: 'prod', note: 'the repository models no cluster: every policy of the workspace is counted' } } });
  });
});
