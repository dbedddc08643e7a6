/**
 * A YAML file as meshlens sees it: its documents, each parsed independently
 * and cached by its own text, and the file-level facts (line index,
 * suppression comments, why the file is skipped).
 *
 * Invariant: document syntax trees use offsets relative to their document;
 * `document.start` converts them to file offsets. This keeps a document's
 * parse and analysis reusable when an edit elsewhere in the file shifts it.
 */

import { BoundedCache } from '../util/boundedCache';
import { exceedsUtf8Bytes } from '../text/utf8';
import { LineIndex } from '../text/lineIndex';
import type { SyntaxProblem, YamlNode } from './ast';
import { parseDocumentChunk } from './parseDocument';
import { splitDocuments } from './splitDocuments';
import { toValue } from './toValue';
import { parseSuppressions, type Suppressions } from './suppressions';
import { documentShowsGoTemplating, isTemplatePath } from './goTemplate';

export interface ParsedDocument {
  /** The document's text; the cache key of everything derived from it. */
  readonly text: string;
  readonly root: YamlNode | undefined;
  readonly problems: readonly SyntaxProblem[];
  readonly nodeCount: number;
  /** Plain value with aliases expanded (computed once, bounded). */
  value(): { value: unknown; exceeded: boolean };
  /**
   * True when the document does not parse because it is a Go/Helm template
   * (see `goTemplate.ts`): its syntax errors are not reported, a hint says it
   * is not analysed.
   */
  goTemplate(): boolean;
}

export interface YamlDocument {
  /** File offset of the document's first character. */
  start: number;
  end: number;
  index: number;
  parsed: ParsedDocument;
}

export interface YamlFile {
  text: string;
  lineIndex: LineIndex;
  documents: YamlDocument[];
  suppressions: Suppressions;
  /** When set, the file is not analysed; the reason is reported once as information. */
  skipped?: { reason: string; code: 'file/too-large' | 'file/binary' | 'file/template' };
}

export interface ParseOptions {
  maxFileBytes: number;
  /** The file's workspace path: files in a chart's `templates/` folder or `.tpl` files are templates as a whole. */
  path?: string;
}

export const DEFAULT_MAX_FILE_BYTES = 2 * 1024 * 1024;

/** A cache of parsed documents keyed by document text, shared across files and versions. */
/**
 * Parsed documents by text, bounded by estimated memory (text plus syntax
 * tree), not by count: a long edit session of a large document creates a new
 * text per keystroke, and 40,000 parses of a 13.7 KB policy are gigabytes.
 */
export class DocumentParseCache {
  private readonly cache: BoundedCache<string, ParsedDocument>;

  constructor(maxBytes = DEFAULT_PARSE_CACHE_BYTES) {
    this.cache = new BoundedCache<string, ParsedDocument>({ capacity: 20_000, maxBytes, weigh: (text, parsed) => text.length * 2 + parsed.nodeCount * SYNTAX_NODE_BYTES });
  }

  get(text: string): ParsedDocument {
    return this.cache.get(text, createParsedDocument);
  }
}

/** Measured: a parsed node with its converted value holds about 190 bytes. */
const SYNTAX_NODE_BYTES = 200;
const DEFAULT_PARSE_CACHE_BYTES = 64 * 1024 * 1024;

export function createParsedDocument(text: string): ParsedDocument {
  const chunk = parseDocumentChunk(text);
  let converted: { value: unknown; exceeded: boolean } | undefined;
  let template: boolean | undefined;
  return {
    text,
    root: chunk.root,
    problems: chunk.problems,
    nodeCount: chunk.nodeCount,
    value() {
      converted ??= toValue(chunk.root);
      return converted;
    },
    goTemplate() {
      template ??= chunk.problems.some((problem) => problem.code === 'yaml/syntax') && documentShowsGoTemplating(text);
      return template;
    },
  };
}

/**
 * @param previous the file's previous version, when there is one: documents
 *   that lie wholly in the text the edit left alone (before its first changed
 *   character, or after its last) take the previous parse without a cache
 *   lookup, which would hash every document's text again.
 */
