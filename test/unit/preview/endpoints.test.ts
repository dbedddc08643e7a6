/** simulate and effective on label sets, entities, CIDRs and DNS names; unknown names explained. */

import { describe, expect, it } from 'vitest';
import { effectivePolicy } from '../../../core/src/preview/effectivePolicy';
import { cidrContains, resolveEnd } from '../../../core/src/preview/endpoints';
import { simulateRequest } from '../../../core/src/preview/simulate';
import { cnp, deployment, layers, options, simulate, workspaceOf } from './support';

const shop = () =>
  workspaceOf({
    web: deployment('shop', 'web', { app: 'web' }),
    api: deployment('shop', 'api', { app: 'api' }),
    apiPolicy: cnp(
      'shop',
      'api',
      `  endpointSelector:
    matchLabels:
      app: api
  ingress:
    - fromEndpoints:
        - matchLabels:
            app: web
      toPorts:
        - ports:
            - port: "8080"
    - fromEntities:
        - world
      toPorts:
        - ports:
            - port: "443"
    - fromCIDRSet:
        - cidr: 10.0.0.0/8
          except:
            - 10.96.0.0/12
      toPorts:
        - ports:
            - port: "9090"
    - fromEntities:
        - host
      toPorts:
        - ports:
            - port: "8081"
  egress:
    - toFQDNs:
        - matchPattern: "*.github.com"
      toPorts:
        - ports:
            - port: "443"
    - toCIDR:
        - 192.168.1.0/24
    - toEntities:
        - kube-apiserver
`,
    ),
  });

describe('label sets', () => {
  it('a pod named by its labels is judged like a workload with those labels', () => {
    const workspace = shop();
    expect(simulate(workspace, { from: 'shop/app=web', to: 'shop/api', port: 8080 }).verdict).toBe('allow');
    const denied = simulate(workspace, { from: 'shop/app=other,tier=x', to: 'shop/app=api', port: 8080 });
    expect(denied.verdict).toBe('deny');
    expect(denied.from).toBe('shop/app=other,tier=x');
    expect(layers(denied)).toBe('cilium-l3l4=deny');
  });

  it('effective accepts a label set', () => {
    const model = effectivePolicy(shop(), 'shop/app=api', options)!;
    expect(model.cilium.ingress.defaultDeny).toBe(true);
    expect(model.workload.origin).toEqual({ inferred: false, from: 'the query', how: 'a pod of shop labelled app=api' });
  });
});

describe('entities, CIDRs and DNS names', () => {
  it.each([
    ['world', 'shop/api', 443, 'allow'],
    ['world', 'shop/api', 8080, 'deny'],
    ['203.0.113.7', 'shop/api', 443, 'allow'],
    ['10.1.2.3', 'shop/api', 9090, 'allow'],
    ['10.96.0.10', 'shop/api', 9090, 'deny'],
    ['host', 'shop/api', 8081, 'allow'],
    ['remote-node', 'shop/api', 8081, 'deny'],
    ['shop/api', 'api.github.com', 443, 'allow'],
    ['shop/api', 'github.com', 443, 'deny'],
    ['shop/api', 'a.b.github.com', 443, 'deny'],
    ['shop/api', '192.168.1.20', 5432, 'allow'],
    ['shop/api', '192.168.2.20', 5432, 'deny'],
    ['shop/api', 'kube-apiserver', 6443, 'allow'],
    ['shop/web', 'world', 443, 'allow'],
  ] as const)('%s → %s :%i is %s', (from, to, port, verdict) => {
    expect(simulate(shop(), { from, to, port }).verdict).toBe(verdict);
  });

  it('an external end has no policy of its own, and two external ends are refused', () => {
    const result = simulate(shop(), { from: 'world', to: 'shop/api', port: 443 });
    expect(result.layers[0].reason).toContain('world is not a Cilium endpoint');
    expect(simulateRequest(shop(), { from: 'world', to: '10.0.0.1', port: 80 }, options)).toEqual({ error: expect.stringContaining('both outside the pod network') });
  });

  it('CIDR containment (IPv4 and IPv6)', () => {
    expect(cidrContains('10.0.0.0/8', '10.2.0.0/16')).toBe(true);
    expect(cidrContains('10.0.0.0/16', '10.0.0.0/8')).toBe(false);
    expect(cidrContains('2001:db8::/32', '2001:db8:1::5')).toBe(true);
    expect(cidrContains('2001:db8::/32', '2001:db9::1')).toBe(false);
    expect(cidrContains('10.0.0.0/8', '2001:db8::1')).toBe(false);
  });
});

describe('unknown names say why and what is near', () => {
  it('a misspelt workload lists the near names', () => {
    const end = resolveEnd(shop(), 'shop/wbe');
    expect(end).toEqual({ kind: 'error', error: expect.stringContaining('none of the 2 workloads of shop') });
    expect((end as { error: string }).error).toContain('near: shop/web');
  });

  it('a namespace without workloads says so', () => {
    expect((resolveEnd(shop(), 'payments/api') as { error: string }).error).toContain('declares or implies no workload in namespace payments; near: shop/api');
  });

  it('an invalid address is an error, not a name', () => {
    expect(resolveEnd(shop(), '10.0.0.300')).toEqual({ kind: 'error', error: '"10.0.0.300" is not a valid IP address or CIDR' });
  });
});
