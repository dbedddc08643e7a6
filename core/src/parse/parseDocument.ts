/**
 * Parses one YAML document chunk into the meshlens syntax tree using js-yaml's
 * event stream (which carries source offsets and is the fastest parser we
 * measured). Offsets in the result are relative to the chunk (the document),
 * so a cached tree stays valid when an edit above it moves the document: the
 * file offset of a node is `document.start + node.start`.
 *
 * Never throws: a syntax error becomes a `SyntaxProblem` at the place js-yaml
 * stopped, and the document has no tree (`root` undefined).
 *
 * Merge keys (`<<: *base`, `<<: [*a, *b]`) are resolved here, once, so every
 * rule sees merged keys as the map's own: each key a merge brings in (and the
 * map does not write itself) is appended as a pair marked `merged`, sharing
 * the anchor's key and value nodes (ranges point at the anchor's text). The
 * pairs are shared, never copied, and at most `MAX_MERGED_PAIRS` are added
 * per document; past that the document's plain value exceeds the alias
 * budget too and `yaml/alias-expansion` reports it.
 */

import { parseEvents, getScalarValue, EVENT_ID, SCALAR_STYLE, COLLECTION_STYLE } from 'js-yaml';
import type { Event, ScalarEvent } from 'js-yaml';
import type { SyntaxProblem, YamlAlias, YamlMap, YamlNode, YamlScalar, YamlSeq, ScalarStyle } from './ast';
import { resolvePlainScalar, resolveTaggedScalar } from './resolveScalar';

export interface ParsedChunk {
  root: YamlNode | undefined;
  problems: SyntaxProblem[];
  /** Number of nodes in the tree (aliases count as one). */
  nodeCount: number;
}

export const MAX_NESTING_DEPTH = 200;
/** Bound on pairs added by merge keys in one document (alias-bomb guard). */
export const MAX_MERGED_PAIRS = 100_000;

const STYLE_NAMES: Record<number, ScalarStyle> = {
  [SCALAR_STYLE.PLAIN]: 'plain',
  [SCALAR_STYLE.SINGLE_QUOTED]: 'single',
  [SCALAR_STYLE.DOUBLE_QUOTED]: 'double',
  [SCALAR_STYLE.LITERAL_BLOCK]: 'literal',
  [SCALAR_STYLE.FOLDED_BLOCK]: 'folded',
};

export function parseDocumentChunk(chunkText: string): ParsedChunk {
  const chunkStart = 0;
  const problems: SyntaxProblem[] = [];
  // js-yaml skips a leading byte-order mark and keeps offsets relative to the input.
  const source = chunkText;
  let events: Event[];
  try {
    events = parseEvents(source, { maxDepth: MAX_NESTING_DEPTH });
  } catch (error) {
    problems.push(syntaxProblemFrom(error, source, chunkStart));
    return { root: undefined, problems, nodeCount: 0 };
  }
  const builder = new TreeBuilder(source, chunkStart, problems);
  const root = builder.build(events);
  return { root, problems, nodeCount: builder.nodeCount };
}

function syntaxProblemFrom(error: unknown, source: string, chunkStart: number): SyntaxProblem {
  const reason = (error as { reason?: string }).reason ?? (error instanceof Error ? error.message : String(error));
  const mark = (error as { mark?: { position?: number } }).mark;
  let position = Math.max(0, Math.min(mark?.position ?? 0, source.length));
  // An error at the end of the document (an unclosed bracket or quote) is shown
  // on the last line with content rather than on the next document's marker.
  const contentEnd = source.replace(/\s+$/, '').length;
  if (position >= contentEnd && contentEnd > 0) position = contentEnd - 1;
  const tooDeep = /depth/i.test(reason);
  // Highlight the rest of the offending line, or one character when at its end.
  let end = source.indexOf('\n', position);
  if (end === -1) end = source.length;
  if (end === position) end = Math.min(source.length, position + 1);
  return {
    code: tooDeep ? 'yaml/too-deep' : 'yaml/syntax',
    start: chunkStart + position,
    end: chunkStart + Math.max(end, position),
    message: tooDeep
      ? `YAML nesting deeper than ${MAX_NESTING_DEPTH} levels; the document is not analysed`
      : `YAML syntax error: ${reason}`,
  };
}

interface OpenMap {
  node: YamlMap;
  pendingKey: YamlNode | undefined;
  /** First definition of each scalar key, made only once the map is large (small maps are scanned). */
  seenKeys: Map<string, YamlNode> | undefined;
}

/** Up to this many pairs a duplicate key is found by scanning the pairs: no Map per small mapping. */
const SCANNED_PAIRS = 16;

class TreeBuilder {
  nodeCount = 0;
  private mergedPairs = 0;
  private readonly anchors = new Map<string, YamlNode>();
  /** End of the last node seen, for placing empty scalars (which have no offsets). */
  private lastEnd = 0;
  private readonly stack: (OpenMap | YamlSeq)[] = [];

