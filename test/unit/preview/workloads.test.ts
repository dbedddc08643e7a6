/** Workloads the repository implies (HelmReleases, Gateways) and the ones a `Workloads` document declares, as the preview sees them. */

import { describe, expect, it } from 'vitest';
import { codeLenses } from '../../../core/src/features/codeLens';
import { listWorkloads } from '../../../core/src/preview/effectivePolicy';
import { originOf } from '../../../core/src/preview/workloads/inferredWorkloads';
import { previewIndex } from '../../../core/src/preview/workloads/previewIndex';
import { MeshlensService } from '../../../core/src/service';
import { cnp, options, simulate, workspaceOf, authz, namespace } from './support';

const ociRepository = (ns: string, name: string, url: string) =>
  `apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n  url: ${url}\n  ref:\n    tag: 4.2.0\n`;
const helmRelease = (ns: string, name: string, chartRef: string, values: string, extra = '') =>
  `apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n${extra}  chartRef:\n    kind: OCIRepository\n    name: ${chartRef}\n  values:\n${values}`;

const APP_TEMPLATE_VALUES = `    defaultPodOptions:
      labels:
        team: media
    controllers:
      jellyfin:
        pod:
          labels:
            tier: web
        serviceAccount:
          name: jellyfin-sa
        containers:
          app:
            image:
              repository: ghcr.io/jellyfin/jellyfin
      worker:
        type: statefulset
        containers:
          app:
            image:
              repository: busybox
      old:
        enabled: false
`;

function media() {
  return workspaceOf({
    oci: ociRepository('media', 'app-template', 'oci://ghcr.io/bjw-s-labs/helm/app-template'),
    release: helmRelease('media', 'jellyfin', 'app-template', APP_TEMPLATE_VALUES),
  });
}

