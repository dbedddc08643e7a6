#!/usr/bin/env node
// `npm run bench`: meshlens side by side with yaml-language-server 2 and the
// js-yaml parse floor, over the same generated corpus and the same schemas,
// in one process run (issue 8). Prints a table of medians and the target
// ratios, and writes it as Markdown to bench/results.md.
//
// Timings run in this process; memory (RSS) is measured in a child process
// per tool and size, so one tool's heap does not inflate the other's figure.
// Issue 17 adds: the corpus at ×1/×10/×50 (time in a child process warmed up
// on ×1, RSS in another; linearity ratios), and every whole repository of
// ../shared/repos/ (check time, cluster model and Flux build cost, edit
// latency in the file most clusters deploy, RSS) — see lib/repos.mjs.
//
// Usage: node bench/run.mjs [--quick] [--runs N] [--no-scaling] [--no-repos]
//   --quick       tiny corpus (×1 = 0.05 of the full one, scaled ×10/×50 from
//                 there), one run, every repository once, no results.md:
//                 checks that the bench still works (CI). Exits non-zero only
//                 when something crashes.
//   --no-scaling  leave out ×10 and ×50 (--no-x10 is the same)
//   --no-repos    leave out the whole repositories

import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as nodeModule from 'node:module';
import { dirname, join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { writeCorpus } from './generateCorpus.mjs';
import { buildCoreBundle, computeEffectiveModels, loadCoreBundle } from './lib/meshlens.mjs';
import { measureCodeLensScaling } from './lib/codeLensScaling.mjs';
import { benchRepository, listRepositories, loadRepository } from './lib/repos.mjs';
import { createYamlLanguageService } from './lib/yls.mjs';
import { serverScan } from './lib/serverScan.mjs';
import { formatMb, formatMs, formatRatio, median, percentile, timeRuns } from './lib/stats.mjs';

const benchDirectory = dirname(fileURLToPath(import.meta.url));
const repoRoot = dirname(benchDirectory);
const corpusDirectory = join(benchDirectory, '.corpus');
/** Whole GitOps repositories beside the repository (see the project brief); absent on a plain clone. */
const reposDirectory = join(repoRoot, '..', 'shared', 'repos');
const resourceSchemas = join(repoRoot, 'schemas', 'resources');
/**
 * Node's compile cache for the memory children, as `bin/meshlens.js` turns it on for the CLI (Node 22.1+; absent
 * on older Node, where every child runs cold): V8 then loads the bundle's compiled code instead of parsing the
 * whole bundle, which the parse itself otherwise adds to the peak RSS (~20 MB). Filled once per bundle by a
 * first child (`warm-cache`); the ×1 RSS is also measured without it (`meshlens-cold`).
 */
const COMPILE_CACHE = join(corpusDirectory, '.compile-cache');
/** The server's scan/publish work slice (WORK_SLICE_MS in server/src/work.ts). */
const SERVER_WORK_SLICE_MS = 8;

const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const argument = (name, fallback) => {
  const index = args.indexOf(name);
  return index >= 0 && args[index + 1] !== undefined ? args[index + 1] : fallback;
};

if (flag('--child')) {
  await runChild(argument('--child', ''), argument('--corpus', ''), argument('--warmup', ''), Number(argument('--runs', '1')));
  process.exit(0);
}

const quick = flag('--quick');
const runs = Number(argument('--runs', quick ? '1' : '5'));
const withScaling = !flag('--no-scaling') && !flag('--no-x10');
const withRepos = !flag('--no-repos');
const scale = quick ? 0.05 : 1;
/** Multiples of the ×1 corpus for the linearity figures, with the runs each (time medians). */
const MULTIPLES = [
  { times: 1, runs: quick ? 1 : 5 },
  { times: 10, runs: quick ? 1 : 3 },
  { times: 50, runs: 1 },
];

await main().catch((error) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(2);
});

