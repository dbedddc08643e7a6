/**
 * `meshlens build` and `meshlens clusters` on the bundled CLI (`dist/cli.js`,
 * built by `npm test` / `npm run build`): objects as each cluster's Flux
 * builds them, with the file:line that wrote every field set outside its
 * source document. Uses the repository's own fixtures; reads nothing else.
 */

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

describe('meshlens check --undeployed', () => {
  it('lowers findings of a file no cluster deploys to info by default, and keeps them with --undeployed keep', () => {
    const workdir = mkdtempSync(join(tmpdir(), 'meshlens-undeployed-'));
    try {
      mkdirSync(join(workdir, 'clusters', 'prod', 'flux-system'), { recursive: true });
      mkdirSync(join(workdir, 'apps'), { recursive: true });
      mkdirSync(join(workdir, 'attic'), { recursive: true });
      writeFileSync(join(workdir, 'clusters', 'prod', 'flux-system', 'gotk-components.yaml'), '# placeholder\n');
      writeFileSync(
        join(workdir, 'clusters', 'prod', 'apps.yaml'),
        'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: apps\n  namespace: flux-system\nspec:\n  interval: 1h\n  prune: true\n  path: ./apps\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n',
      );
      const policy = 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  endpointSelector: {}\n  ingress:\n    - fromEntities: [wrold]\n';
      writeFileSync(join(workdir, 'apps', 'policy.yaml'), policy);
      writeFileSync(join(workdir, 'attic', 'policy.yaml'), policy);
      const lowered = JSON.parse(meshlens(['check', '.', '--format', 'json', '--fail-on', 'none'], workdir).stdout) as { diagnostics: Array<{ file: string; rule: string; severity: string; message: string }> };
      const entity = (file: string, list: typeof lowered.diagnostics) => list.filter((d) => d.file === file && d.rule === 'cnp/unknown-entity');
      expect(entity('apps/policy.yaml', lowered.diagnostics).map((d) => d.severity)).toEqual(['error']);
      const attic = entity('attic/policy.yaml', lowered.diagnostics);
      expect(attic.map((d) => d.severity)).toEqual(['info']);
      expect(attic[0].message).toMatch(/\[not deployed: no cluster \(prod\) builds this file/);
      const kept = JSON.parse(meshlens(['check', '.', '--format', 'json', '--fail-on', 'none', '--undeployed', 'keep'], workdir).stdout) as typeof lowered;
      expect(entity('attic/policy.yaml', kept.diagnostics).map((d) => d.severity)).toEqual(['error']);
      const bad = meshlens(['check', '.', '--undeployed', 'drop'], workdir);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('--undeployed expects info or keep, not "drop"');
    } finally {
      rmSync(workdir, { recursive: true, force: true });
    }
  });
});
