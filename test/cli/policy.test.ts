/**
 * `meshlens effective` and `meshlens simulate` end to end through the bundle
 * (`dist/cli.js`, built by `npm test` / `npm run build`): text and JSON
 * output, relative file paths, exit codes (a denied request exits 0; usage
 * errors and unknown workloads exit 2).
 */

import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { meshlens } from '../support/cli';


let workdir: string;

beforeAll(() => {
  workdir = mkdtempSync(join(tmpdir(), 'meshlens-policy-'));
  mkdirSync(join(workdir, 'apps'));
  writeFileSync(
    join(workdir, 'apps', 'workloads.yaml'),
    [
      'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n  namespace: shop\nspec:\n  template:\n    metadata:\n      labels: {app: api}\n',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  template:\n    metadata:\n      labels: {app: web}\n',
    ].join('---\n'),
  );
  writeFileSync(
    join(workdir, 'apps', 'api-policy.yaml'),
    'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata:\n  name: api\n  namespace: shop\nspec:\n  endpointSelector:\n    matchLabels: {app: api}\n  ingress:\n    - fromEndpoints:\n        - matchLabels: {app: web}\n      toPorts:\n        - ports: [{port: "8080", protocol: TCP}]\n          rules:\n            http:\n              - method: GET\n                path: "/orders/.*"\n',
  );
});

describe('meshlens effective', () => {
  it('prints the effective policy as text with relative file:line sources', () => {
    const result = meshlens(['effective', 'apps', '--workload', 'shop/api'], workdir);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Effective policy of shop/api\n=====');
    expect(result.stdout).toContain('- ← web :8080/TCP — HTTP: GET /orders/.*  (apps/api-policy.yaml:13)');
    expect(result.stdout).toContain('Egress: not restricted');
  });

  it('prints the model as JSON with displayed file names', () => {
    const result = meshlens(['effective', 'apps', '--workload', 'shop/api', '--format', 'json'], workdir);
    expect(result.code).toBe(0);
    const model = JSON.parse(result.stdout);
    expect(model.workload).toMatchObject({ id: 'shop/api', kind: 'Deployment' });
    expect(model.cilium.ingress.defaultDeny).toBe(true);
    expect(model.cilium.ingress.allows[0].source).toMatchObject({ file: 'apps/api-policy.yaml', line: 13 });
    expect(model.cilium.ingress.allows[0].l7.http[0]).toMatchObject({ method: 'GET', path: '/orders/.*' });
  });

  it('exits 2 on an unknown workload or a missing --workload', () => {
    const unknown = meshlens(['effective', 'apps', '--workload', 'shop/nope'], workdir);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown workload "shop/nope"');
    expect(meshlens(['effective', 'apps'], workdir).code).toBe(2);
    expect(meshlens(['effective', 'apps', '--workload', 'shop api'], workdir).code).toBe(2);
    // A bare name is looked up in every namespace when it is unambiguous.
    const bare = meshlens(['effective', 'apps', '--workload', 'api'], workdir);
    expect(bare.code).toBe(0);
    expect(bare.stdout).toContain('Effective policy of shop/api');
  });
});

describe('meshlens simulate', () => {
  it('answers allow with the deciding rules in JSON', () => {
    const result = meshlens(['simulate', 'apps', '--from', 'shop/web', '--to', 'shop/api', '--port', '8080', '--method', 'GET', '--path', '/orders/7', '--format', 'json'], workdir);
    expect(result.code).toBe(0);
    const answer = JSON.parse(result.stdout);
    expect(answer.verdict).toBe('allow');
    expect(answer.layers.map((layer: { layer: string; verdict: string }) => `${layer.layer}=${layer.verdict}`)).toEqual(['cilium-l3l4=allow', 'cilium-l7=allow']);
    expect(answer.decidedBy).toContainEqual({ file: 'apps/api-policy.yaml', line: 16, rule: 'cnp shop/api ingress[0].toPorts[0].rules.http[0]' });
  });

  it('answers deny (exit 0) and names the rules in text', () => {
    const result = meshlens(['simulate', 'apps', '--from', 'shop/web', '--to', 'shop/api', '--port', '8080', '--method', 'POST', '--path', '/orders/7'], workdir);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('DENY: shop/web → shop/api :8080/TCP POST /orders/7');
    expect(result.stdout).toContain('- cilium-l7: deny — ingress: no HTTP rule matches (allowed: GET /orders/.*); the proxy answers 403');
    expect(result.stdout).toContain('(apps/api-policy.yaml:16)');
  });

  it('denies another port at L3/L4 with the default-deny section as the reason', () => {
    const result = meshlens(['simulate', 'apps', '--from', 'shop/web', '--to', 'shop/api', '--port', '9090', '--format', 'json'], workdir);
    const answer = JSON.parse(result.stdout);
    expect(answer.verdict).toBe('deny');
    expect(answer.decidedBy).toEqual([{ file: 'apps/api-policy.yaml', line: 9, rule: 'cnp shop/api ingress' }]);
  });

  it('exits 2 on usage errors and unknown workloads', () => {
    expect(meshlens(['simulate', 'apps', '--from', 'shop/web', '--to', 'shop/api'], workdir).code).toBe(2);
    expect(meshlens(['simulate', 'apps', '--from', 'shop/web', '--to', 'shop/api', '--port', 'http'], workdir).code).toBe(2);
    expect(meshlens(['simulate', 'apps', '--from', 'shop/x', '--to', 'shop/api', '--port', '80'], workdir).code).toBe(2);
    expect(meshlens(['simulate', 'apps', '--from', 'shop/web', '--to', 'shop/api', '--port', '80', '--frobnicate', '1'], workdir).code).toBe(2);
  });
});
