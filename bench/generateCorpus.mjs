#!/usr/bin/env node
// Generates the benchmark corpus: a GitOps repository of the shape issue 8
// describes (namespaces with Deployments, a Service, two L7
// CiliumNetworkPolicies and two AuthorizationPolicies each, plus Cilium
// HelmReleases with their HelmRepository), at a given scale, and the same
// documents as one multi-document file.
//
// Deterministic: a seeded PRNG drives every choice, so the same scale always
// yields byte-identical files.
//
// Usage: node bench/generateCorpus.mjs [--scale 1] [--out bench/.corpus]
//   writes <out>/x<scale>/** and <out>/x<scale>-onefile/all.yaml
// As a module: generateCorpus(scale) returns { files: [{ path, text }], oneFile }.

import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Namespaces and Cilium clusters at scale 1 (the issue's ×1: ~420 files, ~41,700 lines). */
export const NAMESPACES_PER_SCALE = 200;
export const CLUSTERS_PER_SCALE = 10;

/** mulberry32: a small, fast, well-distributed 32-bit PRNG. */
function createRandom(seed) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (list) => list[Math.floor(next() * list.length)],
  };
}

const TEAMS = ['shop', 'billing', 'search', 'media', 'auth', 'ledger', 'catalog', 'notify', 'ads', 'maps'];
const ROLES = ['api', 'web', 'worker', 'gateway', 'cache', 'indexer'];
const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH'];
const RESOURCES = ['orders', 'items', 'users', 'carts', 'invoices', 'reports', 'sessions', 'tokens'];

function namespaceName(index) {
  return `${TEAMS[index % TEAMS.length]}-${String(index).padStart(4, '0')}`;
}

function deployment(random, namespace, app, serviceAccount, port) {
  const env = Array.from({ length: random.int(2, 3) }, (_, i) => `            - name: SETTING_${i}\n              value: "${random.int(1, 9999)}"`).join('\n');
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${app}
  namespace: ${namespace}
  labels:
    app: ${app}
spec:
  replicas: ${random.int(1, 5)}
  selector:
    matchLabels:
      app: ${app}
  template:
    metadata:
      labels:
        app: ${app}
    spec:
      serviceAccountName: ${serviceAccount}
      containers:
        - name: main
          image: ghcr.io/example/${app}:1.${random.int(0, 20)}.${random.int(0, 9)}
          ports:
            - containerPort: ${port}
              name: http
          env:
${env}
          resources:
            requests:
              cpu: ${random.int(50, 500)}m
              memory: ${random.int(64, 512)}Mi
            limits:
              memory: ${random.int(512, 1024)}Mi
`;
}

function workloadsFile(random, namespace) {
  const roles = [random.pick(ROLES), random.pick(ROLES)];
  if (roles[0] === roles[1]) roles[1] = roles[0] === 'api' ? 'web' : 'api';
  const apps = roles.map((role) => `${namespace}-${role}`);
  const port = random.pick([8080, 8443, 9090, 3000]);
  const documents = [
    `apiVersion: v1
kind: Namespace
metadata:
  name: ${namespace}
  labels:
    istio.io/dataplane-mode: ambient
`,
    ...apps.map(
      (app) => `apiVersion: v1
kind: ServiceAccount
metadata:
  name: ${app}
  namespace: ${namespace}
`,
    ),
    ...apps.map((app) => deployment(random, namespace, app, app, port)),
    `apiVersion: v1
kind: Service
metadata:
  name: ${apps[0]}
  namespace: ${namespace}
spec:
  selector:
    app: ${apps[0]}
  ports:
    - name: http
      port: 80
      targetPort: ${port}
      protocol: TCP
`,
  ];
  return { apps, port, text: documents.join('---\n') };
}

function httpRules(random, count) {
  return Array.from({ length: count }, () => {
    const method = random.pick(METHODS);
    const resource = random.pick(RESOURCES);
    return `              - method: ${method}\n                path: "/api/v${random.int(1, 3)}/${resource}(/[0-9]+)?"`;
  }).join('\n');
}

function policiesFile(random, namespace, apps, port) {
  const [server, client] = apps;
  const documents = [
    `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata:
  name: ${server}-ingress
  namespace: ${namespace}
spec:
  endpointSelector:
    matchLabels:
      app: ${server}
  ingress:
    - fromEndpoints:
        - matchLabels:
            app: ${client}
      toPorts:
        - ports:
            - port: "${port}"
              protocol: TCP
          rules:
            http:
${httpRules(random, random.int(3, 6))}
`,
    `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata:
  name: ${client}-egress
  namespace: ${namespace}
spec:
  endpointSelector:
    matchLabels:
      app: ${client}
  egress:
    - toEndpoints:
        - matchLabels:
            app: ${server}
      toPorts:
        - ports:
            - port: "${port}"
              protocol: TCP
          rules:
            http:
${httpRules(random, random.int(2, 4))}
    - toEndpoints:
        - matchLabels:
            k8s:io.kubernetes.pod.namespace: kube-system
            k8s-app: kube-dns
      toPorts:
        - ports:
            - port: "53"
              protocol: ANY
          rules:
            dns:
              - matchPattern: "*.${namespace}.svc.cluster.local"
`,
    `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: ${server}-allow
  namespace: ${namespace}
spec:
  selector:
    matchLabels:
      app: ${server}
  action: ALLOW
  rules:
    - from:
        - source:
            principals:
              - cluster.local/ns/${namespace}/sa/${client}
      to:
        - operation:
            methods: [${[random.pick(METHODS), random.pick(METHODS)].map((method) => `"${method}"`).join(', ')}]
            paths: ["/api/v${random.int(1, 3)}/${random.pick(RESOURCES)}*"]
`,
    `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: ${server}-deny-admin
  namespace: ${namespace}
spec:
  selector:
    matchLabels:
      app: ${server}
  action: DENY
  rules:
    - to:
        - operation:
            paths: ["/admin/*", "/debug/*"]
`,
  ];
  return documents.join('---\n');
}

function ciliumReleaseFile(random, cluster) {
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
      version: 1.16.${random.int(1, 6)}
      sourceRef:
        kind: HelmRepository
        name: cilium
        namespace: flux-system
  install:
    crds: CreateReplace
  upgrade:
    crds: CreateReplace
  values:
    cluster:
      name: ${cluster}
      id: ${random.int(1, 255)}
    kubeProxyReplacement: true
    k8sServiceHost: api.${cluster}.example.internal
    k8sServicePort: 6443
    routingMode: native
    ipv4NativeRoutingCIDR: 10.${random.int(0, 255)}.0.0/16
    l7Proxy: true
    bpf:
      masquerade: true
    hubble:
      enabled: true
      relay:
        enabled: true
      ui:
        enabled: ${random.next() < 0.5}
    operator:
      replicas: 2
    encryption:
      enabled: true
      type: wireguard
    envoy:
      enabled: true
`;
}

