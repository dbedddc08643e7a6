/**
 * Reads the key path at a cursor from indentation alone. Robust to broken
 * YAML (the usual state while typing) and cheap: it scans upwards from the
 * cursor line only as far as the document start.
 *
 * Handles block mappings and block sequences (`- key: value` items count as a
 * sequence index 0; the exact index does not matter for schema lookups).
 * Sibling keys are read above and below the cursor, so a key typed above
 * existing ones is not offered again.
 */

import type { LineIndex } from '../text/lineIndex';

export interface LinePathContext {
  /** Keys (and 0 for sequence items) from the document root to the mapping that holds the cursor. */
  parentPath: (string | number)[];
  /** Whether the cursor is where a key goes, or after `key:` where a value goes. */
  position: 'key' | 'value' | 'other';
  /** The key of the current line when the cursor is on its value. */
  key?: string;
  /** Indentation (columns) of keys in the mapping at the cursor. */
  indent: number;
  /** File offsets of the word under the cursor (what a completion replaces). */
  wordStart: number;
  wordEnd: number;
  /** Keys already present in the mapping at the cursor (to leave out of completion). */
  siblingKeys: string[];
}

// A key may contain `:` when no space follows it (`k8s:io.kubernetes.pod.namespace`).
const KEY_LINE = /^(\s*)(-\s+)*((?:[^\s#'"{}[\],:]|:(?=\S))(?:[^#:]|:(?=\S))*?|"[^"]*"|'[^']*')\s*:(\s|$)/;

export function yamlPathAtLine(text: string, lines: LineIndex, offset: number): LinePathContext {
  const position = lines.positionAt(offset);
  const lineText = lines.lineText(position.line);
  const before = lineText.slice(0, position.character);
  const lineStart = lines.lineStartOffset(position.line);

  // The word under the cursor.
  let wordStartColumn = position.character;
  while (wordStartColumn > 0 && /[^\s:{}[\],"'#]/.test(lineText[wordStartColumn - 1])) wordStartColumn--;
  let wordEndColumn = position.character;
  while (wordEndColumn < lineText.length && /[^\s:{}[\],"'#]/.test(lineText[wordEndColumn])) wordEndColumn++;

  // Where the cursor is on its line.
  const keyMatch =
    /^(\s*(?:-\s+)*)((?:[^\s#:]|:(?=\S))(?:[^#:]|:(?=\S))*?)\s*:\s+(.*)$/.exec(before) ?? /^(\s*(?:-\s+)*)((?:[^\s#:]|:(?=\S))(?:[^#:]|:(?=\S))*?)\s*:$/.exec(before);
  let cursorColumn: number;
  let kind: LinePathContext['position'];
  let key: string | undefined;
  const leading = /^(\s*)((?:-\s+)*)/.exec(before)!;
  if (keyMatch && before.length > keyMatch[1].length + keyMatch[2].length) {
    kind = 'value';
    key = unquote(keyMatch[2].trim());
    cursorColumn = keyMatch[1].length;
  } else if (/^\s*(-\s+)*[^\s:#]*$/.test(before)) {
    kind = 'key';
    cursorColumn = leading[1].length + leading[2].length;
  } else {
    kind = 'other';
    cursorColumn = leading[1].length + leading[2].length;
  }

  // Walk up: each line with smaller indentation that is a key line is an ancestor.
  const parentPath: (string | number)[] = [];
  const siblingKeys: string[] = [];
  let currentIndent = cursorColumn;
  // On a `- ` line the cursor starts a new item: keys of earlier items are not siblings.
  let inNewItem = leading[2].length > 0;
  if (inNewItem) parentPath.unshift(0);
  for (let line = position.line - 1; line >= 0; line--) {
    const candidate = lines.lineText(line);
    if (/^(---|\.\.\.)(\s|$)/.test(candidate)) break;
    if (/^\s*(#.*)?$/.test(candidate)) continue;
    const match = KEY_LINE.exec(candidate);
    const dashes = /^(\s*)((?:-\s+)*)/.exec(candidate)!;
    const isItem = dashes[2].length > 0;
    const contentColumn = dashes[1].length + dashes[2].length;
    if (contentColumn === currentIndent) {
      if (match && !inNewItem) siblingKeys.push(unquote(match[3].trim()));
      if (isItem) {
        // This `- ` starts the mapping that holds the cursor: we are inside a list item.
        if (!inNewItem) parentPath.unshift(0);
        currentIndent = dashes[1].length;
        inNewItem = false;
      }
      continue;
    }
    if (contentColumn > currentIndent && !(isItem && dashes[1].length < currentIndent)) continue;
    if (match && contentColumn < currentIndent) {
      parentPath.unshift(unquote(match[3].trim()));
      currentIndent = contentColumn;
      if (isItem) {
        parentPath.unshift(0);
        currentIndent = dashes[1].length;
      }
    } else if (isItem && dashes[1].length < currentIndent) {
      // A `- ` line whose item (a mapping) holds the cursor's key.
      if (parentPath[0] !== 0 || inNewItem) parentPath.unshift(0);
      currentIndent = dashes[1].length;
    }
    inNewItem = false;
    if (currentIndent === 0 && !isItem) break;
  }
  if (kind === 'key') siblingKeys.push(...siblingKeysBelow(lines, position.line, cursorColumn));
  return {
    parentPath,
    position: kind,
    key,
    indent: cursorColumn,
    wordStart: lineStart + wordStartColumn,
    wordEnd: lineStart + wordEndColumn,
    siblingKeys,
  };
}

/**
 * Keys at the cursor's column below it, until the mapping ends (a line less
 * indented, or a document marker). Deeper lines are nested values; a `- `
 * item at the cursor's column is the value of a key above, not a sibling.
 */
function siblingKeysBelow(lines: LineIndex, cursorLine: number, column: number): string[] {
  const keys: string[] = [];
  for (let line = cursorLine + 1; line < lines.lineCount; line++) {
    const candidate = lines.lineText(line);
    if (/^(---|\.\.\.)(\s|$)/.test(candidate)) break;
    if (/^\s*(#.*)?$/.test(candidate)) continue;
    const indentation = candidate.length - candidate.trimStart().length;
    if (indentation < column) break;
    if (indentation > column || /^\s*-(\s|$)/.test(candidate)) continue;
    const match = KEY_LINE.exec(candidate);
    if (match) keys.push(unquote(match[3].trim()));
  }
  return keys;
}

function unquote(text: string): string {
  if ((text.startsWith('"') && text.endsWith('"')) || (text.startsWith("'") && text.endsWith("'"))) return text.slice(1, -1);
  return text;
}
