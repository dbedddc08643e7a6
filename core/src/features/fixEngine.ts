/**
 * The fix engine behind `meshlens check --fix`: applies safe quick-fixes to
 * in-memory texts in rounds, and says what it applied and what it refused.
 * Writing files is the caller's job (the CLI writes atomically).
 *
 * Invariants:
 * - every edit applied in a round was computed by one analysis of exactly the
 *   texts it is applied to (the host re-analyses after every change, including
 *   files that fixes of other files' findings write into, such as values files);
 * - one fix per file per round: two fixes computed from the same text never
 *   meet in one result (two moves into the same new map, two removals that
 *   together empty a parent) — the second is recomputed from the first's result;
 * - a fix is all-or-nothing across the files it edits;
 * - each file's result is verified before it is kept (`fixVerify`: parses, no
 *   new YAML problem, untouched keys unchanged), edit line breaks follow the
 *   file's (CRLF stays CRLF), and a fix whose round brings a new error-level
 *   finding anywhere is undone and refused;
 * - a refused fix is never retried; a finding that comes back after its fix
 *   was applied is refused as not converging; rounds are bounded and running
 *   out of rounds is reported.
 */

import type { Diagnostic, Fix } from '../diagnostics';
import { applyPlainEdits, matchLineEndings, verifyFixedText, type PlainEdit } from './fixVerify';

export interface FixHost {
  /** Findings of a file for the current texts. */
  diagnostics(file: string): readonly Diagnostic[];
  /** The current text of a file (undefined when it cannot be read). */
  text(file: string): string | undefined;
  /** Replaces a file's text; later analyses see it. */
  update(file: string, text: string): void;
}

export interface FixRecord {
  diagnostic: Diagnostic;
  fix: Fix;
  /** Files the fix edits. */
  files: string[];
}

export interface RefusedFix extends FixRecord {
  reason: string;
}

export interface FixPlan {
  /** Texts before any fix, for every file a kept fix changed. */
  original: Map<string, string>;
  /** Texts after the kept fixes (same keys as `original`). */
  fixed: Map<string, string>;
  applied: FixRecord[];
  refused: RefusedFix[];
  rounds: number;
  /** False when fixes were still pending after the last round. */
  converged: boolean;
}

export interface FixOptions {
  /** Bound on rounds (each applies at most one fix per file). */
  maxRounds?: number;
}

export const DEFAULT_FIX_ROUNDS = 64;

/** Identity of a finding across rounds (positions move as fixes apply). */
function findingKey(diagnostic: Diagnostic, fix: Fix): string {
  return [diagnostic.file, diagnostic.rule, diagnostic.message, fix.title].join('\u0000');
}

function safeFix(diagnostic: Diagnostic): Fix | undefined {
  const safe = (diagnostic.fixes ?? []).filter((fix) => fix.safe && fix.edits.length > 0);
  return safe.find((fix) => fix.preferred) ?? safe[0];
}

