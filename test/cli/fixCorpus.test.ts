/**
 * Property test of `check --fix` (issue #12, "Done when"): over every
 * repository of `../shared/repos` and every repository folder of
 * `../shared/corpus/real-world`, run in-process the way the CLI runs it, and
 * assert for every file the fixes wrote:
 * - the result parses (no new YAML problem, same number of documents);
 * - only keys a finding named changed: every changed key path (inside
 *   embedded values blocks too) is named by the title or message of a fix
 *   applied to that file, or is a field the rule's documented migration moves;
 * - a second run changes nothing;
 * - a re-check reports none of the fixable findings the first run fixed.
 * A dry run over the original folder comes first; only folders with fixes are
 * copied to a temporary folder and fixed for real. Prints per-folder numbers
 * (files fixed, findings fixed, fixes refused and why).
 */

import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseArgs } from '../../cli/src/args';
import { runFixes } from '../../cli/src/fixFiles';
import { loadWorkspace, optionsFromFlags } from '../../cli/src/cliContext';
import { parseYamlFile } from '../../core/src/parse/yamlFile';
import { hasShared, SHARED_MISSING, sharedRoot } from '../support/repo';

/** Fields the documented Flux migration moves or drops (docs of flux/deprecated-api-version). */
const MIGRATION_FIELDS = new Set(['apiVersion', 'valuesFile', 'valuesFiles', 'patches', 'patchesStrategicMerge', 'patchesJson6902', 'patch', 'target', 'validation', 'accessFrom', 'gitImplementation']);

/** Segments too common to count as named (every manifest has them). */
const GENERIC_SEGMENTS = new Set(['spec', 'metadata', 'name', 'namespace', 'kind', 'apiVersion', 'values', 'enabled', 'data']);

interface Row {
  folder: string;
  filesFixed: number;
  findingsFixed: number;
  refused: Map<string, number>;
}

const rows: Row[] = [];
const silent = { stdout: () => {}, stderr: () => {} };
const options = optionsFromFlags(parseArgs([], new Set()));

function fixFolder(folder: string, dryRun: boolean) {
  const { service, files, overlay } = loadWorkspace([folder], options);
  const keys = files.map((file) => file.key);
  const outcome = runFixes(service, keys, options, overlay, (key) => key, silent, dryRun);
  return { outcome, service, keys };
}

/** Leaves of a plain value as `path → JSON`, descending into strings that hold a YAML map (embedded values). */
function leaves(value: unknown, path: string[], out: Map<string, string>, depth = 0): Map<string, string> {
  if (depth > 64) return out;
  if (typeof value === 'string' && value.includes('\n') && /^[ ]*[A-Za-z0-9_.-]+:( |$)/m.test(value)) {
    const nested = parseYamlFile(value).documents;
    if (nested.length === 1 && nested[0].parsed.problems.length === 0) {
      const inner = nested[0].parsed.value().value;
      if (inner && typeof inner === 'object' && !Array.isArray(inner)) return leaves(inner, path, out, depth + 1);
    }
  }
  if (value && typeof value === 'object') {
    const entries = Array.isArray(value) ? value.map((item, index) => [`[${index}]`, item] as const) : Object.entries(value);
    if (entries.length === 0) out.set(path.join('.'), JSON.stringify(value));
    for (const [key, child] of entries) leaves(child, [...path, key], out, depth + 1);
    return out;
  }
  out.set(path.join('.'), JSON.stringify(value));
  return out;
}

function changedPaths(before: string, after: string): string[] {
  const docs = (text: string) => parseYamlFile(text).documents.map((document) => document.parsed.value().value);
  const a = docs(before);
  const b = docs(after);
  const changed: string[] = [];
  a.forEach((document, index) => {
    const left = leaves(document, [], new Map());
    const right = leaves(b[index], [], new Map());
    for (const path of new Set([...left.keys(), ...right.keys()])) if (left.get(path) !== right.get(path)) changed.push(path);
  });
  return changed;
}

function problems(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const document of parseYamlFile(text).documents) for (const problem of document.parsed.problems) counts.set(problem.code, (counts.get(problem.code) ?? 0) + 1);
  return counts;
}

