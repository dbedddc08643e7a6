#!/usr/bin/env node
// Generates schemas/cilium-values/<major.minor>.json: a compact catalog of the Cilium Helm
// chart's value keys (path, type, small default, enum, commented-out flag, free-form flag)
// for each chart directory found under the given upstream folder.
//
// Usage: node scripts/gen-cilium-values.mjs <upstream-cilium-dir> [--check] [--verbose]
//   <upstream-cilium-dir> holds <version>/chart/{Chart.yaml,values.yaml,values.schema.json?}.
//   --check regenerates in memory and exits 1 when a committed catalog differs.
//   --verbose lists commented lines that looked like keys but were rejected, and why.
//
// Invariants: only facts are emitted (key names, types, defaults, enums); no comment or
// description text from the chart ever reaches the output. The newest patch per minor wins.
// Enums come from our hand-written schemas/cilium-values/enums.json, not from the chart.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as yaml from 'js-yaml';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(repoRoot, 'schemas', 'cilium-values');

// Defaults whose JSON text is longer than this are left out of the catalog.
const MAX_DEFAULT_JSON = 120;

// Object keys that hold Kubernetes objects or user maps passed through to manifests as-is:
// their children are not checked (known children, if any, still get hover).
const FREE_FORM_NAMES = new Set([
  'annotations', 'labels', 'podAnnotations', 'podLabels', 'nodeSelector', 'affinity',
  'resources', 'initResources', 'securityContext', 'podSecurityContext', 'updateStrategy',
  'extraConfig', 'extraEnv', 'extraArgs', 'serviceAnnotations', 'tolerations',
  'topologySpreadConstraints', 'dnsConfig', 'extraLabels', 'extraAnnotations',
  'matchLabels', 'commonLabels', 'nodeAffinity', 'podAffinity', 'podAntiAffinity',
]);

function isFreeFormName(key) {
  return FREE_FORM_NAMES.has(key) || /Annotations$|Labels$|SecurityContext$|Selector$/.test(key);
}

// ---------- helpers ----------
function jsonType(value) {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  if (typeof value === 'string') return 'string';
  return 'object';
}

