// Shared plumbing of the e2e scenarios: whether a scenario can run, the
// screenshot saved when one fails, and the cropped README screenshots.
//
// Inputs (environment):
//   MESHLENS_VSIX               the .vsix under test (scenarios skip without it)
//   MESHLENS_E2E_REQUIRED=1     turn a skip into a failure (CI: a silent skip proves nothing)
//   MESHLENS_E2E_SCREENSHOTS    folder for the README screenshots (e.g. docs/images); none taken when unset
//
// Invariants: README screenshots are PNGs cropped to the region that matters
// (Playwright `clip`), so they stay small; they are only written when asked
// for, never on an ordinary run.
import { existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { onTestFailed } from 'vitest';
import type { Locator } from 'playwright-core';
import { findE2eInstall, repoRoot, type ProblemRow, type VsCodeSession } from './harness';

export const fixturesDir = path.join(repoRoot, 'test', 'e2e', 'fixtures');

/** The vsix to test, or why the scenario is skipped. Throws when skipping is not allowed. */
export function scenarioInput(scenario: string): { vsix: string; skipReason?: undefined } | { vsix?: undefined; skipReason: string } {
  const vsix = process.env.MESHLENS_VSIX;
  const install = findE2eInstall();
  const skipReason = !vsix
    ? 'MESHLENS_VSIX is not set (path to the packaged extension)'
    : !existsSync(vsix)
      ? `MESHLENS_VSIX points to a missing file: ${vsix}`
      : 'missing' in install
        ? install.missing
        : undefined;
  if (skipReason && process.env.MESHLENS_E2E_REQUIRED === '1') {
    throw new Error(`[e2e ${scenario}] cannot run and MESHLENS_E2E_REQUIRED=1: ${skipReason}`);
  }
  if (skipReason) {
    console.warn(`[e2e ${scenario}] skipped: ${skipReason}`);
    return { skipReason };
  }
  return { vsix: vsix! };
}

/**
 * Registers, inside a running test, a full-page screenshot and the server log
 * to be printed when that test fails.
 */
export function screenshotOnFailure(session: () => VsCodeSession | undefined, name: string): void {
  onTestFailed(async () => {
    const vscode = session();
    if (!vscode) return;
    const file = await vscode.screenshot(`${name}-failure`).catch((error: unknown) => `(no screenshot: ${String(error)})`);
    console.error(`[e2e ${name}] failure screenshot: ${file}\n--- code-server log (tail) ---\n${vscode.serverLog().slice(-4000)}`);
  });
}

/**
 * Waits (up to 60 s) until the server's first analysis of the workspace is
 * listed — `loaded` holds for the Problems rows — then hides the panel, so
 * the scenarios start from an editor with nothing over it.
 */
export async function waitForFirstAnalysis(session: VsCodeSession, loaded: (row: ProblemRow) => boolean): Promise<void> {
  await session.waitForProblems((rows) => rows.some(loaded), 60_000);
  await session.runCommand('View: Hide Panel');
}

export interface ReadmeShotOptions {
  /** Pixels added around the union of the regions. Default 12. */
  padding?: number;
  /** Caps on the crop size, so a large panel does not make a large file. */
  maxWidth?: number;
  maxHeight?: number;
}

/**
 * When MESHLENS_E2E_SCREENSHOTS is set, saves `<name>.png` there, cropped to
 * the union of the visible `regions` (plus padding, within the viewport).
 * Returns the file, or undefined when no screenshot was asked for.
 */
export async function readmeScreenshot(
  vscode: VsCodeSession,
  name: string,
  regions: Locator[],
  options: ReadmeShotOptions = {},
): Promise<string | undefined> {
  const target = process.env.MESHLENS_E2E_SCREENSHOTS;
  if (!target) return undefined;
  const padding = options.padding ?? 12;
  const viewport = vscode.page.viewportSize() ?? { width: 1400, height: 900 };
  const boxes = [];
  for (const region of regions) {
    const box = await region.boundingBox();
    if (box && box.width > 0 && box.height > 0) boxes.push(box);
  }
  if (boxes.length === 0) throw new Error(`README screenshot ${name}: none of its regions is visible`);
  const left = Math.max(0, Math.min(...boxes.map((box) => box.x)) - padding);
  const top = Math.max(0, Math.min(...boxes.map((box) => box.y)) - padding);
  const right = Math.min(viewport.width, Math.max(...boxes.map((box) => box.x + box.width)) + padding);
  const bottom = Math.min(viewport.height, Math.max(...boxes.map((box) => box.y + box.height)) + padding);
  const clip = {
    x: left,
    y: top,
    width: Math.min(right - left, options.maxWidth ?? viewport.width),
    height: Math.min(bottom - top, options.maxHeight ?? viewport.height),
  };
  const folder = path.resolve(repoRoot, target);
  mkdirSync(folder, { recursive: true });
  const file = path.join(folder, `${name}.png`);
  await vscode.page.screenshot({ path: file, clip, animations: 'disabled', caret: 'hide' });
  console.log(`[e2e] README screenshot ${path.relative(repoRoot, file)}: ${Math.round(clip.width)}x${Math.round(clip.height)}, ${Math.round(statSync(file).size / 1024)} KB`);
  return file;
}
