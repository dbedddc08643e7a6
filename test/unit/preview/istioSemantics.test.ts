/**
 * Istio semantics of the effective-policy model, table-driven through
 * `simulateRequest`: CUSTOM → DENY → ALLOW, "an ALLOW policy applies ⇒
 * default deny", `spec: {}`, root-namespace policies, value and path-template
 * matching, HTTP-only attributes on plain TCP, and ambient mode (ztunnel keeps
 * only L4; a waypoint and the destination ztunnel must both allow, the latter
 * seeing the waypoint's identity). Each case notes the naive reading it rules out.
 */

import { describe, expect, it } from 'vitest';
import { effectivePolicy } from '../../../core/src/preview/effectivePolicy';
import { istioValueMatches, pathTemplateRegex } from '../../../core/src/preview/httpMatch';
import { authz, deployment, layers, namespace, options, simulate, workspaceOf } from './support';

const SIDECAR = [
  namespace('shop', { 'istio-injection': 'enabled' }),
  namespace('front', { 'istio-injection': 'enabled' }),
  namespace('istio-system'),
  deployment('shop', 'api', { app: 'api' }),
  deployment('front', 'web', { app: 'web' }),
].join('---\n');

const AMBIENT = [
  namespace('shop', { 'istio.io/dataplane-mode': 'ambient' }),
  namespace('front', { 'istio.io/dataplane-mode': 'ambient' }),
  deployment('shop', 'api', { app: 'api' }),
  deployment('front', 'web', { app: 'web' }),
].join('---\n');

const WAYPOINT = [
  namespace('shop', { 'istio.io/dataplane-mode': 'ambient', 'istio.io/use-waypoint': 'waypoint' }),
  namespace('front', { 'istio.io/dataplane-mode': 'ambient' }),
  deployment('shop', 'api', { app: 'api' }),
  deployment('front', 'web', { app: 'web' }),
  'apiVersion: v1\nkind: Service\nmetadata: {name: api, namespace: shop}\nspec:\n  selector: {app: api}\n  ports: [{port: 80, targetPort: 8080}]\n',
  'apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: waypoint, namespace: shop}\nspec:\n  gatewayClassName: istio-waypoint\n  listeners: [{name: mesh, port: 15008, protocol: HBONE}]\n',
].join('---\n');

const FROM_WEB = '      - from:\n          - source:\n              principals: ["cluster.local/ns/front/sa/web"]\n';

interface Case {
  name: string;
  base: string;
  policies: string[];
  method?: string;
  path?: string;
  port?: number;
  expected: string;
}

