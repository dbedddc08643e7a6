/**
 * Chart downloads end to end through MeshlensService with the server's
 * ChartDownloader as the workspace's chart fetcher, against a chart
 * repository served by the test on 127.0.0.1 (no other network): findings
 * from the downloaded chart's values.schema.json after the download, no
 * request while the setting is off or the workspace untrusted, and each
 * refusal (digest, size, time, hostile archive, non-loopback http, OCI) with
 * its reason and no findings from that chart.
 */

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PRIVATE_ADDRESS_REFUSED } from '../../../host/src/charts/addressPolicy';
import { BUDGET_SPENT } from '../../../host/src/charts/boundedGet';
import { MeshlensService } from '../../../core/src/service';
import { defaultAnalysisOptions } from '../../../core/src/options';
import { ChartDownloader, type DownloadLimits, type DownloadPolicy } from '../../../host/src/charts/chartDownloader';
import { chartArchive, fluxManifests, HAS_OPENSSL, OPENSSL_MISSING, startChartRepository, testCertificate, type ChartRepositoryServer, type ServedChart } from './chartRepository';

/** The test repository is HTTPS on 127.0.0.1: trust its certificate and allow loopback (off by default). */
function reachTestServer() {
  return { allowPrivateNetworks: true, ca: testCertificate().cert };
}

if (!HAS_OPENSSL) console.warn(OPENSSL_MISSING);

const options = defaultAnalysisOptions();
const badValues = '    replicaCount: two\n    image:\n      pullPolicy: Sometimes\n      tga: latest\n';

let cacheDir: string;
let repository: ChartRepositoryServer | undefined;

beforeEach(() => {
  cacheDir = mkdtempSync(join(tmpdir(), 'meshlens-charts-'));
});

afterEach(async () => {
  await repository?.close();
  repository = undefined;
  rmSync(cacheDir, { recursive: true, force: true });
});

function podinfoVersions(overrides: Partial<ServedChart> = {}): ServedChart[] {
  return [
    { version: '6.4.0', archive: chartArchive('podinfo', '6.4.0') },
    { version: '6.5.0', archive: chartArchive('podinfo', '6.5.0'), ...overrides },
    { version: '7.0.0', archive: chartArchive('podinfo', '7.0.0') },
  ];
}

function setup(url: string, policy: DownloadPolicy, limits: Partial<DownloadLimits> = {}, version: string | undefined = '6.x', values = badValues) {
  const downloader = new ChartDownloader({ userAgent: 'meshlens/0.1.0', cacheDir, policy, limits, ...reachTestServer() });
  const service = new MeshlensService({ roots: ['/repo'], host: { chartFetcher: downloader } });
  downloader.onDidChange(() => service.chartsChanged());
  const manifests = fluxManifests(url, 'podinfo', version, values);
  service.setFile('/repo/flux-system/repository.yaml', manifests.repository);
  service.setFile('/repo/apps/podinfo.yaml', manifests.release);
  const helmFindings = () => service.diagnostics('/repo/apps/podinfo.yaml', options).filter((diagnostic) => diagnostic.rule.startsWith('helm/'));
  const hoverAt = (text: string) => {
    const release = service.workspace.getFile('/repo/apps/podinfo.yaml')!.text;
    return service.hover('/repo/apps/podinfo.yaml', release.indexOf(text) + 1, options)?.contents;
  };
  const request = { repositoryUrl: url, chart: 'podinfo', version };
  return { downloader, service, helmFindings, hoverAt, request };
}

const allowed: DownloadPolicy = { enabled: true, trusted: true };

