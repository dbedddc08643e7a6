// End-to-end harness: runs a packaged extension (.vsix) inside a real VS Code
// workbench (code-server) shown in headless Debian Chromium, driven by
// playwright-core, and reads results back from the DOM.
//
// Invariants:
// - Every run gets its own temporary HOME, XDG dirs, user-data dir, extensions
//   dir and code-server config, so nothing leaks between runs or into the
//   machine's HOME. close() kills the server's whole process group (it is
//   started under `setsid`) and removes the temporary folder.
// - With `copyWorkspace`, the folder is copied into that temporary folder and
//   the copy is opened, so scenarios that edit or save never touch the repo.
// - The install made by scripts/setup-e2e.sh is found in `.e2e/` at the repo
//   root (resolved from this file), or in $MESHLENS_E2E_DIR.
// - Helpers only use the keyboard, the command palette and stable workbench
//   class names; the selectors they rely on are collected in `selectors` below.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

export interface StartVsCodeOptions {
  /** Path to the packaged extension. */
  vsix: string;
  /** Folder opened as the workspace. */
  workspaceFolder: string;
  /** Extra user settings, merged over the harness defaults. */
  settings?: Record<string, unknown>;
  /** How long to wait for the workbench to come up (ms). Default 60 s. */
  startupTimeoutMs?: number;
  /** Open a temporary copy of the folder instead of the folder itself (for scenarios that edit files). */
  copyWorkspace?: boolean;
  /** More packaged extensions (.vsix) installed beside the one under test (e.g. the YAML extension stand-in). */
  extraExtensions?: string[];
}

export interface KeepOpenOption {
  /** Leave the widget on screen (for a screenshot); the next key press or click closes it. */
  keepOpen?: boolean;
}

export interface HoverOptions extends KeepOpenOption {
  /**
   * Wait (up to 15 s) until the hover's text matches: parts of a hover arrive
   * separately (a diagnostic's part is there before the server's answer).
   * Without it the text is read as soon as the hover is not "Loading...".
   */
  until?: RegExp;
}

export interface ProblemRow {
  /** File name as shown in the Problems tree (base name). */
  file: string;
  message: string;
  /** Source as displayed, e.g. `meshlens`. Empty when the diagnostic has none. */
  source: string;
  /** Diagnostic code as displayed, e.g. `cnp/l7-without-envoy`. Empty when none. */
  code: string;
  severity: 'error' | 'warning' | 'info' | 'unknown';
}

export interface VsCodeSession {
  page: Page;
  serverUrl: string;
  /** Saves a PNG under test-results/e2e/ and returns its path. */
  screenshot(name: string): Promise<string>;
  openFile(relativePath: string): Promise<void>;
  problems(): Promise<ProblemRow[]>;
  /** Re-reads the Problems panel until `predicate` holds (default 30 s), or throws with the last rows. */
  waitForProblems(predicate: (rows: ProblemRow[]) => boolean, timeoutMs?: number): Promise<ProblemRow[]>;
  /** 1-based line and column, like the status bar. */
  goToPosition(line: number, column: number): Promise<void>;
  hoverAt(line: number, column: number, options?: HoverOptions): Promise<string>;
  /** Hover at the first occurrence of `text` among the rendered lines of the active editor. */
  hoverOnText(text: string, options?: HoverOptions): Promise<string>;
  /** Ctrl+Space at the cursor; labels of the rendered suggestion rows ([] for "No suggestions."). */
  triggerCompletion(options?: KeepOpenOption): Promise<string[]>;
  /**
   * Puts the cursor at (line, column), selects to the end of that line and
   * types `text` over it (an empty `text` deletes the rest of the line).
   * Typed character by character, like a user, so auto-closing may apply.
   */
  replaceToEndOfLine(line: number, column: number, text: string): Promise<void>;
  runCommand(title: string): Promise<void>;
  quickFix(title: string): Promise<void>;
  /** Opens the Ctrl+. menu at the cursor and returns the action titles, leaving the menu open. */
  quickFixMenu(): Promise<string[]>;
  /** Texts of the notification toasts currently shown. */
  notifications(): Promise<string[]>;
  /** Text of the visible webview panels' documents (empty strings when there is none). */
  webviewTexts(): Promise<string[]>;
  codeLenses(): Promise<string[]>;
  /** Text of the active editor's rendered lines (short files render whole). */
  editorText(): Promise<string>;
  /** The active editor's rendered lines with their 1-based line numbers (correct when scrolled). */
  renderedLines(): Promise<Array<{ line: number; text: string }>>;
  /** 1-based number of the first rendered line containing `text`; throws when none does. */
  lineNumberOf(text: string): Promise<number>;
  /** The server's combined stdout/stderr so far, for failure messages. */
  serverLog(): string;
  close(): Promise<void>;
}

