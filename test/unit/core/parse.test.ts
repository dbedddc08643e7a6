/** The parser's tree: offsets of nodes, including empty values, quoted and block scalars. */

import { describe, expect, it } from 'vitest';
import { nodeAtPath, type YamlNode } from '../../../core/src/parse/ast';
import { parseDocumentChunk } from '../../../core/src/parse/parseDocument';

function textOf(source: string, node: YamlNode | undefined): string | undefined {
  return node ? source.slice(node.start, node.end) : undefined;
}

describe('parseDocumentChunk', () => {
  it('places empty values on their indicator', () => {
    const source = 'rules:\n  -\n  - a\nb:\nc: # note\n  d: 1\n';
    const { root } = parseDocumentChunk(source);
    expect(textOf(source, nodeAtPath(root, ['rules', 0]))).toBe('-');
    expect(source.slice(0, nodeAtPath(root, ['rules', 0])!.start).split('\n').length).toBe(2);
    expect(textOf(source, nodeAtPath(root, ['rules', 1]))).toBe('a');
    expect(textOf(source, nodeAtPath(root, ['b']))).toBe(':');
  });

  it('ranges of quoted, block and plain scalars', () => {
    const source = 'a: "q"\nb: \'s\'\nc: |\n  line\nd: plain text\n';
    const { root } = parseDocumentChunk(source);
    expect(textOf(source, nodeAtPath(root, ['a']))).toBe('"q"');
    expect(textOf(source, nodeAtPath(root, ['b']))).toBe("'s'");
    expect(textOf(source, nodeAtPath(root, ['c']))).toBe('|\n  line');
    expect(textOf(source, nodeAtPath(root, ['d']))).toBe('plain text');
  });

  it('resolves scalars the Kubernetes (YAML 1.1) way and keeps quoted ones as strings', () => {
    const source = 'a: yes\nb: "yes"\nc: 0x1F\nd: 1.10\ne: ~\nf: !!str 12\n';
    const { root } = parseDocumentChunk(source);
    expect(['a', 'b', 'c', 'd', 'e', 'f'].map((key) => (nodeAtPath(root, [key]) as { value: unknown }).value)).toEqual([true, 'yes', 31, 1.1, null, '12']);
  });

  it('reports duplicate keys with the first occurrence', () => {
    const { problems } = parseDocumentChunk('a: 1\nb: 2\na: 3\n');
    expect(problems).toEqual([expect.objectContaining({ code: 'yaml/duplicate-key', start: 10, end: 11, related: expect.objectContaining({ start: 0, end: 1 }) })]);
  });
});

describe('empty values after collections', () => {
  it('a bare `-` after a flow map is placed on its own dash', () => {
    const text = 'rules:\n  - from:\n      - {}\n  -\n';
    const { root } = parseDocumentChunk(text);
    const empty = nodeAtPath(root, ['rules', 1])!;
    expect(text.slice(empty.start, empty.end)).toBe('-');
    expect(text.slice(0, empty.start).split('\n').length).toBe(4);
  });
});
