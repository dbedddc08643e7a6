// Scenario 1: opening examples/platform-repo in VS Code lists, in the Problems
// panel, the findings of files no editor has opened (workspace-wide analysis):
// an L7 rule on a port without protocol, a regex that does not compile and a
// capitalised entity in the Cilium policy, the renamed Cilium value and the
// retired Flux API in the HelmRelease, the lower-case method in the
// AuthorizationPolicy.
//
// The README's Problems screenshot (docs/images/problems.png) is taken here
// when MESHLENS_E2E_SCREENSHOTS is set. scripts/e2e-broken-build.sh runs this
// file against a vsix whose server exits at start and expects it to fail.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, selectors, startVsCode, type ProblemRow, type VsCodeSession } from './harness';
import { readmeScreenshot, scenarioInput, screenshotOnFailure } from './scenarioSupport';

const input = scenarioInput('problems');
const workspaceFolder = path.join(repoRoot, 'examples', 'platform-repo');

/** Findings the example repository exists to show, by file and rule. */
const expectedFindings: Array<{ file: string; code: string; severity: ProblemRow['severity']; messagePart: string }> = [
  { file: 'checkout-policy.yaml', code: 'cnp/l7-requires-tcp', severity: 'error', messagePart: 'TCP' },
  { file: 'checkout-policy.yaml', code: 'cnp/invalid-http-regex', severity: 'error', messagePart: '[0-9+' },
  { file: 'checkout-policy.yaml', code: 'cnp/unknown-entity', severity: 'error', messagePart: 'World' },
  { file: 'helmrelease.yaml', code: 'helm/obsolete-value', severity: 'error', messagePart: 'kubeProxyReplacement' },
  { file: 'helmrelease.yaml', code: 'helm/obsolete-value', severity: 'error', messagePart: 'tunnel' }, // chart 1.16.2+ fails rendering on it
  { file: 'helmrelease.yaml', code: 'flux/deprecated-api-version', severity: 'error', messagePart: 'v2beta1' },
  { file: 'authz.yaml', code: 'authz/http-method', severity: 'warning', messagePart: '"post"' },
];

const hasExpected = (rows: ProblemRow[], expected: (typeof expectedFindings)[number]) =>
  rows.some(
    (row) =>
      row.source === 'meshlens' &&
      row.file === expected.file &&
      row.code === expected.code &&
      row.severity === expected.severity &&
      row.message.includes(expected.messagePart),
  );

describe.skipIf(input.skipReason !== undefined)('scenario 1: Problems panel for examples/platform-repo', () => {
  let vscode: VsCodeSession | undefined;

  beforeAll(async () => {
    vscode = await startVsCode({ vsix: input.vsix!, workspaceFolder });
  });

  afterAll(async () => {
    await vscode?.close();
  });

  it('lists the expected findings of files that were never opened', async () => {
    screenshotOnFailure(() => vscode, 'problems');
    const session = vscode!;
    await session.problems();
    // The tree is virtualized: a maximized panel shows every row of the example.
    await session.runCommand('View: Toggle Maximized Panel');
    const rows = await session.waitForProblems((current) => expectedFindings.every((expected) => hasExpected(current, expected)), 60_000);

    // No editor was opened, so every finding comes from the workspace-wide analysis.
    expect(await session.page.locator('.editor-group-container .tab').count()).toBe(0);
    for (const expected of expectedFindings) expect(hasExpected(rows, expected), JSON.stringify(expected)).toBe(true);
    // Files the example keeps clean stay clean.
    const files = new Set(rows.filter((row) => row.source === 'meshlens').map((row) => row.file));
    for (const clean of ['workloads.yaml', 'namespace.yaml', 'helmrepository.yaml', 'nodeprofiles.yaml']) expect(files.has(clean), clean).toBe(false);

    await readmeScreenshot(session, 'problems', [session.page.locator(selectors.markersPanel)], { maxWidth: 1060, maxHeight: 390, padding: 0 });
  });
});
