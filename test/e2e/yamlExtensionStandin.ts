// Packs the e2e stand-in for the Red Hat YAML extension (test/e2e/yaml-extension-standin/, id
// `redhat.vscode-yaml`) into a .vsix that the harness installs beside meshlens (`extraExtensions`).
// The real extension is not on npm, so CI could not fetch it; the stand-in runs the real
// yaml-language-server from node_modules, bundled with esbuild like scripts/build.mjs bundles meshlens.
//
// Invariants: everything is built in a fresh temporary folder (nothing is written into the
// repository); only node_modules is read (esbuild, vsce, yaml-language-server,
// vscode-languageclient), so a clean clone after `npm ci` needs nothing else; the caller removes
// the folder with `dispose()`.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { repoRoot } from './harness';

export const YAML_STANDIN_ID = 'redhat.vscode-yaml';

const standinDir = path.join(repoRoot, 'test', 'e2e', 'yaml-extension-standin');
const yamlServerPackage = path.join(repoRoot, 'node_modules', 'yaml-language-server');

/** Builds and packs the stand-in; returns the .vsix path and a function that removes the build folder. */
export async function packYamlExtensionStandin(): Promise<{ vsix: string; dispose(): void }> {
  const serverEntry = path.join(yamlServerPackage, 'out', 'src', 'server.js');
  if (!existsSync(serverEntry)) throw new Error(`yaml-language-server is not installed (${serverEntry} missing); run npm ci`);
  const workDir = mkdtempSync(path.join(tmpdir(), 'meshlens-yaml-standin-'));
  const dispose = () => rmSync(workDir, { recursive: true, force: true });
  try {
    const stage = path.join(workDir, 'extension');
    mkdirSync(stage, { recursive: true });
    cpSync(path.join(standinDir, 'package.json'), path.join(stage, 'package.json'));
    cpSync(path.join(yamlServerPackage, 'l10n'), path.join(stage, 'l10n'), { recursive: true });
    const common = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'error', legalComments: 'none' } as const;
    await esbuild.build({ ...common, entryPoints: [path.join(standinDir, 'src', 'extension.ts')], outfile: path.join(stage, 'dist', 'extension.js'), external: ['vscode'] });
    // UMD builds (jsonc-parser, vscode-json-languageservice) require their parts by computed paths: take their ES modules.
    await esbuild.build({ ...common, entryPoints: [serverEntry], outfile: path.join(stage, 'dist', 'server.js'), mainFields: ['module', 'main'] });
    const vsix = path.join(workDir, 'redhat.vscode-yaml-standin.vsix');
    const vsce = path.join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce');
    const packed = spawnSync(process.execPath, [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--out', vsix], {
      cwd: stage,
      encoding: 'utf8',
      timeout: 120_000,
    });
    if (packed.status !== 0 || !existsSync(vsix)) throw new Error(`vsce package of the YAML stand-in failed (${packed.status}):\n${packed.stdout}\n${packed.stderr}`);
    return { vsix, dispose };
  } catch (error) {
    dispose();
    throw error;
  }
}
