// Scenarios 2, 3 (values part) and 4 on a Cilium HelmRelease
// (fixtures/cilium-values, opened as a temporary copy because the quick-fix
// edits it):
//   2. hover on a values key shows its documentation: type, default, and for
//      a datapath feature the kernel it needs;
//   3. completion under `spec.values` offers the chart's keys, top-level and
//      nested;
//   4. Ctrl+. on `kubeProxyReplacement: strict` offers the migration, applying
//      it writes `true` and the problem leaves the Problems panel;
//   #19: completion inside the `values.yaml: |` block of the ConfigMap the
//      release reads (`valuesFrom`) offers the chart's keys, and accepting an
//      object key indents its child once (no doubled indentation); the status
//      bar shows the pinned Cilium version once the workspace is loaded,
//      without switching editors.
// README screenshots (MESHLENS_E2E_SCREENSHOTS): hover-cilium-value.png,
// quick-fix.png.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectors, startVsCode, type ProblemRow, type VsCodeSession } from './harness';
import { fixturesDir, readmeScreenshot, scenarioInput, screenshotOnFailure, waitForFirstAnalysis } from './scenarioSupport';

const input = scenarioInput('cilium-values');
const releaseFile = 'infrastructure/cilium/helmrelease.yaml';
const configMapFile = 'infrastructure/cilium/values-configmap.yaml';

const isStrictFinding = (row: ProblemRow) =>
  row.file === 'helmrelease.yaml' && row.code === 'helm/obsolete-value' && row.message.includes('kubeProxyReplacement');

