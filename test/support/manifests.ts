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
