/**
 * Data-driven completion cases: each folder under test/completion/<case>/ is a
 * small workspace. Exactly one of its YAML files holds a `$0` cursor marker
 * (removed before analysis); `expect.json` states what the completion list
 * must hold:
 *
 *     { "includes": ["relay"], "excludes": ["enabled"], "deprecated": ["cert"],
 *       "details": { "relay": "Cilium 1.16.5" }, "empty": false, "accept": "relay",
 *       "options": { "schemaDeferredKinds": ["ciliumnetworkpolicy"] } }
 *
 * `details` values are substrings of the item's detail; `options` are
 * AnalysisOptions overrides. With `accept`, the
 * file after applying that item's edit is compared with `<file>.accepted`
 * (the snippet's `$0` shows where the cursor lands), which is how the
 * indentation of nested keys is checked; `UPDATE_EXPECT=1` rewrites it.
 *
 * Every case also checks the invariants of any completion list: deprecated
 * items come after all others, replace ranges lie on the cursor's line, and
 * labels are unique.
 */

import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MeshlensService } from '../core/src/service';
import { defaultAnalysisOptions, type AnalysisOptions } from '../core/src/options';
import { repoRoot } from './support/repo';

const casesRoot = join(repoRoot, 'test', 'completion');
const update = process.env.UPDATE_EXPECT === '1';
const CURSOR = '$0';

interface Expectation {
  includes?: string[];
  excludes?: string[];
  deprecated?: string[];
  details?: Record<string, string>;
  empty?: boolean;
  accept?: string;
  options?: Partial<AnalysisOptions>;
}

const EXPECTATION_KEYS = new Set(['includes', 'excludes', 'deprecated', 'details', 'empty', 'accept', 'options']);

function yamlFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) found.push(...yamlFiles(full));
    else if (/\.ya?ml$/.test(entry)) found.push(full);
  }
  return found;
}

function readExpectation(caseDir: string): Expectation {
  const path = join(caseDir, 'expect.json');
  if (!existsSync(path)) throw new Error(`${relative(repoRoot, caseDir)}: expect.json is missing`);
  const expectation = JSON.parse(readFileSync(path, 'utf8')) as Expectation;
  const unknown = Object.keys(expectation).filter((key) => !EXPECTATION_KEYS.has(key));
  if (unknown.length > 0) throw new Error(`${relative(repoRoot, path)}: unknown keys ${unknown.join(', ')}`);
  const asserts = (expectation.includes?.length ?? 0) + (expectation.excludes?.length ?? 0) + (expectation.deprecated?.length ?? 0) + Object.keys(expectation.details ?? {}).length;
  if (asserts === 0 && expectation.empty !== true) throw new Error(`${relative(repoRoot, path)}: states nothing to check`);
  return expectation;
}

const cases = existsSync(casesRoot) ? readdirSync(casesRoot).filter((entry) => statSync(join(casesRoot, entry)).isDirectory()).sort() : [];

describe('completion cases', () => {
  it('exist', () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  for (const name of cases) {
    it(name, () => {
      const caseDir = join(casesRoot, name);
      const expectation = readExpectation(caseDir);
      const service = new MeshlensService({
        roots: [caseDir],
        host: { readFile: (path) => (existsSync(path) ? readFileSync(path, 'utf8') : undefined) },
      });
      let cursorFile: string | undefined;
      let cursorOffset = -1;
      let cursorText = '';
      for (const file of yamlFiles(caseDir)) {
        const raw = readFileSync(file, 'utf8');
        const offset = raw.indexOf(CURSOR);
        if (offset >= 0) {
          if (cursorFile) throw new Error(`${name}: more than one file holds a ${CURSOR} cursor`);
          if (raw.indexOf(CURSOR, offset + 1) >= 0) throw new Error(`${name}: ${relative(caseDir, file)} holds two cursors`);
          cursorFile = file;
          cursorOffset = offset;
          cursorText = raw.slice(0, offset) + raw.slice(offset + CURSOR.length);
          service.setFile(file, cursorText);
        } else {
          service.setFile(file, raw);
        }
      }
      if (!cursorFile) throw new Error(`${name}: no file holds a ${CURSOR} cursor`);
      const items = service.completions(cursorFile, cursorOffset, defaultAnalysisOptions(expectation.options ?? {}));
      const labels = items.map((item) => item.label);

      // Invariants of every list.
      expect(new Set(labels).size, 'labels are unique').toBe(labels.length);
      const firstDeprecated = items.findIndex((item) => item.deprecated);
      if (firstDeprecated >= 0) expect(items.slice(firstDeprecated).every((item) => item.deprecated), 'deprecated items come last').toBe(true);
      const lineStart = cursorText.lastIndexOf('\n', cursorOffset - 1) + 1;
      const lineEnd = cursorText.indexOf('\n', cursorOffset) === -1 ? cursorText.length : cursorText.indexOf('\n', cursorOffset);
      for (const item of items) {
        expect(item.replaceStart, `${item.label}: replace range starts on the cursor line`).toBeGreaterThanOrEqual(lineStart);
        expect(item.replaceEnd, `${item.label}: replace range ends on the cursor line`).toBeLessThanOrEqual(lineEnd);
        expect(item.replaceStart <= cursorOffset && cursorOffset <= item.replaceEnd, `${item.label}: replace range holds the cursor`).toBe(true);
      }

      if (expectation.empty) expect(labels).toEqual([]);
      else expect(labels.length, 'some items are offered').toBeGreaterThan(0);
      for (const label of expectation.includes ?? []) expect(labels, `offers ${label}`).toContain(label);
      for (const label of expectation.excludes ?? []) expect(labels, `does not offer ${label}`).not.toContain(label);
      for (const label of expectation.deprecated ?? []) expect(items.find((item) => item.label === label)?.deprecated, `${label} is tagged deprecated`).toBe(true);
      for (const [label, detail] of Object.entries(expectation.details ?? {})) expect(items.find((item) => item.label === label)?.detail ?? '', `detail of ${label}`).toContain(detail);

      if (expectation.accept) {
        const item = items.find((candidate) => candidate.label === expectation.accept);
        expect(item, `an item ${expectation.accept} to accept`).toBeDefined();
        const after = cursorText.slice(0, item!.replaceStart) + item!.insertText + cursorText.slice(item!.replaceEnd);
        const acceptedPath = `${cursorFile}.accepted`;
        if (update) writeFileSync(acceptedPath, after);
        else {
          expect(existsSync(acceptedPath), `${relative(repoRoot, acceptedPath)} must exist (UPDATE_EXPECT=1 writes it)`).toBe(true);
          expect(after, `text after accepting ${expectation.accept}`).toBe(readFileSync(acceptedPath, 'utf8'));
        }
      }
    });
  }
});
