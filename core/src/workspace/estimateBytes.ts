/**
 * An estimate of the memory a derived value holds, so the workspace can bound
 * its cache of derived values by bytes rather than by entry count (one entry
 * can be a whole cluster's build, another a boolean).
 *
 * The walk counts strings (two bytes per UTF-16 unit), numbers, arrays, Maps,
 * Sets and objects with a fixed overhead each, once per object (shared and
 * cyclic structure counted once). It does not descend into what another
 * cache already weighs: objects `ownedElsewhere` says belong to the workspace
 * (files, parsed documents, index entries) and YAML syntax nodes (weighed by
 * the parse cache); those count as one reference. Structure shared between
 * two derived values counts for each (an over-estimate: the cache then keeps
 * less, never more). It stops after `maxNodes`
 * objects and values, so weighing costs at most that much; the estimate is
 * then a lower bound, already large.
 */

const REFERENCE_BYTES = 8;
const OBJECT_BYTES = 32;
const STRING_BYTES = 16;
const SYNTAX_NODE_TYPES = new Set(['map', 'seq', 'scalar', 'alias']);

export function estimateBytes(value: unknown, ownedElsewhere: (candidate: object) => boolean, maxNodes = 1_000_000): number {
  if (typeof value === 'string') return STRING_BYTES + value.length * 2;
  if (typeof value !== 'object' || value === null) return REFERENCE_BYTES;
  let bytes = 0;
  let nodes = 1;
  const seen = new Set<object>();
  // Only objects go on the stack; primitives are counted where they are met (inline: this runs over every value
  // of every derived index, so it allocates nothing per value).
  const stack: object[] = [value];
  while (stack.length > 0 && nodes < maxNodes) {
    const current = stack.pop()!;
    // Syntax nodes first: the cheapest test, and the most common object a derived value refers to.
    if (isSyntaxNode(current) || seen.has(current) || ownedElsewhere(current)) {
      bytes += REFERENCE_BYTES;
      continue;
    }
    seen.add(current);
    if (Array.isArray(current)) {
      bytes += OBJECT_BYTES + current.length * REFERENCE_BYTES;
      for (let index = 0; index < current.length; index++) {
        const item: unknown = current[index];
        nodes++;
        if (typeof item === 'string') bytes += STRING_BYTES + item.length * 2;
        else if (typeof item !== 'object' || item === null) bytes += REFERENCE_BYTES;
        else stack.push(item);
      }
    } else if (current instanceof Map) {
      bytes += OBJECT_BYTES + current.size * 2 * REFERENCE_BYTES;
      for (const [key, item] of current) {
        nodes += 2;
        if (typeof key === 'string') bytes += STRING_BYTES + key.length * 2;
        else if (typeof key !== 'object' || key === null) bytes += REFERENCE_BYTES;
        else stack.push(key);
        if (typeof item === 'string') bytes += STRING_BYTES + item.length * 2;
        else if (typeof item !== 'object' || item === null) bytes += REFERENCE_BYTES;
        else stack.push(item);
      }
    } else if (current instanceof Set) {
      bytes += OBJECT_BYTES + current.size * REFERENCE_BYTES;
      for (const item of current) {
        nodes++;
        if (typeof item === 'string') bytes += STRING_BYTES + item.length * 2;
        else if (typeof item !== 'object' || item === null) bytes += REFERENCE_BYTES;
        else stack.push(item);
      }
    } else {
      bytes += OBJECT_BYTES;
      const record = current as Record<string, unknown>;
      const keys = Object.keys(record);
      bytes += keys.length * 2 * REFERENCE_BYTES;
      for (let index = 0; index < keys.length; index++) {
        const item = record[keys[index]];
        nodes++;
        if (typeof item === 'string') bytes += STRING_BYTES + item.length * 2;
        else if (typeof item !== 'object' || item === null) bytes += REFERENCE_BYTES;
        else stack.push(item);
      }
    }
  }
  return bytes;
}

/** A YAML syntax node of the parser (`type` map/seq/scalar/alias with a range): the parse cache weighs it. */
function isSyntaxNode(candidate: object): boolean {
  const node = candidate as { type?: unknown; start?: unknown; end?: unknown };
  return typeof node.type === 'string' && SYNTAX_NODE_TYPES.has(node.type) && typeof node.start === 'number' && typeof node.end === 'number';
}
