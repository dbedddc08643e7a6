#!/usr/bin/env node
// Summarizes a V8 CPU profile (`node --cpu-prof`): the functions with the
// most self time and the most inclusive time (each function counted once
// per sample, however deep it recurses).
//
// Usage: node bench/lib/profileSummary.mjs <dir-or-file.cpuprofile> [--top N] [--filter TEXT] [--callers TEXT]
//   a directory: its newest .cpuprofile. --filter keeps rows whose label contains TEXT;
//   --callers TEXT shows, for functions whose label contains TEXT, the time per direct caller.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const argument = (name, fallback) => {
  const index = args.indexOf(name);
  return index >= 0 && args[index + 1] !== undefined ? args[index + 1] : fallback;
};
const target = args[0];
if (!target) {
  console.error('usage: profileSummary.mjs <dir-or-file.cpuprofile> [--top N] [--filter TEXT]');
  process.exit(2);
}
const top = Number(argument('--top', '40'));
const filter = argument('--filter', '');
const callersOf = argument('--callers', '');

const file = statSync(target).isDirectory()
  ? join(
      target,
      readdirSync(target)
        .filter((name) => name.endsWith('.cpuprofile'))
        .map((name) => ({ name, time: statSync(join(target, name)).mtimeMs }))
        .sort((a, b) => a.time - b.time)
        .pop().name,
    )
  : target;
const profile = JSON.parse(readFileSync(file, 'utf8'));
const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const parents = new Map();
for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
const label = (node) => {
  const frame = node.callFrame;
  const where = frame.url ? `${frame.url.split('/').slice(-2).join('/')}:${frame.lineNumber + 1}` : '';
  return `${frame.functionName || '(anonymous)'} ${where}`.trim();
};

const sampleTime = new Map();
profile.samples.forEach((id, index) => sampleTime.set(id, (sampleTime.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0)));
const self = new Map();
const byCaller = new Map();
const inclusive = new Map();
let total = 0;
for (const [id, microseconds] of sampleTime) {
  total += microseconds;
  const name = label(nodes.get(id));
  self.set(name, (self.get(name) ?? 0) + microseconds);
  const counted = new Set();
  if (callersOf) {
    // Attribute the sample to the caller of the outermost frame matching --callers.
    let outermost;
    for (let current = id; current !== undefined; current = parents.get(current)) if (label(nodes.get(current)).includes(callersOf)) outermost = current;
    if (outermost !== undefined) {
      const parent = parents.get(outermost);
      const key = `${label(nodes.get(outermost))}  <-  ${parent === undefined ? '(none)' : label(nodes.get(parent))}`;
      byCaller.set(key, (byCaller.get(key) ?? 0) + microseconds);
    }
  }
  for (let current = id; current !== undefined; current = parents.get(current)) {
    const ancestor = label(nodes.get(current));
    if (counted.has(ancestor)) continue;
    counted.add(ancestor);
    inclusive.set(ancestor, (inclusive.get(ancestor) ?? 0) + microseconds);
  }
}
const rows = (table) =>
  [...table]
    .filter(([name]) => name.includes(filter))
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, microseconds]) => `${(microseconds / 1000).toFixed(0).padStart(7)} ms ${((100 * microseconds) / total).toFixed(1).padStart(5)}%  ${name}`)
    .join('\n');
if (callersOf) console.log(`${file}: callers of "${callersOf}"\n${rows(byCaller)}`);
else console.log(`${file}: ${(total / 1000).toFixed(0)} ms sampled\n--- self time\n${rows(self)}\n--- inclusive time\n${rows(inclusive)}`);
