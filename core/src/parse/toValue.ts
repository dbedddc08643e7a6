/**
 * Converts a syntax tree into the plain JSON-like value Kubernetes would see,
 * with aliases expanded and `<<` merge keys applied.
 *
 * Alias expansion is bounded: a "billion laughs" document expands
 * exponentially, so the conversion counts every produced node and stops at
 * `budget`, returning `exceeded: true` instead of a value.
 */

import type { YamlNode } from './ast';

export interface ToValueResult {
  value: unknown;
  exceeded: boolean;
}

export const DEFAULT_EXPANSION_BUDGET = 200_000;

export function toValue(root: YamlNode | undefined, budget = DEFAULT_EXPANSION_BUDGET): ToValueResult {
  if (!root) return { value: undefined, exceeded: false };
  const state = { remaining: budget };
  try {
    return { value: convert(root, state, 0), exceeded: false };
  } catch (error) {
    if (error === BUDGET_EXCEEDED) return { value: undefined, exceeded: true };
    throw error;
  }
}

const BUDGET_EXCEEDED = Symbol('budget exceeded');

function convert(node: YamlNode, state: { remaining: number }, depth: number): unknown {
  if (--state.remaining < 0 || depth > 1000) throw BUDGET_EXCEEDED;
  switch (node.type) {
    case 'scalar':
      return node.value;
    case 'alias':
      return node.target ? convert(node.target, state, depth + 1) : null;
    case 'seq':
      return node.items.map((item) => convert(item, state, depth + 1));
    case 'map': {
      const result: Record<string, unknown> = {};
      for (const pair of node.pairs) {
        // Merged pairs repeat what the `<<` entry brings in; `mergeInto` applies it with the budget counted once.
        if (pair.merged) continue;
        const key = keyString(pair.key);
        if (key === '<<' && pair.key.type === 'scalar' && pair.key.style === 'plain') {
          mergeInto(result, convert(pair.value, state, depth + 1));
          continue;
        }
        setOwn(result, key, convert(pair.value, state, depth + 1));
      }
      return result;
    }
  }
}

function mergeInto(target: Record<string, unknown>, source: unknown): void {
  const sources = Array.isArray(source) ? source : [source];
  for (const item of sources) {
    if (!item || typeof item !== 'object' || Array.isArray(item)) continue;
    for (const [key, value] of Object.entries(item)) {
      if (!Object.prototype.hasOwnProperty.call(target, key)) setOwn(target, key, value);
    }
  }
}

/**
 * Sets an own, enumerable property. Plain assignment except for `__proto__`,
 * whose assignment would replace the prototype instead (a document may use
 * it as a key); assignment is much cheaper than a property definition.
 */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

function keyString(node: YamlNode): string {
  if (node.type === 'scalar') return node.value === null ? 'null' : String(node.value === node.text ? node.text : node.text);
  return '[complex key]';
}
