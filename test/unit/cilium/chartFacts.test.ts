/**
 * Per-patch Cilium chart facts (schemas/cilium-values/chart-facts.json) and the one
 * values-condition language: the facts the issue named, checked per patch, and a data check
 * that the generated file is current against ../shared/upstream/cilium-charts.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chartPatches, failRulesAt, factsPatch, keyFactsAt, renderGuardAt } from '../../../core/src/cilium/chartFacts';
import { chartFailures, lookupValueKeyAt } from '../../../core/src/cilium/valuesCatalog';
import { evaluate, isTruthy, type ValuesCondition } from '../../../core/src/cilium/valuesCondition';
import { repoRoot, sharedRoot } from '../../support/repo';

const failsOn = (version: string, key: string) => failRulesAt(version).some((rule) => rule.keys.length === 1 && rule.keys[0] === key);

describe('chart facts per patch', () => {
  it('covers every published patch 1.14.0 to 1.20.0', () => {
    const patches = chartPatches();
    expect(patches[0]).toBe('1.14.0');
    expect(patches).toContain('1.20.0');
    expect(patches.length).toBeGreaterThanOrEqual(99);
  });

  it.each([
    ['1.15.7', 'tunnel', false],
    ['1.15.8', 'tunnel', true],
    ['1.15.10', 'tunnel', true],
    ['1.16.1', 'tunnel', false],
    ['1.16.2', 'tunnel', true],
    ['1.16.3', 'tunnel', true],
    ['1.16.19', 'tunnel', true],
    ['1.16.1', 'containerRuntime.integration', false],
    ['1.16.3', 'containerRuntime.integration', true],
    ['1.16.19', 'containerRuntime.integration', true],
    ['1.15.10', 'containerRuntime.integration', false],
  ])('chart %s fails rendering on `%s`: %s', (version, key, expected) => {
    expect(failsOn(version, key)).toBe(expected);
  });

  it('netkit with bpf.tproxy fails rendering from chart 1.19.0, not before', () => {
    const values = { bpf: { datapathMode: 'netkit', tproxy: true } };
    const hit = (version: string) => chartFailures(version, values).some((failure) => failure.rule.keys.includes('bpf.tproxy'));
    expect(hit('1.18.12')).toBe(false);
    expect(hit('1.19.0')).toBe(true);
    expect(hit('1.20.0')).toBe(true);
    expect(chartFailures('1.19.0', { bpf: { datapathMode: 'veth', tproxy: true } }).some((failure) => failure.rule.keys.includes('bpf.tproxy'))).toBe(false);
  });

  // cilium-configmap.yaml reads it with `hasKey .Values.nodePort "directRoutingDevice"` from 1.14.0 on.
  it('template-read keys are known: nodePort.directRoutingDevice on every patch 1.14.0 to 1.20.0', () => {
    for (const patch of chartPatches()) {
      expect(keyFactsAt(patch, 'nodePort.directRoutingDevice')?.read, patch).toBe(true);
      expect(lookupValueKeyAt(patch, ['nodePort', 'directRoutingDevice']).status, patch).toBe('known');
    }
  });

  it('a removed key remembers the last patch that had it', () => {
    expect(keyFactsAt('1.16.3', 'tunnel')).toMatchObject({ declared: false, read: false, lastSeen: '1.14.19' });
    expect(keyFactsAt('1.14.3', 'tunnel')).toMatchObject({ declared: true });
  });

  it('an unpublished or unknown patch falls back to the nearest lower patch of its minor, else none', () => {
    expect(factsPatch('1.16.14')).toBe('1.16.13');
    expect(factsPatch('1.13.4')).toBeUndefined();
    expect(factsPatch('1.16')).toBeUndefined();
  });

  it('chart 1.16.3 writes enable-bbr only with bandwidthManager.enabled', () => {
    const guard = renderGuardAt('1.16.3', 'enable-bbr')!;
    expect(guard).toBeDefined();
    const defaults = (path: string[]) => (path.join('.') === 'agent' ? true : path.join('.') === 'bandwidthManager' ? {} : undefined);
    expect(evaluate(guard, { user: { bandwidthManager: { bbr: true } }, defaultFor: defaults }).truth).toBe(false);
    expect(evaluate(guard, { user: { bandwidthManager: { bbr: true, enabled: true } }, defaultFor: defaults }).truth).toBe(true);
  });
});

describe('values-condition language (Helm truthiness)', () => {
  it.each([
    [false, false],
    ['false', true],
    ['', false],
    [0, false],
    [null, false],
    [undefined, false],
    [[], false],
    [{}, false],
    ['0', true],
    [1, true],
    [['a'], true],
  ])('isTruthy(%j) is %s', (value, expected) => {
    expect(isTruthy(value)).toBe(expected);
  });

  it('is three-valued: a ${VAR} or an opaque chart condition is unknown, and unknown never fails rendering', () => {
    const condition: ValuesCondition = { all: [{ path: 'a', truthy: true }, { opaque: true, paths: ['b'] }] };
    expect(evaluate(condition, { user: { a: true } }).truth).toBe('unknown');
    expect(evaluate(condition, { user: { a: false } }).truth).toBe(false);
    expect(evaluate({ path: 'a', truthy: true }, { user: { a: '${ENABLED}' } }).truth).toBe('unknown');
    expect(evaluate({ any: [{ path: 'a', truthy: true }, { opaque: true }] }, { user: { a: 1 } }).truth).toBe(true);
  });

  it('a user null removes the key; `present` sees chart defaults', () => {
    const lookup = { user: { bpf: null }, defaultFor: (path: string[]) => (path.join('.') === 'bpf' ? {} : undefined) };
    expect(evaluate({ path: 'bpf', present: true }, lookup).truth).toBe(false);
    expect(evaluate({ path: 'bpf', present: true }, { user: {}, defaultFor: lookup.defaultFor }).truth).toBe(true);
  });

  it('`matches` runs on RE2, as Helm\'s regexMatch (Go regexp): linear on a hostile value, RE2-only syntax, a broken pattern is false', () => {
    const name = '^([a-z0-9][-a-z0-9]*)?[a-z0-9]$';
    expect(evaluate({ path: 'cluster.name', matches: name }, { user: { cluster: { name: 'prod-1' } } }).truth).toBe(true);
    expect(evaluate({ path: 'cluster.name', matches: name }, { user: { cluster: { name: 'Prod_1' } } }).truth).toBe(false);
    // \\z (end of text) is RE2 syntax JavaScript does not have.
    expect(evaluate({ path: 'v', matches: 'abc\\z' }, { user: { v: 'xabc' } }).truth).toBe(true);
    // Exponential for a backtracking engine (it would not return); linear on RE2.
    expect(evaluate({ path: 'v', matches: '^(a+)+$' }, { user: { v: `${'a'.repeat(40)}!` } }).truth).toBe(false);
    expect(evaluate({ path: 'v', matches: '(' }, { user: { v: '(' } }).truth).toBe(false);
  });

  it('reports the user keys that made a condition hold, not prerequisites', () => {
    const outcome = evaluate({ all: [{ path: 'x.on', equals: true }, { path: 'y', truthy: true, trigger: false }] }, { user: { x: { on: true }, y: 1 } });
    expect(outcome.paths).toEqual([['x', 'on']]);
  });
});

const charts = join(sharedRoot, 'upstream', 'cilium-charts');
const chartsPresent = existsSync(charts);
if (!chartsPresent) console.warn('skipping chart-facts data check: ../shared/upstream/cilium-charts is not present beside the repository');

describe.skipIf(!chartsPresent)('generated chart facts are current against ../shared/upstream/cilium-charts', () => {
  it('gen-cilium-chart-facts.mjs --check passes', () => {
    const output = execFileSync(process.execPath, [join(repoRoot, 'scripts', 'gen-cilium-chart-facts.mjs'), charts, '--check'], { encoding: 'utf8' });
    expect(output).toContain('up to date');
  });
});
