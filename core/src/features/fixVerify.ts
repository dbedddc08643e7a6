/**
 * Verification of a fixed file before anything is written: the result must
 * parse at least as well as the original (no new YAML problem of any kind —
 * syntax, duplicate key, depth, alias), keep the same number of documents,
 * and keep every key the fix did not touch.
 *
 * "Touched" is defined by lines: the lines an edit replaced in the original
 * and the lines its new text occupies in the result. Every leaf (scalar, empty
 * map or sequence, by key path and value) that lies entirely on untouched
 * lines must be found, with the same path and value, on untouched lines of the
 * result, and vice versa (multisets). A parent map left empty by a removal
 * (`prometheus:` → null) therefore fails: its line was not edited but its
 * value changed. Literal block scalars that hold a YAML map (a ConfigMap's
 * `values.yaml: |`) are compared by their inner keys, line for line.
 *
 * Invariants: pure; never throws (any internal failure is a refusal with a
 * reason); the result says why it refused, in one sentence.
 */

import { deref, type YamlNode } from '../parse/ast';
import { parseYamlFile } from '../parse/yamlFile';
import { lineContaining } from '../text/lineIndex';

export interface PlainEdit {
  start: number;
  end: number;
  newText: string;
}

export interface FixVerification {
  ok: boolean;
  /** Why the result was refused (when not ok). */
  reason?: string;
}

/** Applies non-overlapping edits (sorted by the caller or not) and returns the result with the new texts' ranges in it. */
export function applyPlainEdits(text: string, edits: readonly PlainEdit[]): { text: string; inserted: { start: number; end: number }[] } | undefined {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  for (let index = 1; index < sorted.length; index++) if (sorted[index].start < sorted[index - 1].end) return undefined;
  let out = '';
  let at = 0;
  const inserted: { start: number; end: number }[] = [];
  for (const edit of sorted) {
    if (edit.start < at || edit.end > text.length || edit.start > edit.end) return undefined;
    out += text.slice(at, edit.start);
    inserted.push({ start: out.length, end: out.length + edit.newText.length });
    out += edit.newText;
    at = edit.end;
  }
  out += text.slice(at);
  return { text: out, inserted };
}

/** Rewrites the line breaks of edit texts to the file's own (CRLF files stay CRLF). */
export function matchLineEndings(text: string, edits: readonly PlainEdit[]): PlainEdit[] {
  const lf = (text.match(/\n/g) ?? []).length;
  if (lf === 0) return [...edits];
  const crlf = (text.match(/\r\n/g) ?? []).length;
  if (crlf !== lf) return [...edits];
  return edits.map((edit) => ({ ...edit, newText: edit.newText.replace(/\r?\n/g, '\r\n') }));
}

export function verifyFixedText(before: string, after: string, edits: readonly PlainEdit[], inserted: readonly { start: number; end: number }[]): FixVerification {
  try {
    const original = parseYamlFile(before);
    const result = parseYamlFile(after);
    if (result.skipped && !original.skipped) return { ok: false, reason: `the result would not be analysable (${result.skipped.reason})` };
    if (original.skipped) return { ok: false, reason: 'the file is not analysed, so a fix cannot be verified' };
    if (original.documents.length !== result.documents.length) return { ok: false, reason: 'the result would have a different number of YAML documents' };
    const problemsBefore = countProblems(original.documents.flatMap((document) => document.parsed.problems));
    const problemsAfter = countProblems(result.documents.flatMap((document) => document.parsed.problems));
    for (const [code, count] of problemsAfter) {
      if (count > (problemsBefore.get(code) ?? 0)) return { ok: false, reason: `the result would have a new YAML problem (${code})` };
    }
    const touchedBefore = touchedLines(before, edits.map((edit) => ({ start: edit.start, end: edit.end })));
    const touchedAfter = touchedLines(after, inserted);
    const leavesBefore: Leaves = { counts: new Map(), unparsedBlocks: 0 };
    const leavesAfter: Leaves = { counts: new Map(), unparsedBlocks: 0 };
    original.documents.forEach((document, index) => collectLeaves(before, document.start, document.parsed.root, [`#${index}`], touchedBefore, leavesBefore, 0));
    result.documents.forEach((document, index) => collectLeaves(after, document.start, document.parsed.root, [`#${index}`], touchedAfter, leavesAfter, 0));
    if (leavesAfter.unparsedBlocks > leavesBefore.unparsedBlocks) return { ok: false, reason: 'an embedded values block would no longer parse as YAML' };
    for (const [leaf, count] of leavesBefore.counts) {
      if ((leavesAfter.counts.get(leaf) ?? 0) !== count) return { ok: false, reason: `the fix would change \`${describeLeaf(leaf)}\`, which it does not mean to touch` };
    }
    for (const [leaf, count] of leavesAfter.counts) {
      if ((leavesBefore.counts.get(leaf) ?? 0) !== count) return { ok: false, reason: `the fix would change \`${describeLeaf(leaf)}\`, which it does not mean to touch` };
    }
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: `the result could not be verified (${error instanceof Error ? error.message : String(error)})` };
  }
}

