/**
 * The fast paths of the text layer agree with the plain definitions:
 * `utf8ByteLength` with Node's UTF-8 byte count, `LineIndex` with a split on
 * line breaks (with and without carriage returns), `normalizePath` with the
 * segment-by-segment rewrite, and a file re-parsed with its previous version
 * (documents outside the edit reused) with a parse from scratch.
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DocumentParseCache, parseYamlFile, type YamlFile } from '../../../core/src/parse/yamlFile';
import { LineIndex } from '../../../core/src/text/lineIndex';
import { utf8ByteLength } from '../../../core/src/text/utf8';
import { normalizePath } from '../../../core/src/workspace/model';
import { Workspace } from '../../../core/src/workspace/workspace';

const textChars = fc.constantFrom('a', 'é', '€', '😀', '\n', '\r', ' ', '-', '\uD800', '\uDC00', ':');

describe('text fast paths', () => {
  it('utf8ByteLength equals the UTF-8 encoding length', () => {
    fc.assert(
      fc.property(fc.array(textChars, { maxLength: 60 }).map((chars) => chars.join('')), (text) => {
        expect(utf8ByteLength(text)).toBe(Buffer.byteLength(text, 'utf8'));
      }),
      { numRuns: 500 },
    );
    expect(utf8ByteLength('plain ascii\n'.repeat(1000))).toBe(12_000);
  });

  it('LineIndex gives the line and column of every offset', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'b', '\n', '\r', '\r\n'), { maxLength: 40 }).map((parts) => parts.join('')), (text) => {
        const index = new LineIndex(text);
        const lines = text.split(/\r\n|\r|\n/);
        expect(index.lineCount).toBe(lines.length);
        let offset = 0;
        lines.forEach((line, number) => {
          expect(index.positionAt(offset)).toEqual({ line: number, character: 0 });
          expect(index.positionAt(offset + line.length)).toEqual({ line: number, character: line.length });
          offset += line.length + (text.startsWith('\r\n', offset + line.length) ? 2 : 1);
        });
      }),
      { numRuns: 500 },
    );
  });

  it('normalizePath leaves normal paths alone and rewrites the others', () => {
    const slow = (path: string) => {
      const absolute = path.startsWith('/');
      const parts: string[] = [];
      for (const part of path.split('/')) {
        if (part === '' || part === '.') continue;
        if (part === '..') {
          if (parts.length > 0 && parts[parts.length - 1] !== '..') parts.pop();
          else if (!absolute) parts.push('..');
          continue;
        }
        parts.push(part);
      }
      return absolute ? `/${parts.join('/')}` : parts.join('/') || '.';
    };
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'b', '/', '.'), { maxLength: 12 }).map((chars) => chars.join('')), (path) => {
        expect(normalizePath(path)).toBe(slow(path));
      }),
      { numRuns: 2000 },
    );
  });
});

/** The tree of every document, without the functions (what a parse from scratch must give too). */
function shape(file: YamlFile) {
  return file.documents.map((document) => ({ start: document.start, end: document.end, index: document.index, text: document.parsed.text, root: document.parsed.root, problems: document.parsed.problems }));
}

const DOCUMENTS = ['a: 1\n', 'kind: Service\nmetadata:\n  name: web\n', '---\n', '# note\n', 'b: [1, 2\n', 'list:\n  - x\n  - y\n', '...\n', 'c: "q"\n'];

