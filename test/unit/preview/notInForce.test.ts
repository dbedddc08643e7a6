/**
 * Policies the agent or the API server refuses are not in force: the
 * effective-policy model leaves them out of the workload's view (they allow
 * and deny nothing), says why in a `not-in-force` note, the rendering and
 * the code lens show it, and `simulate` names the refused policy and the
 * finding that refuses it. Turning the refusing rule off in the settings does
 * not make the agent accept the policy.
 */

import { describe, expect, it, vi } from 'vitest';
import { defaultAnalysisOptions, MeshlensService, ruleById } from '../../../core/src/index';
import { effectivePolicy } from '../../../core/src/preview/effectivePolicy';
import { renderEffectivePolicy } from '../../../core/src/preview/render';
import { isSimulateError, simulateRequest, type SimulateResult } from '../../../core/src/preview/simulate';
import { cnp, deployment, namespace } from './support';

const options = defaultAnalysisOptions({ ciliumVersion: '1.18' });

function service(files: Record<string, string>): MeshlensService {
  const result = new MeshlensService({ roots: ['/repo'] });
  for (const [name, text] of Object.entries(files)) result.setFile(`/repo/${name}.yaml`, text);
  return result;
}

function simulate(target: MeshlensService, from: string, to: string, port: number, analysisOptions = options): SimulateResult {
  const result = simulateRequest(target.workspace, { from, to, port }, analysisOptions);
  if (isSimulateError(result)) throw new Error(result.error);
  return result;
}

const workloads = [namespace('shop'), deployment('shop', 'web', { app: 'web' }), deployment('shop', 'api', { app: 'api' })].join('---\n');
const validPolicy = cnp('shop', 'api', '  endpointSelector:\n    matchLabels: {app: api}\n  ingress:\n    - fromEndpoints:\n        - matchLabels: {app: web}\n      toPorts:\n        - ports: [{port: "8080", protocol: TCP}]\n');
const refusedPolicy = cnp(
  'shop',
  'api',
  '  endpointSelector:\n    matchLabels: {app: api}\n  ingress:\n    - fromEndpoints:\n        - matchLabels: {app: web}\n      toPorts:\n        - ports: [{port: "8080", protocol: TCP}]\n          rules:\n            http:\n              - method: GET\n                path: "/orders/(unclosed"\n',
);

