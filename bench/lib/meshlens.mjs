// Loads the meshlens analysis core for the benchmark: an esbuild bundle of
// core/src/index.ts plus the effective-policy model (bench/lib/coreEntry.ts)
// written under bench/.corpus/.build/ (git-ignored), so the bench measures the
// same code the server and CLI bundle, without dist/.

import { existsSync, mkdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/**
 * `minify` (default): built as the server and the CLI ship (scripts/build.mjs minifies both), so load time and
 * memory are those of the product: the unminified bundle is ~1.8× the text, and its comments hold non-ASCII
 * characters, which make V8 keep the whole source as two-byte text (~14 MB of heap instead of ~4 MB).
 * bench/profile.mjs builds it unminified, so profiles name functions.
 */
export async function buildCoreBundle(repoRoot, outDirectory, { minify = true } = {}) {
  // The core imports generated sources (schema table, standalone validators);
  // `npm run build` makes them, and so does this when they are missing.
  if (!existsSync(join(repoRoot, 'core/src/schema/generated/validators.cjs'))) {
    for (const script of ['scripts/gen-schema-table.mjs', 'scripts/gen-validators.mjs']) {
      execFileSync(process.execPath, [join(repoRoot, script)], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] });
    }
  }
  const esbuild = await import('esbuild');
  mkdirSync(outDirectory, { recursive: true });
  const outfile = join(outDirectory, 'core.cjs');
  await esbuild.build({
    entryPoints: [join(repoRoot, 'bench/lib/coreEntry.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'warning',
    minify,
    legalComments: 'none',
  });
  return outfile;
}

export function loadCoreBundle(bundlePath) {
  return createRequire(import.meta.url)(bundlePath);
}

/**
 * Computes the effective-policy model of every workload (what the preview
 * panel and `meshlens effective` show), when the core has one. Returns the
 * number of workloads, or undefined without the model.
 */
export function computeEffectiveModels(core, service, options) {
  if (typeof core.listWorkloads !== 'function' || typeof core.effectivePolicy !== 'function') return undefined;
  const workloads = core.listWorkloads(service.workspace);
  for (const workload of workloads) core.effectivePolicy(service.workspace, workload.id, options);
  return workloads.length;
}
