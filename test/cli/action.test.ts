/**
 * The composite GitHub Action (`action.yml`) run locally: each `run` step is
 * executed with bash the way the runner would (inputs and step outputs
 * substituted, `GITHUB_OUTPUT` / `GITHUB_STEP_SUMMARY` files), against a
 * fixture repository with a base commit and a change, using the bundled CLI
 * through `MESHLENS_CLI` (no registry, no network). Steps that `uses:` another
 * action (the SARIF upload) are not run; the test checks what they would get.
 */

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { load } from 'js-yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/repo';

interface Step {
  id?: string;
  name: string;
  if?: string;
  uses?: string;
  run?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}

interface Action {
  inputs: Record<string, { default?: string }>;
  runs: { using: string; steps: Step[] };
}

const action = load(readFileSync(join(repoRoot, 'action.yml'), 'utf8')) as Action;
const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

const POLICY = (extra: string) =>
  'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata:\n  name: api\n  namespace: shop\nspec:\n  endpointSelector:\n    matchLabels: {app: api}\n  ingress:\n    - fromEndpoints:\n        - matchLabels: {app: web}\n      toPorts:\n        - ports: [{port: "8080", protocol: TCP}]\n' +
  extra;
const WORKLOADS =
  'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n  namespace: shop\nspec:\n  template:\n    metadata:\n      labels: {app: api}\n';

function fixtureRepository(): { root: string; base: string } {
  const root = mkdtempSync(join(tmpdir(), 'meshlens-action-'));
  roots.push(root);
  const write = (path: string, text: string) => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  write('apps/workloads.yaml', WORKLOADS);
  write('apps/api.yaml', POLICY('          rules:\n            http:\n              - method: GET\n'));
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', '-c', 'commit.gpgsign=false', ...args], { cwd: root }).toString().trim();
  git('init', '-q');
  git('add', '-A');
  git('commit', '-q', '-m', 'base');
  const base = git('rev-parse', 'HEAD');
  // The change: the L7 rule goes (every request allowed) and an entity typo comes in.
  write('apps/api.yaml', POLICY('    - fromEntities: [World]\n'));
  git('commit', '-q', '-am', 'change');
  return { root, base };
}

/** `${{ inputs.x }}`, `${{ steps.s.outputs.o }}` and `${{ github.* }}` as the runner substitutes them. */
function render(text: string, inputs: Record<string, string>, outputs: Record<string, Record<string, string>>): string {
  return text.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, expression: string) => {
    const input = /^inputs\.([\w-]+)$/.exec(expression);
    if (input) return inputs[input[1]] ?? '';
    const output = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(expression);
    if (output) return outputs[output[1]]?.[output[2]] ?? '';
    if (expression.startsWith('github.')) return '';
    throw new Error(`the test runner does not evaluate \${{ ${expression} }}`);
  });
}

function runAction(root: string, given: Record<string, string>) {
  const inputs: Record<string, string> = {};
  for (const [name, spec] of Object.entries(action.inputs)) inputs[name] = given[name] ?? (spec.default?.includes('${{') ? '' : (spec.default ?? ''));
  const temp = mkdtempSync(join(tmpdir(), 'meshlens-action-runner-'));
  roots.push(temp);
  const summary = join(temp, 'summary.md');
  writeFileSync(summary, '');
  const outputs: Record<string, Record<string, string>> = {};
  const log: { step: string; code: number | null; stdout: string; stderr: string }[] = [];
  const skipped: Step[] = [];
  for (const step of action.runs.steps) {
    if (!step.run) {
      skipped.push(step);
      continue;
    }
    const outputFile = join(temp, `output-${step.id ?? log.length}`);
    writeFileSync(outputFile, '');
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? temp,
      RUNNER_TEMP: temp,
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: summary,
      MESHLENS_CLI: `${process.execPath} ${join(repoRoot, 'bin', 'meshlens.js')}`,
    };
    for (const [name, value] of Object.entries(step.env ?? {})) env[name] = render(value, inputs, outputs);
    const result = spawnSync('bash', ['-e', '-c', render(step.run, inputs, outputs)], { cwd: root, env, encoding: 'utf8' });
    log.push({ step: step.name, code: result.status, stdout: result.stdout, stderr: result.stderr });
    if (step.id) {
      outputs[step.id] = Object.fromEntries(
        readFileSync(outputFile, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
      );
    }
    if (result.status !== 0) break;
  }
  return { log, outputs, summary: readFileSync(summary, 'utf8'), skipped, inputs };
}

describe('action.yml', () => {
  it('is a composite action whose run steps use bash', () => {
    expect(action.runs.using).toBe('composite');
    for (const step of action.runs.steps) if (step.run) expect((step as { shell?: string }).shell).toBe('bash');
  });

  it('annotates, writes SARIF and a job summary with the policy impact, and fails on an introduced error', () => {
    const { root, base } = fixtureRepository();
    const { log, outputs, summary, skipped, inputs } = runAction(root, { paths: 'apps', base });
    const check = log.find((entry) => entry.step === 'meshlens check')!;
    expect(check.code).toBe(0);
    expect(check.stdout).toMatch(/^::error file=apps\/api\.yaml,line=14,.*cnp\/unknown-entity/m);
    const sarif = JSON.parse(readFileSync(outputs.check.sarif, 'utf8')) as { runs: { results: { ruleId: string }[] }[] };
    expect(sarif.runs[0].results.map((result) => result.ruleId)).toContain('cnp/unknown-entity');
    expect(outputs.check.code).toBe('1');
    expect(summary).toContain('### meshlens check');
    expect(summary).toContain('### meshlens: ');
    // "World" is no entity: the agent refuses the whole policy, so it is not in force and shop/api's ingress opens up.
    expect(summary).toContain('**Policy:** 1 widened, 0 narrowed');
    expect(summary).toContain('**no longer default-deny** `shop/api` cilium ingress');
    expect(summary).toContain('```mermaid');
    const result = log.find((entry) => entry.step === 'Result')!;
    expect(result.code).toBe(1);
    // The upload step would get the SARIF file the check step wrote.
    const upload = skipped.find((step) => step.uses?.startsWith('github/codeql-action/upload-sarif'))!;
    expect(render(upload.with!.sarif_file, inputs, outputs)).toBe(outputs.check.sarif);
    expect(existsSync(outputs.check.sarif)).toBe(true);
  });

  it('passes with fail-on none and fails on diff-fail-on widened', () => {
    const { root, base } = fixtureRepository();
    const relaxed = runAction(root, { paths: 'apps', base, 'fail-on': 'none' });
    expect(relaxed.log.at(-1)).toMatchObject({ step: 'Result', code: 0 });
    const strict = runAction(root, { paths: 'apps', base, 'fail-on': 'none', 'diff-fail-on': 'widened' });
    expect(strict.outputs.diff.code).toBe('1');
    expect(strict.log.at(-1)).toMatchObject({ step: 'Result', code: 1 });
  });
});
