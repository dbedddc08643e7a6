#!/usr/bin/env node
// Generates the per-resource JSON Schemas in schemas/resources/ from upstream CRDs.
//
// Usage: node scripts/gen-resource-schemas.mjs <path-to-shared-upstream> [--check] [--out <dir>]
//
// Inputs (all relative to the upstream directory given on the command line):
//   cilium/<version>/crds/*.yaml                        CNP and CCNP CRDs, one folder per Cilium release
//   istio/by-version/<version>/authorizationpolicy-crd.yaml and istio/authorizationpolicy-crd.yaml
//   flux/flux-v<version>/<controller>/*.yaml            Flux controller CRDs, one folder per Flux release
//
// Outputs: one draft-07 schema per served (apiVersion, kind) for the whole document, index.json and
// descriptions.json. Only facts are carried over (field names, types, enums, patterns, bounds,
// defaults, CEL rule text and its short message); every description in the CRDs is dropped and
// descriptions.json holds our own hover texts, written below.
//
// Invariants:
//   - Output is deterministic: object keys are sorted, arrays keep their meaning-bearing order.
//   - Cilium and Istio schemas are the union over every release found: a field known to any release
//     is accepted and, when not known to every release, carries "x-meshlens-versions" {since, until}
//     (minor versions; a bound is left out when it is open at our oldest/newest known release).
//     Value constraints are merged permissively (a value valid in any release passes); exclusivity
//     rules (oneOf/anyOf of `required` branches) are kept as the union of their branches.
//   - --check regenerates in memory and exits 1 when anything on disk differs (or is missing/stale).

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadAll } from 'js-yaml';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// ---------------------------------------------------------------------------------------------
// Command line

function parseArgs(argv) {
  const options = { upstream: undefined, check: false, out: path.join(repoRoot, 'schemas', 'resources') };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--check') options.check = true;
    else if (arg === '--out') options.out = path.resolve(argv[++i]);
    else if (arg.startsWith('-')) fail(`unknown option ${arg}`);
    else if (!options.upstream) options.upstream = path.resolve(arg);
    else fail(`unexpected argument ${arg}`);
  }
  if (!options.upstream) fail('usage: gen-resource-schemas.mjs <path-to-shared-upstream> [--check] [--out <dir>]');
  return options;
}

function fail(message) {
  console.error(`gen-resource-schemas: ${message}`);
  process.exit(2);
}

// ---------------------------------------------------------------------------------------------
// Version helpers

function compareVersions(a, b) {
  const pa = a.split(/[.-]/).map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  const pb = b.split(/[.-]/).map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? 0;
    const y = pb[i] ?? 0;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    return String(x) < String(y) ? -1 : 1;
  }
  return 0;
}

const minorOf = (version) => version.split('.').slice(0, 2).join('.');

// ---------------------------------------------------------------------------------------------
// Reading CRDs

function readYamlDocuments(file) {
  return loadAll(fs.readFileSync(file, 'utf8')).filter((doc) => doc && typeof doc === 'object');
}

function readCrds(file) {
  return readYamlDocuments(file).filter((doc) => doc.kind === 'CustomResourceDefinition');
}

function listDirectories(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

function listYamlFilesRecursively(dir) {
  const files = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) files.push(...listYamlFilesRecursively(full));
    else if (/\.ya?ml$/.test(entry.name)) files.push(full);
  }
  return files.sort();
}

/** Served versions of one CRD as { name, schema, deprecated }. */
function servedVersions(crd) {
  return (crd.spec?.versions ?? [])
    .filter((version) => version.served !== false && version.schema?.openAPIV3Schema)
    .map((version) => ({ name: version.name, schema: version.schema.openAPIV3Schema, deprecated: version.deprecated === true }));
}

// ---------------------------------------------------------------------------------------------
// Conversion of one openAPIV3Schema node into a draft-07 node (ajv 8, strict: false)

const COPIED_KEYWORDS = [
  'enum',
  'pattern',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minLength',
  'maxLength',
  'minItems',
  'maxItems',
  'minProperties',
  'maxProperties',
  'default',
  'required',
];

const CRD_COMBINATORS = ['oneOf', 'anyOf', 'allOf'];

// Kubernetes patterns are RE2; the only construct in our inputs that a JavaScript `u` regex rejects is
// the one-letter Unicode class without braces (`\pC`, `\PL`), which we rewrite to `\p{C}`.
function toJavaScriptPattern(pattern) {
  return pattern.replace(/(^|[^\\])((?:\\\\)*)\\([pP])([A-Za-z])/g, '$1$2\\$3{$4}');
}

function isPlainObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function convertSchema(node) {
  if (!isPlainObject(node)) return {};
  const out = {};
  const intOrString = node['x-kubernetes-int-or-string'] === true;

  if (intOrString) {
    // `pattern`/`maxLength` only ever apply to the string side and `minimum`/`maximum` only to the
    // integer side in JSON Schema, so a plain type list is exact; the CRD's own anyOf is redundant.
    out.type = ['integer', 'string'];
  } else if (node.type !== undefined) {
    out.type = node.type;
  }
  if (node.nullable === true && out.type !== undefined) {
    out.type = [...new Set([...(Array.isArray(out.type) ? out.type : [out.type]), 'null'])];
  }

  for (const keyword of COPIED_KEYWORDS) {
    if (node[keyword] !== undefined) out[keyword] = structuredClone(node[keyword]);
  }
  if (typeof out.pattern === 'string') out.pattern = toJavaScriptPattern(out.pattern);
  if (node.nullable === true && Array.isArray(out.enum) && !out.enum.includes(null)) out.enum.push(null);
  if (node.format !== undefined) out['x-format'] = node.format;

  if (isPlainObject(node.properties)) {
    out.properties = {};
    for (const [name, child] of Object.entries(node.properties)) out.properties[name] = convertSchema(child);
  }
  if (isPlainObject(node.items)) out.items = convertSchema(node.items);
  if (isPlainObject(node.additionalProperties)) out.additionalProperties = convertSchema(node.additionalProperties);

  for (const combinator of CRD_COMBINATORS) {
    if (intOrString && combinator === 'anyOf') continue;
    if (Array.isArray(node[combinator])) out[combinator] = node[combinator].map(convertBranch);
  }
  if (isPlainObject(node.not)) out.not = convertBranch(node.not);

  if (node['x-kubernetes-preserve-unknown-fields'] === true) out['x-kubernetes-preserve-unknown-fields'] = true;
  if (node['x-kubernetes-embedded-resource'] === true) out['x-kubernetes-embedded-resource'] = true;
  // A `set` list is rejected by the API server when it holds duplicates; ajv can check that.
  if (node['x-kubernetes-list-type'] === 'set') out.uniqueItems = true;
  if (node['x-kubernetes-list-type'] === 'map' && Array.isArray(node['x-kubernetes-list-map-keys'])) {
    out['x-list-map-keys'] = [...node['x-kubernetes-list-map-keys']];
  }
  if (Array.isArray(node['x-kubernetes-validations'])) {
    out['x-cel'] = node['x-kubernetes-validations']
      .filter((validation) => typeof validation?.rule === 'string')
      .map((validation) => {
        const entry = { rule: validation.rule };
        if (typeof validation.message === 'string') entry.message = validation.message;
        return entry;
      });
  }

  closeObjectSchema(out);
  return out;
}