/**
 * The few DOM members the in-page callbacks below use. The repo compiles
 * without lib.dom (core must not see browser globals), so they are declared
 * here, scoped to this module.
 */
interface PageElement {
  textContent: string | null;
  className: string;
  style: { top: string };
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): ArrayLike<PageElement>;
}
declare const document: { querySelector(selector: string): PageElement | null };

const harnessDir = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(harnessDir, '..', '..');
export const screenshotDir = path.join(repoRoot, 'test-results', 'e2e');

const chromiumPath = process.env.MESHLENS_E2E_CHROMIUM ?? '/usr/bin/chromium';
const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const defaultSettings: Record<string, unknown> = {
  'chat.disableAIFeatures': true,
  'workbench.startupEditor': 'none',
  'security.workspace.trust.enabled': false,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'editor.hover.delay': 100,
  'editor.quickSuggestions': { other: false, comments: false, strings: false },
  'files.autoSave': 'off',
  'git.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

/** Stable workbench DOM hooks the helpers depend on (VS Code 1.139). */
export const selectors = {
  workbench: '.monaco-workbench',
  statusBar: '.part.statusbar',
  explorerRow: '.explorer-folders-view .monaco-list-row',
  quickInput: '.quick-input-widget',
  quickInputBox: '.quick-input-widget .quick-input-box input',
  quickInputRow: '.quick-input-widget .quick-input-list .monaco-list-row',
  activeEditor: '.editor-group-container.active .monaco-editor',
  activeTab: '.editor-group-container.active .tab.active',
  viewLine: '.view-lines .view-line',
  /** Line numbers sit in the margin, one per rendered line, at the same `top` as the line. */
  lineNumber: '.margin-view-overlays > div',
  hover: '.monaco-hover:not(.hidden) .monaco-hover-content',
  suggestRow: '.editor-widget.suggest-widget.visible .monaco-list-row',
  suggestLabel: '.label-name',
  suggestEmptyMessage: '.editor-widget.suggest-widget.visible .message',
  actionWidgetRow: '.action-widget .monaco-list-row.action',
  codeLens: '.contentWidgets .codelens-decoration',
  notificationToast: '.notifications-toasts .notification-toast',
  webviewFrame: 'iframe.webview.ready',
  markersPanel: '.markers-panel',
  markersRow: '.markers-panel .monaco-list-row',
} as const;

/** Where scripts/setup-e2e.sh put Node 24 and code-server. */
export function findE2eInstall(): { node: string; codeServerEntry: string } | { missing: string } {
  const e2eDir = process.env.MESHLENS_E2E_DIR ?? path.join(repoRoot, '.e2e');
  const node = path.join(e2eDir, 'node', 'bin', 'node');
  const codeServerEntry = path.join(e2eDir, 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  for (const required of [node, codeServerEntry, chromiumPath]) {
    if (!existsSync(required)) return { missing: `${required} not found; run scripts/setup-e2e.sh first` };
  }
  return { node, codeServerEntry };
}

export async function startVsCode(options: StartVsCodeOptions): Promise<VsCodeSession> {
  const install = findE2eInstall();
  if ('missing' in install) throw new Error(install.missing);
  const vsix = path.resolve(options.vsix);
  if (!vsix.endsWith('.vsix') || !existsSync(vsix)) throw new Error(`not a .vsix file: ${vsix}`);
  const sourceFolder = path.resolve(options.workspaceFolder);
  if (!existsSync(sourceFolder)) throw new Error(`workspace folder not found: ${sourceFolder}`);

  const runDir = mkdtempSync(path.join(tmpdir(), 'meshlens-e2e-'));
  let workspaceFolder = sourceFolder;
  if (options.copyWorkspace) {
    // The copy keeps the folder's base name, which the explorer and tabs show.
    workspaceFolder = path.join(runDir, 'workspace', path.basename(sourceFolder));
    cpSync(sourceFolder, workspaceFolder, { recursive: true });
  }
  const dirs = {
    home: path.join(runDir, 'home'),
    config: path.join(runDir, 'xdg-config'),
    data: path.join(runDir, 'xdg-data'),
    cache: path.join(runDir, 'xdg-cache'),
    state: path.join(runDir, 'xdg-state'),
    userData: path.join(runDir, 'user-data'),
    extensions: path.join(runDir, 'extensions'),
  };
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  mkdirSync(path.join(dirs.userData, 'User'), { recursive: true });
  writeFileSync(
    path.join(dirs.userData, 'User', 'settings.json'),
    JSON.stringify({ ...defaultSettings, ...options.settings }, null, 2),
  );
  const configFile = path.join(runDir, 'code-server.yaml');
  writeFileSync(configFile, 'auth: none\ncert: false\n');

  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    LANG: 'C.UTF-8',
    HOME: dirs.home,
    XDG_CONFIG_HOME: dirs.config,
    XDG_DATA_HOME: dirs.data,
    XDG_CACHE_HOME: dirs.cache,
    XDG_STATE_HOME: dirs.state,
    TMPDIR: runDir,
  };
  const commonArgs = ['--config', configFile, '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions];

  for (const extension of [vsix, ...(options.extraExtensions ?? []).map((file) => path.resolve(file))]) {
    const installResult = spawnSync(
      install.node,
      [install.codeServerEntry, ...commonArgs, '--force', '--install-extension', extension],
      { env, encoding: 'utf8', timeout: 120_000 },
    );
    if (installResult.status !== 0) {
      rmSync(runDir, { recursive: true, force: true });
      throw new Error(`installing ${extension} failed:\n${installResult.stdout}\n${installResult.stderr}`);
    }
  }

  const port = await findFreePort();
  const serverUrl = `http://127.0.0.1:${port}`;
  let log = '';
  // setsid puts code-server and everything it spawns (extension host, language
  // servers) into one process group that close() can kill as a whole.
  const server: ChildProcess = spawn(
    'setsid',
    [
      install.node,
      install.codeServerEntry,
      ...commonArgs,
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--auth',
      'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--ignore-last-opened',
      workspaceFolder,
    ],
    { env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  server.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  server.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));

  let browser: Browser | undefined;
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await browser?.close().catch(() => undefined);
    await killProcessGroup(server);
    rmSync(runDir, { recursive: true, force: true });
  };

  try {
    const startupTimeoutMs = options.startupTimeoutMs ?? 60_000;
    await waitForHttp(`${serverUrl}/healthz`, startupTimeoutMs, () => server.exitCode !== null, () => log);
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: chromiumArgs,
      env: { ...env, HOME: dirs.home },
      timeout: startupTimeoutMs,
    });
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${serverUrl}/?folder=${encodeURIComponent(workspaceFolder)}`, {
      timeout: startupTimeoutMs,
      waitUntil: 'domcontentloaded',
    });
    await page.locator(selectors.workbench).waitFor({ timeout: startupTimeoutMs });
    await page.locator(selectors.statusBar).waitFor({ timeout: startupTimeoutMs });
    await page.locator(selectors.explorerRow).first().waitFor({ timeout: startupTimeoutMs });
    return createSession(page, serverUrl, () => log, close);
  } catch (error) {
    await close();
    throw new Error(`VS Code did not start: ${String(error)}\n--- code-server log ---\n${log}`);
  }
}

function createSession(page: Page, serverUrl: string, serverLog: () => string, close: () => Promise<void>): VsCodeSession {
  const quickInput = page.locator(selectors.quickInput);

  async function focusEditor(): Promise<void> {
    await page.locator(selectors.activeEditor).first().click({ position: { x: 5, y: 5 }, force: true }).catch(() => undefined);
  }

  /**
   * Types into Quick Open / the command palette, waits until a row whose label
   * matches is listed (results arrive asynchronously), then clicks that row.
   */
  async function pickFromQuickInput(
    openKey: string,
    text: string,
    rowMatches: (row: { label: string; description: string }) => boolean,
  ): Promise<void> {
    await page.keyboard.press(openKey);
    await quickInput.waitFor({ state: 'visible' });
    await page.locator(selectors.quickInputBox).fill(text);
    const deadline = Date.now() + 15_000;
    let rows: Array<{ label: string; description: string }> = [];
    let previous = '';
    for (;;) {
      rows = await page.locator(selectors.quickInputRow).evaluateAll((elements: PageElement[], parts) =>
        elements.map((element) => ({
          label: (element.querySelector(parts.label)?.textContent ?? '').replace(/\s+/g, ' ').trim(),
          description: (element.querySelector(parts.description)?.textContent ?? '').trim(),
        })),
        { label: '.label-name', description: '.label-description' },
      );
      const index = rows.findIndex(rowMatches);
      // Results arrive in batches and replace the recently opened entries: act on a list that stayed the same
      // between two reads, so the row chosen is still the one on screen.
      const current = JSON.stringify(rows);
      const settled = current === previous;
      previous = current;
      if (index >= 0 && settled) {
        // The first row is already selected: Enter is steadier than a click on a
        // list that may still be re-rendering.
        if (index === 0) {
          await page.keyboard.press('Enter');
          await waitUntilQuickInputLeft(text);
          return;
        }
        const clicked = await page
          .locator(selectors.quickInputRow)
          .nth(index)
          .click({ timeout: 2_000 })
          .then(() => true)
          .catch(() => false);
        if (clicked) {
          await waitUntilQuickInputLeft(text);
          return;
        }
      }
      if (Date.now() > deadline) break;
      await page.waitForTimeout(200);
    }
    await page.keyboard.press('Escape');
    throw new Error(`no Quick Input row matched ${JSON.stringify(text)}; rows: ${JSON.stringify(rows)}`);
  }

  /**
   * Waits until the Quick Input that held `text` is gone: hidden, or showing
   * another prompt (a command may open its own Quick Pick straight away).
   */
  async function waitUntilQuickInputLeft(text: string): Promise<void> {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const visible = await quickInput.isVisible().catch(() => false);
      if (!visible) return;
      const value = await page.locator(selectors.quickInputBox).inputValue().catch(() => '');
      if (value !== text) return;
      if (Date.now() > deadline) throw new Error(`the Quick Input still shows ${JSON.stringify(text)} after choosing a row`);
      await page.waitForTimeout(100);
    }
  }

  async function openFile(relativePath: string): Promise<void> {
    const base = path.posix.basename(relativePath);
    const folder = path.posix.dirname(relativePath);
    // Rows show the base name as label and the folder as description.
    await pickFromQuickInput(
      'Control+P',
      relativePath,
      (row) => row.label === base && (folder === '.' ? true : row.description.replace(/\\/g, '/').endsWith(folder)),
    );
    await page.locator(selectors.activeTab).filter({ hasText: base }).waitFor();
    await page.locator(selectors.activeEditor).first().waitFor();
  }

  async function runCommand(title: string): Promise<void> {
    // F1 opens the palette with its '>' prefix; fill() replaces it, so add it back.
    await pickFromQuickInput('F1', `>${title}`, (row) => row.label.toLowerCase() === title.toLowerCase());
  }

  async function goToPosition(line: number, column: number): Promise<void> {
    await focusEditor();
    await page.keyboard.press('Control+G');
    await quickInput.waitFor({ state: 'visible' });
    await page.locator(selectors.quickInputBox).fill(`:${line}:${column}`);
    await page.keyboard.press('Enter');
    await quickInput.waitFor({ state: 'hidden' });
  }

  async function showHoverAtCursor(options: HoverOptions = {}): Promise<string> {
    // "Show or Focus Hover" shows the hover for the cursor position, which
    // is more reliable than moving the mouse over rendered text.
    const hover = page.locator(selectors.hover).first();
    // Nothing shows while the server is still busy (first analysis of the
    // workspace) and has no answer yet: ask again until a hover appears.
    const deadline = Date.now() + 20_000;
    for (;;) {
      await page.keyboard.press('Control+K');
      await page.keyboard.press('Control+I');
      const shown = await hover
        .waitFor({ state: 'visible', timeout: 4_000 })
        .then(() => true)
        .catch(() => false);
      if (shown) break;
      if (Date.now() > deadline) throw new Error('no hover appeared at the cursor (Ctrl+K Ctrl+I)');
    }
    // Providers may resolve after the "Loading..." placeholder.
    await page.waitForFunction(
      (selector) => {
        const element = document.querySelector(selector);
        return !!element && !/^\s*Loading\.\.\.\s*$/.test(element.textContent ?? '');
      },
      selectors.hover,
    );
    const readText = async () => (await page.locator(selectors.hover).allInnerTexts()).join('\n').trim();
    let text = await readText();
    const until = options.until;
    if (until) {
      const untilDeadline = Date.now() + 15_000;
      while (!until.test(text) && Date.now() < untilDeadline) {
        await page.waitForTimeout(250);
        // The hover may close when the editor re-renders; show it again.
        if (!(await hover.isVisible())) {
          await page.keyboard.press('Control+K');
          await page.keyboard.press('Control+I');
          await hover.waitFor({ state: 'visible', timeout: 4_000 }).catch(() => undefined);
        }
        text = await readText();
      }
    }
    if (!options.keepOpen) await page.keyboard.press('Escape');
    return text;
  }

  async function hoverAt(line: number, column: number, options?: HoverOptions): Promise<string> {
    await goToPosition(line, column);
    return showHoverAtCursor(options);
  }

  async function hoverOnText(text: string, options?: HoverOptions): Promise<string> {
    const lines = await renderedLines();
    const found = lines.find((line) => line.text.includes(text));
    if (!found) throw new Error(`text not visible in the editor: ${JSON.stringify(text)}`);
    return hoverAt(found.line, found.text.indexOf(text) + 1, options);
  }

  async function renderedLines(): Promise<Array<{ line: number; text: string }>> {
    // Line texts and line numbers are rendered in two layers; the same `top`
    // pairs them. The first rendered line is not line 1 once the editor scrolls.
    const editor = page.locator(selectors.activeEditor).first();
    await editor.waitFor();
    return editor.evaluate((root: PageElement, parts: { text: string; number: string }) => {
      const byTop = (selector: string) =>
        new Map(Array.from(root.querySelectorAll(selector)).map((element) => [Math.round(parseFloat(element.style.top)), (element.textContent ?? '').replace(/\u00a0/g, ' ')]));
      const texts = byTop(parts.text);
      const numbers = byTop(parts.number);
      return [...texts.entries()]
        .sort((a, b) => a[0] - b[0])
        .map(([top, text]) => ({ line: Number.parseInt(numbers.get(top) ?? '', 10), text }))
        .filter((entry) => Number.isInteger(entry.line));
    }, { text: selectors.viewLine, number: selectors.lineNumber });
  }

  async function lineNumberOf(text: string): Promise<number> {
    const lines = await renderedLines();
    const found = lines.find((line) => line.text.includes(text));
    if (!found) throw new Error(`no rendered line contains ${JSON.stringify(text)}:\n${lines.map((line) => `${line.line}: ${line.text}`).join('\n')}`);
    return found.line;
  }

  async function replaceToEndOfLine(line: number, column: number, text: string): Promise<void> {
    await goToPosition(line, column);
    await page.keyboard.press('Shift+End');
    if (text === '') await page.keyboard.press('Delete');
    else await page.keyboard.type(text);
  }

  async function triggerCompletion(options: KeepOpenOption = {}): Promise<string[]> {
    await page.keyboard.press('Control+Space');
    const rows = page.locator(selectors.suggestRow);
    // The widget shows rows, or a message: "Loading..." while providers are
    // still computing (not an answer yet), then "No suggestions." when empty.
    const emptyMessage = page.locator(selectors.suggestEmptyMessage).filter({ hasNotText: /Loading/ });
    await rows.or(emptyMessage).filter({ visible: true }).first().waitFor({ state: 'visible' });
    const shownRows = rows.filter({ visible: true });
    const labels = (await shownRows.count()) > 0 ? await shownRows.locator(selectors.suggestLabel).allTextContents() : [];
    if (!options.keepOpen) await page.keyboard.press('Escape');
    return labels.map((label) => label.trim());
  }

  async function openQuickFixMenu(): Promise<Locator> {
    const rows = page.locator(selectors.actionWidgetRow);
    // Code actions are computed asynchronously after the cursor moves; a Ctrl+.
    // pressed too early shows nothing, so ask again until the menu has rows.
    const deadline = Date.now() + 15_000;
    for (;;) {
      await page.keyboard.press('Control+.');
      const shown = await rows
        .first()
        .waitFor({ state: 'visible', timeout: 3_000 })
        .then(() => true)
        .catch(() => false);
      if (shown) return rows;
      if (Date.now() > deadline) throw new Error('the quick-fix menu (Ctrl+.) never showed any action');
      await page.keyboard.press('Escape');
    }
  }

  async function quickFixMenu(): Promise<string[]> {
    const rows = await openQuickFixMenu();
    return (await rows.allInnerTexts()).map((text) => text.replace(/\s+/g, ' ').trim());
  }

  async function notifications(): Promise<string[]> {
    const toasts = page.locator(selectors.notificationToast);
    return (await toasts.allInnerTexts()).map((text) => text.replace(/\s+/g, ' ').trim());
  }

  async function webviewTexts(): Promise<string[]> {
    // A webview is an iframe (`iframe.webview`) whose document hosts the
    // extension's content in a second iframe (`#active-frame`).
    const outer = page.locator(selectors.webviewFrame);
    const texts: string[] = [];
    for (let index = 0; index < (await outer.count()); index++) {
      const body = outer.nth(index).contentFrame().locator('iframe#active-frame').contentFrame().locator('body');
      texts.push(await body.innerText({ timeout: 5_000 }).catch(() => ''));
    }
    return texts;
  }

  async function quickFix(title: string): Promise<void> {
    const rows = await openQuickFixMenu();
    const match = rows.filter({ hasText: title });
    if ((await match.count()) === 0) {
      const seen = await rows.allInnerTexts();
      await page.keyboard.press('Escape');
      throw new Error(`no quick fix titled "${title}"; offered: ${JSON.stringify(seen)}`);
    }
    await match.first().click({ force: true });
    await rows.first().waitFor({ state: 'hidden' });
  }

  async function codeLenses(): Promise<string[]> {
    const lenses = page.locator(selectors.codeLens);
    await lenses.first().waitFor({ state: 'visible' });
    return (await lenses.allInnerTexts()).map((text) => text.replace(/\u00a0/g, ' ').trim()).filter(Boolean);
  }

  async function editorText(): Promise<string> {
    // Monaco renders only the visible lines, absolutely positioned: sort them
    // by their top offset. Long files need scrolling; tests use short ones.
    const editor = page.locator(selectors.activeEditor).first();
    await editor.waitFor();
    return editor.evaluate((root: PageElement, lineSelector: string) => {
      const lines = Array.from(root.querySelectorAll(lineSelector));
      lines.sort((a, b) => parseFloat(a.style.top) - parseFloat(b.style.top));
      return lines.map((line) => (line.textContent ?? '').replace(/\u00a0/g, ' ')).join('\n');
    }, selectors.viewLine);
  }

  async function problems(): Promise<ProblemRow[]> {
    await runCommand('View: Focus Problems (Errors, Warnings, Infos)');
    await page.locator(selectors.markersPanel).waitFor({ state: 'visible' });
    return readProblems(page);
  }

  async function waitForProblems(predicate: (rows: ProblemRow[]) => boolean, timeoutMs = 30_000): Promise<ProblemRow[]> {
    const deadline = Date.now() + timeoutMs;
    let rows = await problems();
    while (!predicate(rows)) {
      if (Date.now() > deadline) throw new Error(`Problems panel never matched; last rows: ${JSON.stringify(rows, null, 2)}`);
      await page.waitForTimeout(500);
      rows = await readProblems(page);
    }
    return rows;
  }

  async function screenshot(name: string): Promise<string> {
    mkdirSync(screenshotDir, { recursive: true });
    const file = path.join(screenshotDir, `${name.replace(/[^\w.-]+/g, '_')}.png`);
    await page.screenshot({ path: file });
    return file;
  }

  return {
    page,
    serverUrl,
    screenshot,
    openFile,
    problems,
    waitForProblems,
    goToPosition,
    hoverAt,
    hoverOnText,
    triggerCompletion,
    replaceToEndOfLine,
    runCommand,
    quickFix,
    quickFixMenu,
    notifications,
    webviewTexts,
    codeLenses,
    editorText,
    renderedLines,
    lineNumberOf,
    serverLog,
    close,
  };
}

