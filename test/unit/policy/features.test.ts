/** Policy completion and hover from the workspace index, driven through MeshlensService with `$0` cursors. */

import { describe, expect, it } from 'vitest';
import { MeshlensService } from '../../../core/src/service';
import { defaultAnalysisOptions } from '../../../core/src/options';

const options = defaultAnalysisOptions();

const WORKLOADS = [
  'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}',
  'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n  namespace: shop\nspec:\n  template:\n    metadata:\n      labels: {app: api, tier: backend}\n    spec:\n      serviceAccountName: api-sa',
  'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: front\nspec:\n  template:\n    metadata:\n      labels: {app: web, tier: frontend}\n    spec:\n      serviceAccountName: web-sa',
  'apiVersion: v1\nkind: Service\nmetadata: {name: api, namespace: shop}\nspec:\n  selector: {app: api}',
  'apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: waypoint, namespace: shop}\nspec:\n  gatewayClassName: istio-waypoint',
].join('\n---\n');

function serviceWith(policy: string): { service: MeshlensService; offset: number } {
  const offset = policy.indexOf('$0');
  const service = new MeshlensService({ roots: ['/repo'] });
  service.setFile('/repo/apps/workloads.yaml', WORKLOADS);
  service.setFile('/repo/policies/policy.yaml', policy.replace('$0', ''));
  return { service, offset };
}

function complete(policy: string): string[] {
  const { service, offset } = serviceWith(policy);
  return service.completions('/repo/policies/policy.yaml', offset, options).map((item) => item.label);
}

const AP = 'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: p\n  namespace: shop\nspec:\n';
const CNP = 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata:\n  name: p\n  namespace: shop\nspec:\n';

describe('policy completion', () => {
  it('offers pod label keys of the policy namespace in an AuthorizationPolicy selector', () => {
    expect(complete(`${AP}  selector:\n    matchLabels:\n      $0`)).toEqual(['app', 'tier']);
    expect(complete(`${AP}  selector:\n    matchLabels:\n      app: api\n      $0`)).toEqual(['tier']);
  });

  it('offers label values from other files of the workspace', () => {
    expect(complete(`${AP}  selector:\n    matchLabels:\n      tier: $0`)).toEqual(['backend']);
  });

  it('offers label keys and values in Cilium endpoint and peer selectors', () => {
    expect(complete(`${CNP}  endpointSelector:\n    matchLabels:\n      $0`)).toEqual(['app', 'tier', 'k8s:io.kubernetes.pod.namespace']);
    expect(complete(`${CNP}  endpointSelector:\n    matchLabels:\n      {}\n  ingress:\n    - fromEndpoints:\n        - matchLabels:\n            app: $0`)).toEqual(['api', 'web']);
    expect(complete(`${CNP}  endpointSelector: {}\n  egress:\n    - toEndpoints:\n        - matchLabels:\n            k8s:io.kubernetes.pod.namespace: $0`)).toEqual(['default', 'front', 'shop']);
    expect(complete(`${CNP}  endpointSelector: {}\n  egress:\n    - toEndpoints:\n        - matchLabels:\n            k8s:tier: $0`)).toEqual(['backend', 'frontend']);
  });

  it('offers principals, service accounts and namespaces in sources', () => {
    expect(complete(`${AP}  rules:\n    - from:\n        - source:\n            principals:\n              - $0`)).toEqual(['cluster.local/ns/front/sa/web-sa', 'cluster.local/ns/shop/sa/api-sa']);
    expect(complete(`${AP}  rules:\n    - from:\n        - source:\n            serviceAccounts: [$0]`)).toEqual(['front/web-sa', 'shop/api-sa']);
    expect(complete(`${AP}  rules:\n    - from:\n        - source:\n            namespaces:\n              - $0`)).toEqual(['default', 'front', 'shop']);
  });

  it('offers HTTP methods, Cilium entities and targetRef names', () => {
    expect(complete(`${AP}  rules:\n    - to:\n        - operation:\n            methods:\n              - $0`)).toContain('PATCH');
    expect(complete(`${CNP}  endpointSelector: {}\n  egress:\n    - toEntities:\n        - $0`)).toContain('kube-apiserver');
    expect(complete(`${CNP}  endpointSelector: {}\n  ingress:\n    - toPorts:\n        - rules:\n            http:\n              - method: $0`)).toContain('GET');
    const names = serviceWith(`${AP}  targetRefs:\n    - kind: Service\n      group: ""\n      name: $0`);
    expect(names.service.completions('/repo/policies/policy.yaml', names.offset, options).map((item) => `${item.label} (${item.detail})`)).toEqual(['api (Service)', 'waypoint (Gateway (waypoint))']);
  });

  it('replaces the word under the cursor', () => {
    const { service, offset } = serviceWith(`${AP}  selector:\n    matchLabels:\n      tier: ba$0`);
    const [item] = service.completions('/repo/policies/policy.yaml', offset, options);
    expect(item.label).toBe('backend');
    expect(item.replaceEnd - item.replaceStart).toBe(2);
  });
});

describe('selector hover', () => {
  function hover(policy: string): string | undefined {
    const { service, offset } = serviceWith(policy);
    return service.hover('/repo/policies/policy.yaml', offset, options)?.contents;
  }

  it('lists the workloads an AuthorizationPolicy selector matches with file and line', () => {
    const contents = hover(`${AP}  sel$0ector:\n    matchLabels:\n      app: api\n`);
    expect(contents).toContain('Selects 1 workload');
    expect(contents).toContain('Deployment `shop/api` — apps/workloads.yaml:8');
    expect(hover(`${AP}  selector:\n    matchLabels:\n      ti$0er: backend\n`)).toContain('shop/api');
  });

  it('says when a selector matches nothing', () => {
    expect(hover(`${AP}  selector:\n    matchLabels:\n      ap$0p: apii\n`)).toContain('Selects no workload');
  });

  it('resolves Cilium label sources and the namespace label of peer selectors', () => {
    expect(hover(`${CNP}  endpointSelector:\n    matchLabels:\n      k8s:t$0ier: backend\n`)).toContain('shop/api');
    const peer = hover(`${CNP}  endpointSelector: {}\n  ingress:\n    - fromEndpoints:\n        - matchLabels:\n            a$0pp: web\n            k8s:io.kubernetes.pod.namespace: front\n`);
    expect(peer).toContain('front/web');
    expect(peer).toContain('apps/workloads.yaml:20');
    // Without the namespace label, a peer selector of a namespaced policy sees only its namespace.
    expect(hover(`${CNP}  endpointSelector: {}\n  ingress:\n    - fromEndpoints:\n        - matchLabels:\n            a$0pp: web\n`)).toContain('Selects no workload');
  });
});