// Branches of CRD combinators name properties only to say "this one is required"; the empty
// property schemas add nothing, so they are dropped to keep branches to their `required` list.
function convertBranch(branch) {
  const converted = convertSchema(branch);
  if (converted.type === undefined && isPlainObject(converted.properties)) {
    const allEmpty = Object.values(converted.properties).every((child) => Object.keys(child).length === 0);
    if (allEmpty) delete converted.properties;
  }
  return converted;
}

/** An object with declared properties rejects unknown keys unless it preserves unknown fields. */
function closeObjectSchema(schema) {
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  if (
    types.includes('object') &&
    isPlainObject(schema.properties) &&
    schema['x-kubernetes-preserve-unknown-fields'] !== true &&
    schema.additionalProperties === undefined
  ) {
    schema.additionalProperties = false;
  }
}

// ---------------------------------------------------------------------------------------------
// Union of one schema node over several releases

const LOOSEST_MAXIMUM = ['maximum', 'exclusiveMaximum', 'maxLength', 'maxItems', 'maxProperties'];
const LOOSEST_MINIMUM = ['minimum', 'exclusiveMinimum', 'minLength', 'minItems', 'minProperties'];

/** An array limited to zero items cannot be used; we count it as absent in that release. */
function isUnusable(schema) {
  return schema.maxItems === 0;
}

/**
 * Merges variants ({ release, schema }, oldest first) of the same node.
 * `releases` is the ordered list of every known release (minor versions) of the product.
 */
