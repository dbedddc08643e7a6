/**
 * Unified diff of two texts, line by line (Myers' O(ND) shortest edit
 * script), in the `diff -u` / `git diff` hunk format with 3 lines of context.
 * Used by `meshlens check --fix --dry-run`.
 *
 * Invariants: pure; an empty string when the texts are equal; a text without
 * a final line break is marked `\ No newline at end of file`; carriage
 * returns stay part of their lines (a CRLF file's diff keeps its CRs).
 */

interface Op {
  kind: ' ' | '-' | '+';
  line: string;
  /** Line numbers (0-based) in the old and new text at this op. */
  oldIndex: number;
  newIndex: number;
}

function splitLines(text: string): { lines: string[]; finalBreak: boolean } {
  if (text === '') return { lines: [], finalBreak: true };
  const finalBreak = text.endsWith('\n');
  const lines = (finalBreak ? text.slice(0, -1) : text).split('\n');
  return { lines, finalBreak };
}

/** Shortest edit script between two line arrays (bounded by their lengths). */
function diffLines(a: readonly string[], b: readonly string[]): Op[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = false;
  for (let d = 0; d <= max && !found; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = true;
        break;
      }
    }
  }
  trace.push(v.slice());
  // Backtrack.
  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 2; d >= 0 && (x > 0 || y > 0); d--) {
    const vd = trace[d];
    const k = x - y;
    const prevK = k === -d || (k !== d && vd[offset + k - 1] < vd[offset + k + 1]) ? k + 1 : k - 1;
    const prevX = d === 0 ? 0 : vd[offset + prevK];
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      x--;
      y--;
      ops.push({ kind: ' ', line: a[x], oldIndex: x, newIndex: y });
    }
    if (d === 0) break;
    if (x === prevX) {
      y--;
      ops.push({ kind: '+', line: b[y], oldIndex: x, newIndex: y });
    } else {
      x--;
      ops.push({ kind: '-', line: a[x], oldIndex: x, newIndex: y });
    }
  }
  while (x > 0 && y > 0) {
    x--;
    y--;
    ops.push({ kind: ' ', line: a[x], oldIndex: x, newIndex: y });
  }
  return ops.reverse();
}

export function unifiedDiff(oldText: string, newText: string, oldName: string, newName: string, context = 3): string {
  if (oldText === newText) return '';
  const before = splitLines(oldText);
  const after = splitLines(newText);
  const ops = diffLines(before.lines, after.lines);
  let out = `--- ${oldName}\n+++ ${newName}\n`;
  let index = 0;
  while (index < ops.length) {
    if (ops[index].kind === ' ') {
      index++;
      continue;
    }
    // A hunk: from `context` lines before this change to `context` lines after the last change within reach.
    const start = Math.max(0, index - context);
    let end = index;
    while (end < ops.length) {
      if (ops[end].kind !== ' ') {
        end++;
        continue;
      }
      let run = end;
      while (run < ops.length && ops[run].kind === ' ') run++;
      if (run === ops.length || run - end > 2 * context) {
        end = Math.min(run, end + context);
        break;
      }
      end = run;
    }
    const hunk = ops.slice(start, end);
    const oldStart = hunk[0].oldIndex;
    const newStart = hunk[0].newIndex;
    const oldCount = hunk.filter((op) => op.kind !== '+').length;
    const newCount = hunk.filter((op) => op.kind !== '-').length;
    out += `@@ -${oldCount === 0 ? oldStart : oldStart + 1},${oldCount} +${newCount === 0 ? newStart : newStart + 1},${newCount} @@\n`;
    for (const op of hunk) {
      out += `${op.kind}${op.line}\n`;
      const last = op.kind === '+' ? op.newIndex === after.lines.length - 1 && !after.finalBreak : op.kind === '-' ? op.oldIndex === before.lines.length - 1 && !before.finalBreak : (op.oldIndex === before.lines.length - 1 && !before.finalBreak) || (op.newIndex === after.lines.length - 1 && !after.finalBreak);
      if (last) out += '\\ No newline at end of file\n';
    }
    index = end;
  }
  return out;
}
