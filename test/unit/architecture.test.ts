/**
 * The core's layers (docs/architecture.md) as a test: a module imports only
 * from its own layer or the layers below it, and the server, the CLI and the
 * client reach the core only through its facade.
 *
 * Type-only imports (`import type`) count too: a type names a concept of the
 * layer it lives in. Known violations are listed in `KNOWN_VIOLATIONS` with the
 * reason they are still there; the test fails on any violation not listed
 * (new debt) and on any listed one that is gone (so the list only shrinks).
 */

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/repo';

/** Bottom to top. A module may import its own layer and the ones before it. */
const LAYERS: readonly (readonly string[])[] = [
  ['text', 'util'],
  ['base'], // core/src/options.ts, diagnostics.ts: the plain types every layer speaks
  ['parse'],
  ['resources'],
  ['schema'],
  ['workspace'],
  ['build'],
  ['gitops', 'flux'],
  ['cilium'],
  ['helm', 'kernel'],
  ['policy'],
  ['preview'],
  ['review'],
  ['rules'],
  ['features'],
  ['analysis'],
  ['service'], // core/src/service.ts, index.ts: the facade
];

/** `from → to` folder pairs that break the order today, each with why it is still there. */
const KNOWN_VIOLATIONS: Record<string, string> = {
};

const coreRoot = join(repoRoot, 'core', 'src');

function layerOf(file: string): string {
  const parts = relative(coreRoot, file).split(sep);
  if (parts.length === 1) return parts[0] === 'service.ts' || parts[0] === 'index.ts' ? 'service' : 'base';
  return parts[0];
}

function rank(layer: string): number {
  const index = LAYERS.findIndex((group) => group.includes(layer));
  if (index === -1) throw new Error(`core/src/${layer} is in no layer of docs/architecture.md; add it to LAYERS`);
  return index;
}

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|cts|mts)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

const IMPORT = /^\s*(?:import|export)\s[^'"]*?from\s+['"](\.{1,2}\/[^'"]+)['"]/gm;

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(IMPORT)].map((match) => resolve(dirname(file), match[1]));
}

function violations(): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const file of sourceFiles(coreRoot)) {
    const from = layerOf(file);
    for (const target of imports(file)) {
      if (!target.startsWith(coreRoot + sep)) continue; // data files (schemas/), checked elsewhere
      const to = layerOf(target);
      if (from === to || rank(to) <= rank(from)) continue;
      const key = `${from} → ${to}`;
      found.set(key, [...(found.get(key) ?? []), relative(repoRoot, file).split(sep).join('/')]);
    }
  }
  return found;
}

describe('core layers', () => {
  it('every core folder has a layer', () => {
    for (const entry of readdirSync(coreRoot, { withFileTypes: true })) if (entry.isDirectory()) expect(() => rank(entry.name)).not.toThrow();
  });

  it('no two core folders import each other, directly or through others (folders of one layer included)', () => {
    const edges = new Map<string, Set<string>>();
    for (const file of sourceFiles(coreRoot)) {
      const from = layerOf(file);
      for (const target of imports(file)) {
        if (!target.startsWith(coreRoot + sep)) continue;
        const to = layerOf(target);
        if (to === from) continue;
        if (!edges.has(from)) edges.set(from, new Set());
        edges.get(from)!.add(to);
      }
    }
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (folder: string, path: string[]) => {
      state.set(folder, 'open');
      for (const next of edges.get(folder) ?? []) {
        if (state.get(next) === 'open') cycles.push([...path.slice(path.indexOf(next)), folder, next].join(' → '));
        else if (!state.has(next)) visit(next, [...path, folder]);
      }
      state.set(folder, 'done');
    };
    for (const folder of edges.keys()) if (!state.has(folder)) visit(folder, []);
    expect(cycles).toEqual([]);
    // The test sees the graph: the analysis folder imports the rules, which import the policy models.
    expect(edges.get('analysis')?.has('rules')).toBe(true);
  });

  it('imports go down the layers, except the known violations', () => {
    const found = violations();
    const unexpected = [...found].filter(([key]) => !(key in KNOWN_VIOLATIONS)).map(([key, files]) => `${key} (${[...new Set(files)].slice(0, 3).join(', ')})`);
    expect(unexpected, 'imports that go up the layers; move the code down or the fact to the right layer').toEqual([]);
    const gone = Object.keys(KNOWN_VIOLATIONS).filter((key) => !found.has(key));
    expect(gone, 'known violations that are fixed: remove them from KNOWN_VIOLATIONS').toEqual([]);
  });
});

describe('the facade is the only door', () => {
  /** Deep core imports still made by the adapters, by file; the list only shrinks. */
  const KNOWN_DEEP_IMPORTS = new Set<string>([]);

  it('server, CLI, client, host and protocol import core/src/index.ts only', () => {
    const deep: string[] = [];
    for (const folder of ['server', 'cli', 'client', 'host', 'protocol']) {
      for (const file of sourceFiles(join(repoRoot, folder, 'src'))) {
        for (const target of imports(file)) {
          if (!target.startsWith(coreRoot + sep)) continue;
          if (relative(coreRoot, target).split(sep).join('/') === 'index') continue;
          deep.push(`${relative(repoRoot, file).split(sep).join('/')} → core/src/${relative(coreRoot, target).split(sep).join('/')}`);
        }
      }
    }
    const unexpected = deep.filter((entry) => !KNOWN_DEEP_IMPORTS.has(entry));
    expect(unexpected, 'deep imports into the core; export what is needed from core/src/index.ts').toEqual([]);
    expect([...KNOWN_DEEP_IMPORTS].filter((entry) => !deep.includes(entry)), 'fixed deep imports: remove them from the list').toEqual([]);
  });
});

