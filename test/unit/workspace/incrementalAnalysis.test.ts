/**
 * Incremental analysis equals a full analysis: after any sequence of edits,
 * file removals and re-additions on a multi-file workspace, the diagnostics
 * of a long-lived service (which reuses cross-file results whose recorded
 * workspace reads are still current) are exactly those of a fresh service
 * given the same files.
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultAnalysisOptions, MeshlensService } from '../../../core/src/index';

const options = defaultAnalysisOptions();

const namespace = (name: string, ambient: boolean) =>
  `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n${ambient ? '  labels:\n    istio.io/dataplane-mode: ambient\n' : ''}`;

const serviceAccount = (name: string, ns: string) => `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: ${name}\n  namespace: ${ns}\n`;

const deployment = (name: string, ns: string, app: string, account: string) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n  selector:\n    matchLabels:\n      app: ${app}\n  template:\n    metadata:\n      labels:\n        app: ${app}\n    spec:\n      serviceAccountName: ${account}\n      containers:\n        - name: main\n          image: example/${name}:1\n`;

const authorizationPolicy = (name: string, ns: string, app: string, principal: string, withPaths: boolean) =>
  `apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n  selector:\n    matchLabels:\n      app: ${app}\n  action: ALLOW\n  rules:\n    - from:\n        - source:\n            principals:\n              - cluster.local/ns/${ns}/sa/${principal}\n${withPaths ? '      to:\n        - operation:\n            paths: ["/api/*"]\n' : ''}`;

const networkPolicy = (name: string, ns: string, app: string, port: string, path: string) =>
  `apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n  endpointSelector:\n    matchLabels:\n      app: ${app}\n  egress:\n    - toFQDNs:\n        - matchName: api.example.com\n    - toPorts:\n        - ports:\n            - port: "${port}"\n              protocol: TCP\n          rules:\n            http:\n              - method: GET\n                path: "${path}"\n`;

const helmRelease = (version: string, l7Proxy: boolean) =>
  `apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: cilium\n  namespace: kube-system\nspec:\n  interval: 30m\n  chart:\n    spec:\n      chart: cilium\n      version: ${version}\n      sourceRef:\n        kind: HelmRepository\n        name: cilium\n        namespace: flux-system\n  values:\n    l7Proxy: ${l7Proxy}\n`;

const helmRepository = (name: string) =>
  `apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata:\n  name: ${name}\n  namespace: flux-system\nspec:\n  interval: 12h\n  url: https://helm.cilium.io\n`;

/** Every file of the workspace as a function of a few facts that the edits flip. */
interface State {
  ambient: boolean[];
  accounts: string[];
  apps: string[];
  withPaths: boolean[];
  ports: string[];
  paths: string[];
  ciliumVersion: string;
  l7Proxy: boolean;
  repositoryName: string;
  present: boolean[];
}

const FILE_COUNT = 8;

function files(state: State): Map<string, string> {
  const result = new Map<string, string>();
  for (let index = 0; index < 3; index++) {
    const ns = `team-${index}`;
    result.set(`/repo/apps/${ns}/namespace.yaml`, namespace(ns, state.ambient[index]));
    result.set(
      `/repo/apps/${ns}/app.yaml`,
      [
        serviceAccount(state.accounts[index], ns),
        deployment(`${ns}-api`, ns, state.apps[index], state.accounts[index]),
        authorizationPolicy(`${ns}-allow`, ns, 'api', 'web', state.withPaths[index]),
        networkPolicy(`${ns}-cnp`, ns, state.apps[index], state.ports[index], state.paths[index]),
      ].join('---\n'),
    );
  }
  result.set('/repo/infra/cilium/release.yaml', helmRelease(state.ciliumVersion, state.l7Proxy));
  result.set('/repo/infra/cilium/repository.yaml', helmRepository(state.repositoryName));
  const paths = [...result.keys()];
  paths.forEach((path, index) => {
    if (!state.present[index]) result.delete(path);
  });
  return result;
}

type Edit =
  | { type: 'ambient'; index: number }
  | { type: 'account'; index: number; value: string }
  | { type: 'app'; index: number; value: string }
  | { type: 'paths'; index: number }
  | { type: 'port'; index: number; value: string }
  | { type: 'path'; index: number; value: string }
  | { type: 'cilium'; value: string }
  | { type: 'l7Proxy' }
  | { type: 'repository'; value: string }
  | { type: 'presence'; index: number };

