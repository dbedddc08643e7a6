import { looksLikeKubernetesManifest } from '../../parse/manifestText';
import type { LocalRule } from '../types';

/**
 * A byte order mark (U+FEFF) inside the file, at the start of a line of a
 * later document: only the stream's very start may carry one. YAML parsers
 * then read it as part of the first key (`\uFEFFapiVersion`), so the
 * document is not recognised and nothing in it would be checked.
 */
export const byteOrderMark: LocalRule = {
  meta: {
    id: 'yaml/byte-order-mark',
    severity: 'warning',
    title: 'Byte order mark inside the file',
    anyDocument: true,
    docs: {
      summary: 'A byte order mark (U+FEFF, often left by concatenating files saved by Windows editors) at the start of a line after the beginning of the file.',
      why: 'Only the first byte of a YAML stream may be a byte order mark. Elsewhere it becomes part of the next key (`apiVersion` turns into an unknown key), so the document is not read as the object it looks like, and meshlens cannot check it either.',
      bad: 'apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\n\uFEFFapiVersion: v1\nkind: Namespace\nmetadata: {name: b}\n',
      good: 'apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: b}\n',
    },
    fix: { title: 'Remove the byte order mark', safe: true },
  },
  check(context) {
    const text = context.document.text;
    if (text.indexOf('\uFEFF', 1) === -1) return;
    if (!looksLikeKubernetesManifest(text.replace(/\uFEFF/g, ''))) return;
    for (let at = text.indexOf('\uFEFF', 1); at !== -1; at = text.indexOf('\uFEFF', at + 1)) {
      if (text[at - 1] !== '\n') continue;
      const lineEnd = text.indexOf('\n', at);
      context.report({ start: at, end: lineEnd === -1 ? text.length : lineEnd }, 'A byte order mark (U+FEFF) starts this line: it becomes part of the first key, so this document is not recognised (and not checked). Remove it.', {
        fixes: [{ title: 'Remove the byte order mark', safe: true, preferred: true, edits: [{ range: { start: at, end: at + 1 }, newText: '' }] }],
      });
    }
  },
};
