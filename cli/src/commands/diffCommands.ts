/**
 * `meshlens diff`: what a change does, for pull-request review.
 *
 *   meshlens diff [paths...] --base REF        compare the working tree with a git revision
 *   meshlens diff [paths...] --base-dir DIR    compare with a checked-out copy of the base
 *
 * Both revisions are analysed the same way as `meshlens check`; the report has
 * the findings the change introduces and fixes (unchanged ones are not
 * repeated) and the policy impact per workload (see `core/src/review`).
 *
 * The base of `--base REF` is read with `git ls-tree`/`git cat-file` into a
 * temporary directory (regular files only, size-capped; symlinks are left
 * out), which is removed afterwards. Nothing in the user's repository or its
 * `.git` is written.
 *
 * Exit codes: 0 when nothing matches `--fail-on`, 1 when something does,
 * 2 on usage errors (unknown revision, not a git repository, …).
 */

import { execFileSync } from 'node:child_process';
import { realpathSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import {
  ALL_RULES,
  MeshlensService,
  applyEdits,
  planCiliumUpgrade,
  resolveCiliumTarget,
  type UpgradePlan,
  compareFindings,
  comparePolicies,
  effectiveModels,
  renderReviewMarkdown,
  renderReviewText,
  type AnalysisOptions,
  type Review,
  type ReviewFinding,
} from '../../../core/src/index';
import { checkKnownFlags, flag, UsageError, type ParsedArgs } from '../args';
import { git as runGit, gitTopLevel as findTopLevel, GitError, materializeRevision as writeRevision } from '../../../host/src/gitRevision';
import type { ExtraCommand } from '../cliContext';
import { formatSarif } from '../formats/sarif';
import { loadWorkspace, optionsFromFlags, VERSION, type CliIo } from '../cliContext';

const DIFF_FLAGS = ['base', 'base-dir', 'format', 'fail-on', 'output', 'cilium-version', 'kernel', 'istio-version', 'istio-root-namespace', 'rule', 'no-schema', 'max-file-size', 'help'];
const FORMATS = ['text', 'json', 'markdown', 'sarif'] as const;
const FAIL_ON = ['widened', 'narrowed', 'allow-all', 'dns', 'error', 'warning', 'findings', 'none'] as const;

const DIFF_HELP = `Usage:
  meshlens diff [paths...] (--base REF | --base-dir DIR) [--format text|json|markdown|sarif]
                [--fail-on LIST] [--output FILE]
      what the change from the base to the working tree does: findings introduced and
      fixed, and the policy impact per workload (what is newly allowed or denied, per
      layer, direction, port and L7 rule, with the lines that cause it)
  --base REF        a git revision of the repository holding the paths (e.g. origin/main)
  --base-dir DIR    a directory holding the base revision (same layout as the paths' repository)
  --format          text (default), json, markdown (GitHub job summary / PR comment with a
                    Mermaid graph of the changed edges), sarif (introduced findings on changed lines)
  --fail-on LIST    comma-separated: widened, narrowed, allow-all, dns, error, warning, findings,
                    none (default: error = an introduced error finding)
  Options of check: --cilium-version --kernel --istio-version --istio-root-namespace --rule --no-schema
  Exit codes: 0 nothing matched --fail-on, 1 something did, 2 usage error
`;

const UPGRADE_FLAGS = ['cilium', 'istio', 'flux', 'kernel-target', 'format', 'fail-on', 'output', 'cilium-version', 'flux-version', 'kernel', 'istio-version', 'istio-root-namespace', 'rule', 'no-schema', 'max-file-size', 'help'];

const UPGRADE_HELP = `Usage:
  meshlens upgrade [paths...] [--cilium X.Y[.Z]] [--istio X.Y] [--flux X.Y] [--kernel-target RELEASE]
                   [--format text|json|markdown] [--fail-on LIST] [--output FILE]
      the repository checked against target versions, compared with how it is judged today:
      what breaks or changes (values the chart refuses or ignores, policies whose validity or
      meaning changes, kernel floors, Flux APIs no longer served), what the upgrade fixes, and
      the policy impact; each finding with its quick-fix where one exists
  --cilium     every Cilium HelmRelease's chart version (X.Y = the newest patch meshlens knows)
  --istio      Istio version for AuthorizationPolicy checks
  --flux       Flux version for API lifecycle checks
  --kernel-target  node kernel (uname -r) for files no NodeProfile covers
  Current versions: as pinned in the repository, or --cilium-version --istio-version --flux-version --kernel
  --fail-on    as for diff (default: error = the upgrade introduces an error finding)
  Exit codes: 0 nothing matched --fail-on, 1 something did, 2 usage error
`;

export const DIFF_COMMANDS: ExtraCommand[] = [
  {
    name: 'upgrade',
    usage: 'upgrade [paths] --cilium X.Y',
    summary: 'what breaks or changes when Cilium/Istio/Flux/the kernel are upgraded',
    run: (args, io) => {
      if (args.flags.has('help')) {
        io.stdout(UPGRADE_HELP);
        return 0;
      }
      return upgradeCommand(args, io);
    },
  },
  {
    name: 'diff',
    usage: 'diff [paths] --base REF',
    summary: 'findings introduced/fixed and policy impact of a change (for PR review)',
    run: (args, io) => {
      if (args.flags.has('help')) {
        io.stdout(DIFF_HELP);
        return 0;
      }
      return diffCommand(args, io);
    },
  },
];

interface Revision {
  /** Directory whose layout mirrors the repository root. */
  root: string;
  /** The paths to analyse, inside `root`. */
  paths: string[];
}

function diffCommand(args: ParsedArgs, io: CliIo): number {
  checkKnownFlags(args, DIFF_FLAGS);
  const format = flag(args, 'format') ?? 'text';
  if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be ${FORMATS.join(', ')}, not "${format}"`);
  const failOn = (flag(args, 'fail-on') ?? 'error').split(',').map((item) => item.trim());
  for (const item of failOn) if (!(FAIL_ON as readonly string[]).includes(item)) throw new UsageError(`--fail-on takes ${FAIL_ON.join(', ')}; got "${item}"`);
  const baseRef = flag(args, 'base');
  const baseDir = flag(args, 'base-dir');
  if ((baseRef === undefined) === (baseDir === undefined)) throw new UsageError('give exactly one of --base REF and --base-dir DIR');
  const options = optionsFromFlags(args);
  const headPaths = (args.positionals.length ? args.positionals : ['.']).map((path) => resolve(path));
  for (const path of headPaths) {
    try {
      statSync(path);
    } catch {
      throw new UsageError(`no such file or directory: ${path}`);
    }
  }

  let cleanup: (() => void) | undefined;
  try {
    let headRoot: string;
    let base: Revision;
    let changedLines: Map<string, Set<number> | 'all'>;
    if (baseRef !== undefined) {
      headRoot = gitTopLevel(headPaths[0]);
      const relativePaths = headPaths.map((path) => toPosix(relative(headRoot, realpathSync(path))));
      if (relativePaths.some((path) => path.startsWith('..'))) throw new UsageError('every path must be inside the same git repository');
      const materialized = materializeRevision(headRoot, baseRef, relativePaths);
      cleanup = materialized.cleanup;
      base = { root: materialized.root, paths: relativePaths.map((path) => join(materialized.root, path || '.')) };
      changedLines = gitChangedLines(headRoot, ['diff', '-U0', '--no-color', '--no-ext-diff', baseRef, '--', ...relativePaths.map((path) => path || '.')]);
      // Files git does not track yet are new as a whole.
      const untracked = git(headRoot, ['ls-files', '-z', '--others', '--exclude-standard', '--', ...relativePaths.map((path) => path || '.')]).toString();
      for (const path of untracked.split('\0')) if (path) changedLines.set(path, 'all');
    } else {
      const baseRoot = resolve(baseDir!);
      try {
        if (!statSync(baseRoot).isDirectory()) throw new Error('not a directory');
      } catch {
        throw new UsageError(`--base-dir: not a directory: ${baseDir}`);
      }
      headRoot = commonRoot(headPaths);
      const relativePaths = headPaths.map((path) => toPosix(relative(headRoot, path)));
      base = { root: baseRoot, paths: relativePaths.map((path) => join(baseRoot, path || '.')) };
      changedLines = directoryChangedLines(baseRoot, headRoot);
    }

    const head = analyse({ root: headRoot, paths: headPaths }, options);
    const before = analyse(base, options);
    const review: Review = {
      baseLabel: baseRef ?? toPosix(baseDir!),
      headLabel: baseRef !== undefined ? 'working tree' : args.positionals.join(' ') || '.',
      findings: compareFindings(before.findings, head.findings),
      impact: comparePolicies(before.models, head.models),
    };
    // Sources of the base revision are shown with their repository-relative path.
    const shown = JSON.parse(JSON.stringify(review), (key, value) => (key === 'file' && typeof value === 'string' ? displayPath(value, headRoot, base.root) : value)) as Review;
    const output = render(shown, format as (typeof FORMATS)[number], changedLines, options);
    const outputFile = flag(args, 'output');
    if (outputFile) writeFileSync(outputFile, output);
    else io.stdout(output);
    return failed(shown, failOn) ? 1 : 0;
  } finally {
    cleanup?.();
  }
}

interface Analysis {
  findings: ReviewFinding[];
  models: ReturnType<typeof effectiveModels>;
}

function analyse(revision: Revision, options: AnalysisOptions): Analysis {
  const { service, files } = loadWorkspace(revision.paths, options);
  return analyseService(service, files, revision.root, options);
}

function analyseService(service: MeshlensService, files: readonly { key: string }[], root: string, options: AnalysisOptions): Analysis {
  return service.reviewSnapshot(
    files.map((file) => file.key),
    (file) => toPosix(relative(root, file)),
    options,
  );
}

function render(review: Review, format: (typeof FORMATS)[number], changed: Map<string, Set<number> | 'all'>, options: AnalysisOptions): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify({ base: review.baseLabel, head: review.headLabel, findings: review.findings, impact: review.impact }, null, 2)}\n`;
    case 'markdown':
      return renderReviewMarkdown(review);
    case 'sarif': {
      const onChangedLines = review.findings.introduced.filter((finding) => {
        const lines = changed.get(finding.file);
        return lines === 'all' || (lines !== undefined && lines.has(finding.line));
      });
      const diagnostics = onChangedLines.map((finding) => ({
        file: finding.file,
        line: finding.line,
        column: finding.column,
        endLine: finding.line,
        endColumn: finding.column,
        severity: finding.severity as 'error',
        rule: finding.rule,
        message: finding.message,
        docsUrl: `${options.docsBaseUrl}/${finding.rule}.md`,
      }));
      const summary = { files: new Set(diagnostics.map((item) => item.file)).size, filesWithFindings: 0, errors: 0, warnings: 0, infos: 0, hints: 0, durationMs: 0 };
      return formatSarif({ diagnostics, summary }, ALL_RULES, VERSION, options.docsBaseUrl);
    }
    default:
      return renderReviewText(review);
  }
}