describe.skipIf(input.skipReason !== undefined)('scenarios 2-4: Cilium HelmRelease values', () => {
  let vscode: VsCodeSession | undefined;

  beforeAll(async () => {
    vscode = await startVsCode({ vsix: input.vsix!, workspaceFolder: path.join(fixturesDir, 'cilium-values'), copyWorkspace: true });
    // The release is open while the server still loads the workspace: the status bar must catch up by itself.
    await vscode.openFile(releaseFile);
    // The first analysis of the workspace is done once its findings are listed.
    await waitForFirstAnalysis(vscode, isStrictFinding);
  });

  it('the status bar shows the pinned Cilium version once the workspace is loaded, without an editor switch', async () => {
    screenshotOnFailure(() => vscode, 'status-bar');
    const session = vscode!;
    const item = session.page.locator(selectors.statusBar).locator('.statusbar-item').filter({ hasText: /Cilium 1\.16/ });
    await item.first().waitFor({ state: 'visible', timeout: 20_000 });
    expect(await item.first().innerText()).not.toMatch(/assumed/);
    await session.openFile(releaseFile);
  });

  afterAll(async () => {
    await vscode?.close();
  });

  it('hover on a Cilium value shows its type, default and kernel needs', async () => {
    screenshotOnFailure(() => vscode, 'hover-cilium-value');
    const session = vscode!;

    const kubeProxy = await session.hoverOnText('kubeProxyReplacement', { until: /Cilium chart 1\.16\.5 value/ });
    expect(kubeProxy).toContain('kubeProxyReplacement');
    expect(kubeProxy).toMatch(/Cilium chart 1\.16\.5/);
    expect(kubeProxy).toMatch(/Type:\s*`?boolean \| string/);
    // 1.16 ships the key commented out in values.yaml: valid, with no default.
    expect(kubeProxy).toMatch(/no default|Default in 1\.16/);
    expect(kubeProxy).toMatch(/Allowed:/);

    // A datapath feature: its type and default, then what it needs from the
    // node kernel, judged on the NodeProfile pool of the workspace. The part
    // after the title is the value hover itself (a diagnostic's part may come first).
    const bandwidthLine = await session.lineNumberOf('bandwidthManager:');
    const bandwidth = await session.hoverAt(bandwidthLine + 1, 8, { keepOpen: true, until: /bandwidthManager\.enabled — Cilium chart 1\.16\.5 value[\s\S]*Kernel/ });
    const valueHover = bandwidth.slice(bandwidth.indexOf('bandwidthManager.enabled — '));
    expect(valueHover).toMatch(/^bandwidthManager\.enabled — Cilium chart 1\.16\.5 value/);
    expect(valueHover).toMatch(/Type:\s*`?boolean/);
    expect(valueHover).toMatch(/Default in 1\.16:\s*`?false/);
    expect(valueHover).toMatch(/Kernel \(Cilium 1\.16\)/);
    expect(valueHover).toMatch(/kernel ≥ \d+\.\d+/);
    expect(valueHover).toMatch(/pool general \(6\.8[^)]*\)/);
    await readmeScreenshot(session, 'hover-cilium-value', [session.page.locator(selectors.hover).first(), session.page.locator(selectors.viewLine).filter({ hasText: 'bandwidthManager' }), session.page.locator(selectors.viewLine).filter({ hasText: 'enabled: true' }).last()], { maxWidth: 900, maxHeight: 520 });
    await session.page.keyboard.press('Escape');
  });

  it('completion under spec.values offers the chart keys', async () => {
    screenshotOnFailure(() => vscode, 'completion-values');
    const session = vscode!;
    const routingLine = await session.lineNumberOf('routingMode: native');

    // A new top-level key: the prefix narrows the list to the keys we look for.
    await session.replaceToEndOfLine(routingLine, 5, 'hubb');
    expect(await session.triggerCompletion()).toContain('hubble');
    await session.replaceToEndOfLine(routingLine, 5, 'egressGate');
    expect(await session.triggerCompletion()).toContain('egressGateway');

    // A nested key under `bpf:`.
    const masqueradeLine = await session.lineNumberOf('masquerade: true');
    await session.replaceToEndOfLine(masqueradeLine, 7, 'hostLegacy');
    expect(await session.triggerCompletion()).toContain('hostLegacyRouting');

    // Keys of another chart version or section are not offered at the top level.
    await session.replaceToEndOfLine(routingLine, 5, 'hostLegacy');
    expect(await session.triggerCompletion()).not.toContain('hostLegacyRouting');

    await session.runCommand('File: Revert File');
    expect(await session.editorText()).toContain('routingMode: native');
    expect(await session.editorText()).toContain('masquerade: true');
  });

  it('completion in a ConfigMap-embedded values block offers chart keys with the right indentation', async () => {
    screenshotOnFailure(() => vscode, 'completion-configmap-values');
    const session = vscode!;
    await session.openFile(configMapFile);
    const line = await session.lineNumberOf('replicas: 1');
    // `      replicas: 1` -> `      promet`, under `operator:` inside the block.
    await session.replaceToEndOfLine(line, 7, 'promet');
    expect(await session.triggerCompletion({ keepOpen: true })).toContain('prometheus');
    await session.page.locator(selectors.suggestRow).filter({ hasText: /^prometheus/ }).first().click();
    // The cursor waits on the child line: mark it, then read both lines once the mark is rendered.
    await session.page.keyboard.type('enabled');
    await session.page.keyboard.press('Escape');
    const deadline = Date.now() + 10_000;
    let lines = await session.renderedLines();
    while (!lines.some((entry) => entry.line === line + 1 && entry.text.includes('enabled')) && Date.now() < deadline) {
      await session.page.waitForTimeout(200);
      lines = await session.renderedLines();
    }
    expect(lines.find((entry) => entry.line === line)?.text).toBe('      prometheus:');
    // One level deeper than its parent (6 + 2 spaces), not the block's indentation added twice.
    expect(lines.find((entry) => entry.line === line + 1)?.text).toBe('        enabled');
    // Typing re-opens the suggestions after the first Escape: close them before the command palette opens.
    const suggest = session.page.locator('.editor-widget.suggest-widget.visible');
    for (let attempt = 0; attempt < 10 && (await suggest.count()) > 0; attempt++) {
      await session.page.keyboard.press('Escape');
      await session.page.waitForTimeout(200);
    }
    await session.runCommand('File: Revert File');
    expect(await session.editorText()).toContain('replicas: 1');
  });

  it('the Ctrl+. quick-fix rewrites kubeProxyReplacement: strict to true and the problem goes away', async () => {
    screenshotOnFailure(() => vscode, 'quick-fix');
    const session = vscode!;
    await session.waitForProblems((rows) => rows.some(isStrictFinding), 30_000);
    await session.runCommand('View: Hide Panel');
    await session.openFile(releaseFile);

    const line = await session.lineNumberOf('kubeProxyReplacement: strict');
    await session.goToPosition(line, 28);
    const titles = await session.quickFixMenu();
    expect(titles.some((title) => title.includes('kubeProxyReplacement: true')), JSON.stringify(titles)).toBe(true);
    await readmeScreenshot(session, 'quick-fix', [session.page.locator(selectors.actionWidgetRow).first().locator('xpath=ancestor::*[contains(@class,"action-widget")][1]'), session.page.locator(selectors.viewLine).filter({ hasText: 'version: 1.16.5' }), session.page.locator(selectors.viewLine).filter({ hasText: 'masquerade' })], { maxWidth: 900, maxHeight: 400 });
    await session.page.keyboard.press('Escape');

    await session.quickFix('kubeProxyReplacement: true');
    // The edit is applied after the menu closes: read until it shows.
    await expect.poll(() => session.editorText(), { timeout: 10_000 }).toContain('kubeProxyReplacement: true');
    const text = await session.editorText();
    expect(text).not.toContain('strict');

    const rows = await session.waitForProblems((current) => !current.some(isStrictFinding), 30_000);
    expect(rows.some(isStrictFinding)).toBe(false);
  });
});
