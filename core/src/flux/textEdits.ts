/**
 * Text helpers for Flux quick-fixes that must touch only the lines they
 * change: line boundaries, a node's column, removing a `key: value` pair with
 * its lines, and re-indenting a copied block.
 *
 * Invariants: offsets are relative to the document text given; nothing here
 * throws; every function works on plain strings.
 */

import type { YamlPair } from '../parse/ast';
import type { DocRange } from '../findings';

export function lineStartOf(text: string, offset: number): number {
  const clamped = Math.max(0, Math.min(offset, text.length));
  return text.lastIndexOf('\n', clamped - 1) + 1;
}

/** Offset of the line break ending the line holding `offset` (or the text length). */
export function lineEndOf(text: string, offset: number): number {
  const next = text.indexOf('\n', Math.max(0, offset));
  return next === -1 ? text.length : next;
}

export function columnOf(text: string, offset: number): number {
  return offset - lineStartOf(text, offset);
}

/** True when only spaces (and a `- ` list marker) precede `offset` on its line. */
export function startsItsLine(text: string, offset: number): boolean {
  return /^[ ]*(- +)*$/.test(text.slice(lineStartOf(text, offset), offset));
}

/**
 * The range that removes a block-style pair: from the start of its key line
 * through the end of its last line (trailing comment included) and the line
 * break. When the key is not first on its line (`- key: v` or flow style), only
 * the pair text itself is returned, and the caller must make sure that is valid.
 */
export function pairRemovalRange(text: string, pair: YamlPair): DocRange {
  const end = lineEndOf(text, pair.value.end);
  if (!/^[ ]*$/.test(text.slice(lineStartOf(text, pair.key.start), pair.key.start))) {
    return { start: pair.key.start, end: pair.value.end };
  }
  return { start: lineStartOf(text, pair.key.start), end: end < text.length ? end + 1 : end };
}

/**
 * Re-indents a block copied from column `fromColumn`: the first line is kept
 * as is (the caller places it), every later non-empty line loses up to
 * `fromColumn` leading spaces and gains `indent`.
 */
export function reindentBlock(block: string, fromColumn: number, indent: string): string {
  const lines = block.replace(/\s+$/, '').split('\n');
  return lines
    .map((line, index) => {
      if (index === 0) return line;
      if (line.trim() === '') return '';
      let strip = 0;
      while (strip < fromColumn && line[strip] === ' ') strip++;
      return indent + line.slice(strip);
    })
    .join('\n');
}

/** Re-indents a whole block (including its first line) under `indent`. */
export function indentAll(block: string, fromColumn: number, indent: string): string {
  return indent + reindentBlock(block, fromColumn, indent);
}
