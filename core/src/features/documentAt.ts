/**
 * Finds what is under a cursor: the document containing a file offset and the
 * path of keys from the document root to the node there. Works on the parsed
 * tree when the document parses, and falls back to reading indentation when
 * it does not (a document being typed is often briefly invalid).
 */

import type { YamlNode, YamlPair } from '../parse/ast';
import type { YamlDocument } from '../parse/yamlFile';
import type { WorkspaceFile } from '../workspace/workspace';

export interface CursorContext {
  document: YamlDocument;
  documentIndex: number;
  /** Offset relative to the document. */
  offset: number;
  /** Map keys / sequence indices from the root to the innermost node at the cursor. */
  path: (string | number)[];
  /** The innermost node containing the offset, if the document parsed. */
  node?: YamlNode;
  /** Set when the cursor is on a mapping key. */
  onKey?: YamlPair;
  /** Set when the cursor is on a value of a pair. */
  onValueOf?: YamlPair;
}

export function documentAt(file: WorkspaceFile, offset: number): { document: YamlDocument; index: number } | undefined {
  const documents = file.yaml.documents;
  for (let index = 0; index < documents.length; index++) {
    const document = documents[index];
    if (offset >= document.start && offset <= document.end) return { document, index };
  }
  return undefined;
}

export function cursorContext(file: WorkspaceFile, offset: number): CursorContext | undefined {
  const found = documentAt(file, offset);
  if (!found) return undefined;
  const relative = offset - found.document.start;
  const root = found.document.parsed.root;
  const context: CursorContext = { document: found.document, documentIndex: found.index, offset: relative, path: [] };
  if (!root) return context;
  let current: YamlNode | undefined = root;
  context.node = root;
  while (current) {
    let next: YamlNode | undefined;
    if (current.type === 'map') {
      for (const pair of current.pairs) {
        if (within(relative, pair.key)) {
          context.onKey = pair;
          context.onValueOf = undefined;
          context.path.push(keyOf(pair));
          context.node = pair.key;
          return context;
        }
        if (within(relative, pair.value)) {
          context.path.push(keyOf(pair));
          context.onValueOf = pair;
          context.onKey = undefined;
          next = pair.value;
          break;
        }
      }
    } else if (current.type === 'seq') {
      const index = current.items.findIndex((item) => within(relative, item));
      if (index >= 0) {
        context.path.push(index);
        context.onValueOf = undefined;
        next = current.items[index];
      }
    }
    if (!next) break;
    context.node = next;
    current = next;
  }
  return context;
}

function within(offset: number, node: YamlNode): boolean {
  return offset >= node.start && offset <= node.end && node.end > node.start;
}

function keyOf(pair: YamlPair): string {
  return pair.key.type === 'scalar' ? pair.key.text : '?';
}
