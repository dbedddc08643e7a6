// #19 on the example repository (examples/platform-repo, opened as a temporary copy because a scenario edits it):
//   a. a click on the kernel CodeLens above the Cilium HelmRelease opens the kernel report of that release: the node
//      pools general and legacy with their NodeProfile links, the features the values turn on, "kernel too old" apart
//      from "a dependency the values turn off"; Ctrl+click on the legacy NodeProfile's `file:line` opens that file at
//      that line;
//      an open kernel report follows an unsaved edit of a NodeProfile (it re-runs on the model-changed event);
//   b. the connectivity map follows the model: an edit that renames a Deployment, not saved, redraws the open map
//      with the new name (the map listens to the client's one model-changed event, not to saves).
// README screenshot (MESHLENS_E2E_SCREENSHOTS): kernel-report.png.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot, selectors, startVsCode, type VsCodeSession } from './harness';
import { readmeScreenshot, scenarioInput, screenshotOnFailure, waitForFirstAnalysis } from './scenarioSupport';

const input = scenarioInput('kernel-report');
const releaseFile = 'clusters/prod/infrastructure/cilium/helmrelease.yaml';
const workloadsFile = 'clusters/prod/apps/shop/workloads.yaml';
const profilesFile = 'clusters/prod/nodeprofiles.yaml';

