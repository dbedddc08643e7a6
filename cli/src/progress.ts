/**
 * The progress bar of `meshlens check` on a terminal: one line on stderr,
 * redrawn in place (`\r`, erase to end of line), e.g.
 * `meshlens: checking [##########··········] 210/420 files`.
 *
 * Invariants: it writes only when stderr is a terminal (never into a pipe, a
 * file or CI logs, and never to stdout, so JSON/SARIF output stays clean);
 * nothing is drawn for runs shorter than `delayMs`; redraws are at most one
 * per `intervalMs`; `clear()` erases the line before any other output, and
 * is a no-op when nothing was drawn.
 */

const BAR_WIDTH = 20;

export interface ProgressOptions {
  /** Draw only when stderr is a terminal. */
  enabled: boolean;
  write: (text: string) => void;
  /** Milliseconds since some origin (injected in tests). */
  now?: () => number;
  /** Nothing is drawn before this much time has passed (a fast run shows no bar). */
  delayMs?: number;
  /** Minimum time between two redraws. */
  intervalMs?: number;
}

export class TerminalProgress {
  private readonly started: number;
  private lastDrawn = -Infinity;
  private drawn = false;
  private readonly now: () => number;
  private readonly delayMs: number;
  private readonly intervalMs: number;

  constructor(private readonly options: ProgressOptions) {
    this.now = options.now ?? (() => performance.now());
    this.delayMs = options.delayMs ?? 250;
    this.intervalMs = options.intervalMs ?? 100;
    this.started = this.now();
  }

  /** Reports `done` of `total` items of `phase` (`reading`, `checking`); draws when due. */
  update(phase: string, done: number, total: number): void {
    if (!this.options.enabled || total <= 0) return;
    const time = this.now();
    if (time - this.started < this.delayMs || time - this.lastDrawn < this.intervalMs) return;
    this.lastDrawn = time;
    this.drawn = true;
    const filled = Math.round((BAR_WIDTH * Math.min(done, total)) / total);
    this.options.write(`\r\u001b[2Kmeshlens: ${phase} [${'#'.repeat(filled)}${'·'.repeat(BAR_WIDTH - filled)}] ${done}/${total} files`);
  }

  /** Erases the bar (before other output and at the end). */
  clear(): void {
    if (!this.drawn) return;
    this.drawn = false;
    this.options.write('\r\u001b[2K');
  }
}
