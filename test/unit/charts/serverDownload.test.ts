/**
 * The language server's chart-download wiring over LSP (stdio), with the
 * server bundled from source by the test (esbuild, into a temporary folder)
 * and a chart repository served over HTTPS on 127.0.0.1 (reached with the
 * private-network setting on): with `meshlens.charts.download`
 * on in a trusted workspace the download lands and the server republishes
 * `helm/chart-schema` findings; untrusted (or no trust flag at all) or with
 * the setting off, the repository sees no request; granting trust
 * (`meshlens/trustChanged`) starts the download.
 */

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { keyToUri } from '../../../server/src/uris';
import { startLanguageServer, type LspSession } from '../../support/lspClient';
import { repoRoot } from '../../support/repo';
import { chartArchive, fluxManifests, HAS_OPENSSL, startChartRepository, type ChartRepositoryServer } from './chartRepository';

let scratch: string;
let serverBundle: string;
let repository: ChartRepositoryServer;
const sessions: LspSession[] = [];

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'meshlens-server-charts-'));
  serverBundle = join(scratch, 'server.js');
  await build({ entryPoints: [join(repoRoot, 'server', 'src', 'node.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: serverBundle, logLevel: 'silent' });
  if (HAS_OPENSSL) repository = await startChartRepository({ podinfo: [{ version: '6.5.0', archive: chartArchive('podinfo', '6.5.0') }] });
}, 60_000);

afterAll(async () => {
  await repository?.close();
  rmSync(scratch, { recursive: true, force: true });
});

afterEach(async () => {
  for (const session of sessions.splice(0)) await session.stop();
  if (repository) repository.requests.length = 0;
});

function workspace(name: string): { root: string; releaseUri: string } {
  const root = join(scratch, name);
  mkdirSync(join(root, 'apps'), { recursive: true });
  const manifests = fluxManifests(repository.url, 'podinfo', '6.5.0', '    replicaCount: two\n');
  writeFileSync(join(root, 'repository.yaml'), manifests.repository);
  writeFileSync(join(root, 'apps', 'podinfo.yaml'), manifests.release);
  return { root, releaseUri: keyToUri(join(root, 'apps', 'podinfo.yaml')) };
}

async function startServer(root: string, initializationOptions: object, download: boolean): Promise<LspSession> {
  // The test repository is HTTPS on loopback: trust its certificate (NODE_EXTRA_CA_CERTS) and allow private networks.
  const session = await startLanguageServer({
    root,
    bundle: serverBundle,
    initializationOptions,
    settings: { charts: { download, allowPrivateNetworks: true } },
    env: { ...process.env, NODE_EXTRA_CA_CERTS: repository.caPath },
  });
  sessions.push(session);
  return session;
}

const hasChartSchema = (diagnostics: Diagnostic[]) => diagnostics.some((diagnostic) => diagnostic.code === 'helm/chart-schema');
const settle = () => new Promise((resolve) => setTimeout(resolve, 800));

describe.skipIf(!HAS_OPENSSL)('language server chart downloads', () => {
  it('downloads in a trusted workspace with the setting on, then republishes helm/chart-schema findings', async () => {
    const { root, releaseUri } = workspace('trusted');
    const { waitFor } = await startServer(root, { trusted: true, cacheDir: join(root, '.cache') }, true);
    const diagnostics = await waitFor(releaseUri, hasChartSchema);
    expect(diagnostics.find((diagnostic) => diagnostic.code === 'helm/chart-schema')?.message).toBe(
      '`replicaCount` must be integer (values.schema.json of chart podinfo 6.5.0); Helm refuses to install',
    );
    expect(repository.requests).toEqual(['GET /index.yaml meshlens/0.1.0', 'GET /podinfo-6.5.0.tgz meshlens/0.1.0']);
  });

  it('makes no request without a trust flag or with the setting off; granting trust starts the download', async () => {
    const untrusted = workspace('untrusted');
    const session = await startServer(untrusted.root, { cacheDir: join(untrusted.root, '.cache') }, true);
    await session.waitFor(untrusted.releaseUri, () => true);
    await settle();
    expect(repository.requests).toEqual([]);

    const off = workspace('off');
    const offSession = await startServer(off.root, { trusted: true, cacheDir: join(off.root, '.cache') }, false);
    await offSession.waitFor(off.releaseUri, () => true);
    await settle();
    expect(repository.requests).toEqual([]);

    await session.connection.sendNotification('meshlens/trustChanged', { trusted: true });
    await session.waitFor(untrusted.releaseUri, hasChartSchema);
    expect(repository.requests).toHaveLength(2);
  });
});