describe.skipIf(input.skipReason !== undefined)('#19: kernel report view and a map that follows the model', () => {
  let vscode: VsCodeSession | undefined;

  beforeAll(async () => {
    vscode = await startVsCode({
      vsix: input.vsix!,
      workspaceFolder: path.join(repoRoot, 'examples', 'platform-repo'),
      copyWorkspace: true,
      // The report is Markdown: unwrapped, each table row reads back whole.
      settings: { '[markdown]': { 'editor.wordWrap': 'off' } },
    });
    // The first analysis of the workspace is done once the release's findings are listed (the tree shows only the rows in view).
    await waitForFirstAnalysis(vscode, (row) => row.file === 'helmrelease.yaml' && row.source === 'meshlens');
  });

  afterAll(async () => {
    await vscode?.close();
  });

  it('a click on the kernel CodeLens opens the kernel report with the pools, and a link opens the NodeProfile', async () => {
    screenshotOnFailure(() => vscode, 'kernel-report');
    const session = vscode!;
    await session.openFile(releaseFile);
    const lens = session.page.locator(selectors.activeEditor).locator(`${selectors.codeLens} a`).filter({ hasText: /needs kernel/ }).first();
    await lens.waitFor({ state: 'visible', timeout: 30_000 });
    expect(await lens.innerText()).toMatch(/Cilium 1\.16\.5 needs kernel ≥ [\d.]+ \(pools: general 6\.8 ✓, legacy 5\.4 ✗\)/);
    await lens.click();
    await session.page.locator(selectors.activeTab).filter({ hasText: /kernel kube-system_cilium/ }).waitFor({ timeout: 15_000 });
    const text = await waitForEditorText(session, (current) => current.includes('| legacy |'));
    expect(text).toContain('# Kernel report: HelmRelease kube-system/cilium');
    expect(text).toContain('HelmRelease kube-system/cilium — `clusters/prod/infrastructure/cilium/helmrelease.yaml:1`');
    expect(text).toMatch(/\| general \| 6\.8\.0-1015-aws \(Ubuntu\) \| NodeProfile `clusters\/prod\/nodeprofiles\.yaml:1` \| ok \|/);
    expect(text).toMatch(/\| legacy \| 5\.4\.0-1103-aws \(Ubuntu\) \| NodeProfile `clusters\/prod\/nodeprofiles\.yaml:10` \| ok \|/);
    expect(text).toContain('| feature | values keys | min kernel | general | legacy |');
    expect(text).toMatch(/\| BBR congestion control for pods \| `bandwidthManager\.bbr` \| 5\.18 \| fails \(config\) \| fails \(kernel \+ config\) \|/);

    // One group: the report gets the width of the window (its table rows are long).
    await session.runCommand('View: Join All Editor Groups');
    await session.page.locator(selectors.activeTab).filter({ hasText: /kernel kube-system_cilium/ }).waitFor();
    await readmeScreenshot(session, 'kernel-report', [session.page.locator(selectors.activeEditor).locator('.view-lines').first()], { maxWidth: 1080, maxHeight: 600, padding: 4 });

    // The legacy pool's NodeProfile reference is a link to its line. It sits far right on a long table row, where
    // the editor may be scrolled sideways: the cursor goes onto it and "Open Link" follows it, as with the keyboard.
    const row = session.page.locator(selectors.activeEditor).locator(selectors.viewLine).filter({ hasText: 'nodeprofiles.yaml:10' }).first();
    await row.locator('.detected-link').filter({ hasText: 'nodeprofiles.yaml' }).first().waitFor({ state: 'attached', timeout: 10_000 });
    const reference = 'clusters/prod/nodeprofiles.yaml:10';
    const line = (await session.renderedLines()).find((entry) => entry.text.includes(reference))!;
    await session.goToPosition(line.line, line.text.indexOf(reference) + 3);
    await session.runCommand('Open Link');
    await session.page.locator(selectors.activeTab).filter({ hasText: 'nodeprofiles.yaml' }).waitFor({ timeout: 10_000 });
    await session.page.locator(selectors.statusBar).getByText(/Ln 10,/).waitFor({ timeout: 10_000 });
    expect(await session.editorText()).toContain('name: legacy');
  });

  it('the kernel report lists kernel failures apart from dependencies the values turn off', async () => {
    screenshotOnFailure(() => vscode, 'kernel-report-sections');
    const session = vscode!;
    await session.runCommand('View: Close All Editors');
    await session.openFile(releaseFile);
    await session.runCommand('meshlens: Show Kernel Report');
    await session.page.locator(selectors.activeTab).filter({ hasText: /kernel kube-system_cilium/ }).waitFor({ timeout: 15_000 });
    await waitForEditorText(session, (current) => current.includes('| legacy |'));
    // The sections sit below the first screen: go to the end, where they are.
    await session.page.keyboard.press('Control+End');
    const text = await waitForEditorText(session, (current) => current.includes('## A dependency the values turn off'));
    const kernel = text.slice(text.indexOf('## Kernel too old'), text.indexOf('## A dependency the values turn off'));
    const config = text.slice(text.indexOf('## A dependency the values turn off'));
    expect(kernel).toMatch(/\*\*TCX program attachment\*\* falls back on pool legacy/);
    expect(kernel).not.toContain('BPF masquerading');
    expect(config).toMatch(/\*\*BPF masquerading\*\* fails on general, legacy/);
  });

  it('an open kernel report follows an unsaved edit of a NodeProfile', async () => {
    screenshotOnFailure(() => vscode, 'kernel-report-follows-model');
    const session = vscode!;
    await session.runCommand('View: Close All Editors');
    await session.openFile(profilesFile);
    // The active file holds no Cilium release: the report of the workspace, beside it.
    await session.runCommand('meshlens: Show Kernel Report');
    await session.page.locator(selectors.activeTab).filter({ hasText: /kernel report/ }).waitFor({ timeout: 15_000 });
    await waitForEditorText(session, (text) => text.includes('- **legacy**: kernel 5.4.0-1103-aws (Ubuntu)'));
    await session.runCommand('View: Focus First Editor Group');
    await session.page.locator(selectors.activeTab).filter({ hasText: 'nodeprofiles.yaml' }).waitFor();
    const line = await session.lineNumberOf('kernel: 5.4.0-1103-aws');
    await session.replaceToEndOfLine(line, 11, '6.8.0-1015-aws');
    await session.page.keyboard.press('Control+2');
    await session.page.locator(selectors.activeTab).filter({ hasText: /kernel report/ }).waitFor();
    const text = await waitForEditorText(session, (current) => current.includes('- **legacy**: kernel 6.8.0-1015-aws (Ubuntu)'));
    expect(text).not.toContain('5.4.0-1103-aws');
    await session.runCommand('View: Focus First Editor Group');
    await session.runCommand('File: Revert File');
  });

  it('the connectivity map redraws after an edit that changes the model, without a save', async () => {
    screenshotOnFailure(() => vscode, 'map-follows-model');
    const session = vscode!;
    await session.runCommand('View: Close All Editors');
    await session.openFile(workloadsFile);
    await session.runCommand('meshlens: Show Connectivity Map');
    const rows = session.page.locator(selectors.quickInputRow);
    await rows.first().waitFor({ state: 'visible', timeout: 10_000 });
    await session.page.locator(selectors.quickInputBox).fill('shop');
    await rows.filter({ hasText: 'shop' }).first().waitFor({ state: 'visible' });
    await session.page.waitForTimeout(300);
    await session.page.keyboard.press('Enter');
    await waitForWebviewText(session, (text) => /Connectivity: namespace shop/.test(text) && /shop\/web-frontend/.test(text));

    // Back to the workloads file (the map stays shown beside it) and rename the web-frontend Deployment, unsaved.
    await session.runCommand('View: Focus First Editor Group');
    await session.page.locator(selectors.activeTab).filter({ hasText: 'workloads.yaml' }).waitFor();
    const line = await session.lineNumberOf('name: web-frontend');
    await session.replaceToEndOfLine(line, 9, 'web-storefront');
    const redrawn = await waitForWebviewText(session, (text) => /shop\/web-storefront/.test(text));
    expect(redrawn).not.toMatch(/shop\/web-frontend\b/);
    // Nothing was saved: the tab is still dirty.
    expect(await session.page.locator(selectors.activeTab).getAttribute('class')).toMatch(/\bdirty\b/);

    // Reverting is a model change too: the map draws the Deployment's name from disk again.
    await session.runCommand('File: Revert File');
    await waitForWebviewText(session, (text) => /shop\/web-frontend\b/.test(text) && !/web-storefront/.test(text));
  });
});

async function waitForEditorText(session: VsCodeSession, predicate: (text: string) => boolean, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let text = await session.editorText().catch(() => '');
  while (!predicate(text)) {
    if (Date.now() > deadline) throw new Error(`the editor never showed what was expected; it shows:\n${text.slice(0, 3000)}`);
    await session.page.waitForTimeout(300);
    text = await session.editorText().catch(() => '');
  }
  return text;
}

async function waitForWebviewText(session: VsCodeSession, predicate: (text: string) => boolean, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let text = (await session.webviewTexts()).join('\n');
  while (!predicate(text)) {
    if (Date.now() > deadline) throw new Error(`the map never showed what was expected; it shows:\n${text.slice(0, 3000)}`);
    await session.page.waitForTimeout(300);
    text = (await session.webviewTexts()).join('\n');
  }
  return text;
}
