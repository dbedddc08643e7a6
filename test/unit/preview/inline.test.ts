/**
 * The inline preview through the service facade the language server uses:
 * CodeLenses above policies and rules (`MeshlensService.codeLenses`), the
 * hover on a rule (`MeshlensService.hover`), the Markdown/text rendering and
 * the "workload under the cursor".
 */

import { describe, expect, it } from 'vitest';
import { defaultAnalysisOptions } from '../../../core/src/options';
import { effectivePolicy, listWorkloads, workloadAt } from '../../../core/src/preview/effectivePolicy';
import { renderEffectivePolicy } from '../../../core/src/preview/render';
import { MeshlensService } from '../../../core/src/service';
import { authz, cnp, deployment, namespace } from './support';

const options = defaultAnalysisOptions({ ciliumVersion: '1.18' });

const WORKLOADS = [namespace('shop', { 'istio.io/dataplane-mode': 'ambient' }), deployment('shop', 'checkout-api', { app: 'checkout-api' }), deployment('shop', 'web-frontend', { app: 'web-frontend' })].join('---\n');
const CHECKOUT = cnp(
  'shop',
  'checkout-api',
  '  endpointSelector:\n    matchLabels: {app: checkout-api}\n  ingress:\n    - fromEndpoints:\n        - matchLabels: {app: web-frontend}\n      toPorts:\n        - ports: [{port: "8080", protocol: TCP}]\n          rules:\n            http:\n              - method: POST\n                path: /api/v2/orders\n              - method: GET\n                path: "/api/v2/orders/.*"\n',
);
const DEBUG = cnp('shop', 'debug-l4', '  endpointSelector:\n    matchLabels: {app: checkout-api}\n  ingress:\n    - fromEndpoints:\n        - matchLabels: {app: web-frontend}\n      toPorts:\n        - ports: [{port: "8080", protocol: TCP}]\n');
const AUTHZ = authz('shop', 'checkout', '  selector:\n    matchLabels: {app: checkout-api}\n  rules:\n    - from:\n        - source:\n            principals: ["cluster.local/ns/shop/sa/web-frontend"]\n      to:\n        - operation:\n            methods: [GET]\n');

function serviceWith(files: Record<string, string>): MeshlensService {
  const service = new MeshlensService({ roots: ['/repo'] });
  for (const [name, text] of Object.entries(files)) service.setFile(`/repo/${name}`, text);
  return service;
}

function lensLines(service: MeshlensService, file: string): string[] {
  const lines = service.workspace.getFile(file)!.yaml.lineIndex;
  return service.codeLenses(file, options).map((lens) => `${lines.positionAt(lens.start).line + 1}: ${lens.title}`);
}

