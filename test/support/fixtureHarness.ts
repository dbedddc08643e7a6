/**
 * Data-driven fixtures: YAML files whose expected diagnostics are written as
 * caret comments under the line they point at:
 *
 *     spec:
 *       endpointSelectr: {}
 *     # ^^^^^^^^^^^^^^^ error schema/unknown-field: Unknown field …
 *
 * Caret columns are the columns of the diagnostic's start on the line above
 * (a caret right after `#` marks the column of the `#` itself, for findings at
 * column 0 or 1). Annotation lines are removed before analysis, so they never
 * change what is analysed. `<case>.fixed.yaml` holds the text after applying
 * every diagnostic's preferred fix until nothing changes.
 *
 * `renderAnnotated` writes the actual diagnostics in the same form, so a test
 * compares whole texts and `UPDATE_EXPECT=1` can rewrite the fixtures.
 */

import type { Diagnostic } from '../../core/src/diagnostics';
import { applyEdits } from '../../core/src/features/codeActions';
import { LineIndex } from '../../core/src/text/lineIndex';

const ANNOTATION = /^\s*#(\s*)\^+ /;

export function isAnnotationLine(line: string): boolean {
  return ANNOTATION.test(line);
}

/** Removes annotation lines; throws on malformed ones so typos fail loudly. */
export function stripAnnotations(annotated: string): string {
  const lines = annotated.split('\n');
  const kept: string[] = [];
  for (const line of lines) {
    if (isAnnotationLine(line)) {
      if (!/\^+ (error|warning|info|hint) [a-z0-9-]+\/[a-z0-9-]+: /.test(line)) {
        throw new Error(`Malformed fixture annotation: ${JSON.stringify(line)} (expected "# ^^^ <severity> <rule-id>: <message>")`);
      }
      continue;
    }
    if (/^\s*#\s*\^/.test(line)) throw new Error(`Malformed fixture annotation: ${JSON.stringify(line)}`);
    kept.push(line);
  }
  return kept.join('\n');
}

export function renderAnnotated(text: string, diagnostics: readonly Diagnostic[]): string {
  const index = new LineIndex(text);
  const lines = text.split('\n');
  const byLine = new Map<number, string[]>();
  for (const diagnostic of diagnostics) {
    const { line, character } = diagnostic.range.start;
    const sameLine = diagnostic.range.end.line === line;
    const lineLength = index.lineText(line).length;
    const length = Math.max(1, (sameLine ? diagnostic.range.end.character : lineLength) - character);
    const carets = '^'.repeat(length);
    const prefix = character >= 2 ? `${' '.repeat(character - 2)}# ` : character === 1 ? ' #' : '#';
    const message = diagnostic.message.replace(/\n/g, ' ');
    const rendered = `${prefix}${carets} ${diagnostic.severity} ${diagnostic.rule}: ${message}`;
    const list = byLine.get(line) ?? [];
    list.push(rendered);
    byLine.set(line, list);
  }
  const output: string[] = [];
  lines.forEach((line, lineNumber) => {
    output.push(line);
    output.push(...(byLine.get(lineNumber) ?? []));
  });
  return output.join('\n');
}

/** Applies the preferred (else first) fix of every diagnostic for one file. */
export function applyPreferredFixes(text: string, file: string, diagnostics: readonly Diagnostic[]): { text: string; applied: number } {
  const edits = diagnostics
    .map((diagnostic) => diagnostic.fixes?.find((fix) => fix.preferred) ?? diagnostic.fixes?.[0])
    .filter((fix) => fix !== undefined)
    .flatMap((fix) => fix!.edits.filter((edit) => edit.file === file));
  return applyEdits(text, edits);
}
