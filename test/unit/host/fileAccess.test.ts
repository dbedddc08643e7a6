/**
 * Workspace confinement of every file read by the hosts: the confined reader
 * itself, and the CLI end to end with hostile repositories built in a temp
 * directory (symlinks out of the workspace, device files, FIFOs, oversized
 * files). Nothing here is committed as a file: every hostile input is made
 * by the test.
 */

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfinedFiles, REFUSED_READ } from '../../../host/src/fileAccess';
import { meshlens } from '../../support/cli';

const posix = process.platform !== 'win32';
const hasMkfifo = posix && existsSync('/usr/bin/mkfifo');
const SECRET = 's3cr3t-token-abc123';

let base: string;
let repo: string;
let outside: string;

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'meshlens-confine-'));
  repo = join(base, 'repo');
  outside = join(base, 'outside');
  mkdirSync(join(repo, 'charts', 'real'), { recursive: true });
  mkdirSync(outside, { recursive: true });
  writeFileSync(join(outside, 'creds.yaml'), `apiVersion: v2\nname: ${SECRET}\nversion: 1.0.0\ncurrent-context: prod\n`);
  writeFileSync(join(repo, 'inside.yaml'), 'a: 1\n');
});

afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('ConfinedFiles', () => {
  it('reads a regular file inside a root', () => {
    const files = new ConfinedFiles({ roots: () => [repo] });
    expect(files.readSync(join(repo, 'inside.yaml'))).toEqual({ ok: true, text: 'a: 1\n', bytes: 5 });
  });

  it.skipIf(!posix)('refuses symlinks whose target is outside, with the same answer as for a missing file', () => {
    symlinkSync(join(outside, 'creds.yaml'), join(repo, 'link-out.yaml'));
    symlinkSync(join(outside, 'nothing-here.yaml'), join(repo, 'link-missing.yaml'));
    const files = new ConfinedFiles({ roots: () => [repo] });
    const out = files.readSync(join(repo, 'link-out.yaml'));
    expect(out).toEqual({ ok: false, reason: REFUSED_READ });
    expect(files.readSync(join(repo, 'link-missing.yaml'))).toEqual(out);
    expect(files.readSync(join(repo, 'missing.yaml'))).toEqual(out);
    expect(files.readSync(join(outside, 'creds.yaml'))).toEqual(out);
    expect(files.readSync(join(repo, '..', 'outside', 'creds.yaml'))).toEqual(out);
  });

  it.skipIf(!posix)('follows a symlink whose target stays inside the workspace', () => {
    symlinkSync(join(repo, 'inside.yaml'), join(repo, 'link-in.yaml'));
    expect(new ConfinedFiles({ roots: () => [repo] }).readSync(join(repo, 'link-in.yaml'))).toMatchObject({ ok: true, text: 'a: 1\n' });
  });

  it.skipIf(!posix || !existsSync('/dev/zero'))('refuses device files, directories and a root that is itself a device', () => {
    symlinkSync('/dev/zero', join(repo, 'zero.yaml'));
    const files = new ConfinedFiles({ roots: () => [repo, '/dev'] });
    expect(files.readSync(join(repo, 'zero.yaml'))).toEqual({ ok: false, reason: REFUSED_READ });
    expect(files.readSync('/dev/zero')).toEqual({ ok: false, reason: REFUSED_READ });
    expect(files.readSync(join(repo, 'charts'))).toEqual({ ok: false, reason: REFUSED_READ });
  });

  it.skipIf(!hasMkfifo)('refuses a FIFO without blocking (sync and async)', async () => {
    execFileSync('mkfifo', [join(repo, 'pipe.yaml')]);
    const files = new ConfinedFiles({ roots: () => [repo] });
    expect(files.readSync(join(repo, 'pipe.yaml'))).toEqual({ ok: false, reason: REFUSED_READ });
    expect(await files.read(join(repo, 'pipe.yaml'))).toEqual({ ok: false, reason: REFUSED_READ });
  });

  it('caps the size before reading, in bytes; a prefix is available for scans', async () => {
    writeFileSync(join(repo, 'big.yaml'), 'é'.repeat(600)); // 1,200 bytes, 600 UTF-16 units
    const files = new ConfinedFiles({ roots: () => [repo], maxBytes: () => 1000 });
    expect(files.readSync(join(repo, 'big.yaml'))).toEqual({ ok: false, reason: REFUSED_READ });
    expect(await files.read(join(repo, 'big.yaml'))).toEqual({ ok: false, reason: REFUSED_READ });
    const prefix = files.readSync(join(repo, 'big.yaml'), { oversized: 'prefix' });
    expect(prefix.ok && prefix.bytes).toBe(1001);
    const asyncPrefix = await files.read(join(repo, 'big.yaml'), { oversized: 'prefix' });
    expect(asyncPrefix.ok && asyncPrefix.bytes).toBe(1001);
  });
});

