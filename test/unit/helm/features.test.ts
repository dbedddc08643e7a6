/**
 * Hover and completion on Helm values through MeshlensService, with `$0`
 * marking the cursor: Cilium keys per resolved chart version, keys inside a
 * ConfigMap values block, and a chart folder in the workspace.
 */

import { describe, expect, it } from 'vitest';
import { MeshlensService } from '../../../core/src/service';
import { defaultAnalysisOptions } from '../../../core/src/options';
import { ciliumHelmRelease } from '../../support/manifests';

const options = defaultAnalysisOptions();

function withCursor(text: string): { text: string; offset: number } {
  const offset = text.indexOf('$0');
  if (offset < 0) throw new Error('fixture needs a $0 cursor marker');
  return { text: text.slice(0, offset) + text.slice(offset + 2), offset };
}

const release = (version: string, values: string) => ciliumHelmRelease(version, `  values:\n${values}`);

function service(files: Record<string, string>, disk: Record<string, string> = {}): MeshlensService {
  const meshlens = new MeshlensService({ roots: ['/repo'], host: { readFile: (path) => disk[path] } });
  for (const [path, text] of Object.entries(files)) meshlens.setFile(path, text);
  return meshlens;
}

function hoverAt(text: string, extra: Record<string, string> = {}, disk: Record<string, string> = {}, file = '/repo/release.yaml') {
  const { text: clean, offset } = withCursor(text);
  const meshlens = service({ ...extra, [file]: clean }, disk);
  return meshlens.hover(file, offset, options);
}

function completeAt(text: string, extra: Record<string, string> = {}, disk: Record<string, string> = {}) {
  const { text: clean, offset } = withCursor(text);
  const meshlens = service({ ...extra, '/repo/release.yaml': clean }, disk);
  return meshlens.completions('/repo/release.yaml', offset, options);
}

describe('hover on Cilium values', () => {
  it('shows type, default, description, history and the version note', () => {
    const result = hoverAt(release('1.16.5', '    hubble:\n      rel$0ay:\n        enabled: true\n'));
    expect(result?.contents).toContain('**hubble.relay** — Cilium chart 1.16.5 value');
    const leaf = hoverAt(release('1.16.5', '    hubble:\n      relay:\n        ena$0bled: true\n'));
    expect(leaf?.contents).toContain('Type: `boolean`');
    expect(leaf?.contents).toContain('Default in 1.16: `false`');
    expect(leaf?.contents).toMatch(/Versions: exists in 1\.14, 1\.15, 1\.16/);
    expect(leaf?.contents).toContain('Chart 1.16.5; checked against the 1.16 catalog');
  });

  it('says how a range was resolved', () => {
    const result = hoverAt(release('1.18.x', '    routing$0Mode: native\n'));
    expect(result?.contents).toMatch(/Range "1\.18\.x": using 1\.18\.\d+/);
    expect(result?.contents).toContain('Allowed: `""`, `tunnel`, `native`');
  });

  it('marks commented-out keys and absent versions', () => {
    const result = hoverAt(release('1.16.5', '    kubeProxy$0Replacement: true\n'));
    expect(result?.contents).toContain('Shown commented out in values.yaml');
    const removed = hoverAt(release('1.16.5', '    tun$0nel: vxlan\n'));
    expect(removed?.contents).toContain('Not a value of this chart version');
    expect(removed?.contents).toMatch(/absent in 1\.15/);
  });

  it('answers on a key inside a ConfigMap values block that feeds a release', () => {
    const hr = release('1.17.2', '    operator:\n      replicas: 1\n').replace('  values:\n', '  valuesFrom:\n    - kind: ConfigMap\n      name: cilium-values\n  values:\n');
    const configMap = `apiVersion: v1
kind: ConfigMap
metadata:
  name: cilium-values
  namespace: kube-system
data:
  values.yaml: |
    ipam:
      mo$0de: kubernetes
`;
    const result = hoverAt(configMap, { '/repo/release.yaml': hr }, {}, '/repo/configmap.yaml');
    expect(result?.contents).toContain('**ipam.mode** — Cilium chart 1.17.2 value');
    expect(result?.contents).toContain('Allowed:');
    const { text, offset } = withCursor(configMap);
    // The hover range is the key inside the block, in ConfigMap file offsets.
    expect(text.slice(result!.start, result!.end)).toBe('mode');
    expect(offset).toBeGreaterThanOrEqual(result!.start);
  });

  it('shows the helm-docs comment of a chart folder in the workspace', () => {
    const hr = `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: podinfo
  namespace: apps
spec:
  interval: 10m
  chart:
    spec:
      chart: ./charts/podinfo
      sourceRef:
        kind: GitRepository
        name: flux-system
  values:
    service:
      ty$0pe: NodePort
`;
    const disk = {
      '/repo/charts/podinfo/Chart.yaml': 'apiVersion: v2\nname: podinfo\nversion: 6.5.0\n',
      '/repo/charts/podinfo/values.yaml': 'service:\n  # -- Service type.\n  # Use LoadBalancer to expose it.\n  type: ClusterIP\n',
    };
    const result = hoverAt(hr, {}, disk, '/repo/apps/podinfo.yaml');
    expect(result?.contents).toContain('chart podinfo 6.5.0');
    expect(result?.contents).toContain('Service type. Use LoadBalancer to expose it.');
    expect(result?.contents).toContain('Default: `"ClusterIP"`');
  });
});