  constructor(
    private readonly source: string,
    private readonly offset: number,
    private readonly problems: SyntaxProblem[],
  ) {}

  build(events: Event[]): YamlNode | undefined {
    let root: YamlNode | undefined;
    for (const event of events) {
      switch (event.type) {
        case EVENT_ID.DOCUMENT:
          break;
        case EVENT_ID.MAPPING:
        case EVENT_ID.SEQUENCE: {
          const base = { flow: event.style === COLLECTION_STYLE.FLOW, start: this.offset + event.start, end: this.offset + event.start };
          const node: YamlMap | YamlSeq = event.type === EVENT_ID.MAPPING ? { type: 'map', pairs: [], ...base } : { type: 'seq', items: [], ...base };
          this.decorate(node, event.anchorStart, event.anchorEnd, event.tagStart, event.tagEnd);
          this.lastEnd = event.start;
          root = this.attach(node) ?? root;
          this.stack.push(node.type === 'map' ? { node, pendingKey: undefined, seenKeys: undefined } : node);
          break;
        }
        case EVENT_ID.SCALAR:
          root = this.attach(this.scalar(event)) ?? root;
          break;
        case EVENT_ID.ALIAS: {
          const name = this.source.slice(event.anchorStart, event.anchorEnd);
          const node: YamlAlias = {
            type: 'alias',
            name,
            target: this.anchors.get(name),
            start: this.offset + event.anchorStart - 1,
            end: this.offset + event.anchorEnd,
          };
          this.lastEnd = event.anchorEnd;
          if (!node.target) {
            this.problems.push({ code: 'yaml/unknown-alias', start: node.start, end: node.end, message: `Unknown alias *${name}` });
          }
          root = this.attach(node) ?? root;
          break;
        }
        case EVENT_ID.POP: {
          const closed = this.stack.pop();
          if (closed) this.close('node' in closed ? closed.node : closed);
          break;
        }
      }
    }
    return root;
  }

  private scalar(event: ScalarEvent): YamlScalar {
    if (event.valueStart < 0) return this.emptyScalar(event);
    const text = getScalarValue(this.source, event);
    const style = STYLE_NAMES[event.style] ?? 'plain';
    const quoted = style === 'single' || style === 'double';
    let start = event.valueStart;
    let end = event.valueEnd;
    if (quoted) {
      start = Math.max(0, start - 1);
      end = Math.min(this.source.length, end + 1);
    } else if (style === 'literal' || style === 'folded') {
      // Point at the `|`/`>` indicator so the node starts on its key's line.
      const indicator = this.source.lastIndexOf(style === 'literal' ? '|' : '>', event.valueStart);
      if (indicator >= 0) start = indicator;
      end = trimTrailingBreaks(this.source, start, end);
    }
    if (start < 0 || end < start) {
      start = Math.max(0, event.valueStart);
      end = Math.max(start, event.valueEnd);
    }
    const tag = event.tagStart >= 0 ? this.source.slice(event.tagStart, event.tagEnd) : undefined;
    const value = tag ? resolveTaggedScalar(tag, text) : style === 'plain' ? resolvePlainScalar(text) : text;
    const node: YamlScalar = { type: 'scalar', text, style, value, start: this.offset + start, end: this.offset + end };
    this.lastEnd = end;
    this.decorate(node, event.anchorStart, event.anchorEnd, event.tagStart, event.tagEnd);
    if (event.anchorStart >= 0 && event.anchorStart < start) node.start = this.offset + event.anchorStart - 1;
    return node;
  }

  /**
   * An empty value (`key:` or a bare `-`) has no source text. It is placed on
   * the indicator that introduces it (the `:` or `-` after the previous node),
   * so a finding about it lands on the right line.
   */
  private emptyScalar(event: ScalarEvent): YamlScalar {
    let position = this.lastEnd;
    while (position < this.source.length) {
      const char = this.source[position];
      if (char === '#') {
        const newline = this.source.indexOf('\n', position);
        position = newline === -1 ? this.source.length : newline + 1;
      } else if (char === ' ' || char === '\t' || char === '\n' || char === '\r' || char === '"' || char === "'") position++;
      else break;
    }
    const indicator = this.source[position];
    const start = indicator === ':' || indicator === '-' || indicator === '?' ? position : this.lastEnd;
    const end = start === position ? Math.min(this.source.length, start + 1) : start;
    this.lastEnd = end;
    const tag = event.tagStart >= 0 ? this.source.slice(event.tagStart, event.tagEnd) : undefined;
    const node: YamlScalar = { type: 'scalar', text: '', style: 'plain', value: tag ? resolveTaggedScalar(tag, '') : null, start: this.offset + start, end: this.offset + end };
    this.decorate(node, event.anchorStart, event.anchorEnd, event.tagStart, event.tagEnd);
    return node;
  }

