/**
 * Fixture tests of the kustomize/Flux build engine: one small tree per
 * construct, the expected output, and where the written field comes from.
 */

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildFluxDirectory, buildKustomization, fieldOrigin, fluxOverlayFromObject, type BuildResult, type BuiltObject, type PathSegment } from '../../core/src/build/index';
import { parseYamlFile } from '../../core/src/parse/yamlFile';
import { yamlValue } from '../../core/src/build/yamlValue';
import { memoryBuildFs } from '../support/buildFs';
import { canonical, kubectlAvailable } from '../support/kustomizeDifferential';

/** Every tree built below, to check against kubectl at the end. */
const builtTrees: Array<{ files: Record<string, string>; dir: string; result: BuildResult }> = [];

function build(files: Record<string, string>, dir = 'app'): BuildResult {
  const result = buildKustomization(memoryBuildFs(files), dir);
  builtTrees.push({ files: { ...files }, dir, result });
  return result;
}

function find(result: BuildResult, kind: string, name?: string): BuiltObject {
  const object = result.objects.find((candidate) => candidate.value.kind === kind && (name === undefined || (candidate.value.metadata as { name?: string }).name === name));
  if (!object) throw new Error(`no ${kind} ${name ?? ''} in ${JSON.stringify(result.objects.map((o) => o.value.metadata))} notes ${JSON.stringify(result.notes)}`);
  return object;
}

function get(object: BuiltObject, path: PathSegment[]): unknown {
  let current: unknown = object.value;
  for (const segment of path) current = (current as Record<string | number, unknown>)?.[segment];
  return current;
}

/** `file:line` (1-based) and the text of the range that wrote the field. */
function writer(files: Record<string, string>, object: BuiltObject, path: PathSegment[]): string {
  const origin = fieldOrigin(object, path);
  const text = files[origin.file];
  const line = text.slice(0, origin.start).split('\n').length;
  return `${origin.file}:${line} ${text.slice(origin.start, origin.end)}`;
}

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  replicas: 1
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      serviceAccountName: web
      containers:
        - name: web
          image: nginx:1.25
          envFrom:
            - configMapRef:
                name: settings
        - name: sidecar
          image: busybox
      volumes:
        - name: config
          configMap:
            name: settings
`;

describe('kustomize build', () => {
  it('resources, bases, namespace and prefix with the references kustomize rewrites', () => {
    const files = {
      'base/kustomization.yaml': 'resources:\n  - deployment.yaml\n  - sa.yaml\n  - cm.yaml\n',
      'base/deployment.yaml': deployment,
      'base/sa.yaml': 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: web\n',
      'base/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: "1"\n',
      'app/kustomization.yaml': 'namespace: prod\nnamePrefix: p-\nresources:\n  - ../base\n',
    };
    const result = build(files);
    expect(result.notes).toEqual([]);
    expect(result.objects.map((object) => `${object.value.kind}/${(object.value.metadata as { name: string }).name}`)).toEqual(['ServiceAccount/p-web', 'ConfigMap/p-settings', 'Deployment/p-web']);
    const web = find(result, 'Deployment');
    expect(get(web, ['metadata', 'namespace'])).toBe('prod');
    expect(get(web, ['spec', 'template', 'spec', 'serviceAccountName'])).toBe('p-web');
    expect(get(web, ['spec', 'template', 'spec', 'containers', 0, 'envFrom', 0, 'configMapRef', 'name'])).toBe('p-settings');
    expect(get(web, ['spec', 'template', 'spec', 'volumes', 0, 'configMap', 'name'])).toBe('p-settings');
    expect(writer(files, web, ['metadata', 'namespace'])).toBe('app/kustomization.yaml:1 prod');
    expect(writer(files, web, ['metadata', 'name'])).toBe('app/kustomization.yaml:2 p-');
    expect(writer(files, web, ['spec', 'template', 'spec', 'containers', 0, 'image'])).toBe('base/deployment.yaml:20 nginx:1.25');
    expect(web.via).toEqual(['base/kustomization.yaml', 'app/kustomization.yaml']);
  });

  it('inline strategic merge patch with a regex target; the patched field points at the patch line', () => {
    const files = {
      'app/kustomization.yaml': `resources:
  - deployment.yaml
patches:
  - target:
      kind: Deployment
      name: "w.*"
    patch: |-
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: any
      spec:
        template:
          spec:
            containers:
              - name: web
                image: nginx:1.27
