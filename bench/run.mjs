#!/usr/bin/env node
// `npm run bench`: meshlens side by side with yaml-language-server 2 and the
// js-yaml parse floor, over the same generated corpus and the same schemas,
// in one process run (issue 8). Prints a table of medians and the target
// ratios, and writes it as Markdown to bench/results.md.
//
// Timings run in this process; memory (RSS) is measured in a child process
// per tool and size, so one tool's heap does not inflate the other's figure.
//
// Usage: node bench/run.mjs [--quick] [--runs N] [--no-x10]
//   --quick  tiny corpus, one run, no x10, no results.md: checks that the
//            bench still works (CI). Exits non-zero only when something crashes.

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { writeCorpus } from './generateCorpus.mjs';
import { buildCoreBundle, computeEffectiveModels, loadCoreBundle } from './lib/meshlens.mjs';
import { measureCodeLensScaling } from './lib/codeLensScaling.mjs';
import { createYamlLanguageService } from './lib/yls.mjs';
import { formatMb, formatMs, formatRatio, median, percentile, timeRuns } from './lib/stats.mjs';

const benchDirectory = dirname(fileURLToPath(import.meta.url));
const repoRoot = dirname(benchDirectory);
const corpusDirectory = join(benchDirectory, '.corpus');
const resourceSchemas = join(repoRoot, 'schemas', 'resources');
/** The server's scan/publish work slice (WORK_SLICE_MS in server/src/main.ts). */
const SERVER_WORK_SLICE_MS = 8;

const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const argument = (name, fallback) => {
  const index = args.indexOf(name);
  return index >= 0 && args[index + 1] !== undefined ? args[index + 1] : fallback;
};

if (flag('--child')) {
  await runChild(argument('--child', ''), argument('--corpus', ''));
  process.exit(0);
}

const quick = flag('--quick');
const runs = Number(argument('--runs', quick ? '1' : '5'));
const withX10 = !quick && !flag('--no-x10');
const scale = quick ? 0.05 : 1;

await main().catch((error) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(2);
});

async function main() {
  const startedAll = performance.now();
  log(`meshlens bench${quick ? ' (quick: tiny corpus, 1 run, no speed targets)' : ''} — Node ${process.version}, ${runs} run(s) per figure`);
  const x1 = writeCorpus(scale, corpusDirectory);
  log(`corpus x${scale}: ${x1.files} files, ${x1.lines} lines, ${(x1.bytes / 1024).toFixed(0)} KiB`);
  const x10 = withX10 ? writeCorpus(10, corpusDirectory) : undefined;
  if (x10) log(`corpus x10: ${x10.files} files, ${x10.lines} lines, ${(x10.bytes / 1024).toFixed(0)} KiB`);

  const bundle = await buildCoreBundle(repoRoot, join(corpusDirectory, '.build'));
  const core = loadCoreBundle(bundle);
  const files = readCorpus(x1.tree);
  const oneFile = { path: x1.oneFilePath, text: readFileSync(x1.oneFilePath, 'utf8') };
  const scenario = editScenario(oneFile.text);
  const results = {};

  // The floor: js-yaml 5 over the same texts.
  const jsYaml = await import('js-yaml');
  results.floorEvents = median(await timeRuns(runs + 2, () => files.forEach((file) => jsYaml.parseEvents(file.text))));
  results.floorLoadAll = median(await timeRuns(runs + 2, () => files.forEach((file) => jsYaml.loadAll(file.text))));
  log(`floor: parseEvents ${formatMs(results.floorEvents)}, loadAll ${formatMs(results.floorLoadAll)}`);

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
  let findings = 0;
  const wholeRuns = await timeRuns(runs + 1, () => {
    const service = new core.MeshlensService();
    for (const file of files) service.setFile(file.path, file.text);
    findings = checkAll(service, files.map((file) => file.path));
  });
  results.meshlensWhole = median(wholeRuns.slice(1));
  results.meshlensWholeCold = wholeRuns[0];
  log(`meshlens whole-corpus check: ${formatMs(results.meshlensWhole)} (first run ${formatMs(wholeRuns[0])}), ${findings} findings`);

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

  if (x10) {
    const files10 = readCorpus(x10.tree);
    results.meshlensWholeX10 = median(
      await timeRuns(Math.max(1, Math.ceil(runs / 2)), () => {
        const service = new core.MeshlensService();
        for (const file of files10) service.setFile(file.path, file.text);
        checkAll(service, files10.map((file) => file.path));
      }),
    );
    results.floorEventsX10 = median(await timeRuns(3, () => files10.forEach((file) => jsYaml.parseEvents(file.text))));
    log(`meshlens x10 whole check ${formatMs(results.meshlensWholeX10)} (parseEvents ${formatMs(results.floorEventsX10)})`);
  }

  // yaml-language-server 2, same files, same schemas.
  const yls = await createYamlLanguageService(resourceSchemas);
  let ylsFindings = 0;
  const ylsRuns = await timeRuns(runs + 1, async () => {
    ylsFindings = 0;
    for (const file of files) ylsFindings += (await yls.validate(yls.document(file.path, file.text))).length;
  });
  results.ylsValidate = median(ylsRuns.slice(1));
  results.ylsValidateCold = ylsRuns[0];
  log(`yaml-language-server validation: ${formatMs(results.ylsValidate)} (first run ${formatMs(ylsRuns[0])}), ${ylsFindings} findings`);
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
  results.rssMeshlens = childMemory('meshlens', x1.tree);
  results.rssNode = childMemory('baseline', x1.tree);
  if (x10) results.rssMeshlensX10 = childMemory('meshlens', x10.tree);
  results.rssYls = childMemory('yls', x1.tree);
  log(`peak RSS: meshlens ${formatMb(results.rssMeshlens)}${x10 ? `, x10 ${formatMb(results.rssMeshlensX10)}` : ''}, yaml-language-server ${formatMb(results.rssYls)}, empty Node ${formatMb(results.rssNode)}`);

  const table = renderTable(results, x1, x10);
  console.log('\n' + table.text);
  if (!quick) {
    writeFileSync(join(benchDirectory, 'results.md'), table.markdown);
    log('wrote bench/results.md');
  }
  log(`bench finished in ${formatMs(performance.now() - startedAll)}`);
}

