// The web extension in a real VS Code: the packaged extension's `browser`
// entry runs in code-server's web worker extension host (as in vscode.dev and
// github.dev), its language server in a worker of that host, reading the
// workspace through the VS Code workspace API. code-server installs the
// extension on its remote side; the user setting
// `remote.extensionKind: {"meshlens.meshlens": ["web"]}` makes the workbench
// run it in the web worker instead of the Node extension host (an extension
// whose kinds include `web` and that is installed remotely runs there).
//
// Checks, on the policies fixture: findings of files never opened in the
// Problems panel, a finding's rule link opening the bundled rule page in the
// Markdown preview, the log line that says the server runs in the browser
// (proof of which build runs, and the note on what it cannot do), hover on a
// CiliumNetworkPolicy's selector, a quick fix applied to a file of the web
// workspace, and `meshlens: Show Effective Policy` with its source links.
// README screenshot (MESHLENS_E2E_SCREENSHOTS): rule-page.png.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectors, startVsCode, type VsCodeSession } from './harness';
import { fixturesDir, readmeScreenshot, scenarioInput, screenshotOnFailure } from './scenarioSupport';

const input = scenarioInput('web-worker');
const folder = 'apps/payments';

describe.skipIf(input.skipReason !== undefined)('web extension: the browser build in the web worker extension host', () => {
  let vscode: VsCodeSession | undefined;

  beforeAll(async () => {
    vscode = await startVsCode({
      vsix: input.vsix!,
      workspaceFolder: path.join(fixturesDir, 'policies'),
      // A quick fix edits a file: a copy of the fixture is opened.
      copyWorkspace: true,
      settings: { 'remote.extensionKind': { 'meshlens.meshlens': ['web'] }, '[markdown]': { 'editor.wordWrap': 'off' } },
    });
  });

  afterAll(async () => {
    await vscode?.close();
  });

  it('lists findings of files never opened, read through the workspace API', async () => {
    screenshotOnFailure(() => vscode, 'web-worker-problems');
    const rows = await vscode!.waitForProblems((current) => current.some((row) => row.file === 'new-policy.yaml' && row.source === 'meshlens'), 90_000);
    expect(rows.filter((row) => row.source === 'meshlens').every((row) => /^[a-z]+\/[a-z0-9-]+$/.test(row.code))).toBe(true);
    expect(await vscode!.page.locator('.editor-group-container .tab').count()).toBe(0);
  });

  it('a finding’s rule link opens the rule page bundled in the extension, rendered, inside VS Code', async () => {
    screenshotOnFailure(() => vscode, 'web-worker-rule-page');
    const session = vscode!;
    await session.runCommand('View: Focus Problems (Errors, Warnings, Infos)');
    const link = session.page.locator(`${selectors.markersRow} a.monaco-link`).filter({ hasText: /^[a-z]+\/[a-z0-9-]+$/ }).first();
    const rule = (await link.innerText()).trim();
    await link.click();
    // The page opens in an editor tab, rendered by the Markdown preview (the extension's editor association for
    // its rule pages): a webview with the page's sections, not the raw text and not a browser tab.
    const name = rule.split('/')[1];
    await session.page.locator(selectors.activeTab).filter({ hasText: `${name}.md` }).waitFor({ timeout: 20_000 });
    await expect.poll(async () => (await session.webviewTexts()).join('\n'), { timeout: 20_000 }).toMatch(new RegExp(`${rule}[\\s\\S]*Why it matters`));
    expect(await session.page.locator(`${selectors.activeEditor} ${selectors.viewLine}`).count()).toBe(0);
    await readmeScreenshot(session, 'rule-page', [session.page.locator(selectors.webviewFrame).first(), link], { maxWidth: 1100, maxHeight: 560, padding: 4 });
    await session.runCommand('View: Close All Editors');
  });

  it('runs the browser server, which says what it cannot do here', async () => {
    screenshotOnFailure(() => vscode, 'web-worker-log');
    const session = vscode!;
    await session.runCommand('meshlens: Show Log');
    const output = session.page.locator('.part.panel .output-view .view-lines');
    await expect.poll(async () => (await output.innerText().catch(() => '')).replace(/\s+/g, ' '), { timeout: 20_000 }).toMatch(/meshlens runs in the browser here/);
    await session.runCommand('View: Hide Panel');
  });

  it('hover on a CiliumNetworkPolicy selector names the workloads it selects', async () => {
    screenshotOnFailure(() => vscode, 'web-worker-hover');
    const session = vscode!;
    await session.openFile(`${folder}/payments-policy.yaml`);
    const hover = await session.hoverOnText('endpointSelector', { until: /payments-api/ });
    expect(hover).toMatch(/Selects 1 workload/);
    expect(hover).toMatch(/workloads\.yaml/);
  });

  it('a quick fix edits the file of the web workspace and the finding goes away', async () => {
    screenshotOnFailure(() => vscode, 'web-worker-quick-fix');
    const session = vscode!;
    await session.openFile(`${folder}/new-policy.yaml`);
    await session.goToPosition(await session.lineNumberOf('spec:'), 1);
    await session.quickFix('Disable cnp/missing-subject-selector for this line');
    await expect.poll(() => session.editorText(), { timeout: 15_000 }).toContain('meshlens-disable-next-line cnp/missing-subject-selector');
    await session.waitForProblems((rows) => !rows.some((row) => row.file === 'new-policy.yaml' && row.code === 'cnp/missing-subject-selector'), 30_000);
    await session.runCommand('File: Revert File');
    await session.runCommand('View: Hide Panel');
  });

  it('meshlens: Show Effective Policy shows the workload’s effective policy', async () => {
    screenshotOnFailure(() => vscode, 'web-worker-effective-policy');
    const session = vscode!;
    await session.openFile(`${folder}/workloads.yaml`);
    await session.goToPosition(await session.lineNumberOf('name: payments-api'), 9);
    await session.runCommand('meshlens: Show Effective Policy');
    await session.page.locator(selectors.activeTab).filter({ hasNotText: 'workloads.yaml' }).waitFor({ timeout: 20_000 });
    const deadline = Date.now() + 20_000;
    let text = '';
    while (Date.now() < deadline) {
      text = [...(await session.webviewTexts()), await session.editorText().catch(() => '')].join('\n');
      if (/payments\/payments-api/.test(text) && /storefront/.test(text)) break;
      await session.page.waitForTimeout(500);
    }
    expect(text).toMatch(/storefront[^\n]*8080\/TCP/);
    expect(text).toMatch(/payments-policy\.yaml/);
    // Its `file:line` references are links into the workspace (a `vscode-remote:` folder here, not a file path).
    const line = await session.lineNumberOf('payments-policy.yaml:');
    const lineText = (await session.renderedLines()).find((entry) => entry.line === line)!.text;
    await session.goToPosition(line, lineText.indexOf('payments-policy.yaml:') + 3);
    await session.runCommand('Open Link');
    await session.page.locator(selectors.activeTab).filter({ hasText: 'payments-policy.yaml' }).waitFor({ timeout: 20_000 });
  });
});
