/**
 * Plain values of YAML documents as kustomize reads them. kustomize parses
 * with go-yaml v3 (YAML 1.2 core schema): only `true`/`false` (any case
 * variant go-yaml accepts) are booleans, so `yes`, `on`, `y` stay strings —
 * and stay strings in what Flux applies. The analysis core's own value
 * conversion follows the API server's YAML 1.1 rules for single files; a
 * build uses this one instead.
 *
 * Invariants: alias expansion is bounded (a document that expands beyond the
 * budget yields `exceeded`); merge keys (`<<`) apply as go-yaml applies them
 * (explicit keys win); keys are defined as own properties (a `__proto__` key is
 * data).
 */

import type { YamlNode } from '../parse/ast';
import type { Json, JsonObject } from './resource';

const NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);
const TRUES = new Set(['true', 'True', 'TRUE']);
const FALSES = new Set(['false', 'False', 'FALSE']);

/** go-yaml v3's resolution of a plain scalar. */
export function resolvePlain12(text: string): Json {
  if (NULLS.has(text)) return null;
  if (TRUES.has(text)) return true;
  if (FALSES.has(text)) return false;
  if (text === '.inf' || text === '.Inf' || text === '.INF' || text === '+.inf' || text === '+.Inf' || text === '+.INF') return text;
  const first = text[0];
  if (!((first >= '0' && first <= '9') || first === '-' || first === '+' || first === '.')) return text;
  const plain = text.replace(/_/g, '');
  if (/^[-+]?(0|[1-9][0-9]*)$/.test(plain)) {
    const value = Number(plain);
    return Number.isSafeInteger(value) ? value : text;
  }
  if (/^[-+]?0[xX][0-9a-fA-F]+$/.test(plain)) return Number.parseInt(plain.replace(/^([-+]?)0[xX]/, '$1'), 16);
  if (/^[-+]?0[oO]?[0-7]+$/.test(plain)) {
    const negative = plain.startsWith('-');
    const digits = plain.replace(/^[-+]?0[oO]?/, '');
    const value = Number.parseInt(digits, 8);
    return negative ? -value : value;
  }
  if (/^[-+]?0[bB][01]+$/.test(plain)) {
    const negative = plain.startsWith('-');
    const value = Number.parseInt(plain.replace(/^[-+]?0[bB]/, ''), 2);
    return negative ? -value : value;
  }
  if (/^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/.test(plain)) return Number(plain);
  return text;
}

function resolveTagged(tag: string, text: string): Json {
  switch (tag) {
    case '!!str':
    case 'tag:yaml.org,2002:str':
    case '!!binary':
      return text;
    case '!!int':
    case '!!float':
    case 'tag:yaml.org,2002:int':
    case 'tag:yaml.org,2002:float': {
      const value = resolvePlain12(text);
      return typeof value === 'number' ? value : text;
    }
    case '!!bool':
    case 'tag:yaml.org,2002:bool': {
      const value = resolvePlain12(text);
      return typeof value === 'boolean' ? value : text;
    }
    case '!!null':
    case 'tag:yaml.org,2002:null':
      return null;
    default:
      return text;
  }
}

/**
 * go-yaml (libyaml) folds block scalars with one difference from the YAML
 * spec: entering a more-indented line from a normal line keeps an extra line
 * break. kustomize's output carries that value, so a build reproduces it.
 */
function goYamlText(text: string, style: string): string {
  if (style !== 'folded') return text;
  return text.replace(/(^|\n)([^ \t\n][^\n]*)\n(\n*)(?=[ \t])/g, '$1$2\n\n$3');
}

const EXCEEDED = Symbol('exceeded');

export function yamlValue(root: YamlNode | undefined, budget = 200_000): { value: Json | undefined; exceeded: boolean } {
  if (!root) return { value: undefined, exceeded: false };
  const state = { remaining: budget };
  try {
    return { value: convert(root, state, 0), exceeded: false };
  } catch (error) {
    if (error === EXCEEDED) return { value: undefined, exceeded: true };
    throw error;
  }
}

function keyText(node: YamlNode, state: { remaining: number }, depth: number): string {
  if (node.type === 'scalar') return node.text;
  const value = convert(node, state, depth + 1);
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function define(target: JsonObject, key: string, value: Json): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function convert(node: YamlNode, state: { remaining: number }, depth: number): Json {
  if (--state.remaining < 0 || depth > 1000) throw EXCEEDED;
  switch (node.type) {
    case 'scalar':
      if (node.tag) return resolveTagged(node.tag, goYamlText(node.text, node.style));
      return node.style === 'plain' ? resolvePlain12(node.text) : goYamlText(node.text, node.style);
    case 'alias':
      return node.target ? convert(node.target, state, depth + 1) : null;
    case 'seq':
      return node.items.map((item) => convert(item, state, depth + 1));
    case 'map': {
      const result: JsonObject = {};
      const explicit = new Set<string>();
      for (const pair of node.pairs) {
        const isMerge = pair.key.type === 'scalar' && pair.key.style === 'plain' && pair.key.text === '<<' && !pair.key.tag;
        if (isMerge) continue;
        const key = keyText(pair.key, state, depth);
        explicit.add(key);
        define(result, key, convert(pair.value, state, depth + 1));
      }
      for (const pair of node.pairs) {
        const isMerge = pair.key.type === 'scalar' && pair.key.style === 'plain' && pair.key.text === '<<' && !pair.key.tag;
        if (!isMerge) continue;
        const merged = convert(pair.value, state, depth + 1);
        for (const source of Array.isArray(merged) ? merged : [merged]) {
          if (!source || typeof source !== 'object' || Array.isArray(source)) continue;
          for (const [key, value] of Object.entries(source)) {
            if (!explicit.has(key) && !Object.prototype.hasOwnProperty.call(result, key)) define(result, key, value);
          }
        }
      }
      return result;
    }
  }
}