function errorCounts(analysis: ReadonlyMap<string, readonly Diagnostic[]>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const diagnostics of analysis.values()) {
    for (const diagnostic of diagnostics) {
      if (diagnostic.severity !== 'error') continue;
      const key = [diagnostic.file, diagnostic.rule, diagnostic.message].join('\u0000');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return counts;
}

/** An error-level finding the second analysis has more of than the first; undefined when none. */
function newError(before: ReadonlyMap<string, readonly Diagnostic[]>, after: ReadonlyMap<string, readonly Diagnostic[]>): string | undefined {
  const old = errorCounts(before);
  for (const [key, count] of errorCounts(after)) {
    if (count > (old.get(key) ?? 0)) {
      const [, rule, message] = key.split('\u0000');
      return `${rule}: ${message}`;
    }
  }
  return undefined;
}

export function planFixes(host: FixHost, files: readonly string[], options: FixOptions = {}): FixPlan {
  const maxRounds = options.maxRounds ?? DEFAULT_FIX_ROUNDS;
  const original = new Map<string, string>();
  const applied: FixRecord[] = [];
  const refused: RefusedFix[] = [];
  /** Times a finding's fix was applied, and how many such findings there were when first seen. */
  const done = new Map<string, number>();
  const firstSeen = new Map<string, number>();
  const refusedKeys = new Set<string>();
  const analyse = () => new Map(files.map((file) => [file, host.diagnostics(file)] as const));
  const setText = (file: string, text: string) => {
    if (!original.has(file)) original.set(file, host.text(file)!);
    host.update(file, text);
  };

  let analysis = analyse();
  let rounds = 0;
  let converged = false;
  while (true) {
    // Candidates from this one analysis; one per file per round.
    const candidates: { record: FixRecord; key: string }[] = [];
    const locked = new Set<string>();
    let pending = false;
    const seen = new Map<string, number>();
    for (const diagnostics of analysis.values()) {
      for (const diagnostic of diagnostics) {
        const fix = safeFix(diagnostic);
        if (fix) {
          const key = findingKey(diagnostic, fix);
          seen.set(key, (seen.get(key) ?? 0) + 1);
        }
      }
    }
    for (const [key, count] of seen) if (!firstSeen.has(key)) firstSeen.set(key, count);
    for (const diagnostics of analysis.values()) {
      for (const diagnostic of diagnostics) {
        const fix = safeFix(diagnostic);
        if (!fix) continue;
        const key = findingKey(diagnostic, fix);
        if (refusedKeys.has(key)) continue;
        const record: FixRecord = { diagnostic, fix, files: [...new Set(fix.edits.map((edit) => edit.file))] };
        if ((done.get(key) ?? 0) >= (firstSeen.get(key) ?? 1)) {
          refusedKeys.add(key);
          refused.push({ ...record, reason: 'the finding is still there after its fix was applied (the fix does not converge)' });
          continue;
        }
        pending = true;
        if (record.files.some((file) => locked.has(file))) continue;
        for (const file of record.files) locked.add(file);
        candidates.push({ record, key });
      }
    }
    if (!pending) {
      converged = true;
      break;
    }
    if (rounds >= maxRounds) break;
    rounds++;

    // Apply each candidate to its files' current texts (the texts analysed above), verified per file.
    const kept: { record: FixRecord; key: string; previous: Map<string, string>; results: Map<string, string> }[] = [];
    for (const candidate of candidates) {
      const results = new Map<string, string>();
      let reason: string | undefined;
      for (const file of candidate.record.files) {
        const text = host.text(file);
        if (text === undefined) {
          reason = `${file} cannot be read`;
          break;
        }
        const edits: PlainEdit[] = candidate.record.fix.edits.filter((edit) => edit.file === file).map((edit) => ({ start: edit.start, end: edit.end, newText: edit.newText }));
        const adapted = matchLineEndings(text, edits);
        const result = applyPlainEdits(text, adapted);
        if (!result) {
          reason = 'its edits overlap or fall outside the file';
          break;
        }
        const verdict = verifyFixedText(text, result.text, adapted, result.inserted);
        if (!verdict.ok) {
          reason = verdict.reason;
          break;
        }
        results.set(file, result.text);
      }
      if (reason !== undefined) {
        refusedKeys.add(candidate.key);
        refused.push({ ...candidate.record, reason });
        continue;
      }
      const previous = new Map<string, string>();
      for (const [file, text] of results) {
        previous.set(file, host.text(file)!);
        setText(file, text);
      }
      kept.push({ ...candidate, previous, results });
    }
    if (kept.length === 0) continue;

    // Re-analyse; a new error-level finding undoes the round, then each fix is tried alone.
    const next = analyse();
    const introduced = newError(analysis, next);
    if (introduced === undefined) {
      for (const entry of kept) {
        applied.push(entry.record);
        done.set(entry.key, (done.get(entry.key) ?? 0) + 1);
      }
      analysis = next;
      continue;
    }
    for (const entry of kept) for (const [file, text] of entry.previous) host.update(file, text);
    if (kept.length === 1) {
      refusedKeys.add(kept[0].key);
      refused.push({ ...kept[0].record, reason: `the result would have a new error (${introduced})` });
      analysis = analyse();
      continue;
    }
    // Files of different fixes of a round are disjoint, so each fix's result can be set alone.
    let base = analyse();
    for (const entry of kept) {
      for (const [file, text] of entry.results) host.update(file, text);
      const alone = analyse();
      const own = newError(base, alone);
      if (own === undefined) {
        applied.push(entry.record);
        done.set(entry.key, (done.get(entry.key) ?? 0) + 1);
        base = alone;
      } else {
        for (const [file, text] of entry.previous) host.update(file, text);
        refusedKeys.add(entry.key);
        refused.push({ ...entry.record, reason: `the result would have a new error (${own})` });
      }
    }
    analysis = analyse();
  }

  const fixed = new Map<string, string>();
  for (const file of [...original.keys()]) {
    const text = host.text(file)!;
    if (text === original.get(file)) original.delete(file);
    else fixed.set(file, text);
  }
  return { original, fixed, applied, refused, rounds, converged };
}