function isPlainObject(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function compareVersions(a, b) {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

const minorOf = (v) => v.split('.').slice(0, 2).join('.');

function normaliseSchemaType(t) {
  if (t === undefined) return undefined;
  const list = (Array.isArray(t) ? t : [t]).filter((x) => typeof x === 'string');
  if (list.length === 0) return undefined;
  const uniq = [...new Set(list)].sort();
  return uniq.length === 1 ? uniq[0] : uniq;
}

// helm-docs "(type)" hints in "# -- (int) ..." lines are facts about the key's type.
const HELM_DOCS_TYPES = { int: 'integer', string: 'string', bool: 'boolean', list: 'array', object: 'object', float: 'number' };

// ---------- values.yaml line scan ----------
// Commented-out keys that upstream writes at column 0 although they belong under a parent
// (facts about the chart's layout, checked by hand against the templates' value names).
const COMMENTED_RELOCATIONS = { config: ['ipMasqAgent', 'config'], tableSize: ['maglev', 'tableSize'], hashSeed: ['maglev', 'hashSeed'] };
// Commented lines that look like keys but are misplaced examples of Kubernetes fields.
const COMMENTED_IGNORED = new Set(['operator.runAsUser']);

// Walks the real (uncommented) YAML lines, tracking which key each indentation level
// belongs to. Calls onRealKey for each real key line and onOther for every other line.
function walkRealLines(lines, visit) {
  const stack = []; // {indent, path, kind: 'key'|'list'}
  let blockScalarIndent = -1;
  for (let lineNo = 0; lineNo < lines.length; lineNo++) {
    const line = lines[lineNo];
    if (line.trim() === '') { visit({ kind: 'blank', lineNo, stack }); continue; }
    const indent = line.length - line.trimStart().length;
    if (blockScalarIndent >= 0) {
      if (indent > blockScalarIndent) continue;
      blockScalarIndent = -1;
    }
    const trimmed = line.trimStart();
    if (trimmed.startsWith('#')) { visit({ kind: 'comment', lineNo, indent, trimmed, stack }); continue; }
    if (/^-( |$)/.test(trimmed)) {
      while (stack.length && stack[stack.length - 1].indent > indent) stack.pop();
      const top = stack[stack.length - 1];
      if (!(top && top.kind === 'list' && top.indent === indent)) {
        if (top && top.kind === 'key') visit({ kind: 'firstChild', parent: top.path, indent });
        stack.push({ indent, kind: 'list' });
      }
      if (/:\s*[|>][-+]?\d*\s*$/.test(trimmed)) blockScalarIndent = indent;
      visit({ kind: 'other', lineNo, stack });
      continue;
    }
    const km = /^("[^"]*"|'[^']*'|[^\s#:][^:#]*?):(\s+(.*))?$/.exec(trimmed);
    if (!km) { visit({ kind: 'other', lineNo, stack }); continue; }
    while (stack.length && stack[stack.length - 1].indent >= indent) stack.pop();
    const parent = stack[stack.length - 1];
    if (parent && parent.kind === 'list') { visit({ kind: 'other', lineNo, stack }); continue; }
    const key = km[1].replace(/^["']|["']$/g, '');
    const p = parent ? [...parent.path, key] : [key];
    visit({ kind: 'firstChild', parent: parent ? parent.path : [], indent });
    stack.push({ indent, path: p, kind: 'key' });
    const rest = (km[3] ?? '').replace(/\s+#.*$/, '').trim();
    visit({ kind: 'key', lineNo, path: p, indent, rest, stack });
    if (/^[|>][-+]?\d*$/.test(rest)) blockScalarIndent = indent;
  }
}

// Finds commented-out YAML keys in values.yaml and attaches them to the right parent, and
// collects helm-docs "(type)" hints for real keys.
function scanValuesText(text, realValues) {
  const lines = text.split(/\r?\n/);
  const childIndent = new Map(); // dotted parent path ('' = root) -> indent of its first real child
  walkRealLines(lines, (ev) => {
    if (ev.kind === 'firstChild') {
      const d = ev.parent.join('.');
      if (!childIndent.has(d)) childIndent.set(d, ev.indent);
    }
  });

  const commented = new Map(); // dotted path -> {path, value, hasValue}
  const typeHints = new Map();
  const commentedChildIndent = new Map();
  const rejected = [];
  let commentStack = []; // {indent, path, hasValue, dead?, list?}
  let inSchemaBlock = false;
  let pendingTypeHint;
  let exampleRun; // {indent}: comment lines right after `key: {}|[]|null` are examples of its content

  const valueAt = (p) => {
    let cur = realValues;
    for (const k of p) {
      if (!isPlainObject(cur) || !(k in cur)) return undefined;
      cur = cur[k];
    }
    return cur;
  };

  walkRealLines(lines, (ev) => {
    if (ev.kind === 'firstChild') return;
    if (ev.kind === 'blank') { exampleRun = undefined; return; }
    if (ev.kind === 'key') {
      commentStack = [];
      if (pendingTypeHint) typeHints.set(ev.path.join('.'), pendingTypeHint);
      pendingTypeHint = undefined;
      exampleRun = /^(\{\}|\[\]|null|~)$/.test(ev.rest) ? { indent: ev.indent } : undefined;
      return;
    }
    if (ev.kind === 'other') { commentStack = []; pendingTypeHint = undefined; exampleRun = undefined; return; }
    // A comment line.
    const { indent, trimmed, lineNo, stack } = ev;
    let content = trimmed.slice(1);
    if (/^@schema@?$/.test(content.trim())) { inSchemaBlock = !inSchemaBlock; return; }
    if (inSchemaBlock) return;
    if (/^ ?--( |$)/.test(content)) {
      exampleRun = undefined;
      const hint = /^ ?-- \((\w+)\)/.exec(content);
      if (hint && HELM_DOCS_TYPES[hint[1]]) pendingTypeHint = HELM_DOCS_TYPES[hint[1]];
      return;
    }
    if (content.startsWith(' ')) content = content.slice(1);
    const m = /^( *)([a-z][A-Za-z0-9_-]*):(?: +(.*))?$/.exec(content);
    if (!m) {
      // A commented list item: whatever follows at a deeper indentation belongs to it.
      const li = /^( *)- /.exec(content);
      if (li) {
        const e = indent + li[1].length;
        commentStack = commentStack.filter((c) => c.indent < e);
        commentStack.push({ indent: e, list: true });
      }
      return;
    }
    const effIndent = indent + m[1].length;
    if (exampleRun && effIndent >= exampleRun.indent) return;
    exampleRun = undefined;
    const key = m[2];
    const raw = (m[3] ?? '').trim();
    commentStack = commentStack.filter((c) => c.indent < effIndent);
    const top = commentStack[commentStack.length - 1];
    if (top && (top.list || top.dead)) return;
    let parentPath;
    if (top && !top.hasValue) {
      parentPath = top.path;
    } else {
      // Parent is the innermost real key shallower than this comment.
      const real = stack.filter((s) => s.indent < effIndent);
      const rtop = real[real.length - 1];
      if (rtop && rtop.kind === 'list') return;
      parentPath = rtop ? rtop.path : [];
      if (!rtop && effIndent === 0 && COMMENTED_RELOCATIONS[key] && valueAt([COMMENTED_RELOCATIONS[key][0]]) !== undefined) {
        parentPath = COMMENTED_RELOCATIONS[key].slice(0, -1);
      } else {
        const dottedParent = parentPath.join('.');
        const expected = childIndent.get(dottedParent);
        if (expected !== undefined && expected !== effIndent) {
          rejected.push(`${lineNo + 1}: indent ${effIndent} != ${expected} for ${[...parentPath, key].join('.')}`);
          return;
        }
        if (expected === undefined) {
          const seen = commentedChildIndent.get(dottedParent);
          if (seen !== undefined && seen !== effIndent) return;
          commentedChildIndent.set(dottedParent, effIndent);
        }
        const parentValue = parentPath.length ? valueAt(parentPath) : realValues;
        // Under an empty map ({}) or a list, commented lines are examples of free-form content.
        if (parentPath.length && parentValue !== null && !(isPlainObject(parentValue) && Object.keys(parentValue).length > 0)) return;
      }
    }
    let value;
    const hasValue = raw !== '';
    if (hasValue) {
      if (raw.includes('://')) return;
      try {
        value = yaml.load(raw);
      } catch {
        rejected.push(`${lineNo + 1}: unparsable ${key}: ${raw}`);
        return;
      }
      // Prose ("name: some words here") is not YAML we accept as a key.
      const quotedOrFlow = /^["'[{]/.test(raw);
      if (!quotedOrFlow && /\s/.test(raw.replace(/\s+#.*$/, ''))) { rejected.push(`${lineNo + 1}: prose ${key}: ${raw}`); return; }
      if (isPlainObject(value)) { rejected.push(`${lineNo + 1}: nested ${key}`); return; }
    }
    const p = [...parentPath, key];
    const dotted = p.join('.');
    // A commented copy of a real key is an example; what is nested under it is too.
    const dead = valueAt(p) !== undefined || COMMENTED_IGNORED.has(dotted);
    commentStack.push({ indent: effIndent, path: p, hasValue, dead });
    if (dead) return;
    if (!commented.has(dotted)) commented.set(dotted, { path: p, value: hasValue ? value : null, hasValue, line: lineNo + 1 });
  });

  for (const [dotted, entry] of commented) {
    entry.isParent = [...commented.keys()].some((k) => k.startsWith(dotted + '.'));
  }
  return { commented, typeHints, rejected };
}

// ---------- catalog building ----------
function schemaNodeAt(schema, p) {
  let cur = schema;
  for (const k of p) {
    if (!cur || !isPlainObject(cur.properties) || !(k in cur.properties)) return undefined;
    cur = cur.properties[k];
  }
  return cur;
}

function smallDefault(value) {
  if (value === undefined) return undefined;
  const text = JSON.stringify(value);
  if (text.length > MAX_DEFAULT_JSON) return undefined;
  return value;
}

function buildCatalog(dir) {
  const chart = yaml.load(fs.readFileSync(path.join(dir, 'Chart.yaml'), 'utf8'));
  const valuesText = fs.readFileSync(path.join(dir, 'values.yaml'), 'utf8');
  const values = yaml.load(valuesText) ?? {};
  const schemaPath = path.join(dir, 'values.schema.json');
  const schema = fs.existsSync(schemaPath) ? JSON.parse(fs.readFileSync(schemaPath, 'utf8')) : undefined;
  const { commented, typeHints, rejected } = scanValuesText(valuesText, values);

  const keys = {};
  const skippedDotted = [];
  const walk = (obj, prefix, underFreeForm) => {
    for (const [k, v] of Object.entries(obj)) {
      if (k.includes('.')) { if (!underFreeForm) skippedDotted.push([...prefix, k].join('.')); continue; }
      const p = [...prefix, k];
      const dotted = p.join('.');
      const node = schema ? schemaNodeAt(schema, p) : undefined;
      const entry = { type: undefined, typeSource: undefined };
      const st = node ? normaliseSchemaType(node.type) : undefined;
      if (st) { entry.type = st; entry.typeSource = 'schema'; }
      else if (typeHints.has(dotted) && !(v !== null && typeHints.get(dotted) !== jsonType(v) && jsonType(v) !== 'null' && !(typeHints.get(dotted) === 'number' && jsonType(v) === 'integer'))) {
        entry.type = typeHints.get(dotted);
        entry.typeSource = 'hint';
        if (v === null) entry.type = ['null', entry.type].sort();
      } else if (v === null) { entry.type = 'any'; entry.typeSource = 'default'; }
      else { entry.type = jsonType(v); entry.typeSource = 'default'; }
      const isObj = isPlainObject(v);
      const emptyObj = isObj && Object.keys(v).length === 0;
      const schemaOpenObject = node && node.type === 'object' && !node.properties;
      const freeForm = underFreeForm || emptyObj || (isObj && schemaOpenObject) || (isObj && isFreeFormName(k));
      if (!isObj || emptyObj) entry.default = smallDefault(v);
      if (isObj && freeForm) entry.default = smallDefault(v);
      if (isObj && freeForm && !underFreeForm) entry.mapOfAny = true;
      if (!isObj && v !== null) entry.leaf = true;
      if (isObj && freeForm && underFreeForm) entry.underFreeForm = true;
      keys[dotted] = entry;
      if (isObj && !emptyObj) walk(v, p, freeForm);
    }
  };
  walk(values, [], false);

  for (const [dotted, c] of commented) {
    const parentDotted = c.path.slice(0, -1).join('.');
    // The scan already drops examples under empty maps; keys nested two levels into a
    // free-form map are not catalogued.
    if (parentDotted && keys[parentDotted] && keys[parentDotted].underFreeForm) continue;
    if (parentDotted && !keys[parentDotted] && !commented.has(parentDotted)) continue;
    const entry = { commented: true };
    const node = schema ? schemaNodeAt(schema, c.path) : undefined;
    const st = node ? normaliseSchemaType(node.type) : undefined;
    if (st) { entry.type = st; entry.typeSource = 'schema'; }
    else if (c.isParent) { entry.type = 'object'; entry.typeSource = 'default'; }
    else if (!c.hasValue || c.value === null) { entry.type = 'any'; entry.typeSource = 'default'; }
    else { entry.type = jsonType(c.value); entry.typeSource = 'default'; entry.default = smallDefault(c.value); entry.leaf = true; }
    keys[dotted] = entry;
  }
  return { chartVersion: String(chart.version), keys, rejected, skippedDotted, commentedCount: commented.size };
}

// Types of keys in charts without a schema (or commented keys) are borrowed from the
// nearest chart whose schema types the same path; a key's type rarely changes.
function borrowTypes(catalogs) {
  const minors = Object.keys(catalogs).sort(compareVersions);
  for (const m of minors) {
    for (const [dotted, entry] of Object.entries(catalogs[m].keys)) {
      if (entry.typeSource === 'schema') continue;
      const others = minors.filter((o) => o !== m).sort((a, b) => {
        const da = Math.abs(minors.indexOf(a) - minors.indexOf(m));
        const db = Math.abs(minors.indexOf(b) - minors.indexOf(m));
        return da - db || compareVersions(b, a);
      });
      for (const o of others) {
        const other = catalogs[o].keys[dotted];
        if (other && other.typeSource === 'schema') {
          entry.type = other.type;
          entry.typeSource = 'schema-' + o;
          break;
        }
      }
    }
  }
}

function applyEnums(catalogs, enums) {
  for (const [dotted, ranges] of Object.entries(enums.enums)) {
    for (const [m, cat] of Object.entries(catalogs)) {
      const r = ranges.find((x) => compareVersions(m, x.from) >= 0 && (!x.to || compareVersions(m, x.to) <= 0));
      if (r && cat.keys[dotted]) {
        cat.keys[dotted].enum = r.values;
        if (r.deprecatedValues) cat.keys[dotted].deprecatedValues = r.deprecatedValues;
      }
    }
  }
}

// Stable, diff-friendly serialisation: one key per line.
function serialise(cat) {
  const order = ['type', 'default', 'enum', 'deprecatedValues', 'commented', 'leaf', 'mapOfAny', 'underFreeForm', 'typeSource'];
  const lines = Object.keys(cat.keys).sort().map((k) => {
    const e = cat.keys[k];
    const o = {};
    for (const f of order) if (e[f] !== undefined) o[f] = e[f];
    return `  ${JSON.stringify(k)}: ${JSON.stringify(o)}`;
  });
  return `{"chartVersion": ${JSON.stringify(cat.chartVersion)}, "keys": {\n${lines.join(',\n')}\n}}\n`;
}

function main() {
  const args = process.argv.slice(2);
  const check = args.includes('--check');
  const verbose = args.includes('--verbose');
  const src = args.find((a) => !a.startsWith('--'));
  if (!src) {
    console.error('usage: gen-cilium-values.mjs <upstream-cilium-dir> [--check] [--verbose]');
    process.exit(2);
  }
  const versions = fs.readdirSync(src)
    .filter((v) => /^\d+\.\d+\.\d+$/.test(v) && fs.existsSync(path.join(src, v, 'chart', 'values.yaml')))
    .sort(compareVersions);
  const newestPerMinor = new Map();
  for (const v of versions) newestPerMinor.set(minorOf(v), v);
  const catalogs = {};
  for (const [m, v] of newestPerMinor) {
    const cat = buildCatalog(path.join(src, v, 'chart'));
    catalogs[m] = cat;
    if (verbose) {
      console.error(`${v}: ${Object.keys(cat.keys).length} keys, ${cat.commentedCount} commented candidates`);
      for (const r of cat.rejected) console.error(`  rejected ${r}`);
      for (const d of cat.skippedDotted) console.error(`  dotted key skipped ${d}`);
    }
  }
  borrowTypes(catalogs);
  const enums = JSON.parse(fs.readFileSync(path.join(outDir, 'enums.json'), 'utf8'));
  applyEnums(catalogs, enums);

  let stale = 0;
  for (const [m, cat] of Object.entries(catalogs)) {
    const file = path.join(outDir, `${m}.json`);
    const text = serialise(cat);
    if (check) {
      const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
      if (current !== text) { console.error(`stale: schemas/cilium-values/${m}.json`); stale++; }
    } else {
      fs.writeFileSync(file, text);
      console.log(`wrote schemas/cilium-values/${m}.json (chart ${cat.chartVersion}, ${Object.keys(cat.keys).length} keys)`);
    }
  }
  if (check) {
    if (stale) process.exit(1);
    console.log(`cilium value catalogs up to date (${Object.keys(catalogs).length} minors)`);
  }
}

main();
