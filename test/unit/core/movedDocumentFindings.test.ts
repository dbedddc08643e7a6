/**
 * A document's local findings are cached by its text and shared wherever that
 * text appears, so a related location they name must stay inside the
 * document when an edit changes its index (documents before it merged or
 * split) — found by the incremental-equals-fresh property in
 * test/fuzz/coreProperties.test.ts: a duplicate key's "first defined here"
 * pointed into the next document after the edit. Each case edits a file so
 * that the document with the finding changes index, and compares the
 * incremental diagnostics with a fresh analysis of the final text.
 */

import { describe, expect, it } from 'vitest';
import { defaultAnalysisOptions } from '../../../core/src/options';
import { MeshlensService } from '../../../core/src/service';

const options = defaultAnalysisOptions();
const file = '/repo/policies.yaml';

const cases: { name: string; rule: string; document: string }[] = [
  { name: 'duplicate key (yaml/duplicate-key)', rule: 'yaml/duplicate-key', document: 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata:\n  name: a\n  namespace: n\n  name: b\nspec:\n  endpointSelector: {}\n' },
  {
    name: 'both subject selectors (cnp/both-subject-selectors)',
    rule: 'cnp/both-subject-selectors',
    document: 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata:\n  name: a\n  namespace: n\nspec:\n  endpointSelector: {}\n  nodeSelector: {}\n  ingress:\n    - fromEntities: [world]\n',
  },
];

const filler = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  padding: "${'x'.repeat(40)}"\n`;

describe('local findings of a document whose index changes', () => {
  for (const { name, rule, document } of cases) {
    it(`${name}: related locations stay in the document after the documents before it merge, and after they split again`, () => {
      // Two documents before it, then it, then a longer one after it (where a stale related location would land).
      const before = `${filler('one')}---\n${filler('two')}---\n${document}---\n${filler('after')}${filler('more').replace('apiVersion', 'other')}`;
      const merged = before.replace(`${filler('one')}---\n`, `${filler('one').replace('name: one', 'name: merged')}`);
      const service = new MeshlensService({ roots: ['/repo'] });
      for (const text of [before, merged, before]) {
        service.setFile(file, text);
        const incremental = service.diagnostics(file, options);
        const fresh = new MeshlensService({ roots: ['/repo'] });
        fresh.setFile(file, text);
        expect(incremental).toEqual(fresh.diagnostics(file, options));
        const found = incremental.filter((diagnostic) => diagnostic.rule === rule);
        expect(found.length).toBeGreaterThan(0);
        const documentStart = text.indexOf(document);
        for (const diagnostic of found) {
          for (const related of diagnostic.related ?? []) {
            expect(related.start).toBeGreaterThanOrEqual(documentStart);
            expect(related.end).toBeLessThanOrEqual(documentStart + document.length);
          }
        }
        expect(found.some((diagnostic) => (diagnostic.related ?? []).length > 0)).toBe(true);
      }
    });
  }
});
