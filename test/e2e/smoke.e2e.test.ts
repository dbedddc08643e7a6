// Smoke scenario: open a folder in a real VS Code with the packaged extension
// installed and check that the Problems panel lists findings for files no
// editor ever opened (workspace-wide diagnostics).
//
// Inputs (environment):
//   MESHLENS_VSIX           path to the .vsix under test (required; skipped without it)
//   MESHLENS_E2E_WORKSPACE  folder to open (default: test/e2e/fixtures/smoke-workspace)
//   MESHLENS_E2E_SOURCE     if set, only findings with this source count
//   MESHLENS_E2E_REQUIRED=1 turn a skip into a failure (for CI, where a silent skip proves nothing)
import path from 'node:path';
import { readdirSync, statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { repoRoot, startVsCode, type ProblemRow, type VsCodeSession } from './harness';
import { scenarioInput } from './scenarioSupport';

const input = scenarioInput('smoke');
const vsix = input.vsix;
const skipReason = input.skipReason;
const workspaceFolder = path.resolve(
  process.env.MESHLENS_E2E_WORKSPACE ?? path.join(repoRoot, 'test', 'e2e', 'fixtures', 'smoke-workspace'),
);
const expectedSource = process.env.MESHLENS_E2E_SOURCE;

describe.skipIf(skipReason !== undefined)('smoke: packaged extension in code-server', () => {
  let vscode: VsCodeSession;

  beforeAll(async () => {
    vscode = await startVsCode({ vsix: vsix!, workspaceFolder });
  });

  afterAll(async () => {
    await vscode?.close();
  });

  it('lists findings in the Problems panel for files that were never opened', async () => {
    onTestFailed(async () => {
      const file = await vscode.screenshot('smoke-problems-failure');
      console.error(`[e2e smoke] screenshot: ${file}\n--- code-server log ---\n${vscode.serverLog()}`);
    });
    const counts = (rows: ProblemRow[]) =>
      rows.filter((row) => expectedSource === undefined || row.source === expectedSource);

    const rows = await vscode.waitForProblems((current) => counts(current).length > 0, 60_000);
    await vscode.screenshot('smoke-problems');

    // No editor was opened, so every finding comes from workspace-wide analysis.
    expect(await vscode.page.locator('.editor-group-container .tab').count()).toBe(0);
    const relevant = counts(rows);
    expect(relevant.length).toBeGreaterThan(0);
    const workspaceFileNames = new Set(listFileNames(workspaceFolder));
    for (const row of relevant) {
      expect(row.message.length).toBeGreaterThan(0);
      expect(workspaceFileNames.has(row.file)).toBe(true);
    }
  });
});

function listFileNames(folder: string): string[] {
  return readdirSync(folder).flatMap((entry) => {
    if (entry === 'node_modules' || entry.startsWith('.')) return [];
    const full = path.join(folder, entry);
    return statSync(full).isDirectory() ? listFileNames(full) : [entry];
  });
}
