/**
 * The connectivity map: nodes, edges and their labels on the three-tier shop
 * fixture (`test/map-fixtures/shop`), on the example repository, per cluster
 * (the PolicyTest cluster fixture), and on small in-memory cases (L7
 * widening, a selector covering many workloads, deny rules, bad input); the
 * SVG and Mermaid renderings are deterministic and self-contained.
 */

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { connectivityMap, connectivityScopes, defaultAnalysisOptions, isConnectivityError, MeshlensService, renderConnectivityMermaid, renderConnectivitySvg, type ConnectivityMap } from '../../../core/src/index';
import { repoRoot } from '../../support/repo';
import { authz, cnp, deployment, namespace, workspaceOf } from './support';

const options = defaultAnalysisOptions({});

function loadFolder(root: string): MeshlensService {
  const service = new MeshlensService({ roots: [root] });
  const walk = (folder: string) => {
    for (const name of readdirSync(folder).sort()) {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.ya?ml$/.test(name)) service.setFile(path, readFileSync(path, 'utf8'));
    }
  };
  walk(root);
  return service;
}

function mapOf(service: MeshlensService, query: Parameters<typeof connectivityMap>[1] = {}): ConnectivityMap {
  const map = connectivityMap(service.workspace, query, options);
  if (isConnectivityError(map)) throw new Error(map.error);
  return map;
}

/** `from -> to: ports [l7 · …] @sides` per flow, sorted. */
function flows(map: ConnectivityMap): string[] {
  const bare = (id: string) => id.replace(/^[a-z]+:/, '');
  return map.edges.flatMap((edge) => edge.flows.map((flow) => `${bare(edge.from)} -> ${bare(edge.to)}: ${flow.ports}${flow.l7.length > 0 ? ` [${flow.l7.join(' · ')}]` : ''} @${[...flow.allowedAt].sort().join('+')}`));
}

const shopFixture = join(repoRoot, 'test', 'map-fixtures', 'shop');

describe('connectivity map of the shop fixture', () => {
  const service = loadFolder(shopFixture);
  const map = mapOf(service, { namespace: 'shop' });

  it('draws each allowed flow with its ports, L7 matches and the sides that allow it', () => {
    expect(flows(map)).toEqual([
      'world -> shop/web: 443/TCP @ingress',
      'shop/api -> kube-apiserver: 6443/TCP @egress',
      'shop/api -> payments.example.com: 443/TCP @egress',
      'shop/api -> kube-system/coredns: 53/UDP [DNS payments.example.com] @egress',
      'shop/api -> shop/db: 5432/TCP @egress+ingress',
      'shop/db -> 10.20.0.0/16: 9000/TCP @egress',
      'shop/web -> kube-system/coredns: 53/UDP [DNS pattern *] @egress',
      'shop/web -> shop/api: 8080/TCP [GET /orders/.* · Istio sidecar ALLOW methods GET paths /orders/*] @egress+ingress+istio',
    ]);
  });

  it('lists the rules behind a flow with file and line', () => {
    const edge = map.edges.find((candidate) => candidate.id === 'workload:shop/web->workload:shop/api')!;
    const rules = edge.flows[0].rules.map((rule) => `${rule.rule} @${rule.file.slice(shopFixture.length + 1)}:${rule.line}`);
    expect(rules).toEqual([
      'cnp shop/api ingress[0].toPorts[0] @api-policy.yaml:13',
      'cnp shop/api ingress[0].toPorts[0].rules.http[0] @api-policy.yaml:16',
      'cnp shop/web egress[0].toPorts[0] @web-policy.yaml:17',
      'authz shop/api rules[0] @authz.yaml:11',
      'cnp shop/web egress[0].toPorts[0].rules.http[0] @web-policy.yaml:20',
    ]);
  });

  it('marks nodes: kinds, scope, default-deny per direction, Istio mode', () => {
    const node = (id: string) => map.nodes.find((candidate) => candidate.id === id)!;
    expect(map.nodes.map((candidate) => candidate.id)).toEqual([
      'cidr:10.20.0.0/16',
      'entity:kube-apiserver',
      'entity:world',
      'fqdn:payments.example.com',
      'workload:kube-system/coredns',
      'workload:shop/api',
      'workload:shop/db',
      'workload:shop/web',
    ]);
    expect(node('workload:shop/api')).toMatchObject({ inScope: true, ingress: { defaultDeny: true }, egress: { defaultDeny: true }, istio: { mode: 'sidecar' } });
    expect(node('workload:shop/api').istio!.allowPolicies.map((source) => source.rule)).toEqual(['authz shop/api']);
    expect(node('workload:shop/db').istio).toBeUndefined();
    expect(node('workload:kube-system/coredns')).toMatchObject({ inScope: false });
    expect(node('workload:kube-system/coredns').ingress).toBeUndefined();
  });

  it('leaves out a flow the other end drops, and says why', () => {
    expect(map.excluded.map((flow) => `${flow.from} -> ${flow.to} ${flow.ports}: ${flow.reason}`)).toEqual([
      'workload:shop/web -> workload:shop/db 5432/TCP: egress of shop/web: default-deny egress and no rule allows this peer on :5432/TCP',
    ]);
  });

  it('lists policies that are not in force and draws nothing from them', () => {
    expect(map.notInForce.map((entry) => entry.message.slice(0, 50))).toEqual(['cnp shop/api-debug is not in force: the Cilium age']);
    expect(map.edges.some((edge) => edge.from === 'workload:shop/db' && edge.to === 'workload:shop/api')).toBe(false);
  });

  it('renders a deterministic, self-contained SVG with clickable edge and node ids', () => {
    const svg = renderConnectivitySvg(map);
    expect(renderConnectivitySvg(mapOf(loadFolder(shopFixture), { namespace: 'shop' }))).toBe(svg);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.replace('http://www.w3.org/2000/svg', '')).not.toMatch(/https?:|<script|<image|<foreignObject|href=/);
    expect(svg.match(/class="edge" data-edge=/g)).toHaveLength(map.edges.length);
    expect(svg.match(/class="node" data-node=/g)).toHaveLength(map.nodes.length);
    expect(svg).toContain('data-edge="workload:shop/web-&gt;workload:shop/api"');
    expect(svg).toContain('GET /orders/.*');
    expect(svg).toContain('class="excluded" data-excluded="workload:shop/web-&gt;workload:shop/db"');
    expect(svg).toContain('not in force (no edge drawn): cnp shop/api-debug');
  });

  it('renders a Mermaid flowchart with one line per node and edge', () => {
    const mermaid = renderConnectivityMermaid(map).split('\n');
    expect(mermaid[1]).toBe('flowchart LR');
    expect(mermaid).toContain('  n7 -->|"8080/TCP GET /orders/.* · Istio sidecar ALLOW methods GET paths /orders/*"| n5');
    expect(mermaid).toContain('  n2(["entity: world"])');
    expect(mermaid.filter((line) => line.includes('-->'))).toHaveLength(map.edges.length);
  });

  it('without a namespace every workload is a subject', () => {
    const whole = mapOf(service);
    expect(whole.nodes.find((node) => node.id === 'workload:kube-system/coredns')?.inScope).toBe(true);
    expect(whole.edges.length).toBe(map.edges.length);
  });

  it('a namespace without workloads is an error that lists the namespaces', () => {
    const result = connectivityMap(service.workspace, { namespace: 'nope' }, options);
    expect(isConnectivityError(result) && result.error).toBe('no workload in namespace "nope" (namespaces with workloads: kube-system, shop)');
  });
});

