/**
 * effectiveValues: Flux's composition order and the provenance of every key,
 * including keys inside a ConfigMap's `values.yaml: |` block and inside a
 * kustomize configMapGenerator file.
 */

import { describe, expect, it } from 'vitest';
import { effectiveValues, embeddedValuesProblems } from '../../../core/src/helm/effectiveValues';
import { ciliumReleases } from '../../../core/src/helm/ciliumReleases';
import { Workspace } from '../../../core/src/workspace/workspace';
import type { Anchor } from '../../../core/src/rules/types';
import { ciliumHelmRelease } from '../../support/manifests';

const release = (valuesFrom: string, values: string) => ciliumHelmRelease('1.16.5', `${valuesFrom}${values}`);

const configMap = `apiVersion: v1
kind: ConfigMap
metadata:
  name: base-values
  namespace: kube-system
data:
  values.yaml: |
    hubble:
      enabled: true
      relay:
        enabled: false
    ipam:
      mode: kubernetes
  extra: "3"
`;

function workspaceWith(files: Record<string, string>, disk: Record<string, string> = {}): Workspace {
  const workspace = new Workspace({ readFile: (path) => disk[path] }, ['/repo']);
  for (const [path, text] of Object.entries(files)) workspace.setFile(path, text);
  return workspace;
}

/** The text an anchor covers, read from the workspace copy of its file. */
function textAt(workspace: Workspace, anchor: Anchor | undefined): string | undefined {
  if (!anchor) return undefined;
  const file = workspace.getFile(anchor.file)!;
  const document = file.yaml.documents[anchor.document];
  return file.text.slice(document.start + anchor.start, document.start + anchor.end);
}

/** Line and column (zero-based) of an anchor's start in its file. */
function positionOf(workspace: Workspace, anchor: Anchor): { line: number; character: number } {
  const file = workspace.getFile(anchor.file)!;
  return file.yaml.lineIndex.positionAt(file.yaml.documents[anchor.document].start + anchor.start);
}

