/**
 * One sink for the errors the core contains: a computation that throws (a
 * bug, or input we did not foresee) must not take the other findings down,
 * but it must not vanish either. Containment sites call `containedError`
 * with where it happened; the language server logs each one, the CLI prints
 * them with `--debug`, and the conformance tests fail when checking the
 * corpus or the repositories produced any.
 *
 * Expected failures (a user's regular expression that does not compile, a
 * probe file that is not JSON) are not reported here: they become findings
 * or notes where they belong.
 *
 * Invariants: never throws; keeps the last `MAX_KEPT` errors only.
 */

export interface ContainedError {
  /** The computation that threw, e.g. `helm/value-findings`. */
  where: string;
  message: string;
  stack?: string;
}

const MAX_KEPT = 100;
const kept: ContainedError[] = [];
const listeners = new Set<(error: ContainedError) => void>();

export function containedError(where: string, error: unknown): void {
  const entry: ContainedError = {
    where,
    message: error instanceof Error ? error.message : String(error),
    ...(error instanceof Error && error.stack ? { stack: error.stack } : {}),
  };
  kept.push(entry);
  if (kept.length > MAX_KEPT) kept.shift();
  for (const listener of listeners) {
    try {
      listener(entry);
    } catch {
      // A listener that throws must not turn containment into a crash.
    }
  }
}

/** Calls `listener` for each contained error from now on; returns the unsubscribe function. */
export function onContainedError(listener: (error: ContainedError) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The errors contained so far (the last `MAX_KEPT`), oldest first. */
export function containedErrors(): readonly ContainedError[] {
  return [...kept];
}
