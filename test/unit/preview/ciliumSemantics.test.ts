/**
 * Cilium semantics of the effective-policy model, table-driven through
 * `simulateRequest`. Each case is one the naive reading gets wrong (noted per
 * case): the L3/L4-only allow that lifts L7 rules, deny over allow, the CNP
 * namespace rules for subjects and peers vs CCNP, default-deny only with a
 * section, `enableDefaultDeny: false`, whole-value RE2 matching, and so on.
 */

import { describe, expect, it } from 'vitest';
import { effectivePolicy } from '../../../core/src/preview/effectivePolicy';
import { ccnp, cnp, deployment, layers, namespace, options, simulate, workspaceOf } from './support';

const WORKLOADS = [
  namespace('shop'),
  namespace('front'),
  deployment('shop', 'api', { app: 'api' }, 'api', [{ name: 'http', containerPort: 8080 }]),
  deployment('shop', 'web', { app: 'web' }),
  deployment('shop', 'batch', { app: 'batch' }),
  deployment('front', 'web', { app: 'web' }),
].join('---\n');

const HTTP_FROM_WEB = cnp(
  'shop',
  'api-http',
  '  endpointSelector:\n    matchLabels: {app: api}\n  ingress:\n    - fromEndpoints:\n        - matchLabels: {app: web}\n      toPorts:\n        - ports: [{port: "8080", protocol: TCP}]\n          rules:\n            http:\n              - method: POST\n                path: /api/v2/orders\n              - method: GET\n                path: "/api/v2/orders/[0-9]+"\n',
);

interface Case {
  name: string;
  files: Record<string, string>;
  from: string;
  to: string;
  port: number;
  protocol?: string;
  method?: string;
  path?: string;
  expected: string;
}

