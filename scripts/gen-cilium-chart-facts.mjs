#!/usr/bin/env node
// Generates schemas/cilium-values/chart-facts.json: per-patch facts about the Cilium Helm chart,
// read from the packaged chart of every published patch version found under the given folder.
//
// Usage: node scripts/gen-cilium-chart-facts.mjs <cilium-charts-dir> [--check]
//   <cilium-charts-dir> holds <version>/{values.yaml,templates/**} for each patch (1.14.0 …).
//   --check regenerates in memory and exits 1 when the committed file differs.
//
// Facts emitted (compact: patch ranges over the ordered list of patches, never one copy per patch):
//   keys[path].declared  patches whose values.yaml has the key (maps flattened; lists are leaves)
//   keys[path].read      patches whose templates reference `.Values.<path>` (direct references,
//                        `$.Values…`, `index .Values "a" "b"`, `dig "a" "b" … .Values.AsMap`,
//                        `hasKey .Values.a "b"`, and `.x` inside `with .Values.<path>`), except
//                        in validate.yaml, which reads keys only to reject them
//   failRules[]          every `fail` of the templates with the `if`/`with` conditions that guard
//                        it, translated into our values-condition language (see
//                        core/src/cilium/valuesCondition.ts); parts we cannot translate are kept
//                        as `{opaque}` tests so evaluation says "unknown" instead of guessing.
//   renders[flag]        for a few agent flags in cilium-configmap.yaml: the guard under which
//                        the chart writes them (the kernel model reads these).
// Invariants: only facts (key names, versions, conditions, the chart's own error strings) reach the
// output; no template text or description is copied. Output is deterministic (sorted).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as yaml from 'js-yaml';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outFile = path.join(repoRoot, 'schemas', 'cilium-values', 'chart-facts.json');

// Agent flags whose rendering guard the kernel model needs.
const RENDER_FLAGS = ['enable-bbr', 'enable-bandwidth-manager', 'enable-ipv4-masquerade', 'enable-ipv6-masquerade', 'enable-bpf-masquerade', 'enable-host-legacy-routing', 'auto-direct-node-routes'];

function compareVersions(a, b) {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return pa[i] - pb[i];
  return 0;
}

function isPlainObject(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

// ---------------------------------------------------------------- values.yaml

function declaredKeys(values, prefix = [], out = new Set()) {
  if (!isPlainObject(values)) return out;
  for (const [key, value] of Object.entries(values)) {
    const p = [...prefix, key];
    out.add(p.join('.'));
    if (isPlainObject(value)) declaredKeys(value, p, out);
  }
  return out;
}

// ---------------------------------------------------------------- template actions

/** The `{{ … }}` actions of a template, comments dropped, trim markers removed. */
function actions(text) {
  const list = [];
  const re = /\{\{(-?)([\s\S]*?)(-?)\}\}/g;
  let m;
  while ((m = re.exec(text))) {
    let body = m[2].trim();
    if (body.startsWith('/*')) continue;
    list.push({ body, index: m.index, end: m.index + m[0].length });
  }
  return list;
}

// Tokens of one action: strings, numbers, field chains, variables, identifiers, parens, pipes.
function tokenize(body) {
  const tokens = [];
  const re = /\s*("(?:[^"\\]|\\.)*"|`[^`]*`|\(|\)|\||:=|=|,|-?\d+(?:\.\d+)?|\$[A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*|\.[A-Za-z0-9_.]*|[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*|\S)/y;
  let m;
  while (re.lastIndex < body.length && (m = re.exec(body))) {
    if (m[1] === undefined) break;
    tokens.push(m[1]);
  }
  return tokens;
}

