/**
 * Runs every fixture under test/fixtures/<family>/<rule>/ through the core:
 * `<case>.yaml` (one file) or `<case>/` (several files, for cross-file rules),
 * optional `<case>.options.json` / `<case>/options.json` with AnalysisOptions,
 * and `.fixed.yaml` siblings for quick-fix results. See support/fixtureHarness.ts.
 */

import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MeshlensService } from '../core/src/service';
import { defaultAnalysisOptions, type AnalysisOptions } from '../core/src/options';
import { ALL_RULES } from '../core/src/rules/index';
import { applyPreferredFixes, renderAnnotated, stripAnnotations } from './support/fixtureHarness';
import { repoRoot } from './support/repo';

const fixturesRoot = join(repoRoot, 'test', 'fixtures');
const update = process.env.UPDATE_EXPECT === '1';

interface FixtureCase {
  name: string;
  ruleDir: string;
  files: string[];
  optionsFile?: string;
}

function collectCases(): FixtureCase[] {
  const cases: FixtureCase[] = [];
  if (!existsSync(fixturesRoot)) return cases;
  for (const family of readdirSync(fixturesRoot)) {
    const familyDir = join(fixturesRoot, family);
    if (!statSync(familyDir).isDirectory()) continue;
    for (const rule of readdirSync(familyDir)) {
      const ruleDir = join(familyDir, rule);
      if (!statSync(ruleDir).isDirectory()) continue;
      for (const entry of readdirSync(ruleDir).sort()) {
        const full = join(ruleDir, entry);
        if (statSync(full).isDirectory()) {
          const files = listYaml(full);
          const optionsFile = join(full, 'options.json');
          cases.push({ name: `${family}/${rule}/${entry}/`, ruleDir, files, optionsFile: existsSync(optionsFile) ? optionsFile : undefined });
        } else if (/\.ya?ml$/.test(entry) && !/\.fixed\.ya?ml$/.test(entry)) {
          const optionsFile = full.replace(/\.ya?ml$/, '.options.json');
          cases.push({ name: `${family}/${rule}/${entry}`, ruleDir, files: [full], optionsFile: existsSync(optionsFile) ? optionsFile : undefined });
        }
      }
    }
  }
  return cases;
}

function listYaml(dir: string): string[] {
  const result: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) result.push(...listYaml(full));
    else if (/\.ya?ml$/.test(entry) && !/\.fixed\.ya?ml$/.test(entry)) result.push(full);
  }
  return result;
}

function fixedPathOf(file: string): string {
  return file.replace(/\.(ya?ml)$/, '.fixed.$1');
}

const cases = collectCases();

/** Fix rounds before a fixture counts as not converging (each round re-analyses the fixed text). */
const MAX_FIX_ROUNDS = 5;

/** Safety of every fix seen per rule across all fixtures, checked against `meta.fix` at the end. */
const fixSafetySeen = new Map<string, Set<boolean>>();
function recordFixSafety(ruleId: string, safe: boolean): void {
  let seen = fixSafetySeen.get(ruleId);
  if (!seen) fixSafetySeen.set(ruleId, (seen = new Set()));
  seen.add(safe);
}

