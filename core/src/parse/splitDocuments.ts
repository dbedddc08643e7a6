/**
 * Splits a YAML stream into its documents by scanning for document markers.
 * A line that starts with `---` or `...` followed by a space, tab or the end of
 * the line is always a marker in YAML (document content may not begin that
 * way), so this split agrees with a full parser and lets each document be
 * parsed, cached and reported on independently: a syntax error in one document
 * does not hide the findings of the others.
 */

export interface DocumentChunk {
  /** Offset in the file of the chunk's first character (after a `---` line's marker). */
  start: number;
  end: number;
  /** The chunk's text, including a leading `---` marker line if present. */
  text: string;
  /** Zero-based index of the document in the file. */
  index: number;
}

const MARKER = /^(---|\.\.\.)(?=[ \t\r\n]|$)/;

export function splitDocuments(text: string): DocumentChunk[] {
  const chunks: DocumentChunk[] = [];
  let chunkStart = 0;
  let lineStart = 0;
  const pushChunk = (end: number) => {
    const chunkText = text.slice(chunkStart, end);
    chunks.push({ start: chunkStart, end, text: chunkText, index: chunks.length });
  };
  while (lineStart <= text.length) {
    const newline = text.indexOf('\n', lineStart);
    const lineEnd = newline === -1 ? text.length : newline;
    const first = text.charCodeAt(lineStart);
    if ((first === 45 || first === 46) && MARKER.test(text.slice(lineStart, Math.min(lineEnd, lineStart + 4)))) {
      const isEnd = first === 46;
      if (lineStart > chunkStart && hasContent(text, chunkStart, lineStart)) {
        pushChunk(isEnd ? lineEnd : lineStart);
      } else if (isEnd && hasContent(text, chunkStart, lineStart)) {
        pushChunk(lineEnd);
      }
      // A `---` starts the next chunk at this line (the marker may carry content: `--- !tag`).
      chunkStart = isEnd ? (newline === -1 ? text.length : newline + 1) : lineStart;
      if (isEnd) {
        lineStart = chunkStart;
        if (newline === -1) break;
        continue;
      }
    }
    if (newline === -1) break;
    lineStart = newline + 1;
  }
  if (chunkStart < text.length && hasContent(text, chunkStart, text.length)) pushChunk(text.length);
  return chunks;
}

/** True when the range holds something other than blank lines, comments and a bare marker. */
function hasContent(text: string, start: number, end: number): boolean {
  let lineStart = start;
  while (lineStart < end) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd === -1 || lineEnd > end) lineEnd = end;
    const line = text.slice(lineStart, lineEnd).trim();
    if (line !== '' && !line.startsWith('#') && line !== '---' && line !== '...') return true;
    lineStart = lineEnd + 1;
  }
  return false;
}