describe('re-parse with the previous version', () => {
  it('gives the same documents as a parse from scratch, reusing those outside the edit', () => {
    const build = (parts: number[]) => parts.map((part) => DOCUMENTS[part]).join('');
    const arbitraryText = fc.array(fc.integer({ min: 0, max: DOCUMENTS.length - 1 }), { maxLength: 12 }).map(build);
    fc.assert(
      fc.property(arbitraryText, arbitraryText, (before, after) => {
        const cache = new DocumentParseCache();
        const previous = parseYamlFile(before, cache);
        const incremental = parseYamlFile(after, cache, undefined, previous);
        const scratch = parseYamlFile(after, new DocumentParseCache());
        expect(shape(incremental)).toEqual(shape(scratch));
      }),
      { numRuns: 500 },
    );
  });

  it('keeps the parses of the documents before and after a one-line edit', () => {
    const documents = Array.from({ length: 50 }, (_, index) => `kind: ConfigMap\nmetadata:\n  name: c${index}\ndata:\n  k: v${index}\n`);
    const before = documents.join('---\n');
    const after = before.replace('k: v25\n', 'k: edited\n');
    const cache = new DocumentParseCache();
    const previous = parseYamlFile(before, cache);
    const next = parseYamlFile(after, cache, undefined, previous);
    const reused = next.documents.filter((document, index) => document.parsed === previous.documents[index].parsed).map((document) => document.index);
    expect(reused).toEqual(documents.map((_, index) => index).filter((index) => index !== 25));
    expect(next.documents[25].parsed.text).toContain('k: edited');
  });
});

describe('kind index after an edit', () => {
  it('lists the edited documents, in file order, as a rebuilt index would', () => {
    const workspace = new Workspace();
    const configMaps = (file: string, value: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${file}-a}\ndata: {k: ${value}}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: ${file}-s}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${file}-b}\n`;
    workspace.setFile('/w/one.yaml', configMaps('one', '1'));
    workspace.setFile('/w/two.yaml', configMaps('two', '1'));
    const before = workspace.byKind('ConfigMap');
    workspace.setFile('/w/one.yaml', configMaps('one', '2'));
    const after = workspace.byKind('ConfigMap');
    expect(after.map((document) => `${document.identity.name}:${document.parsed.text.includes('k: 2') ? 2 : 1}`)).toEqual(['one-a:2', 'one-b:1', 'two-a:1', 'two-b:1']);
    expect(before.map((document) => document.parsed.text.includes('k: 2'))).toEqual([false, false, false, false]);
    const fresh = new Workspace();
    fresh.setFile('/w/one.yaml', configMaps('one', '2'));
    fresh.setFile('/w/two.yaml', configMaps('two', '1'));
    expect(after.map((document) => document.parsed.text)).toEqual(fresh.byKind('ConfigMap').map((document) => document.parsed.text));
    // A kind that appears or disappears rebuilds the index.
    workspace.setFile('/w/one.yaml', 'apiVersion: v1\nkind: Secret\nmetadata: {name: one}\n');
    expect(workspace.byKind('ConfigMap').map((document) => document.identity.name)).toEqual(['two-a', 'two-b']);
    expect(workspace.byKind('Secret').map((document) => document.identity.name)).toEqual(['one']);
  });
});

describe('tree building without a key map per small mapping', () => {
  it('reports duplicate keys against the first definition, in small and large maps', () => {
    for (const size of [3, 15, 16, 17, 40]) {
      const keys = Array.from({ length: size }, (_, index) => `k${index}: ${index}`);
      const text = [...keys, 'k1: again', `k${size - 1}: last`, 'k1: third'].join('\n') + '\n';
      const parsed = parseYamlFile(text).documents[0].parsed;
      const duplicates = parsed.problems.filter((problem) => problem.code === 'yaml/duplicate-key');
      const lineOf = (offset: number) => text.slice(0, offset).split('\n').length;
      expect(duplicates.map((problem) => [lineOf(problem.start), lineOf(problem.related!.start)])).toEqual([
        [size + 1, 2],
        [size + 2, size],
        [size + 3, 2],
      ]);
    }
  });

  it('keeps __proto__ and constructor as ordinary keys of the plain value', () => {
    const parsed = parseYamlFile('__proto__: {polluted: true}\nconstructor: x\nbase: &b {a: 1}\nmerged:\n  <<: *b\n  __proto__: 2\n').documents[0].parsed;
    const value = parsed.value().value as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(['__proto__', 'constructor', 'base', 'merged']);
    expect(Object.getOwnPropertyDescriptor(value, '__proto__')?.value).toEqual({ polluted: true });
    expect(value.constructor).toBe('x');
    expect(JSON.stringify(value.merged)).toBe('{"a":1,"__proto__":2}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