describe('workloads inferred from HelmReleases', () => {
  it('app-template: one workload per enabled controller with the chart\'s selector labels', () => {
    const workspace = media();
    const workloads = previewIndex(workspace).workloadsIn('media');
    expect(workloads.map((workload) => `${workload.kind} ${workload.name}`).sort()).toEqual(['Deployment jellyfin', 'StatefulSet jellyfin-worker']);
    const main = workloads.find((workload) => workload.name === 'jellyfin')!;
    expect(main.podLabels).toEqual({ team: 'media', tier: 'web', 'app.kubernetes.io/name': 'jellyfin', 'app.kubernetes.io/instance': 'jellyfin', 'app.kubernetes.io/controller': 'jellyfin' });
    expect(main.serviceAccountName).toBe('jellyfin-sa');
    expect(originOf(main)).toMatchObject({ inferred: true, from: 'HelmRelease media/jellyfin', how: 'app-template controller "jellyfin"' });
  });

  it('targetNamespace moves the pods and prefixes the release name; nameOverride renames the app label', () => {
    const values = `    global:\n      nameOverride: web\n    controllers:\n      main:\n        containers: {}\n`;
    const workspace = workspaceOf({
      oci: ociRepository('flux-system', 'app-template', 'oci://ghcr.io/bjw-s-labs/helm/app-template'),
      release: helmRelease('flux-system', 'shop', 'app-template', values, '  targetNamespace: shop\n').replace('name: app-template\n', 'name: app-template\n    namespace: flux-system\n'),
    });
    const [workload] = previewIndex(workspace).workloadsIn('shop');
    expect(workload.podLabels).toMatchObject({ 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/instance': 'shop-shop', 'app.kubernetes.io/controller': 'main' });
  });

  it('other charts: the recommended name/instance labels plus podLabels values', () => {
    const workspace = workspaceOf({
      oci: ociRepository('db', 'redis', 'oci://registry-1.docker.io/bitnamicharts/redis'),
      release: helmRelease('db', 'cache', 'redis', '    podLabels:\n      tier: cache\n'),
    });
    const [workload] = previewIndex(workspace).workloadsIn('db');
    expect(workload.podLabels).toEqual({ tier: 'cache', 'app.kubernetes.io/name': 'redis', 'app.kubernetes.io/instance': 'cache' });
    expect(originOf(workload)?.how).toContain('chart redis');
  });

  it('the Istio gateway chart is an enforcement point for AuthorizationPolicies that select it', () => {
    const workspace = workspaceOf({
      oci: ociRepository('istio-ingress', 'gateway', 'oci://docker.io/istio/charts/gateway'),
      release: helmRelease('istio-ingress', 'istio-ingressgateway', 'gateway', '    labels:\n      zone: edge\n'),
      policy: authz('istio-ingress', 'deny-admin', `  selector:\n    matchLabels:\n      istio: ingressgateway\n  action: DENY\n  rules:\n    - to:\n        - operation:\n            paths: ["/admin*"]\n`),
    });
    const [gateway] = previewIndex(workspace).workloadsIn('istio-ingress');
    expect(gateway.podLabels).toMatchObject({ app: 'istio-ingressgateway', istio: 'ingressgateway', zone: 'edge' });
    const lenses = codeLenses(workspace, '/repo/policy.yaml', options).map((lens) => lens.title);
    expect(lenses[0]).toBe('DENY · applies to istio-ingressgateway (inferred from HelmRelease istio-ingress/istio-ingressgateway) · enforced by gateway');
  });
});

describe('workloads inferred from Gateway API Gateways', () => {
  it('Istio class: the generated deployment in the Gateway namespace; Envoy Gateway: in the controller namespace', () => {
    const gateway = (ns: string, name: string, className: string) => `apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata:\n  name: ${name}\n  namespace: ${ns}\nspec:\n  gatewayClassName: ${className}\n`;
    const workspace = workspaceOf({ a: gateway('edge', 'public', 'istio'), b: gateway('network', 'internal', 'envoy') });
    const ids = previewIndex(workspace).workloads.map((workload) => `${workload.namespace}/${workload.name} ${JSON.stringify(workload.podLabels)}`);
    expect(ids).toEqual([
      'edge/public-istio {"gateway.networking.k8s.io/gateway-name":"public","istio.io/gateway-name":"public"}',
      'envoy-gateway-system/envoy-network-internal {"gateway.networking.k8s.io/gateway-name":"internal","gateway.envoyproxy.io/owning-gateway-name":"internal","gateway.envoyproxy.io/owning-gateway-namespace":"network","app.kubernetes.io/name":"envoy","app.kubernetes.io/component":"proxy","app.kubernetes.io/managed-by":"envoy-gateway"}',
    ]);
  });
});

describe('Workloads documents', () => {
  const declared = `apiVersion: meshlens.dev/v1alpha1
kind: Workloads
metadata:
  name: extra
spec:
  workloads:
    - name: argocd-server
      namespace: argocd
      labels:
        app.kubernetes.io/name: argocd-server
      serviceAccount: argocd-server
    - name: jellyfin
      namespace: media
      labels:
        app: jellyfin
`;

  it('adds workloads and replaces an inferred one of the same namespace/name', () => {
    const workspace = workspaceOf({ oci: ociRepository('media', 'app-template', 'oci://ghcr.io/bjw-s-labs/helm/app-template'), release: helmRelease('media', 'jellyfin', 'app-template', APP_TEMPLATE_VALUES), workloads: declared });
    const listed = listWorkloads(workspace).map((workload) => workload.id);
    expect(listed).toEqual(['argocd/argocd-server', 'media/jellyfin', 'media/jellyfin-worker']);
    const jellyfin = previewIndex(workspace).workload('media', 'jellyfin')!;
    expect(jellyfin.podLabels).toEqual({ app: 'jellyfin' });
    expect(originOf(jellyfin)).toMatchObject({ inferred: false, from: 'Workloads extra' });
  });
});

describe('CodeLens names inferred workloads, or says why nothing matches', () => {
  it('a CNP on an app-template release', () => {
    const workspace = workspaceOf({
      ns: namespace('media'),
      oci: ociRepository('media', 'app-template', 'oci://ghcr.io/bjw-s-labs/helm/app-template'),
      release: helmRelease('media', 'jellyfin', 'app-template', APP_TEMPLATE_VALUES),
      policy: cnp('media', 'jellyfin', `  endpointSelector:\n    matchLabels:\n      app.kubernetes.io/name: jellyfin\n      app.kubernetes.io/controller: jellyfin\n  ingress:\n    - fromEndpoints:\n        - matchLabels:\n            app.kubernetes.io/controller: worker\n      toPorts:\n        - ports:\n            - port: "8096"\n`),
      typo: cnp('media', 'typo', `  endpointSelector:\n    matchLabels:\n      app.kubernetes.io/name: jelyfin\n  ingress:\n    - {}\n`),
    });
    const heads = (file: string) => codeLenses(workspace, `/repo/${file}.yaml`, options).map((lens) => lens.title);
    expect(heads('policy')[0]).toBe('selects jellyfin (inferred from HelmRelease media/jellyfin) · ingress default-deny');
    expect(heads('policy')[1]).toBe('jellyfin ← jellyfin-worker :8096/ANY  L3/L4 only');
    expect(heads('typo')[0]).toBe('selects no workload: no workload in media has app.kubernetes.io/name=jelyfin (values there: jellyfin)');
    const result = simulate(workspace, { from: 'media/jellyfin-worker', to: 'media/jellyfin', port: 8096 });
    expect(result.verdict).toBe('allow');
  });
});

describe('Workloads and PolicyTest schemas in the editor', () => {
  const text = `apiVersion: meshlens.dev/v1alpha1
kind: Workloads
metadata:
  name: extra
spec:
  workloads:
    - name: web
      replaces: shop/web
      labels:
        app: web
      port: 80
`;
  it('hover explains a field, completion offers the fields, and an unknown field is an error', () => {
    const service = new MeshlensService({ roots: ['/repo'] });
    service.setFile('/repo/w.yaml', text);
    const hover = service.hover('/repo/w.yaml', text.indexOf('replaces') + 2, options);
    expect(hover?.contents).toContain('inferred workload this entry corrects');
    const completionText = text.replace('      port: 80\n', '      \n');
    service.setFile('/repo/c.yaml', completionText);
    const labels = service.completions('/repo/c.yaml', completionText.lastIndexOf('      \n') + 6, options).map((item) => item.label);
    expect(labels).toEqual(expect.arrayContaining(['serviceAccount', 'gateway', 'kind']));
    const messages = service.diagnostics('/repo/w.yaml', options).map((diagnostic) => diagnostic.message);
    expect(messages.join('\n')).toMatch(/port/);
  });
});
