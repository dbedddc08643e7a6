// Code lenses on one large CiliumNetworkPolicy (issue 12: lenses were
// quadratic in the number of rule items). Times `codeLenses` on a policy with
// N ingress items and on one with 4N, so the bench shows the growth: linear
// work gives about 4×, quadratic work about 16×.
//
// The policy mixes the shapes the lens path treats differently: L7-restricted
// items, L3/L4-only items that widen the previous item's port (one widening
// note each), items without ports, and empty items, over 20 peer workloads.

import { performance } from 'node:perf_hooks';

const NAMESPACE = 'bench';
const PEERS = 20;

function workloads() {
  const deployment = (name) =>
    `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${name}, namespace: ${NAMESPACE}}\nspec:\n  template:\n    metadata:\n      labels: {app: ${name}}\n    spec:\n      containers: [{name: app, image: app}]\n`;
  return [deployment('api'), ...Array.from({ length: PEERS }, (_, index) => deployment(`peer-${index}`))].join('---\n');
}

/** One CNP with `count` ingress items. */
export function largePolicy(count) {
  const lines = [`apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: large, namespace: ${NAMESPACE}}\nspec:\n  endpointSelector:\n    matchLabels: {app: api}\n  ingress:`];
  for (let index = 0; index < count; index++) {
    const peer = `fromEndpoints: [{matchLabels: {app: peer-${index % PEERS}}}]`;
    const port = 10000 + Math.floor(index / 2);
    switch (index % 4) {
      case 0:
        lines.push(`    - ${peer}\n      toPorts: [{ports: [{port: "${port}", protocol: TCP}], rules: {http: [{method: GET, path: "/item/${index}"}]}}]`);
        break;
      case 1:
        lines.push(`    - ${peer}\n      toPorts: [{ports: [{port: "${port}", protocol: TCP}]}]`);
        break;
      case 2:
        lines.push(`    - ${peer}`);
        break;
      default:
        lines.push('    - {}');
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Times `codeLenses` (after a first analysis of the file) on N and 4N items; returns both and the growth. */
export async function measureCodeLensScaling(core, options, { count = 2000, runs = 3 } = {}) {
  const measure = (items) => {
    const times = [];
    let lenses = 0;
    for (let run = 0; run < runs; run++) {
      const service = new core.MeshlensService({ roots: ['/bench'] });
      service.setFile('/bench/workloads.yaml', workloads());
      service.setFile('/bench/large.yaml', largePolicy(items));
      service.diagnostics('/bench/large.yaml', options);
      const started = performance.now();
      lenses = service.codeLenses('/bench/large.yaml', options).length;
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    return { items, lenses, ms: times[Math.floor(times.length / 2)] };
  };
  const small = measure(count);
  const large = measure(count * 4);
  return { small, large, growth: large.ms / Math.max(small.ms, 0.001) };
}
