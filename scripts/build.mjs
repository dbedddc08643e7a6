#!/usr/bin/env node
// Bundles the extension client, the language server and the CLI with esbuild.
// Usage: node scripts/build.mjs [--watch] [--production]
import * as esbuild from 'esbuild';
import { execFileSync } from 'node:child_process';

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

const builds = [
  { entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] },
  { entryPoints: ['server/src/main.ts'], outfile: 'dist/server.js', ...startup },
  { entryPoints: ['cli/src/bin.ts'], outfile: 'dist/cli.js', ...startup },
];

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
  console.log(`built dist/ in ${Date.now() - started} ms`);
}