// Parses a pipeline into {fn, args} / {field} / {lit} nodes. Never throws: odd input gives {opaque}.
function parsePipeline(tokens) {
  let pos = 0;
  const peek = () => tokens[pos];
  function operand() {
    const t = tokens[pos++];
    if (t === undefined) return { opaque: true };
    if (t === '(') {
      const inner = pipeline(')');
      if (peek() === ')') pos++;
      return inner;
    }
    if (t.startsWith('"')) {
      try { return { lit: JSON.parse(t) }; } catch { return { lit: t.slice(1, -1) }; }
    }
    if (t.startsWith('`')) return { lit: t.slice(1, -1) };
    if (/^-?\d/.test(t)) return { lit: Number(t) };
    if (t === 'true' || t === 'false') return { lit: t === 'true' };
    if (t === 'nil') return { lit: null };
    if (t.startsWith('.') || t.startsWith('$')) return { field: t };
    return { ident: t };
  }
  function command(stop) {
    const items = [];
    while (pos < tokens.length && peek() !== '|' && peek() !== stop && peek() !== ')') items.push(operand());
    if (items.length === 0) return { opaque: true };
    if (items[0].ident) return { fn: items[0].ident, args: items.slice(1) };
    return items.length === 1 ? items[0] : { opaque: true };
  }
  function pipeline(stop) {
    let node = command(stop);
    while (peek() === '|') {
      pos++;
      const next = command(stop);
      node = next.fn ? { fn: next.fn, args: [...next.args, node] } : { opaque: true };
    }
    return node;
  }
  // Variable declarations (`$x := …`) keep only the expression.
  if (tokens[1] === ':=' || tokens[1] === '=') pos = 2;
  return pipeline(undefined);
}

// ---------------------------------------------------------------- value paths

/**
 * The Helm values path a node denotes, or undefined. `scope` is the values path the dot stands
 * for (inside `with .Values.x`), or null when the dot is the root context, or undefined when unknown.
 */
function valuesPath(node, scope) {
  if (!node) return undefined;
  if (node.field) {
    const f = node.field;
    let m = /^\$?\.Values((?:\.[A-Za-z0-9_]+)*)$/.exec(f);
    if (m && (f.startsWith('$') || scope === null)) {
      const segs = m[1].split('.').filter(Boolean);
      if (segs[0] === 'AsMap') return segs.length === 1 ? [] : undefined;
      return segs;
    }
    if (f.startsWith('.') && !f.startsWith('.Values') && Array.isArray(scope)) {
      const segs = f.split('.').filter(Boolean);
      return [...scope, ...segs];
    }
    if (f === '.' && Array.isArray(scope)) return [...scope];
    return undefined;
  }
  if (node.fn === 'index' && node.args.length >= 1) {
    const base = valuesPath(node.args[0], scope);
    if (!base) return undefined;
    const rest = node.args.slice(1);
    if (!rest.every((a) => typeof a.lit === 'string')) return undefined;
    return [...base, ...rest.map((a) => a.lit)];
  }
  if (node.fn === 'dig' && node.args.length >= 2) {
    const base = valuesPath(node.args[node.args.length - 1], scope);
    const keys = node.args.slice(0, -2);
    if (!base || !keys.every((a) => typeof a.lit === 'string')) return undefined;
    return [...base, ...keys.map((a) => a.lit)];
  }
  return undefined;
}

/** Every values path a node reads (for `read` facts and opaque tests). */
function pathsIn(node, scope, out = []) {
  if (!node || typeof node !== 'object') return out;
  const own = valuesPath(node, scope);
  if (own && own.length > 0) out.push(own.join('.'));
  if (node.fn === 'hasKey' && node.args.length === 2 && typeof node.args[1].lit === 'string') {
    const base = valuesPath(node.args[0], scope);
    if (base) out.push([...base, node.args[1].lit].join('.'));
  }
  if (node.args) for (const a of node.args) pathsIn(a, scope, out);
  return out;
}

// ---------------------------------------------------------------- conditions

function opaque(node, scope) {
  const paths = [...new Set(pathsIn(node, scope))].sort();
  return { opaque: true, paths };
}

// A value operand for eq/ne/has: {path, asString} or {lit} or undefined.
function valueOperand(node, scope) {
  if (node && 'lit' in node) return { lit: node.lit };
  if (node && node.fn === 'toString' && node.args.length === 1) {
    const inner = valueOperand(node.args[0], scope);
    return inner && inner.path ? { ...inner, asString: true } : undefined;
  }
  const p = valuesPath(node, scope);
  if (p && p.length > 0) return { path: p.join('.') };
  return undefined;
}

