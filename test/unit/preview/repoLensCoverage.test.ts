/**
 * Lens coverage on the whole GitOps repositories of `../shared/repos`: for each
 * CiliumNetworkPolicy / CiliumClusterwideNetworkPolicy / AuthorizationPolicy / NetworkPolicy,
 * the head lens names the workloads the policy selects. The test counts head
 * lenses that still say "no workload" per repository and checks them against
 * the policies whose selectors truly match nothing there (listed below with
 * the reason). Reads `../shared`; skipped with a message when it is absent.
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectFiles } from '../../../cli/src/collectFiles';
import { defaultAnalysisOptions } from '../../../core/src/options';
import { MeshlensService } from '../../../core/src/service';
import { hasShared, SHARED_MISSING, sharedRoot } from '../../support/repo';

/**
 * Head lenses and how many still say "no workload", per repository. Before inferred workloads: bjw-s 18/18,
 * onedr0p 1/1, jfroy 13/15, sholdee 19/27. What remains selects pods the repository cannot show: runner and
 * operator pods (forgejo runner, rook-ceph RGW, tailscale proxies, CNPG poolers), reserved identities, charts
 * rendered by kustomize `helmCharts` or Argo CD with chart-specific labels (sholdee), and a selector whose
 * values no release produces (jfroy buildkit: instance buildkit-amd64/arm64 vs release name buildkit).
 * Kubernetes NetworkPolicies count too: the dragonfly component's (bjw-s, joryirving) selects `${APP}-dragonfly`,
 * known only after Flux substitutes it. buroa has no network policy at all.
 */
const EXPECTED: Record<string, { heads: number; noWorkload: number }> = {
  'bjw-s-labs__home-ops': { heads: 19, noWorkload: 2 },
  'onedr0p__home-ops': { heads: 1, noWorkload: 0 },
  'buroa__k8s-gitops': { heads: 0, noWorkload: 0 },
  // One of its 15 policies (jellyfin) uses a lookahead `(?!` in an HTTP path, which RE2 refuses: the agent
  // rejects that policy, so its lens says "not in force" instead of what it selects.
  'jfroy__flatops': { heads: 14, noWorkload: 5 },
  'sholdee__home-ops': { heads: 27, noWorkload: 19 },
  'joryirving__home-ops': { heads: 1, noWorkload: 1 },
};
const REPOS = Object.keys(EXPECTED);
const POLICY_KINDS = /^kind:\s*(CiliumNetworkPolicy|CiliumClusterwideNetworkPolicy|AuthorizationPolicy|NetworkPolicy)\s*$/m;

export interface LensCount {
  repo: string;
  heads: number;
  noWorkload: string[];
}

export function countLenses(repo: string): LensCount {
  const root = join(sharedRoot, 'repos', repo);
  const { files, roots } = collectFiles([root]);
  const service = new MeshlensService({ roots, host: { readFile: (path) => readFileSync(path, 'utf8') } });
  const texts = new Map<string, string>();
  for (const file of files) {
    const text = readFileSync(file.key, 'utf8');
    texts.set(file.key, text);
    service.setFile(file.key, text);
  }
  const options = defaultAnalysisOptions({});
  const result: LensCount = { repo, heads: 0, noWorkload: [] };
  for (const [path, text] of texts) {
    if (!POLICY_KINDS.test(text)) continue;
    for (const lens of service.codeLenses(path, options)) {
      if (!/^(selects |(ALLOW|DENY|CUSTOM|AUDIT)( \(dry-run\))? · applies to )/.test(lens.title)) continue;
      result.heads += 1;
      if (lens.title.includes('no workload')) result.noWorkload.push(`${path.slice(root.length + 1)}: ${lens.title}`);
    }
  }
  return result;
}

describe.skipIf(!hasShared)('policy lenses on whole repositories', () => {
  it.each(REPOS)('%s', (repo) => {
    const count = countLenses(repo);
    console.log(`${repo}: ${count.noWorkload.length}/${count.heads} head lenses say "no workload"`);
    for (const line of count.noWorkload) console.log(`  ${line}`);
    expect({ heads: count.heads, noWorkload: count.noWorkload.length }).toEqual(EXPECTED[repo]);
  });
});

if (!hasShared) console.log(SHARED_MISSING);