function ciliumRepositoryFile() {
  return `apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata:
  name: cilium
  namespace: flux-system
spec:
  interval: 12h
  url: https://helm.cilium.io
`;
}

/** The corpus at `scale`: files with repository-relative paths, and all their documents as one file. */
export function generateCorpus(scale = 1) {
  const random = createRandom(0x5eed + scale);
  const files = [];
  for (let cluster = 0; cluster < CLUSTERS_PER_SCALE * scale; cluster++) {
    const name = `cluster-${String(cluster).padStart(3, '0')}`;
    files.push({ path: `clusters/${name}/infrastructure/cilium/helmrepository.yaml`, text: ciliumRepositoryFile() });
    files.push({ path: `clusters/${name}/infrastructure/cilium/helmrelease.yaml`, text: ciliumReleaseFile(random, name) });
  }
  for (let index = 0; index < NAMESPACES_PER_SCALE * scale; index++) {
    const namespace = namespaceName(index);
    const workloads = workloadsFile(random, namespace);
    files.push({ path: `apps/${namespace}/workloads.yaml`, text: workloads.text });
    files.push({ path: `apps/${namespace}/policies.yaml`, text: policiesFile(random, namespace, workloads.apps, workloads.port) });
  }
  const oneFile = files.map((file) => file.text).join('---\n');
  return { files, oneFile };
}

export function countLines(text) {
  let lines = 0;
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) lines++;
  return text.endsWith('\n') || text.length === 0 ? lines : lines + 1;
}

/** Writes `<out>/x<scale>/**` and `<out>/x<scale>-onefile/all.yaml`; returns their paths and sizes. */
export function writeCorpus(scale, outDirectory) {
  const { files, oneFile } = generateCorpus(scale);
  const tree = join(outDirectory, `x${scale}`);
  const single = join(outDirectory, `x${scale}-onefile`);
  rmSync(tree, { recursive: true, force: true });
  rmSync(single, { recursive: true, force: true });
  for (const file of files) {
    const target = join(tree, file.path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, file.text);
  }
  mkdirSync(single, { recursive: true });
  writeFileSync(join(single, 'all.yaml'), oneFile);
  return {
    tree,
    oneFilePath: join(single, 'all.yaml'),
    files: files.length,
    lines: files.reduce((sum, file) => sum + countLines(file.text), 0),
    bytes: files.reduce((sum, file) => sum + file.text.length, 0),
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const argument = (name, fallback) => {
    const index = process.argv.indexOf(name);
    return index >= 0 && process.argv[index + 1] ? process.argv[index + 1] : fallback;
  };
  const scale = Number(argument('--scale', '1'));
  const out = argument('--out', join(dirname(fileURLToPath(import.meta.url)), '.corpus'));
  const written = writeCorpus(scale, out);
  console.log(`x${scale}: ${written.files} files, ${written.lines} lines, ${(written.bytes / 1024).toFixed(0)} KiB → ${written.tree}`);
}
