/**
 * Registry checks on every rule's documentation, in the manner of
 * typescript-eslint's docs tests: the `docs.bad` example must trigger its own
 * rule and the `docs.good` example must not. Examples are whole documents (or
 * several, for cross-file rules) analysed as one file of a fresh workspace,
 * at `docs.exampleFile` when the rule reads the file's place in the
 * repository, with `docs.exampleOptions` when it needs a setting and
 * `docs.exampleContext` (other workspace files) when it reads them.
 */

import { describe, expect, it } from 'vitest';
import { defaultAnalysisOptions } from '../core/src/options';
import { ALL_RULES } from '../core/src/rules/index';
import { MeshlensService } from '../core/src/service';

const WORKSPACE = '/workspace';

function ruleFindings(ruleId: string, text: string, file: string, options: Record<string, unknown>, context: Readonly<Record<string, string>>): string[] {
  const files = new Map(Object.entries(context).map(([relative, content]) => [`${WORKSPACE}/${relative}`, content]));
  const service = new MeshlensService({ roots: [WORKSPACE], host: { readFile: (path) => files.get(path) } });
  for (const [path, content] of files) if (/\.ya?ml$/.test(path)) service.setFile(path, content);
  const path = `${WORKSPACE}/${file}`;
  service.setFile(path, text);
  return service
    .diagnostics(path, defaultAnalysisOptions(options))
    .filter((diagnostic) => diagnostic.rule === ruleId)
    .map((diagnostic) => `${diagnostic.range.start.line + 1}: ${diagnostic.message}`);
}

describe('rule docs examples', () => {
  for (const rule of ALL_RULES) {
    const { id, docs } = rule.meta;
    const file = docs.exampleFile ?? 'example.yaml';
    const options = docs.exampleOptions ?? {};
    const context = docs.exampleContext ?? {};
    it(`${id}: has a bad and a good example`, () => {
      expect(docs.bad, `${id} docs.bad`).toBeTruthy();
      expect(docs.good, `${id} docs.good`).toBeTruthy();
    });
    if (docs.bad) {
      it(`${id}: docs.bad triggers the rule`, () => {
        expect(ruleFindings(id, docs.bad!, file, options, context).length, `${id}: its docs.bad example must trigger it`).toBeGreaterThan(0);
      });
    }
    if (docs.good) {
      it(`${id}: docs.good does not trigger the rule`, () => {
        expect(ruleFindings(id, docs.good!, file, options, context), `${id}: its docs.good example must not trigger it`).toEqual([]);
      });
    }
  }
});
