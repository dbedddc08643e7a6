/**
 * "Disable this rule for this line / for this file": edits that write the
 * suppression comments `parse/suppressions.ts` reads, offered next to every
 * finding. An existing comment for the same line (or the file) gets the id
 * appended instead of a second comment. Line endings follow the file's own.
 */

import type { Fix } from '../diagnostics';
import { LineIndex } from '../text/lineIndex';

const NEXT_LINE = /^([ \t]*)#\s*meshlens-disable-next-line\b([^\n\r]*)$/;
const FILE = /^[ \t]*#\s*meshlens-disable-file\b([^\n\r]*)$/m;

/** Both fixes for a finding of `rule` that starts on zero-based `line` of `file`. */
export function suppressionFixes(file: string, text: string, rule: string, line: number): Fix[] {
  const lines = new LineIndex(text);
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  return [lineFix(file, text, lines, eol, rule, line), fileFix(file, text, eol, rule)].filter((fix): fix is Fix => fix !== undefined);
}

function edit(file: string, lines: LineIndex, start: number, end: number, newText: string) {
  return { file, start, end, newText, range: { start: lines.positionAt(start), end: lines.positionAt(end) } };
}

function lineText(text: string, lines: LineIndex, line: number): { start: number; end: number; text: string } | undefined {
  if (line < 0) return undefined;
  const start = lines.offsetAt({ line, character: 0 });
  if (line > 0 && start === 0) return undefined;
  let end = text.indexOf('\n', start);
  if (end === -1) end = text.length;
  const content = text.slice(start, end).replace(/\r$/, '');
  return { start, end: start + content.length, text: content };
}

function lineFix(file: string, text: string, lines: LineIndex, eol: string, rule: string, line: number): Fix | undefined {
  const target = lineText(text, lines, line);
  if (!target) return undefined;
  const title = `Disable ${rule} for this line`;
  const above = lineText(text, lines, line - 1);
  const existing = above ? NEXT_LINE.exec(above.text) : null;
  if (above && existing) {
    const ids = existing[2].trim();
    if (ids === '' || ids.split(/[\s,]+/).includes(rule)) return undefined; // already silenced
    return { title, safe: false, edits: [edit(file, lines, above.end, above.end, `, ${rule}`)] };
  }
  const indent = /^[ \t]*/.exec(target.text)![0];
  return { title, safe: false, edits: [edit(file, lines, target.start, target.start, `${indent}# meshlens-disable-next-line ${rule}${eol}`)] };
}

function fileFix(file: string, text: string, eol: string, rule: string): Fix | undefined {
  const lines = new LineIndex(text);
  const title = `Disable ${rule} for this file`;
  const existing = FILE.exec(text);
  if (existing) {
    const ids = existing[1].trim();
    if (ids === '' || ids.split(/[\s,]+/).includes(rule)) return undefined;
    const end = existing.index + existing[0].length;
    return { title, safe: false, edits: [edit(file, lines, end, end, `, ${rule}`)] };
  }
  return { title, safe: false, edits: [edit(file, lines, 0, 0, `# meshlens-disable-file ${rule}${eol}`)] };
}
