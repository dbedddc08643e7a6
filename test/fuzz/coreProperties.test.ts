/**
 * Property tests over the core: random YAML-ish text and random mutations of
 * the fixtures (and of ../shared/corpus files when present) never make an
 * exception escape, never take longer than a bound, and every diagnostic
 * range lies inside the document. Incremental analysis (edits applied to one
 * long-lived service) equals a fresh analysis of the final text.
 */

import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultAnalysisOptions } from '../../core/src/options';
import { MeshlensService } from '../../core/src/service';
import { stripAnnotations } from '../support/fixtureHarness';
import { hasShared, repoRoot, sharedRoot } from '../support/repo';
import { CALL_BOUND_MS, FUZZ_RUNS } from './fuzzSettings';

const options = defaultAnalysisOptions();

function listYaml(dir: string, limit = 400): string[] {
  const out: string[] = [];
  const walk = (path: string) => {
    for (const entry of readdirSync(path)) {
      if (out.length >= limit) return;
      const full = join(path, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (/\.ya?ml$/.test(entry)) out.push(full);
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
}

const fixtureTexts = listYaml(join(repoRoot, 'test', 'fixtures')).map((file) => stripAnnotations(readFileSync(file, 'utf8')));
// Reads ../shared/corpus when present (see test/support/repo.ts); without it the fixtures alone are mutated.
const corpusTexts = hasShared ? listYaml(join(sharedRoot, 'corpus', 'cilium-examples'), 150).concat(listYaml(join(sharedRoot, 'corpus', 'real-world'), 150)).map((file) => readFileSync(file, 'utf8')) : [];
const seeds = [...fixtureTexts, ...corpusTexts];

const stats = { calls: 0, slowestMs: 0, slowestInput: '' };

function analyseEverything(text: string): void {
  const service = new MeshlensService();
  const started = performance.now();
  service.setFile('/repo/fuzz.yaml', text);
  const diagnostics = service.diagnostics('/repo/fuzz.yaml', options);
  for (const offset of [0, Math.floor(text.length / 2), text.length]) {
    service.hover('/repo/fuzz.yaml', offset, options);
    service.completions('/repo/fuzz.yaml', offset, options);
  }
  service.codeLenses('/repo/fuzz.yaml', options);
  const elapsed = performance.now() - started;
  stats.calls++;
  if (elapsed > stats.slowestMs) {
    stats.slowestMs = elapsed;
    stats.slowestInput = text.slice(0, 80);
  }
  expect(elapsed, `analysis time for ${JSON.stringify(text.slice(0, 120))}`).toBeLessThan(CALL_BOUND_MS);
  for (const diagnostic of diagnostics) {
    expect(diagnostic.start).toBeGreaterThanOrEqual(0);
    expect(diagnostic.end).toBeLessThanOrEqual(text.length);
    expect(diagnostic.start).toBeLessThanOrEqual(diagnostic.end);
    for (const fix of diagnostic.fixes ?? []) for (const edit of fix.edits) if (edit.file === '/repo/fuzz.yaml') expect(edit.end).toBeLessThanOrEqual(text.length);
  }
}

const token = fc.constantFrom(
  'apiVersion: cilium.io/v2\n', 'kind: CiliumNetworkPolicy\n', 'kind: AuthorizationPolicy\n', 'apiVersion: security.istio.io/v1\n',
  'apiVersion: helm.toolkit.fluxcd.io/v2\n', 'kind: HelmRelease\n', 'metadata:\n', '  name: x\n', 'spec:\n', '  ', '    ', '- ', ': ', '\n',
  '---\n', '...\n', '[', ']', '{', '}', ',', '"', "'", '&a ', '*a ', '<<: *a\n', '|\n', '>-\n', '#', '\t', '? ', '!!str ', '!tag ',
  'endpointSelector: {}\n', 'ingress:\n', 'toPorts:\n', 'rules:\n', 'http:\n', 'path: "/(a+)+$"\n', 'values:\n', 'kubeProxyReplacement: strict\n',
  '${VAR}', '{{ .Values.x }}', '\ufeff', '\r\n', 'ENC[AES256_GCM,data:x]', '\u0000', '0x1F', '1e400', 'true', '~',
);

const mutation = fc.record({ position: fc.nat(), deleteCount: fc.nat({ max: 20 }), insert: fc.oneof(fc.string({ maxLength: 12 }), token) });

function mutate(text: string, mutations: { position: number; deleteCount: number; insert: string }[]): string {
  let result = text;
  for (const { position, deleteCount, insert } of mutations) {
    const at = result.length === 0 ? 0 : position % (result.length + 1);
    result = result.slice(0, at) + insert + result.slice(at + deleteCount);
  }
  return result;
}

describe('core properties', () => {
  it('random YAML-ish text: no exception, bounded time, ranges inside the document', () => {
    fc.assert(fc.property(fc.array(token, { maxLength: 60 }), (parts) => analyseEverything(parts.join(''))), { numRuns: FUZZ_RUNS });
  });

  it(`mutations of ${seeds.length} fixture${hasShared ? ' and corpus' : ''} files: no exception, bounded time, ranges inside`, () => {
    expect(seeds.length).toBeGreaterThan(0);
    fc.assert(
      fc.property(fc.nat({ max: seeds.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 6 }), (index, mutations) => analyseEverything(mutate(seeds[index], mutations))),
      { numRuns: FUZZ_RUNS },
    );
    console.log(`core fuzz: ${stats.calls} inputs analysed, slowest ${stats.slowestMs.toFixed(1)} ms (${JSON.stringify(stats.slowestInput)})`);
  });

  it('incremental analysis equals a fresh analysis of the final texts', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: seeds.length - 1 }),
        fc.nat({ max: seeds.length - 1 }),
        fc.array(fc.record({ file: fc.nat({ max: 1 }), edit: fc.array(mutation, { minLength: 1, maxLength: 3 }) }), { minLength: 1, maxLength: 12 }),
        (first, second, edits) => {
          const files = ['/repo/a/one.yaml', '/repo/b/two.yaml'];
          const texts = [seeds[first], seeds[second]];
          const incremental = new MeshlensService({ roots: ['/repo'] });
          files.forEach((file, index) => incremental.setFile(file, texts[index]));
          for (const { file, edit } of edits) {
            files.forEach((path) => incremental.diagnostics(path, options)); // warm every cache between edits
            texts[file] = mutate(texts[file], edit);
            incremental.setFile(files[file], texts[file]);
          }
          const fresh = new MeshlensService({ roots: ['/repo'] });
          files.forEach((file, index) => fresh.setFile(file, texts[index]));
          for (const file of files) expect(incremental.diagnostics(file, options)).toEqual(fresh.diagnostics(file, options));
        },
      ),
      { numRuns: Math.max(20, Math.floor(FUZZ_RUNS / 5)) },
    );
  });
});
