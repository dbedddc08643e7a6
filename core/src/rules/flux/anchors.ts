/**
 * Helpers the Flux rules share for pointing at other documents: an Anchor for
 * a node of an indexed document, and the node that best names a document
 * (its `metadata.name` value, else `kind`).
 */

import { mapGet, type YamlNode } from '../../parse/ast';
import type { IndexedDocument } from '../../workspace/model';
import type { Anchor } from '../types';

export function anchorOf(document: IndexedDocument, node: YamlNode | undefined): Anchor {
  const target = node ?? document.parsed.root;
  return { file: document.file, document: document.index, start: target?.start ?? 0, end: target?.end ?? 0 };
}

export function nameNodeOf(document: IndexedDocument): YamlNode | undefined {
  const root = document.parsed.root;
  return mapGet(mapGet(root, 'metadata'), 'name') ?? mapGet(root, 'kind');
}

export function describeDocument(document: IndexedDocument): string {
  const { kind, name, namespace } = document.identity;
  return `${kind} ${namespace ? `${namespace}/` : ''}${name ?? '(unnamed)'}`;
}

/** "an OCIRepository", "a HelmRepository". */
export function withArticle(word: string): string {
  return `${/^[AEIOU]/i.test(word) ? 'an' : 'a'} ${word}`;
}