function mergeVariants(variants, releases) {
  if (variants.length === 1) return structuredClone(variants[0].schema);
  const schemas = variants.map((variant) => variant.schema);
  const newest = schemas[schemas.length - 1];
  const merged = {};

  const typeSets = schemas.map((schema) => schema.type);
  if (typeSets.every((type) => type !== undefined)) {
    const union = [...new Set(typeSets.flatMap((type) => (Array.isArray(type) ? type : [type])))];
    merged.type = union.length === 1 ? union[0] : union;
  }

  if (schemas.every((schema) => Array.isArray(schema.enum))) {
    const values = [];
    for (const schema of [...schemas].reverse()) for (const value of schema.enum) if (!values.includes(value)) values.push(value);
    merged.enum = values;
    const enumVersions = {};
    for (const value of values) {
      const present = variants.filter((variant) => variant.schema.enum.includes(value)).map((variant) => variant.release);
      if (present.length !== variants.length) enumVersions[String(value)] = versionRange(present, releases);
    }
    if (Object.keys(enumVersions).length > 0) merged['x-meshlens-enum-versions'] = enumVersions;
  }

  if (schemas.every((schema) => typeof schema.pattern === 'string')) {
    const patterns = [...new Set(schemas.map((schema) => schema.pattern))];
    // Each alternative keeps its own anchors, so the alternation matches exactly the union.
    merged.pattern = patterns.length === 1 ? patterns[0] : patterns.map((pattern) => `(?:${pattern})`).join('|');
  }

  for (const keyword of LOOSEST_MAXIMUM) {
    if (schemas.every((schema) => typeof schema[keyword] === 'number')) merged[keyword] = Math.max(...schemas.map((s) => s[keyword]));
  }
  for (const keyword of LOOSEST_MINIMUM) {
    if (schemas.every((schema) => typeof schema[keyword] === 'number')) merged[keyword] = Math.min(...schemas.map((s) => s[keyword]));
  }
  if (schemas.every((schema) => schema.uniqueItems === true)) merged.uniqueItems = true;
  const newestFormat = [...schemas].reverse().find((schema) => schema['x-format'] !== undefined)?.['x-format'];
  if (newestFormat !== undefined) merged['x-format'] = newestFormat; // annotation only, never validated
  for (const keyword of ['default', 'x-list-map-keys']) {
    const values = schemas.map((schema) => JSON.stringify(schema[keyword]));
    if (schemas.every((schema) => schema[keyword] !== undefined) && new Set(values).size === 1) merged[keyword] = structuredClone(newest[keyword]);
    else if (keyword === 'default' && newest.default !== undefined) merged.default = structuredClone(newest.default);
  }

  if (schemas.every((schema) => Array.isArray(schema.required))) {
    const required = newest.required.filter((name) => schemas.every((schema) => schema.required.includes(name)));
    if (required.length > 0) merged.required = required;
  }

  for (const combinator of CRD_COMBINATORS) {
    const branches = [];
    const seen = new Set();
    for (const schema of [...schemas].reverse()) {
      for (const branch of schema[combinator] ?? []) {
        const key = JSON.stringify(canonicalize(branch));
        if (!seen.has(key)) {
          seen.add(key);
          branches.push(structuredClone(branch));
        }
      }
    }
    if (branches.length > 0) merged[combinator] = branches;
  }
  if (newest.not !== undefined) merged.not = structuredClone(newest.not);

  // Releases reformat the same CEL rule (spaces, quote style); such rules count as one and keep the
  // newest text.
  const celSeen = new Map();
  for (const variant of [...variants].reverse()) {
    for (const entry of variant.schema['x-cel'] ?? []) {
      const key = JSON.stringify([entry.rule.replace(/\s+/g, '').replace(/"/g, "'"), entry.message ?? '']);
      if (!celSeen.has(key)) celSeen.set(key, { copy: structuredClone(entry), releases: [] });
      celSeen.get(key).releases.push(variant.release);
    }
  }
  const celEntries = [];
  for (const { copy, releases: present } of celSeen.values()) {
    if (present.length !== variants.length) Object.assign(copy, versionRange(present, releases));
    celEntries.push(copy);
  }
  if (celEntries.length > 0) merged['x-cel'] = celEntries;

  if (schemas.some((schema) => schema['x-kubernetes-preserve-unknown-fields'] === true)) merged['x-kubernetes-preserve-unknown-fields'] = true;
  if (schemas.some((schema) => schema['x-kubernetes-embedded-resource'] === true)) merged['x-kubernetes-embedded-resource'] = true;

  const itemVariants = variants.filter((variant) => isPlainObject(variant.schema.items)).map((variant) => ({ release: variant.release, schema: variant.schema.items }));
  if (itemVariants.length > 0) merged.items = mergeVariants(itemVariants, releases);

  const additionalVariants = variants
    .filter((variant) => isPlainObject(variant.schema.additionalProperties))
    .map((variant) => ({ release: variant.release, schema: variant.schema.additionalProperties }));
  if (additionalVariants.length > 0) merged.additionalProperties = mergeVariants(additionalVariants, releases);

  const propertyNames = new Set(variants.flatMap((variant) => Object.keys(variant.schema.properties ?? {})));
  if (propertyNames.size > 0) {
    merged.properties = mergeProperties(variants, [...propertyNames], releases);
  }
  closeObjectSchema(merged);
  return merged;
}

function mergeProperties(parentVariants, names, releases) {
  const properties = {};
  const parentReleases = parentVariants.map((variant) => variant.release);
  for (const name of names.sort()) {
    const childVariants = parentVariants
      .filter((variant) => isPlainObject(variant.schema.properties?.[name]) && !isUnusable(variant.schema.properties[name]))
      .map((variant) => ({ release: variant.release, schema: variant.schema.properties[name] }));
    if (childVariants.length === 0) {
      // Known only in a form that cannot be used (e.g. maxItems: 0): keep the newest shape as is.
      const last = [...parentVariants].reverse().find((variant) => isPlainObject(variant.schema.properties?.[name]));
      properties[name] = structuredClone(last.schema.properties[name]);
      continue;
    }
    const child = mergeVariants(childVariants, releases);
    const childReleases = childVariants.map((variant) => variant.release);
    if (childReleases.length !== parentReleases.length) {
      const range = versionRange(childReleases, releases);
      const parentRange = versionRange(parentReleases, releases);
      if (range.since !== parentRange.since || range.until !== parentRange.until) child['x-meshlens-versions'] = range;
      const firstIndex = parentReleases.indexOf(childReleases[0]);
      const contiguous = childReleases.every((release, i) => parentReleases[firstIndex + i] === release);
      if (!contiguous) console.error(`gen-resource-schemas: warning: ${name} has a gap in releases ${childReleases.join(',')}`);
    }
    properties[name] = child;
  }
  return properties;
}

/** { since?, until? } for a contiguous run of releases; open bounds are left out. */
function versionRange(present, releases) {
  const sorted = [...present].sort(compareVersions);
  const range = {};
  if (sorted[0] !== releases[0]) range.since = sorted[0];
  if (sorted[sorted.length - 1] !== releases[releases.length - 1]) range.until = sorted[sorted.length - 1];
  return range;
}

// ---------------------------------------------------------------------------------------------
// Whole-document schemas

function objectMetaSchema({ nameRequired = false } = {}) {
  const stringMap = { type: 'object', additionalProperties: { type: 'string' } };
  const schema = {
    type: 'object',
    additionalProperties: false,
    properties: {
      name: { type: 'string' },
      generateName: { type: 'string' },
      namespace: { type: 'string' },
      labels: stringMap,
      annotations: stringMap,
      finalizers: { type: 'array', items: { type: 'string' } },
      ownerReferences: {
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['apiVersion', 'kind', 'name', 'uid'],
          properties: {
            apiVersion: { type: 'string' },
            kind: { type: 'string' },
            name: { type: 'string' },
            uid: { type: 'string' },
            controller: { type: 'boolean' },
            blockOwnerDeletion: { type: 'boolean' },
          },
        },
      },
      uid: { type: 'string' },
      resourceVersion: { type: 'string' },
      selfLink: { type: 'string' },
      generation: { type: 'integer' },
      creationTimestamp: { type: ['string', 'null'] },
      deletionTimestamp: { type: ['string', 'null'] },
      deletionGracePeriodSeconds: { type: 'integer' },
      managedFields: { type: 'array' },
    },
  };
  if (nameRequired) schema.required = ['name'];
  return structuredClone(schema);
}

/** Wraps a converted CRD root into the whole-document schema for one apiVersion and kind. */
function documentSchema({ group, version, kind, root, extra = {} }) {
  const apiVersion = `${group}/${version}`;
  const properties = {};
  for (const [name, child] of Object.entries(root.properties ?? {})) {
    if (name === 'status' || name === 'apiVersion' || name === 'kind' || name === 'metadata') continue;
    properties[name] = child;
  }
  const schema = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    type: 'object',
    required: ['apiVersion', 'kind'],
    additionalProperties: false,
    properties: {
      apiVersion: { type: 'string', const: apiVersion },
      kind: { type: 'string', const: kind },
      metadata: objectMetaSchema(),
      ...properties,
    },
    ...extra,
  };
  for (const keyword of ['required', 'oneOf', 'anyOf', 'allOf', 'x-cel']) {
    if (keyword === 'required' && Array.isArray(root.required)) {
      schema.required = [...new Set([...schema.required, ...root.required.filter((name) => name !== 'status' && name !== 'metadata')])];
    } else if (keyword !== 'required' && root[keyword] !== undefined) {
      schema[keyword] = root[keyword];
    }
  }
  return { apiVersion, kind, schema };
}

const fileNameFor = (apiVersion, kind) => `${apiVersion.replace('/', '_')}_${kind.toLowerCase()}.json`;

/** When `spec` and `specs[]` are the same rule schema, keep one copy under definitions.rule. */
function shareRuleDefinition(schema) {
  const spec = schema.properties.spec;
  const specsItems = schema.properties.specs?.items;
  if (!spec || !specsItems) return schema;
  if (JSON.stringify(canonicalize(spec)) !== JSON.stringify(canonicalize(specsItems))) {
    console.error('gen-resource-schemas: warning: spec and specs[] differ; keeping both inline');
    return schema;
  }
  schema.definitions = { rule: spec };
  schema.properties.spec = { $ref: '#/definitions/rule' };
  schema.properties.specs = { ...schema.properties.specs, items: { $ref: '#/definitions/rule' } };
  return schema;
}

const SHARED_SUBSCHEMA_MIN_CHARS = 400;

/**
 * Moves repeated large subschemas (label selectors, port blocks, ...) into `definitions` and points
 * every occurrence at them with a local $ref. This keeps the files small and lets ajv (with
 * inlineRefs: false) compile each shared block once. Definition names come from the property
 * where the block is first seen, so they stay stable between runs.
 */
function shareRepeatedSubschemas(schema) {
  schema.definitions ??= {};
  for (let round = 0; round < 200; round++) {
    const occurrences = new Map();
    const visit = (node, name) => {
      if (!isPlainObject(node)) return;
      const key = JSON.stringify(canonicalize(node));
      if (name !== undefined && key.length >= SHARED_SUBSCHEMA_MIN_CHARS) {
        const entry = occurrences.get(key) ?? { count: 0, name };
        entry.count++;
        occurrences.set(key, entry);
      }
      for (const [childName, child] of Object.entries(node.properties ?? {})) visit(child, childName);
      if (isPlainObject(node.items)) visit(node.items, `${name ?? 'item'}Item`);
      if (isPlainObject(node.additionalProperties)) visit(node.additionalProperties, `${name ?? 'value'}Value`);
    };
    visit(schema, undefined);
    for (const body of Object.values(schema.definitions)) visit(body, undefined);
    const best = [...occurrences].filter(([, entry]) => entry.count >= 2).sort((a, b) => b[0].length - a[0].length || (a[0] < b[0] ? -1 : 1))[0];
    if (!best) break;
    const [key, { name }] = best;
    let definitionName = name;
    for (let suffix = 2; schema.definitions[definitionName] !== undefined; suffix++) definitionName = `${name}${suffix}`;
    const ref = { $ref: `#/definitions/${definitionName}` };
    const replace = (node) => {
      if (!isPlainObject(node)) return;
      for (const [childName, child] of Object.entries(node.properties ?? {})) {
        if (JSON.stringify(canonicalize(child)) === key) node.properties[childName] = { ...ref };
        else replace(child);
      }
      for (const slot of ['items', 'additionalProperties']) {
        if (!isPlainObject(node[slot])) continue;
        if (JSON.stringify(canonicalize(node[slot])) === key) node[slot] = { ...ref };
        else replace(node[slot]);
      }
    };
    const body = JSON.parse(key);
    replace(schema);
    for (const definition of Object.values(schema.definitions)) replace(definition);
    schema.definitions[definitionName] = body;
  }
  if (Object.keys(schema.definitions).length === 0) delete schema.definitions;
  return schema;
}

// ---------------------------------------------------------------------------------------------
// Products

function buildCilium(upstream) {
  const base = path.join(upstream, 'cilium');
  const releases = listDirectories(base)
    .filter((dir) => fs.existsSync(path.join(base, dir, 'crds')))
    .sort(compareVersions);
  if (releases.length === 0) fail(`no Cilium CRDs under ${base}`);
  const minors = releases.map(minorOf);
  const kinds = ['CiliumNetworkPolicy', 'CiliumClusterwideNetworkPolicy'];
  const documents = [];
  for (const kind of kinds) {
    const variantsByVersion = new Map();
    releases.forEach((release, index) => {
      const crdDir = path.join(base, release, 'crds');
      for (const file of listYamlFilesRecursively(crdDir)) {
        for (const crd of readCrds(file)) {
          if (crd.spec?.names?.kind !== kind) continue;
          for (const served of servedVersions(crd)) {
            if (!variantsByVersion.has(served.name)) variantsByVersion.set(served.name, []);
            variantsByVersion.get(served.name).push({ release: minors[index], schema: convertSchema(served.schema), group: crd.spec.group });
          }
        }
      }
    });
    for (const [version, variants] of [...variantsByVersion].sort()) {
      const root = mergeVariants(variants, minors);
      const known = variants.map((variant) => variant.release);
      const doc = documentSchema({ group: variants[0].group, version, kind, root, extra: { 'x-meshlens-known-versions': known } });
      shareRuleDefinition(doc.schema);
      documents.push(doc);
    }
  }
  return { documents, summary: `cilium ${releases[0]}..${releases[releases.length - 1]} CNP/CCNP CRDs` };
}

function istioReleaseOf(file) {
  const header = fs.readFileSync(file, 'utf8').split('\n', 5).join('\n');
  const match = /\(tag ([0-9][0-9A-Za-z.+-]*)\)/.exec(header);
  return match ? match[1] : undefined;
}

function buildIstio(upstream) {
  const base = path.join(upstream, 'istio');
  const inputs = [];
  for (const dir of listDirectories(path.join(base, 'by-version'))) {
    const file = path.join(base, 'by-version', dir, 'authorizationpolicy-crd.yaml');
    if (fs.existsSync(file)) inputs.push({ release: dir, file });
  }
  const latestFile = path.join(base, 'authorizationpolicy-crd.yaml');
  if (fs.existsSync(latestFile)) {
    const release = istioReleaseOf(latestFile);
    if (!release) fail(`cannot read the Istio release from the header of ${latestFile}`);
    if (!inputs.some((input) => input.release === release)) inputs.push({ release, file: latestFile });
  }
  if (inputs.length === 0) fail(`no Istio AuthorizationPolicy CRDs under ${base}`);
  inputs.sort((a, b) => compareVersions(a.release, b.release));
  const minors = inputs.map((input) => minorOf(input.release));
  const variantsByVersion = new Map();
  let group;
  inputs.forEach((input, index) => {
    for (const crd of readCrds(input.file)) {
      if (crd.spec?.names?.kind !== 'AuthorizationPolicy') continue;
      group = crd.spec.group;
      for (const served of servedVersions(crd)) {
        if (!variantsByVersion.has(served.name)) variantsByVersion.set(served.name, []);
        variantsByVersion.get(served.name).push({ release: minors[index], schema: convertSchema(served.schema) });
      }
    }
  });
  const documents = [];
  for (const [version, variants] of [...variantsByVersion].sort()) {
    const root = mergeVariants(variants, minors);
    const known = variants.map((variant) => variant.release);
    documents.push(documentSchema({ group, version, kind: 'AuthorizationPolicy', root, extra: { 'x-meshlens-known-versions': known } }));
  }
  return { documents, summary: `istio ${inputs[0].release}..${inputs[inputs.length - 1].release} AuthorizationPolicy CRDs` };
}

const FLUX_KINDS = {
  'helm.toolkit.fluxcd.io': ['HelmRelease'],
  'source.toolkit.fluxcd.io': ['HelmRepository', 'OCIRepository', 'GitRepository', 'HelmChart', 'Bucket'],
  'kustomize.toolkit.fluxcd.io': ['Kustomization'],
};

// Facts: the Flux release that stopped serving each beta API (helm-controller v1.4 / v1.5 and the
// matching source and kustomize controllers). Our inputs only show that 2.6.4 serves them and
// 2.9.4 does not.
const FLUX_REMOVALS = {
  'helm.toolkit.fluxcd.io/v2beta1': { removedIn: '2.7', replacement: 'helm.toolkit.fluxcd.io/v2' },
  'helm.toolkit.fluxcd.io/v2beta2': { removedIn: '2.8', replacement: 'helm.toolkit.fluxcd.io/v2' },
  'source.toolkit.fluxcd.io/v1beta1': { removedIn: '2.7', replacement: 'source.toolkit.fluxcd.io/v1' },
  'source.toolkit.fluxcd.io/v1beta2': { removedIn: '2.8', replacement: 'source.toolkit.fluxcd.io/v1' },
  'kustomize.toolkit.fluxcd.io/v1beta1': { removedIn: '2.7', replacement: 'kustomize.toolkit.fluxcd.io/v1' },
  'kustomize.toolkit.fluxcd.io/v1beta2': { removedIn: '2.8', replacement: 'kustomize.toolkit.fluxcd.io/v1' },
};

function buildFlux(upstream) {
  const base = path.join(upstream, 'flux');
  const releases = listDirectories(base)
    .filter((dir) => /^flux-v\d/.test(dir))
    .map((dir) => ({ dir, release: dir.replace(/^flux-v/, '') }))
    .sort((a, b) => compareVersions(b.release, a.release)); // newest first
  if (releases.length === 0) fail(`no Flux CRDs under ${base}`);
  const newest = releases[0].release;
  const taken = new Map(); // "apiVersion kind" -> document
  for (const { dir, release } of releases) {
    for (const file of listYamlFilesRecursively(path.join(base, dir))) {
      for (const crd of readCrds(file)) {
        const group = crd.spec?.group;
        const kind = crd.spec?.names?.kind;
        if (!FLUX_KINDS[group]?.includes(kind)) continue;
        for (const served of servedVersions(crd)) {
          const key = `${group}/${served.name} ${kind}`;
          if (taken.has(key)) continue; // a newer Flux release already provided this version
          const doc = documentSchema({ group, version: served.name, kind, root: convertSchema(served.schema), extra: { 'x-meshlens-source': `flux v${release}` } });
          if (release !== newest || served.deprecated) {
            const removal = FLUX_REMOVALS[doc.apiVersion];
            doc.deprecated = removal
              ? `removed in Flux ${removal.removedIn}; use ${removal.replacement}`
              : `deprecated; not served by Flux ${newest}`;
            doc.schema['x-meshlens-deprecated'] = doc.deprecated;
          }
          taken.set(key, doc);
        }
      }
    }
  }
  for (const [group, kinds] of Object.entries(FLUX_KINDS)) {
    for (const kind of kinds) {
      if (![...taken.values()].some((doc) => doc.kind === kind && doc.apiVersion.startsWith(`${group}/`))) fail(`Flux kind ${group} ${kind} not found`);
    }
  }
  const summary = `flux ${releases.map((r) => `v${r.release}`).reverse().join(' + ')} CRDs`;
  return { documents: [...taken.values()], summary };
}

function buildNodeProfile() {
  const schema = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    type: 'object',
    required: ['apiVersion', 'kind', 'metadata', 'spec'],
    additionalProperties: false,
    properties: {
      apiVersion: { type: 'string', const: 'meshlens.dev/v1alpha1' },
      kind: { type: 'string', const: 'NodeProfile' },
      metadata: objectMetaSchema({ nameRequired: true }),
      spec: {
        type: 'object',
        required: ['kernel'],
        additionalProperties: false,
        properties: {
          kernel: { type: 'string', minLength: 1, pattern: '^[0-9]+\\.[0-9]+' },
          arch: { type: 'string', enum: ['amd64', 'arm64'] },
          distro: { type: 'string' },
          kernelConfig: {
            type: 'object',
            propertyNames: { pattern: '^CONFIG_[A-Z0-9_]+$' },
            additionalProperties: { type: 'string', enum: ['y', 'm', 'n'] },
          },
          bpftoolProbe: { type: 'string', minLength: 1 },
          nodeSelector: { type: 'object', additionalProperties: { type: 'string' } },
          description: { type: 'string' },
        },
      },
    },
  };
  return { apiVersion: 'meshlens.dev/v1alpha1', kind: 'NodeProfile', schema };
}