describe('connectivity map of the example repository', () => {
  const map = mapOf(loadFolder(join(repoRoot, 'examples', 'platform-repo')), { namespace: 'shop' });

  it('draws no flow into checkout-api: the refused CNPs and the ztunnel-dropped ALLOW rule leave none', () => {
    expect(map.edges).toEqual([]);
    expect(map.excluded.map((flow) => `${flow.from} -> ${flow.to} ${flow.ports}: ${flow.reason}`)).toEqual([
      'workload:shop/web-frontend -> workload:shop/checkout-api 8080/TCP: Istio ztunnel of shop/checkout-api: ALLOW policies apply and no rule admits shop/web-frontend',
    ]);
    expect(map.notInForce.map((entry) => entry.source?.rule)).toEqual(['cnp shop/checkout-api', 'cnp shop/checkout-dns']);
    expect(map.nodes.find((node) => node.id === 'workload:shop/checkout-api')).toMatchObject({ ingress: { defaultDeny: true }, istio: { mode: 'ambient' } });
  });
});

describe('connectivity map per cluster', () => {
  const service = loadFolder(join(repoRoot, 'test', 'fixtures', 'policytest', 'case-fails', 'cluster-scoped'));

  it('counts only the policies and workloads the cluster deploys', () => {
    expect(flows(mapOf(service, { cluster: 'prod' }))).toEqual(['shop/api -> shop/db: 5432/TCP @ingress']);
    expect(flows(mapOf(service, { cluster: 'staging' }))).toEqual([]);
  });

  it('lists the namespaces and clusters a map can be drawn for', () => {
    expect(connectivityScopes(service.workspace)).toEqual({ namespaces: ['kube-system', 'shop'], clusters: ['prod', 'staging'] });
  });

  it('an unknown cluster is an error that names the clusters', () => {
    const result = connectivityMap(service.workspace, { cluster: 'prd' }, options);
    expect(isConnectivityError(result) && result.error).toContain('cluster "prd" is not a cluster of this repository (clusters: ');
  });
});

