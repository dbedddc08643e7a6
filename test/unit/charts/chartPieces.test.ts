/**
 * The chart download's parts on their own: URL policy (https only, no
 * loopback/private addresses unless allowed), repository index parsing and version selection, the tar reader on
 * hostile input, the disk cache and its size cap, and the settings mapping.
 */

import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { boundedGet, urlRefusal } from '../../../host/src/charts/boundedGet';
import { guardedLookup, isRefusedAddress, PRIVATE_ADDRESS_REFUSED } from '../../../host/src/charts/addressPolicy';
import { ChartDiskCache } from '../../../host/src/charts/chartCache';
import { defaultChartCacheDir } from '../../../host/src/charts/cacheDir';
import { archiveUrl, indexUrl, parseRepositoryIndex, selectChartVersion } from '../../../host/src/charts/repositoryIndex';
import { readChartArchive, readChartTar } from '../../../host/src/charts/tarReader';
import { chartDownloadSettings } from '../../../server/src/settings';
import { repoRoot } from '../../support/repo';
import { tar } from './chartRepository';

const scratch: string[] = [];
afterEach(() => {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('URL policy', () => {
  it('allows https only, and no loopback/private/link-local/unspecified address in any literal spelling', () => {
    expect(urlRefusal('https://charts.example.com/stable')).toBeUndefined();
    expect(urlRefusal('https://93.184.215.14/charts')).toBeUndefined();
    for (const url of ['http://charts.example.com/', 'http://127.0.0.1:8080/', 'http://localhost/', 'ftp://example.com/', 'file:///etc/passwd']) {
      expect(urlRefusal(url, true), url).toBe('only https URLs are used for downloads');
    }
    const literals = [
      '127.0.0.1', '127.1', '2130706433', '0x7f.1', '017700000001', '[::1]', '[::ffff:127.0.0.1]', '0.0.0.0', '0', '[::]',
      '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '[fe80::1]', '[fd00::1]', 'localhost', 'api.localhost',
    ];
    for (const host of literals) {
      expect(urlRefusal(`https://${host}/charts`), host).toBe(PRIVATE_ADDRESS_REFUSED);
      expect(urlRefusal(`https://${host}/charts`, true), host).toBeUndefined();
    }
    expect(urlRefusal('https://user:secret@charts.example.com/')).toBe('URLs with credentials are not requested');
    expect(urlRefusal('oci://ghcr.io/x/y')).toBe('downloading charts from OCI registries is not supported');
    expect(urlRefusal('not a url')).toBe('the URL is not valid');
  });

  it('knows refused addresses, IPv4-mapped IPv6 included', () => {
    expect(['127.0.0.1', '::1', '::ffff:7f00:1', '10.0.0.1', 'fe80::1', '0.0.0.0', '::'].map(isRefusedAddress)).toEqual([true, true, true, true, true, true, true]);
    expect(['8.8.8.8', '2606:4700::1111', 'example.com'].map(isRefusedAddress)).toEqual([false, false, false]);
  });

  it('refuses a name that resolves to a loopback address, after resolution (unless allowed)', async () => {
    const resolve = (allow: boolean, all: boolean) =>
      new Promise<{ error: NodeJS.ErrnoException | null; address: unknown }>((done) => guardedLookup(allow)('localhost', { all }, (error, address) => done({ error, address })));
    const refused = await resolve(false, false);
    expect(refused.error?.code).toBe('EMESHLENSPRIVATE');
    const allowed = await resolve(true, false);
    expect(allowed.error).toBeNull();
    expect(typeof allowed.address).toBe('string');
    const all = await resolve(true, true);
    expect(Array.isArray(all.address)).toBe(true);
  });
});

describe('bounded GET', () => {
  it('times out connecting when the TLS handshake never completes (a loopback socket that stays silent)', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    try {
      const started = Date.now();
      const result = await boundedGet(`https://127.0.0.1:${port}/index.yaml`, { maxBytes: 1024, connectTimeoutMs: 200, totalTimeoutMs: 5000, allowPrivateNetworks: true }, 'meshlens/test');
      expect(result).toEqual({ ok: false, reason: `could not connect to 127.0.0.1:${port} within 0.2 s`, transient: true });
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('refuses before connecting when the URL is not allowed', async () => {
    expect(await boundedGet('http://192.0.2.1/index.yaml', { maxBytes: 1, connectTimeoutMs: 1, totalTimeoutMs: 1 }, 'meshlens/test')).toEqual({
      ok: false,
      reason: 'only https URLs are used for downloads',
      transient: false,
    });
  });

  it('never turns TLS verification off in the download code', () => {
    const folder = join(repoRoot, 'host', 'src', 'charts');
    for (const file of readdirSync(folder)) {
      const text = readFileSync(join(folder, file), 'utf8');
      expect(text, file).not.toMatch(/rejectUnauthorized:\s*false|NODE_TLS_REJECT_UNAUTHORIZED\s*=|checkServerIdentity/);
    }
  });
});

describe('repository index', () => {
  const index = `apiVersion: v1
entries:
  app:
    - version: 1.2.0
      digest: sha256:${'A'.repeat(64)}
      urls: [https://cdn.example.com/app-1.2.0.tgz]
    - version: 1.3.1
      digest: ${'b'.repeat(64)}
      urls: [app-1.3.1.tgz]
    - version: 1.4.0-rc.1
      urls: [app-1.4.0-rc.1.tgz]
    - version: v2.0.0
      digest: not-a-digest
      urls: []
  broken: 7
`;

  it('parses entries, normalizing digests and dropping malformed ones', () => {
    const parsed = parseRepositoryIndex(index);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.entries.get('app')).toEqual([
      { version: '1.2.0', digest: 'a'.repeat(64), urls: ['https://cdn.example.com/app-1.2.0.tgz'] },
      { version: '1.3.1', digest: 'b'.repeat(64), urls: ['app-1.3.1.tgz'] },
      { version: '1.4.0-rc.1', urls: ['app-1.4.0-rc.1.tgz'] },
      { version: 'v2.0.0', urls: [] },
    ]);
    expect(parsed.entries.has('broken')).toBe(false);
    expect(parseRepositoryIndex('entries: [').ok).toBe(false);
    // Scalars stay text: an all-digit digest is still a digest; aliases are refused.
    const numeric = parseRepositoryIndex(`entries:\n  app:\n    - version: 1.0\n      digest: ${'1'.repeat(64)}\n      urls: [a.tgz]\n`);
    expect(numeric.ok && numeric.entries.get('app')).toEqual([{ version: '1.0', digest: '1'.repeat(64), urls: ['a.tgz'] }]);
    expect(parseRepositoryIndex('x: &a [1]\nentries: {app: [*a]}\n').ok).toBe(false);
    expect(parseRepositoryIndex('just: text').ok).toBe(false);
  });

  it('selects exact versions, the highest in a range, and the newest stable without a version', () => {
    const parsed = parseRepositoryIndex(index);
    if (!parsed.ok) throw new Error('index should parse');
    const entries = parsed.entries.get('app')!;
    const pick = (spec: string | undefined) => selectChartVersion(entries, spec)?.version;
    expect(pick('1.2.0')).toBe('1.2.0');
    expect(pick('1.4.0-rc.1')).toBe('1.4.0-rc.1');
    expect(pick('2.0.0')).toBe('v2.0.0');
    expect(pick('1.x')).toBe('1.3.1');
    expect(pick('>=1.0 <1.3')).toBe('1.2.0');
    expect(pick('>=1.0, <1.3')).toBe('1.2.0');
    expect(pick('~1.3')).toBe('1.3.1');
    expect(pick(undefined)).toBe('v2.0.0');
    expect(pick('*')).toBe('v2.0.0');
    expect(pick('3.x')).toBeUndefined();
    expect(pick('not a range ((')).toBeUndefined();
  });

  it('resolves archive URLs against the repository and builds the index URL', () => {
    expect(indexUrl('https://charts.example.com/stable')).toBe('https://charts.example.com/stable/index.yaml');
    expect(indexUrl('https://charts.example.com/stable/')).toBe('https://charts.example.com/stable/index.yaml');
    expect(archiveUrl('https://charts.example.com/stable', { version: '1', urls: ['app-1.tgz'] })).toBe('https://charts.example.com/stable/app-1.tgz');
    expect(archiveUrl('https://charts.example.com/stable', { version: '1', urls: ['https://cdn.example.com/a.tgz'] })).toBe('https://cdn.example.com/a.tgz');
    expect(archiveUrl('https://charts.example.com/stable', { version: '1', urls: [] })).toBeUndefined();
  });
});

describe('tar reader', () => {
  const limits = { maxEntryBytes: 1024 };

  it("takes only the chart folder's Chart.yaml, values.yaml and values.schema.json", () => {
    const result = readChartTar(
      tar([
        { name: 'app/', type: '5' },
        { name: 'app/Chart.yaml', body: 'name: app\n' },
        { name: 'app/values.yaml', body: 'a: 1\n' },
        { name: 'app/charts/sub/values.yaml', body: 'b: 2\n' },
        { name: 'app/templates/x.yaml', body: 'kind: X\n' },
        { name: 'other/values.schema.json', body: '{}' },
      ]),
      limits,
    );
    expect(result).toEqual({ ok: true, chartFolder: 'app', files: { 'Chart.yaml': 'name: app\n', 'values.yaml': 'a: 1\n' } });
  });

  /** A pax record `<length> key=value\n` whose length counts its own digits. */
  const paxRecord = (key: string, value: string) => {
    const body = ` ${key}=${value}\n`;
    let length = body.length + 1;
    while (`${length}${body}`.length !== length) length = `${length}${body}`.length;
    return `${length}${body}`;
  };

  it('reads pax and GNU long names', () => {
    const result = readChartTar(
      tar([
        { name: 'PaxHeader', type: 'x', body: paxRecord('path', 'app/values.yaml') },
        { name: 'app/ignored-short-name', body: 'pax: yes\n' },
        { name: '././@LongLink', type: 'L', body: 'app/Chart.yaml\0' },
        { name: 'app/trunc', body: 'name: app\n' },
      ]),
      limits,
    );
    expect(result).toEqual({ ok: true, chartFolder: 'app', files: { 'values.yaml': 'pax: yes\n', 'Chart.yaml': 'name: app\n' } });
  });

  it('refuses hostile entries: traversal (also via a pax path), links, devices, oversized files, bad checksums, truncation', () => {
    const refused = (entries: Parameters<typeof tar>[0]) => {
      const result = readChartTar(tar(entries), limits);
      return result.ok ? 'accepted' : result.reason;
    };
    expect(refused([{ name: 'app/Chart.yaml', body: 'x' }, { name: 'app/../../x', body: 'x' }])).toBe('the archive entry "app/../../x" points outside the chart folder; refused');
    expect(refused([{ name: 'PaxHeader', type: 'x', body: paxRecord('path', '../etc/passwd') }, { name: 'app/ok', body: 'x' }])).toBe(
      'the archive entry "../etc/passwd" points outside the chart folder; refused',
    );
    expect(refused([{ name: 'app/values.yaml', type: '2', linkName: '/etc/passwd' }])).toBe('the archive entry "app/values.yaml" is a link; refused');
    expect(refused([{ name: 'app/dev', type: '3' }])).toBe('the archive entry "app/dev" is a device or FIFO; refused');
    expect(refused([{ name: 'C:/x', body: 'x' }])).toBe('the archive entry "C:/x" has an absolute or non-portable path; refused');
    expect(refused([{ name: 'app/values.yaml', body: 'x'.repeat(2048) }])).toBe('values.yaml in the archive is larger than 1 KiB; refused');
    const corrupt = tar([{ name: 'app/values.yaml', body: 'a: 1\n' }]);
    corrupt[10] ^= 0xff;
    expect(readChartTar(corrupt, limits)).toEqual({ ok: false, reason: 'the archive is not a valid tar file (bad header checksum)' });
    const whole = tar([{ name: 'app/values.yaml', body: 'a'.repeat(600) }]);
    expect(readChartTar(whole.subarray(0, 700), limits)).toEqual({ ok: false, reason: 'the archive is truncated' });
    expect(readChartTar(Buffer.alloc(1024), limits)).toEqual({ ok: false, reason: 'the archive holds no chart' });
  });

  it('refuses data that is not gzip, and gzip that unpacks beyond the cap', async () => {
    expect(await readChartArchive(Buffer.from('plain text'), { maxUnpackedBytes: 1024, maxEntryBytes: 1024 })).toEqual({ ok: false, reason: 'the archive is not gzip data' });
    const bomb = gzipSync(tar([{ name: 'app/zeros', body: Buffer.alloc(4 * 1024 * 1024) }]));
    expect(bomb.length).toBeLessThan(16 * 1024);
    expect(await readChartArchive(bomb, { maxUnpackedBytes: 1024 * 1024, maxEntryBytes: 1024 })).toEqual({ ok: false, reason: 'the archive unpacks to more than 1 MiB' });
  });
});

describe('disk cache', () => {
  const files = { 'Chart.yaml': 'name: app\nversion: 1.0.0\n', 'values.yaml': 'a: 1\n'.repeat(100) };

  it('stores and finds versions by repository, chart and version, and remembers range resolutions', () => {
    const root = mkdtempSync(join(tmpdir(), 'meshlens-cache-'));
    scratch.push(root);
    const cache = new ChartDiskCache(root, 1024 * 1024);
    const dir = cache.store('https://a.example/charts', 'app', '1.0.0', '1.x', files);
    expect(dir && existsSync(join(dir, 'values.yaml'))).toBe(true);
    expect(cache.lookup('https://a.example/charts', 'app', '1.0.0')?.files).toEqual(files);
    expect(cache.lookup('https://b.example/charts', 'app', '1.0.0')).toBeUndefined();
    expect(cache.resolvedVersion('https://a.example/charts', 'app', '1.x', 60_000)).toBe('1.0.0');
    expect(cache.resolvedVersion('https://a.example/charts', 'app', '1.x', -1)).toBeUndefined();
    // Names that are not plain path segments are never used as paths.
    expect(cache.store('https://a.example/charts', '../../evil', '1.0.0', '*', files)).toBeUndefined();
    expect(cache.store('https://a.example/charts', 'app', '../1.0.0', '*', files)).toBeUndefined();
  });

  it('drops the oldest versions beyond its size cap', async () => {
    const root = mkdtempSync(join(tmpdir(), 'meshlens-cache-'));
    scratch.push(root);
    const cache = new ChartDiskCache(root, 1200);
    cache.store('https://a.example/charts', 'app', '1.0.0', '1.0.0', files);
    await new Promise((resolve) => setTimeout(resolve, 5));
    cache.store('https://a.example/charts', 'app', '2.0.0', '2.0.0', files);
    expect(cache.lookup('https://a.example/charts', 'app', '1.0.0')).toBeUndefined();
    expect(cache.lookup('https://a.example/charts', 'app', '2.0.0')).toBeDefined();
  });

  it('lives under $XDG_CACHE_HOME/meshlens, else ~/.cache/meshlens', () => {
    expect(defaultChartCacheDir({ XDG_CACHE_HOME: '/var/cache/u' }, () => '/home/u')).toBe(join('/var/cache/u', 'meshlens'));
    expect(defaultChartCacheDir({ XDG_CACHE_HOME: 'relative' }, () => '/home/u')).toBe(join('/home/u', '.cache', 'meshlens'));
    expect(defaultChartCacheDir({}, () => '')).toBeUndefined();
  });
});

describe('settings', () => {
  it('turns downloads on only for an explicit true, with an optional cache size', () => {
    expect(chartDownloadSettings(null)).toEqual({ enabled: false, allowPrivateNetworks: false });
    expect(chartDownloadSettings({ charts: { download: 'yes' as unknown as boolean } })).toEqual({ enabled: false, allowPrivateNetworks: false });
    expect(chartDownloadSettings({ charts: { download: true, cacheSizeMiB: 2 } })).toEqual({ enabled: true, allowPrivateNetworks: false, cacheSizeBytes: 2 * 1024 * 1024 });
    expect(chartDownloadSettings({ charts: { download: true, cacheSizeMiB: -1, allowPrivateNetworks: true } })).toEqual({ enabled: true, allowPrivateNetworks: true });
    expect(chartDownloadSettings({ charts: { allowPrivateNetworks: 'true' as unknown as boolean } })).toEqual({ enabled: false, allowPrivateNetworks: false });
  });
});
