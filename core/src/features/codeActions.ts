/**
 * Code actions come from the fixes that rules attached to diagnostics: no
 * message matching, no recomputation beyond the (cached) diagnostics.
 */

import type { Diagnostic, Fix } from '../diagnostics';

export interface CodeAction {
  fix: Fix;
  diagnostic: Diagnostic;
}

/** Fixes of diagnostics that overlap the offsets [start, end]. */
export function codeActions(diagnostics: readonly Diagnostic[], start: number, end: number): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const diagnostic of diagnostics) {
    if (!diagnostic.fixes || diagnostic.end < start || diagnostic.start > end) continue;
    for (const fix of diagnostic.fixes) actions.push({ fix, diagnostic });
  }
  return actions;
}

/**
 * Applies non-overlapping edits of one file to its text (later edits first so
 * offsets stay valid). Overlapping edits after the first are skipped; the
 * result says how many were applied.
 */
export function applyEdits(text: string, edits: readonly { start: number; end: number; newText: string }[]): { text: string; applied: number } {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  const accepted: typeof sorted = [];
  let lastEnd = -1;
  for (const edit of sorted) {
    if (edit.start < lastEnd) continue;
    accepted.push(edit);
    lastEnd = Math.max(edit.end, edit.start);
  }
  let result = text;
  for (let index = accepted.length - 1; index >= 0; index--) {
    const edit = accepted[index];
    result = result.slice(0, edit.start) + edit.newText + result.slice(edit.end);
  }
  return { text: result, applied: accepted.length };
}