const LABEL_MAP = { type: 'object', additionalProperties: { type: 'string' } };

function buildWorkloads() {
  const schema = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    type: 'object',
    required: ['apiVersion', 'kind', 'metadata', 'spec'],
    additionalProperties: false,
    properties: {
      apiVersion: { type: 'string', const: 'meshlens.dev/v1alpha1' },
      kind: { type: 'string', const: 'Workloads' },
      metadata: objectMetaSchema({ nameRequired: true }),
      spec: {
        type: 'object',
        required: ['workloads'],
        additionalProperties: false,
        properties: {
          workloads: {
            type: 'array',
            items: {
              type: 'object',
              required: ['name', 'labels'],
              additionalProperties: false,
              properties: {
                name: { type: 'string', minLength: 1 },
                namespace: { type: 'string', minLength: 1 },
                kind: { type: 'string', enum: ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Pod', 'Job', 'CronJob'] },
                labels: LABEL_MAP,
                serviceAccount: { type: 'string', minLength: 1 },
                replaces: { type: 'string', minLength: 1 },
                gateway: { type: 'boolean' },
              },
            },
          },
        },
      },
    },
  };
  return { apiVersion: 'meshlens.dev/v1alpha1', kind: 'Workloads', schema };
}

function buildPolicyTest() {
  const endpoint = { type: 'string', minLength: 1 };
  const schema = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    type: 'object',
    required: ['apiVersion', 'kind', 'metadata', 'spec'],
    additionalProperties: false,
    properties: {
      apiVersion: { type: 'string', const: 'meshlens.dev/v1alpha1' },
      kind: { type: 'string', const: 'PolicyTest' },
      metadata: objectMetaSchema({ nameRequired: true }),
      spec: {
        type: 'object',
        required: ['cases'],
        additionalProperties: false,
        properties: {
          cluster: { type: 'string', minLength: 1 },
          cases: {
            type: 'array',
            items: {
              type: 'object',
              required: ['from', 'to', 'port', 'expect'],
              additionalProperties: false,
              properties: {
                name: { type: 'string' },
                from: endpoint,
                to: endpoint,
                port: { type: 'integer', minimum: 1, maximum: 65535 },
                protocol: { type: 'string', enum: ['TCP', 'UDP', 'SCTP'] },
                method: { type: 'string', minLength: 1 },
                path: { type: 'string', minLength: 1 },
                host: { type: 'string', minLength: 1 },
                headers: LABEL_MAP,
                expect: { type: 'string', enum: ['allow', 'deny'] },
                cluster: { type: 'string', minLength: 1 },
              },
            },
          },
        },
      },
    },
  };
  return { apiVersion: 'meshlens.dev/v1alpha1', kind: 'PolicyTest', schema };
}

