// Scenarios 3 (policy part) and 5 on a small Cilium workspace
// (fixtures/policies, opened as a temporary copy because completion edits it):
//   3. completion under a CiliumNetworkPolicy's `spec` offers its keys, and a
//      label value under `endpointSelector.matchLabels` offers the values the
//      Deployments of another file carry;
//   5. the effective-L7 CodeLens sits above the policy, and the commands
//      `meshlens: Show Effective Policy` and `meshlens: Simulate Request` run
//      from the command palette and show their answer; the effective-policy
//      view's `file:line` references are links that open the rule;
//   #19: `meshlens: Show Connectivity Map` opens its webview, a click on an
//      edge lists the rules behind it and a click on a rule opens its file;
//      "Disable <rule> for this line" writes the suppression comment and the
//      finding leaves the Problems panel.
// README screenshots (MESHLENS_E2E_SCREENSHOTS): codelens-preview.png,
// connectivity-map.png.
//
// The commands' prompts are answered by what they ask for (source,
// destination, port, method, path), and their output is read wherever it is
// shown (webview, editor tab, notification), so the test does not depend on
// how the client lays them out.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectors, startVsCode, type ProblemRow, type VsCodeSession } from './harness';
import { fixturesDir, readmeScreenshot, scenarioInput, screenshotOnFailure, waitForFirstAnalysis } from './scenarioSupport';

const input = scenarioInput('policies');
const folder = 'apps/payments';

