/** Kubernetes NetworkPolicy in the effective model: isolation, peers, ports, and the union with Cilium policies. */

import { describe, expect, it } from 'vitest';
import { codeLenses } from '../../../core/src/features/codeLens';
import { effectivePolicy } from '../../../core/src/preview/effectivePolicy';
import { cnp, deployment, layers, namespace, options, simulate, workspaceOf } from './support';

const np = (ns: string, name: string, spec: string) => `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n${spec}`;

function cluster(policies: Record<string, string>) {
  return workspaceOf({
    shopNs: namespace('shop', { team: 'shop' }),
    monNs: namespace('monitoring', { team: 'observability' }),
    web: deployment('shop', 'web', { app: 'web' }),
    api: deployment('shop', 'api', { app: 'api' }, 'api', [{ name: 'http', containerPort: 8080 }]),
    db: deployment('shop', 'db', { app: 'db' }),
    prom: deployment('monitoring', 'prometheus', { app: 'prometheus' }),
    ...policies,
  });
}

const apiIngress = np(
  'shop',
  'api',
  `  podSelector:
    matchLabels:
      app: api
  policyTypes: [Ingress]
  ingress:
    - from:
        - podSelector:
            matchLabels:
              app: web
      ports:
        - port: http
    - from:
        - namespaceSelector:
            matchLabels:
              team: observability
          podSelector:
            matchLabels:
              app: prometheus
      ports:
        - port: 9000
          endPort: 9100
    - from:
        - ipBlock:
            cidr: 10.0.0.0/8
            except: [10.1.0.0/16]
`,
);

describe('Kubernetes NetworkPolicy', () => {
  it.each([
    ['shop/web', 'shop/api', 8080, 'TCP', 'allow'],
    ['shop/web', 'shop/api', 8081, 'TCP', 'deny'],
    ['shop/web', 'shop/api', 8080, 'UDP', 'deny'],
    ['shop/db', 'shop/api', 8080, 'TCP', 'deny'],
    ['monitoring/prometheus', 'shop/api', 9050, 'TCP', 'allow'],
    ['monitoring/prometheus', 'shop/api', 9200, 'TCP', 'deny'],
    ['monitoring/app=prometheus', 'shop/api', 9050, 'TCP', 'allow'],
    ['shop/app=prometheus', 'shop/api', 9050, 'TCP', 'deny'],
    ['10.2.3.4', 'shop/api', 22, 'TCP', 'allow'],
    ['10.1.3.4', 'shop/api', 22, 'TCP', 'deny'],
    ['world', 'shop/api', 22, 'TCP', 'deny'],
    ['shop/api', 'shop/db', 5432, 'TCP', 'allow'],
  ] as const)('%s → %s :%i/%s is %s', (from, to, port, protocol, verdict) => {
    expect(simulate(cluster({ apiIngress }), { from, to, port, protocol }).verdict).toBe(verdict);
  });

  it('policyTypes absent: ingress always isolated, egress only with an egress section; an empty rule list denies all', () => {
    const denyAll = np('shop', 'deny-all', '  podSelector: {}\n');
    const egressOnly = np('shop', 'egress', '  podSelector:\n    matchLabels:\n      app: web\n  egress:\n    - to:\n        - podSelector:\n            matchLabels:\n              app: api\n');
    const workspace = cluster({ denyAll, egressOnly });
    const web = effectivePolicy(workspace, 'shop/web', options)!;
    expect([web.cilium.ingress.defaultDeny, web.cilium.egress.defaultDeny]).toEqual([true, true]);
    expect(effectivePolicy(workspace, 'shop/db', options)!.cilium.egress.defaultDeny).toBe(false);
    expect(simulate(workspace, { from: 'shop/web', to: 'shop/api', port: 8080 }).verdict).toBe('deny');
    expect(simulate(workspace, { from: 'shop/web', to: 'shop/db', port: 5432 }).verdict).toBe('deny');
  });

  it('a rule without from/ports admits every peer on every port, world included', () => {
    const open = np('shop', 'open', '  podSelector:\n    matchLabels:\n      app: db\n  ingress:\n    - {}\n');
    expect(simulate(cluster({ open }), { from: 'world', to: 'shop/db', port: 1 }).verdict).toBe('allow');
  });

  it('combined with a CNP: allows are a union, and a CNP deny wins over a NetworkPolicy allow', () => {
    const cnpAllow = cnp('shop', 'api-extra', '  endpointSelector:\n    matchLabels:\n      app: api\n  ingress:\n    - fromEndpoints:\n        - matchLabels:\n            app: db\n      toPorts:\n        - ports:\n            - port: "8080"\n');
    const cnpDeny = cnp('shop', 'api-deny', '  endpointSelector:\n    matchLabels:\n      app: api\n  ingressDeny:\n    - fromEndpoints:\n        - matchLabels:\n            app: web\n      toPorts:\n        - ports:\n            - port: "8080"\n');
    expect(simulate(cluster({ apiIngress, cnpAllow }), { from: 'shop/db', to: 'shop/api', port: 8080 }).verdict).toBe('allow');
    const denied = simulate(cluster({ apiIngress, cnpDeny }), { from: 'shop/web', to: 'shop/api', port: 8080 });
    expect(layers(denied)).toBe('cilium-l3l4=deny');
    expect(denied.decidedBy.map((source) => source.rule)).toEqual(['cnp shop/api-deny ingressDeny[0].toPorts[0]']);
  });

  it('a NetworkPolicy isolates a direction a CNP left open with enableDefaultDeny false', () => {
    const visibility = cnp('shop', 'audit', '  endpointSelector:\n    matchLabels:\n      app: api\n  enableDefaultDeny:\n    ingress: false\n  ingress:\n    - fromEndpoints:\n        - matchLabels:\n            app: db\n');
    const workspace = cluster({ apiIngress, visibility });
    expect(simulate(workspace, { from: 'shop/db', to: 'shop/api', port: 1234 }).verdict).toBe('allow');
    expect(simulate(workspace, { from: 'monitoring/prometheus', to: 'shop/api', port: 1234 }).verdict).toBe('deny');
  });

  it('the deciding rule is the NetworkPolicy rule, and the lens names what it selects', () => {
    const workspace = cluster({ apiIngress });
    const result = simulate(workspace, { from: 'shop/web', to: 'shop/api', port: 8080 });
    expect(result.decidedBy.map((source) => `${source.rule}:${source.line}`)).toEqual(['np shop/api ingress[0]:12']);
    const titles = codeLenses(workspace, '/repo/apiIngress.yaml', options).map((lens) => lens.title);
    expect(titles[0]).toBe('selects api · ingress default-deny');
    expect(titles[1]).toBe('api ← web :http/TCP  L3/L4 only');
  });
});
