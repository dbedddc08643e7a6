/**
 * Precision record on the whole GitOps repositories of `../shared/repos`
 * (skipped when absent): `meshlens check <repo> --format json` per
 * repository, counted per rule for the policy, Flux, schema and YAML
 * families. Every one of these findings was opened and judged true or false
 * (docs/precision.md); the false ones were fixed, so a change in a count is a
 * change in precision or recall that a reviewer should see and re-judge.
 * Helm and kernel findings are measured in the same document but not pinned
 * here (their rules are recorded by ciliumHelmCorpus.test.ts).
 */

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { meshlens } from '../../support/cli';
import { repoRoot, sharedRoot } from '../../support/repo';

const repos = join(sharedRoot, 'repos');
const present = existsSync(join(repos, 'README.md'));
const REPOS_MISSING = 'skipped: ../shared/repos (whole GitOps repositories) is not present beside the repository';

/** Findings per repository and rule (rules outside helm/* and kernel/*); a repository not listed has none. */
const EXPECTED: Record<string, Record<string, number>> = {
  'billimek__k8s-gitops': { 'flux/cross-namespace-reference': 42 },
  'bjw-s-labs__home-ops': { 'cnp/clusterwide-default-deny': 1, 'cnp/default-deny-without-section': 1 },
  'buroa__k8s-gitops': {},
  'fluxcd__flux2-kustomize-helm-example': {},
  'fluxcd__flux2-multi-tenancy': { 'flux/deprecated-api-version': 1 },
  'jfroy__flatops': { 'cnp/clusterwide-default-deny': 1, 'cnp/invalid-http-regex': 1, 'cnp/l7-proxy-disabled': 1, 'flux/cross-namespace-reference': 1 },
  // The three clusters' cilium Kustomizations have a `cilium-config` Kustomization depending on them.
  'joryirving__home-ops': { 'flux/cilium-health-checks': 3 },
  'onedr0p__home-ops': {},
  'sholdee__home-ops': {},
};

if (!present) console.log(`precisionRepos: ${REPOS_MISSING}`);

describe.skipIf(!present)('findings on ../shared/repos (precision record, docs/precision.md)', () => {
  for (const [repo, expected] of Object.entries(EXPECTED)) {
    it(repo, () => {
      const result = meshlens(['check', join(repos, repo), '--format', 'json', '--fail-on', 'none'], repoRoot);
      expect(result.code, result.stderr).toBe(0);
      // No rule or index threw while checking the repository (the CLI says so on stderr when one did).
      expect(result.stderr).not.toMatch(/internal error/);
      const report = JSON.parse(result.stdout) as { diagnostics: { rule: string }[] };
      const counts: Record<string, number> = {};
      for (const { rule } of report.diagnostics) {
        if (rule.startsWith('helm/') || rule.startsWith('kernel/')) continue;
        counts[rule] = (counts[rule] ?? 0) + 1;
      }
      expect(counts).toEqual(expected);
    });
  }
});