describe('the adapters', () => {
  const adapters = ['protocol', 'host', 'server', 'cli', 'client'] as const;
  /**
   * Which adapter may import which: Node IO (host) serves the server and the CLI, the message
   * types (protocol) the server and the client; none reaches into another.
   */
  const ALLOWED: Record<(typeof adapters)[number], readonly string[]> = {
    protocol: [],
    host: [],
    server: ['host', 'protocol'],
    cli: ['host'],
    client: ['protocol'],
  };
  const adapterOf = (file: string) => relative(repoRoot, file).split(sep)[0];

  it('import only the adapters below them (host below server and CLI; client alone)', () => {
    const wrong: string[] = [];
    for (const adapter of adapters) {
      for (const file of sourceFiles(join(repoRoot, adapter, 'src'))) {
        for (const target of imports(file)) {
          const to = adapterOf(target);
          if (to === adapter || to === 'core' || !(adapters as readonly string[]).includes(to)) continue;
          if (!ALLOWED[adapter].includes(to)) wrong.push(`${relative(repoRoot, file).split(sep).join('/')} → ${relative(repoRoot, target).split(sep).join('/')}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('have no import cycle between their modules (a cycle makes load order decide what is defined)', () => {
    const files = adapters.flatMap((adapter) => sourceFiles(join(repoRoot, adapter, 'src')));
    const known = new Set(files.map((file) => file.replace(/\.ts$/, '')));
    const edges = new Map(files.map((file) => [file.replace(/\.ts$/, ''), imports(file).filter((target) => known.has(target))]));
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (module: string, path: string[]) => {
      state.set(module, 'open');
      for (const next of edges.get(module) ?? []) {
        if (state.get(next) === 'open') cycles.push([...path.slice(path.indexOf(next)), module, next].map((entry) => relative(repoRoot, entry)).join(' → '));
        else if (!state.has(next)) visit(next, [...path, module]);
      }
      state.set(module, 'done');
    };
    for (const module of edges.keys()) if (!state.has(module)) visit(module, []);
    expect(cycles).toEqual([]);
    // Method names and message types live once, in the protocol module.
    for (const file of files.filter((entry) => !entry.includes(`${sep}protocol${sep}`))) {
      expect(readFileSync(file, 'utf8'), relative(repoRoot, file)).not.toMatch(/['"]meshlens\/[a-zA-Z]+['"]/);
    }
    // The graph is seen: the CLI's entry imports its command table.
    expect(edges.get(join(repoRoot, 'cli', 'src', 'main'))).toContain(join(repoRoot, 'cli', 'src', 'commands'));
  });
});

describe('memoized indexes', () => {
  /** The text of a call from `start` (just after its opening parenthesis) to its closing one. */
  function callText(text: string, start: number): string {
    let depth = 1;
    for (let index = start; index < text.length; index++) {
      const char = text[index];
      if (char === '(') depth++;
      else if (char === ')' && --depth === 0) return text.slice(start, index);
    }
    return text.slice(start);
  }

  it('declare the analysis options they read (deriveWith), never read them from the enclosing scope', () => {
    const undeclared: string[] = [];
    let calls = 0;
    for (const file of sourceFiles(coreRoot).filter((entry) => !entry.endsWith(`${sep}deriveWith.ts`))) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/\.derive\(/g)) {
        calls++;
        if (/\boptions\b/.test(callText(text, match.index + match[0].length))) undeclared.push(`${relative(repoRoot, file)}:${text.slice(0, match.index).split('\n').length}`);
      }
    }
    expect(calls).toBeGreaterThan(20);
    expect(undeclared, 'derive calls that read options: use deriveWith / deriveWithAllOptions (workspace/deriveWith.ts)').toEqual([]);
  });
});

describe('exports', () => {
  it('every exported name is used somewhere besides its declaration (no dead exports)', () => {
    const folders = ['core', 'server', 'cli', 'host', 'client', 'protocol'].map((folder) => join(repoRoot, folder, 'src'));
    const sources = [...folders, join(repoRoot, 'test'), join(repoRoot, 'bench'), join(repoRoot, 'scripts')].flatMap((folder) => allFiles(folder));
    const counts = new Map<string, number>();
    for (const file of sources) for (const word of readFileSync(file, 'utf8').match(/[A-Za-z_$][\w$]*/g) ?? []) counts.set(word, (counts.get(word) ?? 0) + 1);
    const declared = folders.flatMap(sourceFiles).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/^export (?:async )?(?:function\*?|const|class|interface|type|enum) ([A-Za-z_$][\w$]*)/gm)].map((match) => `${relative(repoRoot, file)}: ${match[1]}`),
    );
    expect(declared.length).toBeGreaterThan(500);
    const dead = declared.filter((entry) => (counts.get(entry.split(': ')[1]) ?? 0) <= 1);
    expect(dead, 'exported and never used: remove it, or stop exporting it').toEqual([]);
  });
});

function allFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) return [];
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return allFiles(path);
    return /\.(ts|mts|cts|mjs|js)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}
