/**
 * What the .vsix holds (`vsce ls`, the list `npm run package` packs): the
 * bundles, the user-facing README (docs/extension/README.md, whose images
 * must ship with it so the extension page works offline), every rule page
 * (findings link to them as local files), and nothing from the tests or the
 * sources.
 */

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_RULES } from '../../core/src/index';
import { repoRoot } from '../support/repo';

const packageJson = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
  main: string;
  browser?: string;
  contributes: { commands: { command: string; title: string; category?: string }[]; configuration: { properties: Record<string, unknown> } };
};
const readmeFlag = /--readme-path\s+(\S+)/.exec(packageJson.scripts.package)?.[1];

describe('the packaged extension', () => {
  const vsce = join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce');
  const files = execFileSync(process.execPath, [vsce, 'ls', '--no-dependencies', ...(readmeFlag ? ['--readme-path', readmeFlag] : [])], { cwd: repoRoot, encoding: 'utf8' })
    .split('\n')
    .filter(Boolean);

  it('packs the user-facing README, not the contributor one, with relative links kept', () => {
    expect(readmeFlag).toBe('docs/extension/README.md');
    expect(packageJson.scripts.package).toContain('--no-rewrite-relative-links');
    // The package holds one readme: a second README.md next to it differs only in case, which VSIX refuses.
    expect(files).toContain(readmeFlag);
    expect(files).not.toContain('README.md');
    const readme = readFileSync(join(repoRoot, readmeFlag!), 'utf8');
    expect(readme).not.toContain('npm ci');
    for (const image of readme.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)) {
      expect(image[1], 'images are relative paths').not.toMatch(/^https?:/);
      expect(files, `${image[1]} is packaged`).toContain(image[1]);
    }
  });

  it('the extension page lists every command and every setting the extension contributes', () => {
    const readme = readFileSync(join(repoRoot, readmeFlag!), 'utf8');
    for (const command of packageJson.contributes.commands) expect(readme, command.command).toContain(`**${command.category ?? 'meshlens'}: ${command.title}**`);
    // Settings: each by name, except the trace setting every language client has and the chart-download details.
    const documented = Object.keys(packageJson.contributes.configuration.properties).filter((key) => !/^meshlens\.(trace\.server|charts\.(allowPrivateNetworks|cacheSizeMiB))$/.test(key));
    for (const key of documented) expect(readme, key).toContain(`\`${key}\``);
  });

  it('packs a page for every rule', () => {
    for (const rule of ALL_RULES) expect(files).toContain(`docs/rules/${rule.meta.id}.md`);
  });

  it('packs both entries: the desktop client and the web extension (client and its worker server)', () => {
    expect(packageJson.browser).toBe('./dist/browser/client.js');
    for (const entry of [packageJson.main, packageJson.browser!]) expect(files).toContain(entry.replace(/^\.\//, ''));
    expect(files).toContain('dist/browser/server.js');
  });

  it('packs only what a user of the extension needs, nothing else', () => {
    // The whole list, by kind: bundles, manifest, user docs and their images, the grammar, the walkthrough.
    const allowed = [
      /^dist\/(browser\/)?(client|server)\.js$/,
      /^package\.json$/,
      /^(CHANGELOG\.md|LICENSE)$/,
      /^docs\/extension\/README\.md$/,
      /^docs\/rules\/[a-z]+\/[a-z0-9-]+\.md$/,
      /^docs\/rules\/README\.md$/,
      /^docs\/nodeprofiles\.md$/,
      /^(docs\/)?images\/[a-z0-9-]+\.png$/,
      /^syntaxes\/[a-z-]+\.tmLanguage\.json$/,
      /^walkthrough\/[a-z0-9-]+\.md$/,
    ];
    expect(files.filter((file) => !allowed.some((pattern) => pattern.test(file)))).toEqual([]);
  });

  it('packs no tests, sources or source maps', () => {
    expect(files.filter((file) => /^(test|core|server|client|cli|scripts|bench)\//.test(file) || file.endsWith('.map') || file.endsWith('.ts'))).toEqual([]);
    expect(files).toContain('dist/server.js');
    expect(files).toContain('dist/client.js');
  });
});
