/**
 * Differential test: every kustomization directory of ../shared/repos and
 * ../shared/corpus/flux-examples built by meshlens and by `kubectl kustomize`
 * (kustomize v5). Reads ../shared; skipped with a message when it or kubectl
 * is absent. Prints the counts and every directory that is not identical.
 */

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hasShared, sharedRoot, SHARED_MISSING } from '../support/repo';
import { collectCases, kubectlAvailable, runDifferential, type Verdict } from '../support/kustomizeDifferential';

/** Known, explained differences: directory label → reason. */
const ALLOWED_DIFFERENCES: Record<string, string> = {};

const haveKubectl = hasShared && kubectlAvailable();
const skipReason = !hasShared ? SHARED_MISSING : 'skipped: `kubectl` with kustomize v5 is not on PATH';

describe.skipIf(!haveKubectl)(haveKubectl ? 'kustomize differential against kubectl kustomize' : `kustomize differential — ${skipReason}`, () => {
  it('builds ≥ 99% of the directories kubectl builds identically; where kubectl fails, the engine fails or reports the unknown input', async () => {
    const repos = join(sharedRoot, 'repos');
    const roots = readdirSync(repos, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => ({ root: join(repos, entry.name), label: entry.name }));
    roots.push({ root: join(sharedRoot, 'corpus', 'flux-examples'), label: 'flux-examples' });
    const cases = collectCases(roots);
    const started = Date.now();
    const results = await runDifferential(cases, 4);
    const counts: Record<Verdict, number> = { identical: 0, different: 0, 'both-fail': 0, 'only-we-fail': 0, 'only-kubectl-fails': 0 };
    for (const result of results) counts[result.verdict]++;
    const lines = results
      .filter((result) => result.verdict !== 'identical' && result.verdict !== 'both-fail')
      .map((result) => `  ${result.verdict} ${result.case.label}${ALLOWED_DIFFERENCES[result.case.label] ? ` (allowed: ${ALLOWED_DIFFERENCES[result.case.label]})` : ''}: ${result.detail ?? ''}`);
    const built = counts.identical + counts.different + counts['only-we-fail'];
    console.log(
      `kustomize differential: ${cases.length} directories in ${((Date.now() - started) / 1000).toFixed(1)} s — identical ${counts.identical}, different ${counts.different}, both fail ${counts['both-fail']}, only we fail ${counts['only-we-fail']}, only kubectl fails ${counts['only-kubectl-fails']}\n${lines.join('\n')}`,
    );
    expect(cases.length).toBeGreaterThan(100);
    expect(counts.identical / built).toBeGreaterThanOrEqual(0.99);
    const unexplained = results.filter((result) => (result.verdict === 'different' || result.verdict === 'only-we-fail') && !ALLOWED_DIFFERENCES[result.case.label]);
    expect(unexplained.length).toBeLessThanOrEqual(Math.floor(built * 0.01));
    expect(counts['only-kubectl-fails']).toBe(0);
  }, 900_000);
});