function readCorpus(tree) {
  const listing = execFileSync('find', [tree, '-name', '*.yaml', '-type', 'f'], { encoding: 'utf8' }).split('\n').filter(Boolean).sort();
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
 * diagnostics for every file, yielding after each 8 ms slice of work), with a completion
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
  for (let index = 0; index < files.length; index++) {
    service.diagnostics(files[index].path, options);
    if (sliceUsed()) await yieldToEventLoop();
  }
  const scan = performance.now() - started;
  scanning = false;
  await new Promise((resolve) => setTimeout(resolve, 5));
  return { requests: latencies.length, median: median(latencies), p95: percentile(latencies, 0.95), max: Math.max(...latencies), scan };
}

function childMemory(tool, tree) {
  const child = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--child', tool, '--corpus', tree], {
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  if (child.status !== 0) throw new Error(`memory child ${tool} failed: ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').pop()).peakRss;
}

/** Child process: load one tool with the corpus, check everything, report peak RSS (bytes). */
async function runChild(tool, tree) {
  const files = readCorpus(tree);
  if (tool === 'meshlens') {
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

function renderTable(results, x1, x10) {
  const target = (met) => (met === undefined ? '—' : met ? 'met' : 'NOT met');
  const speedTargets = !quick;
  const row = (measure, meshlens, yls, ratio, goal, met) => ({ measure, meshlens, yls, ratio, goal, status: speedTargets ? target(met) : '(quick)' });
  const rssGrowth = x10 ? (results.rssMeshlensX10 - results.rssNode) / Math.max(1, results.rssMeshlens - results.rssNode) : NaN;
  const rows = [
    row('Whole corpus, per-file (check vs validation)', formatMs(results.meshlensWhole), formatMs(results.ylsValidate), formatRatio(results.ylsValidate / results.meshlensWhole), '≥ 20× faster', results.ylsValidate / results.meshlensWhole >= 20),
    row('Whole corpus vs js-yaml parseEvents floor', formatMs(results.meshlensWhole), `floor ${formatMs(results.floorEvents)}`, formatRatio(results.meshlensWhole / results.floorEvents), '≤ 3× the floor', results.meshlensWhole / results.floorEvents <= 3),
    row('Same content as one file', formatMs(results.meshlensOneFile), formatMs(results.ylsOneFile), formatRatio(results.ylsOneFile / results.meshlensOneFile), '', undefined),
    row('One-line edit of the one file → fresh diagnostics', formatMs(results.meshlensEdit), formatMs(results.ylsEdit), formatRatio(results.ylsEdit / results.meshlensEdit), '≥ 50× and < 30 ms', results.ylsEdit / results.meshlensEdit >= 50 && results.meshlensEdit < 30),
    row('Keystroke + completion in the one file', formatMs(results.meshlensCompletion), formatMs(results.ylsCompletion), formatRatio(results.ylsCompletion / results.meshlensCompletion), '< 20 ms and ≥ 50×', results.meshlensCompletion < 20 && results.ylsCompletion / results.meshlensCompletion >= 50),
    row('Hover in the one file', formatMs(results.meshlensHover), formatMs(results.ylsHover), formatRatio(results.ylsHover / results.meshlensHover), '< 20 ms', results.meshlensHover < 20),
    row('Edit one file of the ×1 workspace → its diagnostics', formatMs(results.meshlensEditWorkspaceFile), '', '', '< 30 ms', results.meshlensEditWorkspaceFile < 30),
    row('… then re-check every file (what the server publishes)', formatMs(results.meshlensEditWorkspace), '', '', '', undefined),
    row(`Completion during the workspace scan (${results.scan.requests} requests)`, `median ${formatMs(results.scan.median)}, max ${formatMs(results.scan.max)}`, '', '', 'answered during the scan, max < 50 ms', results.scan.requests > 1 && results.scan.max < 50),
    row(`Code lenses, one CNP of ${results.codeLens.small.items} → ${results.codeLens.large.items} rule items`, `${formatMs(results.codeLens.small.ms)} → ${formatMs(results.codeLens.large.ms)}`, '', `${formatRatio(results.codeLens.growth)} for 4× the items`, 'linear (≤ 5× for 4×)', results.codeLens.growth <= 5),
    row('CLI end to end on ×1 (process start included)', formatMs(results.cli), '', '', '< 1 s', results.cli === undefined ? undefined : results.cli < 1000),
    row('Peak RSS, ×1 workspace checked', formatMb(results.rssMeshlens), formatMb(results.rssYls), '', '< 150 MB', results.rssMeshlens < 150 * 1024 * 1024),
  ];
  if (x10) {
    rows.push(row('Whole corpus ×10', formatMs(results.meshlensWholeX10), `floor ${formatMs(results.floorEventsX10)}`, `${formatRatio(results.meshlensWholeX10 / results.meshlensWhole)} the ×1 time`, 'linear (≈ 10×)', undefined));
    rows.push(row('Peak RSS ×10', formatMb(results.rssMeshlensX10), '', `${formatRatio(rssGrowth)} the ×1 growth over empty Node (${formatMb(results.rssNode)})`, 'linear (≤ 10×)', rssGrowth <= 11));
  }
  const header = ['Measure', 'meshlens', 'yaml-language-server 2 / floor', 'Ratio', 'Target', 'Status'];
  const cells = rows.map((r) => [r.measure, r.meshlens, r.yls, r.ratio, r.goal, r.status]);
  const widths = header.map((title, column) => Math.max(title.length, ...cells.map((cell) => cell[column].length)));
  const line = (cell) => cell.map((value, column) => value.padEnd(widths[column])).join(' | ');
  const text = [line(header), widths.map((width) => '-'.repeat(width)).join('-|-'), ...cells.map(line)].join('\n');
  const notes = [
    `Corpus ×1: ${x1.files} files, ${x1.lines} lines${x10 ? `; ×10: ${x10.files} files, ${x10.lines} lines` : ''} (bench/generateCorpus.mjs, seeded).`,
    `js-yaml 5 floor: parseEvents ${formatMs(results.floorEvents)}, loadAll ${formatMs(results.floorLoadAll)}. yaml-language-server first (cold) validation ${formatMs(results.ylsValidateCold)}; meshlens first check ${formatMs(results.meshlensWholeCold)}.`,
    'yaml-language-server associates schemas by file glob, not by apiVersion/kind: it gets one dispatcher schema for `*.yaml` with an `if apiVersion/kind then $ref` branch per shipped schema (schemas/resources), so each document meets the schema meshlens uses for it.',
    results.effectiveWorkloads === undefined
      ? 'The core has no effective-policy model: the whole-corpus check is parse + schema + every rule (cross-file included).'
      : `The whole-corpus check is parse + schema + every rule (cross-file included) + the effective-policy model of every workload (${results.effectiveWorkloads} workloads in the ×${scale} corpus, as the preview and \`meshlens effective\` compute it).`,
    `Medians of ${runs} run(s) (edits, completion and hover: ${runs * 4}); peak RSS from a child process per tool.`,
    results.cli === undefined
      ? 'CLI not timed (dist/cli.js missing).'
      : `CLI: \`node bin/meshlens.js check\` in a new process each run; median of the runs after the first (${formatMs(results.cliFirst)}), which fills Node's compile cache.`,
  ];
  const markdown = [
    '# meshlens benchmark',
    '',
    `Reproduce: \`npm run bench\` (Node ${process.version}, ${new Date().toISOString().slice(0, 10)}). Numbers are from one machine and one run; compare the ratios.`,
    '',
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...cells.map((cell) => `| ${cell.map((value) => value.replace(/\|/g, '\\|') || ' ').join(' | ')} |`),
    '',
    ...notes.map((note) => `- ${note}`),
    '',
  ].join('\n');
  return { text: `${text}\n\n${notes.map((note) => `- ${note}`).join('\n')}`, markdown };
}

function log(message) {
  console.log(`[bench] ${message}`);
}
