/** resolveChartSource and the API lifecycle data, through a real workspace. */

import { describe, expect, it } from 'vitest';
import { resolveChartSource } from '../../../core/src/flux/chartSource';
import { apiVersionLifecycle, lifecycleStatus } from '../../../core/src/flux/fluxVersions';
import { defaultAnalysisOptions } from '../../../core/src/options';
import { MeshlensService } from '../../../core/src/service';

function workspaceWith(files: Record<string, string>): MeshlensService {
  const service = new MeshlensService({ roots: ['/repo'] });
  for (const [path, text] of Object.entries(files)) service.setFile(path, text);
  return service;
}

function releaseNamed(service: MeshlensService, name: string) {
  const release = service.workspace.byKind('HelmRelease').find((document) => document.identity.name === name);
  if (!release) throw new Error(`no HelmRelease ${name}`);
  return release;
}

const HELM_REPOSITORY = `apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata: {name: cilium, namespace: flux-system}
spec: {interval: 1h, url: https://helm.cilium.io/}
`;

describe('resolveChartSource', () => {
  it('follows chart.spec.sourceRef with an explicit namespace to a HelmRepository', () => {
    const service = workspaceWith({
      '/repo/repo.yaml': HELM_REPOSITORY,
      '/repo/hr.yaml': `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: cilium, namespace: kube-system}
spec:
  interval: 1h
  chart:
    spec:
      chart: cilium
      version: ">=1.16.0 <1.17.0"
      sourceRef: {kind: HelmRepository, name: cilium, namespace: flux-system}
`,
    });
    const result = resolveChartSource(service.workspace, releaseNamed(service, 'cilium'));
    expect(result.via).toBe('chart');
    expect(result.chartName).toBe('cilium');
    expect(result.versionSpec).toBe('>=1.16.0 <1.17.0');
    expect(result.sourceKind).toBe('HelmRepository');
    expect(result.source?.file).toBe('/repo/repo.yaml');
    expect(result.url).toBe('https://helm.cilium.io/');
    expect(result.problems).toEqual([]);
  });

  it('defaults the reference namespace to the release namespace (and misses the repository in another one)', () => {
    const service = workspaceWith({
      '/repo/repo.yaml': HELM_REPOSITORY,
      '/repo/hr.yaml': `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: cilium, namespace: kube-system}
spec:
  interval: 1h
  chart:
    spec: {chart: cilium, version: 1.16.3, sourceRef: {kind: HelmRepository, name: cilium}}
`,
    });
    const result = resolveChartSource(service.workspace, releaseNamed(service, 'cilium'));
    expect(result.source).toBeUndefined();
    expect(result.chartName).toBe('cilium');
    expect(result.versionSpec).toBe('1.16.3');
    expect(result.problems.map((problem) => problem.code)).toEqual(['source-missing']);
    expect(result.problems[0].path).toEqual(['spec', 'chart', 'spec', 'sourceRef']);
  });

  it('reads chart name and version of a chartRef OCIRepository', () => {
    const service = workspaceWith({
      '/repo/hr.yaml': `apiVersion: source.toolkit.fluxcd.io/v1
kind: OCIRepository
metadata: {name: cilium, namespace: kube-system}
spec:
  interval: 1h
  url: oci://ghcr.io/home-operations/charts-mirror/cilium
  ref: {tag: 1.17.4}
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: cni, namespace: kube-system}
spec:
  interval: 1h
  chartRef: {kind: OCIRepository, name: cilium}
`,
    });
    const result = resolveChartSource(service.workspace, releaseNamed(service, 'cni'));
    expect(result).toMatchObject({ via: 'chartRef', chartName: 'cilium', versionSpec: '1.17.4', sourceKind: 'OCIRepository', url: 'oci://ghcr.io/home-operations/charts-mirror/cilium' });
  });

  it('follows a chartRef HelmChart to its HelmRepository (type oci: artifact URL includes the chart)', () => {
    const service = workspaceWith({
      '/repo/all.yaml': `apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata: {name: charts, namespace: apps}
spec: {interval: 1h, type: oci, url: oci://ghcr.io/stefanprodan/charts}
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmChart
metadata: {name: podinfo, namespace: apps}
spec: {interval: 1h, chart: podinfo, version: 6.x, sourceRef: {kind: HelmRepository, name: charts}}
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: podinfo, namespace: apps}
spec:
  interval: 1h
  chartRef: {kind: HelmChart, name: podinfo}
`,
    });
    const result = resolveChartSource(service.workspace, releaseNamed(service, 'podinfo'));
    expect(result.helmChart?.identity.name).toBe('podinfo');
    expect(result).toMatchObject({ chartName: 'podinfo', versionSpec: '6.x', sourceKind: 'HelmRepository', url: 'oci://ghcr.io/stefanprodan/charts/podinfo' });
  });

  it('reports both/neither and a wrong kind without throwing on odd shapes', () => {
    const service = workspaceWith({
      '/repo/all.yaml': `apiVersion: source.toolkit.fluxcd.io/v1
kind: OCIRepository
metadata: {name: cilium, namespace: kube-system}
spec: {interval: 1h, url: oci://example.com/cilium}
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: both, namespace: kube-system}
spec:
  interval: 1h
  chart: {spec: {chart: cilium, sourceRef: {kind: HelmRepository, name: cilium}}}
  chartRef: {kind: OCIRepository, name: cilium}
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: odd, namespace: kube-system}
spec: [1, 2]
`,
    });
    const both = resolveChartSource(service.workspace, releaseNamed(service, 'both'));
    expect(both.problems.map((problem) => problem.code)).toEqual(['chart-and-chart-ref', 'source-wrong-kind']);
    expect(both.problems[1].others?.[0].identity.kind).toBe('OCIRepository');
    const odd = resolveChartSource(service.workspace, releaseNamed(service, 'odd'));
    expect(odd.problems.map((problem) => problem.code)).toEqual(['no-chart']);
  });
});

