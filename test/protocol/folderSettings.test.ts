/**
 * Settings per workspace folder: the server asks for the `meshlens` section
 * with each folder as scope and judges a file by its folder's settings (a
 * folder's `.vscode/settings.json` wins over the window's), not by one
 * global object.
 */

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { keyToUri } from '../../server/src/uris';
import { startLanguageServer, type LspSession } from '../support/lspClient';

// A misspelt field (schema/unknown-field) and no endpointSelector (cnp/missing-subject-selector).
const POLICY = 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  ingres: []\n';

const sessions: LspSession[] = [];
afterEach(async () => {
  for (const session of sessions.splice(0)) await session.stop();
});

describe('settings per workspace folder', () => {
  it("judges a file by its folder's settings", async () => {
    const root = mkdtempSync(join(tmpdir(), 'meshlens-folder-settings-'));
    const file = join(root, 'policy.yaml');
    writeFileSync(file, POLICY);
    const scopes: (string | undefined)[] = [];
    const session = await startLanguageServer({
      root,
      capabilities: { workspace: { configuration: true } },
      scopedSettings: (scopeUri) => {
        scopes.push(scopeUri);
        // The window turns the CNP rule off; the folder turns the schema rule off instead.
        return scopeUri ? { rules: { 'schema/unknown-field': 'off' } } : { rules: { 'cnp/missing-subject-selector': 'off' } };
      },
    });
    sessions.push(session);
    const diagnostics = await session.waitFor(keyToUri(file), (published) => published.length > 0);
    const codes = diagnostics.map((diagnostic) => String(diagnostic.code));
    expect(codes).toContain('cnp/missing-subject-selector');
    expect(codes).not.toContain('schema/unknown-field');
    expect(scopes).toContain(keyToUri(root));
    expect(scopes).toContain(undefined);
  });

  it('follows folders added to the window: their files are checked with their own settings', async () => {
    const first = mkdtempSync(join(tmpdir(), 'meshlens-folder-a-'));
    const second = mkdtempSync(join(tmpdir(), 'meshlens-folder-b-'));
    const file = join(second, 'policy.yaml');
    writeFileSync(file, POLICY);
    const scopes: (string | undefined)[] = [];
    const session = await startLanguageServer({
      root: first,
      capabilities: { workspace: { configuration: true, workspaceFolders: true } },
      scopedSettings: (scopeUri) => {
        scopes.push(scopeUri);
        return scopeUri === keyToUri(second) ? { rules: { 'schema/unknown-field': 'off' } } : {};
      },
    });
    sessions.push(session);
    await session.connection.sendNotification('workspace/didChangeWorkspaceFolders', { event: { added: [{ uri: keyToUri(second), name: 'b' }], removed: [] } });
    const diagnostics = await session.waitFor(keyToUri(file), (published) => published.length > 0);
    const codes = diagnostics.map((diagnostic) => String(diagnostic.code));
    expect(codes).toContain('cnp/missing-subject-selector');
    expect(codes).not.toContain('schema/unknown-field');
    expect(scopes).toContain(keyToUri(second));
  });
});