async function main() {
  const startedAll = performance.now();
  log(`meshlens bench${quick ? ' (quick: tiny corpus, 1 run, no speed targets)' : ''} — Node ${process.version}, ${runs} run(s) per figure`);
  const x1 = writeCorpus(scale, corpusDirectory);
  log(`corpus x${scale}: ${x1.files} files, ${x1.lines} lines, ${(x1.bytes / 1024).toFixed(0)} KiB`);

  const bundle = await buildCoreBundle(repoRoot, join(corpusDirectory, '.build'));
  const core = loadCoreBundle(bundle);
  const files = readCorpus(x1.tree);
  const oneFile = { path: x1.oneFilePath, text: readFileSync(x1.oneFilePath, 'utf8') };
  const scenario = editScenario(oneFile.text);
  const results = {};

  // The floor: js-yaml 5 over the same texts.
  const jsYaml = await import('js-yaml');
  // parseEvents is timed below, in turns with the two tools' whole-corpus runs.
  results.floorLoadAll = median(await timeRuns(runs + 2, () => files.forEach((file) => jsYaml.loadAll(file.text))));

  // meshlens in process.
  const options = core.defaultAnalysisOptions();
  // Parse + schema + every rule, then the effective-policy model of every workload (issue 8's whole-corpus check).
  const checkAll = (service, paths) => {
    let count = 0;
    for (const path of paths) count += service.diagnostics(path, options).length;
    const workloads = computeEffectiveModels(core, service, options);
    results.effectiveWorkloads ??= workloads;
    return count;
  };
  // The whole-corpus figures of both tools are taken in turns (meshlens run, then yaml-language-server run, …), so
  // other work on a shared machine weighs on both alike; wall and CPU time (this process: user + system) per run.
  let yls = await createYamlLanguageService(resourceSchemas);
  let findings = 0;
  let ylsFindings = 0;
  const wholeRuns = [];
  const wholeCpu = [];
  const ylsRuns = [];
  const ylsCpu = [];
  const floorRuns = [];
  const floorCpu = [];
  // Positioned parses of the same texts, in the same turns (what a tool that reports ranges must at least do):
  // the \`yaml\` library yaml-language-server parses with (lexer alone; concrete syntax tree; documents), and
  // meshlens' own parse into its syntax tree (\`setFile\`: documents split, parsed, line index).
  const YAML = await import('yaml');
  const parses = {
    'yaml lexer': () => files.forEach((file) => {
      for (const token of new YAML.Lexer().lex(file.text)) void token;
    }),
    'yaml CST': () => files.forEach((file) => {
      for (const token of new YAML.Parser().parse(file.text)) void token;
    }),
    'yaml parseAllDocuments': () => files.forEach((file) => YAML.parseAllDocuments(file.text)),
    'meshlens setFile': () => {
      const service = new core.MeshlensService();
      for (const file of files) service.setFile(file.path, file.text);
    },
  };
  const parseRuns = Object.fromEntries(Object.keys(parses).map((name) => [name, { wall: [], cpu: [] }]));
  const timed = async (task, wall, cpu) => {
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    await task();
    wall.push(performance.now() - started);
    const used = process.cpuUsage(cpuBefore);
    cpu.push((used.user + used.system) / 1000);
  };
  for (let run = 0; run < runs + 1; run++) {
    await timed(() => files.forEach((file) => jsYaml.parseEvents(file.text)), floorRuns, floorCpu);
    for (const [name, parse] of Object.entries(parses)) await timed(parse, parseRuns[name].wall, parseRuns[name].cpu);
    await timed(
      () => {
        const service = new core.MeshlensService();
        for (const file of files) service.setFile(file.path, file.text);
        findings = checkAll(service, files.map((file) => file.path));
      },
      wholeRuns,
      wholeCpu,
    );
    await timed(
      async () => {
        ylsFindings = 0;
        for (const file of files) ylsFindings += (await yls.validate(yls.document(file.path, file.text))).length;
      },
      ylsRuns,
      ylsCpu,
    );
  }
  results.meshlensWhole = median(wholeRuns.slice(1));
  results.meshlensWholeCold = wholeRuns[0];
  results.meshlensWholeCpu = median(wholeCpu.slice(1));
  results.ylsValidate = median(ylsRuns.slice(1));
  results.ylsValidateCold = ylsRuns[0];
  results.ylsValidateCpu = median(ylsCpu.slice(1));
  results.floorEvents = median(floorRuns.slice(1));
  results.floorEventsCpu = median(floorCpu.slice(1));
  log(`floor: parseEvents ${formatMs(results.floorEvents)} (CPU ${formatMs(results.floorEventsCpu)}), loadAll ${formatMs(results.floorLoadAll)}`);
  results.parses = Object.entries(parseRuns).map(([name, { wall, cpu }]) => ({ name, wall: median(wall.slice(1)), cpu: median(cpu.slice(1)) }));
  log(`positioned parses: ${results.parses.map((parse) => `${parse.name} ${formatMs(parse.wall)} (${formatRatio(parse.wall / results.floorEvents)} the floor)`).join(', ')}`);
  log(`meshlens whole-corpus check: ${formatMs(results.meshlensWhole)} (CPU ${formatMs(results.meshlensWholeCpu)}; first run ${formatMs(wholeRuns[0])}), ${findings} findings`);
  log(`yaml-language-server validation: ${formatMs(results.ylsValidate)} (CPU ${formatMs(results.ylsValidateCpu)}; first run ${formatMs(ylsRuns[0])}), ${ylsFindings} findings`);
  // Dropped until its own figures below: its documents and schemas would otherwise stay in this heap while
  // meshlens' edit, completion and scan figures are taken (a bigger heap makes every collection dearer).
  yls = undefined;
  globalThis.gc?.();

  const oneFileRuns = await timeRuns(runs + 1, () => {
    const service = new core.MeshlensService();
    service.setFile(oneFile.path, oneFile.text);
    checkAll(service, [oneFile.path]);
  });
  results.meshlensOneFile = median(oneFileRuns.slice(1));

  const editor = new core.MeshlensService();
  editor.setFile(oneFile.path, oneFile.text);
  editor.diagnostics(oneFile.path, options);
  const editRuns = await timeRuns(runs * 4, (run) => {
    editor.setFile(oneFile.path, scenario.edited(run));
    editor.diagnostics(oneFile.path, options);
  });
  results.meshlensEdit = median(editRuns);
  editor.setFile(oneFile.path, scenario.withBlankLine);
  editor.diagnostics(oneFile.path, options);
  let completionCount = 0;
  results.meshlensCompletion = median(
    await timeRuns(runs * 4, (run) => {
      // A keystroke then a completion request: the new text is applied first, as the server does.
      editor.setFile(oneFile.path, scenario.withBlankLine + '#'.repeat(run + 1) + '\n');
      completionCount = editor.completions(oneFile.path, scenario.completionOffset, options).length;
    }),
  );
  let hoverFound = false;
  results.meshlensHover = median(
    await timeRuns(runs * 4, () => {
      hoverFound = editor.hover(oneFile.path, scenario.hoverOffset, options) !== undefined;
    }),
  );
  log(
    `meshlens one file ${formatMs(results.meshlensOneFile)}, edit ${formatMs(results.meshlensEdit)}, completion ${formatMs(results.meshlensCompletion)} (${completionCount} items), hover ${formatMs(results.meshlensHover)} (${hoverFound ? 'found' : 'none'})`,
  );

  results.codeLens = await measureCodeLensScaling(core, options, { count: quick ? 200 : 2000, runs: quick ? 1 : runs });
  log(`code lenses on one CNP: ${results.codeLens.small.items} items ${formatMs(results.codeLens.small.ms)}, ${results.codeLens.large.items} items ${formatMs(results.codeLens.large.ms)} (${formatRatio(results.codeLens.growth)})`);

  // An edit in the multi-file workspace: the edited file's diagnostics, then every file's (what the server publishes).
  const multi = new core.MeshlensService();
  for (const file of files) multi.setFile(file.path, file.text);
  checkAll(multi, files.map((file) => file.path));
  const editedFile = files.find((file) => file.path.endsWith('policies.yaml') && file.path.includes(`-${String(Math.floor(files.length / 4)).padStart(4, '0')}/`)) ?? files.find((file) => file.path.endsWith('policies.yaml'));
  const fileScenario = editScenario(editedFile.text);
  const multiEditFile = [];
  results.meshlensEditWorkspace = median(
    await timeRuns(runs * 2, (run) => {
      const started = performance.now();
      multi.setFile(editedFile.path, fileScenario.edited(run));
      multi.diagnostics(editedFile.path, options);
      multiEditFile.push(performance.now() - started);
      for (const file of files) multi.diagnostics(file.path, options);
    }),
  );
  results.meshlensEditWorkspaceFile = median(multiEditFile);

  results.scan = await completionDuringScan(core, files, oneFile, scenario, options);
  log(`completion during the workspace scan: ${results.scan.requests} requests, median ${formatMs(results.scan.median)}, max ${formatMs(results.scan.max)}`);

  // yaml-language-server 2, same files, same schemas (its whole-corpus validation ran in turns with meshlens above).
  yls = await createYamlLanguageService(resourceSchemas);
  results.ylsOneFile = median(await timeRuns(runs, async () => yls.validate(yls.document(oneFile.path, oneFile.text))));
  results.ylsEdit = median(await timeRuns(runs, async (run) => yls.validate(yls.document(oneFile.path, scenario.edited(run)))));
  let ylsCompletionCount = 0;
  results.ylsCompletion = median(
    await timeRuns(runs, async (run) => {
      const document = yls.document(oneFile.path, scenario.withBlankLine + '#'.repeat(run + 1) + '\n');
      ylsCompletionCount = (await yls.complete(document, document.positionAt(scenario.completionOffset))).items.length;
    }),
  );
  const hoverDocument = yls.document(oneFile.path, scenario.withBlankLine);
  results.ylsHover = median(await timeRuns(runs, async () => yls.hover(hoverDocument, hoverDocument.positionAt(scenario.hoverOffset))));
  log(
    `yaml-language-server one file ${formatMs(results.ylsOneFile)}, edit ${formatMs(results.ylsEdit)}, completion ${formatMs(results.ylsCompletion)} (${ylsCompletionCount} items), hover ${formatMs(results.ylsHover)}`,
  );

  // The CLI end to end, process start included, through the installed entry point (bin/meshlens.js,
  // which turns on Node's compile cache before loading dist/cli.js; the first run fills the cache).
  const cli = join(repoRoot, 'bin', 'meshlens.js');
  if (existsSync(join(repoRoot, 'dist', 'cli.js'))) {
    const cliRuns = await timeRuns(quick ? 1 : Math.max(3, runs) + 1, () => {
      const child = spawnSync(process.execPath, [cli, 'check', relative(repoRoot, x1.tree)], { cwd: repoRoot, encoding: 'utf8' });
      if (child.status !== 0 && child.status !== 1) throw new Error(`CLI exited with ${child.status}: ${child.stderr}`);
    });
    results.cli = median(quick ? cliRuns : cliRuns.slice(1));
    results.cliFirst = cliRuns[0];
    log(`CLI end to end: ${formatMs(results.cli)} (first run ${formatMs(cliRuns[0])})`);
  } else {
    log('CLI: dist/cli.js missing (run npm run build); skipped');
  }

  // Memory, each in its own process.
  runChildProcess(['--child', 'warm-cache', '--corpus', x1.tree]);
  results.rssMeshlens = childMemory('meshlens', x1.tree);
  results.rssMeshlensCold = childMemory('meshlens-cold', x1.tree);
  results.rssNode = childMemory('baseline', x1.tree);
  results.rssYls = childMemory('yls', x1.tree);
  log(`peak RSS: meshlens ${formatMb(results.rssMeshlens)} (compile cache empty: ${formatMb(results.rssMeshlensCold)}), yaml-language-server ${formatMb(results.rssYls)}, empty Node ${formatMb(results.rssNode)}`);
  results.server = await languageServer(core, x1);

  results.scaling = withScaling ? scaling(x1) : undefined;
  results.repos = withRepos ? await repositories(core, options) : undefined;

  const table = renderTable(results, x1);
  console.log('\n' + table.text);
  if (!quick) {
    writeFileSync(join(benchDirectory, 'results.md'), table.markdown);
    log('wrote bench/results.md');
  }
  log(`bench finished in ${formatMs(performance.now() - startedAll)}`);
}

