/**
 * The editor's "Compare Effective Policy with Branch…" through the real server
 * (`dist/server.js` over stdio): a git repository with a base commit, a
 * widened L7 rule in the working tree and the same change still unsaved in
 * an open editor; `meshlens/compareWithRevision` answers the review as
 * Markdown, against what the editor holds. Needs `git` on PATH.
 */

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { keyToUri } from '../../server/src/uris';
import { startLanguageServer } from '../support/lspClient';

const WORKLOADS =
  'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n  namespace: shop\nspec:\n  template:\n    metadata:\n      labels: {app: api}\n---\n' +
  'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  template:\n    metadata:\n      labels: {app: web}\n';
const POLICY = (methods: string[]) =>
  'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata:\n  name: api\n  namespace: shop\nspec:\n  endpointSelector:\n    matchLabels: {app: api}\n  ingress:\n    - fromEndpoints:\n        - matchLabels: {app: web}\n      toPorts:\n        - ports: [{port: "8080", protocol: TCP}]\n          rules:\n            http:\n' +
  methods.map((method) => `              - method: ${method}\n`).join('');

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

function git(cwd: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'user.email=test@example.com', '-c', 'user.name=test', '-c', 'commit.gpgsign=false', ...args], { cwd, stdio: 'pipe' });
}

describe('meshlens/compareWithRevision', () => {
  it('reviews the workspace (unsaved editor text included) against a git revision, and refuses a bad ref', async () => {
    const root = realpathSync(mkdtempSync(join(tmpdir(), 'meshlens-compare-')));
    roots.push(root);
    mkdirSync(join(root, 'apps'));
    writeFileSync(join(root, 'apps', 'workloads.yaml'), WORKLOADS);
    writeFileSync(join(root, 'apps', 'api.yaml'), POLICY(['GET']));
    git(root, 'init', '-q', '-b', 'main');
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 'base');
    const session = await startLanguageServer({ root });
    try {
      const uri = keyToUri(join(root, 'apps', 'api.yaml'));
      await session.waitFor(uri, () => true);
      // The change exists only in the editor: the comparison must see it.
      await session.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: POLICY(['GET', 'DELETE']) } });
      const answer = await session.connection.sendRequest<{ markdown?: string; error?: string }>('meshlens/compareWithRevision', { ref: 'main' });
      expect(answer.error).toBeUndefined();
      expect(answer.markdown).toMatch(/^# Compared with main\n/);
      expect(answer.markdown).toContain('shop/api');
      expect(answer.markdown).toMatch(/DELETE/);
      expect(answer.markdown).toContain('apps/api.yaml');
      // The workload's effective-policy view now ends with what differs from the compared revision.
      const view = await session.connection.sendRequest<{ markdown?: string }>('meshlens/effectivePolicy', { workload: 'shop/api' });
      expect(view.markdown).toContain('## Differences from main');
      expect(view.markdown).toMatch(/🟢 widened \(cilium ingress\): .*DELETE.* — `apps\/api\.yaml:\d+`/);
      const bad = await session.connection.sendRequest<{ error?: string }>('meshlens/compareWithRevision', { ref: '--upload-pack=x' });
      expect(bad.error).toContain('is not a git revision name');
      const missing = await session.connection.sendRequest<{ error?: string }>('meshlens/compareWithRevision', { ref: 'no-such-branch' });
      expect(missing.error).toMatch(/git rev-parse failed|no-such-branch/);
    } finally {
      await session.stop();
    }
  }, 60_000);

  it('checks an upgrade of the workspace: the chart pin moved, the values the target version fails on reported', async () => {
    const root = realpathSync(mkdtempSync(join(tmpdir(), 'meshlens-upgrade-')));
    roots.push(root);
    mkdirSync(join(root, 'infra'));
    writeFileSync(
      join(root, 'infra', 'cilium.yaml'),
      'apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata:\n  name: cilium\n  namespace: kube-system\nspec:\n  interval: 1h\n  url: https://helm.cilium.io\n---\n' +
        'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: cilium\n  namespace: kube-system\nspec:\n  interval: 1h\n  chart:\n    spec:\n      chart: cilium\n      version: "1.14.19"\n      sourceRef:\n        kind: HelmRepository\n        name: cilium\n  values:\n    tunnel: vxlan\n',
    );
    const session = await startLanguageServer({ root });
    try {
      await session.waitFor(keyToUri(join(root, 'infra', 'cilium.yaml')), () => true);
      const answer = await session.connection.sendRequest<{ markdown?: string; error?: string }>('meshlens/upgradeReport', { cilium: '1.16' });
      expect(answer.error).toBeUndefined();
      expect(answer.markdown).toMatch(/^# Upgrade to Cilium 1\.16\.\d+\n/);
      expect(answer.markdown).toContain('#### Upgrade steps meshlens applied before checking');
      expect(answer.markdown).toMatch(/`infra\/cilium\.yaml:\d+`/);
      expect(answer.markdown).toContain('helm/obsolete-value');
      const bad = await session.connection.sendRequest<{ error?: string }>('meshlens/upgradeReport', { cilium: 'banana' });
      expect(bad.error).toContain('is not a cilium version');
    } finally {
      await session.stop();
    }
  }, 60_000);
});