describe('effectiveValues', () => {
  const valuesFrom = `  valuesFrom:
    - kind: ConfigMap
      name: base-values
    - kind: ConfigMap
      name: base-values
      valuesKey: extra
      targetPath: operator.replicas
    - kind: Secret
      name: private-values
`;
  const inline = `  values:
    hubble:
      relay:
        enabled: true
    operator:
      replicas: 1
`;
  const workspace = workspaceWith({ '/repo/app/release.yaml': release(valuesFrom, inline), '/repo/app/configmap.yaml': configMap });
  const hr = workspace.byKind('HelmRelease')[0];
  const values = effectiveValues(workspace, hr);

  it('merges ConfigMap, inline values and targetPath in Flux order', () => {
    expect(values.value).toEqual({
      hubble: { enabled: true, relay: { enabled: true } },
      ipam: { mode: 'kubernetes' },
      // targetPath overrides inline values (documented Flux behaviour); `--set` typing makes "3" an integer.
      operator: { replicas: 3 },
    });
    expect(values.unknownSources).toHaveLength(1);
    expect(values.unknownSources[0]).toMatch(/^Secret private-values/);
    expect(values.sources.map((source) => source.kind)).toEqual(['ConfigMap', 'inline', 'targetPath']);
  });

  it('points at the key and value inside the ConfigMap block, on the right line and column', () => {
    const location = values.provenance(['ipam', 'mode']);
    expect(location?.key.file).toBe('/repo/app/configmap.yaml');
    expect(textAt(workspace, location?.key)).toBe('mode');
    expect(textAt(workspace, location?.value)).toBe('kubernetes');
    // `      mode: kubernetes` is line 12 of the ConfigMap, the key at column 6.
    expect(positionOf(workspace, location!.key)).toEqual({ line: 12, character: 6 });
  });

  it('gives the winning write as provenance and keeps every write', () => {
    const relay = values.provenance(['hubble', 'relay', 'enabled']);
    expect(relay?.key.file).toBe('/repo/app/release.yaml');
    expect(textAt(workspace, relay?.value)).toBe('true');
    const writes = values.writes(['hubble', 'relay', 'enabled']);
    expect(writes.map((write) => write.location.key.file)).toEqual(['/repo/app/configmap.yaml', '/repo/app/release.yaml']);
    expect(writes.map((write) => write.value)).toEqual([false, true]);
  });

  it('locates targetPath values at the targetPath entry and the data value', () => {
    const replicas = values.provenance(['operator', 'replicas']);
    expect(textAt(workspace, replicas?.key)).toBe('operator.replicas');
    expect(textAt(workspace, replicas?.value)).toBe('"3"');
  });

  it('drops writes under a key that a later source replaces with a scalar', () => {
    const override = `  values:
    hubble: null
`;
    const replaced = workspaceWith({
      '/repo/app/release.yaml': release('  valuesFrom:\n    - kind: ConfigMap\n      name: base-values\n', override),
      '/repo/app/configmap.yaml': configMap,
    });
    const result = effectiveValues(replaced, replaced.byKind('HelmRelease')[0]);
    expect(result.value.hubble).toBeNull();
    expect(result.writes(['hubble', 'enabled'])).toEqual([]);
    expect(result.provenance(['hubble'])?.key.file).toBe('/repo/app/release.yaml');
  });

  it('reads configMapGenerator files next to the release, preferring the workspace copy', () => {
    const kustomization = `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources: [./release.yaml]
configMapGenerator:
  - name: generated-values
    files:
      - values.yaml=./helm-values.yaml
`;
    const valuesFile = '---\n# cluster\ncluster:\n  name: home\n';
    const generated = workspaceWith(
      {
        '/repo/app/release.yaml': release('  valuesFrom:\n    - kind: ConfigMap\n      name: generated-values\n', ''),
        '/repo/app/kustomization.yaml': kustomization,
        '/repo/app/helm-values.yaml': valuesFile,
      },
      { '/repo/app/helm-values.yaml': 'stale: on disk\n' },
    );
    const result = effectiveValues(generated, generated.byKind('HelmRelease')[0]);
    expect(result.value).toEqual({ cluster: { name: 'home' } });
    const name = result.provenance(['cluster', 'name'])!;
    expect(name.key.file).toBe('/repo/app/helm-values.yaml');
    expect(positionOf(generated, name.key)).toEqual({ line: 3, character: 2 });
  });

  it('falls back to the host for generator files the workspace does not hold', () => {
    // Without `key=`, kustomize names the data key after the file.
    const kustomization = 'configMapGenerator:\n  - name: generated-values\n    files: [values/values.yaml]\n';
    const generated = workspaceWith(
      {
        '/repo/app/release.yaml': release('  valuesFrom:\n    - kind: ConfigMap\n      name: generated-values\n', ''),
        '/repo/app/kustomization.yaml': kustomization,
      },
      { '/repo/app/values/values.yaml': 'ipam:\n  mode: kubernetes\n' },
    );
    const result = effectiveValues(generated, generated.byKind('HelmRelease')[0]);
    expect(result.value).toEqual({ ipam: { mode: 'kubernetes' } });
  });

  it('lists a missing ConfigMap as unknown unless it is optional', () => {
    const missing = workspaceWith({
      '/repo/app/release.yaml': release(
        '  valuesFrom:\n    - kind: ConfigMap\n      name: absent\n    - kind: ConfigMap\n      name: absent-too\n      optional: true\n',
        '  values:\n    debug:\n      enabled: true\n',
      ),
    });
    const result = effectiveValues(missing, missing.byKind('HelmRelease')[0]);
    expect(result.unknownSources).toEqual(['ConfigMap absent (key values.yaml): not found in the workspace']);
    expect(result.value).toEqual({ debug: { enabled: true } });
  });

  it('never throws on odd shapes', () => {
    const odd = workspaceWith({ '/repo/app/release.yaml': release('  valuesFrom: "nope"\n', '  values: [1, 2]\n') });
    const result = effectiveValues(odd, odd.byKind('HelmRelease')[0]);
    expect(result.value).toEqual({});
    expect(result.entries()).toEqual([]);
  });
});

