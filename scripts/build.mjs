#!/usr/bin/env node
// Bundles the extension client, the language server and the CLI with esbuild,
// for Node (dist/client.js, dist/server.js, dist/cli.js) and for the browser
// (dist/browser/client.js for the web extension host, dist/browser/server.js
// for its web worker). A browser bundle that imports a Node built-in fails the
// build: `platform: 'browser'` leaves `node:*` unresolved, and the check after
// the build refuses any `require("node:…")` or bare built-in left in it.
// Usage: node scripts/build.mjs [--watch] [--production]
import * as esbuild from 'esbuild';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // Sourcemaps are for debugging: dev builds only.
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  legalComments: 'none',
};

// The CLI and the server are always minified: a smaller bundle is parsed and
// compiled faster at every process start (the CLI's start is part of each
// run). Dev builds keep their sourcemap, so stack traces still map to sources.
const startup = { minify: true };

// The web extension: the client runs in the browser's extension host (CommonJS, `vscode` provided), the server in a
// web worker (one self-contained script). Neither may reach a Node built-in.
const browser = { platform: 'browser', target: 'es2022', mainFields: ['browser', 'module', 'main'], define: { 'process.env.NODE_ENV': '"production"' } };

const builds = [
  { entryPoints: ['client/src/node.ts'], outfile: 'dist/client.js', external: ['vscode'] },
  { entryPoints: ['server/src/node.ts'], outfile: 'dist/server.js', ...startup },
  { entryPoints: ['cli/src/bin.ts'], outfile: 'dist/cli.js', ...startup },
  { entryPoints: ['client/src/browser.ts'], outfile: 'dist/browser/client.js', external: ['vscode'], ...browser },
  { entryPoints: ['server/src/browser.ts'], outfile: 'dist/browser/server.js', ...browser, format: 'iife', ...startup },
];

/** Node built-in module names: a browser bundle must name none of them. */
const NODE_BUILTINS = new Set(builtinModules.filter((name) => !name.startsWith('_')));

/** The Node built-ins a bundle still requires or imports (empty for a clean browser bundle). */
function nodeBuiltinsIn(file) {
  const text = readFileSync(file, 'utf8');
  const named = new Set();
  for (const match of text.matchAll(/\b(?:require\(|from\s*|import\()\s*["']([^"']+)["']/g)) {
    const name = match[1].replace(/^node:/, '');
    if (match[1].startsWith('node:') || NODE_BUILTINS.has(name)) named.add(match[1]);
  }
  return [...named];
}

const started = Date.now();
// Generated sources first: the schema import table and the precompiled validators.
for (const script of ['scripts/gen-schema-table.mjs', 'scripts/gen-validators.mjs']) {
  execFileSync(process.execPath, [script], { stdio: ['ignore', 'ignore', 'inherit'] });
}
if (watch) {
  for (const build of builds) {
    const context = await esbuild.context({ ...common, ...build });
    await context.watch();
  }
  console.log('watching for changes…');
} else {
  await Promise.all(builds.map((build) => esbuild.build({ ...common, ...build })));
  for (const build of builds.filter((entry) => entry.platform === 'browser')) {
    const found = nodeBuiltinsIn(build.outfile);
    if (found.length > 0) {
      console.error(`${build.outfile} (a browser bundle) uses Node built-ins: ${found.join(', ')}`);
      process.exit(1);
    }
  }
  console.log(`built dist/ in ${Date.now() - started} ms`);
}
