/**
 * Real-world check: the whole core over the Cilium HelmReleases of the
 * corpus (`../shared/corpus/real-world/` and `real-world-history/`, resolved
 * relative to the repository root). Prints the helm/* findings by rule and
 * severity, and every error with its file and line, for review: old
 * repositories use removed keys, so true findings are expected.
 */

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MeshlensService } from '../../../core/src/service';
import { defaultAnalysisOptions } from '../../../core/src/options';
import { ciliumReleases } from '../../../core/src/helm/ciliumReleases';
import { sharedRoot } from '../../support/repo';

const corpusRoot = join(sharedRoot, 'corpus');
const folders = ['real-world', 'real-world-history'].map((name) => join(corpusRoot, name));
const hasCorpus = folders.every((folder) => existsSync(folder));
if (!hasCorpus) console.log(`skipped: the corpus folders ${folders.map((folder) => relative(sharedRoot, folder)).join(', ')} are not present beside the repository (../shared)`);

function yamlFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir)) {
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) found.push(...yamlFiles(full));
    else if (/\.ya?ml$/.test(entry)) found.push(full);
  }
  return found;
}

/** One workspace per repository snapshot: real-world/<repo>/, real-world-history/<repo>/<snapshot>/. */
function snapshots(): string[] {
  const roots: string[] = [];
  for (const repository of readdirSync(folders[0])) roots.push(join(folders[0], repository));
  for (const repository of readdirSync(folders[1])) {
    for (const snapshot of readdirSync(join(folders[1], repository))) {
      const full = join(folders[1], repository, snapshot);
      if (statSync(full).isDirectory()) roots.push(full);
    }
  }
  return roots.filter((root) => statSync(root).isDirectory());
}

describe.skipIf(!hasCorpus)('Cilium HelmReleases of the real-world corpus', () => {
  it('are analysed without rule failures, and their findings are listed', () => {
    const options = defaultAnalysisOptions();
    const counts = new Map<string, number>();
    const errors: string[] = [];
    const ruleFailures: string[] = [];
    let releaseCount = 0;
    const versions = new Map<string, number>();
    for (const root of snapshots()) {
      const service = new MeshlensService({
        roots: [root],
        host: { readFile: (path) => (existsSync(path) && statSync(path).isFile() ? readFileSync(path, 'utf8') : undefined) },
        hooks: { onRuleError: (rule, file, error) => ruleFailures.push(`${rule} ${file}: ${String(error)}`) },
      });
      const files = yamlFiles(root);
      for (const file of files) service.setFile(file, readFileSync(file, 'utf8'));
      const releases = ciliumReleases(service.workspace);
      if (releases.length === 0) continue;
      releaseCount += releases.length;
      for (const release of releases) versions.set(release.version.minor, (versions.get(release.version.minor) ?? 0) + 1);
      for (const file of files) {
        for (const diagnostic of service.diagnostics(file, options)) {
          if (!diagnostic.rule.startsWith('helm/')) continue;
          const key = `${diagnostic.rule} ${diagnostic.severity}`;
          counts.set(key, (counts.get(key) ?? 0) + 1);
          // Every finding must point at real text of its file.
          expect(diagnostic.end).toBeGreaterThanOrEqual(diagnostic.start);
          if (process.env.MESHLENS_CORPUS_ALL === "1" && diagnostic.severity !== "error") console.log(`${relative(corpusRoot, file)}:${diagnostic.range.start.line + 1}: ${diagnostic.rule} ${diagnostic.severity}: ${diagnostic.message}`);
          if (diagnostic.severity === "error") {
            errors.push(`${relative(corpusRoot, file)}:${diagnostic.range.start.line + 1}: ${diagnostic.rule}: ${diagnostic.message}`);
          }
        }
      }
    }
    const table = [...counts.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([key, count]) => `  ${key}: ${count}`);
    console.log(`Cilium HelmReleases: ${releaseCount}; by catalog minor: ${[...versions.entries()].sort().map(([minor, count]) => `${minor}=${count}`).join(', ')}`);
    console.log(`helm/* findings by rule and severity:\n${table.join('\n')}`);
    console.log(`error findings (${errors.length}):\n${errors.join('\n')}`);
    expect(ruleFailures).toEqual([]);
    // The corpus README lists 62 + 42 Cilium HelmReleases; some live in repositories whose
    // HelmRepository is elsewhere, which still counts (the chart name decides).
    expect(releaseCount).toBeGreaterThan(80);
  });
});