export function parseYamlFile(
  text: string,
  cache: DocumentParseCache = new DocumentParseCache(),
  options: ParseOptions = { maxFileBytes: DEFAULT_MAX_FILE_BYTES },
  previous?: YamlFile,
): YamlFile {
  const lineIndex = new LineIndex(text);
  const suppressions = parseSuppressions(text);
  const skipped = skipReason(text, options);
  if (skipped) return { text, lineIndex, documents: [], suppressions, skipped };
  const unchanged = previous && previous.documents.length > 0 ? unchangedDocuments(previous, text) : undefined;
  const documents = splitDocuments(text).map((chunk) => ({
    start: chunk.start,
    end: chunk.end,
    index: chunk.index,
    parsed: unchanged?.(chunk.start, chunk.end) ?? cache.get(chunk.text),
  }));
  if (isTemplatePath(options.path) && looksLikeGoTemplate(text, documents)) {
    return {
      text,
      lineIndex,
      documents: [],
      suppressions,
      skipped: { code: 'file/template', reason: 'File holds Go/Helm template actions ({{ … }}) and is not YAML until rendered; it is not analysed' },
    };
  }
  return { text, lineIndex, documents, suppressions };
}

/**
 * Finds the previous parse of a chunk [start, end) of `text` that lies wholly
 * in the common prefix or the common suffix of the old and new texts: such a
 * chunk has the same text as the old document at the same (or the shifted)
 * place, so the old parse is the parse of this chunk.
 */
function unchangedDocuments(previous: YamlFile, text: string): (start: number, end: number) => ParsedDocument | undefined {
  const old = previous.text;
  const prefix = commonPrefixLength(old, text);
  const suffix = commonSuffixLength(old, text, Math.min(old.length, text.length) - prefix);
  const shift = old.length - text.length;
  const byStart = new Map<number, YamlDocument>();
  for (const document of previous.documents) byStart.set(document.start, document);
  return (start, end) => {
    if (end <= prefix) {
      const match = byStart.get(start);
      return match && match.end === end ? match.parsed : undefined;
    }
    if (start >= text.length - suffix) {
      const match = byStart.get(start + shift);
      return match && match.end === end + shift ? match.parsed : undefined;
    }
    return undefined;
  };
}

/** Compared in blocks first: substring equality is a native comparison, far faster than a loop over characters. */
const COMPARE_BLOCK = 1024;

function commonPrefixLength(a: string, b: string): number {
  const limit = Math.min(a.length, b.length);
  let index = 0;
  while (index + COMPARE_BLOCK <= limit && a.slice(index, index + COMPARE_BLOCK) === b.slice(index, index + COMPARE_BLOCK)) index += COMPARE_BLOCK;
  while (index < limit && a.charCodeAt(index) === b.charCodeAt(index)) index++;
  return index;
}

/** Length of the common suffix, at most `limit` (so prefix and suffix never overlap in either text). */
function commonSuffixLength(a: string, b: string, limit: number): number {
  let length = 0;
  while (length + COMPARE_BLOCK <= limit && a.slice(a.length - length - COMPARE_BLOCK, a.length - length) === b.slice(b.length - length - COMPARE_BLOCK, b.length - length)) length += COMPARE_BLOCK;
  while (length < limit && a.charCodeAt(a.length - length - 1) === b.charCodeAt(b.length - length - 1)) length++;
  return length;
}

function skipReason(text: string, options: ParseOptions): YamlFile['skipped'] {
  // The limit is in bytes, as the file holds them (UTF-16 length can be a third of that).
  if (exceedsUtf8Bytes(text, options.maxFileBytes)) {
    return {
      code: 'file/too-large',
      reason: `File is larger than ${Math.round(options.maxFileBytes / 1024)} KiB (meshlens.maxFileSize); it is not analysed`,
    };
  }
  if (text.indexOf('\u0000') !== -1) {
    return { code: 'file/binary', reason: 'File contains NUL bytes (binary data); it is not analysed' };
  }
  return undefined;
}

/**
 * Helm chart templates are not YAML until rendered. In a chart's template
 * files, template actions inside strings and block scalars parse fine and
 * are analysed; such a file with `{{` that does not parse is skipped as a
 * whole. Elsewhere the decision is per document (`ParsedDocument.goTemplate`).
 */
function looksLikeGoTemplate(text: string, documents: YamlDocument[]): boolean {
  if (text.indexOf('{{') === -1) return false;
  return documents.some((document) => document.parsed.problems.some((problem) => problem.code === 'yaml/syntax'));
}
