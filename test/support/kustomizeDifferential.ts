/**
 * Differential check of the build engine against `kubectl kustomize`: builds
 * every kustomization directory of the shared GitOps repositories with both,
 * and compares the object sets (order-insensitive, values deep-equal after
 * both outputs are read by the same YAML reader).
 *
 * Successful kubectl outputs are cached outside the repository (the OS temp
 * directory), keyed by the kubectl version and the content of every file the
 * build read, so a rerun on an unchanged tree does not start kubectl again; a
 * fresh machine (CI) always runs kubectl.
 */

import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { buildKustomization } from '../../core/src/build/index';
import { parseYamlFile } from '../../core/src/parse/yamlFile';
import { yamlValue } from '../../core/src/build/yamlValue';
import { diskBuildFs } from './buildFs';

export interface DifferentialCase {
  /** Repository root on disk and the directory inside it. */
  root: string;
  dir: string;
  label: string;
}

export type Verdict = 'identical' | 'different' | 'both-fail' | 'only-we-fail' | 'only-kubectl-fails';

export interface DifferentialResult {
  case: DifferentialCase;
  verdict: Verdict;
  detail?: string;
}

const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

let kubectlVersion = '';

export function kubectlAvailable(): boolean {
  const result = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
  kubectlVersion = result.stdout ?? '';
  return result.status === 0 && /Kustomize Version: v5/.test(result.stdout);
}

const CACHE_DIR = join(tmpdir(), 'meshlens-kustomize-differential');

function cacheKey(root: string, dir: string, files: string[]): string {
  const hash = createHash('sha256').update(kubectlVersion).update('\0').update(dir);
  for (const file of files) {
    hash.update('\0').update(file).update('\0');
    try {
      hash.update(readFileSync(join(root, file)));
    } catch {
      hash.update('<missing>');
    }
  }
  return hash.digest('hex');
}

async function cachedKubectlBuild(root: string, dir: string, files: string[]): Promise<{ ok: boolean; stdout: string; stderr: string }> {
  const key = cacheKey(root, dir, files);
  const path = join(CACHE_DIR, `${key}.yaml`);
  if (existsSync(path)) return { ok: true, stdout: readFileSync(path, 'utf8'), stderr: '' };
  const result = await kubectlBuild(join(root, dir));
  if (result.ok) {
    try {
      mkdirSync(CACHE_DIR, { recursive: true });
      writeFileSync(path, result.stdout);
    } catch {
      // The cache is an optimisation only.
    }
  }
  return result;
}

/** Every directory holding a kustomization file below each root. */
export function collectCases(roots: Array<{ root: string; label: string }>): DifferentialCase[] {
  const cases: DifferentialCase[] = [];
  for (const { root, label } of roots) {
    if (!existsSync(root)) continue;
    const walk = (dir: string) => {
      const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
      if (entries.some((entry) => entry.isFile() && KUSTOMIZATION_FILES.includes(entry.name))) {
        const rel = relative(root, dir).split('\\').join('/');
        cases.push({ root, dir: rel, label: `${label}/${rel}` });
      }
      for (const entry of entries) if (entry.isDirectory() && entry.name !== '.git' && entry.name !== 'node_modules') walk(join(dir, entry.name));
    };
    walk(root);
  }
  return cases;
}

/** Key-order-independent JSON text of a value, for comparing built objects. */
export function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  return `{${Object.keys(value as Record<string, unknown>)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
    .join(',')}}`;
}

function readObjects(text: string): unknown[] {
  const file = parseYamlFile(text, undefined, { maxFileBytes: 512 * 1024 * 1024 });
  const objects: unknown[] = [];
  for (const document of file.documents) {
    const value = yamlValue(document.parsed.root).value;
    if (value !== null && value !== undefined) objects.push(value);
  }
  return objects;
}

function kubectlBuild(path: string): Promise<{ ok: boolean; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('kubectl', ['kustomize', path], { maxBuffer: 256 * 1024 * 1024, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ ok: !error, stdout, stderr: String(stderr) });
    });
  });
}

function describe(ours: string[], theirs: string[]): string {
  const mine = new Map<string, number>();
  for (const key of ours) mine.set(key, (mine.get(key) ?? 0) + 1);
  const onlyTheirs: string[] = [];
  for (const key of theirs) {
    const count = mine.get(key) ?? 0;
    if (count > 0) mine.set(key, count - 1);
    else onlyTheirs.push(key);
  }
  const onlyOurs = [...mine].flatMap(([key, count]) => Array(count).fill(key) as string[]);
  const id = (text: string) => {
    try {
      const value = JSON.parse(text) as { kind?: string; metadata?: { name?: string; namespace?: string } };
      return `${value.kind}/${value.metadata?.namespace ? `${value.metadata.namespace}/` : ''}${value.metadata?.name}`;
    } catch {
      return text.slice(0, 80);
    }
  };
  return `${ours.length} vs ${theirs.length} objects; only ours: ${onlyOurs.map(id).slice(0, 4).join(', ') || '-'}; only kubectl: ${onlyTheirs.map(id).slice(0, 4).join(', ') || '-'}`;
}

export async function runDifferential(cases: DifferentialCase[], concurrency = 3): Promise<DifferentialResult[]> {
  const results: DifferentialResult[] = new Array(cases.length);
  let next = 0;
  const fsByRoot = new Map<string, ReturnType<typeof diskBuildFs>>();
  const worker = async () => {
    while (next < cases.length) {
      const index = next++;
      const testCase = cases[index];
      let fs = fsByRoot.get(testCase.root);
      if (!fs) {
        fs = diskBuildFs(testCase.root);
        fsByRoot.set(testCase.root, fs);
      }
      const ours = buildKustomization(fs, testCase.dir);
      // Only a build that read its whole input is a safe cache key; failed builds always ask kubectl.
      const reference = ours.failed || ours.incomplete ? await kubectlBuild(join(testCase.root, testCase.dir)) : await cachedKubectlBuild(testCase.root, testCase.dir, ours.files);
      const firstError = ours.notes.find((note) => note.kind !== 'unsupported' || ours.failed)?.message;
      if (!reference.ok) {
        results[index] = ours.failed || ours.incomplete
          ? { case: testCase, verdict: 'both-fail', detail: `kubectl: ${reference.stderr.trim().split('\n').pop()?.slice(0, 200)}; ours: ${firstError}` }
          : { case: testCase, verdict: 'only-kubectl-fails', detail: reference.stderr.trim().slice(0, 300) };
        continue;
      }
      if (ours.failed) {
        results[index] = { case: testCase, verdict: 'only-we-fail', detail: firstError };
        continue;
      }
      const theirs = readObjects(reference.stdout).map(canonical).sort();
      const mine = ours.objects.map((object) => canonical(object.value)).sort();
      const same = theirs.length === mine.length && theirs.every((entry, position) => entry === mine[position]);
      results[index] = same ? { case: testCase, verdict: 'identical' } : { case: testCase, verdict: 'different', detail: describe(mine, theirs) };
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return results;
}