function readCorpus(tree) {
  // Sorted by path, as `find … | sort` would (the ×50 listing is too long for a child's output buffer).
  const listing = readdirSync(tree, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.yaml'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
  return listing.map((path) => ({ path, text: readFileSync(path, 'utf8') }));
}

/**
 * The one-line edit, the completion and the hover places, all inside the
 * CiliumNetworkPolicy closest to the middle of the text.
 */
function editScenario(text) {
  const middle = Math.floor(text.length / 2);
  let cnp = text.lastIndexOf('kind: CiliumNetworkPolicy', middle);
  if (cnp < 0) cnp = text.indexOf('kind: CiliumNetworkPolicy');
  const pathLine = text.indexOf('path: "', cnp);
  const pathEnd = text.indexOf('\n', pathLine);
  const specLine = text.indexOf('\nspec:\n', cnp) + 1;
  const afterSpec = specLine + 'spec:\n'.length;
  const withBlankLine = `${text.slice(0, afterSpec)}  \n${text.slice(afterSpec)}`;
  const hoverKey = withBlankLine.indexOf('endpointSelector', afterSpec);
  return {
    edited: (run) => `${text.slice(0, pathLine)}path: "/api/v9/edited-${run}"${text.slice(pathEnd)}`,
    withBlankLine,
    completionOffset: afterSpec + 2,
    hoverOffset: hoverKey + 3,
  };
}

/**
 * The workspace scan as the server runs it (setFile for every file, then
 * diagnostics for every file in steps, yielding after each 8 ms slice of work), with a completion
 * request for the open file arriving every millisecond. Latency = from the
 * request's arrival to its answer.
 */
async function completionDuringScan(core, files, oneFile, scenario, options) {
  const service = new core.MeshlensService();
  service.setFile(oneFile.path, scenario.withBlankLine);
  const latencies = [];
  let scanning = true;
  const request = () => {
    const arrived = performance.now();
    setTimeout(() => {
      service.completions(oneFile.path, scenario.completionOffset, options);
      latencies.push(performance.now() - arrived);
      if (scanning) request();
    }, 1);
  };
  // As server/src/main.ts: give the event loop back after each slice of work.
  let sliceStart = performance.now();
  const sliceUsed = () => performance.now() - sliceStart >= SERVER_WORK_SLICE_MS;
  const yieldToEventLoop = () =>
    new Promise((resolve) =>
      setImmediate(() => {
        sliceStart = performance.now();
        resolve();
      }),
    );
  request();
  const started = performance.now();
  for (let index = 0; index < files.length; index++) {
    service.setFile(files[index].path, files[index].text);
    if (sliceUsed()) await yieldToEventLoop();
  }
  // Diagnostics in steps (documents, and the rules of each document), as the server's slicedDiagnostics runs them.
  for (let index = 0; index < files.length; index++) {
    const steps = service.diagnosticsSteps(files[index].path, options);
    while (!steps.next().done) if (sliceUsed()) await yieldToEventLoop();
    if (sliceUsed()) await yieldToEventLoop();
  }
  const scan = performance.now() - started;
  scanning = false;
  await new Promise((resolve) => setTimeout(resolve, 5));
  return { requests: latencies.length, median: median(latencies), p95: percentile(latencies, 0.95), max: Math.max(...latencies), scan };
}

/**
 * The language server as the desktop client starts it (its V8 flags and compile cache), on the ×1 corpus
 * folder: the first start with an empty compile cache, then \`runs\` starts with it warm (what every later
 * start of the editor is). Undefined without dist/server.js.
 */
async function languageServer(core, x1) {
  const serverModule = join(repoRoot, 'dist', 'server.js');
  if (!existsSync(serverModule)) {
    log('language server: dist/server.js missing (run npm run build); skipped');
    return undefined;
  }
  const compileCache = join(corpusDirectory, '.server-compile-cache');
  rmSync(compileCache, { recursive: true, force: true });
  const start = () => serverScan({ serverModule, folder: x1.tree, flags: core.SERVER_NODE_FLAGS, compileCacheVariable: core.COMPILE_CACHE_VARIABLE, compileCache });
  const first = await start();
  const warm = [];
  for (let run = 0; run < (quick ? 1 : runs); run++) warm.push(await start());
  const server = { first, scan: median(warm.map((run) => run.scanMs)), peakRss: median(warm.map((run) => run.peakRss)), files: first.files, flags: core.SERVER_NODE_FLAGS };
  log(`language server (${server.flags.join(' ')}): scan of ${server.files} files ${formatMs(server.scan)}, peak RSS ${formatMb(server.peakRss)} (first start: ${formatMs(first.scanMs)}, ${formatMb(first.peakRss)})`);
  return server;
}

function childMemory(tool, tree) {
  return runChildProcess(['--child', tool, '--corpus', tree]).peakRss;
}

function runChildProcess(childArgs) {
  const child = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), ...childArgs], {
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  if (child.status !== 0) throw new Error(`child ${childArgs.join(' ')} failed: ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').pop());
}

/**
 * ×1, ×10 and ×50 of the corpus: the whole check (as the ×1 figure: parse,
 * schema, rules, effective-policy models) timed in a child process that first
 * checks the ×1 corpus once (JIT warm-up, so ×1 is not charged for it alone),
 * and peak RSS in another child that checks once.
 */
function scaling(x1) {
  const out = [];
  for (const multiple of MULTIPLES) {
    const corpus = multiple.times === 1 ? x1 : writeCorpus(scale * multiple.times, corpusDirectory);
    const timed = runChildProcess(['--child', 'time', '--corpus', corpus.tree, '--warmup', x1.tree, '--runs', String(multiple.runs)]);
    const rss = childMemory('meshlens', corpus.tree);
    out.push({ times: multiple.times, runs: multiple.runs, files: corpus.files, lines: corpus.lines, time: timed.median, cpu: timed.cpu, rss });
    log(`corpus x${multiple.times} (${corpus.files} files, ${corpus.lines} lines): whole check ${formatMs(timed.median)} (median of ${multiple.runs}; CPU ${formatMs(timed.cpu)}), peak RSS ${formatMb(rss)}`);
  }
  return out;
}

/** Every repository of ../shared/repos/: figures in this process, peak RSS in a child per repository. */
async function repositories(core, options) {
  const list = listRepositories(reposDirectory);
  if (!list) {
    const message = 'whole repositories skipped: ../shared/repos (beside the repository) is not present';
    log(message);
    return { skipped: message, list: [] };
  }
  const out = [];
  for (const [index, repo] of list.entries()) {
    const figures = await benchRepository(core, repo.root, options, runs);
    // Quick mode (CI): one RSS child is enough to show that the path works.
    figures.rss = quick && index > 0 ? NaN : runChildProcess(['--child', 'repo', '--corpus', repo.root]).peakRss;
    out.push({ name: repo.name, ...figures });
    const edit = figures.edit ? `, edit in ${figures.edit.file} (${figures.edit.clusters} cluster(s)) ${formatMs(figures.edit.own)} own / ${formatMs(figures.edit.all)} all files` : '';
    log(
      `${repo.name}: ${figures.files} files, check ${formatMs(figures.check)}, ${figures.clusters} cluster(s), model ${formatMs(figures.model)}, ${figures.builds} cluster builds ${formatMs(figures.build)} (${figures.builtObjects} objects)${edit}, peak RSS ${formatMb(figures.rss)}`,
    );
  }
  return { list: out };
}

/**
 * Child process: load one tool with the corpus (or repository), check everything, report peak RSS (bytes);
 * `time`: check the warm-up corpus once, then time `runs` whole checks of the corpus (fresh service each).
 */
async function runChild(tool, tree, warmup, childRuns) {
  // As the CLI runs (bin/meshlens.js); not for yaml-language-server, the empty process or the cold figure.
  if (tool !== 'meshlens-cold' && tool !== 'yls' && tool !== 'baseline') nodeModule.enableCompileCache?.(COMPILE_CACHE);
  if (tool === 'warm-cache') {
    loadCoreBundle(join(corpusDirectory, '.build', 'core.cjs'));
    nodeModule.flushCompileCache?.();
    console.log(JSON.stringify({ tool, cache: typeof nodeModule.enableCompileCache === 'function' }));
    return;
  }
  if (tool === 'repo') {
    const core = loadCoreBundle(join(corpusDirectory, '.build', 'core.cjs'));
    const options = core.defaultAnalysisOptions();
    const repo = loadRepository(core, tree, options);
    const service = repo.createService();
    for (const file of repo.files) service.diagnostics(file.path, options);
    globalThis.gc?.();
  } else if (tool === 'time') {
    const core = loadCoreBundle(join(corpusDirectory, '.build', 'core.cjs'));
    const options = core.defaultAnalysisOptions();
    const check = (files) => {
      const service = new core.MeshlensService();
      for (const file of files) service.setFile(file.path, file.text);
      for (const file of files) service.diagnostics(file.path, options);
      computeEffectiveModels(core, service, options);
    };
    if (warmup) check(readCorpus(warmup));
    const files = readCorpus(tree);
    const durations = [];
    const cpuTimes = [];
    for (let run = 0; run < childRuns; run++) {
      globalThis.gc?.();
      const cpuBefore = process.cpuUsage();
      const started = performance.now();
      check(files);
      durations.push(performance.now() - started);
      const cpu = process.cpuUsage(cpuBefore);
      cpuTimes.push((cpu.user + cpu.system) / 1000);
    }
    console.log(JSON.stringify({ tool, median: median(durations), durations, cpu: median(cpuTimes) }));
    return;
  }
  const files = tool === 'repo' ? [] : readCorpus(tree);
  if (tool === 'meshlens' || tool === 'meshlens-cold') {
    const core = loadCoreBundle(join(corpusDirectory, '.build', 'core.cjs'));
    const options = core.defaultAnalysisOptions();
    const service = new core.MeshlensService();
    for (const file of files) service.setFile(file.path, file.text);
    for (const file of files) service.diagnostics(file.path, options);
    globalThis.gc?.();
  } else if (tool === 'yls') {
    const yls = await createYamlLanguageService(resourceSchemas);
    for (const file of files) await yls.validate(yls.document(file.path, file.text));
    globalThis.gc?.();
  }
  const usage = process.memoryUsage();
  console.log(JSON.stringify({ tool, peakRss: process.resourceUsage().maxRSS * 1024, rss: usage.rss, heapUsed: usage.heapUsed }));
}

function renderTable(results, x1) {
  const target = (met) => (met === undefined ? '—' : met ? 'met' : 'NOT met');
  const speedTargets = !quick;
  const status = (met) => (speedTargets ? target(met) : '(quick)');
  const row = (measure, meshlens, yls, ratio, goal, met) => ({ measure, meshlens, yls, ratio, goal, status: status(met) });
  const rows = [
    row('Whole corpus, per-file (check vs validation)', formatMs(results.meshlensWhole), formatMs(results.ylsValidate), formatRatio(results.ylsValidate / results.meshlensWhole), '≥ 20× faster', results.ylsValidate / results.meshlensWhole >= 20),
    row('Whole corpus vs js-yaml parseEvents floor', formatMs(results.meshlensWhole), `floor ${formatMs(results.floorEvents)}`, formatRatio(results.meshlensWhole / results.floorEvents), '≤ 3× the floor', results.meshlensWhole / results.floorEvents <= 3),
    row('Same content as one file', formatMs(results.meshlensOneFile), formatMs(results.ylsOneFile), formatRatio(results.ylsOneFile / results.meshlensOneFile), '', undefined),
    row('One-line edit of the one file → fresh diagnostics', formatMs(results.meshlensEdit), formatMs(results.ylsEdit), formatRatio(results.ylsEdit / results.meshlensEdit), '≥ 50× and < 20 ms', results.ylsEdit / results.meshlensEdit >= 50 && results.meshlensEdit < 20),
    row('Keystroke + completion in the one file', formatMs(results.meshlensCompletion), formatMs(results.ylsCompletion), formatRatio(results.ylsCompletion / results.meshlensCompletion), '< 20 ms and ≥ 50×', results.meshlensCompletion < 20 && results.ylsCompletion / results.meshlensCompletion >= 50),
    row('Hover in the one file', formatMs(results.meshlensHover), formatMs(results.ylsHover), formatRatio(results.ylsHover / results.meshlensHover), '< 20 ms', results.meshlensHover < 20),
    row('Edit one file of the ×1 workspace → its diagnostics', formatMs(results.meshlensEditWorkspaceFile), '', '', '< 30 ms', results.meshlensEditWorkspaceFile < 30),
    row('… then re-check every file (what the server publishes)', formatMs(results.meshlensEditWorkspace), '', '', '', undefined),
    row(`Completion during the workspace scan (${results.scan.requests} requests)`, `median ${formatMs(results.scan.median)}, max ${formatMs(results.scan.max)}`, '', '', 'answered during the scan, max < 50 ms', results.scan.requests > 1 && results.scan.max < 50),
    row(`Code lenses, one CNP of ${results.codeLens.small.items} → ${results.codeLens.large.items} rule items`, `${formatMs(results.codeLens.small.ms)} → ${formatMs(results.codeLens.large.ms)}`, '', `${formatRatio(results.codeLens.growth)} for 4× the items`, 'linear (≤ 5× for 4×)', results.codeLens.growth <= 5),
    row('CLI end to end on ×1 (process start included)', formatMs(results.cli), '', '', '< 1 s', results.cli === undefined ? undefined : results.cli < 1000),
    row('Peak RSS, ×1 workspace checked', `${formatMb(results.rssMeshlens)} (compile cache empty: ${formatMb(results.rssMeshlensCold)})`, formatMb(results.rssYls), '', '< 150 MB', results.rssMeshlens < 150 * 1024 * 1024),
    ...(results.server
      ? [
          row('Language server: scan of the ×1 folder (start → every file published)', `${formatMs(results.server.scan)} (first start ${formatMs(results.server.first.scanMs)})`, '', '', '', undefined),
          row('Peak RSS, language server after that scan', `${formatMb(results.server.peakRss)} (first start: ${formatMb(results.server.first.peakRss)})`, '', '', '< 150 MB', Number.isNaN(results.server.peakRss) ? undefined : results.server.peakRss < 150 * 1024 * 1024),
        ]
      : []),
  ];
  const tables = [
    {
      header: ['Measure', 'meshlens', 'yaml-language-server 2 / floor', 'Ratio', 'Target', 'Status'],
      cells: rows.map((r) => [r.measure, r.meshlens, r.yls, r.ratio, r.goal, r.status]),
    },
  ];
  const notes = [
    `Corpus ×1: ${x1.files} files, ${x1.lines} lines (bench/generateCorpus.mjs, seeded).`,
    `js-yaml 5 floor: parseEvents ${formatMs(results.floorEvents)}, loadAll ${formatMs(results.floorLoadAll)}. yaml-language-server first (cold) validation ${formatMs(results.ylsValidateCold)}; meshlens first check ${formatMs(results.meshlensWholeCold)}.`,
    `Whole corpus: the floor and the two tools run in turns (js-yaml parseEvents, meshlens, yaml-language-server, ${runs + 1} times; the first of each left out), so load from other work on the machine falls on all three; CPU time of the same runs (user + system, garbage-collector threads included): floor ${formatMs(results.floorEventsCpu)}, meshlens ${formatMs(results.meshlensWholeCpu)} (${formatRatio(results.meshlensWholeCpu / results.floorEventsCpu)} the floor), yaml-language-server ${formatMs(results.ylsValidateCpu)} (${formatRatio(results.ylsValidateCpu / results.meshlensWholeCpu)} meshlens). Where the remaining time goes, and why the ×1 targets are not met: bench/profile.md.`,
    'yaml-language-server associates schemas by file glob, not by apiVersion/kind: it gets one dispatcher schema for `*.yaml` with an `if apiVersion/kind then $ref` branch per shipped schema (schemas/resources), so each document meets the schema meshlens uses for it.',
    results.effectiveWorkloads === undefined
      ? 'The core has no effective-policy model: the whole-corpus check is parse + schema + every rule (cross-file included).'
      : `The whole-corpus check is parse + schema + every rule (cross-file included) + the effective-policy model of every workload (${results.effectiveWorkloads} workloads in the ×${scale} corpus, as the preview and \`meshlens effective\` compute it).`,
    `Medians of ${runs} run(s) (edits, completion and hover: ${runs * 4}); peak RSS from a child process per tool. meshlens children load the core as the CLI does (bin/meshlens.js): with Node's compile cache (Node 22.1+), filled by a first child, so V8 loads compiled code instead of parsing the whole bundle again; the figure with an empty cache (the CLI's first run) is given beside it. The bundle is minified as the server and the CLI ship it.`,
    `Positioned parses of the ×${scale} texts, in the same turns as the floor: ${results.parses.map((parse) => `${parse.name} ${formatMs(parse.wall)} (${formatRatio(parse.wall / results.floorEvents)} the floor)`).join(', ')}. The \`yaml\` library is the parser of yaml-language-server; \`setFile\` is meshlens' whole parse (documents split, syntax trees with offsets, line index) before any check.`,
    ...(results.server
      ? [
          `Language server: \`dist/server.js\` started as the desktop client starts it (V8 flags \`${results.server.flags.join(' ')}\`, Node's compile cache in its own folder; protocol/src/serverProcess.ts), over stdio, on the ×${scale} folder; scan = from \`initialized\` to its "workspace scan" log line (every file read, checked and its diagnostics sent); peak RSS = the process's VmHWM then. First start with an empty compile cache, then the median of ${quick ? 1 : runs} start(s) with it filled.`,
        ]
      : []),
    results.cli === undefined
      ? 'CLI not timed (dist/cli.js missing).'
      : `CLI: \`node bin/meshlens.js check\` in a new process each run; median of the runs after the first (${formatMs(results.cliFirst)}), which fills Node's compile cache.`,
  ];
  if (results.scaling) {
    const base = results.scaling[0];
    const growth = (entry) => (entry.rss - results.rssNode) / Math.max(1, base.rss - results.rssNode);
    tables.push({
      title: 'Scaling: the corpus ×1, ×10, ×50',
      header: ['Corpus', 'Files', 'Lines', 'Whole check', 'CPU time', 'CPU / (× · CPU ×1)', 'Peak RSS', 'RSS growth / (× · growth ×1)', 'Target', 'Status'],
      cells: results.scaling.map((entry) => {
        const timeRatio = entry.cpu / (entry.times * base.cpu);
        const rssRatio = growth(entry) / entry.times;
        const linear = entry.times === 1 ? undefined : timeRatio <= 1.2 && rssRatio <= 1.2;
        return [`×${entry.times}`, String(entry.files), String(entry.lines), formatMs(entry.time), formatMs(entry.cpu), `${timeRatio.toFixed(2)}×`, formatMb(entry.rss), `${rssRatio.toFixed(2)}×`, entry.times === 1 ? 'RSS < 150 MB' : 'within 1.2× of linear', entry.times === 1 ? status(entry.rss < 150 * 1024 * 1024) : status(linear)];
      }),
    });
    notes.push(
      `Scaling: each whole check (as the ×1 row above, effective-policy models included) runs in a child process that checks the ×1 corpus once first (JIT warm-up); the linearity ratio uses the child's CPU time (user + system, garbage-collector threads included), far less disturbed than wall time by other work on a shared machine; medians of ${results.scaling.map((entry) => `${entry.runs} (×${entry.times})`).join(', ')} run(s); peak RSS from another child that checks once (models not included, as the ×1 RSS row); growth counted over an empty Node process (${formatMb(results.rssNode)}). A ratio of 1.0× is exactly linear.`,
    );
  }
  if (results.repos?.skipped) notes.push(`Whole repositories: ${results.repos.skipped}.`);
  else if (results.repos) {
    tables.push({
      title: 'Whole repositories (../shared/repos)',
      header: ['Repository', 'Files', 'Lines', 'Check', 'Clusters', 'Cluster model', 'Cluster builds', 'Edit in the file most clusters deploy: own / all files', 'Peak RSS', 'Target', 'Status'],
      cells: results.repos.list.map((repo) => [
        repo.name,
        String(repo.files),
        String(repo.lines),
        formatMs(repo.check),
        String(repo.clusters),
        formatMs(repo.model),
        `${repo.builds}: ${formatMs(repo.build)}${repo.failedBuilds ? ` (${repo.failedBuilds} failed)` : ''}`,
        repo.edit ? `${repo.edit.clusters} cl.: ${formatMs(repo.edit.own)} / ${formatMs(repo.edit.all)}` : 'none',
        formatMb(repo.rss),
        repo.edit?.clusters >= 3 ? 'check < 1 s; edit < 50 ms' : 'check < 1 s',
        status(repo.check < 1000 && (repo.edit?.clusters >= 3 ? repo.edit.all < 50 : true)),
      ]),
    });
    const edited = results.repos.list.filter((repo) => repo.edit).map((repo) => `${repo.name}: ${repo.edit.file}:${repo.edit.line}`);
    notes.push(
      `Whole repositories: loaded as \`meshlens check DIR\` loads them (texts read first; process start and the directory walk excluded); check = setFile + diagnostics of every file in a fresh service, median of ${runs}. Cluster model = \`gitopsModel\` in a fresh service; cluster builds = \`clusterBuild\` of every build the model lists (Flux Kustomization folders and root folders: \`buildFluxDirectory\` with the overlay fields and post-build substitution, over the workspace's parsed files), timed after the model, in a fresh service per run. Edit = one word typed at the end of a plain scalar in the file most clusters deploy, setFile + that file's diagnostics (own), then every file's diagnostics (all, what the server republishes); median of ${runs * 4}. Edited: ${edited.join('; ')}.`,
    );
  }
  const textTable = (table) => {
    const widths = table.header.map((title, column) => Math.max(title.length, ...table.cells.map((cell) => cell[column].length)));
    const line = (cell) => cell.map((value, column) => value.padEnd(widths[column])).join(' | ');
    return [...(table.title ? [table.title] : []), line(table.header), widths.map((width) => '-'.repeat(width)).join('-|-'), ...table.cells.map(line)].join('\n');
  };
  const markdownTable = (table) => [
    ...(table.title ? [`## ${table.title}`, ''] : []),
    `| ${table.header.join(' | ')} |`,
    `| ${table.header.map(() => '---').join(' | ')} |`,
    ...table.cells.map((cell) => `| ${cell.map((value) => value.replace(/\|/g, '\\|') || ' ').join(' | ')} |`),
    '',
  ];
  const markdown = [
    '# meshlens benchmark',
    '',
    `Reproduce: \`npm run bench\` (Node ${process.version}, ${new Date().toISOString().slice(0, 10)}). Numbers are from one machine and one run; compare the ratios.`,
    '',
    ...tables.flatMap(markdownTable),
    ...notes.map((note) => `- ${note}`),
    '',
  ].join('\n');
  return { text: `${tables.map(textTable).join('\n\n')}\n\n${notes.map((note) => `- ${note}`).join('\n')}`, markdown };
}

function log(message) {
  console.log(`[bench] ${message}`);
}