const cases: Case[] = [
  { name: 'no policy: allowed', base: SIDECAR, policies: [], method: 'GET', path: '/', expected: 'cilium-l3l4=allow istio-sidecar=allow' },
  {
    name: 'an ALLOW policy for someone else makes the workload default-deny (naive: ALLOW only adds)',
    base: SIDECAR,
    policies: [authz('shop', 'only-batch', '  selector:\n    matchLabels: {app: api}\n  rules:\n    - from:\n        - source:\n            principals: ["cluster.local/ns/shop/sa/batch"]\n')],
    method: 'GET', path: '/',
    expected: 'cilium-l3l4=allow istio-sidecar=deny',
  },
  {
    name: '`spec: {}` allows nothing and denies everything (naive: an empty policy does nothing)',
    base: SIDECAR,
    policies: [authz('shop', 'allow-nothing', '  {}\n')],
    method: 'GET', path: '/',
    expected: 'cilium-l3l4=allow istio-sidecar=deny',
  },
  {
    name: '`rules: [{}]` allows everything',
    base: SIDECAR,
    policies: [authz('shop', 'allow-all', '  rules:\n    - {}\n')],
    method: 'DELETE', path: '/x',
    expected: 'cilium-l3l4=allow istio-sidecar=allow',
  },
  {
    name: 'DENY is evaluated before ALLOW (naive: the matching ALLOW wins)',
    base: SIDECAR,
    policies: [
      authz('shop', 'allow-all', '  rules:\n    - {}\n'),
      authz('shop', 'deny-admin', '  action: DENY\n  rules:\n    - to:\n        - operation:\n            paths: ["/admin*"]\n'),
    ],
    method: 'GET', path: '/admin/users',
    expected: 'cilium-l3l4=allow istio-sidecar=deny',
  },
  {
    name: 'rules OR, fields AND: methods and paths must both match',
    base: SIDECAR,
    policies: [authz('shop', 'web', `  selector:\n    matchLabels: {app: api}\n  rules:\n${FROM_WEB.replace(/^ {2}/gm, '')}      to:\n        - operation:\n            methods: [GET]\n            paths: ["/api/*"]\n`)],
    method: 'POST', path: '/api/orders',
    expected: 'cilium-l3l4=allow istio-sidecar=deny',
  },
  {
    name: 'prefix values match by prefix',
    base: SIDECAR,
    policies: [authz('shop', 'web', `  rules:\n${FROM_WEB.replace(/^ {2}/gm, '')}      to:\n        - operation:\n            methods: [GET]\n            paths: ["/api/*"]\n`)],
    method: 'GET', path: '/api/orders?x=1',
    expected: 'cilium-l3l4=allow istio-sidecar=allow',
  },
  {
    name: 'path templates: {*} is exactly one segment (naive: glob * across slashes)',
    base: SIDECAR,
    policies: [authz('shop', 'tmpl', '  rules:\n    - to:\n        - operation:\n            paths: ["/orders/{*}/items"]\n')],
    method: 'GET', path: '/orders/1/2/items',
    expected: 'cilium-l3l4=allow istio-sidecar=deny',
  },
  {
    name: 'a root-namespace selector policy applies in every namespace (naive: only its own namespace)',
    base: SIDECAR,
    policies: [authz('istio-system', 'mesh-api', '  selector:\n    matchLabels: {app: api}\n  action: DENY\n  rules:\n    - {}\n')],
    method: 'GET', path: '/',
    expected: 'cilium-l3l4=allow istio-sidecar=deny',
  },
  {
    name: 'a selector-less policy of another namespace does not apply',
    base: SIDECAR,
    policies: [authz('front', 'front-wide', '  {}\n')],
    method: 'GET', path: '/',
    expected: 'cilium-l3l4=allow istio-sidecar=allow',
  },
  {
    name: 'a targetRefs policy is ignored by sidecars (naive: applies like a namespace policy)',
    base: SIDECAR,
    policies: [authz('shop', 'gw', '  targetRefs:\n    - {group: gateway.networking.k8s.io, kind: Gateway, name: waypoint}\n')],
    method: 'GET', path: '/',
    expected: 'cilium-l3l4=allow istio-sidecar=allow',
  },
  {
    name: 'on plain TCP an ALLOW rule with HTTP attributes is skipped (stricter)',
    base: SIDECAR,
    policies: [authz('shop', 'web', `  rules:\n${FROM_WEB.replace(/^ {2}/gm, '')}      to:\n        - operation:\n            methods: [GET]\n`)],
    expected: 'cilium-l3l4=allow istio-sidecar=deny',
  },
  {
    name: 'ambient: ztunnel drops an ALLOW rule with L7 attributes, so the workload denies everything (naive: ALLOW from web passes)',
    base: AMBIENT,
    policies: [authz('shop', 'web', `  selector:\n    matchLabels: {app: api}\n  rules:\n${FROM_WEB.replace(/^ {2}/gm, '')}      to:\n        - operation:\n            methods: [GET]\n`)],
    method: 'GET', path: '/',
    expected: 'cilium-l3l4=allow istio-ztunnel=deny',
  },
  {
    name: 'ambient: an L4-only ALLOW from the client identity passes ztunnel',
    base: AMBIENT,
    policies: [authz('shop', 'web', `  selector:\n    matchLabels: {app: api}\n  rules:\n${FROM_WEB.replace(/^ {2}/gm, '')}`)],
    method: 'GET', path: '/',
    expected: 'cilium-l3l4=allow istio-ztunnel=allow',
  },
  {
    name: 'ambient: a DENY whose `to` is only L7 never fires at ztunnel (naive: it denies the path)',
    base: AMBIENT,
    policies: [authz('shop', 'deny-admin', '  action: DENY\n  rules:\n    - to:\n        - operation:\n            paths: ["/admin*"]\n')],
    method: 'GET', path: '/admin',
    expected: 'cilium-l3l4=allow istio-ztunnel=allow',
  },
  {
    name: 'ambient: a DENY with ports and methods keeps its port and denies all methods there (broader)',
    base: AMBIENT,
    policies: [authz('shop', 'deny-post', '  action: DENY\n  rules:\n    - to:\n        - operation:\n            ports: ["8080"]\n            methods: [POST]\n')],
    method: 'GET', path: '/',
    expected: 'cilium-l3l4=allow istio-ztunnel=deny',
  },
  {
    name: 'waypoint: the L7 targetRefs policy decides at the waypoint; ztunnel sees the waypoint identity, so a client-principal ALLOW there denies (naive: one decision with the client identity)',
    base: WAYPOINT,
    policies: [
      authz('shop', 'l7', `  targetRefs:\n    - {kind: Service, group: "", name: api}\n  rules:\n${FROM_WEB.replace(/^ {2}/gm, '')}      to:\n        - operation:\n            methods: [GET]\n`),
      authz('shop', 'l4', `  selector:\n    matchLabels: {app: api}\n  rules:\n${FROM_WEB.replace(/^ {2}/gm, '')}`),
    ],
    method: 'GET', path: '/',
    expected: 'cilium-l3l4=allow istio-waypoint=allow istio-ztunnel=deny',
  },
  {
    name: 'waypoint: both pass when ztunnel allows the waypoint identity',
    base: WAYPOINT,
    policies: [
      authz('shop', 'l7', `  targetRefs:\n    - {kind: Gateway, group: gateway.networking.k8s.io, name: waypoint}\n  rules:\n${FROM_WEB.replace(/^ {2}/gm, '')}      to:\n        - operation:\n            methods: [GET]\n`),
      authz('shop', 'l4', '  selector:\n    matchLabels: {app: api}\n  rules:\n    - from:\n        - source:\n            principals: ["cluster.local/ns/shop/sa/waypoint"]\n'),
    ],
    method: 'GET', path: '/',
    expected: 'cilium-l3l4=allow istio-waypoint=allow istio-ztunnel=allow',
  },
  {
    name: 'waypoint: the waypoint denies a method its ALLOW rules do not list',
    base: WAYPOINT,
    policies: [authz('shop', 'l7', `  targetRefs:\n    - {kind: Service, group: "", name: api}\n  rules:\n${FROM_WEB.replace(/^ {2}/gm, '')}      to:\n        - operation:\n            methods: [GET]\n`)],
    method: 'DELETE', path: '/',
    expected: 'cilium-l3l4=allow istio-waypoint=deny istio-ztunnel=allow',
  },
  {
    name: 'ambient: ztunnel silently ignores trustDomains, so principals alone decide (naive: the trust domain still restricts)',
    base: AMBIENT,
    policies: [authz('shop', 'td', '  selector:\n    matchLabels: {app: api}\n  rules:\n    - from:\n        - source:\n            principals: ["cluster.local/ns/front/sa/web"]\n            trustDomains: ["other.example"]\n')],
    expected: 'cilium-l3l4=allow istio-ztunnel=allow',
  },
  {
    name: 'sidecar: the same trustDomains constraint is enforced',
    base: SIDECAR,
    policies: [authz('shop', 'td', '  selector:\n    matchLabels: {app: api}\n  rules:\n    - from:\n        - source:\n            principals: ["cluster.local/ns/front/sa/web"]\n            trustDomains: ["other.example"]\n')],
    expected: 'cilium-l3l4=allow istio-sidecar=deny',
  },
  {
    name: 'dry-run policies are not enforced',
    base: SIDECAR,
    policies: [authz('shop', 'dry', '  {}\n').replace('metadata:\n', 'metadata:\n  annotations: {istio.io/dry-run: "true"}\n')],
    method: 'GET', path: '/',
    expected: 'cilium-l3l4=allow istio-sidecar=allow',
  },
];

