/** Small manifest builders shared by tests. */

/** A Flux HelmRelease of the Cilium chart; `tail` is appended after `sourceRef` (e.g. `valuesFrom:` / `values:` blocks, indented by two). */
export function ciliumHelmRelease(version: string, tail: string): string {
  return `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: cilium
  namespace: kube-system
spec:
  interval: 30m
  chart:
    spec:
      chart: cilium
      version: ${version}
      sourceRef:
        kind: HelmRepository
        name: cilium
${tail}`;
}

/** A Flux Kustomization (`flux-system` namespace, `GitRepository flux-system` source); `extra` is appended to its spec. */
export function fluxKustomization(name: string, path: string, extra = ''): string {
  return `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: ${name}\n  namespace: flux-system\nspec:\n  interval: 1h\n  prune: true\n  path: ${path}\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n${extra}`;
}

/** A CiliumNetworkPolicy `shop/api` with an HTTP GET rule on port 80 (L7: refused while the L7 proxy is off). */
export const L7_GET_POLICY = `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata:
  name: api
  namespace: shop
spec:
  endpointSelector:
    matchLabels: {app: api}
  ingress:
    - toPorts:
        - ports: [{port: "80", protocol: TCP}]
          rules:
            http: [{method: GET}]
`;