function checkFolder(label: string, source: string): void {
  const row: Row = { folder: label, filesFixed: 0, findingsFixed: 0, refused: new Map() };
  rows.push(row);
  const dry = fixFolder(source, true).outcome.plan;
  for (const refusal of dry.refused) row.refused.set(`${refusal.diagnostic.rule}: ${refusal.reason}`, (row.refused.get(`${refusal.diagnostic.rule}: ${refusal.reason}`) ?? 0) + 1);
  expect(dry.converged, `${label}: fixes settle`).toBe(true);
  if (dry.fixed.size === 0) return;

  const copy = mkdtempSync(join(tmpdir(), 'meshlens-fixcorpus-'));
  try {
    cpSync(source, copy, { recursive: true });
    const first = fixFolder(copy, false);
    const plan = first.outcome.plan;
    expect(first.outcome.failed, `${label}: every fixed file written`).toEqual([]);
    row.filesFixed = first.outcome.written.length;
    row.findingsFixed = plan.applied.length;
    expect(plan.fixed.size).toBe(dry.fixed.size);
    for (const [file, fixed] of plan.fixed) {
      const original = plan.original.get(file)!;
      const where = `${label}: ${file.slice(copy.length + 1)}`;
      expect(readFileSync(file, 'utf8'), where).toBe(fixed);
      // Parses: no new YAML problem, same documents.
      const before = problems(original);
      for (const [code, count] of problems(fixed)) expect(count, `${where}: ${code}`).toBeLessThanOrEqual(before.get(code) ?? 0);
      expect(parseYamlFile(fixed).documents.length, where).toBe(parseYamlFile(original).documents.length);
      // Only keys a finding named changed.
      const named = plan.applied.filter((record) => record.files.includes(file));
      // Names compared loosely: `healthChecks` is named by "health checks", `localRedirectPolicies.enabled` by its dotted path.
      const squash = (text: string) => text.toLowerCase().replace(/[^a-z0-9]/g, '');
      const texts = named.map((record) => squash(`${record.fix.title} ${record.diagnostic.message}`));
      const migrates = named.some((record) => record.diagnostic.rule === 'flux/deprecated-api-version');
      for (const path of changedPaths(original, fixed)) {
        const segments = path.split('.').filter((segment) => !/^\[\d+\]$/.test(segment) && !GENERIC_SEGMENTS.has(segment));
        const ok = texts.some((text) => segments.some((segment) => text.includes(squash(segment)))) || (migrates && path.split('.').some((segment) => MIGRATION_FIELDS.has(segment)));
        expect(ok, `${where}: \`${path}\` changed but no applied fix names it (${named.map((record) => record.fix.title).join(' | ')})`).toBe(true);
      }
    }
    // A second run changes nothing, and the fixed findings are gone.
    const second = fixFolder(copy, true);
    expect([...second.outcome.plan.fixed.keys()], `${label}: second run`).toEqual([]);
    const fixedFindings = new Set(plan.applied.map((record) => [record.diagnostic.file, record.diagnostic.rule, record.diagnostic.message].join('\u0000')));
    for (const key of second.keys) {
      for (const diagnostic of second.service.diagnostics(key, options)) {
        if (!diagnostic.fixes?.some((fix) => fix.safe)) continue;
        expect(fixedFindings.has([diagnostic.file, diagnostic.rule, diagnostic.message].join('\u0000')), `${label}: ${diagnostic.rule} still reported after its fix`).toBe(false);
      }
    }
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

const reposRoot = join(sharedRoot, 'repos');
const corpusRoot = join(sharedRoot, 'corpus', 'real-world');
const folders = (root: string) => (existsSync(root) ? readdirSync(root, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort() : []);

describe.skipIf(!hasShared)('check --fix over real repositories', () => {
  for (const name of folders(reposRoot)) {
    it(`repos/${name}`, () => checkFolder(`repos/${name}`, join(reposRoot, name)), 120_000);
  }
  it('corpus/real-world (each repository folder)', () => {
    for (const name of folders(corpusRoot)) checkFolder(`real-world/${name}`, join(corpusRoot, name));
  }, 300_000);

  afterAll(() => {
    const lines = rows
      .filter((row) => row.filesFixed > 0 || row.refused.size > 0)
      .map((row) => `${row.folder}: ${row.filesFixed} files fixed, ${row.findingsFixed} findings fixed${row.refused.size > 0 ? `, refused: ${[...row.refused].map(([reason, count]) => `${count}× ${reason}`).join('; ')}` : ''}`);
    const total = rows.reduce((sum, row) => ({ files: sum.files + row.filesFixed, findings: sum.findings + row.findingsFixed, refused: sum.refused + [...row.refused.values()].reduce((a, b) => a + b, 0) }), { files: 0, findings: 0, refused: 0 });
    console.log(`check --fix over ${rows.length} folders: ${total.files} files fixed, ${total.findings} findings fixed, ${total.refused} fixes refused\n${lines.join('\n')}`);
  });
});

if (!hasShared) console.log(`fixCorpus: ${SHARED_MISSING}`);
