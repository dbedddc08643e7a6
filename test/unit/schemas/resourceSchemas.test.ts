// Checks the generated resource schemas in schemas/resources/: every schema compiles with ajv 8,
// a small valid example of each (apiVersion, kind) passes, unknown fields and wrong types are
// reported where they occur, hover description paths exist, and (when ../shared is present) the
// files match a fresh run of scripts/gen-resource-schemas.mjs and the Cilium example policies pass.

import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { loadAll } from 'js-yaml';
import { RE2JS } from 're2js';
import { beforeAll, describe, expect, it } from 'vitest';
import { hasShared, repoRoot, sharedRoot, SHARED_MISSING } from '../../support/repo';

interface IndexEntry {
  apiVersion: string;
  kind: string;
  file: string;
  deprecated?: string;
}

type JsonObject = Record<string, unknown>;

const resourcesDir = join(repoRoot, 'schemas', 'resources');
const index = JSON.parse(readFileSync(join(resourcesDir, 'index.json'), 'utf8')) as { generatedFrom: string; entries: IndexEntry[] };
const descriptions = JSON.parse(readFileSync(join(resourcesDir, 'descriptions.json'), 'utf8')) as Record<string, Record<string, string>>;

function readSchema(entry: IndexEntry): JsonObject {
  return JSON.parse(readFileSync(join(resourcesDir, entry.file), 'utf8')) as JsonObject;
}

const validators = new Map<string, ValidateFunction>();
const compileMilliseconds = new Map<string, number>();
const keyOf = (apiVersion: string, kind: string) => `${apiVersion} ${kind}`;

function validatorFor(apiVersion: string, kind: string): ValidateFunction {
  const validate = validators.get(keyOf(apiVersion, kind));
  if (!validate) throw new Error(`no schema for ${apiVersion} ${kind}`);
  return validate;
}

function errorsOf(document: JsonObject): ErrorObject[] {
  const validate = validatorFor(String(document.apiVersion), String(document.kind));
  validate(document);
  return validate.errors ?? [];
}

