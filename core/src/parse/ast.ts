/**
 * The YAML syntax tree meshlens analyses. Every node carries the offsets of
 * its source text in the *file* (not the document chunk), so a finding on any
 * node maps straight back to a file, line and column.
 *
 * Aliases are kept as references (`target`) and never expanded here; code that
 * needs plain values goes through `toValue`, which bounds alias expansion.
 */

export type ScalarStyle = 'plain' | 'single' | 'double' | 'literal' | 'folded';

interface NodeBase {
  /** Offset of the first character of the node (for quoted scalars, the quote). */
  start: number;
  /** Offset just after the node. */
  end: number;
  anchor?: string;
  tag?: string;
}

export interface YamlScalar extends NodeBase {
  type: 'scalar';
  /** The decoded text of the scalar (quotes and escapes resolved). */
  text: string;
  style: ScalarStyle;
  /** The resolved value: Kubernetes resolves plain scalars the YAML 1.1 way. */
  value: string | number | boolean | null;
}

export interface YamlPair {
  key: YamlNode;
  value: YamlNode;
  /**
   * Set on pairs a `<<` merge key brings into a map (see `parseDocument.ts`):
   * key and value are the merged map's own nodes, so their offsets point at
   * the anchor's source text. Such pairs follow the map's written pairs.
   */
  merged?: true;
}

export interface YamlMap extends NodeBase {
  type: 'map';
  pairs: YamlPair[];
  flow: boolean;
}

export interface YamlSeq extends NodeBase {
  type: 'seq';
  items: YamlNode[];
  flow: boolean;
}

export interface YamlAlias extends NodeBase {
  type: 'alias';
  name: string;
  target?: YamlNode;
}

export type YamlNode = YamlScalar | YamlMap | YamlSeq | YamlAlias;

export interface SyntaxProblem {
  code: 'yaml/syntax' | 'yaml/duplicate-key' | 'yaml/too-deep' | 'yaml/alias-expansion' | 'yaml/unknown-alias';
  start: number;
  end: number;
  message: string;
  related?: { start: number; end: number; message: string };
}

/** Key text of a pair when the key is a scalar, else undefined. */
export function keyText(pair: YamlPair): string | undefined {
  return pair.key.type === 'scalar' ? pair.key.text : undefined;
}

export function mapGet(node: YamlNode | undefined, key: string): YamlNode | undefined {
  if (!node || node.type !== 'map') return undefined;
  for (const pair of node.pairs) {
    if (pair.key.type === 'scalar' && pair.key.text === key) return pair.value;
  }
  return undefined;
}

export function mapGetPair(node: YamlNode | undefined, key: string): YamlPair | undefined {
  if (!node || node.type !== 'map') return undefined;
  for (const pair of node.pairs) {
    if (pair.key.type === 'scalar' && pair.key.text === key) return pair;
  }
  return undefined;
}

/** Follows aliases to the node they stand for (bounded, aliases cannot cycle). */
export function deref(node: YamlNode | undefined): YamlNode | undefined {
  let current = node;
  for (let hops = 0; current && current.type === 'alias' && hops < 32; hops++) current = current.target;
  return current && current.type === 'alias' ? undefined : current;
}

/** Walks map keys and sequence indices; returns the node at the path or undefined. */
export function nodeAtPath(root: YamlNode | undefined, path: readonly (string | number)[]): YamlNode | undefined {
  let current = deref(root);
  for (const segment of path) {
    if (!current) return undefined;
    if (typeof segment === 'number') {
      current = current.type === 'seq' ? deref(current.items[segment]) : undefined;
    } else {
      current = deref(mapGet(current, segment));
    }
  }
  return current;
}

export function pairAtPath(root: YamlNode | undefined, path: readonly (string | number)[]): YamlPair | undefined {
  if (path.length === 0) return undefined;
  const parent = nodeAtPath(root, path.slice(0, -1));
  const last = path[path.length - 1];
  return typeof last === 'string' ? mapGetPair(parent, last) : undefined;
}

export function scalarString(node: YamlNode | undefined): string | undefined {
  const target = deref(node);
  if (!target || target.type !== 'scalar') return undefined;
  return target.value === null ? undefined : String(target.value);
}

/** True for a `<<` merge-key pair (a plain `<<` key); its content is reached through the merged pairs. */
export function isMergeKeyPair(pair: YamlPair): boolean {
  return pair.key.type === 'scalar' && pair.key.text === '<<' && pair.key.style === 'plain';
}

/**
 * Visits every node depth-first with its path; aliases are not followed.
 * Merged pairs are visited as the map's own keys; the `<<` pair's value is
 * not descended into, so merged content is visited once per map that uses it.
 */
export function walk(
  node: YamlNode,
  visit: (node: YamlNode, path: (string | number)[], parentPair?: YamlPair) => void | 'skip',
  path: (string | number)[] = [],
  parentPair?: YamlPair,
): void {
  if (visit(node, path, parentPair) === 'skip') return;
  if (node.type === 'map') {
    for (const pair of node.pairs) {
      if (isMergeKeyPair(pair)) continue;
      const key = pair.key.type === 'scalar' ? pair.key.text : '?';
      walk(pair.value, visit, [...path, key], pair);
    }
  } else if (node.type === 'seq') {
    node.items.forEach((item, index) => walk(item, visit, [...path, index]));
  }
}