const cases: Case[] = [
  {
    name: 'L7 rules restrict the peer: a request outside them is denied at L7 (naive: L4 allow = allowed)',
    files: { policy: HTTP_FROM_WEB },
    from: 'shop/web', to: 'shop/api', port: 8080, method: 'DELETE', path: '/api/v2/orders/1',
    expected: 'cilium-l3l4=allow cilium-l7=deny',
  },
  {
    name: 'a matching request passes the L7 rules',
    files: { policy: HTTP_FROM_WEB },
    from: 'shop/web', to: 'shop/api', port: 8080, method: 'GET', path: '/api/v2/orders/42',
    expected: 'cilium-l3l4=allow cilium-l7=allow',
  },
  {
    name: 'an L3/L4-only allow for the same peer and port in another policy makes every request pass (naive: L7 rules still apply)',
    files: {
      policy: HTTP_FROM_WEB,
      debug: cnp('shop', 'debug', '  endpointSelector:\n    matchLabels: {app: api}\n  ingress:\n    - fromEndpoints:\n        - matchLabels: {app: web}\n      toPorts:\n        - ports: [{port: "8080", protocol: TCP}]\n'),
    },
    from: 'shop/web', to: 'shop/api', port: 8080, method: 'DELETE', path: '/anything',
    expected: 'cilium-l3l4=allow cilium-l7=allow',
  },
  {
    name: 'a wildcard allow of the port (toPorts without peers) also lifts the L7 rules of a narrower selector (naive: different selectors do not interact)',
    files: { policy: HTTP_FROM_WEB, open: cnp('shop', 'open', '  endpointSelector:\n    matchLabels: {app: api}\n  ingress:\n    - toPorts:\n        - ports: [{port: "8080", protocol: TCP}]\n') },
    from: 'shop/web', to: 'shop/api', port: 8080, method: 'DELETE', path: '/anything',
    expected: 'cilium-l3l4=allow cilium-l7=allow',
  },
  {
    name: 'two L7 allows for the same peer union their rules, everything else is still denied',
    files: {
      policy: HTTP_FROM_WEB,
      more: cnp('shop', 'more', '  endpointSelector:\n    matchLabels: {app: api}\n  ingress:\n    - fromEndpoints:\n        - matchLabels: {app: web}\n      toPorts:\n        - ports: [{port: "8080", protocol: TCP}]\n          rules:\n            http:\n              - method: PUT\n'),
    },
    from: 'shop/web', to: 'shop/api', port: 8080, method: 'PUT', path: '/x',
    expected: 'cilium-l3l4=allow cilium-l7=allow',
  },
  {
    name: 'HTTP path regexes match the whole path: /api/v2/orders does not admit /api/v2/orders/extra (naive: unanchored search)',
    files: { policy: HTTP_FROM_WEB },
    from: 'shop/web', to: 'shop/api', port: 8080, method: 'POST', path: '/api/v2/orders/extra',
    expected: 'cilium-l3l4=allow cilium-l7=deny',
  },
  {
    name: 'HTTP method regexes match the whole method: GET does not admit GETX',
    files: { policy: HTTP_FROM_WEB },
    from: 'shop/web', to: 'shop/api', port: 8080, method: 'GETX', path: '/api/v2/orders/1',
    expected: 'cilium-l3l4=allow cilium-l7=deny',
  },
  {
    name: 'deny wins over an allow of the same peer and port (naive: most specific or last rule wins)',
    files: {
      policy: HTTP_FROM_WEB,
      deny: cnp('shop', 'deny', '  endpointSelector:\n    matchLabels: {app: api}\n  ingressDeny:\n    - fromEndpoints:\n        - matchLabels: {app: web}\n'),
    },
    from: 'shop/web', to: 'shop/api', port: 8080, method: 'POST', path: '/api/v2/orders',
    expected: 'cilium-l3l4=deny',
  },
  {
    name: 'a CNP peer selector without namespace only covers the policy namespace (naive: any namespace)',
    files: { policy: HTTP_FROM_WEB },
    from: 'front/web', to: 'shop/api', port: 8080, method: 'POST', path: '/api/v2/orders',
    expected: 'cilium-l3l4=deny',
  },
  {
    name: 'a CCNP peer selector without namespace covers every namespace',
    files: {
      policy: ccnp('api-from-web', '  endpointSelector:\n    matchLabels: {app: api}\n  ingress:\n    - fromEndpoints:\n        - matchLabels: {app: web}\n      toPorts:\n        - ports: [{port: "8080", protocol: TCP}]\n'),
    },
    from: 'front/web', to: 'shop/api', port: 8080,
    expected: 'cilium-l3l4=allow',
  },
  {
    name: 'a CNP peer selector naming the namespace label reaches that namespace',
    files: {
      policy: cnp('shop', 'api', '  endpointSelector:\n    matchLabels: {app: api}\n  ingress:\n    - fromEndpoints:\n        - matchLabels: {app: web, k8s:io.kubernetes.pod.namespace: front}\n'),
    },
    from: 'front/web', to: 'shop/api', port: 9000,
    expected: 'cilium-l3l4=allow',
  },
  {
    name: 'a CNP subject is limited to its namespace: a CNP in front does not select shop/api (naive: selector alone)',
    files: { policy: cnp('front', 'lock', '  endpointSelector:\n    matchLabels: {app: api}\n  ingress:\n    - {}\n') },
    from: 'shop/web', to: 'shop/api', port: 8080,
    expected: 'cilium-l3l4=allow',
  },
  {
    name: 'an egress-only policy does not make ingress default-deny (naive: any selecting policy denies both ways)',
    files: { policy: cnp('shop', 'egress-only', '  endpointSelector:\n    matchLabels: {app: api}\n  egress:\n    - toEndpoints:\n        - {}\n') },
    from: 'shop/batch', to: 'shop/api', port: 8080,
    expected: 'cilium-l3l4=allow',
  },
  {
    name: '`ingress: [{}]` turns on default-deny and allows nothing',
    files: { policy: cnp('shop', 'lock', '  endpointSelector:\n    matchLabels: {app: api}\n  ingress:\n    - {}\n') },
    from: 'shop/web', to: 'shop/api', port: 8080,
    expected: 'cilium-l3l4=deny',
  },
  {
    name: 'enableDefaultDeny.ingress: false keeps unmatched peers allowed (naive: an ingress section means default-deny)',
    files: {
      policy: cnp('shop', 'soft', '  endpointSelector:\n    matchLabels: {app: api}\n  enableDefaultDeny:\n    ingress: false\n  ingress:\n    - fromEndpoints:\n        - matchLabels: {app: web}\n'),
    },
    from: 'shop/batch', to: 'shop/api', port: 8080,
    expected: 'cilium-l3l4=allow',
  },
  {
    name: 'on 1.18+, L7 rules of a rule with enableDefaultDeny false are visibility only',
    files: {
      policy: cnp('shop', 'visibility', '  endpointSelector:\n    matchLabels: {app: api}\n  enableDefaultDeny:\n    ingress: false\n  ingress:\n    - fromEndpoints:\n        - matchLabels: {app: web}\n      toPorts:\n        - ports: [{port: "8080", protocol: TCP}]\n          rules:\n            http: [{method: GET}]\n'),
    },
    from: 'shop/web', to: 'shop/api', port: 8080, method: 'DELETE', path: '/',
    expected: 'cilium-l3l4=allow cilium-l7=allow',
  },
  {
    name: "the client's egress must allow too: an egress policy without the destination denies (naive: only the server's ingress counts)",
    files: { policy: HTTP_FROM_WEB, egress: cnp('shop', 'web-egress', '  endpointSelector:\n    matchLabels: {app: web}\n  egress:\n    - toEndpoints:\n        - matchLabels: {app: batch}\n') },
    from: 'shop/web', to: 'shop/api', port: 8080, method: 'POST', path: '/api/v2/orders',
    expected: 'cilium-l3l4=deny',
  },
  {
    name: 'a named port resolves to the destination container port',
    files: { policy: cnp('shop', 'named', '  endpointSelector:\n    matchLabels: {app: api}\n  ingress:\n    - fromEndpoints:\n        - matchLabels: {app: web}\n      toPorts:\n        - ports: [{port: http, protocol: TCP}]\n') },
    from: 'shop/web', to: 'shop/api', port: 8080,
    expected: 'cilium-l3l4=allow',
  },
  {
    name: 'protocol ANY covers UDP; a TCP-only allow does not',
    files: { policy: cnp('shop', 'tcp', '  endpointSelector:\n    matchLabels: {app: api}\n  ingress:\n    - fromEndpoints:\n        - matchLabels: {app: web}\n      toPorts:\n        - ports: [{port: "53", protocol: TCP}]\n') },
    from: 'shop/web', to: 'shop/api', port: 53, protocol: 'UDP',
    expected: 'cilium-l3l4=deny',
  },
  {
    name: 'entity cluster covers pods; entity world does not',
    files: { policy: cnp('shop', 'world', '  endpointSelector:\n    matchLabels: {app: api}\n  ingress:\n    - fromEntities: [world]\n') },
    from: 'shop/web', to: 'shop/api', port: 8080,
    expected: 'cilium-l3l4=deny',
  },
  {
    name: 'an empty peer list selects no peer',
    files: { policy: cnp('shop', 'empty', '  endpointSelector:\n    matchLabels: {app: api}\n  ingress:\n    - fromEndpoints: []\n      toPorts:\n        - ports: [{port: "8080", protocol: TCP}]\n') },
    from: 'shop/web', to: 'shop/api', port: 8080,
    expected: 'cilium-l3l4=deny',
  },
];