const team = fc.integer({ min: 0, max: 2 });
const editArbitrary: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ type: fc.constant('ambient' as const), index: team }),
  fc.record({ type: fc.constant('account' as const), index: team, value: fc.constantFrom('api', 'web', 'worker') }),
  fc.record({ type: fc.constant('app' as const), index: team, value: fc.constantFrom('api', 'web') }),
  fc.record({ type: fc.constant('paths' as const), index: team }),
  fc.record({ type: fc.constant('port' as const), index: team, value: fc.constantFrom('8080', '53', '0') }),
  fc.record({ type: fc.constant('path' as const), index: team, value: fc.constantFrom('/api/.*', '/api/(', '/v[0-9]+') }),
  fc.record({ type: fc.constant('cilium' as const), value: fc.constantFrom('1.14.5', '1.16.3', '1.18.0') }),
  fc.record({ type: fc.constant('l7Proxy' as const) }),
  fc.record({ type: fc.constant('repository' as const), value: fc.constantFrom('cilium', 'other') }),
  fc.record({ type: fc.constant('presence' as const), index: fc.integer({ min: 0, max: FILE_COUNT - 1 }) }),
);

function apply(state: State, edit: Edit): State {
  const next: State = structuredClone(state);
  switch (edit.type) {
    case 'ambient':
      next.ambient[edit.index] = !next.ambient[edit.index];
      break;
    case 'account':
      next.accounts[edit.index] = edit.value;
      break;
    case 'app':
      next.apps[edit.index] = edit.value;
      break;
    case 'paths':
      next.withPaths[edit.index] = !next.withPaths[edit.index];
      break;
    case 'port':
      next.ports[edit.index] = edit.value;
      break;
    case 'path':
      next.paths[edit.index] = edit.value;
      break;
    case 'cilium':
      next.ciliumVersion = edit.value;
      break;
    case 'l7Proxy':
      next.l7Proxy = !next.l7Proxy;
      break;
    case 'repository':
      next.repositoryName = edit.value;
      break;
    case 'presence':
      next.present[edit.index] = !next.present[edit.index];
      break;
  }
  return next;
}

function allDiagnostics(service: MeshlensService, paths: Iterable<string>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const path of [...paths].sort()) result[path] = service.diagnostics(path, options);
  return result;
}

const initial: State = {
  ambient: [true, false, true],
  accounts: ['web', 'api', 'worker'],
  apps: ['api', 'web', 'api'],
  withPaths: [true, false, true],
  ports: ['8080', '8080', '53'],
  paths: ['/api/.*', '/api/.*', '/v[0-9]+'],
  ciliumVersion: '1.16.3',
  l7Proxy: true,
  repositoryName: 'cilium',
  present: Array.from({ length: FILE_COUNT }, () => true),
};

describe('incremental cross-file analysis', () => {
  it('the initial workspace has cross-file findings to keep in step (the test is not vacuous)', () => {
    const service = new MeshlensService({ roots: ['/repo'] });
    for (const [path, text] of files(initial)) service.setFile(path, text);
    const rules = new Set(Object.values(allDiagnostics(service, files(initial).keys())).flatMap((list) => (list as { rule: string }[]).map((d) => d.rule)));
    expect([...rules].some((rule) => rule.startsWith('authz/'))).toBe(true);
  });

  it('equals a fresh analysis after every step of random edit sequences', () => {
    fc.assert(
      fc.property(fc.array(editArbitrary, { minLength: 1, maxLength: 12 }), (edits) => {
        const incremental = new MeshlensService({ roots: ['/repo'] });
        let state = initial;
        let current = files(state);
        for (const [path, text] of current) incremental.setFile(path, text);
        allDiagnostics(incremental, current.keys());
        for (const edit of edits) {
          state = apply(state, edit);
          const next = files(state);
          for (const path of current.keys()) if (!next.has(path)) incremental.removeFile(path);
          for (const [path, text] of next) incremental.setFile(path, text);
          current = next;
          const fresh = new MeshlensService({ roots: ['/repo'] });
          for (const [path, text] of current) fresh.setFile(path, text);
          expect(allDiagnostics(incremental, current.keys())).toEqual(allDiagnostics(fresh, current.keys()));
        }
      }),
      { numRuns: 40, seed: 20261122 },
    );
  });
});
