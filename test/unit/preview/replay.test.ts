/**
 * Flow replay fixtures: each directory under `test/replay-fixtures/` holds
 * the policies of a repository (`policies/`), a recorded Hubble export
 * (`flows.jsonl`, JSON lines as Hubble writes them, written by us from the
 * documented `flow.Flow` format) and `expected.json`: the counts and every
 * judged flow class with its outcome, recorded verdict and the rules
 * (file:line) that decide it. `UPDATE_EXPECT=1` rewrites the expected files.
 *
 * Also: hostile and malformed input never throws and is counted, and the
 * class cap bounds what is kept while every flow is still counted.
 */

import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFlowReplay, defaultAnalysisOptions, MeshlensService, type ReplayReport } from '../../../core/src/index';
import { repoRoot } from '../../support/repo';

const fixtures = join(repoRoot, 'test', 'replay-fixtures');
const options = defaultAnalysisOptions({ ciliumVersion: '1.18' });

function filesUnder(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

function serviceFor(root: string): MeshlensService {
  const service = new MeshlensService({ roots: [root] });
  for (const file of filesUnder(join(root, 'policies')).filter((path) => /\.ya?ml$/.test(path))) service.setFile(file, readFileSync(file, 'utf8'));
  return service;
}

function replayLines(service: MeshlensService, lines: string[], limits?: Parameters<typeof createFlowReplay>[2]): ReplayReport {
  const replay = createFlowReplay(service.workspace, options, limits);
  for (const line of lines) replay.addLine(line);
  return replay.report();
}

/** The report in the fixture's terms: counts, and each class as one readable line plus its deciding rules. */
function summarize(report: ReplayReport, root: string) {
  return {
    lines: report.lines,
    flows: report.flows,
    malformed: report.malformedSamples.map((sample) => `line ${sample.line}: ${sample.reason}`),
    skipped: report.skipped,
    outcomes: report.outcomes,
    classes: report.classes.map((flowClass) => ({
      outcome: flowClass.outcome,
      count: flowClass.count,
      flow: `${flowClass.recorded} ${flowClass.direction} ${flowClass.from} → ${flowClass.to} ${flowClass.port ?? ''}/${flowClass.protocol}${flowClass.http ? ` ${flowClass.http.method ?? ''} ${flowClass.http.path ?? ''}` : ''}${flowClass.dnsQuery ? ` DNS ${flowClass.dnsQuery}` : ''}`,
      decidedBy: flowClass.decidedBy.map((source) => `${relative(root, source.file)}:${source.line} ${source.rule}`),
    })),
  };
}

const cases = existsSync(fixtures) ? readdirSync(fixtures).filter((name) => statSync(join(fixtures, name)).isDirectory()) : [];

describe('flow replay fixtures', () => {
  it('has fixtures', () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  for (const name of cases) {
    it(name, () => {
      const root = join(fixtures, name);
      const service = serviceFor(root);
      const lines = readFileSync(join(root, 'flows.jsonl'), 'utf8').split('\n');
      if (lines[lines.length - 1] === '') lines.pop();
      const actual = summarize(replayLines(service, lines), root);
      const expectedPath = join(root, 'expected.json');
      if (process.env.UPDATE_EXPECT === '1') writeFileSync(expectedPath, `${JSON.stringify(actual, null, 2)}\n`);
      if (!existsSync(expectedPath)) throw new Error(`${expectedPath} is missing: run with UPDATE_EXPECT=1 and review it`);
      expect(actual).toEqual(JSON.parse(readFileSync(expectedPath, 'utf8')));
    });
  }
});

describe('flow replay on hostile input', () => {
  const service = serviceFor(join(fixtures, 'shop'));

  it('counts malformed and odd lines without throwing', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const deepObject = `${'{"a":'.repeat(40_000)}1${'}'.repeat(40_000)}`;
    const lines = [
      deep,
      deepObject,
      `{${'"a":1,'.repeat(10)}"flow":{"verdict":7,"source":null,"destination":[],"l4":{"TCP":{"destination_port":"x"}}}}`,
      '{"flow":{"verdict":"FORWARDED","source":{"labels":"k8s:app=web"},"destination":{"labels":[1,null,{"a":2}]},"l4":{"TCP":{"destination_port":99999}}}}',
      '{"flow":{"verdict":"DROPPED","source":{"namespace":"shop","labels":["k8s:app=web"]},"destination":{"namespace":"shop","labels":["k8s:app=api"]},"l4":{"UDP":{"destination_port":-5}}}}',
      '{"__proto__":{"polluted":true},"flow":{"verdict":"FORWARDED","source":{"namespace":"constructor","labels":["k8s:__proto__=x"]},"destination":{"namespace":"shop","labels":["k8s:app=api"]},"l4":{"TCP":{"destination_port":8080}}}}',
      'x'.repeat(300 * 1024),
      '\u0000\u0001{}',
      '{"flow":{"verdict":"FORWARDED","source":{"namespace":"shop","labels":["k8s:app=web"]},"destination":{"labels":["reserved:world"]},"IP":{"destination":"999.1.1.1"},"l4":{"TCP":{"destination_port":443}},"traffic_direction":"EGRESS"}}',
    ];
    const report = replayLines(service, lines);
    expect(report.lines).toBe(lines.length);
    expect(report.malformed).toBe(4);
    expect(report.malformedSamples.map((sample) => sample.reason)).toEqual(['not a JSON object', 'no "flow" object', 'line longer than 262144 characters', 'not a JSON object']);
    expect(report.flows).toBe(5);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // Verdict 7 (TRANSLATED) is no policy decision; a port out of range or negative leaves the record without a port.
    expect(report.skipped['verdict TRANSLATED (no policy decision)']).toBe(1);
    expect(report.outcomes.undecided.flows).toBeGreaterThanOrEqual(2);
  });

  it('keeps at most maxClasses classes and still counts every flow', () => {
    const lines = Array.from({ length: 50 }, (_, port) =>
      JSON.stringify({ flow: { verdict: 'FORWARDED', traffic_direction: 'INGRESS', source: { namespace: 'shop', labels: ['k8s:app=web'] }, destination: { namespace: 'shop', labels: ['k8s:app=db'] }, l4: { TCP: { destination_port: 1000 + port } } } }),
    );
    const report = replayLines(service, [...lines, ...lines], { maxClasses: 10 });
    expect(report.classes).toHaveLength(10);
    expect(report.outcomes['newly-dropped'].flows).toBe(100);
    expect(report.outcomes['newly-dropped'].classes).toBe(10);
    expect(report.unlisted.flows).toBe(80);
    expect(report.classes[0].count).toBe(2);
  });
});