describe('API version lifecycle', () => {
  it('dates HelmRelease betas by Flux release', () => {
    const v2beta1 = apiVersionLifecycle('helm.toolkit.fluxcd.io', 'HelmRelease', 'v2beta1')!;
    const v2beta2 = apiVersionLifecycle('helm.toolkit.fluxcd.io', 'HelmRelease', 'v2beta2')!;
    expect(lifecycleStatus(v2beta1, '2.1')).toBe('current');
    expect(lifecycleStatus(v2beta1, '2.6')).toBe('deprecated');
    expect(lifecycleStatus(v2beta1, '2.7')).toBe('removed');
    expect(lifecycleStatus(v2beta2, '2.7')).toBe('deprecated');
    expect(lifecycleStatus(v2beta2, '2.8')).toBe('removed');
    expect(apiVersionLifecycle('helm.toolkit.fluxcd.io', 'HelmRelease', 'v2')).toBeUndefined();
    expect(apiVersionLifecycle('source.toolkit.fluxcd.io', 'OCIRepository', 'v1beta1')).toBeUndefined();
  });
});

describe('flux/depends-on-cycle related locations', () => {
  it('points at the other dependsOn entries of the cycle', () => {
    const service = workspaceWith({
      '/repo/a.yaml': `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: a, namespace: apps}
spec:
  interval: 1h
  dependsOn: [{name: b}]
  chartRef: {kind: OCIRepository, name: charts}
`,
      '/repo/b.yaml': `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: b, namespace: apps}
spec:
  interval: 1h
  dependsOn: [{name: a}]
  chartRef: {kind: OCIRepository, name: charts}
`,
    });
    const cycle = service.diagnostics('/repo/a.yaml', defaultAnalysisOptions()).filter((diagnostic) => diagnostic.rule === 'flux/depends-on-cycle');
    expect(cycle).toHaveLength(1);
    expect(cycle[0].message).toContain('a → b → a');
    expect(cycle[0].related?.map((related) => [related.file, related.range.start.line])).toEqual([['/repo/b.yaml', 5]]);
  });
});