describe('effectiveValues across edits', () => {
  const broken = `apiVersion: v1
kind: ConfigMap
metadata:
  name: broken-values
  namespace: kube-system
data:
  values.yaml: |
    hubble: [unclosed
`;
  const releaseNamed = (name: string, configMapName: string, inline: string) =>
    release(`  valuesFrom:\n    - kind: ConfigMap\n      name: ${configMapName}\n`, `  values:\n    ${inline}\n`).replace('name: cilium\n  namespace', `name: ${name}\n  namespace`);

  it('recomposes only the edited release when a caller read every HelmRelease (embeddedValuesProblems)', () => {
    const workspace = workspaceWith({
      '/repo/a/release.yaml': releaseNamed('a', 'base-values', 'debug: {enabled: true}'),
      '/repo/b/release.yaml': releaseNamed('b', 'broken-values', 'debug: {enabled: false}'),
      '/repo/cm/base.yaml': configMap,
      '/repo/cm/broken.yaml': broken,
    });
    // As a rule asks: inside a tracker standing on the rule's own document.
    const problems = () => workspace.track(() => embeddedValuesProblems(workspace), workspace.documentDependency('/repo/cm/broken.yaml', 0)).value;
    const releaseAt = (file: string) => workspace.fileResources(file)[0];
    expect([...problems().keys()]).toEqual(['/repo/cm/broken.yaml#0']);
    const beforeA = effectiveValues(workspace, releaseAt('/repo/a/release.yaml'));
    const beforeB = effectiveValues(workspace, releaseAt('/repo/b/release.yaml'));

    workspace.setFile('/repo/a/release.yaml', releaseNamed('a', 'base-values', 'debug: {enabled: false}'));
    expect([...problems().keys()]).toEqual(['/repo/cm/broken.yaml#0']);
    const afterA = effectiveValues(workspace, releaseAt('/repo/a/release.yaml'));
    expect(afterA).not.toBe(beforeA);
    expect(afterA.value).toMatchObject({ debug: { enabled: false }, hubble: { enabled: true } });
    // The other release was not composed again: same object.
    expect(effectiveValues(workspace, releaseAt('/repo/b/release.yaml'))).toBe(beforeB);

    // What a release reads itself still counts: fixing its ConfigMap recomposes it and clears the problem.
    workspace.setFile('/repo/cm/broken.yaml', broken.replace('[unclosed', '{enabled: true}'));
    expect(problems().size).toBe(0);
    const fixedB = effectiveValues(workspace, releaseAt('/repo/b/release.yaml'));
    expect(fixedB).not.toBe(beforeB);
    expect(fixedB.value).toEqual({ hubble: { enabled: true }, debug: { enabled: false } });
  });
});

describe('ciliumReleases', () => {
  it('finds the release and the version it means', () => {
    const workspace = workspaceWith({ '/repo/app/release.yaml': release('', '  values:\n    hubble:\n      enabled: true\n') });
    const [found] = ciliumReleases(workspace);
    expect(found.version).toMatchObject({ minor: '1.16', chartVersion: '1.16.5', how: 'exact' });
    expect(found.values.value).toEqual({ hubble: { enabled: true } });
  });

  it('reads an OCIRepository chartRef and its semver', () => {
    const workspace = workspaceWith({
      '/repo/app/release.yaml': `apiVersion: source.toolkit.fluxcd.io/v1
kind: OCIRepository
metadata: {name: cilium-chart, namespace: kube-system}
spec:
  interval: 1h
  url: oci://quay.io/cilium/charts/cilium
  ref: {semver: "~1.17.0"}
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: cni, namespace: kube-system}
spec:
  interval: 1h
  chartRef: {kind: OCIRepository, name: cilium-chart}
`,
    });
    const [found] = ciliumReleases(workspace);
    expect(found.version.how).toBe('range');
    expect(found.version.minor).toBe('1.17');
  });

  it('ignores releases of other charts', () => {
    const workspace = workspaceWith({ '/repo/app/release.yaml': release('', '').replace('chart: cilium', 'chart: podinfo') });
    expect(ciliumReleases(workspace)).toEqual([]);
  });
});
