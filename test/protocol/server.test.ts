/**
 * Protocol tests: start the real bundled server (`dist/server.js --stdio`) and
 * speak LSP to it — initialize, workspace-wide push diagnostics for files never
 * opened, diagnostics on open and on change, pull diagnostics, code actions
 * from diagnostic data, hover and completion.
 */

import { existsSync, mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { keyToUri } from '../../server/src/uris';
import { startLanguageServer, type LspSession } from '../support/lspClient';

const BROKEN_POLICY = 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata:\n  name: web\nspec:\n  endpointSelector: {}\n  ingress:\n    - fromEndpoints:\n        - {}\n      toPort: []\n';

const sessions: LspSession[] = [];

async function startServer(root: string, initializationOptions: object = {}, diagnosticCapability = false): Promise<LspSession> {
  const session = await startLanguageServer({
    root,
    initializationOptions,
    capabilities: {
      workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true } },
      textDocument: diagnosticCapability ? { diagnostic: { dynamicRegistration: false } } : {},
    },
  });
  sessions.push(session);
  return session;
}

afterEach(async () => {
  for (const session of sessions.splice(0)) await session.stop();
});

function workspaceWithPolicy(): { root: string; file: string } {
  const root = mkdtempSync(join(tmpdir(), 'meshlens-lsp-'));
  mkdirSync(join(root, 'policies'));
  const file = join(root, 'policies', 'web.yaml');
  writeFileSync(file, BROKEN_POLICY);
  return { root, file };
}

describe('language server over stdio', () => {
  it('publishes diagnostics for files that were never opened, with rule code and fix data', async () => {
    const { root, file } = workspaceWithPolicy();
    const session = await startServer(root);
    const diagnostics = await session.waitFor(keyToUri(file), (list) => list.length > 0);
    expect(diagnostics.filter((diagnostic) => diagnostic.code === 'schema/unknown-field')).toEqual([
      expect.objectContaining({
        code: 'schema/unknown-field',
        source: 'meshlens',
        severity: 1,
        range: { start: { line: 9, character: 6 }, end: { line: 9, character: 12 } },
        codeDescription: { href: expect.stringContaining('docs/rules/schema/unknown-field.md') },
        data: { fixes: [expect.objectContaining({ title: 'Rename "toPort" to "toPorts"' })] },
      }),
    ]);
    // The rule page ships with the server: the link is a local file, readable offline.
    const href = String((diagnostics.find((diagnostic) => diagnostic.code === 'schema/unknown-field') as { codeDescription?: { href: string } }).codeDescription?.href);
    expect(href.startsWith('file://')).toBe(true);
    expect(existsSync(fileURLToPath(href))).toBe(true);
  });

  it('re-checks on change and offers the quick-fix as a code action', async () => {
    const { root, file } = workspaceWithPolicy();
    const session = await startServer(root);
    const uri = keyToUri(file);
    await session.waitFor(uri, (list) => list.some((diagnostic) => String(diagnostic.message).includes('"toPort"')));
    await session.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: BROKEN_POLICY } });
    await session.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: { line: 5, character: 2 }, end: { line: 5, character: 18 } }, text: 'endpointSelectr' }],
    });
    const changed = await session.waitFor(uri, (list) => list.some((diagnostic) => String(diagnostic.message).includes('"endpointSelectr"')));
    expect(changed.filter((diagnostic) => diagnostic.code === 'schema/unknown-field')).toHaveLength(2);
    const typo = changed.find((diagnostic) => String(diagnostic.message).includes('endpointSelectr'))!;
    const actions = await session.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: typo.range,
      context: { diagnostics: [typo] },
    });
    expect(actions).toEqual([
      expect.objectContaining({
        title: 'Rename "endpointSelectr" to "endpointSelector"',
        kind: 'quickfix',
        isPreferred: true,
        edit: { changes: { [uri]: [{ range: typo.range, newText: 'endpointSelector' }] } },
      }),
      // Then the suppression comments, for the line and for the file.
      expect.objectContaining({
        title: 'Disable schema/unknown-field for this line',
        edit: { changes: { [uri]: [{ range: { start: { line: 5, character: 0 }, end: { line: 5, character: 0 } }, newText: '  # meshlens-disable-next-line schema/unknown-field\n' }] } },
      }),
      expect.objectContaining({
        title: 'Disable schema/unknown-field for this file',
        edit: { changes: { [uri]: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: '# meshlens-disable-file schema/unknown-field\n' }] } },
      }),
    ]);
  });

  it('answers pull diagnostics when the client asks for pull mode', async () => {
    const { root, file } = workspaceWithPolicy();
    const session = await startServer(root, { diagnosticMode: 'pull' }, true);
    const uri = keyToUri(file);
    await session.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: BROKEN_POLICY } });
    const report = (await session.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri } })) as { kind: string; items: Diagnostic[] };
    expect(report.kind).toBe('full');
    expect(report.items.map((item) => item.code)).toContain('schema/unknown-field');
    expect(session.published.size).toBe(0);
  });

  it('tells the client when the model changed and asks it to refresh code lenses', async () => {
    const { root, file } = workspaceWithPolicy();
    const session = await startLanguageServer({
      root,
      capabilities: { workspace: { configuration: true, codeLens: { refreshSupport: true } } },
    });
    sessions.push(session);
    const uri = keyToUri(file);
    await session.waitFor(uri, (list) => list.length > 0);
    const changed: { files: number; errors: number }[] = [];
    let refreshes = 0;
    session.connection.onNotification('meshlens/modelChanged', (summary: { files: number; errors: number }) => void changed.push(summary));
    session.connection.onRequest('workspace/codeLens/refresh', () => {
      refreshes++;
      return null;
    });
    await session.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: BROKEN_POLICY } });
    await session.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: { line: 9, character: 6 }, end: { line: 9, character: 12 } }, text: 'toPorts' }],
    });
    const final = await session.waitFor(uri, (list) => !list.some((diagnostic) => diagnostic.code === 'schema/unknown-field'));
    // The workspace re-check after the edit sends a summary of what it published: one file, its errors (severity 1).
    const errors = final.filter((diagnostic) => diagnostic.severity === 1).length;
    await expect.poll(() => changed.some((summary) => summary.files === 1 && summary.errors === errors), { timeout: 5000 }).toBe(true);
    expect(refreshes).toBeGreaterThan(0);
  });

  it('hovers and completes from the schema', async () => {
    const { root, file } = workspaceWithPolicy();
    const session = await startServer(root);
    const uri = keyToUri(file);
    await session.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: BROKEN_POLICY } });
    const hover = (await session.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 6, character: 4 } })) as {
      contents: { value: string };
    };
    expect(hover.contents.value).toContain('spec.ingress');
    const completion = (await session.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line: 9, character: 6 } })) as {
      label: string;
      insertTextMode?: number;
      textEdit: { newText: string };
    }[];
    const toPorts = completion.find((item) => item.label === 'toPorts');
    expect(toPorts).toBeDefined();
    // A list key inserts its first item on the next line at absolute indentation (key column + 2),
    // and says so (insertTextMode 1 = asIs) so the editor does not add the line's indentation again.
    expect(toPorts!.textEdit.newText).toBe('toPorts:\n        - $0');
    expect(toPorts!.insertTextMode).toBe(1);
  });
});