describe.skipIf(input.skipReason !== undefined)('scenarios 3 and 5: Cilium policies', () => {
  let vscode: VsCodeSession | undefined;

  beforeAll(async () => {
    vscode = await startVsCode({
      vsix: input.vsix!,
      workspaceFolder: path.join(fixturesDir, 'policies'),
      copyWorkspace: true,
      // The commands answer in Markdown documents: unwrapped, each line reads back whole.
      settings: { '[markdown]': { 'editor.wordWrap': 'off' } },
    });
    // The first analysis of the workspace is done once the draft's findings are listed.
    await waitForFirstAnalysis(vscode, (row) => row.file === 'new-policy.yaml' && row.source === 'meshlens');
  });

  afterAll(async () => {
    await vscode?.close();
  });

  it('completion offers CiliumNetworkPolicy spec keys', async () => {
    screenshotOnFailure(() => vscode, 'completion-cnp-spec');
    const session = vscode!;
    await session.openFile(`${folder}/new-policy.yaml`);
    const line = await session.lineNumberOf('description:');
    await session.replaceToEndOfLine(line, 3, '');
    const labels = await session.triggerCompletion();
    for (const key of ['endpointSelector', 'ingress', 'egress']) expect(labels, JSON.stringify(labels)).toContain(key);
    // Keys of other resources are not offered here.
    expect(labels).not.toContain('selector');
    await session.runCommand('File: Revert File');
  });

  it('completion of a label value offers values from another file of the workspace', async () => {
    screenshotOnFailure(() => vscode, 'completion-label-value');
    const session = vscode!;
    await session.openFile(`${folder}/draft-policy.yaml`);
    // `tier: frontend` -> `tier: ` with the cursor after the space.
    const line = await session.lineNumberOf('tier: frontend');
    const text = (await session.renderedLines()).find((entry) => entry.line === line)!.text;
    await session.replaceToEndOfLine(line, text.indexOf('frontend') + 1, '');
    const labels = await session.triggerCompletion();
    // Both values are only written in workloads.yaml (pod template labels).
    expect(labels, JSON.stringify(labels)).toContain('frontend');
    expect(labels, JSON.stringify(labels)).toContain('backend');
    expect(labels).not.toContain('payments-api');
    await session.runCommand('File: Revert File');
  });

  it('the effective-L7 CodeLens sits above the policy', async () => {
    screenshotOnFailure(() => vscode, 'codelens-preview');
    const session = vscode!;
    await session.openFile(`${folder}/payments-policy.yaml`);
    const lenses = await session.codeLenses();
    const preview = lenses.find((lens) => lens.includes('payments-api') && lens.includes('8080'));
    expect(preview, JSON.stringify(lenses)).toBeDefined();
    // The effective result names the peer and the HTTP rules it keeps.
    expect(lenses.join('\n')).toMatch(/storefront/);
    expect(lenses.join('\n')).toMatch(/GET/);
    expect(lenses.join('\n')).toMatch(/POST/);
    await readmeScreenshot(session, 'codelens-preview', [session.page.locator(selectors.activeEditor).locator(selectors.codeLens).first(), session.page.locator(selectors.viewLine).filter({ hasText: 'path: /api/v1/payments' }).last()], { maxWidth: 1000, maxHeight: 480, padding: 4 });
  });

  it('meshlens: Show Effective Policy shows the workload’s effective policy', async () => {
    screenshotOnFailure(() => vscode, 'show-effective-policy');
    const session = vscode!;
    await session.openFile(`${folder}/workloads.yaml`);
    await session.goToPosition(await session.lineNumberOf('name: payments-api'), 9);
    await session.runCommand('meshlens: Show Effective Policy');
    // The workload under the cursor is taken without asking; a list would be answered.
    await answerPrompts(session, { workload: 'payments-api' });
    // The answer opens in its own editor: wait until the source file is no longer the active one.
    await session.page.locator(selectors.activeTab).filter({ hasNotText: 'workloads.yaml' }).waitFor({ timeout: 15_000 });
    const output = await waitForOutput(session, (text) => /payments\/payments-api/.test(text) && /storefront/.test(text));
    // Ingress from storefront on 8080/TCP, limited to the two HTTP rules, from the policy's file.
    expect(output).toMatch(/storefront[^\n]*8080\/TCP/);
    expect(output).toMatch(/GET \/api\/v1\/payments\/\[0-9\]\+/);
    expect(output).toMatch(/POST \/api\/v1\/payments/);
    expect(output).toMatch(/payments-policy\.yaml/);
  });

  it('the effective-policy view links each rule to its file and line', async () => {
    screenshotOnFailure(() => vscode, 'effective-policy-links');
    const session = vscode!;
    // The view of the previous scenario is the active editor; its references are DocumentLinks.
    await waitForOutput(session, (text) => /payments-policy\.yaml:\d+/.test(text));
    const line = session.page.locator(selectors.activeEditor).locator(selectors.viewLine).filter({ hasText: /payments-policy\.yaml:\d+/ }).first();
    const reference = /payments-policy\.yaml:(\d+)/.exec(await line.innerText())!;
    const link = line.locator('.detected-link').filter({ hasText: 'payments-policy.yaml' }).first();
    await link.waitFor({ state: 'visible', timeout: 10_000 });
    await link.click({ modifiers: ['Control'] });
    await session.page.locator(selectors.activeTab).filter({ hasText: 'payments-policy.yaml' }).waitFor({ timeout: 10_000 });
    // The cursor sits on the rule's line (the status bar shows "Ln N, Col M").
    await session.page.locator(selectors.statusBar).getByText(new RegExp(`Ln ${reference[1]},`)).waitFor({ timeout: 10_000 });
  });

  it('meshlens: Simulate Request answers allow and deny with the deciding rule', async () => {
    screenshotOnFailure(() => vscode, 'simulate-request');
    const session = vscode!;
    const request = { source: 'storefront', destination: 'payments-api', port: '8080', protocol: 'TCP', path: '/api/v1/payments/42' };
    // The verdict names both workloads and the request; the text before it
    // (an earlier command's output) must not count.
    const verdict = (word: string, method: string) =>
      new RegExp(`${word}\\b[^\\n]*storefront[^\\n]*payments-api[^\\n]*8080[^\\n]*${method} /api/v1/payments/42`, 'i');

    await closeOutputs(session);
    await session.runCommand('meshlens: Simulate Request');
    expect(await answerPrompts(session, { ...request, method: 'GET' })).toEqual(expect.arrayContaining(['source', 'destination', 'port', 'method', 'path']));
    const allowed = await waitForOutput(session, (text) => verdict('allowed', 'GET').test(text));
    // The answer cites the rule that decided it.
    expect(allowed).toMatch(/payments-policy\.yaml/);

    await closeOutputs(session);
    await session.runCommand('meshlens: Simulate Request');
    await answerPrompts(session, { ...request, method: 'DELETE' });
    const denied = await waitForOutput(session, (text) => verdict('denied', 'DELETE').test(text));
    expect(denied).toMatch(/payments-policy\.yaml/);
    expect(denied).not.toMatch(verdict('allowed', 'DELETE'));
  });

  it('meshlens: Show Connectivity Map opens the map; an edge lists its rules and a rule opens its file', async () => {
    screenshotOnFailure(() => vscode, 'connectivity-map');
    const session = vscode!;
    await closeOutputs(session);
    await session.runCommand('meshlens: Show Connectivity Map');
    const rows = session.page.locator(selectors.quickInputRow);
    await rows.first().waitFor({ state: 'visible', timeout: 10_000 });
    // Typing filters the list down to the namespace; Enter takes it.
    await session.page.locator(selectors.quickInputBox).fill('payments');
    await rows.filter({ hasText: 'payments' }).first().waitFor({ state: 'visible' });
    await session.page.waitForTimeout(300);
    await session.page.keyboard.press('Enter');
    const text = await waitForOutput(session, (output) => /Connectivity: namespace payments/.test(output));
    expect(text).toMatch(/payments\/storefront/);
    expect(text).toMatch(/8080\/TCP/);
    const frame = session.page.locator(selectors.webviewFrame).first().contentFrame().locator('iframe#active-frame').contentFrame();
    const edge = frame.locator('g.edge[data-edge="workload:payments/storefront->workload:payments/payments-api"]');
    await edge.locator('text').first().click();
    const details = frame.locator('#details');
    await details.getByText('payments/storefront → payments/payments-api').waitFor({ timeout: 10_000 });
    const detailText = await details.innerText();
    expect(detailText).toMatch(/GET \/api\/v1\/payments\/\[0-9\]\+/);
    expect(detailText).toMatch(/draft-policy\.yaml:\d+/);
    expect(detailText).toMatch(/payments-policy\.yaml:\d+/);
    await readmeScreenshot(session, 'connectivity-map', [session.page.locator(selectors.webviewFrame).first()], { maxWidth: 1100, maxHeight: 420, padding: 0 });
    const rule = details.locator('a').filter({ hasText: 'cnp payments/payments-api ingress[0].toPorts[0]' }).first();
    await rule.click();
    await session.page.locator(selectors.activeTab).filter({ hasText: 'payments-policy.yaml' }).waitFor({ timeout: 10_000 });
  });

  it('"Disable <rule> for this line" writes the suppression comment and the finding goes away', async () => {
    screenshotOnFailure(() => vscode, 'disable-rule');
    const session = vscode!;
    await closeOutputs(session);
    const isMissingSelector = (row: ProblemRow) => row.file === 'new-policy.yaml' && row.code === 'cnp/missing-subject-selector';
    await session.waitForProblems((rows) => rows.some(isMissingSelector), 30_000);
    // Open the finding from the Problems panel, as a user would.
    await session.page.locator(selectors.markersRow).filter({ hasText: 'cnp/missing-subject-selector' }).first().click();
    await session.page.locator(selectors.activeTab).filter({ hasText: 'new-policy.yaml' }).waitFor({ timeout: 10_000 });
    await session.runCommand('View: Hide Panel');
    await session.goToPosition(await session.lineNumberOf('spec:'), 1);
    const titles = await session.quickFixMenu();
    expect(titles, JSON.stringify(titles)).toEqual(expect.arrayContaining([expect.stringContaining('Disable cnp/missing-subject-selector for this line'), expect.stringContaining('Disable cnp/missing-subject-selector for this file')]));
    await session.page.keyboard.press('Escape');
    await session.quickFix('Disable cnp/missing-subject-selector for this line');
    // The edit is applied after the menu closes: read until it shows.
    await expect.poll(() => session.editorText(), { timeout: 10_000 }).toMatch(/# meshlens-disable-next-line cnp\/missing-subject-selector\nspec:/);
    const rows = await session.waitForProblems((current) => !current.some(isMissingSelector), 30_000);
    // Only that rule is silenced, only there.
    expect(rows.some((row) => row.file === 'new-policy.yaml' && row.code === 'cnp/no-rule-sections')).toBe(true);
    await session.runCommand('View: Hide Panel');
    await session.page.locator(selectors.activeTab).filter({ hasText: 'new-policy.yaml' }).waitFor();
    await session.runCommand('File: Revert File');
    expect(await session.editorText()).not.toContain('meshlens-disable');
  });
});

/** The DOM members the prompt reader uses (the repo compiles without lib.dom). */
interface PromptElement {
  textContent: string | null;
  querySelector(selector: string): PromptElement | null;
  getAttribute(name: string): string | null;
}

type Answers = Partial<Record<'workload' | 'source' | 'destination' | 'port' | 'protocol' | 'method' | 'path', string>>;

/** What a prompt asks for, from its title, prompt and placeholder. */
function promptTopic(prompt: string): keyof Answers | undefined {
  if (/method/i.test(prompt)) return 'method';
  if (/path/i.test(prompt)) return 'path';
  if (/protocol/i.test(prompt)) return 'protocol';
  if (/port/i.test(prompt)) return 'port';
  if (/source|client/i.test(prompt)) return 'source';
  if (/destination|target|server/i.test(prompt)) return 'destination';
  if (/workload/i.test(prompt)) return 'workload';
  return undefined;
}

/**
 * Answers the command's Quick Input prompts one after the other until none is
 * shown: picks the row that contains the answer, or types it into an input box.
 */
async function answerPrompts(session: VsCodeSession, answers: Answers): Promise<string[]> {
  const page = session.page;
  const widget = page.locator(selectors.quickInput);
  const asked: string[] = [];
  for (let round = 0; round < 8; round++) {
    await failOnErrorDialog(session);
    const shown = await widget
      .waitFor({ state: 'visible', timeout: 3_000 })
      .then(() => true)
      .catch(() => false);
    if (!shown) {
      await failOnErrorDialog(session);
      return asked;
    }
    // Only the question (title, placeholder, prompt message), not the rows.
    const prompt = await widget.evaluate((element: PromptElement) =>
      [
        element.querySelector('.quick-input-title')?.textContent,
        element.querySelector('input')?.getAttribute('placeholder'),
        element.querySelector('input')?.getAttribute('aria-label'),
        element.querySelector('.quick-input-message')?.textContent,
      ]
        .filter(Boolean)
        .join(' | '),
    );
    const topic = promptTopic(prompt);
    const answer = topic ? answers[topic] : undefined;
    if (!topic || answer === undefined) throw new Error(`unexpected prompt: ${prompt.replace(/\s+/g, ' ').trim()}`);
    asked.push(topic);
    const rows = page.locator(selectors.quickInputRow);
    if ((await rows.count()) > 0) {
      const match = rows.filter({ hasText: answer });
      if ((await match.count()) > 0) await match.first().click({ force: true });
      else {
        // A list that also accepts typed values: type, then take what is selected.
        await page.locator(selectors.quickInputBox).fill(answer);
        await page.waitForTimeout(300);
        await page.keyboard.press('Enter');
      }
    } else {
      await page.locator(selectors.quickInputBox).fill(answer);
      await page.keyboard.press('Enter');
    }
    await page.waitForTimeout(300);
  }
  throw new Error(`too many prompts: ${asked.join(', ')}`);
}

/** A command that throws shows a modal dialog, which would otherwise block every later key press. */
async function failOnErrorDialog(session: VsCodeSession): Promise<void> {
  const dialog = session.page.locator('.monaco-dialog-box');
  if (await dialog.isVisible().catch(() => false)) {
    const text = (await dialog.innerText()).replace(/\s+/g, ' ').trim();
    await session.page.keyboard.press('Escape');
    throw new Error(`the command failed with a dialog: ${text}`);
  }
}

/** Everything a command may have shown: webviews, the active editor, notifications. */
async function visibleOutput(session: VsCodeSession): Promise<string> {
  const parts = [...(await session.webviewTexts()), ...(await session.notifications())];
  if ((await session.page.locator(selectors.activeEditor).count()) > 0) parts.push(await session.editorText().catch(() => ''));
  const outputPanel = session.page.locator('.part.panel .output-view .view-lines');
  if (await outputPanel.isVisible().catch(() => false)) parts.push(await outputPanel.innerText());
  return parts.join('\n');
}

async function waitForOutput(session: VsCodeSession, predicate: (text: string) => boolean, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let text = await visibleOutput(session);
  while (!predicate(text)) {
    await failOnErrorDialog(session);
    if (Date.now() > deadline) throw new Error(`the command's output never showed what was expected; visible text:\n${text.slice(0, 3000)}`);
    await session.page.waitForTimeout(500);
    text = await visibleOutput(session);
  }
  return text;
}

/** Closes notifications and the editor the previous command opened, so the next answer is read fresh. */
async function closeOutputs(session: VsCodeSession): Promise<void> {
  await session.runCommand('Notifications: Clear All Notifications').catch(() => undefined);
  await session.runCommand('View: Close All Editors').catch(() => undefined);
}