describe('completion of Cilium values', () => {
  it('offers child keys at depth, without existing siblings, with YAML-correct insertion', () => {
    const items = completeAt(release('1.16.5', '    hubble:\n      enabled: true\n      $0\n'));
    const labels = items.map((item) => item.label);
    expect(labels).toContain('relay');
    expect(labels).toContain('ui');
    expect(labels).not.toContain('enabled');
    const relay = items.find((item) => item.label === 'relay')!;
    expect(relay.insertText).toBe('relay:\n        $0');
    const metrics = items.find((item) => item.label === 'metrics')!;
    expect(metrics.insertText).toMatch(/^metrics:\n/);
  });

  it('tags keys the chart has deprecated and offers them after the current ones', () => {
    // hubble.tls.server.cert/key are deprecated from 1.16 on (still read by the chart).
    const items = completeAt(release('1.16.5', '    hubble:\n      tls:\n        server:\n          $0\n'));
    const cert = items.find((item) => item.label === 'cert');
    expect(cert?.deprecated).toBe(true);
    const firstDeprecated = items.findIndex((item) => item.deprecated);
    expect(firstDeprecated).toBeGreaterThan(0);
    expect(items.slice(firstDeprecated).every((item) => item.deprecated)).toBe(true);
    expect(items.slice(0, firstDeprecated).map((item) => item.label)).toContain('existingSecret');
  });

  it('offers top-level keys of the resolved version and marks commented ones', () => {
    const items = completeAt(release('1.14.5', '    $0\n'));
    const labels = items.map((item) => item.label);
    expect(labels.length).toBeGreaterThan(50);
    const kpr = items.find((item) => item.label === 'kubeProxyReplacement');
    expect(kpr?.detail).toContain('commented out');
    expect(kpr?.insertText).toBe('kubeProxyReplacement: $0');
    // `tunnel` exists in 1.14 but not in 1.16.
    expect(labels).toContain('tunnel');
    const newer = completeAt(release('1.16.5', '    $0\n')).map((item) => item.label);
    expect(newer).not.toContain('tunnel');
  });

  it('offers enum values and booleans', () => {
    const routing = completeAt(release('1.16.5', '    routingMode: $0\n')).map((item) => item.label);
    expect(routing).toEqual(expect.arrayContaining(['tunnel', 'native']));
    const datapath = completeAt(release('1.18.3', '    bpf:\n      datapathMode: $0\n')).map((item) => item.label);
    expect(datapath).toEqual(expect.arrayContaining(['veth', 'netkit', 'netkit-l2']));
    const olderDatapath = completeAt(release('1.14.5', '    bpf:\n      datapathMode: $0\n')).map((item) => item.label);
    expect(olderDatapath).not.toContain('netkit');
    const bools = completeAt(release('1.16.5', '    hubble:\n      enabled: $0\n')).map((item) => item.label);
    expect(bools).toEqual(['true', 'false']);
  });

  it('works while the document does not parse', () => {
    const items = completeAt(release('1.16.5', '    hubble:\n      relay:\n        $0\n    broken: [\n'));
    expect(items.map((item) => item.label)).toContain('enabled');
  });

  it('offers keys of a chart folder for other charts', () => {
    const hr = `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: podinfo
  namespace: apps
spec:
  interval: 10m
  chart:
    spec:
      chart: ./charts/podinfo
      sourceRef:
        kind: GitRepository
        name: flux-system
  values:
    service:
      $0
`;
    const disk = {
      '/repo/charts/podinfo/Chart.yaml': 'apiVersion: v2\nname: podinfo\nversion: 6.5.0\n',
      '/repo/charts/podinfo/values.yaml': 'service:\n  type: ClusterIP\n  port: 9898\n',
    };
    const items = completeAt(hr, {}, disk);
    expect(items.map((item) => item.label).sort()).toEqual(['port', 'type']);
  });
});
