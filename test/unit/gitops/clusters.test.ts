/** The GitOps model: roots, clusters, placements and namespaces, on small in-memory repositories. */

import { describe, expect, it } from 'vitest';
import { Workspace } from '../../../core/src/workspace/workspace';
import { gitopsModel } from '../../../core/src/gitops/clusters';
import { clusterSummaries, documentNamespaces, fluxReleaseFor, isUndeployed, placementsOf } from '../../../core/src/gitops/placement';
import { k8sIndex } from '../../../core/src/policy/k8sIndex';
import { resolveReference } from '../../../core/src/flux/references';

function workspaceOf(files: Record<string, string>): Workspace {
  const workspace = new Workspace({}, ['/repo']);
  for (const [path, text] of Object.entries(files)) workspace.setFile(path, text);
  return workspace;
}

const fluxKs = (name: string, path: string, extra = '') =>
  `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: ${name}\n  namespace: flux-system\nspec:\n  interval: 1h\n  prune: true\n  path: ${path}\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n${extra}`;

const fluxInstanceRelease = (cluster: string, version = '2.x') =>
  `apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: flux-instance\n  namespace: flux-system\nspec:\n  interval: 1h\n  chartRef: {kind: OCIRepository, name: flux-instance}\n  values:\n    instance:\n      distribution:\n        version: ${version}\n      sync:\n        kind: GitRepository\n        url: https://example.com/repo\n        path: clusters/${cluster}\n`;

const cnp = (name: string) => `apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata:\n  name: ${name}\nspec:\n  endpointSelector: {}\n  ingress: [{}]\n`;

/** Two clusters from one tree; the app path depends on ${CLUSTER} from a ConfigMap; a component brings a CNP. */
function twoClusters(): Workspace {
  const cluster = (name: string, version: string) => ({
    [`/repo/clusters/${name}/flux-instance.yaml`]: fluxInstanceRelease(name, version),
    [`/repo/clusters/${name}/cluster-info.yaml`]: `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cluster-info\n  namespace: flux-system\ndata:\n  CLUSTER: ${name}\n`,
    [`/repo/clusters/${name}/apps.yaml`]: fluxKs(
      'cluster-apps',
      `./apps/${name}`,
      '  postBuild:\n    substituteFrom:\n      - kind: ConfigMap\n        name: cluster-info\n  patches:\n    - patch: |-\n        apiVersion: kustomize.toolkit.fluxcd.io/v1\n        kind: Kustomization\n        metadata:\n          name: _\n        spec:\n          postBuild:\n            substitute:\n              CLUSTER: ${CLUSTER}\n      target:\n        kind: Kustomization\n',
    ),
    [`/repo/apps/${name}/kustomization.yaml`]: 'resources:\n  - ./web.yaml\n',
    [`/repo/apps/${name}/web.yaml`]: fluxKs('web', './apps/base/${CLUSTER}-web', '  targetNamespace: web\n'),
  });
  return workspaceOf({
    ...cluster('main', '2.7.1'),
    ...cluster('test', '2.3.0'),
    '/repo/apps/base/main-web/kustomization.yaml': 'namespace: shop\nresources:\n  - ./deploy.yaml\ncomponents:\n  - ../../../components/policies\n',
    '/repo/apps/base/main-web/deploy.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: {app: web}\n',
    '/repo/apps/base/test-web/kustomization.yaml': 'resources:\n  - ./deploy.yaml\ncomponents:\n  - ../../../components/policies\n',
    '/repo/apps/base/test-web/deploy.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: {app: web}\n',
    '/repo/components/policies/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources:\n  - ./allow.yaml\n',
    '/repo/components/policies/allow.yaml': cnp('allow'),
    '/repo/apps/unused/ks.yaml': fluxKs('unused', './apps/nowhere'),
    '/repo/apps/main/stray.yaml': cnp('stray'),
  });
}

