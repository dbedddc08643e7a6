/**
 * A piece of YAML text that holds Helm values, and how its offsets map back
 * into the workspace document where it is written. Two shapes exist:
 * - values written directly in a document (a HelmRelease's `spec.values`, a
 *   values file): offsets are the document's own, nothing to map;
 * - values embedded in a ConfigMap as a literal block scalar
 *   (`values.yaml: |`): the block's lines, with the block indentation cut,
 *   are parsed as a document of their own, and every offset maps back to the
 *   same line and column in the ConfigMap.
 *
 * Invariants: `toDocument` is monotonic and total (offsets beyond the text
 * clamp to its end); for embedded blocks, `linePrefix` is the indentation a
 * whole line inserted into the block must carry. Nothing here throws.
 */

import type { YamlNode, YamlScalar } from '../parse/ast';
import { createParsedDocument, type ParsedDocument } from '../parse/yamlFile';
import type { Anchor, DocRange } from '../findings';
import { lineContaining } from '../text/lineIndex';

export interface ValuesText {
  /** Workspace file and document index where the text is written. */
  file: string;
  document: number;
  /** The text the `root` offsets refer to. */
  text: string;
  /** The map holding the values (may be any node or undefined on odd input). */
  root: YamlNode | undefined;
  /** Maps an offset of `text` to an offset of the workspace document. */
  toDocument(offset: number): number;
  /** Maps an offset at the start of a line of `text` to the start of the same line in the document. */
  lineStartToDocument(offset: number): number;
  /** Prefix every inserted whole line must carry in the document (block indentation). */
  linePrefix: string;
  /** True when offsets map line by line (direct text or a literal block); else they collapse onto the block. */
  exact: boolean;
}

/** Values written directly in a document (offsets are the document's own). */
export function directValuesText(file: string, document: number, text: string, root: YamlNode | undefined): ValuesText {
  const clamp = (offset: number) => Math.max(0, Math.min(offset, text.length));
  return { file, document, text, root, toDocument: clamp, lineStartToDocument: clamp, linePrefix: '', exact: true };
}

/**
 * Values held in a string scalar of a document (a ConfigMap data key). A
 * literal block maps line by line; any other style is parsed from its decoded
 * text and every position collapses onto the scalar itself.
 */
export function embeddedValuesText(file: string, document: number, documentText: string, scalar: YamlScalar): { values: ValuesText; parsed: ParsedDocument } {
  if (scalar.style === 'literal') {
    const block = literalBlockLines(documentText, scalar);
    if (block) {
      const parsed = createParsedDocument(block.text);
      const toDocument = (offset: number) => {
        const clamped = Math.max(0, Math.min(offset, block.text.length));
        const line = lineOf(block.starts, clamped);
        const column = clamped - block.starts[line];
        return Math.min(block.rawStarts[line] + block.indent + column, block.rawEnds[line] + 1, documentText.length);
      };
      const lineStartToDocument = (offset: number) => {
        const clamped = Math.max(0, Math.min(offset, block.text.length));
        if (clamped >= block.text.length) return Math.min(block.rawEnds[block.rawEnds.length - 1] + 1, documentText.length);
        return block.rawStarts[lineOf(block.starts, clamped)];
      };
      return {
        values: { file, document, text: block.text, root: parsed.root, toDocument, lineStartToDocument, linePrefix: ' '.repeat(block.indent), exact: true },
        parsed,
      };
    }
  }
  const parsed = createParsedDocument(scalar.text);
  const collapse = (offset: number) => (offset <= 0 ? scalar.start : scalar.end);
  return {
    values: { file, document, text: scalar.text, root: parsed.root, toDocument: collapse, lineStartToDocument: collapse, linePrefix: '', exact: false },
    parsed,
  };
}

/** A range of the values text as an anchor in the workspace document. */
export function anchorOf(values: ValuesText, range: DocRange): Anchor {
  if (!values.exact) return { file: values.file, document: values.document, start: values.toDocument(0), end: values.toDocument(Number.MAX_SAFE_INTEGER) };
  return { file: values.file, document: values.document, start: values.toDocument(range.start), end: values.toDocument(range.end) };
}

interface BlockLines {
  /** Content lines with the block indentation removed, each followed by a line break. */
  text: string;
  /** Offset in `text` where each line starts. */
  starts: number[];
  /** Document offset of each raw line's start and end (before its line break). */
  rawStarts: number[];
  rawEnds: number[];
  indent: number;
}

function literalBlockLines(documentText: string, scalar: YamlScalar): BlockLines | undefined {
  const raw = documentText.slice(scalar.start, scalar.end);
  if (!raw.startsWith('|')) return undefined;
  const header = /^\|([1-9])?[+-]?([1-9])?[ \t]*(#.*)?$/.exec(raw.slice(0, raw.indexOf('\n') === -1 ? raw.length : raw.indexOf('\n')));
  if (!header) return undefined;
  const firstBreak = raw.indexOf('\n');
  if (firstBreak === -1) return { text: '', starts: [0], rawStarts: [scalar.end], rawEnds: [scalar.end], indent: 0 };
  const rawStarts: number[] = [];
  const rawEnds: number[] = [];
  let cursor = scalar.start + firstBreak + 1;
  while (cursor <= scalar.end) {
    const breakAt = documentText.indexOf('\n', cursor);
    const end = breakAt === -1 || breakAt > scalar.end ? scalar.end : breakAt;
    rawStarts.push(cursor);
    rawEnds.push(end);
    if (breakAt === -1 || breakAt >= scalar.end) break;
    cursor = breakAt + 1;
  }
  // Block indentation: explicit indicator (relative to the parent; we take the first content
  // line instead, which is what it must equal), else the first non-blank line's indentation.
  let indent = 0;
  for (let line = 0; line < rawStarts.length; line++) {
    const content = documentText.slice(rawStarts[line], rawEnds[line]);
    if (content.trim() === '') continue;
    indent = content.length - content.trimStart().length;
    break;
  }
  const starts: number[] = [];
  let text = '';
  for (let line = 0; line < rawStarts.length; line++) {
    const content = documentText.slice(rawStarts[line], rawEnds[line]);
    starts.push(text.length);
    text += (content.length >= indent ? content.slice(indent) : '') + '\n';
  }
  return { text, starts, rawStarts, rawEnds, indent };
}

const lineOf = lineContaining;
