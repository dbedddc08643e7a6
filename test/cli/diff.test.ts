/**
 * `meshlens diff` end to end through the bundle (`dist/cli.js`): each case is
 * a small repository built as a git history in a temporary directory (a base
 * commit, then the change left in the working tree) and states the exact
 * policy deltas and the lines that cause them. Needs `git` on PATH (it is on
 * every machine the project runs on; the test fails loudly otherwise).
 */

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { meshlens } from '../support/cli';

const WORKLOADS = [
  'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n',
  'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n  namespace: shop\nspec:\n  template:\n    metadata:\n      labels: {app: api}\n',
  'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  template:\n    metadata:\n      labels: {app: web}\n',
].join('---\n');

const API_L7 = (rules: string) =>
  'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata:\n  name: api\n  namespace: shop\nspec:\n  endpointSelector:\n    matchLabels: {app: api}\n  ingress:\n    - fromEndpoints:\n        - matchLabels: {app: web}\n      toPorts:\n        - ports: [{port: "8080", protocol: TCP}]\n' +
  rules;

const WEB_EGRESS = (dns: boolean) =>
  'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata:\n  name: web-egress\n  namespace: shop\nspec:\n  endpointSelector:\n    matchLabels: {app: web}\n  egress:\n' +
  '    - toEndpoints:\n        - matchLabels: {app: api}\n      toPorts:\n        - ports: [{port: "8080", protocol: TCP}]\n' +
  (dns
    ? '    - toEndpoints:\n        - matchLabels: {"k8s:io.kubernetes.pod.namespace": kube-system, "k8s:k8s-app": kube-dns}\n      toPorts:\n        - ports: [{port: "53", protocol: ANY}]\n'
    : '');

const AUTHZ = (from: boolean) =>
  'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: api-allow\n  namespace: shop\nspec:\n  selector:\n    matchLabels: {app: api}\n  action: ALLOW\n  rules:\n' +
  (from ? '    - from:\n        - source:\n            principals: ["cluster.local/ns/shop/sa/web"]\n      to:\n' : '    - to:\n') +
  '        - operation:\n            methods: ["GET"]\n';

const CILIUM_RELEASE = (values: string) =>
  'apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata:\n  name: cilium\n  namespace: kube-system\nspec:\n  interval: 1h\n  url: https://helm.cilium.io\n---\n' +
  'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: cilium\n  namespace: kube-system\nspec:\n  interval: 1h\n  chart:\n    spec:\n      chart: cilium\n      version: "1.17.4"\n      sourceRef:\n        kind: HelmRepository\n        name: cilium\n  values:\n' +
  values;

const DB_POLICY = (extra: string) =>
  'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata:\n  name: db\n  namespace: shop\nspec:\n  endpointSelector:\n    matchLabels: {app: db}\n  ingress:\n    - fromEndpoints:\n        - matchLabels: {app: api}\n      toPorts:\n        - ports: [{port: "27017", protocol: TCP}]\n' +
  extra;

const SIDECAR_NS = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    istio-injection: enabled\n';

interface Expected {
  workload: string;
  layer: string;
  direction: string;
  effect: string;
  kind: string;
  /** 1-based line and file of the source (head for additions, base for removals). */
  at: string;
  allowAll?: boolean;
  dnsLost?: boolean;
  l7?: string;
}

interface Case {
  name: string;
  base: Record<string, string>;
  head: Record<string, string | null>;
  changes: Expected[];
  introduced?: string[];
  fixed?: string[];
}

