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
        }
        if (!hasFixes) {
          expect(existsSync(fixedPath), `${relative(repoRoot, fixedPath)} exists but no diagnostic offers a fix`).toBe(false);
          continue;
        }
        let text = input;
        let current = diagnostics;
        for (let round = 0; round < 5; round++) {
          const { text: next, applied } = applyPreferredFixes(text, file, current);
          if (applied === 0 || next === text) break;
          text = next;
          service.setFile(file, text);
          current = service.diagnostics(file, options);
        }
        service.setFile(file, input);
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
});