describe('CLI confinement (hostile repositories built by the test)', () => {
  it.skipIf(!posix)('a local chart symlinked out of the workspace is not read and its content never printed', () => {
    const work = join(base, 'chart-link');
    mkdirSync(join(work, 'charts', 'real'), { recursive: true });
    // Before: "`current-contxt` is not in the values.yaml of chart s3cr3t-token-abc123 1.0.0; did you mean `current-context`?"
    symlinkSync(join('..', '..', '..', 'outside', 'creds.yaml'), join(work, 'charts', 'real', 'Chart.yaml'));
    symlinkSync(join('..', '..', '..', 'outside', 'creds.yaml'), join(work, 'charts', 'real', 'values.yaml'));
    writeFileSync(
      join(work, 'release.yaml'),
      [
        'apiVersion: source.toolkit.fluxcd.io/v1',
        'kind: GitRepository',
        'metadata: {name: flux-system, namespace: apps}',
        'spec: {interval: 1m, url: "https://example.com/fleet", ref: {branch: main}}',
        '---',
        'apiVersion: helm.toolkit.fluxcd.io/v2',
        'kind: HelmRelease',
        'metadata: {name: app, namespace: apps}',
        'spec:',
        '  interval: 10m',
        '  chart: {spec: {chart: ./charts/real, sourceRef: {kind: GitRepository, name: flux-system}}}',
        '  values: {current-contxt: x}',
        '',
      ].join('\n'),
    );
    const result = meshlens(['check', '.', '--format', 'json'], work);
    expect(result.stdout + result.stderr).not.toContain(SECRET);
    expect(JSON.parse(result.stdout).skipped).toContainEqual({ file: 'charts/real/Chart.yaml', reason: 'symbolic link, not followed' });
    expect(result.stdout).not.toContain('current-context');
    expect([0, 1]).toContain(result.code);
  });

  it.skipIf(!posix || !existsSync('/dev/zero'))('a bpftoolProbe linked to /dev/zero or naming a FIFO is refused at once', () => {
    const work = join(base, 'probe-link');
    mkdirSync(join(work, 'probes'), { recursive: true });
    symlinkSync('/dev/zero', join(work, 'probes', 'zero.json'));
    if (hasMkfifo) execFileSync('mkfifo', [join(work, 'probes', 'fifo.json')]);
    const profile = (name: string, probe: string) =>
      `apiVersion: meshlens.dev/v1alpha1\nkind: NodeProfile\nmetadata: {name: ${name}}\nspec:\n  kernel: 5.4.0-91-generic\n  bpftoolProbe: ${probe}\n`;
    writeFileSync(join(work, 'profiles.yaml'), [profile('zero', 'probes/zero.json'), profile('fifo', 'probes/fifo.json'), profile('gone', 'probes/missing.json')].join('---\n'));
    const result = meshlens(['check', '.', '--format', 'json'], work);
    const messages: string[] = JSON.parse(result.stdout).diagnostics.map((diagnostic: { message: string }) => diagnostic.message);
    const refusals = messages.filter((message) => message.includes('was not read (missing, outside the workspace, not a regular file, or over the size limit)'));
    expect(refusals).toHaveLength(3);
  });

  it.skipIf(!hasMkfifo)('a FIFO named like a YAML file in a scanned directory is skipped with a reason, not opened', () => {
    const work = join(base, 'fifo-scan');
    mkdirSync(work, { recursive: true });
    execFileSync('mkfifo', [join(work, 'pipe.yaml')]);
    writeFileSync(join(work, 'ok.yaml'), 'a: 1\n');
    const result = meshlens(['check', '.', '--format', 'json'], work);
    expect(JSON.parse(result.stdout).skipped).toEqual([{ file: 'pipe.yaml', reason: 'not a regular file' }]);
    expect(result.code).toBe(0);
  });

  it('a file over --max-file-size is reported as too large, counted in bytes', () => {
    const work = join(base, 'too-large');
    mkdirSync(work, { recursive: true });
    // 1,500 characters of two bytes each: 3,000 bytes, over a 2 KiB limit though only 1,500 UTF-16 units.
    writeFileSync(join(work, 'wide.yaml'), `a: "${'é'.repeat(1500)}"\n`);
    const result = meshlens(['check', '.', '--max-file-size', '2', '--fail-on', 'info'], work);
    expect(result.stdout).toContain('larger than 2 KiB');
  });
});
