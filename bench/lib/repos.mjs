// Whole real GitOps repositories for the benchmark (issue 17): each folder of
// ../shared/repos/ loaded as `meshlens check DIR` loads it (the CLI's file
// collection and confined reader), then
// - the whole check: setFile for every file + diagnostics of every file, in
//   a fresh service per run (process start and the initial directory walk
//   excluded; files referenced by manifests are read through the host, as
//   the CLI does);
// - the GitOps build cost: the cluster model (`gitopsModel`, which every
//   check computes) in a fresh service, then every cluster build the model
//   lists (`clusterBuild`: `buildFluxDirectory` with the Flux
//   Kustomization's overlay fields and post-build substitution, over the
//   workspace's parsed files), as the analysis computes them;
// - the edit latency in a base file: the file that the most clusters deploy
//   (ties: the most placements, then the path), one word appended to a plain
//   scalar value per edit, timed as setFile + the file's own diagnostics,
//   then the diagnostics of every file (what the server republishes).
// Peak RSS is measured by the caller in a child process per repository.
//
// Invariant: nothing here writes into the repositories; every path printed is
// relative to the repository.

import { existsSync, readdirSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { median, timeRuns } from './stats.mjs';

/** The repository folders under `reposDirectory`, sorted; undefined when it is absent. */
export function listRepositories(reposDirectory) {
  if (!existsSync(reposDirectory)) return undefined;
  return readdirSync(reposDirectory, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => ({ name, root: resolve(reposDirectory, name) }));
}

/** Reads every YAML file of a repository as the CLI does (no exclusions); returns texts and the service factory. */
export function loadRepository(core, root, options) {
  const { files, roots } = core.collectFiles([root]);
  const access = new core.ConfinedFiles({ roots: () => roots, maxBytes: () => options.maxFileBytes });
  const texts = [];
  for (const file of files) {
    const read = access.readSync(file.key, { oversized: 'prefix' });
    if (read.ok) texts.push({ path: file.key, text: read.text });
  }
  const createService = () => {
    const service = new core.MeshlensService({
      roots,
      host: { readFile: (path) => access.readTextSync(path) },
      maxFileBytes: () => options.maxFileBytes,
    });
    for (const file of texts) service.setFile(file.path, file.text);
    return service;
  };
  return { files: texts, rootKey: roots[0], createService };
}

/** Every figure for one repository. `runs`: runs of the whole check and of the build (edits: 4 × runs). */
export async function benchRepository(core, root, options, runs) {
  const repo = loadRepository(core, root, options);
  const paths = repo.files.map((file) => file.path);
  let findings = 0;
  const checkRuns = await timeRuns(runs, () => {
    const service = repo.createService();
    findings = 0;
    for (const path of paths) findings += service.diagnostics(path, options).length;
  });

  // The cluster model alone, in a fresh service each run (setFile not timed).
  const modelRuns = [];
  let gitops;
  let service;
  for (let run = 0; run < runs; run++) {
    service = repo.createService();
    const started = performance.now();
    gitops = core.gitopsModel(service.workspace);
    modelRuns.push(performance.now() - started);
  }
  const clusters = core.clusterSummaries(service.workspace);
  const buildKeys = [...(gitops.builds?.keys() ?? [])];
  let builtObjects = 0;
  let failedBuilds = 0;
  const buildRuns = [];
  for (let run = 0; run < runs; run++) {
    const fresh = repo.createService();
    core.gitopsModel(fresh.workspace);
    builtObjects = 0;
    failedBuilds = 0;
    const started = performance.now();
    for (const key of buildKeys) {
      const build = core.clusterBuild(fresh.workspace, key);
      builtObjects += build?.result.objects.length ?? 0;
      if (!build || build.result.failed) failedBuilds++;
    }
    buildRuns.push(performance.now() - started);
  }

  const edit = editLatency(core, repo, options, runs * 4);
  return {
    files: repo.files.length,
    lines: repo.files.reduce((sum, file) => sum + lineCount(file.text), 0),
    findings,
    check: median(checkRuns),
    checkFirst: checkRuns[0],
    clusters: clusters.length,
    kustomizations: gitops.kustomizations.size,
    model: median(modelRuns),
    builds: buildKeys.length,
    builtObjects,
    failedBuilds,
    build: median(buildRuns),
    edit,
  };
}

/**
 * One-word edits of the file most clusters deploy. Returns undefined when no
 * file has an editable plain scalar.
 */
function editLatency(core, repo, options, edits) {
  const service = repo.createService();
  for (const file of repo.files) service.diagnostics(file.path, options);
  const gitops = core.gitopsModel(service.workspace);
  let best;
  for (const file of repo.files) {
    if (/(^|\/)kustomization\.ya?ml$/.test(file.path)) continue;
    const clusters = core.clustersOf(service.workspace, file.path).length;
    const placements = gitops.placements.get(file.path)?.length ?? 0;
    if (clusters === 0) continue;
    const line = editableLine(file.text);
    if (line === undefined) continue;
    if (!best || clusters > best.clusters || (clusters === best.clusters && placements > best.placements)) best = { file, clusters, placements, line };
  }
  if (!best) return undefined;
  const own = [];
  const all = [];
  for (let run = 0; run < edits; run++) {
    const text = `${best.file.text.slice(0, best.line.end)}x${run}${best.file.text.slice(best.line.end)}`;
    const started = performance.now();
    service.setFile(best.file.path, text);
    service.diagnostics(best.file.path, options);
    const ownDone = performance.now();
    for (const file of repo.files) service.diagnostics(file.path, options);
    own.push(ownDone - started);
    all.push(performance.now() - started);
  }
  service.setFile(best.file.path, best.file.text);
  return {
    file: relative(repo.rootKey, best.file.path),
    line: best.line.number,
    clusters: best.clusters,
    own: median(own),
    all: median(all),
    max: Math.max(...all),
  };
}

/** The last `key: word` line of a file (a plain scalar to type into), as its end offset and 1-based number. */
function editableLine(text) {
  const pattern = /^ +[A-Za-z][\w.-]*: [A-Za-z][\w.-]*[ \t]*$/gm;
  let found;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) found = match;
  if (!found) return undefined;
  const end = found.index + found[0].trimEnd().length;
  return { end, number: lineCount(text.slice(0, end)) };
}

function lineCount(text) {
  let lines = 1;
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) lines++;
  return lines;
}