function failed(review: Review, failOn: string[]): boolean {
  const changes = review.impact.changes;
  return failOn.some((condition) => {
    switch (condition) {
      case 'widened':
        return changes.some((change) => change.effect === 'widened');
      case 'narrowed':
        return changes.some((change) => change.effect === 'narrowed');
      case 'allow-all':
        return changes.some((change) => change.allowAll);
      case 'dns':
        return changes.some((change) => change.dnsLost);
      case 'error':
        return review.findings.introduced.some((finding) => finding.severity === 'error');
      case 'warning':
        return review.findings.introduced.some((finding) => finding.severity === 'error' || finding.severity === 'warning');
      case 'findings':
        return review.findings.introduced.length > 0;
      default:
        return false;
    }
  });
}

// ---------------------------------------------------------------- git

/** Git failures are usage errors of the command (unknown revision, not a repository). */
function asUsage<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof GitError) throw new UsageError(error.message);
    throw error;
  }
}

function git(cwd: string, args: string[], input?: string): Buffer {
  return asUsage(() => runGit(cwd, args, input));
}

function gitTopLevel(path: string): string {
  return asUsage(() => findTopLevel(path));
}

function materializeRevision(top: string, ref: string, paths: string[]): { root: string; cleanup: () => void } {
  return asUsage(() => writeRevision(top, ref, paths));
}