/**
 * Reads the Problems tree. Resource rows carry the file name; marker rows
 * follow their resource and carry message, source and code in their own spans.
 * The tree is virtualized: only rows in view are read (enough for test folders).
 */
async function readProblems(page: Page): Promise<ProblemRow[]> {
  const rows: Locator = page.locator(selectors.markersRow);
  return rows.evaluateAll((elements: PageElement[]) => {
    const result: Array<{ file: string; message: string; source: string; code: string; severity: string }> = [];
    const ordered = [...elements].sort((a, b) => parseFloat(a.style.top || '0') - parseFloat(b.style.top || '0'));
    let currentFile = '';
    for (const row of ordered) {
      const text = (selector: string) => (row.querySelector(selector)?.textContent ?? '').trim();
      if (!row.querySelector('.marker-message')) {
        currentFile = text('.monaco-icon-label .label-name') || text('.label-name') || currentFile;
        continue;
      }
      // `.marker-icon` carries the severity as a class (`marker-icon error`).
      const iconClass = row.querySelector('.marker-icon')?.className ?? '';
      const severity = /\berror\b/.test(iconClass)
        ? 'error'
        : /\bwarning\b/.test(iconClass)
          ? 'warning'
          : /\binfo\b/.test(iconClass)
            ? 'info'
            : 'unknown';
      result.push({
        file: currentFile,
        message: text('.marker-message'),
        source: text('.marker-source'),
        code: text('.marker-code'),
        severity,
      });
    }
    return result;
  }) as Promise<ProblemRow[]>;
}

async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

async function waitForHttp(url: string, timeoutMs: number, exited: () => boolean, log: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited()) throw new Error(`code-server exited early:\n${log()}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`code-server did not answer ${url} within ${timeoutMs} ms`);
}

async function killProcessGroup(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // The group is already gone.
    }
  };
  signalGroup('SIGTERM');
  const timedOut = await Promise.race([exited.then(() => false), sleep(5_000).then(() => true)]);
  // Children (extension host, language servers) may outlive the server: make sure.
  signalGroup('SIGKILL');
  if (timedOut) await Promise.race([exited, sleep(2_000)]);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
