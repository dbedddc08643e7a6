/** The Kubernetes workspace index: namespaces, workloads, services, accounts, gateways and namespace resolution. */

import { describe, expect, it } from 'vitest';
import { Workspace } from '../../../core/src/workspace/workspace';
import { k8sIndex, selectorMatches } from '../../../core/src/policy/k8sIndex';

function workspaceOf(files: Record<string, string>, host: Record<string, string> = {}): Workspace {
  const workspace = new Workspace({ readFile: (path) => host[path] }, ['/repo']);
  for (const [path, text] of Object.entries(files)) workspace.setFile(path, text);
  return workspace;
}

const deployment = (name: string, namespace: string | undefined, labels: string, account?: string) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n${namespace ? `  namespace: ${namespace}\n` : ''}spec:\n  template:\n    metadata:\n      labels: ${labels}\n    spec:\n${account ? `      serviceAccountName: ${account}\n` : ''}      containers: [{name: app, image: app}]\n`;

describe('k8sIndex', () => {
  it('reads namespaces with their Istio labels', () => {
    const index = k8sIndex(
      workspaceOf({
        '/repo/ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    istio.io/dataplane-mode: ambient\n    istio.io/use-waypoint: waypoint\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: legacy\n  labels: {istio-injection: enabled}\n',
      }),
    );
    expect(index.namespaces.map((namespace) => namespace.name)).toEqual(['shop', 'legacy']);
    expect(index.namespace('shop')).toMatchObject({ dataplaneMode: 'ambient', useWaypoint: 'waypoint' });
    expect(index.namespace('legacy')?.istioInjection).toBe('enabled');
    expect(index.namespace('shop')?.source).toMatchObject({ file: '/repo/ns.yaml', document: 0 });
  });

  it('reads pod labels and service accounts of every workload kind', () => {
    const index = k8sIndex(
      workspaceOf({
        '/repo/apps.yaml': [
          deployment('api', 'shop', '{app: api, tier: backend}', 'api-sa'),
          'apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db, namespace: shop}\nspec:\n  template:\n    metadata:\n      labels: {app: db}\n',
          'apiVersion: v1\nkind: Pod\nmetadata:\n  name: debug\n  labels: {app: debug}\nspec:\n  serviceAccount: legacy\n',
          'apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: backup, namespace: ops}\nspec:\n  jobTemplate:\n    spec:\n      template:\n        metadata:\n          labels: {job: backup}\n        spec:\n          serviceAccountName: backup\n',
        ].join('---\n'),
      }),
    );
    const byName = new Map(index.workloads.map((workload) => [workload.name, workload]));
    expect(byName.get('api')).toMatchObject({ kind: 'Deployment', namespace: 'shop', serviceAccountName: 'api-sa', podLabels: { app: 'api', tier: 'backend' } });
    expect(byName.get('db')).toMatchObject({ kind: 'StatefulSet', serviceAccountName: 'default', podLabels: { app: 'db' } });
    expect(byName.get('debug')).toMatchObject({ kind: 'Pod', namespace: 'default', namespaceOrigin: 'default', serviceAccountName: 'legacy', podLabels: { app: 'debug' } });
    expect(byName.get('backup')).toMatchObject({ kind: 'CronJob', namespace: 'ops', serviceAccountName: 'backup', podLabels: { job: 'backup' } });
    // Provenance points at the name node of the right document.
    const file = '/repo/apps.yaml';
    const source = byName.get('db')!.source;
    expect(source.file).toBe(file);
    expect(source.document).toBe(1);
  });

  it('matches label selectors with matchLabels and matchExpressions', () => {
    const index = k8sIndex(workspaceOf({ '/repo/a.yaml': [deployment('a', 'shop', '{app: a, tier: web}'), deployment('b', 'shop', '{app: b}'), deployment('c', 'other', '{app: a}')].join('---\n') }));
    expect(index.workloadsMatching('shop', { matchLabels: { app: 'a' } }).map((w) => w.name)).toEqual(['a']);
    expect(index.workloadsMatching(undefined, { matchLabels: { app: 'a' } }).map((w) => w.name)).toEqual(['a', 'c']);
    expect(index.workloadsMatching('shop', { matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] }).map((w) => w.name)).toEqual(['b']);
    expect(index.workloadsMatching(undefined, { matchExpressions: [{ key: 'app', operator: 'In', values: ['b', 'c'] }] }).map((w) => w.name)).toEqual(['b']);
    expect(selectorMatches({ matchExpressions: [{ key: 'x', operator: 'Bogus' }] }, { x: '1' })).toBe(false);
    expect(selectorMatches({}, {})).toBe(true);
  });

  it('collects label keys/values, service accounts and namespace names', () => {
    const index = k8sIndex(
      workspaceOf({
        '/repo/a.yaml': [deployment('a', 'shop', '{app: a, tier: web}', 'front'), deployment('b', 'shop', '{app: b}'), deployment('c', 'ops', '{app: c}')].join('---\n'),
        '/repo/sa.yaml': 'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: front, namespace: shop}\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata: {name: robot, namespace: ci}\n',
      }),
    );
    expect([...index.labelKeysAndValues({ namespace: 'shop' })]).toEqual([
      ['app', ['a', 'b']],
      ['tier', ['web']],
    ]);
    expect(index.labelKeysAndValues().get('app')).toEqual(['a', 'b', 'c']);
    expect(index.serviceAccounts().map((account) => `${account.namespace}/${account.name}:${account.declared}`)).toEqual(['ci/robot:true', 'ops/default:false', 'shop/default:false', 'shop/front:true']);
    expect(index.namespaceNames()).toEqual(['ci', 'default', 'ops', 'shop']);
    expect(index.hasKubernetesObjects).toBe(true);
  });

  it('reads Services and Gateways (waypoints)', () => {
    const index = k8sIndex(
      workspaceOf({
        '/repo/net.yaml':
          'apiVersion: v1\nkind: Service\nmetadata:\n  name: api\n  namespace: shop\n  labels: {istio.io/use-waypoint: wp}\nspec:\n  selector: {app: api}\n  ports:\n  - {name: http, port: 80, targetPort: 8080}\n  - {port: 9090, targetPort: metrics, protocol: TCP}\n---\n' +
          'apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: wp\n  namespace: shop\n  labels: {istio.io/waypoint-for: all}\nspec:\n  gatewayClassName: istio-waypoint\n---\n' +
          'apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: ingress, namespace: shop}\nspec:\n  gatewayClassName: istio\n',
      }),
    );
    expect(index.service('shop', 'api')).toMatchObject({ selector: { app: 'api' }, useWaypoint: 'wp', ports: [{ name: 'http', port: 80, targetPort: 8080 }, { port: 9090, targetPort: 'metrics', protocol: 'TCP' }] });
    expect(index.gateway('shop', 'wp')).toMatchObject({ isWaypoint: true, waypointFor: 'all' });
    expect(index.gateway('shop', 'ingress')).toMatchObject({ isWaypoint: false, gatewayClassName: 'istio' });
  });

  it('applies kustomize namespace to files in its directory and listed resources', () => {
    const index = k8sIndex(
      workspaceOf({
        '/repo/apps/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: shop\nresources:\n  - deploy.yaml\n  - ../shared/base\n',
        '/repo/apps/deploy.yaml': deployment('api', 'ignored', '{app: api}'),
        '/repo/shared/base/worker.yaml': deployment('worker', undefined, '{app: worker}'),
        '/repo/other/free.yaml': deployment('free', 'tools', '{app: free}'),
      }),
    );
    const namespaces = Object.fromEntries(index.workloads.map((workload) => [workload.name, `${workload.namespace}:${workload.namespaceOrigin}`]));
    expect(namespaces).toEqual({ api: 'shop:kustomization', worker: 'shop:kustomization', free: 'tools:metadata' });
  });

  it('reads a kustomization.yaml without apiVersion through the host', () => {
    const kustomization = 'namespace: payments\nresources: [deploy.yaml]\n';
    const index = k8sIndex(
      workspaceOf({ '/repo/pay/kustomization.yaml': kustomization, '/repo/pay/deploy.yaml': deployment('pay', undefined, '{app: pay}') }, { '/repo/pay/kustomization.yaml': kustomization }),
    );
    expect(index.workloads[0]).toMatchObject({ name: 'pay', namespace: 'payments', namespaceOrigin: 'kustomization' });
  });

  it('applies a Flux Kustomization targetNamespace to files under its path', () => {
    const index = k8sIndex(
      workspaceOf({
        '/repo/clusters/prod/apps.yaml': 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: apps, namespace: flux-system}\nspec:\n  path: ./apps/prod\n  targetNamespace: prod\n  sourceRef: {kind: GitRepository, name: repo}\n',
        '/repo/apps/prod/web/deploy.yaml': deployment('web', 'dev', '{app: web}'),
        '/repo/apps/dev/deploy.yaml': deployment('web-dev', 'dev', '{app: web}'),
      }),
    );
    const namespaces = Object.fromEntries(index.workloads.map((workload) => [workload.name, `${workload.namespace}:${workload.namespaceOrigin}`]));
    expect(namespaces).toEqual({ web: 'prod:flux-kustomization', 'web-dev': 'dev:metadata' });
  });

  it('is memoized per workspace generation and tolerates wrong types', () => {
    const workspace = workspaceOf({ '/repo/bad.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: odd, namespace: shop, labels: [1, 2]}\nspec:\n  template: "not a map"\n' });
    const first = k8sIndex(workspace);
    expect(k8sIndex(workspace)).toBe(first);
    expect(first.workloads[0]).toMatchObject({ name: 'odd', podLabels: {}, labels: {}, serviceAccountName: 'default' });
    workspace.setFile('/repo/more.yaml', deployment('x', 'shop', '{app: x}'));
    expect(k8sIndex(workspace)).not.toBe(first);
    expect(k8sIndex(workspace).workloads).toHaveLength(2);
  });
});