describe('connectivity map semantics', () => {
  const workloads = [namespace('shop'), deployment('shop', 'web', { app: 'web' }), deployment('shop', 'api', { app: 'api' })].join('---\n');

  it('marks an L7 flow widened by an L3/L4-only allow of the same port', () => {
    const l7 = cnp('shop', 'api-l7', '  endpointSelector:\n    matchLabels: {app: api}\n  ingress:\n    - fromEndpoints: [{matchLabels: {app: web}}]\n      toPorts:\n        - ports: [{port: "8080", protocol: TCP}]\n          rules:\n            http: [{method: GET, path: /orders}]\n');
    const l4 = cnp('shop', 'api-l4', '  endpointSelector:\n    matchLabels: {app: api}\n  ingress:\n    - fromEndpoints: [{matchLabels: {app: web}}]\n      toPorts:\n        - ports: [{port: "8080", protocol: TCP}]\n');
    const workspace = workspaceOf({ workloads, l7, l4 });
    const map = connectivityMap(workspace, {}, options) as ConnectivityMap;
    const flow = map.edges.find((edge) => edge.id === 'workload:shop/web->workload:shop/api')!.flows[0];
    expect(flow.l7).toEqual(['GET /orders']);
    expect(flow.l7WidenedBy?.rule).toBe('cnp shop/api-l4 ingress[0].toPorts[0]');
    expect(renderConnectivitySvg(map)).toContain('stroke-dasharray="6 3" marker-end="url(#arrow-widened)"');
  });

  it('a deny rule removes the flow it covers', () => {
    const policy = cnp('shop', 'api', '  endpointSelector:\n    matchLabels: {app: api}\n  ingress:\n    - fromEndpoints: [{matchLabels: {app: web}}]\n  ingressDeny:\n    - fromEndpoints: [{matchLabels: {app: web}}]\n      toPorts:\n        - ports: [{port: "9000", protocol: TCP}]\n');
    const egress = cnp('shop', 'web', '  endpointSelector:\n    matchLabels: {app: web}\n  egress:\n    - toEndpoints: [{matchLabels: {app: api}}]\n      toPorts:\n        - ports: [{port: "9000", protocol: TCP}]\n');
    const map = connectivityMap(workspaceOf({ workloads, policy, egress }), {}, options) as ConnectivityMap;
    // api admits web on every port, web's egress only 9000, which api denies: nothing flows.
    expect(flows(map)).toEqual([]);
    expect(map.excluded.map((flow) => `${flow.ports}: ${flow.reason}`)).toEqual(['9000/TCP: ingress of shop/api: denied by cnp shop/api ingressDeny[0].toPorts[0]']);
  });

  it('a selector that covers many workloads is one group node', () => {
    const many = Array.from({ length: 8 }, (_, position) => deployment('shop', `app${position}`, { tier: 'back', app: `app${position}` })).join('---\n');
    const policy = cnp('shop', 'back', '  endpointSelector:\n    matchLabels: {app: api}\n  egress:\n    - toEndpoints: [{matchLabels: {tier: back}}]\n');
    const map = connectivityMap(workspaceOf({ workloads, many, policy }), { namespace: 'shop' }, options) as ConnectivityMap;
    expect(flows(map)).toEqual(['shop/api -> shop/tier=back: all ports @egress']);
    expect(map.nodes.find((node) => node.id === 'selector:shop/tier=back')).toMatchObject({ kind: 'selector', label: 'shop/tier=back (8 workloads)' });
  });

  it('marks ambient workloads behind a waypoint and draws the flows the waypoint ALLOW rules admit', () => {
    const mesh = namespace('mesh', { 'istio.io/dataplane-mode': 'ambient', 'istio.io/use-waypoint': 'wp' });
    const pods = [deployment('mesh', 'web', { app: 'web' }), deployment('mesh', 'api', { app: 'api' })].join('---\n');
    const policy = authz('mesh', 'api-allow', '  targetRefs:\n    - kind: Gateway\n      group: gateway.networking.k8s.io\n      name: wp\n  action: ALLOW\n  rules:\n    - from:\n        - source:\n            principals: [cluster.local/ns/mesh/sa/web]\n      to:\n        - operation:\n            methods: [GET]\n');
    const map = connectivityMap(workspaceOf({ mesh, pods, policy }), {}, options) as ConnectivityMap;
    expect(map.nodes.find((node) => node.id === 'workload:mesh/api')?.istio).toMatchObject({ mode: 'ambient', waypoint: 'mesh/wp' });
    expect(flows(map)).toEqual(['mesh/web -> mesh/api: all ports [Istio waypoint ALLOW methods GET] @istio']);
    expect(renderConnectivitySvg(map)).toContain('istio ambient · waypoint mesh/wp · ALLOW');
  });

  it('bad input never throws: an empty workspace and broken YAML give an empty map', () => {
    expect(connectivityMap(workspaceOf({}), {}, options)).toMatchObject({ nodes: [], edges: [] });
    const broken = connectivityMap(workspaceOf({ broken: 'kind: CiliumNetworkPolicy\nspec: [\n  endpointSelector: {\n', odd: cnp('shop', 'x', '  endpointSelector: 7\n  ingress: nope\n') }), {}, options);
    expect(broken).toMatchObject({ edges: [] });
    expect(() => renderConnectivitySvg(broken as ConnectivityMap)).not.toThrow();
  });
});
