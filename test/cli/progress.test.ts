/**
 * The progress bar of `meshlens check`: drawn on stderr only when stderr is a
 * terminal, never on stdout (JSON and SARIF stay parseable), erased before the
 * report, and not drawn at all for runs shorter than its delay.
 */

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../cli/src/cliContext';
import { run } from '../../cli/src/main';
import { TerminalProgress } from '../../cli/src/progress';

const ERASE_LINE = '\r\u001b[2K';

function manyFiles(count: number): string {
  const root = mkdtempSync(join(tmpdir(), 'meshlens-progress-'));
  for (let index = 0; index < count; index++) {
    writeFileSync(join(root, `np-${index}.yaml`), `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: np-${index}\n  namespace: shop\nspec:\n  podSelector: {}\n  policyTypes: [Ingress]\n`);
  }
  return root;
}

async function check(args: string[], stderrIsTty: boolean): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text), isTty: false, stderrIsTty, progressTiming: { delayMs: 0, intervalMs: 0 } };
  const code = await run(['check', ...args], io);
  return { code, stdout, stderr };
}

describe('check progress bar', () => {
  it('draws on a terminal stderr and keeps JSON on stdout clean', async () => {
    const root = manyFiles(30);
    const result = await check([root, '--format', 'json'], true);
    expect(result.stderr).toContain('meshlens: reading [');
    expect(result.stderr).toContain('meshlens: checking [');
    expect(result.stderr).toMatch(/checking \[[#·]{20}\] 29\/30 files/);
    // The last thing written is the erase: the terminal is left clean for the report.
    expect(result.stderr.endsWith(ERASE_LINE)).toBe(true);
    expect(JSON.parse(result.stdout).summary.files).toBe(30);
    expect(result.stdout).not.toContain('\r');
  });

  it('writes nothing when stderr is not a terminal', async () => {
    const root = manyFiles(30);
    const result = await check([root, '--format', 'sarif'], false);
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout).version).toBe('2.1.0');
  });

  it('draws nothing before its delay and at most once per interval', () => {
    let time = 0;
    const written: string[] = [];
    const progress = new TerminalProgress({ enabled: true, write: (text) => written.push(text), now: () => time, delayMs: 250, intervalMs: 100 });
    progress.update('checking', 1, 10);
    time = 200;
    progress.update('checking', 2, 10);
    progress.clear();
    expect(written).toEqual([]);
    time = 300;
    progress.update('checking', 5, 10);
    time = 350;
    progress.update('checking', 6, 10);
    time = 400;
    progress.update('checking', 10, 10);
    progress.clear();
    expect(written).toEqual([
      `${ERASE_LINE}meshlens: checking [##########··········] 5/10 files`,
      `${ERASE_LINE}meshlens: checking [####################] 10/10 files`,
      ERASE_LINE,
    ]);
  });
});