describe.skipIf(!HAS_OPENSSL)('chart download through MeshlensService', () => {
  it("reports values that violate the downloaded chart's values.schema.json, after the download lands", async () => {
    repository = await startChartRepository({ podinfo: podinfoVersions() });
    const { downloader, helmFindings, hoverAt } = setup(repository.url, allowed);
    // First pass: the chart is not here yet, so no finding from it.
    expect(helmFindings()).toEqual([]);
    expect(hoverAt('replicaCount')).toContain('downloading chart podinfo 6.x');
    await downloader.whenIdle();
    const findings = helmFindings();
    expect(findings.filter((finding) => finding.rule === 'helm/chart-schema').map((finding) => finding.message)).toEqual([
      '`replicaCount` must be integer (values.schema.json of chart podinfo 6.5.0); Helm refuses to install',
      '`image.pullPolicy` must be equal to one of the allowed values (Always, IfNotPresent, Never) (values.schema.json of chart podinfo 6.5.0); Helm refuses to install',
    ]);
    expect(findings.find((finding) => finding.rule === 'helm/unknown-value-key')?.message).toContain('`image.tga` is not in the values.yaml of chart podinfo 6.5.0');
    // Hover reads the downloaded values.yaml's helm-docs comment.
    expect(hoverAt('replicaCount')).toContain('Number of pods to run');
    // Only the index and the selected archive were requested, with the fixed User-Agent and nothing else.
    expect(repository.requests).toEqual(['GET /index.yaml meshlens/0.1.0', 'GET /podinfo-6.5.0.tgz meshlens/0.1.0']);
  });

  it('serves a later session from the disk cache without any request', async () => {
    repository = await startChartRepository({ podinfo: podinfoVersions() });
    const first = setup(repository.url, allowed);
    first.helmFindings();
    await first.downloader.whenIdle();
    const requestsAfterFirst = repository.requests.length;
    const second = setup(repository.url, allowed);
    // Answered synchronously from the cache: the findings are there on the first pass.
    expect(second.helmFindings().filter((finding) => finding.rule === 'helm/chart-schema')).toHaveLength(2);
    await second.downloader.whenIdle();
    expect(repository.requests).toHaveLength(requestsAfterFirst);
  });

  it('makes no request while the setting is off, and stays silent in hover', async () => {
    repository = await startChartRepository({ podinfo: podinfoVersions() });
    const { downloader, helmFindings, hoverAt } = setup(repository.url, { enabled: false, trusted: true });
    expect(helmFindings()).toEqual([]);
    await downloader.whenIdle();
    expect(helmFindings()).toEqual([]);
    expect(hoverAt('replicaCount')).toBeUndefined();
    expect(repository.requests).toEqual([]);
  });

  it('makes no request in an untrusted workspace (a missing flag is untrusted), and downloads once trust is granted', async () => {
    repository = await startChartRepository({ podinfo: podinfoVersions() });
    const { downloader, helmFindings, hoverAt } = setup(repository.url, { enabled: true, trusted: false });
    expect(helmFindings()).toEqual([]);
    await downloader.whenIdle();
    expect(repository.requests).toEqual([]);
    expect(hoverAt('replicaCount')).toContain('chart downloads are off in an untrusted workspace');
    // A downloader made without a policy is neither enabled nor trusted.
    expect(new ChartDownloader({ userAgent: 'meshlens/0.1.0' }).allowed).toBe(false);
    let changes = 0;
    downloader.onDidChange(() => changes++);
    downloader.setPolicy({ enabled: true, trusted: true });
    expect(changes).toBe(1);
    helmFindings();
    await downloader.whenIdle();
    expect(helmFindings().filter((finding) => finding.rule === 'helm/chart-schema')).toHaveLength(2);
    expect(repository.requests).toHaveLength(2);
  });

  it('refuses an archive whose sha256 differs from the index digest: no findings from it, a clear reason, no retry loop', async () => {
    repository = await startChartRepository({ podinfo: podinfoVersions({ digest: 'ab'.repeat(32) }) });
    const { downloader, helmFindings, hoverAt } = setup(repository.url, allowed);
    helmFindings();
    await downloader.whenIdle();
    expect(helmFindings()).toEqual([]);
    const [problem] = downloader.problems();
    // No response data in the message: neither digest is echoed.
    expect(problem.reason).toMatch(/^chart podinfo 6\.x from https:\/\/127\.0\.0\.1:\d+: the archive of podinfo 6\.5\.0 does not match the sha256 digest in index\.yaml; refused$/);
    expect(problem.reason).not.toMatch(/abab|[0-9a-f]{8}/);
    expect(hoverAt('replicaCount')).toContain('does not match the sha256 digest');
    helmFindings();
    await downloader.whenIdle();
    expect(repository.requests).toHaveLength(2);
  });

  it('refuses a chart whose index entry has no digest', async () => {
    repository = await startChartRepository({ podinfo: podinfoVersions({ digest: null }) });
    const { downloader, helmFindings } = setup(repository.url, allowed);
    helmFindings();
    await downloader.whenIdle();
    expect(helmFindings()).toEqual([]);
    expect(downloader.problems()[0].reason).toContain('the repository index gives no sha256 digest for podinfo 6.5.0; refused');
    // The archive itself was never fetched.
    expect(repository.requests.map((line) => line.split(' ')[1])).toEqual(['/index.yaml']);
  });

  it.each([
    ['with Content-Length', false, 'is larger than 512 KiB; not downloaded'],
    ['chunked, stopped while streaming', true, 'is larger than 512 KiB; download stopped'],
  ])('refuses an archive over the size limit (%s)', async (_label, chunked, expected) => {
    const big = chartArchive('podinfo', '6.5.0', [{ name: 'podinfo/blob.bin', body: randomBytes(600 * 1024) }]);
    repository = await startChartRepository({ podinfo: podinfoVersions({ archive: big }) }, { chunked });
    const { downloader, helmFindings } = setup(repository.url, allowed, { maxArchiveBytes: 512 * 1024 });
    helmFindings();
    await downloader.whenIdle();
    expect(helmFindings()).toEqual([]);
    expect(downloader.problems()[0].reason).toContain(`the chart archive ${expected}`);
  });

  it('refuses an index over its size limit', async () => {
    repository = await startChartRepository({ podinfo: podinfoVersions() });
    const { downloader, helmFindings } = setup(repository.url, allowed, { maxIndexBytes: 100 });
    helmFindings();
    await downloader.whenIdle();
    expect(downloader.problems()[0].reason).toContain('index.yaml is larger than');
    expect(repository.requests).toHaveLength(1);
  });

  it('gives up on a slow server after the total timeout', async () => {
    repository = await startChartRepository({ podinfo: podinfoVersions() }, { delayMs: 3000 });
    const { downloader, helmFindings, hoverAt } = setup(repository.url, allowed, { totalTimeoutMs: 300 });
    const started = Date.now();
    helmFindings();
    await downloader.whenIdle();
    expect(Date.now() - started).toBeLessThan(2500);
    expect(helmFindings()).toEqual([]);
    expect(downloader.problems()[0].reason).toMatch(/127\.0\.0\.1:\d+ did not answer completely within 0\.3 s$/);
    expect(hoverAt('replicaCount')).toContain('did not answer completely within 0.3 s');
  });

  it.each([
    ['a path-traversal entry', [{ name: 'podinfo/../../../etc/evil', body: 'x' }], 'the archive entry "podinfo/../../../etc/evil" points outside the chart folder; refused'],
    ['an absolute path', [{ name: '/etc/evil', body: 'x' }], 'the archive entry "/etc/evil" has an absolute or non-portable path; refused'],
    ['a symlink', [{ name: 'podinfo/link', type: '2', linkName: '/etc/passwd' }], 'the archive entry "podinfo/link" is a link; refused'],
    ['a hard link', [{ name: 'podinfo/hard', type: '1', linkName: 'podinfo/values.yaml' }], 'the archive entry "podinfo/hard" is a link; refused'],
  ])('refuses an archive with %s', async (_label, extra, expected) => {
    const hostile = chartArchive('podinfo', '6.5.0', extra);
    repository = await startChartRepository({ podinfo: podinfoVersions({ archive: hostile }) });
    const { downloader, helmFindings } = setup(repository.url, allowed);
    helmFindings();
    await downloader.whenIdle();
    expect(helmFindings()).toEqual([]);
    expect(downloader.problems()[0].reason).toContain(expected);
  });

  it('refuses an oversized values.yaml and an archive that unpacks beyond the cap', async () => {
    repository = await startChartRepository({ podinfo: podinfoVersions() });
    const entry = setup(repository.url, allowed, { maxEntryBytes: 64 });
    entry.helmFindings();
    await entry.downloader.whenIdle();
    expect(entry.downloader.problems()[0].reason).toContain('values.yaml in the archive is larger than 64 bytes; refused');
    await repository.close();
    // Highly compressible padding: small archive, large tar.
    const bomb = chartArchive('podinfo', '6.5.0', [{ name: 'podinfo/zeros.bin', body: Buffer.alloc(8 * 1024 * 1024) }]);
    repository = await startChartRepository({ podinfo: podinfoVersions({ archive: bomb }) });
    rmSync(cacheDir, { recursive: true, force: true });
    const unpacked = setup(repository.url, allowed, { maxUnpackedBytes: 1024 * 1024 });
    unpacked.helmFindings();
    await unpacked.downloader.whenIdle();
    expect(unpacked.downloader.problems()[0].reason).toContain('the archive unpacks to more than 1 MiB');
  });

  it('follows a loopback redirect but never one to plain http elsewhere', async () => {
    const archive = chartArchive('podinfo', '6.5.0');
    // The archive is served as podinfo-6.5.0.tgz; the index points at a URL that redirects there.
    repository = await startChartRepository(
      { podinfo: [{ version: '6.5.0', archive, url: 'moved.tgz' }] },
      { redirects: { '/moved.tgz': '/podinfo-6.5.0.tgz' } },
    );
    const followed = setup(repository.url, allowed);
    followed.helmFindings();
    await followed.downloader.whenIdle();
    expect(followed.helmFindings().filter((finding) => finding.rule === 'helm/chart-schema')).toHaveLength(2);
    expect(repository.requests.map((line) => line.split(' ')[1])).toEqual(['/index.yaml', '/moved.tgz', '/podinfo-6.5.0.tgz']);
    await repository.close();
    rmSync(cacheDir, { recursive: true, force: true });
    // 192.0.2.1 is TEST-NET-1: the refusal comes before any connection.
    repository = await startChartRepository({ podinfo: [{ version: '6.5.0', archive, url: 'moved.tgz' }] }, { redirects: { '/moved.tgz': 'http://192.0.2.1/podinfo-6.5.0.tgz' } });
    const refused = setup(repository.url, allowed);
    refused.helmFindings();
    await refused.downloader.whenIdle();
    expect(refused.downloader.problems()[0].reason).toContain('redirected the chart archive to a URL that is refused (only https URLs are used for downloads)');
  });

  it('never requests plain http outside loopback, nor OCI registries (said in hover, no request)', async () => {
    const plain = setup('http://192.0.2.1/charts', allowed);
    expect(plain.helmFindings()).toEqual([]);
    expect(plain.hoverAt('replicaCount')).toContain('only https URLs are used for downloads');
    await plain.downloader.whenIdle();
    expect(plain.downloader.problems()[0].reason).toBe('only https URLs are used for downloads (http://192.0.2.1/charts)');

    const oci = setup('oci://ghcr.io/example/charts', allowed);
    expect(oci.helmFindings()).toEqual([]);
    expect(oci.hoverAt('replicaCount')).toContain('downloading charts from OCI registries is not supported');
  });

  it('never follows an http URL taken from an https index (not even to loopback with private networks allowed)', async () => {
    const plain = createHttpServer((_request, response) => response.end('ok'));
    const hits: string[] = [];
    plain.on('request', (request) => hits.push(request.url ?? ''));
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    const port = (plain.address() as AddressInfo).port;
    try {
      const hostile = `http://127.0.0.1:${port}/admin/delete-everything?confirm=yes`;
      repository = await startChartRepository({ podinfo: podinfoVersions({ url: hostile }) });
      const entry = setup(repository.url, allowed);
      entry.helmFindings();
      await entry.downloader.whenIdle();
      expect(hits).toEqual([]);
      expect(entry.downloader.problems()[0].reason).toMatch(/^chart podinfo 6\.x from https:\/\/127\.0\.0\.1:\d+: only https URLs are used for downloads$/);
      expect(entry.downloader.problems()[0].reason).not.toContain('delete-everything');
    } finally {
      plain.closeAllConnections();
      await new Promise((resolve) => plain.close(resolve));
    }
  });

  it('contacts no loopback repository unless private networks are allowed', async () => {
    repository = await startChartRepository({ podinfo: podinfoVersions() });
    const downloader = new ChartDownloader({ userAgent: 'meshlens/0.1.0', cacheDir, policy: allowed, ca: testCertificate().cert });
    const spelled = repository.url.replace('127.0.0.1', '2130706433');
    for (const url of [repository.url, spelled]) expect(downloader.chartFiles({ repositoryUrl: url, chart: 'podinfo', version: '6.5.0' })).toBeUndefined();
    await downloader.whenIdle();
    expect(repository.requests).toEqual([]);
    expect(downloader.problems().map((problem) => problem.reason)).toEqual([
      `${PRIVATE_ADDRESS_REFUSED} (${repository.url})`,
      `${PRIVATE_ADDRESS_REFUSED} (${spelled})`,
    ]);
  });

  it('stops every download when the run budget runs out (repositories that never answer)', async () => {
    repository = await startChartRepository({ podinfo: podinfoVersions() }, { silent: true });
    const entry = setup(repository.url, allowed, { runBudgetMs: 300, totalTimeoutMs: 120_000, connectTimeoutMs: 60_000 });
    entry.helmFindings();
    await entry.downloader.whenIdle();
    expect(entry.downloader.budgetExhausted).toBe(true);
    expect(entry.downloader.problems()[0].reason).toContain(BUDGET_SPENT);
    expect(repository.requests.map((line) => line.split(' ')[1])).toEqual(['/index.yaml']);
  });

  it('never downloads a Cilium chart: Cilium releases use the built-in catalogs', async () => {
    repository = await startChartRepository({ cilium: [{ version: '1.16.5', archive: chartArchive('cilium', '1.16.5') }] });
    const downloader = new ChartDownloader({ userAgent: 'meshlens/0.1.0', cacheDir, policy: allowed, ...reachTestServer() });
    const service = new MeshlensService({ roots: ['/repo'], host: { chartFetcher: downloader } });
    const manifests = fluxManifests(repository.url, 'cilium', '1.16.5', '    kubeProxyReplacement: strict\n');
    service.setFile('/repo/repository.yaml', manifests.repository);
    service.setFile('/repo/cilium.yaml', manifests.release);
    expect(service.diagnostics('/repo/cilium.yaml', options).some((diagnostic) => diagnostic.rule.startsWith('helm/'))).toBe(true);
    await downloader.whenIdle();
    expect(repository.requests).toEqual([]);
  });
});
