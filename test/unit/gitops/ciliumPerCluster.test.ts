/**
 * Each cluster's Cilium HelmRelease judges that cluster's policies: one
 * repository, two clusters built from one shared policy folder, L7 proxy off
 * in one of them only.
 */

import { describe, expect, it } from 'vitest';
import { MeshlensService } from '../../../core/src/service';
import { defaultAnalysisOptions } from '../../../core/src/options';
import { ciliumReleaseFor } from '../../../core/src/helm/ciliumReleases';
import { ciliumHelmRelease, fluxKustomization, L7_GET_POLICY } from '../../support/manifests';

const ks = fluxKustomization;

const l7Policy = L7_GET_POLICY;

function service(): MeshlensService {
  const service = new MeshlensService({ roots: ['/repo'] });
  const files: Record<string, string> = {
    '/repo/clusters/prod/flux-system/gotk-components.yaml': '# placeholder\n',
    '/repo/clusters/prod/infra.yaml': ks('infra', './infra/prod'),
    '/repo/clusters/prod/apps.yaml': ks('apps', './apps'),
    '/repo/clusters/lab/flux-system/gotk-components.yaml': '# placeholder\n',
    '/repo/clusters/lab/infra.yaml': ks('infra', './infra/lab'),
    '/repo/clusters/lab/apps.yaml': ks('apps', './apps'),
    '/repo/infra/prod/cilium.yaml': ciliumHelmRelease('1.16.5', '  values:\n    l7Proxy: true\n'),
    '/repo/infra/lab/cilium.yaml': ciliumHelmRelease('1.16.5', '  values:\n    l7Proxy: false\n'),
    '/repo/apps/policy.yaml': l7Policy,
  };
  for (const [path, text] of Object.entries(files)) service.setFile(path, text);
  return service;
}

describe('Cilium release per cluster', () => {
  it('picks the release of the cluster that deploys a file', () => {
    const workspace = service().workspace;
    expect(ciliumReleaseFor(workspace, '/repo/infra/lab/cilium.yaml')?.document.file).toBe('/repo/infra/lab/cilium.yaml');
    expect(ciliumReleaseFor(workspace, '/repo/infra/prod/cilium.yaml')?.document.file).toBe('/repo/infra/prod/cilium.yaml');
  });

  it('judges a policy deployed only in the lab cluster by the lab release (L7 proxy off there)', () => {
    const meshlens = service();
    meshlens.setFile('/repo/clusters/prod/apps.yaml', ks('apps', './elsewhere'));
    meshlens.setFile('/repo/elsewhere/empty.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n');
    const labOnly = meshlens.diagnostics('/repo/apps/policy.yaml', defaultAnalysisOptions()).filter((d) => d.rule === 'cnp/l7-proxy-disabled');
    expect(labOnly).toHaveLength(1);
    expect(labOnly[0].severity).toBe('error');
  });
});