  private decorate(node: YamlNode, anchorStart: number, anchorEnd: number, tagStart: number, tagEnd: number): void {
    this.nodeCount++;
    if (anchorStart >= 0) {
      node.anchor = this.source.slice(anchorStart, anchorEnd);
      this.anchors.set(node.anchor, node);
    }
    if (tagStart >= 0) node.tag = this.source.slice(tagStart, tagEnd);
  }

  /** Adds a finished or opened node to its parent; returns it when it is the root. */
  private attach(node: YamlNode): YamlNode | undefined {
    const parent = this.stack[this.stack.length - 1];
    if (!parent) return node;
    if ('node' in parent) {
      if (parent.pendingKey === undefined) {
        parent.pendingKey = node;
      } else {
        const key = parent.pendingKey;
        parent.pendingKey = undefined;
        if (key.type === 'scalar') {
          const previous = this.firstDefinition(parent, key.text);
          if (previous && key.text !== '<<') {
            this.problems.push({
              code: 'yaml/duplicate-key',
              start: key.start,
              end: key.end,
              message: `Duplicate key "${key.text}": Kubernetes keeps only the last value`,
              related: { start: previous.start, end: previous.end, message: 'first defined here' },
            });
          } else if (parent.seenKeys && !previous) {
            parent.seenKeys.set(key.text, key);
          }
        }
        parent.node.pairs.push({ key, value: node });
      }
    } else {
      parent.items.push(node);
    }
    return undefined;
  }

  /** The first scalar key `text` among the pairs so far (merged pairs are added only when the map closes). */
  private firstDefinition(open: OpenMap, text: string): YamlNode | undefined {
    const pairs = open.node.pairs;
    if (!open.seenKeys && pairs.length >= SCANNED_PAIRS) {
      open.seenKeys = new Map();
      for (const pair of pairs) if (pair.key.type === 'scalar' && !open.seenKeys.has(pair.key.text)) open.seenKeys.set(pair.key.text, pair.key);
    }
    if (open.seenKeys) return open.seenKeys.get(text);
    for (const pair of pairs) if (pair.key.type === 'scalar' && pair.key.text === text) return pair.key;
    return undefined;
  }

  private close(node: YamlMap | YamlSeq): void {
    let end = node.start;
    if (node.type === 'map') {
      const last = node.pairs[node.pairs.length - 1];
      if (last) end = Math.max(last.key.end, last.value.end);
    } else {
      const last = node.items[node.items.length - 1];
      if (last) end = last.end;
    }
    if (node.flow) {
      const closer = node.type === 'map' ? '}' : ']';
      const index = this.source.indexOf(closer, end - this.offset);
      if (index >= 0) end = this.offset + index + 1;
    }
    node.end = Math.max(end, node.start);
    this.lastEnd = Math.max(this.lastEnd, node.end - this.offset);
    // A list grown by push keeps spare capacity (at least 17 slots after the first push, half again after each
    // growth): an exact copy holds only its entries. Most maps and lists are small, and trees are kept for the
    // session, so this is about a fifth of a tree's memory; the grown list dies young.
    if (node.type === 'map') {
      this.resolveMergeKeys(node);
      node.pairs = node.pairs.slice();
    } else {
      node.items = node.items.slice();
    }
  }

  /**
   * Appends the pairs `<<` entries bring in. YAML merge order: written keys
   * win, then the sources in list order (an earlier source wins). A source
   * is a map or an alias of one; anything else is ignored, as Kubernetes'
   * YAML decoder would fail on it anyway. Sources are closed nodes, so the
   * map being closed is never among their pairs: the result stays acyclic.
   */
  private resolveMergeKeys(node: YamlMap): void {
    const merges = node.pairs.filter((pair) => pair.key.type === 'scalar' && pair.key.text === '<<' && pair.key.style === 'plain');
    if (merges.length === 0) return;
    const present = new Set<string>();
    for (const pair of node.pairs) if (pair.key.type === 'scalar' && !(pair.key.text === '<<' && pair.key.style === 'plain')) present.add(pair.key.text);
    for (const merge of merges) {
      const value = followAlias(merge.value);
      const sources = value?.type === 'seq' ? value.items.map(followAlias) : [value];
      for (const source of sources) {
        if (source?.type !== 'map' || source === node) continue;
        for (const pair of source.pairs) {
          if (pair.key.type !== 'scalar' || (pair.key.text === '<<' && pair.key.style === 'plain') || present.has(pair.key.text)) continue;
          if (++this.mergedPairs > MAX_MERGED_PAIRS) return;
          present.add(pair.key.text);
          node.pairs.push({ key: pair.key, value: pair.value, merged: true });
        }
      }
    }
  }
}

function followAlias(node: YamlNode | undefined): YamlNode | undefined {
  let current = node;
  for (let hops = 0; current?.type === 'alias' && hops < 32; hops++) current = current.target;
  return current?.type === 'alias' ? undefined : current;
}

function trimTrailingBreaks(source: string, start: number, end: number): number {
  let result = end;
  while (result > start && (source.charCodeAt(result - 1) === 10 || source.charCodeAt(result - 1) === 13)) result--;
  return result;
}
