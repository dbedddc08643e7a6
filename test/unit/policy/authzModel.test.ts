/** The typed AuthorizationPolicy view, the attribute checks and the ztunnel view of a policy. */

import { describe, expect, it } from 'vitest';
import { createParsedDocument } from '../../../core/src/parse/yamlFile';
import { readAuthorizationPolicy } from '../../../core/src/policy/authzModel';
import { conditionKeyProblem, ipOrCidrProblem, istioAtLeast, pathTemplateProblem, patternMatches, portProblem, serviceAccountProblem, trustDomainProblem } from '../../../core/src/policy/authzAttributes';
import { ztunnelRuleViews } from '../../../core/src/policy/authzEnforcement';

const read = (spec: string, namespace = 'shop') =>
  readAuthorizationPolicy(createParsedDocument(`apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: p\nspec:\n${spec}`).root, { namespace, rootNamespace: 'istio-system' })!;

describe('readAuthorizationPolicy', () => {
  it('derives the scope', () => {
    expect(read('  selector:\n    matchLabels: {app: api}\n').scope).toMatchObject({ kind: 'selector', matchLabels: { app: 'api' }, inRootNamespace: false });
    expect(read('  selector:\n    matchLabels: {app: api}\n', 'istio-system').scope).toMatchObject({ kind: 'selector', inRootNamespace: true });
    expect(read('  action: DENY\n').scope).toEqual({ kind: 'namespace' });
    expect(read('  action: DENY\n', 'istio-system').scope).toEqual({ kind: 'mesh' });
    const refs = read('  targetRef: {kind: Gateway, group: gateway.networking.k8s.io, name: a}\n  targetRefs:\n  - {kind: Service, name: b}\n').scope;
    expect(refs.kind).toBe('targetRefs');
    if (refs.kind === 'targetRefs') expect(refs.refs.map((ref) => `${ref.group}/${ref.kind}/${ref.name}`)).toEqual(['gateway.networking.k8s.io/Gateway/a', '/Service/b']);
  });

  it('reads action, provider, dry-run and keeps absent apart from empty', () => {
    const policy = read('  action: CUSTOM\n  provider: {name: ext}\n  rules:\n  - from: []\n    to:\n    - operation: {ports: ["80", 443]}\n');
    expect(policy.action).toBe('CUSTOM');
    expect(policy.provider?.name).toBe('ext');
    expect(policy.rules![0].from).toEqual([]);
    expect(policy.rules![0].when).toBeUndefined();
    expect(policy.rules![0].to![0].fields.ports!.values.map((value) => value.text)).toEqual(['80', '443']);
    expect(read('').action).toBe('ALLOW');
    expect(read('').rules).toBeUndefined();
  });

  it('reads conditions and tolerates wrong types', () => {
    const policy = read('  rules:\n  - when:\n    - key: request.headers[x]\n      values: [a]\n      notValues: [b]\n    - "oops"\n  - 42\n  - from: {source: 1}\n');
    expect(policy.rules![0].when![0]).toMatchObject({ key: 'request.headers[x]' });
    expect(policy.rules![0].when![0].values!.values[0].text).toBe('a');
    expect(policy.rules![0].when![1].key).toBeUndefined();
    expect(policy.rules![1].from).toBeUndefined();
    expect(policy.rules![2].from).toEqual([]);
    expect(readAuthorizationPolicy(createParsedDocument('- a\n').root, { namespace: 'x', rootNamespace: 'y' })).toBeUndefined();
  });
});