/** Translates a node used as an `if` condition into the values-condition language. */
function condition(node, scope) {
  if (!node || node.opaque) return { opaque: true, paths: [] };
  if (node.fn === 'not' && node.args.length === 1) return { not: condition(node.args[0], scope) };
  if ((node.fn === 'and' || node.fn === 'or') && node.args.length >= 1) {
    const parts = node.args.map((a) => condition(a, scope));
    return node.fn === 'and' ? { all: parts } : { any: parts };
  }
  if ((node.fn === 'eq' || node.fn === 'ne') && node.args.length >= 2) {
    const left = valueOperand(node.args[0], scope);
    const rights = node.args.slice(1).map((a) => valueOperand(a, scope));
    if (left?.path && rights.every((r) => r && 'lit' in r)) {
      const test = rights.length === 1 ? { path: left.path, equals: rights[0].lit } : { path: left.path, in: rights.map((r) => r.lit) };
      if (left.asString) test.asString = true;
      return node.fn === 'eq' ? test : { not: test };
    }
    return opaque(node, scope);
  }
  if (node.fn === 'hasKey' && node.args.length === 2 && typeof node.args[1].lit === 'string') {
    const base = valuesPath(node.args[0], scope);
    if (base) return { path: [...base, node.args[1].lit].join('.'), present: true };
    return opaque(node, scope);
  }
  if (node.fn === 'has' && node.args.length === 2) {
    const needle = valueOperand(node.args[0], scope);
    const hay = node.args[1];
    if (needle?.path && hay.fn === 'list' && hay.args.every((a) => 'lit' in a)) {
      const test = { path: needle.path, in: hay.args.map((a) => a.lit) };
      if (needle.asString) test.asString = true;
      return test;
    }
    return opaque(node, scope);
  }
  if (node.fn === 'gt' && node.args.length === 2 && node.args[0].fn === 'len' && typeof node.args[1].lit === 'number') {
    const p = valuesPath(node.args[0].args[0], scope);
    if (p) return { path: p.join('.'), lengthAbove: node.args[1].lit };
    return opaque(node, scope);
  }
  if (node.fn === 'regexMatch' && node.args.length === 2 && typeof node.args[0].lit === 'string') {
    const p = valuesPath(node.args[1], scope);
    if (p) return { path: p.join('.'), matches: node.args[0].lit };
    return opaque(node, scope);
  }
  if (node.fn === 'toString' && node.args.length === 1) {
    const p = valuesPath(node.args[0], scope);
    if (p) return { path: p.join('.'), truthy: true, asString: true };
    return opaque(node, scope);
  }
  const p = valuesPath(node, scope);
  if (p && p.length > 0) return { path: p.join('.'), truthy: true };
  return opaque(node, scope);
}

function conditionPaths(c, out = new Set()) {
  if (!c || typeof c !== 'object') return out;
  if (c.all) c.all.forEach((x) => conditionPaths(x, out));
  else if (c.any) c.any.forEach((x) => conditionPaths(x, out));
  else if (c.not) conditionPaths(c.not, out);
  else if (c.opaque) (c.paths ?? []).forEach((p) => out.add(p));
  else if (c.path) out.add(c.path);
  return out;
}

function conjunction(parts) {
  const flat = parts.flatMap((p) => (p.all ? p.all : [p]));
  return flat.length === 1 ? flat[0] : { all: flat };
}

// ---------------------------------------------------------------- template scan

/**
 * Walks one template: collects read paths, fail rules (with their guards) and, for the
 * configmap, the guards of selected flags.
 */