// ---------------------------------------------------------------------------------------------
// Hover descriptions (our own words). Keys are dotted paths without array indices.

const CILIUM_RULE_FIELDS = {
  endpointSelector: 'Pods (endpoints) this rule applies to, chosen by labels. Use either this or nodeSelector.',
  nodeSelector: 'Nodes this rule applies to (host policy), chosen by node labels. Use either this or endpointSelector.',
  ingress: 'Allow rules for traffic entering the selected endpoints. Listing any ingress rule turns on default deny for ingress.',
  egress: 'Allow rules for traffic leaving the selected endpoints. Listing any egress rule turns on default deny for egress.',
  ingressDeny: 'Deny rules for incoming traffic. Deny always wins over allow.',
  egressDeny: 'Deny rules for outgoing traffic. Deny always wins over allow.',
  enableDefaultDeny: 'Controls whether this policy switches the selected endpoints to default deny, per direction.',
  'enableDefaultDeny.ingress': 'false: this policy adds ingress allows without turning on ingress default deny.',
  'enableDefaultDeny.egress': 'false: this policy adds egress allows without turning on egress default deny.',
  description: 'Free text shown by tooling; has no effect on enforcement.',
  labels: 'Labels attached to the rule itself, used to identify it in tooling and logs.',
  log: 'Adds a value to flow logs for traffic matched by this policy.',
};

