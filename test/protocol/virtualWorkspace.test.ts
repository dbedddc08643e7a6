/**
 * The Node language server (`dist/server.js`, as VS Code desktop starts it)
 * on a workspace folder that is not on disk: a `vscode-vfs:` folder, as the
 * GitHub Repositories extension opens one. The server reads the folder
 * through the client (`server/src/clientFiles.ts`); this test plays the
 * client, answering the list and read requests from the example repository
 * mapped to `vscode-vfs://github/…` URIs. Needs `npm run build` first.
 */

import { join } from 'node:path';
import { RequestType } from 'vscode-jsonrpc/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMPARE_REQUEST, READ_FILE_REQUEST, WORKSPACE_FILES_REQUEST, type CompareResponse, type ReadFileParams, type ReadFileResult } from '../../protocol/src/messages';
import { startLanguageServer, type LspSession } from '../support/lspClient';
import { repoRoot } from '../support/repo';
import { filesAsFolder } from '../support/virtualFolder';

const exampleRoot = join(repoRoot, 'examples', 'platform-repo');
const folderUri = 'vscode-vfs://github/meshlens/platform-repo';

describe('the Node language server on a virtual (vscode-vfs) workspace folder', () => {
  const files = filesAsFolder(exampleRoot, folderUri);
  const requested = { list: 0, read: [] as string[] };
  const logs: string[] = [];
  let session: LspSession;

  beforeAll(async () => {
    session = await startLanguageServer({
      // The folder on disk is never read: the root only names a folder that does not exist.
      root: join(repoRoot, 'does-not-exist'),
      folderUri,
      onConnection(connection) {
        connection.onNotification('window/logMessage', (params: { message: string }) => void logs.push(params.message));
        connection.onRequest(WORKSPACE_FILES_REQUEST, () => {
          requested.list++;
          return { uris: [...files.keys()].filter((uri) => /\.ya?ml$/.test(uri)) };
        });
        connection.onRequest(new RequestType<ReadFileParams, ReadFileResult, void>(READ_FILE_REQUEST), (params) => {
          requested.read.push(params.uri);
          const text = files.get(params.uri);
          return text === undefined ? { refused: 'not found' } : { text };
        });
      },
    });
  }, 30_000);

  afterAll(() => session?.stop());

  it('lists and reads the folder through the client and publishes findings of files never opened, under their vscode-vfs URIs', async () => {
    const policy = await session.waitFor(`${folderUri}/clusters/prod/apps/shop/checkout-policy.yaml`, (diagnostics) => diagnostics.length > 0, 20_000);
    expect(policy.map((diagnostic) => diagnostic.code)).toEqual(expect.arrayContaining(['cnp/l7-requires-tcp', 'cnp/invalid-http-regex']));
    // A finding across files: the Cilium HelmRelease judged against the NodeProfiles read through the client.
    const release = await session.waitFor(`${folderUri}/clusters/prod/infrastructure/cilium/helmrelease.yaml`, (diagnostics) => diagnostics.length > 0, 20_000);
    expect(release.map((diagnostic) => diagnostic.code)).toContain('kernel/feature-fails');
    expect(requested.list).toBe(1);
    // Every YAML file of the folder was read, and nothing else.
    expect(new Set(requested.read)).toEqual(new Set([...files.keys()].filter((uri) => /\.ya?ml$/.test(uri))));
    expect([...session.published.keys()].every((uri) => uri.startsWith(`${folderUri}/`))).toBe(true);
    expect(logs.some((line) => /not on disk/.test(line))).toBe(true);
  }, 30_000);

  it('says why comparing with a git revision cannot run there', async () => {
    const answer = await session.connection.sendRequest<CompareResponse>(COMPARE_REQUEST, { ref: 'main' });
    expect(answer).toEqual({ error: expect.stringMatching(/^not available here: a workspace folder is not on disk/) });
  });
});