describe('attribute checks', () => {
  it('ports', () => {
    expect(portProblem('8080')).toBeUndefined();
    expect(portProblem('65535')).toBeUndefined();
    for (const bad of ['65536', '80-90', '*', 'http', '-1', '']) expect(portProblem(bad), bad).toBeDefined();
  });
  it('IPs and CIDRs', () => {
    for (const good of ['10.0.0.1', '10.0.0.0/8', '::1', '2001:db8::/32', 'fe80::1%eth0', '::ffff:1.2.3.4', '0.0.0.0/0']) expect(ipOrCidrProblem(good), good).toBeUndefined();
    for (const bad of ['10.0.0.256', '10.0.0.0/33', '01.2.3.4', '10.0.0', 'fe80::1%eth0/64', '1::2::3', 'example.com', '10.0.0.0/08']) expect(ipOrCidrProblem(bad), bad).toBeDefined();
  });
  it('path templates', () => {
    for (const good of ['/a/{*}', '/a/{**}', '/a/{*}/b/{**}', '/static/{**}/', '/plain*', '*']) expect(pathTemplateProblem(good, 'paths'), good).toBeUndefined();
    expect(pathTemplateProblem('/a/{**}/{*}', 'paths')).toContain('{**} is not the last operator');
    expect(pathTemplateProblem('/a/{*}.txt', 'paths')).toContain("Contains '{' or '}'");
    expect(pathTemplateProblem('/a/{*}/b*', 'paths')).toContain('invalid string literal');
  });
  it('condition keys', () => {
    for (const good of ['source.ip', 'request.headers[x-user]', 'request.auth.claims[a][b]', 'experimental.envoy.filters.http.foo[bar]', 'destination.port']) expect(conditionKeyProblem(good), good).toBeUndefined();
    expect(conditionKeyProblem('destination.labels[app]')).toContain('workload selector');
    expect(conditionKeyProblem('request.headers')).toContain('unknown attribute');
    expect(conditionKeyProblem('request.headers[]')).toContain('a[b]');
    expect(conditionKeyProblem('destination.user')).toContain('v1alpha1');
  });
  it('service accounts, trust domains, patterns, versions', () => {
    expect(serviceAccountProblem('ns/sa', 'f')).toBeUndefined();
    expect(serviceAccountProblem('sa', 'f')).toBeUndefined();
    expect(serviceAccountProblem('ns/*', 'f')).toContain('wildcard');
    expect(serviceAccountProblem('a/b/c', 'f')).toContain('expected format');
    expect(trustDomainProblem('*.td', 'f')).toBeUndefined();
    expect(trustDomainProblem('a*b', 'f')).toContain('start or end');
    expect(patternMatches('*', '')).toBe(false);
    expect(patternMatches('kube-*', 'kube-system')).toBe(true);
    expect(patternMatches('*-system', 'istio-system')).toBe(true);
    expect(istioAtLeast('1.21', '1.22')).toBe(false);
    expect(istioAtLeast('1.22.3', '1.22')).toBe(true);
    expect(istioAtLeast(undefined, '1.99')).toBe(true);
  });
});

describe('ztunnelRuleViews', () => {
  it('separates broader DENY rules from DENY rules that can never fire', () => {
    const policy = read(
      '  action: DENY\n  rules:\n  - to:\n    - operation: {methods: [DELETE]}\n  - from:\n    - source: {namespaces: [web], requestPrincipals: ["*"]}\n  - to:\n    - operation: {ports: ["80"]}\n    when:\n    - key: request.headers[x]\n      values: [a]\n  - from:\n    - source: {namespaces: [web]}\n',
    );
    const views = ztunnelRuleViews(policy);
    expect(views.map((view) => [view.rule.index, view.neverFires, view.l7.map((attribute) => attribute.name)])).toEqual([
      [0, true, ['methods']],
      [1, false, ['requestPrincipals']],
      [2, true, ['request.headers[x]']],
    ]);
  });
});

describe('template actions', () => {
  it('marks unrendered {{ }} values so checks can skip them', () => {
    const text = 'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: p}\nspec:\n  targetRefs:\n  - kind: Service\n    name: {{ .Name }}\n  rules:\n  - to:\n    - operation:\n        ports: ["{{ .Port }}", "80"]\n';
    const policy = readAuthorizationPolicy(createParsedDocument(text).root, { namespace: 'shop', rootNamespace: 'istio-system', text })!;
    expect(policy.rules![0].to![0].fields.ports!.values.map((value) => [value.text, value.templated])).toEqual([
      ['{{…}}', true],
      ['80', false],
    ]);
    if (policy.scope.kind === 'targetRefs') expect(policy.scope.refs[0].name).toBe('{{…}}');
  });
});