describe('gitops model', () => {
  it('finds one cluster per flux-instance sync path, with its Flux release', () => {
    const workspace = twoClusters();
    const summaries = clusterSummaries(workspace);
    expect(summaries.map((summary) => summary.name)).toEqual(['main', 'test']);
    expect(summaries[0].roots[0]).toMatchObject({ kind: 'flux-instance HelmRelease', directory: '/repo/clusters/main' });
    expect(summaries[0].flux).toMatchObject({ version: '2.7.1', minor: '2.7' });
    expect(summaries[0].sources).toContainEqual({ kind: 'GitRepository', name: 'flux-system', namespace: 'flux-system', file: '/repo/clusters/main/flux-instance.yaml' });
    expect(summaries.every((summary) => summary.unknown.length === 0)).toBe(true);
    expect(fluxReleaseFor(workspace, '/repo/apps/base/test-web/deploy.yaml')?.minor).toBe('2.3');
    expect(fluxReleaseFor(workspace, '/repo/apps/base/main-web/deploy.yaml')?.minor).toBe('2.7');
  });

  it('follows paths that use ${CLUSTER} from substituteFrom through the parent patch', () => {
    const workspace = twoClusters();
    const placements = placementsOf(workspace, '/repo/apps/base/main-web/deploy.yaml');
    expect(placements).toHaveLength(1);
    expect(placements[0]).toMatchObject({ cluster: 0, namespace: 'web', kustomization: '/repo/apps/main/web.yaml#0' });
    expect(gitopsModel(workspace).kustomizations.get('/repo/apps/main/web.yaml#0')?.variables.get('CLUSTER')).toBe('main');
  });

  it('places a namespace-less CNP from a component in the namespace of the build, once per cluster', () => {
    const workspace = twoClusters();
    const policy = workspace.fileResources('/repo/components/policies/allow.yaml')[0];
    expect(documentNamespaces(workspace, policy)).toEqual(new Set(['web']));
    expect(placementsOf(workspace, '/repo/components/policies/allow.yaml').map((placement) => placement.cluster)).toEqual([0, 1]);
    expect(k8sIndex(workspace).effectiveNamespace('/repo/components/policies/allow.yaml', undefined)).toEqual({ namespace: 'web', origin: 'flux-kustomization' });
  });

  it('says which files no cluster deploys, and nothing when a cluster cannot be followed offline', () => {
    const workspace = twoClusters();
    expect(isUndeployed(workspace, '/repo/apps/main/stray.yaml')).toBe(true);
    expect(isUndeployed(workspace, '/repo/apps/base/main-web/deploy.yaml')).toBe(false);
    workspace.setFile('/repo/apps/main/kustomization.yaml', 'resources:\n  - ./web.yaml\n  - ./secret-path.yaml\n');
    workspace.setFile('/repo/apps/main/secret-path.yaml', fluxKs('hidden', './apps/${NOT_KNOWN}'));
    expect(clusterSummaries(workspace)[0].unknown).toHaveLength(1);
    expect(isUndeployed(workspace, '/repo/apps/main/stray.yaml')).toBe(false);
  });

  it('resolves the GitRepository a FluxInstance creates', () => {
    const workspace = twoClusters();
    const web = workspace.fileResources('/repo/apps/main/web.yaml')[0];
    expect(resolveReference(workspace, web, { kind: 'GitRepository', name: 'flux-system', namespace: 'flux-system' }).status).toBe('found');
    expect(resolveReference(workspace, web, { kind: 'GitRepository', name: 'other', namespace: 'flux-system' }).status).toBe('missing');
  });

  it('builds the layout of flux bootstrap (gotk placeholders) and Flux-generated folders', () => {
    const workspace = workspaceOf({
      '/repo/clusters/prod/flux-system/gotk-components.yaml': '# generated\n',
      '/repo/clusters/prod/infra.yaml': fluxKs('infra', './infra', '  targetNamespace: infra\n'),
      '/repo/infra/a/svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n',
      '/repo/infra/b/kustomization.yaml': 'namespace: bee\nresources: [svc.yaml]\n',
      '/repo/infra/b/svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: b\n',
      '/repo/infra/b/values.yaml': 'replicas: 2\n',
    });
    const [prod] = clusterSummaries(workspace);
    expect(prod).toMatchObject({ name: 'prod', kustomizations: 1 });
    expect(placementsOf(workspace, '/repo/infra/a/svc.yaml')[0]).toMatchObject({ namespace: 'infra' });
    expect(placementsOf(workspace, '/repo/infra/b/svc.yaml')[0]).toMatchObject({ namespace: 'infra', via: ['/repo/infra/b/kustomization.yaml'] });
    expect(placementsOf(workspace, '/repo/infra/b/values.yaml')).toEqual([]);
  });

  it('treats a repository without Flux as one cluster of its top-level kustomizations', () => {
    const workspace = workspaceOf({
      '/repo/apps/a/kustomization.yaml': 'namespace: a\nresources: [svc.yaml, ../shared]\n',
      '/repo/apps/a/svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n',
      '/repo/apps/shared/kustomization.yaml': 'resources: [p.yaml]\n',
      '/repo/apps/shared/p.yaml': cnp('p'),
    });
    const summaries = clusterSummaries(workspace);
    expect(summaries.map((summary) => [summary.name, summary.roots.length])).toEqual([['kustomize', 1]]);
    const policy = workspace.fileResources('/repo/apps/shared/p.yaml')[0];
    expect(documentNamespaces(workspace, policy)).toEqual(new Set(['a']));
  });

  it('recomputes only what an edit touches', () => {
    const workspace = twoClusters();
    const before = gitopsModel(workspace);
    workspace.setFile('/repo/apps/base/main-web/deploy.yaml', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  labels: {x: y}\nspec:\n  selector: {app: web}\n');
    expect(gitopsModel(workspace)).toBe(before);
    workspace.setFile('/repo/apps/base/main-web/kustomization.yaml', 'namespace: shop\nresources:\n  - ./deploy.yaml\n');
    const after = gitopsModel(workspace);
    expect(after).not.toBe(before);
    expect(placementsOf(workspace, '/repo/components/policies/allow.yaml').map((placement) => placement.cluster)).toEqual([1]);
  });
});

describe('deployed-by code lens', () => {
  it('names the clusters and the Flux Kustomization that deploy a Kustomization document', async () => {
    const { codeLenses } = await import('../../../core/src/features/codeLens');
    const { defaultAnalysisOptions } = await import('../../../core/src/options');
    const workspace = twoClusters();
    const lenses = codeLenses(workspace, '/repo/apps/main/web.yaml', defaultAnalysisOptions()).filter((lens) => lens.title.startsWith('Deployed'));
    expect(lenses.map((lens) => lens.title)).toEqual(['Deployed to main (via cluster-apps)']);
    // Inside a folder cluster main builds, but not listed by its kustomization.yaml: left out.
    workspace.setFile('/repo/apps/main/old/ks.yaml', fluxKs('old', './apps/base/main-web'));
    expect(codeLenses(workspace, '/repo/apps/main/old/ks.yaml', defaultAnalysisOptions()).map((lens) => lens.title)).toContain('Not deployed: no cluster of this repository builds this file');
  });
});
