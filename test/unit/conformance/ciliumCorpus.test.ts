/**
 * Conformance: the whole core (MeshlensService, every rule) over the Cilium
 * project's own example policies. They are applied in Cilium's CI, so an
 * error-severity finding on them is a bug in our rules or schemas — unless
 * the file is listed in ALLOWED_ERRORS below with the reason it is a real bug
 * in that file.
 *
 * Reads `../shared/corpus/cilium-examples/` beside the repository (resolved
 * from the repo root: `path.resolve(repoRoot, '..', 'shared')`); skipped with
 * a message when that folder is absent.
 */

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultAnalysisOptions } from '../../../core/src/options';
import { MeshlensService } from '../../../core/src/service';
import type { Diagnostic } from '../../../core/src/diagnostics';
import { sharedRoot } from '../../support/repo';

const corpusRoot = join(sharedRoot, 'corpus', 'cilium-examples');
const hasCorpus = existsSync(corpusRoot);
if (!hasCorpus) console.log(`ciliumCorpus: skipped: ${relative(process.cwd(), corpusRoot)} (../shared/corpus/cilium-examples) is not present beside the repository`);

/**
 * `<path relative to cilium-examples>` → `<rule id>` → why the finding is a
 * true bug in that file as committed.
 */
const ALLOWED_ERRORS: Record<string, Record<string, string>> = {
  'Documentation/operations/performance/scalability/report.rst.block01.yaml': {
    'cnp/invalid-port': 'Doc pseudo-YAML: port "[0-125]+80" stands for a range of ports and is not a port',
    'schema/unknown-field': 'fromEndpoints is written directly under spec instead of inside an ingress rule',
  },
  'Documentation/operations/performance/scalability/report.rst.block02.yaml': {
    'cnp/invalid-port': 'Doc pseudo-YAML: port "[126-250]+80" stands for a range of ports and is not a port',
    'schema/unknown-field': 'fromEndpoints is written directly under spec instead of inside an ingress rule',
  },
  'examples/policies/l3/requires/requires.yaml': {
    'cnp/deprecated-requires': 'Stale example: fromRequires was removed in 1.19 (CRD maxItems: 0 in the 1.19 and 1.20 CRDs), so the API server rejects it at the default version 1.20',
  },
  'examples/policies/auth/auth.yaml': {
    'schema/unknown-field': 'Stale example: `auth` was renamed `authentication` in 1.14; the current CRD prunes it',
  },
  'test/k8s/manifests/ccnp-host-ingress-from-cidr-to-ports.yaml': {
    'cnp/invalid-cidr': 'Placeholder NODE_WITHOUT_CILIUM_IP/32 is replaced by Cilium\'s test harness; as committed the CIDR is invalid',
  },
  'test/k8s/manifests/ccnp-host-policy-nodeport-tests.yaml': {
    'cnp/invalid-cidr': 'Placeholder NODE_WITHOUT_CILIUM_IP/32 is replaced by Cilium\'s test harness; as committed the CIDR is invalid',
  },
  'test/k8s/manifests/cnp-ingress-from-cidr-to-ports.yaml': {
    'cnp/invalid-cidr': 'Placeholder NODE_WITHOUT_CILIUM_IP/32 is replaced by Cilium\'s test harness; as committed the CIDR is invalid',
  },
};

function listYaml(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) files.push(...listYaml(full));
    else if (/\.ya?ml$/.test(entry)) files.push(full);
  }
  return files;
}

describe.skipIf(!hasCorpus)('Cilium example policies (../shared/corpus/cilium-examples)', () => {
  const files = hasCorpus ? listYaml(corpusRoot) : [];
  const service = new MeshlensService({ roots: [corpusRoot] });
  for (const file of files) service.setFile(file, readFileSync(file, 'utf8'));
  const options = defaultAnalysisOptions();
  const byFile = new Map<string, Diagnostic[]>();
  for (const file of files) byFile.set(relative(corpusRoot, file), service.diagnostics(file, options));

  it('has the example files', () => {
    expect(files.length).toBeGreaterThan(100);
  });

  it('reports no error-severity finding except the allow-listed true bugs', () => {
    const unexpected: string[] = [];
    const usedAllowances = new Set<string>();
    let errors = 0;
    let warnings = 0;
    const byRule = new Map<string, number>();
    for (const [file, diagnostics] of byFile) {
      for (const diagnostic of diagnostics) {
        if (diagnostic.severity === 'warning') warnings++;
        if (diagnostic.severity !== 'error') continue;
        errors++;
        byRule.set(diagnostic.rule, (byRule.get(diagnostic.rule) ?? 0) + 1);
        const reason = ALLOWED_ERRORS[file]?.[diagnostic.rule];
        if (reason) {
          usedAllowances.add(`${file}|${diagnostic.rule}`);
          continue;
        }
        unexpected.push(`${file}:${diagnostic.range.start.line + 1}:${diagnostic.range.start.character + 1} ${diagnostic.rule}: ${diagnostic.message}`);
      }
    }
    console.log(
      `ciliumCorpus: ${files.length} files, ${errors} errors (${[...byRule].map(([rule, count]) => `${rule} ×${count}`).join(', ') || 'none'}, all allow-listed true bugs), ${warnings} warnings`,
    );
    expect(unexpected).toEqual([]);
    // Every true-bug allowance must still be needed, so the list does not rot.
    const staleOf = (list: Record<string, Record<string, string>>) =>
      Object.entries(list)
        .flatMap(([file, rules]) => Object.keys(rules).map((rule) => `${file}|${rule}`))
        .filter((key) => !usedAllowances.has(key));
    expect(staleOf(ALLOWED_ERRORS)).toEqual([]);
  });
});
