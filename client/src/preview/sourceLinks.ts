/**
 * Source references in the effective-policy and simulation documents: the
 * server's Markdown ends every line that comes from a rule with
 * `` `path/to/file.yaml:12` `` (relative to the workspace folder that holds
 * it, or absolute). `findSourceReferences` finds them so the client can make
 * each one a link that opens the file at that line.
 *
 * Pure (no VS Code API): offsets in, offsets out; the client resolves paths.
 * Invariant: every reference's range covers exactly `path:line` inside its
 * backticks; lines are 1-based as written.
 */

export interface SourceReference {
  /** Offsets of `path:line` in the text. */
  start: number;
  end: number;
  /** The path as written (relative to a workspace folder, or absolute). */
  path: string;
  line: number;
}

// `file.yaml:12` inside backticks; paths may hold spaces but no backtick or line break.
const REFERENCE = /`([^`\n]+?\.(?:ya?ml|json)):(\d+)`/g;

/** At most this many links per document (a large model stays responsive). */
export const MAX_SOURCE_REFERENCES = 5000;

export function findSourceReferences(text: string): SourceReference[] {
  const references: SourceReference[] = [];
  for (const match of text.matchAll(REFERENCE)) {
    if (references.length >= MAX_SOURCE_REFERENCES) break;
    const line = Number(match[2]);
    if (!Number.isSafeInteger(line) || line < 1) continue;
    const start = match.index! + 1;
    references.push({ start, end: start + match[1].length + 1 + match[2].length, path: match[1], line });
  }
  return references;
}

/**
 * Candidate absolute paths for a reference, in the order to try: the path
 * itself when absolute, else under each workspace folder (the server writes
 * it relative to the first folder that holds the file).
 */
export function candidatePaths(path: string, folders: readonly string[]): string[] {
  if (path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path)) return [path];
  return folders.map((folder) => `${folder.replace(/[\\/]+$/, '')}/${path}`);
}