function countProblems(problems: readonly { code: string }[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const problem of problems) counts.set(problem.code, (counts.get(problem.code) ?? 0) + 1);
  return counts;
}

/** Line starts of the text, for offset → line. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) starts.push(index + 1);
  return starts;
}

const lineOf = lineContaining;

interface Touched {
  starts: number[];
  lines: Set<number>;
}

function touchedLines(text: string, ranges: readonly { start: number; end: number }[]): Touched {
  const starts = lineStarts(text);
  const lines = new Set<number>();
  for (const range of ranges) {
    const first = lineOf(starts, range.start);
    // A range that ends at a line start (whole removed or inserted lines) does not touch that line.
    const last = range.end > range.start ? lineOf(starts, range.end - 1) : first;
    const atLineStart = range.start === range.end && starts[first] === range.start;
    if (atLineStart) continue;
    for (let line = first; line <= last; line++) lines.add(line);
  }
  return { starts, lines };
}

function spansTouched(touched: Touched, start: number, end: number): boolean {
  const first = lineOf(touched.starts, start);
  const last = lineOf(touched.starts, Math.max(start, end - 1));
  for (let line = first; line <= last; line++) if (touched.lines.has(line)) return true;
  return false;
}

const SEPARATOR = '\u0000';

interface Leaves {
  counts: Map<string, number>;
  /** Literal blocks that look like YAML maps (`key: …` lines) but do not parse as one. */
  unparsedBlocks: number;
}

function describeLeaf(leaf: string): string {
  return leaf.split(SEPARATOR).slice(1, -1).join('.') || '(document)';
}

/**
 * Leaves of a node as `path␀…␀value` strings, counted. `offset` maps the
 * node's offsets into `text` (nested block values are parsed separately).
 * Only leaves on untouched lines are kept.
 */
function collectLeaves(text: string, offset: number, node: YamlNode | undefined, path: string[], touched: Touched, out: Leaves, depth: number): void {
  const add = (value: string, start: number, end: number) => {
    if (spansTouched(touched, offset + start, offset + end)) return;
    const leaf = [...path, value].join(SEPARATOR);
    out.counts.set(leaf, (out.counts.get(leaf) ?? 0) + 1);
  };
  if (!node || depth > 64) {
    if (node) add('…', node.start, node.end);
    return;
  }
  if (node.type === 'alias') {
    add(`*${node.name}`, node.start, node.end);
    return;
  }
  if (node.type === 'map') {
    if (node.pairs.length === 0) add('{}', node.start, node.end);
    for (const pair of node.pairs) {
      const key = deref(pair.key);
      const name = key?.type === 'scalar' ? key.text : text.slice(offset + pair.key.start, offset + pair.key.end);
      const value = pair.value;
      // A key with an empty value spans the key only.
      if (value.type === 'scalar' && value.start === value.end && value.value === null) {
        add(`=null`, pair.key.start, pair.key.end);
        continue;
      }
      if (value.type === 'scalar' || value.type === 'alias') {
        // Key and value on the same lines: both must be untouched.
        if (spansTouched(touched, offset + pair.key.start, offset + pair.key.end)) continue;
      }
      collectLeaves(text, offset, value, [...path, name], touched, out, depth + 1);
    }
    return;
  }
  if (node.type === 'seq') {
    if (node.items.length === 0) add('[]', node.start, node.end);
    node.items.forEach((item, index) => collectLeaves(text, offset, item, [...path, `[${index}]`], touched, out, depth + 1));
    return;
  }
  if (node.style === 'literal' && /^[ ]*[A-Za-z0-9_.-]+:( |$)/m.test(node.text) && node.text.includes('\n')) {
    const nested = nestedValues(text, offset, node);
    if (nested) {
      collectLeaves(text, nested.offset, nested.root, [...path, '|'], touched, out, depth + 1);
      return;
    }
    out.unparsedBlocks++;
  }
  add(`=${node.style === 'plain' ? String(node.value) : JSON.stringify(node.text)}`, node.start, node.end);
}

/**
 * A literal block scalar whose lines are a YAML map, parsed in place: the
 * block's lines are cut out of the file text unchanged (the whole map sits at
 * the block's indentation), so offsets stay those of the file and lines map
 * one to one.
 */
function nestedValues(text: string, offset: number, node: YamlNode): { root: YamlNode | undefined; offset: number } | undefined {
  const start = offset + node.start;
  const end = offset + node.end;
  const firstBreak = text.indexOf('\n', start);
  if (firstBreak === -1 || firstBreak >= end) return undefined;
  const bodyStart = firstBreak + 1;
  const body = text.slice(bodyStart, end);
  const parsed = parseYamlFile(body);
  const document = parsed.documents[0];
  if (!document || parsed.documents.length !== 1 || document.parsed.problems.length > 0) return undefined;
  const root = deref(document.parsed.root);
  if (!root || root.type !== 'map') return undefined;
  return { root, offset: bodyStart + document.start };
}
