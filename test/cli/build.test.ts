/**
 * `meshlens build` and `meshlens clusters` on the bundled CLI (`dist/cli.js`,
 * built by `npm test` / `npm run build`): objects as each cluster's Flux
 * builds them, with the file:line that wrote every field set outside its
 * source document. Uses the repository's own fixtures; reads nothing else.
 */

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { meshlens } from '../support/cli';
import { repoRoot } from '../support/repo';

const fixtures = join(repoRoot, 'test', 'fixtures', 'helm', 'obsolete-value');

describe('meshlens build', () => {
  it('prints a kustomize overlay patch as the writer of the value it sets', () => {
    const result = meshlens(['build', 'overlay-patch'], fixtures);
    expect(result.code).toBe(0);
    const release = result.stdout.split('\n---\n').find((chunk) => chunk.includes('kind: HelmRelease'))!;
    expect(release).toContain('# from overlay-patch/base/cilium/helmrelease.yaml:10');
    expect(release).toMatch(/^ {4}tunnel: geneve {2}# from overlay-patch\/overlays\/staging\/cilium-values\.yaml:8 \(patches\[0\]\)$/m);
    // Fields of the source document itself carry no comment.
    expect(release).toMatch(/^ {4}k8sServicePort: 6443$/m);
  });

  it('prints a post-build substitution with the variable and the line that defines it', () => {
    const result = meshlens(['build', 'post-build-substitute', '--cluster', 'cilium'], fixtures);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/kubeProxyReplacement: strict {2}# from post-build-substitute\/clusters\/prod\/cilium\.yaml:35 \(\$\{KUBE_PROXY_REPLACEMENT\}\)/);
    expect(result.stdout).toContain('# cluster cilium, namespace kube-system, via Flux Kustomization cilium');
  });

  it('prints a Flux spec.patches entry and a component as writers', () => {
    const flux = meshlens(['build', 'flux-spec-patches'], fixtures);
    expect(flux.stdout).toMatch(/tunnel: vxlan {2}# from flux-spec-patches\/clusters\/prod\/cilium\.yaml:\d+ \(Flux spec\.patches\[0\]\)/);
    const component = meshlens(['build', 'component'], fixtures);
    expect(component.stdout).toMatch(/kubeProxyReplacement: strict {2}# from component\/components\/kpr\/kpr\.yaml:8/);
  });

  it('gives the built objects as JSON data, and refuses an unknown cluster', () => {
    const result = meshlens(['build', 'generator-other-folder', '--format', 'json'], fixtures);
    expect(result.code).toBe(0);
    const objects = JSON.parse(result.stdout) as Array<{ cluster: string; file: string; value: { kind: string; data?: Record<string, string> } }>;
    const configMap = objects.find((object) => object.value.kind === 'ConfigMap');
    expect(configMap?.value.data?.['values.yaml']).toContain('tunnel: geneve');
    expect(objects.every((object) => object.cluster === 'kustomize')).toBe(true);
    const unknown = meshlens(['build', 'generator-other-folder', '--cluster', 'nope'], fixtures);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown cluster "nope"; clusters: kustomize');
  });
});

describe('meshlens clusters', () => {
  it('names the cluster, its root and what it deploys', () => {
    const result = meshlens(['clusters', 'flux-spec-patches'], fixtures);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^cilium: 1 Flux Kustomizations, \d+ files; /m);
    expect(result.stdout).toContain('root Kustomization: flux-spec-patches/clusters/prod/cilium.yaml');
  });
});