/** Lines of the head revision that a unified diff (`-U0`) marks as added or changed, by repository-relative file. */
function gitChangedLines(cwd: string, args: string[], stripPrefix?: string): Map<string, Set<number> | 'all'> {
  let text: string;
  try {
    text = execFileSync('git', args, { cwd, maxBuffer: 512 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
  } catch (error) {
    // `git diff --no-index` exits 1 when the trees differ.
    const stdout = (error as { stdout?: Buffer; status?: number }).stdout;
    if ((error as { status?: number }).status !== 1 || !stdout) throw new UsageError('git diff failed');
    text = stdout.toString();
  }
  const result = new Map<string, Set<number> | 'all'>();
  let current: string | undefined;
  for (const line of text.split('\n')) {
    if (line.startsWith('+++ ')) {
      const target = line.slice(4);
      current = target === '/dev/null' ? undefined : target.replace(/^b\//, '');
      if (current !== undefined && stripPrefix !== undefined) current = current.startsWith(stripPrefix) ? current.slice(stripPrefix.length) : current;
      continue;
    }
    const hunk = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/.exec(line);
    if (!hunk || current === undefined) continue;
    const oldStart = Number(hunk[1]);
    const oldCount = hunk[2] === undefined ? 1 : Number(hunk[2]);
    const start = Number(hunk[3]);
    const count = hunk[4] === undefined ? 1 : Number(hunk[4]);
    if (oldStart === 0 && oldCount === 0) {
      result.set(current, 'all');
      continue;
    }
    let lines = result.get(current);
    if (lines === 'all') continue;
    if (!lines) result.set(current, (lines = new Set()));
    for (let number = start; number < start + count; number++) lines.add(number);
  }
  return result;
}

function directoryChangedLines(baseRoot: string, headRoot: string): Map<string, Set<number> | 'all'> {
  const a = toPosix(baseRoot);
  const b = toPosix(headRoot);
  const lines = gitChangedLines(headRoot, ['diff', '--no-index', '-U0', '--no-color', '--no-ext-diff', '--', a, b], `${b.replace(/^\//, '')}/`);
  return lines;
}

function commonRoot(paths: string[]): string {
  const dirs = paths.map((path) => (statSync(path).isDirectory() ? path : dirname(path)));
  let root = dirs[0];
  while (!dirs.every((dir) => dir === root || dir.startsWith(root + sep))) root = dirname(root);
  return root;
}

function displayPath(file: string, headRoot: string, baseRoot: string): string {
  for (const root of [baseRoot, headRoot]) {
    if (file === root || file.startsWith(root + sep)) return toPosix(relative(root, file));
  }
  return toPosix(file);
}

function toPosix(path: string): string {
  return path.split(sep).join('/');
}

// ---------------------------------------------------------------- upgrade

function upgradeCommand(args: ParsedArgs, io: CliIo): number {
  checkKnownFlags(args, UPGRADE_FLAGS);
  const format = flag(args, 'format') ?? 'text';
  if (!['text', 'json', 'markdown'].includes(format)) throw new UsageError(`--format must be text, json or markdown, not "${format}"`);
  const failOn = (flag(args, 'fail-on') ?? 'error').split(',').map((item) => item.trim());
  for (const item of failOn) if (!(FAIL_ON as readonly string[]).includes(item)) throw new UsageError(`--fail-on takes ${FAIL_ON.join(', ')}; got "${item}"`);
  const cilium = flag(args, 'cilium');
  const istio = flag(args, 'istio');
  const flux = flag(args, 'flux');
  const kernel = flag(args, 'kernel-target');
  if (cilium === undefined && istio === undefined && flux === undefined && kernel === undefined) throw new UsageError('name at least one target: --cilium, --istio, --flux or --kernel-target');
  if (istio !== undefined && !/^v?1\.\d{1,3}(\.\d{1,3})?$/.test(istio)) throw new UsageError(`--istio expects a version like 1.24, got "${istio}"`);
  if (flux !== undefined && !/^v?2\.\d{1,3}(\.\d{1,3})?$/.test(flux)) throw new UsageError(`--flux expects a version like 2.8, got "${flux}"`);
  if (kernel !== undefined && !/^\d+\.\d+/.test(kernel)) throw new UsageError(`--kernel-target expects a kernel release like 6.1.0-18-amd64, got "${kernel}"`);
  const ciliumTarget = cilium === undefined ? undefined : resolveCiliumTarget(cilium);
  if (ciliumTarget && 'error' in ciliumTarget) throw new UsageError(`--cilium: ${ciliumTarget.error}`);

  const current = optionsFromFlags(args);
  const target: AnalysisOptions = {
    ...current,
    ...(istio !== undefined ? { istioVersion: istio.replace(/^v/, '') } : {}),
    ...(flux !== undefined ? { fluxVersion: flux.replace(/^v/, '') } : {}),
    ...(kernel !== undefined ? { kernelVersion: kernel } : {}),
  };
  const paths = args.positionals.length ? args.positionals : ['.'];
  const root = commonRoot(paths.map((path) => resolve(path)));
  const before = loadWorkspace(paths, current);
  const after = loadWorkspace(paths, target);
  const plan: UpgradePlan = ciliumTarget && 'version' in ciliumTarget ? planCiliumUpgrade(before.service.workspace, ciliumTarget.version) : { edits: [], notes: [] };
  const byFile = new Map<string, typeof plan.edits>();
  for (const edit of plan.edits) byFile.set(edit.file, [...(byFile.get(edit.file) ?? []), edit]);
  for (const [file, edits] of byFile) {
    const text = before.service.workspace.getFile(file)?.text;
    if (text === undefined) continue;
    const changed = applyEdits(text, edits).text;
    after.overlay.set(file, changed);
    after.service.setFile(file, changed);
  }
  const targets = [
    ciliumTarget && 'version' in ciliumTarget ? `Cilium ${ciliumTarget.version}` : undefined,
    istio !== undefined ? `Istio ${istio}` : undefined,
    flux !== undefined ? `Flux ${flux}` : undefined,
    kernel !== undefined ? `kernel ${kernel}` : undefined,
  ].filter(Boolean);
  const review: Review = {
    baseLabel: 'today',
    headLabel: `after upgrading to ${targets.join(', ')}`,
    findings: compareFindings(analyseService(before.service, before.files, root, current).findings, analyseService(after.service, after.files, root, target).findings),
    impact: comparePolicies(effectiveModels(before.service.workspace, current), effectiveModels(after.service.workspace, target)),
  };
  const steps = {
    edits: plan.edits.map((edit) => ({ file: toPosix(relative(root, edit.file)), line: edit.line, change: edit.what })),
    notes: plan.notes.map((note) => ({ file: toPosix(relative(root, note.file)), line: note.line, message: note.message })),
  };
  const shown = JSON.parse(JSON.stringify(review), (key, value) => (key === 'file' && typeof value === 'string' ? displayPath(value, root, root) : value)) as Review;
  let output: string;
  if (format === 'json') {
    output = `${JSON.stringify({ targets, steps, findings: shown.findings, impact: shown.impact }, null, 2)}\n`;
  } else if (format === 'markdown') {
    const lines = ['#### Upgrade steps meshlens applied before checking', ''];
    for (const edit of steps.edits) lines.push(`- \`${edit.file}:${edit.line}\` ${edit.change}`);
    for (const note of steps.notes) lines.push(`- ⚠️ \`${note.file}:${note.line}\` ${note.message}`);
    if (!steps.edits.length && !steps.notes.length) lines.push('- none (only the versions meshlens assumes changed)');
    output = `${renderReviewMarkdown(shown)}\n${lines.join('\n')}\n`;
  } else {
    const lines = ['upgrade steps applied before checking:'];
    for (const edit of steps.edits) lines.push(`  ${edit.file}:${edit.line}: ${edit.change}`);
    for (const note of steps.notes) lines.push(`  ${note.file}:${note.line}: note: ${note.message}`);
    if (!steps.edits.length && !steps.notes.length) lines.push('  none (only the versions meshlens assumes changed)');
    output = `${lines.join('\n')}\n${renderReviewText(shown)}`;
  }
  const outputFile = flag(args, 'output');
  if (outputFile) writeFileSync(outputFile, output);
  else io.stdout(output);
  return failed(shown, failOn) ? 1 : 0;
}
