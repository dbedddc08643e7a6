#!/usr/bin/env node
// Generates docs/rules/<family>/<name>.md for every rule, the rule table in
// docs/rules/README.md and README.md, and the JSON schema of the
// `meshlens.rules` setting in package.json (one property per rule id, so
// VS Code completes and validates ids in settings.json) from the one rule
// registry (core/src/rules/index.ts). With --check, exits 1 when any file is
// stale.
import * as esbuild from 'esbuild';
import { existsSync, mkdirSync, readFileSync, writeFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const check = process.argv.includes('--check');

const bundle = await esbuild.build({
  entryPoints: [join(root, 'core/src/rules/index.ts')],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  write: false,
  logLevel: 'error',
});
const module = { exports: {} };
new Function('module', 'exports', 'require', bundle.outputFiles[0].text)(module, module.exports, createRequire(import.meta.url));
const rules = module.exports.ALL_RULES.map((rule) => rule.meta);

const files = new Map();
for (const meta of rules) {
  const lines = [`# ${meta.id}`, '', `**${meta.title}** · default severity: \`${meta.severity}\`${meta.fix ? ` · quick-fix: ${meta.fix.title}${meta.fix.safe === true ? ' (safe)' : meta.fix.safe === 'varies' ? ' (safe for some findings)' : ''}` : ''}`, ''];
  if (meta.kinds) lines.push(`Applies to: ${meta.kinds.map((kind) => `\`${kind}\``).join(', ')}`, '');
  lines.push(meta.docs.summary, '', '## Why it matters', '', meta.docs.why, '');
  if (meta.docs.bad) {
    const where = meta.docs.exampleFile ? ` (file \`${meta.docs.exampleFile}\`)` : '';
    lines.push('## Example' + where, '', '```yaml', meta.docs.bad.trimEnd(), '```', '');
    if (meta.docs.exampleOptions) lines.push(`With settings: \`${JSON.stringify(meta.docs.exampleOptions)}\`.`, '');
    for (const [path, text] of Object.entries(meta.docs.exampleContext ?? {})) lines.push(`Workspace file \`${path}\`:`, '', '```', text.trimEnd(), '```', '');
  }
  if (meta.docs.good) lines.push('## Instead', '', '```yaml', meta.docs.good.trimEnd(), '```', '');
  if (meta.docs.source) lines.push('## Source of the fact', '', meta.docs.source, '');
  lines.push('## Configure', '', `Severity or \`off\`: setting \`"meshlens.rules": { "${meta.id}": "warning" }\`, CLI \`--rule ${meta.id}=warning\`.`,
    `Suppress one finding: \`# meshlens-disable-next-line ${meta.id}\` above the line; a whole file: \`# meshlens-disable-file ${meta.id}\`.`, '');
  files.set(`docs/rules/${meta.id}.md`, lines.join('\n'));
}
const table = ['| Rule | Severity | Fix | What it finds |', '|---|---|---|---|',
  ...rules.map((meta) => `| [\`${meta.id}\`](docs/rules/${meta.id}.md) | ${meta.severity} | ${meta.fix ? (meta.fix.safe === true ? 'safe' : meta.fix.safe === 'varies' ? 'sometimes safe' : 'yes') : ''} | ${meta.title} |`)].join('\n');
files.set('docs/rules/README.md', `# Rules\n\nGenerated from \`core/src/rules\` by \`npm run gen:docs\`; do not edit.\n\n${table.replaceAll('](docs/rules/', '](')}\n`);

const readmePath = join(root, 'README.md');
if (existsSync(readmePath)) {
  const readme = readFileSync(readmePath, 'utf8');
  const start = '<!-- rules:start -->';
  const end = '<!-- rules:end -->';
  if (readme.includes(start) && readme.includes(end)) {
    const updated = readme.slice(0, readme.indexOf(start) + start.length) + '\n' + table + '\n' + readme.slice(readme.indexOf(end));
    files.set('README.md', updated);
  }
}

// The `meshlens.rules` setting: every rule id and `family/*` with the severities the server accepts.
const packagePath = join(root, 'package.json');
if (existsSync(packagePath)) {
  const packageText = readFileSync(packagePath, 'utf8');
  const manifest = JSON.parse(packageText);
  const properties = manifest.contributes?.configuration?.properties;
  const current = properties?.['meshlens.rules'];
  if (current) {
    const severities = ['error', 'warning', 'info', 'hint', 'off'];
    const severityDescriptions = ['Report as an error.', 'Report as a warning.', 'Report as information.', 'Report as a hint (not in the Problems panel).', 'Do not run the rule.'];
    const families = [...new Set(rules.map((meta) => meta.id.split('/')[0]))].sort();
    const byId = [...rules].sort((a, b) => a.id.localeCompare(b.id));
    properties['meshlens.rules'] = {
      type: 'object',
      default: {},
      markdownDescription: current.markdownDescription,
      properties: Object.fromEntries(byId.map((meta) => [meta.id, {
        type: 'string',
        enum: severities,
        markdownDescription: `${meta.title} (default: \`${meta.severity}\`).`,
      }])),
      patternProperties: {
        [`^(${families.join('|')})/\\*$`]: {
          type: 'string',
          enum: severities,
          enumDescriptions: severityDescriptions,
          markdownDescription: 'Severity of every rule of the family that has no setting of its own.',
        },
      },
      additionalProperties: false,
    };
    files.set('package.json', JSON.stringify(manifest, null, 2) + '\n');
  }
}

// Pages of rules that no longer exist are stale too.
const existing = [];
const walk = (dir) => {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir)) {
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) walk(full);
    else existing.push(full.slice(root.length + 1).split('\\').join('/'));
  }
};
walk(join(root, 'docs/rules'));
const stale = existing.filter((path) => !files.has(path));

let problems = 0;
for (const [path, text] of files) {
  const full = join(root, path);
  const current = existsSync(full) ? readFileSync(full, 'utf8') : undefined;
  if (current === text) continue;
  if (check) {
    console.error(`stale: ${path}`);
    problems++;
  } else {
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text);
  }
}
for (const path of stale) {
  if (check) {
    console.error(`stale (rule removed): ${path}`);
    problems++;
  } else rmSync(join(root, path));
}
if (check && problems > 0) {
  console.error('rule docs are out of date: run npm run gen:docs');
  process.exit(1);
}
console.log(`${check ? 'checked' : 'wrote'} docs for ${rules.length} rules`);
