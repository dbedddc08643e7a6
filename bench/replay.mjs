#!/usr/bin/env node
// Flow replay bench (issue 16): generates a Hubble flow export of N records
// (default 1,000,000; gzip, JSON lines shaped like `hubble observe -o json`)
// and a small repository of workloads and CiliumNetworkPolicies, then runs
// the built CLI (`dist/cli.js replay`) on it in a child process and reports
// the wall time and the child's peak RSS. The same run on a tenth of the
// records shows whether memory stays flat as the export grows.
//
// Target: 1,000,000 records in under 30 s. Exits 1 when the target is
// missed (not with --quick), 2 when something crashes.
//
// Usage: node bench/replay.mjs [--records N] [--quick]
//   --quick  20,000 records, no target: checks that the bench still works.

import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createGzip } from 'node:zlib';

const benchDirectory = dirname(fileURLToPath(import.meta.url));
const repoRoot = dirname(benchDirectory);
const workDirectory = join(benchDirectory, '.corpus', 'replay');
const cli = join(repoRoot, 'dist', 'cli.js');
const TARGET_SECONDS = 30;

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const recordsIndex = args.indexOf('--records');
const records = recordsIndex >= 0 ? Number(args[recordsIndex + 1]) : quick ? 20_000 : 1_000_000;

const NAMESPACES = ['shop', 'billing', 'search', 'media', 'auth'];
const APPS = ['web', 'api', 'db', 'cache', 'worker', 'queue', 'admin', 'metrics'];

await main().catch((error) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(2);
});

async function main() {
  if (!existsSync(cli)) throw new Error('dist/cli.js is missing: run `npm run build` first');
  mkdirSync(join(workDirectory, 'policies'), { recursive: true });
  writePolicies(join(workDirectory, 'policies'));
  console.log(`replay bench — Node ${process.version}`);
  const small = Math.max(1, Math.floor(records / 10));
  const results = [];
  for (const count of [small, records]) {
    const file = join(workDirectory, `flows-${count}.jsonl.gz`);
    const generated = performance.now();
    const bytes = await writeExport(file, count);
    console.log(`generated ${count.toLocaleString('en-US')} records (${(bytes / 1024 / 1024).toFixed(0)} MiB of JSON, gzip) in ${((performance.now() - generated) / 1000).toFixed(1)} s`);
    results.push({ count, ...runReplay(file) });
  }
  for (const result of results) {
    console.log(`replay ${result.count.toLocaleString('en-US')} records: ${result.seconds.toFixed(1)} s, peak RSS ${result.rssMb.toFixed(0)} MB, ${result.classes} classes listed, exit ${result.exit}`);
  }
  const [tenth, full] = results;
  console.log(`memory ${tenth.count.toLocaleString('en-US')} → ${full.count.toLocaleString('en-US')} records: ${tenth.rssMb.toFixed(0)} → ${full.rssMb.toFixed(0)} MB (×${(full.rssMb / tenth.rssMb).toFixed(2)})`);
  if (!quick) {
    const met = full.seconds < TARGET_SECONDS;
    console.log(`target: ${records.toLocaleString('en-US')} records in < ${TARGET_SECONDS} s — ${met ? 'met' : 'MISSED'}`);
    if (!met) process.exitCode = 1;
  }
}

function runReplay(file) {
  const started = performance.now();
  // A preload prints the child's peak RSS on exit (stderr), so the figure is the CLI's own.
  const preload = join(workDirectory, 'peak-rss.cjs');
  writeFileSync(preload, "process.on('exit', () => process.stderr.write(`\\nPEAK_RSS_KB ${process.resourceUsage().maxRSS}\\n`));\n");
  const child = spawnSync(process.execPath, ['--require', preload, cli, 'replay', file, 'policies', '--format', 'json', '--fail-on', 'none'], {
    cwd: workDirectory,
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
  });
  const seconds = (performance.now() - started) / 1000;
  if (child.status !== 0) throw new Error(`replay exited ${child.status}: ${child.stderr.slice(0, 2000)}`);
  const peak = /PEAK_RSS_KB (\d+)/.exec(child.stderr);
  const report = JSON.parse(child.stdout);
  if (report.flows !== Number(file.match(/flows-(\d+)/)[1])) throw new Error(`replay read ${report.flows} records, not all of them`);
  return { seconds, rssMb: peak ? Number(peak[1]) / 1024 : NaN, classes: report.classes.length, exit: child.status };
}