describe('effective-policy code lenses', () => {
  it('shows the selected workloads above the policy and the effective L7 result above the rule', () => {
    const service = serviceWith({ 'workloads.yaml': WORKLOADS, 'checkout.yaml': CHECKOUT });
    expect(lensLines(service, '/repo/checkout.yaml')).toEqual([
      '1: selects checkout-api · ingress default-deny',
      '13: checkout-api ← web-frontend :8080/TCP  POST /api/v2/orders · GET /api/v2/orders/.*  (all else on :8080 denied)',
    ]);
    const lens = service.codeLenses('/repo/checkout.yaml', options)[1];
    expect(lens.command).toEqual({ id: 'meshlens.showEffectivePolicy', arguments: [{ workload: 'shop/checkout-api' }] });
  });

  it('notes when another policy widens the rule to every request', () => {
    const service = serviceWith({ 'workloads.yaml': WORKLOADS, 'checkout.yaml': CHECKOUT, 'debug-l4.yaml': DEBUG });
    expect(lensLines(service, '/repo/checkout.yaml')).toEqual([
      '1: selects checkout-api · ingress default-deny',
      '13: checkout-api ← web-frontend :8080/TCP  POST /api/v2/orders · GET /api/v2/orders/.* — ineffective, L7 unrestricted',
      '13: ⚠ L7 unrestricted on :8080 for web-frontend because debug-l4.yaml:13 allows the port without rules',
    ]);
    expect(lensLines(service, '/repo/debug-l4.yaml')).toEqual(['1: selects checkout-api · ingress default-deny', '13: checkout-api ← web-frontend :8080/TCP  L3/L4 only, every request']);
  });

  it('says what ztunnel makes of an AuthorizationPolicy rule', () => {
    const service = serviceWith({ 'workloads.yaml': WORKLOADS, 'authz.yaml': AUTHZ });
    expect(lensLines(service, '/repo/authz.yaml')).toEqual([
      '1: ALLOW · applies to checkout-api · enforced by ztunnel',
      '10: checkout-api ← ALLOW from principals cluster.local/ns/shop/sa/web-frontend · to methods GET  (ztunnel: dropped (methods need a waypoint))',
    ]);
  });

  it('truncates long lists and never throws on broken policies', () => {
    const many = Array.from({ length: 6 }, (_, index) => deployment('shop', `w${index}`, { tier: 'x' })).join('---\n');
    const service = serviceWith({ 'workloads.yaml': many, 'p.yaml': cnp('shop', 'p', '  endpointSelector:\n    matchLabels: {tier: x}\n  ingress:\n    - {}\n') });
    expect(lensLines(service, '/repo/p.yaml')).toEqual(['1: selects w0, w1, w2 … +3 · ingress default-deny']);
    const broken = serviceWith({ 'p.yaml': 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: p}\nspec:\n  endpointSelector: 3\n  ingress: [{toPorts: [{ports: 7, rules: {http: [1]}}]}]\n' });
    expect(() => broken.codeLenses('/repo/p.yaml', options)).not.toThrow();
  });
});

describe('effective-policy hover', () => {
  it('explains a toPorts entry with the combined result, in Markdown', () => {
    const service = serviceWith({ 'workloads.yaml': WORKLOADS, 'checkout.yaml': CHECKOUT, 'debug-l4.yaml': DEBUG });
    const text = service.workspace.getFile('/repo/checkout.yaml')!.text;
    const hover = service.hover('/repo/checkout.yaml', text.indexOf('toPorts') + 2, options);
    expect(hover?.contents).toBe(
      [
        '**Effective result** (cnp shop/checkout-api, Cilium 1.18):',
        '',
        '- `checkout-api ← web-frontend :8080/TCP  POST /api/v2/orders · GET /api/v2/orders/.* — ineffective, L7 unrestricted`',
        '  - ⚠ L7 unrestricted on :8080 for web-frontend because debug-l4.yaml:13 allows the port without rules',
      ].join('\n'),
    );
    expect(text.slice(hover!.start, hover!.end)).toBe('toPorts');
  });

  it('explains an AuthorizationPolicy rule', () => {
    const service = serviceWith({ 'workloads.yaml': WORKLOADS, 'authz.yaml': AUTHZ });
    const text = service.workspace.getFile('/repo/authz.yaml')!.text;
    const hover = service.hover('/repo/authz.yaml', text.indexOf('from:') + 1, options);
    expect(hover?.contents).toContain('ztunnel: dropped (methods need a waypoint)');
  });

  it('leaves other keys to the schema hover', () => {
    const service = serviceWith({ 'workloads.yaml': WORKLOADS, 'checkout.yaml': CHECKOUT });
    const text = service.workspace.getFile('/repo/checkout.yaml')!.text;
    expect(service.hover('/repo/checkout.yaml', text.indexOf('metadata') + 1, options)?.contents ?? '').not.toContain('Effective result');
  });
});

describe('effective-policy view', () => {
  it('renders every line with its source file:line', () => {
    const service = serviceWith({ 'workloads.yaml': WORKLOADS, 'checkout.yaml': CHECKOUT, 'debug-l4.yaml': DEBUG, 'authz.yaml': AUTHZ });
    const model = effectivePolicy(service.workspace, 'shop/checkout-api', options)!;
    const markdown = renderEffectivePolicy(model, 'markdown', (file) => file.replace('/repo/', ''));
    expect(markdown).toContain('# Effective policy of shop/checkout-api');
    expect(markdown).toContain('- ← web-frontend :8080/TCP — `HTTP: POST /api/v2/orders · GET /api/v2/orders/.*` — `checkout.yaml:13`');
    expect(markdown).toContain('  - ⚠ L7 unrestricted on :8080 for web-frontend because debug-l4.yaml:13 allows the port without rules — `debug-l4.yaml:13`');
    expect(markdown).toContain('### ztunnel (L4 only)');
    const text = renderEffectivePolicy(model, 'text', (file) => file.replace('/repo/', ''));
    expect(text).toContain('- ← web-frontend :8080/TCP — L3/L4 only (every request)  (debug-l4.yaml:13)');
    expect(text).not.toContain('`');
  });

  it('finds the workload under the cursor and lists workloads', () => {
    const service = serviceWith({ 'workloads.yaml': WORKLOADS, 'checkout.yaml': CHECKOUT, 'authz.yaml': AUTHZ });
    expect(workloadAt(service.workspace, '/repo/checkout.yaml', 50, options)).toBe('shop/checkout-api');
    expect(workloadAt(service.workspace, '/repo/authz.yaml', 10, options)).toBe('shop/checkout-api');
    const workloads = service.workspace.getFile('/repo/workloads.yaml')!;
    expect(workloadAt(service.workspace, '/repo/workloads.yaml', workloads.yaml.documents[2].start + 5, options)).toBe('shop/web-frontend');
    expect(listWorkloads(service.workspace).map((workload) => `${workload.id}@${workload.source.line}`)).toEqual(['shop/checkout-api@10', 'shop/web-frontend@26']);
  });
});