const CASES: Case[] = [
  {
    name: 'a widened L7 rule: a new HTTP method on the same port',
    base: { 'apps/workloads.yaml': WORKLOADS, 'apps/api.yaml': API_L7('          rules:\n            http:\n              - method: GET\n                path: "/orders/.*"\n') },
    head: { 'apps/api.yaml': API_L7('          rules:\n            http:\n              - method: GET\n                path: "/orders/.*"\n              - method: DELETE\n                path: "/orders/.*"\n') },
    changes: [{ workload: 'shop/api', layer: 'cilium', direction: 'ingress', effect: 'widened', kind: 'l7-widened', l7: 'DELETE /orders/.*', at: 'apps/api.yaml:18' }],
  },
  {
    name: 'L7 rules removed: every request on the port is allowed',
    base: { 'apps/workloads.yaml': WORKLOADS, 'apps/api.yaml': API_L7('          rules:\n            http:\n              - method: GET\n                path: "/orders/.*"\n') },
    head: { 'apps/api.yaml': API_L7('') },
    changes: [{ workload: 'shop/api', layer: 'cilium', direction: 'ingress', effect: 'widened', kind: 'l7-widened', at: 'apps/api.yaml:13' }],
  },
  {
    name: 'a removed DNS egress rule is called out',
    base: { 'apps/workloads.yaml': WORKLOADS, 'apps/web.yaml': WEB_EGRESS(true) },
    head: { 'apps/web.yaml': WEB_EGRESS(false) },
    changes: [{ workload: 'shop/web', layer: 'cilium', direction: 'egress', effect: 'narrowed', kind: 'allow-removed', at: 'apps/web.yaml:17 (base)', dnsLost: true }],
  },
  {
    name: 'a new clusterwide default deny isolates every workload',
    base: { 'apps/workloads.yaml': WORKLOADS },
    head: {
      'platform/default-deny.yaml':
        'apiVersion: cilium.io/v2\nkind: CiliumClusterwideNetworkPolicy\nmetadata:\n  name: default-deny\nspec:\n  endpointSelector: {}\n  ingress:\n    - fromEntities: [cluster]\n',
    },
    changes: [
      { workload: 'shop/api', layer: 'cilium', direction: 'ingress', effect: 'narrowed', kind: 'isolated', at: 'platform/default-deny.yaml:7' },
      { workload: 'shop/web', layer: 'cilium', direction: 'ingress', effect: 'narrowed', kind: 'isolated', at: 'platform/default-deny.yaml:7' },
    ],
  },
  {
    name: 'an Istio ALLOW that lost its from: any source may call',
    base: { 'apps/ns.yaml': SIDECAR_NS, 'apps/workloads.yaml': WORKLOADS.split('---\n').slice(1).join('---\n'), 'apps/authz.yaml': AUTHZ(true) },
    head: { 'apps/authz.yaml': AUTHZ(false) },
    changes: [
      { workload: 'shop/api', layer: 'istio-sidecar', direction: 'ingress', effect: 'widened', kind: 'allow-added', at: 'apps/authz.yaml:11' },
      { workload: 'shop/api', layer: 'istio-sidecar', direction: 'ingress', effect: 'narrowed', kind: 'allow-removed', at: 'apps/authz.yaml:11 (base)' },
    ],
  },
  {
    name: 'a Kubernetes NetworkPolicy added next to a CNP isolates the pods it selects for its direction',
    base: { 'apps/workloads.yaml': WORKLOADS, 'apps/web.yaml': WEB_EGRESS(true) },
    head: {
      'apps/api-netpol.yaml':
        'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: api-ingress\n  namespace: shop\nspec:\n  podSelector:\n    matchLabels: {app: api}\n  policyTypes: [Ingress]\n  ingress:\n    - from:\n        - podSelector:\n            matchLabels: {app: web}\n      ports:\n        - {port: 8080, protocol: TCP}\n',
    },
    changes: [{ workload: 'shop/api', layer: 'cilium', direction: 'ingress', effect: 'narrowed', kind: 'isolated', at: 'apps/api-netpol.yaml:11' }],
  },
  {
    name: 'a values change that turns off l7Proxy: the L7 policy is rejected',
    base: {
      'apps/workloads.yaml': WORKLOADS,
      'apps/api.yaml': API_L7('          rules:\n            http:\n              - method: GET\n'),
      'infra/cilium.yaml': CILIUM_RELEASE('    l7Proxy: true\n'),
    },
    head: { 'infra/cilium.yaml': CILIUM_RELEASE('    l7Proxy: false\n') },
    // The agent refuses the policy (L7 rules without the proxy): it is not in force, so the API's ingress opens up.
    changes: [{ workload: 'shop/api', layer: 'cilium', direction: 'ingress', effect: 'widened', kind: 'opened', at: 'apps/api.yaml:9 (base)', allowAll: true }],
    introduced: ['apps/api.yaml cnp/l7-proxy-disabled'],
  },
  {
    name: 'an overlay-only change: a kustomize patch in the prod overlay turns off l7Proxy, the base release is untouched',
    base: {
      'apps/workloads.yaml': WORKLOADS,
      'apps/api.yaml': API_L7('          rules:\n            http:\n              - method: GET\n'),
      'infra/base/cilium.yaml': CILIUM_RELEASE('    l7Proxy: true\n'),
      'infra/base/kustomization.yaml': 'resources:\n  - cilium.yaml\n',
      'infra/prod/kustomization.yaml': 'resources:\n  - ../base\n',
    },
    head: {
      'infra/prod/kustomization.yaml': 'resources:\n  - ../base\npatches:\n  - path: no-l7-proxy.yaml\n',
      'infra/prod/no-l7-proxy.yaml': 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: cilium\n  namespace: kube-system\nspec:\n  values:\n    l7Proxy: false\n',
    },
    // The build of the overlay is what the cluster runs: the same impact as editing the values inline.
    changes: [{ workload: 'shop/api', layer: 'cilium', direction: 'ingress', effect: 'widened', kind: 'opened', at: 'apps/api.yaml:9 (base)', allowAll: true }],
    introduced: ['apps/api.yaml cnp/l7-proxy-disabled'],
  },
  {
    name: 'pods no manifest declares (an operator makes them) are compared by the label set the policy selects; world access is called out',
    base: { 'apps/db.yaml': DB_POLICY('') },
    head: { 'apps/db.yaml': DB_POLICY('    - fromEntities: [world]\n      toPorts:\n        - ports: [{port: "27017", protocol: TCP}]\n') },
    changes: [{ workload: 'shop/app=db', layer: 'cilium', direction: 'ingress', effect: 'widened', kind: 'allow-added', at: 'apps/db.yaml:16', allowAll: true }],
  },
];

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