/** A workload and a policy per app and namespace: each app takes its next app in the list, on one port, some with HTTP rules. */
function writePolicies(directory) {
  const documents = [];
  for (const namespace of NAMESPACES) {
    documents.push(`apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${namespace}\n`);
    APPS.forEach((app, position) => {
      documents.push(`apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${app}\n  namespace: ${namespace}\nspec:\n  template:\n    metadata:\n      labels: {app: ${app}}\n`);
      const client = APPS[(position + APPS.length - 1) % APPS.length];
      const rules = position % 2 === 0 ? '\n          rules:\n            http:\n              - method: GET\n                path: "/v1/.*"' : '';
      documents.push(
        `apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata:\n  name: ${app}\n  namespace: ${namespace}\nspec:\n  endpointSelector:\n    matchLabels: {app: ${app}}\n  ingress:\n    - fromEndpoints:\n        - matchLabels: {app: ${client}}\n      toPorts:\n        - ports: [{port: "${8000 + position}", protocol: TCP}]${rules}\n  egress:\n    - toEndpoints:\n        - matchLabels: {app: ${APPS[(position + 1) % APPS.length]}}\n      toPorts:\n        - ports: [{port: "${8000 + ((position + 1) % APPS.length)}", protocol: TCP}]\n    - toFQDNs:\n        - matchPattern: "*.example.com"\n      toPorts:\n        - ports: [{port: "443", protocol: TCP}]\n`,
      );
    });
  }
  writeFileSync(join(directory, 'cluster.yaml'), documents.join('---\n'));
}

function endpoint(namespace, app, replica) {
  return {
    ID: 100 + replica,
    identity: 10_000 + APPS.indexOf(app) + 100 * NAMESPACES.indexOf(namespace),
    namespace,
    labels: [`k8s:app=${app}`, `k8s:io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name=${namespace}`, 'k8s:io.cilium.k8s.policy.cluster=default', `k8s:io.cilium.k8s.policy.serviceaccount=${app}`, `k8s:io.kubernetes.pod.namespace=${namespace}`],
    pod_name: `${app}-7d9f8c6b5-${String(replica).padStart(5, 'x')}`,
    workloads: [{ name: app, kind: 'Deployment' }],
  };
}

/** Deterministic records: mostly pod-to-pod TCP, some L7 HTTP, some egress to the outside, some drops and replies. */
function record(index) {
  const namespace = NAMESPACES[index % NAMESPACES.length];
  const from = APPS[(index >> 3) % APPS.length];
  const to = APPS[(index >> 6) % APPS.length];
  const kind = index % 20;
  const time = new Date(Date.UTC(2026, 11, 1, 10, 0, 0) + index).toISOString();
  const flow = {
    time,
    uuid: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`,
    verdict: kind === 17 ? 'DROPPED' : 'FORWARDED',
    ethernet: { source: '02:00:00:00:00:01', destination: '02:00:00:00:00:02' },
    IP: { source: `10.0.${index % 250}.${(index >> 8) % 250}`, destination: `10.1.${index % 200}.${(index >> 7) % 250}`, ipVersion: 'IPv4' },
    l4: { TCP: { source_port: 30000 + (index % 30000), destination_port: 8000 + APPS.indexOf(to), flags: { SYN: true } } },
    source: endpoint(namespace, from, index % 7),
    destination: endpoint(namespace, to, index % 5),
    Type: 'L3_L4',
    node_name: `node-${index % 9}`,
    event_type: { type: 5 },
    traffic_direction: index % 3 === 0 ? 'EGRESS' : 'INGRESS',
    is_reply: kind === 19,
    Summary: 'TCP Flags: SYN',
  };
  if (kind === 17) flow.drop_reason_desc = 'POLICY_DENIED';
  if (kind < 4) {
    flow.Type = 'L7';
    flow.event_type = { type: 129 };
    flow.l7 = { type: 'REQUEST', latency_ns: 0, http: { method: kind === 0 ? 'POST' : 'GET', url: `http://${to}.${namespace}:${8000 + APPS.indexOf(to)}/v1/items/${index % 40}`, protocol: 'HTTP/1.1', headers: [{ key: 'user-agent', value: 'bench' }] } };
  }
  if (kind === 5 || kind === 6) {
    flow.traffic_direction = 'EGRESS';
    flow.destination = { identity: 2, labels: ['reserved:world'] };
    flow.IP.destination = `93.184.${index % 4}.${kind}`;
    flow.l4.TCP.destination_port = 443;
    if (kind === 5) flow.destination_names = [`api${index % 3}.example.com`];
  }
  return { flow, node_name: flow.node_name, time };
}

async function writeExport(file, count) {
  const gzip = createGzip({ level: 1 });
  const out = createWriteStream(file);
  gzip.pipe(out);
  let bytes = 0;
  const batch = [];
  for (let index = 0; index < count; index++) {
    const line = JSON.stringify(record(index));
    bytes += line.length + 1;
    batch.push(line);
    if (batch.length === 2000 || index === count - 1) {
      if (!gzip.write(`${batch.join('\n')}\n`)) await new Promise((resolve) => gzip.once('drain', resolve));
      batch.length = 0;
    }
  }
  gzip.end();
  await new Promise((resolve, reject) => {
    out.on('finish', resolve);
    out.on('error', reject);
  });
  return bytes;
}