describe('Istio effective policy semantics', () => {
  it.each(cases)('$name', (testCase) => {
    const files: Record<string, string> = { base: testCase.base };
    testCase.policies.forEach((policy, index) => (files[`policy${index}`] = policy));
    const workspace = workspaceOf(files);
    const result = simulate(workspace, { from: 'front/web', to: 'shop/api', port: testCase.port ?? 8080, method: testCase.method, path: testCase.path });
    expect(layers(result)).toBe(testCase.expected);
  });

  it('path templates: {*} one segment, {**} any remainder, literals quoted', () => {
    const table: [string, string, boolean][] = [
      ['/foo/{*}', '/foo/bar', true],
      ['/foo/{*}', '/foo/bar/baz', false],
      ['/foo/{**}', '/foo/bar/baz', true],
      ['/foo/{**}/', '/foo/bar/', true],
      ['/a.b/{*}', '/aXb/c', false],
      ['/api/*', '/api/x/y', true],
      ['*/health', '/v1/health', true],
      ['*', '', false],
    ];
    for (const [pattern, path, expected] of table) expect(istioValueMatches(pattern, path, 'path'), `${pattern} ~ ${path}`).toBe(expected);
    expect(pathTemplateRegex('/foo/{*}/x')).toContain('[^/]+');
  });

  it('the model says which rules ztunnel drops and that an ALLOW policy applies', () => {
    const workspace = workspaceOf({
      base: AMBIENT,
      policy: authz('shop', 'web', `  selector:\n    matchLabels: {app: api}\n  rules:\n${FROM_WEB.replace(/^ {2}/gm, '')}      to:\n        - operation:\n            methods: [GET]\n`),
    });
    const model = effectivePolicy(workspace, 'shop/api', options)!;
    expect(model.istio.mode).toBe('ambient');
    const [point] = model.istio.points;
    expect(point.point).toBe('ztunnel');
    expect(point.allow[0]).toMatchObject({ dropped: ['methods'], neverMatches: true, source: { file: '/repo/policy.yaml', line: 10, rule: 'authz shop/web rules[0]' } });
    expect(point.allowPolicies.map((source) => source.rule)).toEqual(['authz shop/web']);
    expect(point.notes.map((note) => note.kind)).toContain('ztunnel-drops-rule');
  });

  it('the waypoint comes from the namespace label and points at its Gateway', () => {
    const model = effectivePolicy(workspaceOf({ base: WAYPOINT }), 'shop/api', options)!;
    expect(model.istio.waypoint).toMatchObject({ name: 'waypoint', namespace: 'shop', via: 'namespace', source: { file: '/repo/base.yaml' } });
    expect(model.istio.points.map((point) => `${point.point}:${point.sourceIdentity}`)).toEqual(['waypoint:client', 'ztunnel:waypoint']);
  });
});
