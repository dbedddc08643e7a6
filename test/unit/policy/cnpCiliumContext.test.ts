/** The Cilium version and agent settings the workspace implies (HelmRelease → setting → newest). */

import { describe, expect, it } from 'vitest';
import { defaultAnalysisOptions } from '../../../core/src/options';
import { clusterCiliumContext, minorAtLeast, minorFromVersionText, NEWEST_CILIUM_MINOR } from '../../../core/src/policy/ciliumContext';
import { Workspace } from '../../../core/src/workspace/workspace';

const release = (chart: string, values = '') => `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: cilium
  namespace: kube-system
spec:
  chart:
    spec:
      chart: ${chart}
      version: "1.16.4"
  values:
    placeholder: 1
${values}`;

describe('clusterCiliumContext', () => {
  it('takes the version and l7Proxy/nodeSelectorLabels from the Cilium HelmRelease', () => {
    const workspace = new Workspace();
    workspace.setFile('/repo/hr.yaml', release('cilium', '    l7Proxy: false\n    nodeSelectorLabels: true\n'));
    const context = clusterCiliumContext(workspace, defaultAnalysisOptions({ ciliumVersion: '1.19' }));
    expect(context.minor).toBe('1.16');
    expect(context.source).toBe('helmrelease');
    expect(context.l7Proxy).toBe(false);
    expect(context.nodeSelectorLabels).toBe(true);
    expect(context.helmRelease?.file).toBe('/repo/hr.yaml');
  });

  it('ignores HelmReleases of other charts and falls back to the setting, then the newest minor', () => {
    const workspace = new Workspace();
    workspace.setFile('/repo/hr.yaml', release('podinfo'));
    expect(clusterCiliumContext(workspace, defaultAnalysisOptions({ ciliumVersion: 'v1.15.2' }))).toMatchObject({ minor: '1.15', source: 'setting' });
    expect(clusterCiliumContext(workspace, defaultAnalysisOptions())).toMatchObject({ minor: NEWEST_CILIUM_MINOR, source: 'default' });
  });

  it('follows chartRef to an OCIRepository whose URL ends in /cilium and reads its tag', () => {
    const workspace = new Workspace();
    workspace.setFile(
      '/repo/oci.yaml',
      `apiVersion: source.toolkit.fluxcd.io/v1
kind: OCIRepository
metadata: {name: cilium, namespace: kube-system}
spec:
  url: oci://ghcr.io/home-operations/charts-mirror/cilium
  ref: {tag: 1.18.6}
---
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: {name: cilium, namespace: kube-system}
spec:
  chartRef: {kind: OCIRepository, name: cilium}
`,
    );
    expect(clusterCiliumContext(workspace, defaultAnalysisOptions())).toMatchObject({ minor: '1.18', source: 'helmrelease' });
  });

  it('is recomputed when the workspace changes', () => {
    const workspace = new Workspace();
    const options = defaultAnalysisOptions();
    workspace.setFile('/repo/hr.yaml', release('cilium'));
    expect(clusterCiliumContext(workspace, options).minor).toBe('1.16');
    workspace.setFile('/repo/hr.yaml', release('cilium').replace('1.16.4', '1.17.0'));
    expect(clusterCiliumContext(workspace, options).minor).toBe('1.17');
  });
});

describe('version helpers', () => {
  it('parses exact versions and ranges', () => {
    expect(minorFromVersionText('1.16.3')).toBe('1.16');
    expect(minorFromVersionText('v1.14.0')).toBe('1.14');
    expect(minorFromVersionText('>=1.15.0 <1.16.0')).toBe('1.15');
    expect(minorFromVersionText('1.17.x')).toBe('1.17');
    expect(minorFromVersionText('latest')).toBeUndefined();
    expect(minorFromVersionText(undefined)).toBeUndefined();
  });

  it('compares minors numerically', () => {
    expect(minorAtLeast('1.9', '1.16')).toBe(false);
    expect(minorAtLeast('1.16', '1.16')).toBe(true);
    expect(minorAtLeast('2.0', '1.20')).toBe(true);
  });
});