describe('rule fixtures', () => {
  it('exist', () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  for (const fixture of cases) {
    it(fixture.name, () => {
      const options: AnalysisOptions = defaultAnalysisOptions(fixture.optionsFile ? JSON.parse(readFileSync(fixture.optionsFile, 'utf8')) : {});
      const caseRoot = fixture.files.length === 1 && !fixture.name.endsWith('/') ? fixture.ruleDir : join(fixture.ruleDir, fixture.name.split('/')[2]);
      const service = new MeshlensService({
        roots: [caseRoot],
        host: { readFile: (path) => (existsSync(path) ? readFileSync(path, 'utf8') : undefined) },
      });
      const inputs = new Map<string, { annotated: string; input: string }>();
      for (const file of fixture.files) {
        const annotated = readFileSync(file, 'utf8');
        const input = stripAnnotations(annotated);
        inputs.set(file, { annotated, input });
        service.setFile(file, input);
      }
      for (const [file, { annotated, input }] of inputs) {
        const diagnostics = service.diagnostics(file, options);
        const rendered = renderAnnotated(input, diagnostics);
        const label = relative(repoRoot, file);
        if (update && rendered !== annotated) writeFileSync(file, rendered);
        else expect(rendered, `diagnostics of ${label}`).toBe(annotated);

        // Quick-fix results: iterate until no fix applies (or 5 rounds).
        const fixedPath = fixedPathOf(file);
        const hasFixes = diagnostics.some((diagnostic) => (diagnostic.fixes?.length ?? 0) > 0);
        for (const diagnostic of diagnostics) {
          const rule = ALL_RULES.find((candidate) => candidate.meta.id === diagnostic.rule);
          if (diagnostic.fixes?.length) expect(rule?.meta.fix, `${diagnostic.rule} offers fixes, so its meta must declare one`).toBeDefined();
          for (const fix of diagnostic.fixes ?? []) recordFixSafety(diagnostic.rule, fix.safe);
        }
        if (!hasFixes) {
          expect(existsSync(fixedPath), `${relative(repoRoot, fixedPath)} exists but no diagnostic offers a fix`).toBe(false);
          continue;
        }
        let text = input;
        let current = diagnostics;
        let converged = false;
        for (let round = 0; round < MAX_FIX_ROUNDS; round++) {
          const { text: next, applied } = applyPreferredFixes(text, file, current);
          if (applied === 0 || next === text) {
            converged = true;
            break;
          }
          text = next;
          service.setFile(file, text);
          current = service.diagnostics(file, options);
        }
        service.setFile(file, input);
        const pending = current.filter((diagnostic) => (diagnostic.fixes?.length ?? 0) > 0).map((diagnostic) => `${diagnostic.rule} at line ${diagnostic.range.start.line + 1}`);
        expect(converged, `fixes of ${label} do not converge: after ${MAX_FIX_ROUNDS} rounds fixes still apply (${pending.join(', ')})`).toBe(true);
        if (update) {
          writeFileSync(fixedPath, text);
        } else {
          expect(existsSync(fixedPath), `a fix is offered in ${label}, so ${relative(repoRoot, fixedPath)} must exist (UPDATE_EXPECT=1 writes it)`).toBe(true);
          expect(text, `fixed text of ${label}`).toBe(readFileSync(fixedPath, 'utf8'));
        }
        const yamlProblems = (source: string) => {
          const reparsed = new MeshlensService();
          reparsed.setFile('fixed.yaml', source);
          return reparsed.diagnostics('fixed.yaml', options).filter((diagnostic) => diagnostic.rule.startsWith('yaml/')).length;
        };
        expect(yamlProblems(text), 'fixes must not make the YAML worse').toBeLessThanOrEqual(yamlProblems(input));
      }
    });
  }

  it('every rule has a fixture folder with at least one case', () => {
    const missing = ALL_RULES.map((rule) => rule.meta.id).filter((id) => !cases.some((fixture) => fixture.name.startsWith(`${id}/`)));
    expect(missing, 'rules without test/fixtures/<family>/<rule>/ cases').toEqual([]);
  });

  it('fix safety declared in meta matches the fixes rules emit', () => {
    const mismatches: string[] = [];
    for (const rule of ALL_RULES) {
      const seen = fixSafetySeen.get(rule.meta.id);
      const declared = rule.meta.fix;
      if (!declared) {
        if (seen) mismatches.push(`${rule.meta.id}: emits fixes but meta.fix is absent`);
        continue;
      }
      if (!seen) {
        mismatches.push(`${rule.meta.id}: meta.fix is declared but no fixture shows a fix`);
        continue;
      }
      const expected = declared.safe === 'varies' ? [false, true] : [declared.safe];
      const actual = [...seen].sort();
      if (JSON.stringify(actual) !== JSON.stringify(expected)) mismatches.push(`${rule.meta.id}: meta.fix.safe is ${JSON.stringify(declared.safe)} but its fixes are ${actual.map((safe) => (safe ? 'safe' : 'unsafe')).join(' and ')}`);
    }
    expect(mismatches).toEqual([]);
  });
});