function git(cwd: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'user.email=test@example.com', '-c', 'user.name=test', '-c', 'commit.gpgsign=false', ...args], { cwd, stdio: 'pipe' });
}

function write(root: string, files: Record<string, string | null>): void {
  for (const [path, text] of Object.entries(files)) {
    const target = join(root, path);
    if (text === null) rmSync(target);
    else {
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, text);
    }
  }
}

function repository(testCase: Pick<Case, 'base' | 'head'>): string {
  const root = mkdtempSync(join(tmpdir(), 'meshlens-diff-'));
  roots.push(root);
  write(root, testCase.base);
  git(root, 'init', '-q');
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'base');
  write(root, testCase.head);
  return root;
}

interface JsonChange extends Omit<Expected, 'at'> {
  source: { file: string; line: number };
  revision: 'base' | 'head';
  allowAll: boolean;
  dnsLost: boolean;
}

describe('meshlens diff: policy impact per case', () => {
  for (const testCase of CASES) {
    it(testCase.name, () => {
      const root = repository(testCase);
      const result = meshlens(['diff', '.', '--base', 'HEAD', '--format', 'json', '--fail-on', 'none'], root);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const report = JSON.parse(result.stdout) as { impact: { changes: JsonChange[] } };
      const actual = report.impact.changes.map((change) => ({
        workload: change.workload,
        layer: change.layer,
        direction: change.direction,
        effect: change.effect,
        kind: change.kind,
        at: `${change.source.file}:${change.source.line}${change.revision === 'base' ? ' (base)' : ''}`,
        ...(change.allowAll ? { allowAll: true } : {}),
        ...(change.dnsLost ? { dnsLost: true } : {}),
        ...(change.l7 && testCase.changes.some((expected) => expected.l7) ? { l7: change.l7 } : {}),
      }));
      expect(actual).toEqual(testCase.changes);
      if (testCase.introduced) {
        const findings = (JSON.parse(result.stdout) as { findings: { introduced: { file: string; rule: string }[] } }).findings;
        expect(findings.introduced.map((finding) => `${finding.file} ${finding.rule}`)).toEqual(testCase.introduced);
      }
    });
  }
});

