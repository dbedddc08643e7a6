/**
 * Conformance of the whole core (MeshlensService, every rule) on real Flux
 * repositories from ../shared/corpus (resolved relative to the repository
 * root; the tests skip with a message when that folder is absent):
 * - flux-examples/ (fluxcd/flux2-kustomize-helm-example) must produce no
 *   error-severity diagnostic beyond the allow-list below;
 * - real-world/ and real-world-history/ must not crash any rule; what the
 *   flux/* rules find there is printed as a summary (no assertion on counts).
 */

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../../core/src/diagnostics';
import { defaultAnalysisOptions } from '../../../core/src/options';
import { MeshlensService } from '../../../core/src/service';
import { hasShared, SHARED_MISSING, sharedRoot } from '../../support/repo';

const corpus = join(sharedRoot, 'corpus');

/** Error diagnostics in flux-examples that are expected, with the reason. */
const FLUX_EXAMPLES_ALLOWED_ERRORS: { file: RegExp; rule: string; reason: string }[] = [
  // Empty: apps/*/podinfo-values.yaml are kustomize patches (partial HelmReleases), which
  // schema/missing-required and the flux/* rules recognise through the overlay's kustomization.yaml.
];

function yamlFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir)) {
    const full = join(dir, entry);
    const stat = statSync(full);
    if (stat.isDirectory()) files.push(...yamlFiles(full));
    else if (/\.ya?ml$/.test(entry)) files.push(full);
  }
  return files.sort();
}

interface WorkspaceRun {
  diagnostics: Diagnostic[];
  ruleErrors: string[];
}

function analyseFolder(root: string): WorkspaceRun {
  const ruleErrors: string[] = [];
  const service = new MeshlensService({
    roots: [root],
    host: { readFile: (path) => (existsSync(path) ? readFileSync(path, 'utf8') : undefined) },
    hooks: { onRuleError: (ruleId, file, error) => ruleErrors.push(`${ruleId} on ${relative(corpus, file)}: ${String(error)}`) },
  });
  const files = yamlFiles(root);
  for (const file of files) service.setFile(file, readFileSync(file, 'utf8'));
  const options = defaultAnalysisOptions();
  const diagnostics = files.flatMap((file) => service.diagnostics(file, options));
  return { diagnostics, ruleErrors };
}

if (!hasShared) console.log(`fluxCorpus: ${SHARED_MISSING}`);

describe.skipIf(!hasShared)('Flux conformance: flux2-kustomize-helm-example', () => {
  it('reports no error beyond the allow-list and no rule crashes', () => {
    const root = join(corpus, 'flux-examples');
    const { diagnostics, ruleErrors } = analyseFolder(root);
    expect(ruleErrors).toEqual([]);
    const unexpected = diagnostics
      .filter((diagnostic) => diagnostic.severity === 'error')
      .filter((diagnostic) => !FLUX_EXAMPLES_ALLOWED_ERRORS.some((allowed) => allowed.rule === diagnostic.rule && allowed.file.test(diagnostic.file)))
      .map((diagnostic) => `${relative(root, diagnostic.file)}:${diagnostic.range.start.line + 1} ${diagnostic.rule}: ${diagnostic.message}`);
    expect(unexpected).toEqual([]);
    const fluxFindings = diagnostics.filter((diagnostic) => diagnostic.rule.startsWith('flux/'));
    console.log(
      `flux-examples: ${diagnostics.length} diagnostics, flux/* findings:\n${fluxFindings.map((d) => `  ${d.severity} ${d.rule} ${relative(root, d.file)}:${d.range.start.line + 1}`).join('\n') || '  (none)'}`,
    );
  });
});

/** One workspace per repository (real-world) or per snapshot (real-world-history). */
function workspaceRoots(folder: string, depth: number): string[] {
  const base = join(corpus, folder);
  if (!existsSync(base)) return [];
  let roots = [base];
  for (let level = 0; level < depth; level++) {
    roots = roots.flatMap((root) =>
      readdirSync(root)
        .map((entry) => join(root, entry))
        .filter((path) => statSync(path).isDirectory()),
    );
  }
  return roots.sort();
}

describe.skipIf(!hasShared)('Flux rules on the real-world corpus', () => {
  for (const [folder, depth] of [
    ['real-world', 1],
    ['real-world-history', 2],
  ] as const) {
    it(`${folder}: no rule crashes; summary of flux/* findings`, () => {
      const counts = new Map<string, { count: number; severities: Set<string>; examples: string[] }>();
      const crashes: string[] = [];
      const roots = workspaceRoots(folder, depth);
      for (const root of roots) {
        const { diagnostics, ruleErrors } = analyseFolder(root);
        crashes.push(...ruleErrors);
        for (const diagnostic of diagnostics) {
          if (!diagnostic.rule.startsWith('flux/')) continue;
          const entry = counts.get(diagnostic.rule) ?? { count: 0, severities: new Set<string>(), examples: [] };
          entry.count++;
          entry.severities.add(diagnostic.severity);
          if (entry.examples.length < 3) entry.examples.push(`${relative(corpus, diagnostic.file)}:${diagnostic.range.start.line + 1} ${diagnostic.message}`);
          counts.set(diagnostic.rule, entry);
        }
      }
      const lines = [`${folder}: ${roots.length} workspaces`, '| rule | findings | severities |', '|---|---|---|'];
      for (const [rule, entry] of [...counts].sort((a, b) => b[1].count - a[1].count)) lines.push(`| ${rule} | ${entry.count} | ${[...entry.severities].join(', ')} |`);
      for (const [rule, entry] of counts) {
        lines.push(`${rule} examples:`);
        for (const example of entry.examples) lines.push(`  - ${example}`);
      }
      console.log(lines.join('\n'));
      expect(crashes).toEqual([]);
    });
  }
});