`,
      'app/deployment.yaml': deployment,
    };
    const web = find(build(files), 'Deployment');
    expect(get(web, ['spec', 'template', 'spec', 'containers', 0, 'image'])).toBe('nginx:1.27');
    expect(get(web, ['metadata', 'name'])).toBe('web');
    expect(writer(files, web, ['spec', 'template', 'spec', 'containers', 0, 'image'])).toBe('app/kustomization.yaml:17 nginx:1.27');
    expect(writer(files, web, ['spec', 'template', 'spec', 'containers', 1, 'image'])).toBe('app/deployment.yaml:25 busybox');
  });

  it('strategic merge by key puts patched elements first, deletes with $patch, replaces CRD lists', () => {
    const files = {
      'app/kustomization.yaml': 'resources:\n  - deployment.yaml\n  - release.yaml\npatchesStrategicMerge:\n  - patch.yaml\n',
      'app/deployment.yaml': deployment,
      'app/release.yaml': 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: cilium\nspec:\n  valuesFrom:\n    - kind: ConfigMap\n      name: a\n    - kind: ConfigMap\n      name: b\n  values:\n    l7Proxy: true\n    keep: 1\n',
      'app/patch.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: sidecar
          $patch: delete
        - name: extra
          image: extra:1
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: cilium
spec:
  valuesFrom:
    - kind: ConfigMap
      name: c
  values:
    l7Proxy: false
    keep: null
`,
    };
    const result = build(files);
    const web = find(result, 'Deployment');
    expect((get(web, ['spec', 'template', 'spec', 'containers']) as Array<{ name: string }>).map((c) => c.name)).toEqual(['extra', 'web']);
    expect(writer(files, web, ['spec', 'template', 'spec', 'containers', 0, 'image'])).toBe('app/patch.yaml:12 extra:1');
    expect(writer(files, web, ['spec', 'template', 'spec', 'containers', 1, 'image'])).toBe('app/deployment.yaml:20 nginx:1.25');
    const release = find(result, 'HelmRelease');
    expect(get(release, ['spec', 'valuesFrom'])).toEqual([{ kind: 'ConfigMap', name: 'c' }]);
    expect(get(release, ['spec', 'values'])).toEqual({ l7Proxy: false });
    expect(writer(files, release, ['spec', 'values', 'l7Proxy'])).toBe('app/patch.yaml:23 false');
  });

  it('JSON 6902 patches from a file', () => {
    const files = {
      'app/kustomization.yaml': 'resources:\n  - deployment.yaml\npatchesJson6902:\n  - target:\n      group: apps\n      version: v1\n      kind: Deployment\n      name: web\n    path: ops.yaml\n',
      'app/deployment.yaml': deployment,
      'app/ops.yaml': '- op: replace\n  path: /spec/replicas\n  value: 3\n- op: add\n  path: /spec/template/spec/containers/0/args\n  value: ["--debug"]\n- op: remove\n  path: /spec/template/spec/containers/1\n',
    };
    const web = find(build(files), 'Deployment');
    expect(get(web, ['spec', 'replicas'])).toBe(3);
    expect(get(web, ['spec', 'template', 'spec', 'containers', 0, 'args'])).toEqual(['--debug']);
    expect((get(web, ['spec', 'template', 'spec', 'containers']) as unknown[]).length).toBe(1);
    expect(writer(files, web, ['spec', 'replicas'])).toBe('app/ops.yaml:3 3');
    expect(writer(files, web, ['spec', 'template', 'spec', 'containers', 0, 'args', 0])).toBe('app/ops.yaml:6 "--debug"');
  });

  it('configMapGenerator: literals, env files, files, hash suffix, merge behavior, rewritten references', () => {
    const files = {
      'base/kustomization.yaml': 'resources:\n  - deployment.yaml\nconfigMapGenerator:\n  - name: settings\n    literals:\n      - mode=base\n',
      'base/deployment.yaml': deployment,
      'app/kustomization.yaml': 'resources:\n  - ../base\nconfigMapGenerator:\n  - name: settings\n    behavior: merge\n    envs:\n      - settings.env\n    files:\n      - values.yaml=helm-values.yaml\n    literals:\n      - "quoted=\'x\'"\n',
      'app/settings.env': '# comment\nLEVEL=debug\nmode=overlay\n',
      'app/helm-values.yaml': 'l7Proxy: false\n',
    };
    const result = build(files);
    expect(result.notes).toEqual([]);
    const map = find(result, 'ConfigMap');
    expect(map.value.data).toEqual({ mode: 'overlay', LEVEL: 'debug', quoted: 'x', 'values.yaml': 'l7Proxy: false\n' });
    const name = (map.value.metadata as { name: string }).name;
    expect(name).toMatch(/^settings-[a-z0-9]{10}$/);
    const web = find(result, 'Deployment');
    expect(get(web, ['spec', 'template', 'spec', 'volumes', 0, 'configMap', 'name'])).toBe(name);
    expect(writer(files, map, ['data', 'mode'])).toBe('app/settings.env:3 mode=overlay');
    expect(writer(files, map, ['data', 'values.yaml'])).toBe('app/helm-values.yaml:1 l7Proxy: false\n');
    expect(writer(files, map, ['data', 'quoted'])).toBe('app/kustomization.yaml:11 "quoted=\'x\'"');
  });

  it('generator hashes are the ones kustomize computes', () => {
    const files = {
      'app/kustomization.yaml': 'configMapGenerator:\n  - name: cm\n    literals: [a=1, "b=\'q\'"]\n  - name: empty\nsecretGenerator:\n  - name: s\n    literals: [k=v]\n',
    };
    const names = build(files).objects.map((object) => (object.value.metadata as { name: string }).name);
    expect(names).toEqual(['cm-g2bfd2dk2g', 'empty-6ct58987ht', 's-ftgtgc4t9f']);
  });

  it('images, replicas, labels with selectors and annotations, each traced to its directive', () => {
    const files = {
      'app/kustomization.yaml': `resources:
  - deployment.yaml
  - service.yaml
images:
  - name: nginx
    newName: registry.local/nginx
    newTag: "1.27"
replicas:
  - name: web
    count: 4
commonLabels:
  team: net
labels:
  - pairs:
      tier: front
    includeTemplates: true
commonAnnotations:
  owner: platform
`,
      'app/deployment.yaml': deployment,
      'app/service.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n',
    };
    const result = build(files);
    const web = find(result, 'Deployment');
    expect(get(web, ['spec', 'template', 'spec', 'containers', 0, 'image'])).toBe('registry.local/nginx:1.27');
    expect(get(web, ['spec', 'replicas'])).toBe(4);
    expect(get(web, ['spec', 'selector', 'matchLabels'])).toEqual({ app: 'web', team: 'net' });
    expect(get(web, ['spec', 'template', 'metadata', 'labels'])).toEqual({ app: 'web', team: 'net', tier: 'front' });
    expect(get(find(result, 'Service'), ['spec', 'selector'])).toEqual({ app: 'web', team: 'net' });
    expect(get(web, ['metadata', 'annotations'])).toEqual({ owner: 'platform' });
    expect(writer(files, web, ['spec', 'template', 'spec', 'containers', 0, 'image'])).toMatch(/^app\/kustomization.yaml:5 name: nginx/);
    expect(writer(files, web, ['spec', 'replicas'])).toBe('app/kustomization.yaml:10 4');
    expect(writer(files, web, ['spec', 'template', 'metadata', 'labels', 'tier'])).toBe('app/kustomization.yaml:15 tier: front');
    expect(writer(files, web, ['spec', 'template', 'metadata', 'labels', 'app'])).toBe('app/deployment.yaml:15 web');
  });

  it('components apply their directives to the including kustomization', () => {
    const files = {
      'app/kustomization.yaml': 'resources:\n  - deployment.yaml\ncomponents:\n  - ../components/debug\n',
      'app/deployment.yaml': deployment,
      'components/debug/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources:\n  - policy.yaml\npatches:\n  - path: debug.yaml\n',
      'components/debug/policy.yaml': 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata:\n  name: allow\nspec:\n  endpointSelector: {}\n',
      'components/debug/debug.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n',
    };
    const result = build(files);
    expect(result.objects.map((object) => object.value.kind)).toEqual(['Deployment', 'CiliumNetworkPolicy']);
    const web = find(result, 'Deployment');
    expect(writer(files, web, ['spec', 'replicas'])).toBe('components/debug/debug.yaml:6 2');
    expect(web.via).toEqual(['components/debug/kustomization.yaml', 'app/kustomization.yaml']);
  });

  it('replacements copy a field and keep the source field as origin', () => {
    const files = {
      'app/kustomization.yaml': `resources:
  - deployment.yaml
  - cm.yaml
replacements:
  - source:
      kind: ConfigMap
      name: env
      fieldPath: data.image
    targets:
      - select:
          kind: Deployment
        fieldPaths:
          - spec.template.spec.containers.[name=web].image
`,
      'app/deployment.yaml': deployment,
      'app/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: env\ndata:\n  image: nginx:2\n',
    };
    const web = find(build(files), 'Deployment');
    expect(get(web, ['spec', 'template', 'spec', 'containers', 0, 'image'])).toBe('nginx:2');
    expect(writer(files, web, ['spec', 'template', 'spec', 'containers', 0, 'image'])).toBe('app/cm.yaml:6 nginx:2');
  });

  it('inline builtin transformers', () => {
    const files = {
      'app/kustomization.yaml': `resources:
  - deployment.yaml
transformers:
  - |-
    apiVersion: builtin
    kind: NamespaceTransformer
    metadata:
      name: ns
      namespace: tools
  - |-
    apiVersion: builtin
    kind: AnnotationsTransformer
    metadata:
      name: notes
    annotations:
      checked: "yes"
    fieldSpecs:
      - path: metadata/annotations
        create: true
`,
      'app/deployment.yaml': deployment,
    };
    const web = find(build(files), 'Deployment');
    expect(get(web, ['metadata', 'namespace'])).toBe('tools');
    expect(get(web, ['metadata', 'annotations'])).toEqual({ checked: 'yes' });
    expect(writer(files, web, ['metadata', 'annotations', 'checked'])).toMatch(/^app\/kustomization.yaml:16 checked: "yes"/);
  });

  it('remote and escaping entries are unknown, helmCharts unsupported, missing files errors', () => {
    const result = build({
      'app/kustomization.yaml': 'resources:\n  - https://github.com/org/repo//deploy?ref=v1\n  - ../../outside\nhelmCharts:\n  - name: x\n',
    });
    expect(result.notes.map((note) => note.kind)).toEqual(['unknown', 'unknown', 'unsupported']);
    expect(result.failed).toBe(false);
    expect(result.incomplete).toBe(true);
    const missing = build({ 'app/kustomization.yaml': 'resources:\n  - nothere.yaml\n' });
    expect(missing.failed).toBe(true);
    expect(missing.notes[0].message).toMatch(/nothere.yaml/);
    const security = build({ 'app/kustomization.yaml': 'resources:\n  - ../shared.yaml\n', 'shared.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n' });
    expect(security.failed).toBe(true);
    expect(security.notes[0].message).toMatch(/security/);
  });

  it('legacy output order, and fifo with sortOptions', () => {
    const files = {
      'app/kustomization.yaml': 'resources:\n  - all.yaml\n',
      'app/all.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: b\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: c\n',
    };
    expect(build(files).objects.map((object) => object.value.kind)).toEqual(['Namespace', 'Service', 'Deployment']);
    files['app/kustomization.yaml'] += 'sortOptions:\n  order: fifo\n';
    expect(build(files).objects.map((object) => object.value.kind)).toEqual(['Deployment', 'Namespace', 'Service']);
  });

  it('uses configurations to rewrite custom references to generated names (HelmRelease valuesFrom)', () => {
    const files = {
      'app/kustomization.yaml': `resources:
  - release.yaml
configMapGenerator:
  - name: cilium-values
    files:
      - values.yaml
configurations:
  - kustomizeconfig.yaml
`,
      'app/release.yaml': 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: cilium\nspec:\n  valuesFrom:\n    - kind: ConfigMap\n      name: cilium-values\n',
      'app/values.yaml': 'l7Proxy: false\n',
      'app/kustomizeconfig.yaml': 'nameReference:\n  - kind: ConfigMap\n    version: v1\n    fieldSpecs:\n      - path: spec/valuesFrom/name\n        kind: HelmRelease\n',
    };
    const result = build(files);
    const map = find(result, 'ConfigMap');
    const name = (map.value.metadata as { name: string }).name;
    expect(name).toMatch(/^cilium-values-[a-z0-9]{10}$/);
    const release = find(result, 'HelmRelease');
    expect(get(release, ['spec', 'valuesFrom', 0, 'name'])).toBe(name);
    expect(writer(files, map, ['data', 'values.yaml'])).toBe('app/values.yaml:1 l7Proxy: false\n');
    expect(writer(files, release, ['spec', 'valuesFrom', 0, 'name'])).toMatch(/^app\/kustomization.yaml:4 name: cilium-values/);
  });

  it('reads plain scalars as kustomize does (YAML 1.2: yes stays a string)', () => {
    const value = yamlValue(parseYamlFile('a: yes\nb: true\nc: 0o17\nd: n\n').documents[0].parsed.root).value;
    expect(value).toEqual({ a: 'yes', b: true, c: 15, d: 'n' });
  });
});