describe('meshlens diff: reports and exit codes', () => {
  const dnsCase = CASES.find((testCase) => testCase.name.includes('DNS'))!;

  it('fails per --fail-on: dns and narrowed match, widened does not', () => {
    const root = repository(dnsCase);
    expect(meshlens(['diff', '.', '--base', 'HEAD', '--fail-on', 'dns'], root).code).toBe(1);
    expect(meshlens(['diff', '.', '--base', 'HEAD', '--fail-on', 'narrowed'], root).code).toBe(1);
    expect(meshlens(['diff', '.', '--base', 'HEAD', '--fail-on', 'widened'], root).code).toBe(0);
    expect(meshlens(['diff', '.', '--base', 'HEAD', '--fail-on', 'bogus'], root).code).toBe(2);
  });

  it('writes Markdown with the DNS call-out first, a Mermaid graph and a section per namespace', () => {
    const root = repository(dnsCase);
    const result = meshlens(['diff', '.', '--base', 'HEAD', '--format', 'markdown'], root);
    expect(result.code).toBe(0);
    const text = result.stdout;
    expect(text).toContain('**Policy:** 0 widened, 1 narrowed');
    expect(text).toMatch(/- ⚠️ \*\*DNS egress lost\*\* `shop\/web` cilium egress: .*`apps\/web.yaml:17 \(base\)`/);
    expect(text).toContain('```mermaid\nflowchart LR');
    expect(text).toMatch(/n0 -\.->\|"− 53\/ANY"\| n1/);
    expect(text).toContain('<details><summary>namespace <code>shop</code>: 0 widened, 1 narrowed</summary>');
  });

  it('reports introduced and fixed findings, not unchanged ones, and limits SARIF to changed lines', () => {
    const base = {
      'apps/a.yaml': 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata:\n  name: a\n  namespace: shop\nspec:\n  endpointSelector: {}\n  ingress:\n    - fromEntities: [World]\n',
      'apps/b.yaml': 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata:\n  name: b\n  namespace: shop\nspec:\n  endpointSelector: {}\n  ingress:\n    - fromEntities: [Host]\n',
    };
    // The change fixes a.yaml, leaves b.yaml's finding alone (moved down a line) and adds one in c.yaml.
    const head = {
      'apps/a.yaml': base['apps/a.yaml'].replace('World', 'world'),
      'apps/b.yaml': `# moved\n${base['apps/b.yaml']}`,
      'apps/c.yaml': base['apps/a.yaml'].replace('name: a', 'name: c'),
    };
    const root = repository({ base, head });
    const json = JSON.parse(meshlens(['diff', 'apps', '--base', 'HEAD', '--format', 'json', '--fail-on', 'none'], root).stdout) as {
      findings: { introduced: { file: string; rule: string; line: number }[]; fixed: { file: string; rule: string }[]; unchanged: number };
    };
    expect(json.findings.introduced.map((finding) => `${finding.file}:${finding.line} ${finding.rule}`)).toEqual(['apps/c.yaml:9 cnp/unknown-entity']);
    expect(json.findings.fixed.map((finding) => `${finding.file} ${finding.rule}`)).toEqual(['apps/a.yaml cnp/unknown-entity']);
    expect(json.findings.unchanged).toBe(1);
    const sarif = JSON.parse(meshlens(['diff', 'apps', '--base', 'HEAD', '--format', 'sarif'], root).stdout) as {
      runs: { results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[];
    };
    expect(sarif.runs[0].results.map((result) => `${result.locations[0].physicalLocation.artifactLocation.uri} ${result.ruleId}`)).toEqual(['apps/c.yaml cnp/unknown-entity']);
    expect(meshlens(['diff', 'apps', '--base', 'HEAD'], root).code).toBe(1); // default --fail-on error: an introduced error
  });

  it('compares with a checked-out base directory', () => {
    const baseRoot = mkdtempSync(join(tmpdir(), 'meshlens-diff-base-'));
    const headRoot = mkdtempSync(join(tmpdir(), 'meshlens-diff-head-'));
    roots.push(baseRoot, headRoot);
    write(baseRoot, dnsCase.base);
    write(headRoot, { ...dnsCase.base, ...dnsCase.head });
    const result = meshlens(['diff', headRoot, '--base-dir', baseRoot, '--format', 'json'], headRoot);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { impact: { changes: JsonChange[] } };
    expect(report.impact.changes.map((change) => `${change.kind} ${change.source.file}:${change.source.line} dns=${change.dnsLost}`)).toEqual(['allow-removed apps/web.yaml:17 dns=true']);
  });

  it('refuses an unknown revision and a path outside a git repository with exit 2', () => {
    const root = repository(dnsCase);
    const unknown = meshlens(['diff', '.', '--base', 'no-such-ref'], root);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('git rev-parse failed');
    expect(meshlens(['diff', '.'], root).code).toBe(2);
  });
});
