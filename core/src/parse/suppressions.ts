/**
 * In-file suppression comments:
 *   `# meshlens-disable-next-line [rule-id[, rule-id…]]` silences findings that
 *   start on the next non-comment line (all rules when no id is given);
 *   `# meshlens-disable-file [rule-id…]` silences them in the whole file.
 * Ids may also end in `/*` to name a whole family (`cnp/*`).
 */

export interface Suppressions {
  /** Rule ids (or `*`) disabled for the whole file. */
  file: Set<string>;
  /** Zero-based line → rule ids (or `*`) disabled on that line. */
  lines: Map<number, Set<string>>;
  /** Where each comment is, for "unused suppression" reporting and highlighting. */
  comments: { line: number; kind: 'next-line' | 'file'; ids: string[] }[];
}

const PATTERN = /#\s*meshlens-disable-(next-line|file)\b([^\n]*)/;

export function parseSuppressions(text: string): Suppressions {
  const result: Suppressions = { file: new Set(), lines: new Map(), comments: [] };
  if (text.indexOf('meshlens-disable') === -1) return result;
  const lines = text.split(/\r\n|\r|\n/);
  for (let line = 0; line < lines.length; line++) {
    const match = PATTERN.exec(lines[line]);
    if (!match) continue;
    const ids = match[2]
      .split(/[\s,]+/)
      .map((id) => id.trim())
      .filter((id) => id !== '' && !id.startsWith('--'));
    const effective = ids.length > 0 ? ids : ['*'];
    const kind = match[1] === 'file' ? 'file' : 'next-line';
    result.comments.push({ line, kind, ids: effective });
    if (kind === 'file') {
      effective.forEach((id) => result.file.add(id));
      continue;
    }
    // A comment at the end of a code line applies to that line; a comment line to the next code line.
    const standalone = lines[line].trimStart().startsWith('#');
    let target = standalone ? line + 1 : line;
    while (standalone && target < lines.length && /^\s*(#.*)?$/.test(lines[target])) target++;
    const set = result.lines.get(target) ?? new Set<string>();
    effective.forEach((id) => set.add(id));
    result.lines.set(target, set);
  }
  return result;
}

export function isSuppressed(suppressions: Suppressions, ruleId: string, line: number): boolean {
  if (matches(suppressions.file, ruleId)) return true;
  const set = suppressions.lines.get(line);
  return set !== undefined && matches(set, ruleId);
}

function matches(ids: Set<string>, ruleId: string): boolean {
  if (ids.has('*') || ids.has(ruleId)) return true;
  const family = ruleId.split('/')[0];
  return ids.has(`${family}/*`);
}