function scanTemplate(text, file, sink) {
  const stack = []; // {kind, scope, guards: condition[] (for this frame), prior: condition[]}
  const scopeNow = () => {
    for (let i = stack.length - 1; i >= 0; i--) if (stack[i].scope !== 'inherit') return stack[i].scope;
    return null;
  };
  const inDefine = () => stack.some((f) => f.kind === 'define');
  const guards = () => stack.flatMap((f) => f.guards);
  const list = actions(text);
  let cursor = 0;
  const flagText = (upTo) => {
    // Plain text between actions: look for `  flag-name:` lines of the configmap.
    if (!sink.renders) return;
    const chunk = text.slice(cursor, upTo);
    for (const m of chunk.matchAll(/^\s{2}([a-z0-9-]+):/gm)) {
      if (RENDER_FLAGS.includes(m[1]) && !sink.renders.has(m[1])) sink.renders.set(m[1], conjunction([{ all: [] }, ...guards()].filter((g) => !(g.all && g.all.length === 0))));
    }
  };
  for (const action of list) {
    flagText(action.index);
    cursor = action.end;
    const tokens = tokenize(action.body);
    const head = tokens[0];
    const scope = scopeNow();
    const exprTokens = head === 'if' || head === 'with' || head === 'range' ? tokens.slice(1) : head === 'else' ? tokens.slice(tokens[1] === 'if' || tokens[1] === 'with' ? 2 : 1) : tokens;
    const node = parsePipeline(exprTokens);
    // validate.yaml reads keys only to reject them: those reads do not make a key known.
    if (file !== 'validate.yaml') for (const p of pathsIn(node, scope)) sink.read.add(p);
    if (head === 'if') {
      const c = condition(node, scope);
      stack.push({ kind: 'if', scope: 'inherit', guards: [c], prior: [c] });
    } else if (head === 'with') {
      const c = condition(node, scope);
      const p = valuesPath(node, scope);
      stack.push({ kind: 'with', scope: p && p.length ? p : undefined, guards: [c], prior: [c] });
    } else if (head === 'range') {
      stack.push({ kind: 'range', scope: undefined, guards: [opaque(node, scope)], prior: [] });
    } else if (head === 'define' || head === 'block') {
      stack.push({ kind: 'define', scope: undefined, guards: [], prior: [] });
    } else if (head === 'else') {
      const frame = stack[stack.length - 1];
      if (frame) {
        const negated = frame.prior.map((c) => ({ not: c }));
        if (tokens[1] === 'if' || tokens[1] === 'with') {
          const c = condition(node, frame.kind === 'with' ? (stack.length > 1 ? 'inherit' : null) : scope);
          frame.guards = [...negated, c];
          frame.prior = [...frame.prior, c];
          if (frame.kind === 'with') frame.scope = 'inherit';
        } else {
          frame.guards = negated;
          if (frame.kind === 'with') frame.scope = 'inherit';
        }
      }
    } else if (head === 'end') {
      stack.pop();
    } else if (head === 'fail' || (head === '-' && tokens[1] === 'fail')) {
      if (inDefine()) continue;
      const argNode = parsePipeline(tokens.slice(1));
      const message = typeof argNode.lit === 'string' ? argNode.lit : argNode.fn === 'printf' && typeof argNode.args[0]?.lit === 'string' ? argNode.args[0].lit : undefined;
      const when = conjunction(guards().map(normaliseScopes));
      sink.fails.push({ file, when, keys: [...conditionPaths(when)].sort(), message });
    }
  }
  flagText(text.length);
}

// `inherit` scopes are resolved during the scan; nothing to rewrite in conditions.
function normaliseScopes(c) {
  return c;
}

function listTemplates(dir) {
  const out = [];
  const walk = (d) => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(yaml|tpl|txt|json)$/.test(entry.name)) out.push(full);
    }
  };
  walk(dir);
  return out;
}

function factsForPatch(dir) {
  const values = yaml.load(fs.readFileSync(path.join(dir, 'values.yaml'), 'utf8'));
  const declared = declaredKeys(values);
  const sink = { read: new Set(), fails: [], renders: undefined };
  const templatesDir = path.join(dir, 'templates');
  for (const file of listTemplates(templatesDir)) {
    const rel = path.relative(templatesDir, file).split(path.sep).join('/');
    sink.renders = rel === 'cilium-configmap.yaml' ? new Map() : undefined;
    scanTemplate(fs.readFileSync(file, 'utf8'), rel, sink);
    if (sink.renders) sink.configRenders = sink.renders;
  }
  return { declared, read: sink.read, fails: sink.fails, renders: sink.configRenders ?? new Map() };
}

// ---------------------------------------------------------------- ranges

/** Compresses a set of patch indexes into "a-b,c" over the ordered patch list. */
function rangeText(indexes, patches) {
  const sorted = [...indexes].sort((a, b) => a - b);
  const parts = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(i === j ? patches[sorted[i]] : `${patches[sorted[i]]}-${patches[sorted[j]]}`);
    i = j + 1;
  }
  return parts.join(',');
}