describe('policies that are not in force', () => {
  it('a valid policy is in force: default-deny for other ports', () => {
    const target = service({ workloads, policy: validPolicy });
    expect(simulate(target, 'shop/web', 'shop/api', 9090).verdict).toBe('deny');
    const model = effectivePolicy(target.workspace, 'shop/api', options)!;
    expect(model.cilium.ingress.notes.filter((note) => note.kind === 'not-in-force')).toEqual([]);
  });

  it('a policy the agent refuses (an HTTP path that does not compile) allows and denies nothing, and says why', () => {
    const target = service({ workloads, policy: refusedPolicy });
    const model = effectivePolicy(target.workspace, 'shop/api', options)!;
    expect(model.cilium.ingress.selectedBy).toEqual([]);
    expect(model.cilium.ingress.defaultDeny).toBe(false);
    expect(model.cilium.ingress.allows).toEqual([]);
    const notes = model.cilium.ingress.notes.filter((note) => note.kind === 'not-in-force');
    expect(notes).toHaveLength(1);
    expect(notes[0].message).toContain('cnp shop/api is not in force: the Cilium agent refuses the whole policy (cnp/invalid-http-regex: path is an RE2 regex and this one does not compile');
    expect(notes[0].because).toMatchObject({ file: '/repo/policy.yaml', line: 17 });

    const result = simulate(target, 'shop/web', 'shop/api', 9090);
    expect(result.verdict).toBe('allow');
    expect(result.layers[0].reason).toContain('cnp shop/api is not in force');
    expect(result.decidedBy.map((source) => source.line)).toContain(17);

    const text = renderEffectivePolicy(model, 'text');
    expect(text).toContain('Ingress: not restricted');
    expect(text).toContain('⚠ cnp shop/api is not in force: the Cilium agent refuses the whole policy');

    const text17 = target.workspace.getFile('/repo/policy.yaml')!.text;
    const hover = target.hover('/repo/policy.yaml', text17.indexOf('fromEndpoints'), options);
    expect(JSON.stringify(hover)).toContain('**Not in force** (cnp shop/api): the Cilium agent refuses the whole policy');
    const lenses = target.codeLenses('/repo/policy.yaml', options).map((lens) => lens.title);
    expect(lenses.some((title) => title.startsWith('⚠ not in force: the Cilium agent refuses the whole policy (cnp/invalid-http-regex'))).toBe(true);
  });

  it('turning the refusing rule off does not put the policy in force', () => {
    const target = service({ workloads, policy: refusedPolicy });
    const silenced = defaultAnalysisOptions({ ciliumVersion: '1.18', rules: { 'cnp/invalid-http-regex': 'off' } });
    expect(target.diagnostics('/repo/policy.yaml', silenced).some((diagnostic) => diagnostic.rule === 'cnp/invalid-http-regex')).toBe(false);
    expect(effectivePolicy(target.workspace, 'shop/api', silenced)!.cilium.ingress.notes.some((note) => note.kind === 'not-in-force')).toBe(true);
  });

  it('a finding that does not refuse the policy (an invalid host regex: Envoy, not the agent) leaves it in force', () => {
    const hostOnly = refusedPolicy.replace('path: "/orders/(unclosed"', 'host: "api(.shop"');
    const target = service({ workloads, policy: hostOnly });
    expect(target.diagnostics('/repo/policy.yaml', options).some((diagnostic) => diagnostic.rule === 'cnp/invalid-http-regex')).toBe(true);
    const model = effectivePolicy(target.workspace, 'shop/api', options)!;
    expect(model.cilium.ingress.defaultDeny).toBe(true);
    expect(model.cilium.ingress.notes.some((note) => note.kind === 'not-in-force')).toBe(false);
  });

  it('follows the Cilium HelmRelease: L7 rules are refused while l7Proxy is off, accepted again when it is on', () => {
    const release = (l7Proxy: boolean) =>
      'apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata:\n  name: cilium\n  namespace: kube-system\nspec:\n  interval: 1h\n  url: https://helm.cilium.io\n---\n' +
      'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: cilium\n  namespace: kube-system\nspec:\n  interval: 1h\n  chart:\n    spec:\n      chart: cilium\n      version: "1.17.4"\n      sourceRef:\n        kind: HelmRepository\n        name: cilium\n  values:\n' +
      `    l7Proxy: ${l7Proxy}\n`;
    const l7Policy = refusedPolicy.replace('"/orders/(unclosed"', '"/orders/.*"');
    const target = service({ workloads, policy: l7Policy, cilium: release(true) });
    expect(simulate(target, 'shop/web', 'shop/api', 9090, defaultAnalysisOptions({})).verdict).toBe('deny');
    target.setFile('/repo/cilium.yaml', release(false));
    const refused = simulate(target, 'shop/web', 'shop/api', 9090, defaultAnalysisOptions({}));
    expect(refused.verdict).toBe('allow');
    expect(refused.layers[0].reason).toContain('(cnp/l7-proxy-disabled: The Cilium HelmRelease sets l7Proxy: false');
    // An unrelated edit keeps the answer (the cached refusal still stands).
    target.setFile('/repo/other.yaml', deployment('shop', 'batch', { app: 'batch' }));
    expect(simulate(target, 'shop/web', 'shop/api', 9090, defaultAnalysisOptions({})).verdict).toBe('allow');
    target.setFile('/repo/cilium.yaml', release(true));
    expect(simulate(target, 'shop/web', 'shop/api', 9090, defaultAnalysisOptions({})).verdict).toBe('deny');
  });

  it('reuses what the diagnostics found (the refusing rules do not run twice) and answers as without them, across edits', () => {
    const release = (l7Proxy: boolean) =>
      'apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata:\n  name: cilium\n  namespace: kube-system\nspec:\n  interval: 1h\n  url: https://helm.cilium.io\n---\n' +
      'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: cilium\n  namespace: kube-system\nspec:\n  interval: 1h\n  chart:\n    spec:\n      chart: cilium\n      version: "1.17.4"\n      sourceRef:\n        kind: HelmRepository\n        name: cilium\n  values:\n' +
      `    l7Proxy: ${l7Proxy}\n`;
    const files = { workloads, policy: refusedPolicy, cilium: release(true) };
    const checked = service(files);
    const fresh = service(files);
    const regexRule = ruleById('cnp/invalid-http-regex')!;
    const runs = vi.spyOn(regexRule, 'check');
    const all = defaultAnalysisOptions({});
    const refusal = (target: MeshlensService) => effectivePolicy(target.workspace, 'shop/api', all)!.cilium.ingress.notes.filter((note) => note.kind === 'not-in-force');
    try {
      const compare = () => {
        for (const path of ['/repo/workloads.yaml', '/repo/policy.yaml', '/repo/cilium.yaml']) checked.diagnostics(path, all);
        const before = runs.mock.calls.length;
        const reused = refusal(checked);
        // The diagnostics ran the regex rule on the policy: the model did not run it again.
        expect(runs.mock.calls.length).toBe(before);
        expect(reused).toEqual(refusal(fresh));
        return reused;
      };
      // Local rule only (l7Proxy on): the regex refuses the policy.
      expect(compare()[0].message).toContain('cnp/invalid-http-regex');
      // l7Proxy off: a cross-file rule refuses it too; the first refusal is the registry's first rule, as without reuse.
      checked.setFile('/repo/cilium.yaml', release(false));
      fresh.setFile('/repo/cilium.yaml', release(false));
      expect(compare().length).toBe(1);
      // Fixed regex, l7Proxy still off: only the cross-file rule refuses it.
      const fixed = refusedPolicy.replace('"/orders/(unclosed"', '"/orders/.*"');
      checked.setFile('/repo/policy.yaml', fixed);
      fresh.setFile('/repo/policy.yaml', fixed);
      expect(compare()[0].message).toContain('cnp/l7-proxy-disabled');
      checked.setFile('/repo/cilium.yaml', release(true));
      fresh.setFile('/repo/cilium.yaml', release(true));
      expect(compare()).toEqual([]);
    } finally {
      runs.mockRestore();
    }
  });

  it('is recomputed when the refusing mistake is fixed', () => {
    const target = service({ workloads, policy: refusedPolicy });
    expect(simulate(target, 'shop/web', 'shop/api', 9090).verdict).toBe('allow');
    target.setFile('/repo/policy.yaml', validPolicy);
    expect(simulate(target, 'shop/web', 'shop/api', 9090).verdict).toBe('deny');
  });

  it('an AuthorizationPolicy istiod refuses (a port name) is not in force at the sidecar: it neither allows nor makes the workload default-deny', () => {
    const mesh =
      'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    istio-injection: enabled\n---\n' +
      [deployment('shop', 'web', { app: 'web' }), deployment('shop', 'api', { app: 'api' }), deployment('shop', 'other', { app: 'other' })].join('---\n');
    const authz = (port: string) =>
      `apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: api-allow\n  namespace: shop\nspec:\n  selector:\n    matchLabels: {app: api}\n  action: ALLOW\n  rules:\n    - from:\n        - source:\n            principals: ["cluster.local/ns/shop/sa/web"]\n      to:\n        - operation:\n            ports: ["${port}"]\n`;
    const valid = service({ mesh, authz: authz('8080') });
    expect(simulate(valid, 'shop/other', 'shop/api', 8080).verdict).toBe('deny');

    const refused = service({ mesh, authz: authz('http') });
    const model = effectivePolicy(refused.workspace, 'shop/api', options)!;
    const notes = model.istio.points.flatMap((point) => point.notes).filter((note) => note.kind === 'not-in-force');
    expect(notes).toHaveLength(1);
    expect(notes[0].message).toContain('shop/api-allow is not in force: istiod refuses the whole policy (authz/invalid-port');
    const result = simulate(refused, 'shop/other', 'shop/api', 8080);
    expect(result.verdict).toBe('allow');
  });
});