// Small documents written for this test. Flux examples use fields every served version knows, so
// one example per kind covers its beta versions too.
const examplesByKind: Record<string, JsonObject> = {
  CiliumNetworkPolicy: {
    metadata: { name: 'allow-frontend', namespace: 'shop', labels: { team: 'web' } },
    spec: {
      endpointSelector: { matchLabels: { app: 'backend' } },
      ingress: [
        {
          fromEndpoints: [{ matchLabels: { app: 'frontend' } }],
          toPorts: [{ ports: [{ port: '8080', protocol: 'TCP' }], rules: { http: [{ method: 'GET', path: '/api/.*' }] } }],
        },
      ],
      egress: [
        { toEndpoints: [{ matchLabels: { 'k8s:io.kubernetes.pod.namespace': 'kube-system', 'k8s-app': 'kube-dns' } }], toPorts: [{ ports: [{ port: '53', protocol: 'ANY' }], rules: { dns: [{ matchPattern: '*' }] } }] },
        { toFQDNs: [{ matchName: 'api.example.com' }], toPorts: [{ ports: [{ port: '443' }] }] },
        { toCIDRSet: [{ cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] }], icmps: [{ fields: [{ type: 8, family: 'IPv4' }] }] },
      ],
    },
  },
  CiliumClusterwideNetworkPolicy: {
    metadata: { name: 'host-fw' },
    spec: {
      nodeSelector: { matchLabels: { 'node-role.kubernetes.io/worker': '' } },
      ingress: [{ fromEntities: ['cluster'], toPorts: [{ ports: [{ port: '22', protocol: 'TCP' }] }] }],
    },
  },
  AuthorizationPolicy: {
    metadata: { name: 'allow-get', namespace: 'shop' },
    spec: {
      selector: { matchLabels: { app: 'backend' } },
      action: 'ALLOW',
      rules: [
        {
          from: [{ source: { principals: ['cluster.local/ns/shop/sa/frontend'], notIpBlocks: ['203.0.113.0/24'] } }],
          to: [{ operation: { methods: ['GET'], paths: ['/api/*'], ports: ['8080'] } }],
          when: [{ key: 'request.headers[x-tenant]', values: ['a', 'b'] }],
        },
      ],
    },
  },
  HelmRelease: {
    metadata: { name: 'cilium', namespace: 'kube-system' },
    spec: {
      interval: '30m',
      chart: { spec: { chart: 'cilium', version: '1.18.x', sourceRef: { kind: 'HelmRepository', name: 'cilium' } } },
      values: { kubeProxyReplacement: true, hubble: { relay: { enabled: true } } },
      valuesFrom: [{ kind: 'ConfigMap', name: 'cilium-values', valuesKey: 'values.yaml' }],
      install: { remediation: { retries: 3 } },
      upgrade: { remediation: { retries: 3 } },
    },
  },
  HelmRepository: { metadata: { name: 'cilium' }, spec: { url: 'https://helm.cilium.io', interval: '1h' } },
  OCIRepository: { metadata: { name: 'podinfo' }, spec: { url: 'oci://ghcr.io/stefanprodan/manifests/podinfo', interval: '5m', ref: { semver: '>=6.0.0' } } },
  GitRepository: { metadata: { name: 'platform' }, spec: { url: 'https://github.com/example/platform', interval: '1m', ref: { branch: 'main' } } },
  HelmChart: { metadata: { name: 'cilium' }, spec: { chart: 'cilium', version: '1.18.x', interval: '1h', sourceRef: { kind: 'HelmRepository', name: 'cilium' } } },
  Bucket: { metadata: { name: 'manifests' }, spec: { bucketName: 'manifests', endpoint: 'minio.example.com', interval: '5m' } },
  Kustomization: {
    metadata: { name: 'apps', namespace: 'flux-system' },
    spec: {
      interval: '10m',
      path: './apps/production',
      prune: true,
      sourceRef: { kind: 'GitRepository', name: 'platform' },
      postBuild: { substitute: { cluster_name: 'prod' } },
    },
  },
  Workloads: {
    metadata: { name: 'extra' },
    spec: { workloads: [{ name: 'argocd-server', namespace: 'argocd', kind: 'Deployment', labels: { 'app.kubernetes.io/name': 'argocd-server' }, serviceAccount: 'argocd-server', replaces: 'argocd/argocd', gateway: false }] },
  },
  PolicyTest: {
    metadata: { name: 'shop' },
    spec: {
      cluster: 'production',
      cases: [{ name: 'web reads orders', from: 'shop/web', to: 'shop/app.kubernetes.io/name=api', port: 8080, protocol: 'TCP', method: 'GET', path: '/orders', host: 'api', headers: { 'x-user': 'a' }, expect: 'allow', cluster: 'production' }],
    },
  },
  NodeProfile: {
    metadata: { name: 'ubuntu-22-04-workers' },
    spec: {
      kernel: '5.15.0-91-generic',
      arch: 'amd64',
      distro: 'Ubuntu 22.04',
      kernelConfig: { CONFIG_BPF_JIT: 'y', CONFIG_NETKIT: 'n' },
      bpftoolProbe: 'probes/worker.json',
      nodeSelector: { 'node.kubernetes.io/instance-type': 'm5.large' },
    },
  },
};

function exampleFor(entry: IndexEntry): JsonObject {
  const example = examplesByKind[entry.kind];
  if (!example) throw new Error(`no example written for ${entry.kind}`);
  return { apiVersion: entry.apiVersion, kind: entry.kind, ...structuredClone(example) };
}

beforeAll(() => {
  for (const entry of index.entries) {
    // One ajv instance per schema, as each schema is meant to be loaded on its own.
    const ajv = new Ajv({ strict: false, allErrors: true });
    const started = performance.now();
    validators.set(keyOf(entry.apiVersion, entry.kind), ajv.compile(readSchema(entry)));
    compileMilliseconds.set(entry.file, performance.now() - started);
  }
  const report = [...compileMilliseconds].map(([file, ms]) => `  ${ms.toFixed(0).padStart(5)} ms  ${file}`).join('\n');
  console.log(`ajv compile time per schema (${index.entries.length} schemas):\n${report}`);
});