const CILIUM_PEER_FIELDS = {
  fromEndpoints: 'Peers allowed to send traffic, chosen by pod labels. An empty list selects no peer.',
  toEndpoints: 'Peers allowed to receive traffic, chosen by pod labels. An empty list selects no peer.',
  fromEntities: 'Peers given as well-known entities such as world, cluster, host or kube-apiserver.',
  toEntities: 'Destinations given as well-known entities such as world, cluster, host or kube-apiserver.',
  fromCIDR: 'Source IP prefixes outside the cluster (addr/len or a bare IP).',
  toCIDR: 'Destination IP prefixes outside the cluster (addr/len or a bare IP).',
  fromCIDRSet: 'Source prefixes with exceptions; each item has exactly one of cidr, cidrGroupRef or cidrGroupSelector.',
  toCIDRSet: 'Destination prefixes with exceptions; each item has exactly one of cidr, cidrGroupRef or cidrGroupSelector.',
  'fromCIDRSet.cidr': 'Source prefix in addr/len form.',
  'toCIDRSet.cidr': 'Destination prefix in addr/len form.',
  'fromCIDRSet.except': 'Sub-prefixes of cidr that are left out.',
  'toCIDRSet.except': 'Sub-prefixes of cidr that are left out.',
  toFQDNs: 'Destinations by DNS name; needs a DNS rule on port 53 so the proxy can learn the IPs.',
  'toFQDNs.matchName': 'Exact DNS name to allow.',
  'toFQDNs.matchPattern': 'DNS name with * wildcards to allow.',
  fromNodes: 'Source nodes chosen by node labels (needs node selector labels enabled in the agent).',
  toNodes: 'Destination nodes chosen by node labels (needs node selector labels enabled in the agent).',
  toServices: 'Destinations given as Kubernetes services, by name or by label selector.',
  toGroups: 'Destinations resolved from a cloud provider group, such as AWS security groups.',
  fromGroups: 'Sources resolved from a cloud provider group, such as AWS security groups.',
  fromRequires: 'Extra labels every source must also have (deprecated, removed in 1.19).',
  toRequires: 'Extra labels every destination must also have (deprecated, removed in 1.19).',
  toPorts: 'Ports and L7 rules that the traffic must match. Omitted means all ports.',
  'toPorts.ports': 'Port and protocol pairs (at most 40 per entry).',
  'toPorts.ports.port': 'Port number or IANA service name; given as a string, 0 means any port.',
  'toPorts.ports.endPort': 'Last port of a range that starts at port.',
  'toPorts.ports.protocol': 'Transport protocol: TCP, UDP, SCTP or ANY (newer releases add more). Default ANY.',
  'toPorts.rules': 'L7 rules enforced by the proxy; one kind per entry (http, dns, kafka or l7proto).',
  'toPorts.rules.http': 'HTTP requests to allow; a request must match one item. Traffic is sent through Envoy.',
  'toPorts.rules.dns': 'DNS names the endpoint may look up; used together with toFQDNs.',
  'toPorts.rules.dns.matchName': 'Exact DNS name the endpoint may query.',
  'toPorts.rules.dns.matchPattern': 'DNS name pattern with * wildcards the endpoint may query.',
  'toPorts.rules.kafka': 'Kafka requests to allow (removed in 1.20).',
  'toPorts.rules.l7proto': 'Name of a generic L7 parser (removed in 1.20).',
  'toPorts.rules.l7': 'Key-value rules for the generic L7 parser (removed in 1.20).',
  'toPorts.serverNames': 'TLS SNI names the connection must use.',
  'toPorts.terminatingTLS': 'TLS context the proxy uses to terminate incoming TLS so it can inspect L7.',
  'toPorts.originatingTLS': 'TLS context the proxy uses to open TLS towards the destination after inspection.',
  'toPorts.listener': 'Envoy listener (from a CiliumEnvoyConfig) that handles this traffic.',
  icmps: 'ICMP types to allow; cannot be combined with toPorts in the same rule.',
  'icmps.fields': 'ICMP type and address family pairs.',
  authentication: 'Requires mutual authentication between the peers before traffic is allowed.',
  'authentication.mode': 'Authentication mode: disabled, required or test-always-fail.',
};

const AUTHZ_SOURCE_FIELDS = {
  principals: 'Peer mTLS identities (trust-domain/ns/NAMESPACE/sa/ACCOUNT); needs mTLS.',
  requestPrincipals: 'JWT issuer/subject pairs; HTTP only and needs a RequestAuthentication.',
  namespaces: 'Namespaces of the peer identity; needs mTLS.',
  serviceAccounts: 'Peer service accounts as namespace/name or name.',
  ipBlocks: 'Source IPs or CIDRs of the connection.',
  remoteIpBlocks: 'Original client IPs or CIDRs, taken from X-Forwarded-For or the PROXY protocol.',
  trustDomains: 'Trust domains of the peer identity.',
};

const AUTHZ_OPERATION_FIELDS = {
  hosts: 'Host or authority header values; HTTP only.',
  ports: 'Destination ports, given as strings.',
  methods: 'HTTP methods (or gRPC: POST); HTTP only.',
  paths: 'Request paths without the query string; HTTP only.',
};

function notVariant(name) {
  return `not${name[0].toUpperCase()}${name.slice(1)}`;
}

function authorizationPolicyDescriptions() {
  const out = {
    'spec.selector': 'Workloads this policy applies to, by pod labels. Omitted: every workload in the namespace.',
    'spec.selector.matchLabels': 'Labels a workload must carry to be selected.',
    'spec.targetRef': 'Single resource this policy attaches to (older form of targetRefs).',
    'spec.targetRefs': 'Gateways, services or service entries this policy attaches to; used by waypoints and gateways instead of selector.',
    'spec.action': 'What to do when a rule matches: ALLOW (default), DENY, AUDIT or CUSTOM.',
    'spec.provider': 'External authorizer used with action CUSTOM.',
    'spec.provider.name': 'Name of an extension provider from the mesh config.',
    'spec.rules': 'Rules joined with OR. No rules: ALLOW matches nothing; one empty rule matches everything.',
    'spec.rules.from': 'Sources a request may come from; any item may match.',
    'spec.rules.from.source': 'Properties of the request source; all set fields must match.',
    'spec.rules.to': 'Operations the request may perform; any item may match.',
    'spec.rules.to.operation': 'Properties of the request; all set fields must match.',
    'spec.rules.when': 'Extra conditions; all of them must match.',
    'spec.rules.when.key': 'Attribute to test, such as request.headers[x] or source.ip.',
    'spec.rules.when.values': 'Values of which the attribute must match one.',
    'spec.rules.when.notValues': 'Values the attribute must not match.',
  };
  for (const [name, text] of Object.entries(AUTHZ_SOURCE_FIELDS)) {
    out[`spec.rules.from.source.${name}`] = text;
    out[`spec.rules.from.source.${notVariant(name)}`] = `Negated: the request must match none of these. ${text}`;
  }
  for (const [name, text] of Object.entries(AUTHZ_OPERATION_FIELDS)) {
    out[`spec.rules.to.operation.${name}`] = text;
    out[`spec.rules.to.operation.${notVariant(name)}`] = `Negated: the request must match none of these. ${text}`;
  }
  return out;
}

/** Rule-level texts expanded to each direction; expansions a direction does not have are left out. */
function ciliumDescriptions(ruleSchema) {
  const out = {};
  for (const [name, text] of Object.entries(CILIUM_RULE_FIELDS)) out[`spec.${name}`] = text;
  const directions = { ingress: 'from', ingressDeny: 'from', egress: 'to', egressDeny: 'to' };
  for (const [direction, prefix] of Object.entries(directions)) {
    for (const [name, text] of Object.entries(CILIUM_PEER_FIELDS)) {
      const first = name.split('.')[0];
      const isPeer = /^(from|to)[A-Z]/.test(first) && first !== 'toPorts';
      if (isPeer && !first.startsWith(prefix)) continue;
      const dottedPath = `spec.${direction}.${name}`;
      if (schemaHasPath(ruleSchema, dottedPath)) out[dottedPath] = text;
    }
  }
  out.specs = 'List of rules, each with the same fields as spec; use either spec or specs.';
  return out;
}

