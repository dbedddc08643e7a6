/**
 * The Neovim snippets of docs/editors.md, run as written: a headless Neovim
 * takes the snippet for its version as its `init.lua`, opens a policy with a
 * misspelt field in a temporary repository and must receive meshlens's
 * diagnostic for it. `meshlens-language-server` is found on PATH as the docs
 * say, through a shim that runs this checkout's bundle (`dist/server.js`,
 * built by `npm test` / `npm run build`).
 *
 * Skips with a clear message when `nvim` is not installed;
 * MESHLENS_NVIM_REQUIRED=1 (CI, after installing Debian's Neovim) turns the
 * skip into a failure.
 */

import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/repo';

const probe = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
const version = /NVIM v(\d+)\.(\d+)/.exec(probe.stdout ?? '');
const missing = probe.error || !version ? 'skipped: nvim is not installed (apt-get install neovim), so the Neovim snippets of docs/editors.md are not run' : undefined;
if (missing && process.env.MESHLENS_NVIM_REQUIRED === '1') throw new Error(`MESHLENS_NVIM_REQUIRED=1 but ${missing}`);
if (missing) console.warn(missing);

/** The Lua snippets of docs/editors.md, by the minimum Neovim version their marker names. */
export function neovimSnippets(markdown: string): { minor: number; lua: string }[] {
  const snippets: { minor: number; lua: string }[] = [];
  for (const match of markdown.matchAll(/<!-- neovim-snippet: 0\.(\d+) -->\n```lua\n([\s\S]*?)```/g)) snippets.push({ minor: Number(match[1]), lua: match[2] });
  return snippets;
}

const docs = readFileSync(join(repoRoot, 'docs', 'editors.md'), 'utf8');

describe('docs/editors.md', () => {
  it('has a Neovim snippet for 0.11+ and one for older versions, each a complete Lua chunk', () => {
    const snippets = neovimSnippets(docs);
    expect(snippets.map((snippet) => snippet.minor)).toEqual([11, 7]);
    for (const snippet of snippets) expect(snippet.lua).toContain("'meshlens-language-server', '--stdio'");
  });
});

describe.skipIf(missing !== undefined)('headless Neovim with the documented snippet', () => {
  it('starts meshlens-language-server and shows its diagnostics for a YAML file', () => {
    const minor = Number(version![2]);
    const snippet = neovimSnippets(docs).find((candidate) => minor >= candidate.minor)!;
    const work = mkdtempSync(join(tmpdir(), 'meshlens-nvim-'));
    const bin = join(work, 'bin');
    const repo = join(work, 'repo');
    mkdirSync(bin);
    mkdirSync(join(repo, '.git'), { recursive: true });
    const shim = join(bin, 'meshlens-language-server');
    writeFileSync(shim, `#!/bin/sh\nexec "${process.execPath}" "${join(repoRoot, 'dist', 'server.js')}" "$@"\n`);
    chmodSync(shim, 0o755);
    writeFileSync(join(repo, 'policy.yaml'), 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  endpointSelector: {}\n  ingress:\n    - fromEndpoints:\n        - {}\n      toPort: []\n');
    writeFileSync(join(work, 'init.lua'), snippet.lua);
    const result = join(work, 'diagnostics.json');
    writeFileSync(
      join(work, 'driver.lua'),
      [
        "vim.cmd('edit policy.yaml')",
        'local found = vim.wait(25000, function() return #vim.diagnostic.get(0) > 0 end, 100)',
        'local out = {}',
        'for _, d in ipairs(vim.diagnostic.get(0)) do',
        '  local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)',
        '  table.insert(out, { line = d.lnum, source = d.source or "", code = code or "", message = d.message })',
        'end',
        `vim.fn.writefile({ vim.fn.json_encode({ found = found, clients = #vim.lsp.get_active_clients(), diagnostics = out }) }, '${result}')`,
        "vim.cmd('qa!')",
      ].join('\n'),
    );
    const run = spawnSync('nvim', ['--headless', '-u', join(work, 'init.lua'), '-c', `luafile ${join(work, 'driver.lua')}`], {
      cwd: repo,
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH ?? ''}`, XDG_CONFIG_HOME: join(work, 'config'), XDG_DATA_HOME: join(work, 'data'), XDG_STATE_HOME: join(work, 'state') },
    });
    expect(run.error, String(run.stderr)).toBeUndefined();
    const answer = JSON.parse(readFileSync(result, 'utf8')) as { found: boolean; clients: number; diagnostics: { line: number; source: string; code: string; message: string }[] };
    expect(answer.clients).toBe(1);
    expect(answer.diagnostics).toContainEqual(expect.objectContaining({ line: 10, source: 'meshlens', code: 'schema/unknown-field' }));
  }, 90_000);
});
