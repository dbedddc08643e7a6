#!/usr/bin/env node
// Profiling driver for meshlens alone (no yaml-language-server): runs one
// scenario over the bench corpus so `node --cpu-prof` sees only meshlens, and
// prints the timings of each phase. Run `npm run bench` (or `node
// bench/run.mjs --quick`) once first: it writes the corpus and the core bundle
// this script loads.
//
// Usage: node bench/profile.mjs <scenario> [--runs N] [--corpus DIR] [--profile FILE.cpuprofile]
//   whole    setFile + diagnostics for every file of the multi-file corpus, then the
//            effective-policy model of every workload (as bench/run.mjs)
//   onefile  the same content as one file, checked from scratch
//   edit     one-line edits of the one-file corpus, diagnostics after each
//   wsedit   one-line edits of one file of the multi-file corpus, then every file's diagnostics
// --profile records a V8 CPU profile of the timed part only (setup left out),
// through the inspector; then: node bench/lib/profileSummary.mjs FILE
// (self and inclusive time per function).

import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { buildCoreBundle, computeEffectiveModels, loadCoreBundle } from './lib/meshlens.mjs';
import { median } from './lib/stats.mjs';

const benchDirectory = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const argument = (name, fallback) => {
  const index = args.indexOf(name);
  return index >= 0 && args[index + 1] !== undefined ? args[index + 1] : fallback;
};
const scenario = args[0] ?? 'whole';
const runs = Number(argument('--runs', '5'));
const corpus = argument('--corpus', join(benchDirectory, '.corpus', 'x1'));
const profileFile = argument('--profile', '');

// Rebuilt every time (esbuild takes well under a second), so the profile is of the current sources.
// Unminified (and written beside the bench's own bundle), so the profile names functions.
const core = loadCoreBundle(await buildCoreBundle(dirname(benchDirectory), join(benchDirectory, '.corpus', '.build-profile'), { minify: false }));
const options = core.defaultAnalysisOptions();
const files = execFileSync('find', [corpus, '-name', '*.yaml', '-type', 'f'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 })
  .split('\n')
  .filter(Boolean)
  .sort()
  .map((path) => ({ path, text: readFileSync(path, 'utf8') }));
const onePath = join(`${corpus}-onefile`, 'all.yaml');

// The profiler runs only while `time` runs a task (paused between tasks by stopping and merging is not
// possible, so it records from the first timed task to the last; setup before the first is left out).
const session = profileFile ? new Session() : undefined;
let profiling = false;
const time = (task) => {
  if (session && !profiling) {
    profiling = true;
    session.connect();
    // Synchronous from here on: the inspector's promise settles later, the profiler starts at once.
    session.post('Profiler.enable');
    session.post('Profiler.start');
  }
  const started = performance.now();
  const value = task();
  return { ms: performance.now() - started, value };
};
const report = (label, values) => console.log(`${label}: median ${median(values).toFixed(1)} ms of [${values.map((v) => v.toFixed(1)).join(', ')}]`);

/** The text with the HTTP path of the CiliumNetworkPolicy nearest its middle replaced (as bench/run.mjs edits). */
const edited = (text, run) => {
  const middle = Math.floor(text.length / 2);
  let cnp = text.lastIndexOf('kind: CiliumNetworkPolicy', middle);
  if (cnp < 0) cnp = text.indexOf('kind: CiliumNetworkPolicy');
  const pathLine = text.indexOf('path: "', cnp);
  const pathEnd = text.indexOf('\n', pathLine);
  return `${text.slice(0, pathLine)}path: "/api/v9/edited-${run}"${text.slice(pathEnd)}`;
};

if (scenario === 'whole' || scenario === 'onefile') {
  const input = scenario === 'whole' ? files : [{ path: onePath, text: readFileSync(onePath, 'utf8') }];
  const load = [];
  const check = [];
  const effective = [];
  let findings = 0;
  for (let run = 0; run < runs; run++) {
    const service = new core.MeshlensService();
    load.push(time(() => input.forEach((file) => service.setFile(file.path, file.text))).ms);
    const result = time(() => input.reduce((count, file) => count + service.diagnostics(file.path, options).length, 0));
    check.push(result.ms);
    findings = result.value;
    effective.push(time(() => computeEffectiveModels(core, service, options)).ms);
  }
  report(`${scenario} setFile`, load);
  report(`${scenario} diagnostics (${findings} findings)`, check);
  report(`${scenario} effective-policy models`, effective);
} else if (scenario === 'edit') {
  const text = readFileSync(onePath, 'utf8');
  const service = new core.MeshlensService();
  service.setFile(onePath, text);
  service.diagnostics(onePath, options);
  const load = [];
  const check = [];
  for (let run = 0; run < runs * 4; run++) {
    load.push(time(() => service.setFile(onePath, edited(text, run))).ms);
    check.push(time(() => service.diagnostics(onePath, options)).ms);
  }
  report('edit setFile', load);
  report('edit diagnostics', check);
} else if (scenario === 'wsedit') {
  const service = new core.MeshlensService();
  for (const file of files) service.setFile(file.path, file.text);
  for (const file of files) service.diagnostics(file.path, options);
  const target = files.filter((file) => file.path.endsWith('policies.yaml'))[50] ?? files[0];
  const own = [];
  const all = [];
  for (let run = 0; run < runs * 4; run++) {
    own.push(time(() => (service.setFile(target.path, edited(target.text, run)), service.diagnostics(target.path, options))).ms);
    all.push(time(() => files.forEach((file) => service.diagnostics(file.path, options))).ms);
  }
  report('workspace edit → own diagnostics', own);
  report('… then every file', all);
} else {
  console.error(`unknown scenario ${scenario}`);
  process.exit(2);
}

if (session && profiling) {
  const { profile } = await session.post('Profiler.stop');
  writeFileSync(profileFile, JSON.stringify(profile));
  session.disconnect();
  console.log(`wrote ${profileFile}`);
}
