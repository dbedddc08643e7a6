/**
 * `meshlens upgrade` through the bundle: the repository judged as it is and
 * after the version changes, compared like `meshlens diff`. Cases: a Cilium
 * minor upgrade that makes the chart fail on removed values (with their
 * quick-fixes) and makes the 1.19 CRD reject a policy field; an OCIRepository
 * chartRef rewritten in place; a version from a substitution left alone with a
 * note; an Istio upgrade that makes a policy's field known.
 */

import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { meshlens } from '../support/cli';

function repository(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'meshlens-upgrade-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const HELM_REPOSITORY = 'apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata:\n  name: cilium\n  namespace: kube-system\nspec:\n  interval: 1h\n  url: https://helm.cilium.io\n';
const RELEASE = (version: string, values: string) =>
  `apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: cilium\n  namespace: kube-system\nspec:\n  interval: 1h\n  chart:\n    spec:\n      chart: cilium\n      version: ${version}\n      sourceRef:\n        kind: HelmRepository\n        name: cilium\n  values:\n${values}`;
const REQUIRES_POLICY =
  'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata:\n  name: api\n  namespace: shop\nspec:\n  endpointSelector:\n    matchLabels: {app: api}\n  ingress:\n    - fromRequires:\n        - matchLabels: {env: prod}\n      fromEndpoints:\n        - matchLabels: {app: web}\n';

interface UpgradeJson {
  targets: string[];
  steps: { edits: { file: string; line: number; change: string }[]; notes: { file: string; message: string }[] };
  findings: { introduced: { file: string; line: number; rule: string; severity: string; fix?: string }[]; fixed: { rule: string; severity: string }[]; unchanged: number };
}

function upgrade(root: string, ...args: string[]): { code: number | null; json: UpgradeJson } {
  const result = meshlens(['upgrade', '.', ...args, '--format', 'json', '--fail-on', 'none'], root);
  expect(result.stderr).toBe('');
  return { code: result.code, json: JSON.parse(result.stdout) as UpgradeJson };
}

describe('meshlens upgrade --cilium', () => {
  it('reports values the new chart fails on, with quick-fixes, and a policy field the new CRD rejects; the repository is not changed', () => {
    const release = RELEASE('"1.18.3"', '    tunnel: vxlan\n    kubeProxyReplacement: strict\n');
    const root = repository({ 'infra/repo.yaml': HELM_REPOSITORY, 'infra/cilium.yaml': release, 'apps/policy.yaml': REQUIRES_POLICY });
    const { json } = upgrade(root, '--cilium', '1.19');
    expect(json.targets).toEqual([expect.stringMatching(/^Cilium 1\.19\.\d+$/)]);
    expect(json.steps.edits).toEqual([{ file: 'infra/cilium.yaml', line: 11, change: expect.stringMatching(/^HelmRelease cilium chart 1\.18\.3 → 1\.19\.\d+$/) }]);
    const introduced = json.findings.introduced.map((finding) => `${finding.file}:${finding.line} ${finding.severity} ${finding.rule}${finding.fix ? ' (fix)' : ''}`);
    expect(introduced).toContain('apps/policy.yaml:10 error cnp/deprecated-requires');
    // Already errors on 1.18.3 (the chart fails there too): unchanged, not introduced.
    expect(introduced.filter((line) => line.includes('helm/obsolete-value'))).toEqual([]);
    expect(readFileSync(join(root, 'infra/cilium.yaml'), 'utf8')).toBe(release);
  });

  it('turns deprecated values into chart failures across minors and names the quick-fix', () => {
    const root = repository({ 'infra/repo.yaml': HELM_REPOSITORY, 'infra/cilium.yaml': RELEASE('1.14.5', '    kubeProxyReplacement: strict\n') });
    const result = meshlens(['upgrade', '.', '--cilium', '1.16'], root);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/infra\/cilium\.yaml:11: HelmRelease cilium chart 1\.14\.5 → 1\.16\.\d+/);
    expect(result.stdout).toMatch(/\+ infra\/cilium\.yaml:16:5: error helm\/obsolete-value: .*\[quick-fix: Set "kubeProxyReplacement: true"\]/);
  });

  it('rewrites an OCIRepository tag that a chartRef names, keeping its quotes', () => {
    const oci = 'apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: cilium\n  namespace: kube-system\nspec:\n  interval: 1h\n  url: oci://quay.io/cilium/charts/cilium\n  ref:\n    tag: \'1.16.5\'\n';
    const release = 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: cilium\n  namespace: kube-system\nspec:\n  interval: 1h\n  chartRef:\n    kind: OCIRepository\n    name: cilium\n  values:\n    kubeProxyReplacement: true\n';
    const root = repository({ 'infra/oci.yaml': oci, 'infra/cilium.yaml': release });
    const { json } = upgrade(root, '--cilium', '1.17.2');
    expect(json.steps.edits).toEqual([{ file: 'infra/oci.yaml', line: 10, change: "OCIRepository cilium ref.tag 1.16.5 → 1.17.2" }]);
  });

  it('leaves a version set through a substitution alone and says so', () => {
    const root = repository({ 'infra/repo.yaml': HELM_REPOSITORY, 'infra/cilium.yaml': RELEASE('${CILIUM_VERSION}', '    kubeProxyReplacement: true\n') });
    const { json } = upgrade(root, '--cilium', '1.18');
    expect(json.steps.edits).toEqual([]);
    expect(json.steps.notes).toEqual([expect.objectContaining({ file: 'infra/cilium.yaml', message: expect.stringContaining('set the variable to 1.18.') })]);
  });

  it('refuses an unknown target with exit 2', () => {
    const root = repository({ 'infra/repo.yaml': HELM_REPOSITORY });
    expect(meshlens(['upgrade', '.', '--cilium', '9.9'], root).code).toBe(2);
    expect(meshlens(['upgrade', '.'], root).code).toBe(2);
  });
});

describe('meshlens upgrade --istio', () => {
  it('a field the older Istio does not know stops being a finding after the upgrade', () => {
    const policy = 'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: api\n  namespace: shop\nspec:\n  targetRefs:\n    - {group: gateway.networking.k8s.io, kind: Gateway, name: waypoint}\n  action: ALLOW\n  rules:\n    - {}\n';
    const root = repository({ 'apps/authz.yaml': policy });
    const { json } = upgrade(root, '--istio-version', '1.21', '--istio', '1.22');
    expect(json.findings.fixed.map((finding) => `${finding.severity} ${finding.rule}`)).toContain('error authz/unsupported-in-version');
    expect(json.findings.introduced.filter((finding) => finding.rule === 'authz/unsupported-in-version')).toEqual([]);
  });
});