const HELM_RELEASE_DESCRIPTIONS = {
  'spec.chart': 'Template for the HelmChart that the controller creates from a HelmRepository, GitRepository or Bucket.',
  'spec.chart.spec.chart': 'Chart name in the repository, or path in a Git or bucket source.',
  'spec.chart.spec.version': 'Chart version or semver range; ignored for Git and bucket sources.',
  'spec.chart.spec.sourceRef': 'Source that holds the chart (HelmRepository, GitRepository or Bucket).',
  'spec.chart.spec.interval': 'How often the chart source is checked for a new version.',
  'spec.chartRef': 'Existing OCIRepository or HelmChart that provides the chart; use instead of chart.',
  'spec.values': 'Helm values given inline; merged on top of valuesFrom.',
  'spec.valuesFrom': 'ConfigMaps or Secrets in the same namespace to read values from, merged in order.',
  'spec.valuesFrom.kind': 'ConfigMap or Secret.',
  'spec.valuesFrom.valuesKey': 'Data key to read; default values.yaml.',
  'spec.valuesFrom.targetPath': 'Values path to set with the whole content of the key.',
  'spec.valuesFrom.optional': 'Do not fail when the ConfigMap or Secret is missing.',
  'spec.interval': 'How often the release is reconciled, as a Go duration (e.g. 10m).',
  'spec.install': 'Settings for the Helm install action (timeouts, CRD handling, remediation).',
  'spec.install.crds': 'How CRDs in the chart are handled on install: Skip, Create or CreateReplace.',
  'spec.install.createNamespace': 'Create the target namespace if it does not exist.',
  'spec.install.remediation': 'What to do when install fails, such as how many retries.',
  'spec.upgrade': 'Settings for the Helm upgrade action (timeouts, CRD handling, remediation).',
  'spec.upgrade.crds': 'How CRDs in the chart are handled on upgrade: Skip, Create or CreateReplace.',
  'spec.upgrade.remediation': 'What to do when upgrade fails: retries and rollback or uninstall.',
  'spec.dependsOn': 'HelmReleases that must be ready before this one is reconciled.',
  'spec.targetNamespace': 'Namespace the chart is installed into; default is the namespace of this object.',
  'spec.releaseName': 'Helm release name; default is [targetNamespace-]name.',
  'spec.suspend': 'Stop reconciling this release until set back to false.',
  'spec.serviceAccountName': 'Service account to impersonate when applying the release.',
};

const SOURCE_DESCRIPTIONS = {
  HelmRepository: {
    'spec.url': 'Repository URL: https:// for an index, or oci:// for an OCI registry (with type oci).',
    'spec.type': 'default for an HTTP(S) index, oci for an OCI registry.',
    'spec.interval': 'How often the repository is fetched, as a Go duration.',
    'spec.secretRef': 'Secret with credentials for the repository.',
    'spec.provider': 'Cloud provider used for OCI login: generic, aws, azure or gcp.',
  },
  OCIRepository: {
    'spec.url': 'OCI artifact address, starting with oci://.',
    'spec.ref': 'Which artifact version to pull; tag, semver or digest.',
    'spec.ref.tag': 'Image tag to pull.',
    'spec.ref.semver': 'Semver range; the newest matching tag is pulled.',
    'spec.ref.digest': 'Exact digest to pull; wins over tag and semver.',
    'spec.interval': 'How often the registry is checked, as a Go duration.',
    'spec.layerSelector': 'Which layer of the artifact to extract.',
    'spec.secretRef': 'Secret with registry credentials.',
  },
  GitRepository: {
    'spec.url': 'Git URL (https:// or ssh://).',
    'spec.ref': 'Branch, tag, semver range or commit to check out.',
    'spec.ref.branch': 'Branch to follow.',
    'spec.ref.tag': 'Tag to check out.',
    'spec.ref.semver': 'Semver range; the newest matching tag is checked out.',
    'spec.interval': 'How often the repository is fetched, as a Go duration.',
    'spec.secretRef': 'Secret with Git credentials.',
  },
  HelmChart: {
    'spec.chart': 'Chart name or path in the source.',
    'spec.version': 'Chart version or semver range.',
    'spec.sourceRef': 'Source that holds the chart.',
    'spec.interval': 'How often the source is checked, as a Go duration.',
  },
  Bucket: {
    'spec.bucketName': 'Name of the bucket.',
    'spec.endpoint': 'Storage endpoint host.',
    'spec.interval': 'How often the bucket is checked, as a Go duration.',
  },
};

const KUSTOMIZATION_DESCRIPTIONS = {
  'spec.path': 'Folder in the source to build with kustomize; default is the source root.',
  'spec.sourceRef': 'GitRepository, OCIRepository or Bucket that holds the manifests.',
  'spec.prune': 'Delete objects that were applied before and are no longer in the source.',
  'spec.wait': 'Wait until every applied object is ready before reporting ready.',
  'spec.healthChecks': 'Objects whose readiness decides whether this Kustomization is ready.',
  'spec.dependsOn': 'Kustomizations that must be ready before this one is applied.',
  'spec.interval': 'How often the manifests are applied again, as a Go duration.',
  'spec.targetNamespace': 'Namespace set on every namespaced object that is applied.',
  'spec.postBuild': 'Variable substitution applied to the built manifests.',
  'spec.postBuild.substitute': 'Variables given inline; ${name} in manifests is replaced with the value.',
  'spec.postBuild.substituteFrom': 'ConfigMaps or Secrets to read substitution variables from.',
  'spec.timeout': 'Time allowed for apply, health checks and pruning.',
  'spec.suspend': 'Stop reconciling until set back to false.',
};

const WORKLOADS_DESCRIPTIONS = {
  spec: 'Workloads the effective-policy preview should know about, beyond what the repository declares or implies.',
  'spec.workloads': 'Pod classes: each is one workload with its namespace, pod labels and service account.',
  'spec.workloads.name': 'Workload name; with the namespace it is how simulate and effective refer to it.',
  'spec.workloads.namespace': 'Namespace the pods run in; defaults to the namespace of this document.',
  'spec.workloads.kind': 'Kind of the controller that creates the pods (for display).',
  'spec.workloads.labels': 'Labels the pods carry; policies select the workload by these.',
  'spec.workloads.serviceAccount': 'Service account of the pods (their Istio identity and Cilium service-account label).',
  'spec.workloads.replaces': 'namespace/name of an inferred workload this entry corrects; the inferred one is dropped.',
  'spec.workloads.gateway': 'The pods are an Istio gateway (Envoy) that enforces AuthorizationPolicies selecting it.',
};

