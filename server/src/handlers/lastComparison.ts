/**
 * The last "Compare with Branch" result (`reviewHandlers.ts` writes it, the
 * effective-policy view reads it). Kept apart from the git code so the
 * browser server, which cannot compare revisions, still builds the view.
 */

import type { ImpactChange } from '../../../core/src/index';

export interface LastComparison {
  ref: string;
  changes: readonly ImpactChange[];
}

let last: LastComparison | undefined;

/** The last comparison with a revision: the ref and the policy changes per workload (workspace-relative sources). */
export function lastComparison(): LastComparison | undefined {
  return last;
}

export function rememberComparison(comparison: LastComparison): void {
  last = comparison;
}