describe('generated resource schemas', () => {
  it('lists one schema file per (apiVersion, kind) and every file compiles', () => {
    const files = readdirSync(resourcesDir).filter((name) => name.endsWith('.json') && name !== 'index.json' && name !== 'descriptions.json');
    expect(files.sort()).toEqual(index.entries.map((entry) => entry.file).sort());
    expect(validators.size).toBe(index.entries.length);
    const kinds = new Set(index.entries.map((entry) => entry.kind));
    for (const kind of Object.keys(examplesByKind)) expect(kinds.has(kind), kind).toBe(true);
  });

  it('does not copy upstream descriptions into the schemas', () => {
    // A property may be named "description" (Cilium rules have one); a keyword with prose may not.
    const prose: string[] = [];
    const walk = (node: unknown, where: string): void => {
      if (Array.isArray(node)) node.forEach((child, i) => walk(child, `${where}/${i}`));
      if (!node || typeof node !== 'object' || Array.isArray(node)) return;
      for (const [key, value] of Object.entries(node)) {
        if (['description', 'title', 'example'].includes(key) && typeof value === 'string') prose.push(`${where}/${key}`);
        walk(value, `${where}/${key}`);
      }
    };
    for (const entry of index.entries) walk(readSchema(entry), entry.file);
    expect(prose).toEqual([]);
  });

  it.each(index.entries.map((entry) => [`${entry.apiVersion} ${entry.kind}`, entry] as const))('accepts a valid %s', (_name, entry) => {
    expect(errorsOf(exampleFor(entry))).toEqual([]);
  });

  it('marks the Flux beta APIs as deprecated in the index', () => {
    const deprecated = index.entries.filter((entry) => entry.deprecated).map((entry) => entry.apiVersion);
    expect(deprecated).toContain('helm.toolkit.fluxcd.io/v2beta1');
    expect(deprecated).toContain('source.toolkit.fluxcd.io/v1beta2');
    expect(deprecated).not.toContain('helm.toolkit.fluxcd.io/v2');
  });

  it('reports an unknown field at its own instance path', () => {
    const policy = exampleFor({ apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', file: '' });
    const ingress = (policy.spec as JsonObject).ingress as JsonObject[];
    ingress[0].fromEndpoint = ingress[0].fromEndpoints; // typo of fromEndpoints
    const errors = errorsOf(policy);
    expect(errors).toContainEqual(
      expect.objectContaining({ keyword: 'additionalProperties', instancePath: '/spec/ingress/0', params: { additionalProperty: 'fromEndpoint' } }),
    );
    expect(errors).toHaveLength(1);
  });

  it('reports unknown fields in metadata and non-string label values', () => {
    const release = exampleFor({ apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', file: '' });
    release.metadata = { name: 'x', lables: { a: 'b' }, annotations: { replicas: 3 } };
    const errors = errorsOf(release).map((error) => [error.keyword, error.instancePath]);
    expect(errors).toContainEqual(['additionalProperties', '/metadata']);
    expect(errors).toContainEqual(['type', '/metadata/annotations/replicas']);
  });

  it('keeps preserve-unknown objects open (HelmRelease values)', () => {
    const release = exampleFor({ apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', file: '' });
    (release.spec as JsonObject).values = { anything: { goes: [1, 'two'] } };
    expect(errorsOf(release)).toEqual([]);
  });

  it('accepts integer and string for an int-or-string field (ICMP type)', () => {
    for (const type of [8, '8', 'EchoRequest']) {
      const policy = exampleFor({ apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', file: '' });
      (policy.spec as JsonObject).egress = [{ toEntities: ['world'], icmps: [{ fields: [{ type }] }] }];
      expect(errorsOf(policy), `type ${JSON.stringify(type)}`).toEqual([]);
    }
    const policy = exampleFor({ apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', file: '' });
    (policy.spec as JsonObject).egress = [{ toEntities: ['world'], icmps: [{ fields: [{ type: true }] }] }];
    expect(errorsOf(policy).map((error) => error.instancePath)).toContain('/spec/egress/0/icmps/0/fields/0/type');
  });

  it('keeps the Cilium port a string: "80" passes, 80 fails as the API server rejects it', () => {
    // The CNP CRD types `port` as a string, not int-or-string; the API server answers an integer
    // with "must be of type string" (seen in grafana/loki#19251), so we report it too.
    const build = (port: unknown) => {
      const policy = exampleFor({ apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', file: '' });
      (policy.spec as JsonObject).egress = [{ toEntities: ['world'], toPorts: [{ ports: [{ port }] }] }];
      return policy;
    };
    expect(errorsOf(build('80'))).toEqual([]);
    expect(errorsOf(build(80))).toContainEqual(expect.objectContaining({ keyword: 'type', instancePath: '/spec/egress/0/toPorts/0/ports/0/port' }));
  });

  it('annotates fields that only some releases know', () => {
    const cnp = JSON.stringify(readSchema(index.entries.find((entry) => entry.kind === 'CiliumNetworkPolicy')!));
    expect(cnp).toContain('"x-meshlens-versions"');
    const authz = readSchema(index.entries.find((entry) => entry.apiVersion === 'security.istio.io/v1')!);
    const spec = (authz.properties as JsonObject).spec as { properties: Record<string, JsonObject> };
    expect(spec.properties.targetRef['x-meshlens-versions']).toEqual({ since: '1.20' });
    expect(spec.properties.targetRefs['x-meshlens-versions']).toEqual({ since: '1.22' });
    expect(spec.properties.selector['x-meshlens-versions']).toBeUndefined();
  });

  it('requires metadata.name and a kernel in a NodeProfile', () => {
    const profile = exampleFor({ apiVersion: 'meshlens.dev/v1alpha1', kind: 'NodeProfile', file: '' });
    profile.metadata = {};
    (profile.spec as JsonObject).kernelConfig = { BPF_JIT: 'y', CONFIG_BPF: 'yes' };
    delete (profile.spec as JsonObject).kernel;
    const errors = errorsOf(profile).map((error) => `${error.keyword} ${error.instancePath}`);
    expect(errors).toContain('required /metadata');
    expect(errors).toContain('required /spec');
    expect(errors).toContain('propertyNames /spec/kernelConfig');
    expect(errors).toContain('enum /spec/kernelConfig/CONFIG_BPF');
  });

  it('names only existing schema paths in descriptions.json', () => {
    const missing: string[] = [];
    for (const [kind, paths] of Object.entries(descriptions)) {
      const schemas = index.entries.filter((entry) => entry.kind === kind).map(readSchema);
      expect(schemas.length, kind).toBeGreaterThan(0);
      for (const [dottedPath, text] of Object.entries(paths)) {
        expect(text.length, `${kind} ${dottedPath}`).toBeLessThanOrEqual(160);
        if (!schemas.some((schema) => hasPath(schema, dottedPath))) missing.push(`${kind} ${dottedPath}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('compiles every pattern with re2js, which avoids JavaScript backtracking blow-ups', () => {
    // Some upstream patterns (e.g. toFQDNs matchName) backtrack exponentially in JavaScript on a
    // near-miss; Kubernetes evaluates them with RE2. ajv accepts re2js as its regExp engine.
    const re2Engine = Object.assign((pattern: string) => RE2JS.compile(pattern), { code: 'RE2JS.compile' });
    const ajv = new Ajv({ strict: false, allErrors: true, code: { regExp: re2Engine } });
    const validate = ajv.compile(readSchema(index.entries.find((entry) => entry.kind === 'CiliumNetworkPolicy')!));
    const policy = exampleFor({ apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', file: '' });
    (policy.spec as JsonObject).egress = [{ toFQDNs: [{ matchName: `${'a-'.repeat(40)}!` }] }];
    const started = performance.now();
    expect(validate(policy)).toBe(false);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(validate.errors?.map((error) => error.instancePath)).toEqual(['/spec/egress/0/toFQDNs/0/matchName']);
    for (const entry of index.entries) expect(() => ajv.compile(readSchema(entry)), entry.file).not.toThrow();
  });
});

/** Follows a dotted path through properties, array items and local $refs. */
function hasPath(schema: JsonObject, dottedPath: string): boolean {
  const resolve = (node: unknown): JsonObject | undefined => {
    let current = node as JsonObject | undefined;
    for (let guard = 0; guard < 8 && current && typeof current.$ref === 'string'; guard++) {
      current = (current.$ref as string)
        .replace(/^#\//, '')
        .split('/')
        .reduce<unknown>((acc, part) => (acc as JsonObject | undefined)?.[part], schema) as JsonObject | undefined;
    }
    return current;
  };
  let node = resolve(schema);
  for (const segment of dottedPath.split('.')) {
    while (node && node.items && !node.properties) node = resolve(node.items);
    node = resolve((node?.properties as JsonObject | undefined)?.[segment]);
    if (!node) return false;
  }
  return true;
}

// The upstream data and corpus sit beside the repository in ../shared (resolved from the repo root).
describe.skipIf(!hasShared)('resource schemas against ../shared', () => {
  if (!hasShared) console.log(SHARED_MISSING);

  it('match a fresh run of the generator (--check)', () => {
    const output = execFileSync(process.execPath, [join(repoRoot, 'scripts', 'gen-resource-schemas.mjs'), join(sharedRoot, 'upstream'), '--check'], {
      encoding: 'utf8',
    });
    expect(output).toContain('up to date');
  }, 60_000);

  // Cilium's own example and test policies. Files with Go template markers ({{ }}) are inputs to
  // cilium-cli, not manifests, and are left out. The few real files that fail are listed with why.
  const knownInvalid: Record<string, string> = {
    'Documentation/operations/performance/scalability/report.rst.block01.yaml': 'doc sketch: fromEndpoints directly under spec and port "[0-125]+80"',
    'Documentation/operations/performance/scalability/report.rst.block02.yaml': 'doc sketch: fromEndpoints directly under spec and port "[0-125]+80"',
    'Documentation/security/aws.rst.block02.yaml': 'object dumped from a cluster: carries status',
    'examples/policies/auth/auth.yaml': 'uses the pre-1.14 field auth (now authentication)',
  };

  it('accept the Cilium example policies', () => {
    const base = join(sharedRoot, 'corpus', 'cilium-examples');
    const failures: string[] = [];
    let checked = 0;
    let templates = 0;
    for (const file of listYaml(base)) {
      const text = readFileSync(file, 'utf8');
      if (text.includes('{{')) {
        templates++;
        continue;
      }
      const name = relative(base, file);
      for (const document of loadAll(text) as unknown[]) {
        const doc = document as JsonObject | null;
        if (!doc || doc.apiVersion !== 'cilium.io/v2' || !/^Cilium(Clusterwide)?NetworkPolicy$/.test(String(doc.kind))) continue;
        checked++;
        const errors = errorsOf(doc);
        if (errors.length > 0) failures.push(`${name}: ${errors.map((e) => `${e.instancePath} ${e.message}`).join('; ')}`);
      }
    }
    console.log(`cilium examples: ${checked} policies checked, ${templates} template files skipped, ${failures.length} failing:\n  ${failures.join('\n  ')}`);
    expect(checked).toBeGreaterThan(150);
    const failingFiles = [...new Set(failures.map((line) => line.split(': ')[0]))].sort();
    expect(failingFiles).toEqual(Object.keys(knownInvalid).sort());
  });
});

function listYaml(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) return listYaml(full);
      return /\.ya?ml$/.test(name) ? [full] : [];
    });
}