function build(src) {
  const patches = fs.readdirSync(src)
    .filter((v) => /^\d+\.\d+\.\d+$/.test(v) && fs.existsSync(path.join(src, v, 'values.yaml')) && fs.existsSync(path.join(src, v, 'templates')))
    .sort(compareVersions);
  const keys = new Map(); // path -> {declared:Set, read:Set}
  const fails = new Map(); // signature -> {rule, patches:Set}
  const renders = new Map(); // flag -> signature -> {when, patches}
  const entry = (p) => {
    let e = keys.get(p);
    if (!e) keys.set(p, (e = { declared: new Set(), read: new Set() }));
    return e;
  };
  patches.forEach((version, index) => {
    const facts = factsForPatch(path.join(src, version));
    for (const p of facts.declared) entry(p).declared.add(index);
    for (const p of facts.read) entry(p).read.add(index);
    for (const fail of facts.fails) {
      const rule = { file: fail.file, keys: fail.keys, when: fail.when, message: fail.message };
      const signature = JSON.stringify(rule);
      if (!fails.has(signature)) fails.set(signature, { rule, patches: new Set() });
      fails.get(signature).patches.add(index);
    }
    for (const [flag, when] of facts.renders) {
      const byWhen = renders.get(flag) ?? new Map();
      renders.set(flag, byWhen);
      const signature = JSON.stringify(when);
      if (!byWhen.has(signature)) byWhen.set(signature, { when, patches: new Set() });
      byWhen.get(signature).patches.add(index);
    }
  });
  const keyLines = [...keys.keys()].sort().map((p) => {
    const e = keys.get(p);
    const o = {};
    if (e.declared.size) o.declared = rangeText(e.declared, patches);
    if (e.read.size) o.read = rangeText(e.read, patches);
    return `  ${JSON.stringify(p)}: ${JSON.stringify(o)}`;
  });
  const failLines = [...fails.values()]
    .map(({ rule, patches: set }) => ({ patches: rangeText(set, patches), ...rule }))
    .sort((a, b) => a.file.localeCompare(b.file) || a.keys.join().localeCompare(b.keys.join()) || a.patches.localeCompare(b.patches) || JSON.stringify(a).localeCompare(JSON.stringify(b)))
    .map((rule) => `  ${JSON.stringify(rule)}`);
  const renderLines = [...renders.keys()].sort().map((flag) => {
    const list = [...renders.get(flag).values()].map(({ when, patches: set }) => ({ patches: rangeText(set, patches), when }));
    return `  ${JSON.stringify(flag)}: ${JSON.stringify(list)}`;
  });
  return [
    '{',
    `"$comment": "Generated by scripts/gen-cilium-chart-facts.mjs from the packaged Cilium charts; do not edit. Ranges are inclusive over the patches list.",`,
    `"patches": ${JSON.stringify(patches)},`,
    `"keys": {\n${keyLines.join(',\n')}\n},`,
    `"failRules": [\n${failLines.join(',\n')}\n],`,
    `"renders": {\n${renderLines.join(',\n')}\n}`,
    '}',
    '',
  ].join('\n');
}

function main() {
  const args = process.argv.slice(2);
  const check = args.includes('--check');
  const src = args.find((a) => !a.startsWith('--'));
  if (!src || !fs.existsSync(src)) {
    console.error('usage: gen-cilium-chart-facts.mjs <cilium-charts-dir> [--check]');
    process.exit(2);
  }
  const text = build(src);
  if (check) {
    const current = fs.existsSync(outFile) ? fs.readFileSync(outFile, 'utf8') : '';
    if (current !== text) {
      console.error('stale: schemas/cilium-values/chart-facts.json (run node scripts/gen-cilium-chart-facts.mjs <cilium-charts-dir>)');
      process.exit(1);
    }
    console.log('cilium chart facts up to date');
    return;
  }
  fs.writeFileSync(outFile, text);
  console.log(`wrote schemas/cilium-values/chart-facts.json (${text.length} bytes)`);
}

main();
