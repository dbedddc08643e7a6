/**
 * Findings introduced and fixed by a change: a baseline comparison of two
 * check results, so a pull request is judged only by what it changes.
 *
 * A finding is identified by its rule, severity, repository-relative file
 * and message, with line and column numbers and version numbers taken out (a
 * line inserted above a finding moves it without changing it; the same
 * finding judged against another chart version names that version). Findings with the same identity are
 * matched as a multiset: two identical findings before and three after is one
 * introduced finding. Which one of several identical findings is called
 * "introduced" is the last one of the head revision, a stable choice.
 */

export interface ComparableFinding {
  /** Repository-relative path, `/`-separated. */
  file: string;
  rule: string;
  message: string;
  severity: string;
  /** 1-based. */
  line: number;
}

export interface FindingsDelta<T extends ComparableFinding> {
  introduced: T[];
  fixed: T[];
  unchanged: number;
}

export function findingIdentity(finding: ComparableFinding): string {
  const message = finding.message
    .replace(/:\d+(:\d+)?\b/g, ':#')
    .replace(/\bline \d+\b/g, 'line #')
    // A version named in the message (the chart or Istio version judged against) does not make it another finding.
    .replace(/\bv?\d+\.\d+(\.\d+)?\b/g, '#.#');
  return `${finding.file}\u0000${finding.rule}\u0000${finding.severity}\u0000${message}`;
}

export function compareFindings<T extends ComparableFinding>(base: readonly T[], head: readonly T[]): FindingsDelta<T> {
  const remaining = new Map<string, number>();
  for (const finding of base) remaining.set(findingIdentity(finding), (remaining.get(findingIdentity(finding)) ?? 0) + 1);
  const introduced: T[] = [];
  let unchanged = 0;
  for (const finding of head) {
    const key = findingIdentity(finding);
    const left = remaining.get(key) ?? 0;
    if (left > 0) {
      remaining.set(key, left - 1);
      unchanged++;
    } else {
      introduced.push(finding);
    }
  }
  const fixed: T[] = [];
  const seen = new Map<string, number>();
  // The base findings left unmatched, last ones first to mirror the choice above.
  for (let index = base.length - 1; index >= 0; index--) {
    const finding = base[index];
    const key = findingIdentity(finding);
    const used = seen.get(key) ?? 0;
    if (used < (remaining.get(key) ?? 0)) {
      seen.set(key, used + 1);
      fixed.unshift(finding);
    }
  }
  return { introduced, fixed, unchanged };
}
