/**
 * Analysis reads each cluster's build: one Cilium HelmRelease in a shared
 * folder, deployed by two clusters whose Flux Kustomizations substitute
 * different values into it. Each cluster's policies are judged by that
 * cluster's values; hover shows the value per cluster and where each is set;
 * `builtDocuments` prints the substituted value with its writer.
 */

import { describe, expect, it } from 'vitest';
import { MeshlensService } from '../../../core/src/service';
import { defaultAnalysisOptions } from '../../../core/src/options';
import { ciliumReleases } from '../../../core/src/helm/ciliumReleases';
import { builtDocuments } from '../../../core/src/gitops/builtDocuments';
import { builtInstances } from '../../../core/src/gitops/clusterBuild';
import { ciliumHelmRelease, fluxKustomization, L7_GET_POLICY } from '../../support/manifests';

const ks = fluxKustomization;
const substitute = (value: string) => `  postBuild:\n    substitute:\n      L7_PROXY: "${value}"\n`;

const l7Policy = L7_GET_POLICY;

const RELEASE = '/repo/infra/cilium/helmrelease.yaml';

function service(): MeshlensService {
  const meshlens = new MeshlensService({ roots: ['/repo'] });
  const files: Record<string, string> = {
    '/repo/clusters/prod/flux-system/gotk-components.yaml': '# placeholder\n',
    '/repo/clusters/prod/cilium.yaml': ks('cilium', './infra/cilium', substitute('true')),
    '/repo/clusters/prod/apps.yaml': ks('apps', './apps/prod'),
    '/repo/clusters/lab/flux-system/gotk-components.yaml': '# placeholder\n',
    '/repo/clusters/lab/cilium.yaml': ks('cilium', './infra/cilium', substitute('false')),
    '/repo/clusters/lab/apps.yaml': ks('apps', './apps/lab'),
    [RELEASE]: ciliumHelmRelease('1.16.5', '  values:\n    l7Proxy: ${L7_PROXY}\n    kubeProxyReplacement: true\n'),
    '/repo/apps/prod/policy.yaml': l7Policy,
    '/repo/apps/lab/policy.yaml': l7Policy,
  };
  for (const [path, text] of Object.entries(files)) meshlens.setFile(path, text);
  return meshlens;
}

describe('analysis of per-cluster builds', () => {
  it('composes one Cilium release per cluster, with the substituted values re-read as YAML', () => {
    const workspace = service().workspace;
    const releases = ciliumReleases(workspace);
    expect(releases.map((release) => [release.clusterNames, release.values.value.l7Proxy])).toEqual([
      [['prod'], true],
      [['lab'], false],
    ]);
    const lab = releases.find((release) => release.clusterNames?.includes('lab'))!;
    expect(lab.values.provenance(['l7Proxy'])?.value.file).toBe('/repo/clusters/lab/cilium.yaml');
    expect(builtInstances(workspace, { file: RELEASE, index: 0 }).map((instance) => instance.clusterName)).toEqual(['prod', 'lab']);
  });

  it("judges each cluster's policy by that cluster's values", () => {
    const meshlens = service();
    const options = defaultAnalysisOptions();
    const rule = (file: string) => meshlens.diagnostics(file, options).filter((diagnostic) => diagnostic.rule === 'cnp/l7-proxy-disabled');
    expect(rule('/repo/apps/prod/policy.yaml')).toHaveLength(0);
    expect(rule('/repo/apps/lab/policy.yaml')).toHaveLength(1);
  });

  it('hovers a value with its effective value per cluster and the line that sets it', () => {
    const meshlens = service();
    const text = meshlens.workspace.getFile(RELEASE)!.text;
    const hover = meshlens.hover(RELEASE, text.indexOf('l7Proxy') + 2, defaultAnalysisOptions());
    expect(hover?.contents).toContain('**l7Proxy** — Cilium chart 1.16.5 value');
    expect(hover?.contents).toContain('Per cluster:');
    expect(hover?.contents).toContain('- `prod`: `true` — set in clusters/prod/cilium.yaml:15');
    expect(hover?.contents).toContain('- `lab`: `false` — set in clusters/lab/cilium.yaml:15');
  });

  it('prints the built release of one cluster with the substitution as the writer', () => {
    const documents = builtDocuments(service().workspace, 'lab');
    const release = documents.find((document) => document.value.kind === 'HelmRelease')!;
    expect(release.kustomization).toBe('cilium');
    expect(release.text).toContain('l7Proxy: false  # from /repo/clusters/lab/cilium.yaml:15 (${L7_PROXY})');
    expect(documents.every((document) => document.cluster === 'lab')).toBe(true);
  });

  it('rebuilds only what an edit touches: an edit elsewhere keeps the builds, an edit of the release redoes them', () => {
    const meshlens = service();
    const workspace = meshlens.workspace;
    const before = builtInstances(workspace, { file: RELEASE, index: 0 }).map((instance) => instance.build);
    meshlens.setFile('/repo/apps/lab/policy.yaml', l7Policy.replace('name: api', 'name: api-2'));
    meshlens.setFile('/repo/clusters/prod/apps.yaml', ks('apps', './apps/prod', '  wait: true\n'));
    const unrelated = builtInstances(workspace, { file: RELEASE, index: 0 }).map((instance) => instance.build);
    expect(unrelated[0]).toBe(before[0]);
    expect(unrelated[1]).toBe(before[1]);
    meshlens.setFile(RELEASE, ciliumHelmRelease('1.16.5', '  values:\n    l7Proxy: ${L7_PROXY}\n    kubeProxyReplacement: false\n'));
    const edited = builtInstances(workspace, { file: RELEASE, index: 0 });
    expect(edited[0].build).not.toBe(before[0]);
    expect(edited.map((instance) => (instance.object.value.spec as { values: Record<string, unknown> }).values.kubeProxyReplacement)).toEqual([false, false]);
  });

  it('says in hover that a value no build can fill in is not known offline', () => {
    const meshlens = new MeshlensService({ roots: ['/repo'] });
    meshlens.setFile('/repo/infra/cilium.yaml', ciliumHelmRelease('1.16.5', '  values:\n    kubeProxyReplacement: ${KPR}\n'));
    const text = meshlens.workspace.getFile('/repo/infra/cilium.yaml')!.text;
    const hover = meshlens.hover('/repo/infra/cilium.yaml', text.indexOf('kubeProxyReplacement') + 2, defaultAnalysisOptions());
    expect(hover?.contents).toContain('Value `${KPR}` is filled in when Flux builds it');
    expect(meshlens.diagnostics('/repo/infra/cilium.yaml', defaultAnalysisOptions()).filter((diagnostic) => diagnostic.rule.startsWith('helm/'))).toEqual([]);
  });

  it('says in which clusters a value finding holds when clusters build the release differently', () => {
    const meshlens = service();
    meshlens.setFile('/repo/clusters/lab/cilium.yaml', ks('cilium', './infra/cilium', substitute('false') + '      EXTRA: "1"\n').replace('L7_PROXY: "false"', 'L7_PROXY: "banana"'));
    const findings = meshlens.diagnostics('/repo/clusters/lab/cilium.yaml', defaultAnalysisOptions()).filter((diagnostic) => diagnostic.rule.startsWith('helm/'));
    expect(findings.map((finding) => finding.rule)).toEqual(['helm/value-type']);
    expect(findings[0].related?.map((related) => related.message)).toContain('holds in cluster `lab` only (of 2 that deploy HelmRelease cilium)');
  });
});
