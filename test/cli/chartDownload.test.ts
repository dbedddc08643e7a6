/**
 * `meshlens check --download-charts` against a chart repository served by the
 * test on 127.0.0.1. The CLI runs in-process (`run` from cli/src/main.ts):
 * the repository server lives in this process, so a blocking child process
 * could not be answered. The chart cache goes to a temporary
 * `$XDG_CACHE_HOME`, restored afterwards.
 */

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../cli/src/main';
import { chartArchive, fluxManifests, HAS_OPENSSL, startChartRepository, testCertificate, type ChartRepositoryServer } from '../unit/charts/chartRepository';

let workdir: string;
let repository: ChartRepositoryServer | undefined;
const savedCacheHome = process.env.XDG_CACHE_HOME;
const savedExtraCa = process.env.NODE_EXTRA_CA_CERTS;

beforeAll(() => {
  workdir = mkdtempSync(join(tmpdir(), 'meshlens-cli-charts-'));
  process.env.XDG_CACHE_HOME = join(workdir, 'cache');
  // The test repository's self-signed certificate, trusted the way a user adds a CA.
  if (HAS_OPENSSL) process.env.NODE_EXTRA_CA_CERTS = testCertificate().caPath;
});

afterAll(() => {
  if (savedCacheHome === undefined) delete process.env.XDG_CACHE_HOME;
  else process.env.XDG_CACHE_HOME = savedCacheHome;
  if (savedExtraCa === undefined) delete process.env.NODE_EXTRA_CA_CERTS;
  else process.env.NODE_EXTRA_CA_CERTS = savedExtraCa;
  rmSync(workdir, { recursive: true, force: true });
});

afterEach(async () => {
  await repository?.close();
  repository = undefined;
  rmSync(join(workdir, 'cache'), { recursive: true, force: true });
});

function writeRepo(name: string, url: string): string {
  const dir = join(workdir, name);
  mkdirSync(join(dir, 'apps'), { recursive: true });
  const manifests = fluxManifests(url, 'podinfo', '6.5.0', '    replicaCount: two\n    service:\n      type: ClusterIP\n');
  writeFileSync(join(dir, 'repository.yaml'), manifests.repository);
  writeFileSync(join(dir, 'apps', 'podinfo.yaml'), manifests.release);
  return dir;
}

/** Rule ids of the helm/* findings in a JSON report (the manifests also get a Flux hint about the cross-namespace sourceRef). */
function helmRules(stdout: string): string[] {
  return (JSON.parse(stdout) as { diagnostics: { rule: string }[] }).diagnostics.map((diagnostic) => diagnostic.rule).filter((rule) => rule.startsWith('helm/'));
}

async function meshlens(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await run(args, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), isTty: false });
  return { code, stdout, stderr };
}

describe.skipIf(!HAS_OPENSSL)('meshlens check --download-charts', () => {
  it('waits for the download and reports helm/chart-schema findings from the chart', async () => {
    repository = await startChartRepository({ podinfo: [{ version: '6.5.0', archive: chartArchive('podinfo', '6.5.0') }] });
    const dir = writeRepo('with-flag', repository.url);
    const result = await meshlens(['check', dir, '--download-charts', '--allow-private-networks', '--format', 'json']);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as { diagnostics: { rule: string; message: string; line: number }[] };
    expect(report.diagnostics.filter((diagnostic) => diagnostic.rule.startsWith('helm/'))).toEqual([
      expect.objectContaining({
        rule: 'helm/chart-schema',
        line: 17,
        message: '`replicaCount` must be integer (values.schema.json of chart podinfo 6.5.0); Helm refuses to install',
      }),
    ]);
    expect(repository.requests).toEqual(['GET /index.yaml meshlens/0.1.0', 'GET /podinfo-6.5.0.tgz meshlens/0.1.0']);
    expect(result.stderr).toBe('');
  });

  it('makes no request without the flag', async () => {
    repository = await startChartRepository({ podinfo: [{ version: '6.5.0', archive: chartArchive('podinfo', '6.5.0') }] });
    const dir = writeRepo('without-flag', repository.url);
    const result = await meshlens(['check', dir, '--format', 'json']);
    expect(result.code).toBe(0);
    expect(helmRules(result.stdout)).toEqual([]);
    expect(repository.requests).toEqual([]);
  });

  it('says on stderr why a chart was refused, and reports no findings from it', async () => {
    repository = await startChartRepository({ podinfo: [{ version: '6.5.0', archive: chartArchive('podinfo', '6.5.0'), digest: '0'.repeat(64) }] });
    const dir = writeRepo('bad-digest', repository.url);
    const result = await meshlens(['check', dir, '--download-charts', '--allow-private-networks', '--format', 'json']);
    expect(result.code).toBe(0);
    expect(helmRules(result.stdout)).toEqual([]);
    expect(result.stderr).toMatch(/^meshlens: chart podinfo 6\.5\.0 from https:\/\/127\.0\.0\.1:\d+: the archive of podinfo 6\.5\.0 does not match the sha256 digest in index\.yaml/);
  });

  it('refuses a loopback repository without --allow-private-networks, and makes no request', async () => {
    repository = await startChartRepository({ podinfo: [{ version: '6.5.0', archive: chartArchive('podinfo', '6.5.0') }] });
    const dir = writeRepo('no-private', repository.url);
    const result = await meshlens(['check', dir, '--download-charts', '--format', 'json']);
    expect(repository.requests).toEqual([]);
    expect(result.stderr).toContain('the repository host is a loopback, private, link-local or unspecified address; not contacted');
  });

  it('finishes within --download-budget when repositories never answer, says so, and exits by the findings', async () => {
    repository = await startChartRepository({ podinfo: [{ version: '6.5.0', archive: chartArchive('podinfo', '6.5.0') }] }, { silent: true });
    const dir = writeRepo('never-answers', repository.url);
    const without = await meshlens(['check', dir, '--format', 'json']);
    const result = await meshlens(['check', dir, '--download-charts', '--allow-private-networks', '--download-budget', '1', '--format', 'json']);
    expect(repository.requests.map((line) => line.split(' ')[1])).toEqual(['/index.yaml']);
    expect(result.stderr).toContain('chart downloads stopped after 1 s (--download-budget)');
    expect(result.code).toBe(without.code);
    expect(helmRules(result.stdout)).toEqual([]);
  });
});