describe('Cilium effective policy semantics', () => {
  it.each(cases)('$name', (testCase) => {
    const workspace = workspaceOf({ workloads: WORKLOADS, ...testCase.files });
    const result = simulate(workspace, { from: testCase.from, to: testCase.to, port: testCase.port, protocol: testCase.protocol, method: testCase.method, path: testCase.path });
    expect(layers(result)).toBe(testCase.expected);
    expect(result.verdict).toBe(testCase.expected.includes('=deny') ? 'deny' : 'allow');
  });

  it('records which rule widened L7, with file and line', () => {
    const debug = cnp('shop', 'debug', '  endpointSelector:\n    matchLabels: {app: api}\n  ingress:\n    - fromEndpoints:\n        - matchLabels: {app: web}\n      toPorts:\n        - ports: [{port: "8080", protocol: TCP}]\n');
    const workspace = workspaceOf({ workloads: WORKLOADS, policy: HTTP_FROM_WEB, 'debug-l4': debug });
    const model = effectivePolicy(workspace, 'shop/api', options)!;
    const note = model.cilium.ingress.notes.find((candidate) => candidate.kind === 'l7-widened');
    expect(note?.message).toBe('L7 unrestricted on :8080 for web because debug-l4.yaml:13 allows the port without rules');
    expect(note?.because).toMatchObject({ file: '/repo/debug-l4.yaml', line: 13, rule: 'cnp shop/debug ingress[0].toPorts[0]' });
    expect(note?.at).toMatchObject({ file: '/repo/policy.yaml', line: 13 });
    const result = simulate(workspace, { from: 'shop/web', to: 'shop/api', port: 8080, method: 'DELETE', path: '/' });
    expect(result.layers[1].decidedBy.map((source) => `${source.file}:${source.line}`)).toEqual(['/repo/debug-l4.yaml:13']);
  });

  it('records the deny that overrides an allow', () => {
    const workspace = workspaceOf({
      workloads: WORKLOADS,
      policy: HTTP_FROM_WEB,
      deny: cnp('shop', 'deny', '  endpointSelector:\n    matchLabels: {app: api}\n  ingressDeny:\n    - fromEndpoints:\n        - matchLabels: {app: web}\n      toPorts:\n        - ports: [{port: "8080"}]\n'),
    });
    const model = effectivePolicy(workspace, 'shop/api', options)!;
    expect(model.cilium.ingress.notes.find((note) => note.kind === 'deny-overrides')?.because?.rule).toBe('cnp shop/deny ingressDeny[0].toPorts[0]');
    const result = simulate(workspace, { from: 'shop/web', to: 'shop/api', port: 8080 });
    expect(result.decidedBy.map((source) => source.rule)).toEqual(['cnp shop/deny ingressDeny[0].toPorts[0]']);
  });

  it('lists default-deny sources and the union of allows per direction', () => {
    const workspace = workspaceOf({ workloads: WORKLOADS, policy: HTTP_FROM_WEB });
    const model = effectivePolicy(workspace, 'shop/api', options)!;
    expect(model.cilium.ingress.defaultDeny).toBe(true);
    expect(model.cilium.ingress.defaultDenyBy.map((source) => source.line)).toEqual([9]);
    expect(model.cilium.egress.defaultDeny).toBe(false);
    expect(model.cilium.ingress.allows[0].l7?.http.map((rule) => rule.text)).toEqual(['POST /api/v2/orders', 'GET /api/v2/orders/[0-9]+']);
    expect(model.cilium.ingress.allows[0].peer).toMatchObject({ kind: 'endpoints', workloads: ['shop/web'], namespace: 'shop' });
  });

  it('a regex that does not compile matches nothing, and a hostile regex stays linear', () => {
    const policy = cnp('shop', 'bad', '  endpointSelector:\n    matchLabels: {app: api}\n  ingress:\n    - fromEndpoints:\n        - matchLabels: {app: web}\n      toPorts:\n        - ports: [{port: "8080", protocol: TCP}]\n          rules:\n            http:\n              - path: "/api/[0-9+"\n              - path: "(a+)+b"\n');
    const workspace = workspaceOf({ workloads: WORKLOADS, policy });
    const started = performance.now();
    const result = simulate(workspace, { from: 'shop/web', to: 'shop/api', port: 8080, method: 'GET', path: `/${'a'.repeat(5000)}` });
    expect(performance.now() - started).toBeLessThan(2000);
    expect(layers(result)).toBe('cilium-l3l4=allow cilium-l7=deny');
  });
});
