/**
 * `spec.targetNamespace` filled by kustomize `replacements` in the folder
 * that lists a Flux Kustomization (the folder's Namespace object's name is
 * copied into every Kustomization it lists): the child's files are placed in
 * that namespace, and its build puts its objects there, as Flux applies them.
 */

import { describe, expect, it } from 'vitest';
import { MeshlensService } from '../../../core/src/service';
import { gitopsModel } from '../../../core/src/gitops/clusters';
import { builtInstances } from '../../../core/src/gitops/clusterBuild';
import { fluxKustomization } from '../../support/manifests';

const DEPLOYMENT = '/repo/apps/base/web/deploy.yaml';

function service(withReplacements: boolean): MeshlensService {
  const meshlens = new MeshlensService({ roots: ['/repo'] });
  const files: Record<string, string> = {
    '/repo/clusters/prod/flux-system/gotk-components.yaml': '# placeholder\n',
    '/repo/clusters/prod/apps.yaml': fluxKustomization('apps', './apps/prod'),
    '/repo/apps/prod/kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: shop\ncomponents: [../../components/namespace]\n${withReplacements ? 'replacements:\n  - path: ../../components/replacements/ks.yaml\n' : ''}resources: [./web.yaml]\n`,
    '/repo/apps/prod/web.yaml': fluxKustomization('web', './apps/base/web'),
    '/repo/components/namespace/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources: [./namespace.yaml]\n',
    '/repo/components/namespace/namespace.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: _\n',
    '/repo/components/replacements/ks.yaml':
      '- source:\n    kind: Namespace\n    fieldPath: metadata.name\n  targets:\n    - select:\n        kind: Kustomization\n        group: kustomize.toolkit.fluxcd.io\n      fieldPaths: [spec.targetNamespace]\n      options: {create: true}\n',
    '/repo/apps/base/web/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [./deploy.yaml]\n',
    [DEPLOYMENT]: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers: [{name: web, image: example}]\n',
  };
  for (const [path, text] of Object.entries(files)) meshlens.setFile(path, text);
  return meshlens;
}

describe('targetNamespace from the listing folder’s replacements', () => {
  it('places the child’s files in the namespace the replacement gives', () => {
    const placements = gitopsModel(service(true).workspace).placements.get(DEPLOYMENT) ?? [];
    expect(placements.map((placement) => [placement.namespace, placement.targetNamespace])).toEqual([['shop', true]]);
  });

  it('builds the child’s objects into that namespace', () => {
    const workspace = service(true).workspace;
    const instances = builtInstances(workspace, { file: DEPLOYMENT, index: 0 });
    expect(instances.map((instance) => (instance.object.value.metadata as { namespace?: string }).namespace)).toEqual(['shop']);
  });

  it('without the replacements, the Kustomization has no targetNamespace and the object keeps none', () => {
    const workspace = service(false).workspace;
    expect((gitopsModel(workspace).placements.get(DEPLOYMENT) ?? []).map((placement) => placement.namespace)).toEqual([undefined]);
    expect(builtInstances(workspace, { file: DEPLOYMENT, index: 0 }).map((instance) => (instance.object.value.metadata as { namespace?: string }).namespace)).toEqual([undefined]);
  });

  it('another replacement form (a ConfigMap field) is read from the folder’s build', () => {
    const meshlens = service(false);
    meshlens.setFile('/repo/apps/prod/kustomization.yaml', 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [./web.yaml, ./settings.yaml]\nreplacements:\n  - source: {kind: ConfigMap, name: settings, fieldPath: data.ns}\n    targets:\n      - select: {kind: Kustomization, group: kustomize.toolkit.fluxcd.io}\n        fieldPaths: [spec.targetNamespace]\n        options: {create: true}\n');
    meshlens.setFile('/repo/apps/prod/settings.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: flux-system\ndata:\n  ns: billing\n');
    expect((gitopsModel(meshlens.workspace).placements.get(DEPLOYMENT) ?? []).map((placement) => placement.namespace)).toEqual(['billing']);
  });

  it('without the folder’s namespace, the Namespace object’s own name is read from the folder’s build', () => {
    const meshlens = service(true);
    meshlens.setFile('/repo/apps/prod/kustomization.yaml', 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\ncomponents: [../../components/namespace]\nreplacements:\n  - path: ../../components/replacements/ks.yaml\nresources: [./web.yaml]\n');
    meshlens.setFile('/repo/components/namespace/namespace.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: storefront\n');
    expect((gitopsModel(meshlens.workspace).placements.get(DEPLOYMENT) ?? []).map((placement) => placement.namespace)).toEqual(['storefront']);
  });
});