describe.skipIf(!kubectlAvailable())('fixture trees agree with kubectl kustomize (skipped without kubectl)', () => {
  it('builds every tree above like kubectl', () => {
    expect(builtTrees.length).toBeGreaterThan(10);
    for (const tree of builtTrees) {
      const root = mkdtempSync(join(tmpdir(), 'meshlens-build-'));
      try {
        for (const [path, text] of Object.entries(tree.files)) {
          mkdirSync(dirname(join(root, path)), { recursive: true });
          writeFileSync(join(root, path), text);
        }
        let output: string | undefined;
        try {
          output = execFileSync('kubectl', ['kustomize', join(root, tree.dir)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
        } catch {
          output = undefined;
        }
        if (output === undefined) {
          expect(tree.result.failed || tree.result.incomplete, `kubectl fails on ${Object.keys(tree.files).join(', ')}`).toBe(true);
          continue;
        }
        expect(tree.result.failed, JSON.stringify(tree.result.notes)).toBe(false);
        const theirs = parseYamlFile(output).documents.map((document) => canonical(yamlValue(document.parsed.root).value));
        expect(tree.result.objects.map((object) => canonical(object.value))).toEqual(theirs);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    }
  }, 120_000);
});

describe('Flux builds', () => {
  it('a directory without kustomization.yaml builds every manifest below it; nested kustomizations are built as bases', () => {
    const files = {
      'apps/web/deployment.yaml': deployment,
      'apps/web/extra/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n',
      'apps/web/sub/kustomization.yaml': 'resources:\n  - sa.yaml\nnamespace: sub\n',
      'apps/web/sub/sa.yaml': 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: web\n',
      'apps/web/notes.txt': 'ignored',
    };
    const fs = memoryBuildFs(files);
    expect(buildKustomization(fs, 'apps/web').failed).toBe(true);
    const result = buildFluxDirectory(fs, 'apps/web');
    expect(result.notes).toEqual([]);
    expect(result.objects.map((object) => `${object.value.kind}/${(object.value.metadata as { name: string }).name}`)).toEqual(['ServiceAccount/web', 'ConfigMap/extra', 'Deployment/web']);
    expect(get(find(result, 'ServiceAccount'), ['metadata', 'namespace'])).toBe('sub');
  });

  it('Flux Kustomization fields apply on top, traced to the Flux file', () => {
    const fluxFile = `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: web
spec:
  path: ./apps/web
  targetNamespace: prod
  commonMetadata:
    labels:
      cluster: prod
  images:
    - name: nginx
      newTag: "1.28"
  patches:
    - target:
        kind: Deployment
      patch: |
        - op: replace
          path: /spec/replicas
          value: 5
`;
    const files = {
      'apps/web/kustomization.yaml': 'resources:\n  - deployment.yaml\nnamespace: dev\n',
      'apps/web/deployment.yaml': deployment,
      'clusters/prod/web.yaml': fluxFile,
    };
    const parsed = parseYamlFile(fluxFile).documents[0];
    const overlay = fluxOverlayFromObject(yamlValue(parsed.parsed.root).value ?? null, 'clusters/prod/web.yaml', 0, parsed.parsed.root, parsed.start);
    const result = buildFluxDirectory(memoryBuildFs(files), 'apps/web', overlay);
    expect(result.notes).toEqual([]);
    const web = find(result, 'Deployment');
    expect(get(web, ['metadata', 'namespace'])).toBe('prod');
    expect(get(web, ['spec', 'replicas'])).toBe(5);
    expect(get(web, ['spec', 'template', 'spec', 'containers', 0, 'image'])).toBe('nginx:1.28');
    expect(get(web, ['metadata', 'labels'])).toEqual({ app: 'web', cluster: 'prod' });
    expect(get(web, ['spec', 'selector', 'matchLabels'])).toEqual({ app: 'web' });
    expect(writer(files, web, ['metadata', 'namespace'])).toBe('clusters/prod/web.yaml:7 prod');
    expect(writer(files, web, ['spec', 'replicas'])).toBe('clusters/prod/web.yaml:20 5');
    expect(writer(files, web, ['metadata', 'labels', 'cluster'])).toBe('clusters/prod/web.yaml:10 prod');
    expect(writer(files, web, ['spec', 'template', 'spec', 'containers', 0, 'image'])).toMatch(/^clusters\/prod\/web.yaml:12 name: nginx/);
  });
});