const POLICY_TEST_DESCRIPTIONS = {
  spec: 'Connections and requests with the verdict the policies in the repository must give; run with meshlens test.',
  'spec.cluster': 'Cluster the cases are about, for repositories with several clusters.',
  'spec.cases': 'Each case is one connection or request and its expected verdict.',
  'spec.cases.name': 'Short name shown in test reports.',
  'spec.cases.from': 'Client: namespace/name of a workload, namespace/label=value,... for a label set, or an entity (world, host, cluster), a CIDR or an FQDN.',
  'spec.cases.to': 'Server: namespace/name of a workload, namespace/label=value,... for a label set, or an entity, a CIDR or an FQDN.',
  'spec.cases.port': 'Destination port, 1 to 65535.',
  'spec.cases.protocol': 'TCP (default), UDP or SCTP.',
  'spec.cases.method': 'HTTP method of the request (makes the case an HTTP request).',
  'spec.cases.path': 'HTTP path of the request (makes the case an HTTP request).',
  'spec.cases.host': 'HTTP host (authority) of the request.',
  'spec.cases.headers': 'HTTP request headers, name to value.',
  'spec.cases.expect': 'The verdict the case must get: allow or deny.',
  'spec.cases.cluster': 'Cluster of this case, overriding spec.cluster.',
};

const NODE_PROFILE_DESCRIPTIONS = {
  'metadata.name': 'Name of the profile; referenced when checking policies against a node.',
  spec: 'Facts about one kind of node, used to check kernel feature needs.',
  'spec.kernel': 'Kernel release as printed by uname -r, e.g. 5.15.0-91-generic.',
  'spec.arch': 'CPU architecture: amd64 or arm64.',
  'spec.distro': 'Distribution name and version, for messages only.',
  'spec.kernelConfig': 'Kernel build options (CONFIG_*) known for this node: y, m or n.',
  'spec.bpftoolProbe': 'Path, relative to this file, of saved output of bpftool -j feature probe.',
  'spec.nodeSelector': 'Node labels that identify nodes of this profile.',
  'spec.description': 'Free text about this profile.',
};

function buildDescriptions(documents) {
  const cnp = documents.find((doc) => doc.kind === 'CiliumNetworkPolicy');
  const cilium = ciliumDescriptions(cnp.schema);
  const descriptions = {
    CiliumNetworkPolicy: cilium,
    CiliumClusterwideNetworkPolicy: cilium,
    AuthorizationPolicy: authorizationPolicyDescriptions(),
    HelmRelease: HELM_RELEASE_DESCRIPTIONS,
    Kustomization: KUSTOMIZATION_DESCRIPTIONS,
    NodeProfile: NODE_PROFILE_DESCRIPTIONS,
    Workloads: WORKLOADS_DESCRIPTIONS,
    PolicyTest: POLICY_TEST_DESCRIPTIONS,
    ...SOURCE_DESCRIPTIONS,
  };
  return structuredClone(descriptions);
}

/** Follows a dotted path through properties, items and local $refs; true when it exists. */
export function schemaHasPath(schema, dottedPath) {
  const root = schema;
  const resolve = (node) => {
    let current = node;
    for (let guard = 0; guard < 8 && current && typeof current.$ref === 'string'; guard++) {
      current = current.$ref.replace(/^#\//, '').split('/').reduce((acc, part) => acc?.[part], root);
    }
    return current;
  };
  let node = resolve(root);
  for (const segment of dottedPath.split('.')) {
    while (node && node.items && !node.properties) node = resolve(node.items);
    node = resolve(node?.properties?.[segment]);
    if (!node) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Output

function canonicalize(value) {
  if (Array.isArray(value)) return value.map(canonicalize);
  if (!isPlainObject(value)) return value;
  const out = {};
  for (const key of Object.keys(value).sort()) out[key] = canonicalize(value[key]);
  return out;
}

const serialize = (value) => `${JSON.stringify(canonicalize(value), null, 1)}\n`;

function generate(upstream) {
  const products = [buildCilium(upstream), buildIstio(upstream), buildFlux(upstream)];
  const documents = [...products.flatMap((product) => product.documents), buildNodeProfile(), buildWorkloads(), buildPolicyTest()];
  documents.sort((a, b) => (a.apiVersion === b.apiVersion ? a.kind.localeCompare(b.kind) : a.apiVersion.localeCompare(b.apiVersion)));

  const files = new Map();
  const entries = [];
  for (const doc of documents) {
    shareRepeatedSubschemas(doc.schema);
    const file = fileNameFor(doc.apiVersion, doc.kind);
    files.set(file, serialize(doc.schema));
    const entry = { apiVersion: doc.apiVersion, kind: doc.kind, file };
    if (doc.deprecated) entry.deprecated = doc.deprecated;
    entries.push(entry);
  }

  const descriptions = buildDescriptions(documents);
  for (const [kind, paths] of Object.entries(descriptions)) {
    const schemas = documents.filter((doc) => doc.kind === kind).map((doc) => doc.schema);
    if (schemas.length === 0) fail(`descriptions name unknown kind ${kind}`);
    for (const dottedPath of Object.keys(paths)) {
      if (!schemas.some((schema) => schemaHasPath(schema, dottedPath))) fail(`description path ${kind} ${dottedPath} is not in any schema`);
    }
  }
  files.set('descriptions.json', serialize(descriptions));

  const generatedFrom = [...products.map((product) => product.summary), 'NodeProfile, Workloads and PolicyTest written by hand'].join(', ');
  // Entries keep their sorted order; serialize() only sorts object keys.
  files.set('index.json', serialize({ generatedFrom, entries }));
  return files;
}

function main() {
  const options = parseArgs(process.argv.slice(2));
  if (!fs.existsSync(options.upstream)) fail(`upstream directory not found: ${options.upstream}`);
  const files = generate(options.upstream);

  if (options.check) {
    const problems = [];
    for (const [name, content] of files) {
      const target = path.join(options.out, name);
      if (!fs.existsSync(target)) problems.push(`missing ${name}`);
      else if (fs.readFileSync(target, 'utf8') !== content) problems.push(`out of date ${name}`);
    }
    if (fs.existsSync(options.out)) {
      for (const name of fs.readdirSync(options.out)) {
        if (name.endsWith('.json') && !files.has(name)) problems.push(`stale ${name}`);
      }
    }
    if (problems.length > 0) {
      console.error(`gen-resource-schemas: schemas/resources is not up to date:\n  ${problems.join('\n  ')}`);
      console.error('run: node scripts/gen-resource-schemas.mjs <path-to-shared-upstream>');
      process.exit(1);
    }
    console.log(`gen-resource-schemas: ${files.size} files up to date`);
    return;
  }

  fs.mkdirSync(options.out, { recursive: true });
  for (const name of fs.readdirSync(options.out)) {
    if (name.endsWith('.json') && !files.has(name)) fs.rmSync(path.join(options.out, name));
  }
  let total = 0;
  for (const [name, content] of files) {
    fs.writeFileSync(path.join(options.out, name), content);
    total += Buffer.byteLength(content);
  }
  console.log(`gen-resource-schemas: wrote ${files.size} files, ${Math.round(total / 1024)} KiB`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
