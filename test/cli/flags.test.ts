/**
 * CLI hardening (issue #12): every flag validated, `--help` per subcommand,
 * documented exit codes, control characters from users' files escaped in text
 * and GitHub output, EPIPE on a closed pipe, `--flux-version` and the
 * `flux/deprecated-api-version` fix refusing versions Flux does not serve.
 * In-process through `run`, except the pipe test, which needs the bundle.
 */

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../cli/src/main';
import { MeshlensService, defaultAnalysisOptions } from '../../core/src/index';
import { escapeControl } from '../../cli/src/formats/escape';
import { repoRoot } from '../support/repo';

async function cli(args: string[], cwd?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const previous = process.cwd();
  if (cwd) process.chdir(cwd);
  try {
    const code = await run(args, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), isTty: false });
    return { code, stdout, stderr };
  } finally {
    process.chdir(previous);
  }
}

let dir: string;
const POLICY = 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata:\n  name: web\nspec:\n  endpointSelector: {}\n  ingress:\n    - fromEndpoints:\n        - {}\n      toPort: []\n';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'meshlens-flags-'));
  writeFileSync(join(dir, 'web.yaml'), POLICY);
});

describe('flag validation', () => {
  it('boolean flags take true/false/yes/no/1/0 and reject anything else', async () => {
    expect((await cli(['check', dir, '--no-schema'])).code).toBe(0);
    for (const value of ['false', 'no', '0']) {
      const result = await cli(['check', dir, `--no-schema=${value}`]);
      // Schema findings stay on: the unknown field is reported.
      expect(result.code).toBe(1);
      expect(result.stdout).toContain('schema/unknown-field');
    }
    for (const value of ['true', 'yes', '1', 'YES']) expect((await cli(['check', dir, `--no-schema=${value}`])).code).toBe(0);
    const bad = await cli(['check', dir, '--no-color=maybe']);
    expect(bad).toMatchObject({ code: 2, stdout: '' });
    expect(bad.stderr).toContain('--no-color takes true, false, yes, no, 1 or 0, not "maybe"');
  });

  it('versions, names and numbers are validated before anything runs', async () => {
    const cases: [string[], string][] = [
      [['--cilium-version', 'banana'], '--cilium-version: "banana" is not valid (expected something like 1.16 or 1.16.3)'],
      [['--flux-version=latest'], '--flux-version: "latest" is not valid'],
      [['--istio-version', '1.x'], '--istio-version: "1.x" is not valid'],
      [['--kernel', 'linux'], '--kernel: "linux" is not valid'],
      [['--istio-root-namespace', 'Not_A_Namespace'], '--istio-root-namespace: "Not_A_Namespace" is not valid'],
      [['--exclude='], '--exclude needs a non-empty regular expression'],
      [['--exclude', '('], '--exclude: invalid regular expression "("'],
      [['--output='], '--output needs a non-empty value'],
      [['--max-file-size', '-1'], '--max-file-size expects a number of KiB'],
      [['--rule', 'cnp/x=loud'], '--rule expects ID=error|warning|info|hint|off'],
      [['--cilium-version', '\u001b[2J'], '--cilium-version: "\\e[2J" is not valid'],
    ];
    for (const [flags, message] of cases) {
      const result = await cli(['check', dir, ...flags]);
      expect(result.code, flags.join(' ')).toBe(2);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain(message);
    }
    expect((await cli(['check', dir, '--cilium-version', '1.16.3', '--flux-version', 'v2.3.1', '--kernel', '5.15.0-91-generic', '--istio-version', '1.24'])).code).toBe(1);
  });

  it('an unknown subcommand or option exits 2; no arguments print help and exit 2', async () => {
    const unknown = await cli(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "frobnicate"');
    expect((await cli(['check', dir, '--frobnicate'])).code).toBe(2);
    const bare = await cli([]);
    expect(bare.code).toBe(2);
    expect(bare.stdout).toContain('Exit codes:');
  });
});

describe('--help', () => {
  it('each subcommand prints its own help and does nothing else', async () => {
    // Run in a folder with a finding: a check there would exit 1 and print it.
    const check = await cli(['check', '--help'], dir);
    expect(check.code).toBe(0);
    expect(check.stdout).toMatch(/^Usage: meshlens check/);
    expect(check.stdout).toContain('--dry-run');
    expect(check.stdout).not.toContain('schema/unknown-field');
    const rules = await cli(['rules', '--help']);
    expect(rules.code).toBe(0);
    expect(rules.stdout).toMatch(/^Usage: meshlens rules/);
    expect(rules.stdout).not.toContain('cnp/');
    for (const command of ['kernel', 'effective', 'simulate']) {
      const result = await cli([command, '--help'], dir);
      expect(result.code, command).toBe(0);
      expect(result.stdout.toLowerCase()).toContain(command);
      expect(result.stderr).toBe('');
    }
    expect((await cli(['check', '-h'], dir)).stdout).toMatch(/^Usage: meshlens check/);
    expect((await cli(['help', 'check'], dir)).stdout).toMatch(/^Usage: meshlens check/);
    expect((await cli(['help', 'nonsense'])).code).toBe(2);
    expect((await cli(['check', '--help=no', dir])).code).toBe(1);
  });

  it('documents the exit codes in the help and the README', async () => {
    const help = (await cli(['--help'])).stdout;
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    for (const line of ['0  no finding at or above --fail-on', '1  findings at or above --fail-on', '2  usage error']) {
      expect(help).toContain(line);
      expect((await cli(['check', '--help'])).stdout).toContain(line);
    }
    expect(readme).toMatch(/\| *`?0`? *\|[^\n]*--fail-on/);
    expect(readme).toMatch(/\| *`?2`? *\|[^\n]*usage/i);
  });
});

describe('control characters from files', () => {
  it('are escaped in text and GitHub output, JSON-escaped in JSON', async () => {
    const hostile = mkdtempSync(join(tmpdir(), 'meshlens-ansi-'));
    // A key that would clear the screen and forge a line.
    writeFileSync(join(hostile, 'p.yaml'), POLICY.replace('toPort: []', '"\\e[2J\\e[HALL CHECKS PASSED\\u0007": []'));
    const text = await cli(['check', hostile]);
    expect(text.code).toBe(1);
    expect(text.stdout).not.toContain('\u001b');
    expect(text.stdout).not.toContain('\u0007');
    expect(text.stdout).toContain('\\e[2J\\e[HALL CHECKS PASSED\\x07');
    const github = await cli(['check', hostile, '--format', 'github']);
    expect(github.stdout).not.toContain('\u001b');
    expect(github.stdout).toContain('\\e[2J');
    const json = await cli(['check', hostile, '--format', 'json']);
    expect(json.stdout).not.toContain('\u001b');
    expect(JSON.stringify(JSON.parse(json.stdout))).toContain('\\u001b[2J');
  });

  it('escapeControl keeps tabs and, for diffs, line breaks', () => {
    expect(escapeControl('a\tb\u001b[31m\r\n\u202e')).toBe('a\tb\\e[31m\\r\\n\\u202e');
    expect(escapeControl('a\r\nb\u0008\n', true)).toBe('a\r\nb\\x08\n');
  });
});

describe('a closed pipe', () => {
  it('ends the CLI quietly (no EPIPE stack trace)', async () => {
    // `meshlens rules | head -c 10`: the reader goes away after a few bytes.
    const child = spawn(process.execPath, [join(repoRoot, 'dist', 'cli.js'), 'rules'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += String(chunk)));
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('close', (exit) => resolve(exit)));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});

describe('--flux-version and flux/deprecated-api-version', () => {
  const helmRepository = 'apiVersion: source.toolkit.fluxcd.io/v1beta1\nkind: HelmRepository\nmetadata:\n  name: podinfo\n  namespace: flux-system\nspec:\n  interval: 10m\n  url: https://stefanprodan.github.io/podinfo\n';

  it('refuses to migrate to a version the Flux in use does not serve, and says why', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'meshlens-flux-'));
    writeFileSync(join(repo, 'repo.yaml'), helmRepository);
    const old = await cli(['check', repo, '--flux-version', '2.1.2', '--fix', '--format', 'json']);
    expect(readFileSync(join(repo, 'repo.yaml'), 'utf8')).toBe(helmRepository);
    expect(old.stderr).toBe('');
    const finding = JSON.parse(old.stdout).diagnostics.find((entry: { rule: string }) => entry.rule === 'flux/deprecated-api-version');
    expect(finding.message).toContain('(Flux 2.1 as configured)');
    expect(finding.message).toContain('No fix is offered: Flux 2.1 does not serve source.toolkit.fluxcd.io/v1 yet (served since Flux 2.3); upgrade Flux first.');
    // The core offers no fix at all (not even an unsafe one for the editor).
    const service = new MeshlensService({ roots: [repo] });
    service.setFile(join(repo, 'repo.yaml'), helmRepository);
    const offered = service.diagnostics(join(repo, 'repo.yaml'), defaultAnalysisOptions({ fluxVersion: '2.1.2' })).find((entry) => entry.rule === 'flux/deprecated-api-version');
    expect(offered?.message).toContain('No fix is offered');
    expect(offered?.fixes).toBeUndefined();

    const current = await cli(['check', repo, '--flux-version', '2.3', '--fix']);
    expect(current.stderr).toContain('flux/deprecated-api-version: Migrate to source.toolkit.fluxcd.io/v1');
    expect(readFileSync(join(repo, 'repo.yaml'), 'utf8')).toBe(helmRepository.replace('v1beta1', 'v1'));
  });

  it('without a known Flux version the migration is offered but --fix does not apply it', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'meshlens-flux-'));
    writeFileSync(join(repo, 'repo.yaml'), helmRepository);
    const result = await cli(['check', repo, '--fix', '--format', 'json']);
    expect(readFileSync(join(repo, 'repo.yaml'), 'utf8')).toBe(helmRepository);
    const finding = JSON.parse(result.stdout).diagnostics.find((entry: { rule: string }) => entry.rule === 'flux/deprecated-api-version');
    expect(finding.message).toContain('assuming Flux');
    expect(result.stderr).toBe('');
    const service = new MeshlensService({ roots: [repo] });
    service.setFile(join(repo, 'repo.yaml'), helmRepository);
    const offered = service.diagnostics(join(repo, 'repo.yaml'), defaultAnalysisOptions()).find((entry) => entry.rule === 'flux/deprecated-api-version');
    expect(offered?.fixes).toEqual([expect.objectContaining({ title: 'Migrate to source.toolkit.fluxcd.io/v1', safe: false })]);
  });
});

describe('other commands escape text from files', () => {
  it('kernel output with a hostile NodeProfile name shows no raw escape', async () => {
    const hostile = mkdtempSync(join(tmpdir(), 'meshlens-ansi-kernel-'));
    writeFileSync(
      join(hostile, 'cilium.yaml'),
      'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: "cilium\\e[2J"\n  namespace: kube-system\nspec:\n  chart:\n    spec:\n      chart: cilium\n      version: 1.16.3\n      sourceRef: {kind: HelmRepository, name: cilium}\n',
    );
    const result = await cli(['kernel', hostile, '--kernel', '5.4.0']);
    expect(result.stdout + result.stderr).not.toContain('\u001b');
  });
});
