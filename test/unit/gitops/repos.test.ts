/**
 * `meshlens clusters` on the whole GitOps repositories in ../shared/repos
 * (skipped when absent): the clusters each repository defines, their roots
 * and the Flux release they pin.
 */

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { meshlens } from '../../support/cli';
import { repoRoot, sharedRoot } from '../../support/repo';

const repos = join(sharedRoot, 'repos');
const present = existsSync(join(repos, 'README.md'));
const REPOS_MISSING = 'skipped: ../shared/repos (whole GitOps repositories) is not present beside the repository';

const EXPECTED: Record<string, { clusters: string[]; root: string; flux?: string }> = {
  'billimek__k8s-gitops': { clusters: ['cluster'], root: 'flux-instance HelmRelease', flux: '2.9.4' },
  'bjw-s-labs__home-ops': { clusters: ['cluster'], root: 'flux-instance HelmRelease', flux: '2.x' },
  'buroa__k8s-gitops': { clusters: ['cluster'], root: 'flux-instance HelmRelease', flux: '2.x' },
  'fluxcd__flux2-kustomize-helm-example': { clusters: ['production', 'staging'], root: 'bootstrap folder' },
  'fluxcd__flux2-multi-tenancy': { clusters: ['production', 'staging'], root: 'bootstrap folder' },
  'jfroy__flatops': { clusters: ['cluster'], root: 'flux-instance HelmRelease', flux: '2.x' },
  'joryirving__home-ops': { clusters: ['main', 'test', 'utility'], root: 'flux-instance HelmRelease', flux: '2.x' },
  'onedr0p__home-ops': { clusters: ['cluster'], root: 'flux-instance HelmRelease', flux: '2.x' },
  'sholdee__home-ops': { clusters: ['kustomize'], root: 'kustomization folder' },
};

describe.skipIf(!present)(`clusters of ../shared/repos${present ? '' : ` (${REPOS_MISSING})`}`, () => {
  for (const [repo, expected] of Object.entries(EXPECTED)) {
    it(repo, () => {
      const result = meshlens(['clusters', join(repos, repo), '--format', 'json'], repoRoot);
      expect(result.code, result.stderr).toBe(0);
      const clusters = JSON.parse(result.stdout) as { name: string; roots: { kind: string }[]; flux?: { version: string }; files: number }[];
      expect(clusters.map((cluster) => cluster.name)).toEqual(expected.clusters);
      for (const cluster of clusters) {
        expect(cluster.roots[0].kind).toBe(expected.root);
        expect(cluster.flux?.version).toBe(expected.flux);
        expect(cluster.files).toBeGreaterThan(0);
      }
    });
  }
});
