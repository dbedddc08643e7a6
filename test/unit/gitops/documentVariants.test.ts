/**
 * A policy in a kustomize component that two Flux Kustomizations add with
 * `spec.components`, each substituting its own `${APP}` and setting its own
 * `targetNamespace`: the component's files are deployed (placed) by both,
 * the effective-policy model reads one NetworkPolicy per build (selector
 * substituted, namespace from the build, offsets of the written `${APP}`),
 * each selects its own app only, and the code lens describes the first and
 * counts the other.
 */

import { describe, expect, it } from 'vitest';
import { MeshlensService } from '../../../core/src/service';
import { defaultAnalysisOptions } from '../../../core/src/options';
import { ciliumPolicyIndex } from '../../../core/src/preview/ciliumIndex';
import { effectivePolicy } from '../../../core/src/preview/effectivePolicy';
import { gitopsModel } from '../../../core/src/gitops/clusters';
import { fluxKustomization } from '../../support/manifests';
import { containedErrors } from '../../../core/src/util/containedErrors';

const COMPONENT_POLICY = '/repo/components/cache/networkpolicy.yaml';
const POLICY_TEXT = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: \${APP}-cache
spec:
  podSelector:
    matchLabels:
      app: \${APP}-cache
  policyTypes: [Ingress]
  ingress:
    - from:
        - podSelector:
            matchLabels:
              app: \${APP}
      ports: [{port: 6379, protocol: TCP}]
`;

function deployment(name: string, namespace: string): string {
  return `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\nspec:\n  selector:\n    matchLabels: {app: ${name}}\n  template:\n    metadata:\n      labels: {app: ${name}}\n    spec:\n      containers: [{name: main, image: example}]\n`;
}

function app(name: string): string {
  return fluxKustomization(name, `./apps/${name}`, `  targetNamespace: ${name}-ns\n  components:\n    - ../../components/cache\n  postBuild:\n    substitute:\n      APP: ${name}\n`);
}

function service(): MeshlensService {
  const meshlens = new MeshlensService({ roots: ['/repo'] });
  const files: Record<string, string> = {
    '/repo/clusters/prod/flux-system/gotk-components.yaml': '# placeholder\n',
    '/repo/clusters/prod/apps.yaml': `${app('one')}---\n${app('two')}`,
    '/repo/apps/one/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [deploy.yaml]\n',
    '/repo/apps/one/deploy.yaml': `${deployment('one', 'one-ns')}---\n${deployment('one-cache', 'one-ns')}`,
    '/repo/apps/two/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [deploy.yaml]\n',
    '/repo/apps/two/deploy.yaml': `${deployment('two', 'two-ns')}---\n${deployment('two-cache', 'two-ns')}`,
    '/repo/components/cache/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources: [networkpolicy.yaml]\n',
    [COMPONENT_POLICY]: POLICY_TEXT,
  };
  for (const [path, text] of Object.entries(files)) meshlens.setFile(path, text);
  return meshlens;
}

describe('a policy as each build applies it', () => {
  it('places the files of a Flux Kustomization’s spec.components in its cluster', () => {
    const placements = gitopsModel(service().workspace).placements.get(COMPONENT_POLICY) ?? [];
    expect(placements.map((placement) => placement.namespace).sort()).toEqual(['one-ns', 'two-ns']);
  });

  it('reads one NetworkPolicy per build, substituted, in the build’s namespace, at the written lines', () => {
    const meshlens = service();
    const all = ciliumPolicyIndex(meshlens.workspace, defaultAnalysisOptions()).specs;
    expect(containedErrors().filter((error) => error.where.startsWith('gitops'))).toEqual([]);
    const specs = all.filter((spec) => spec.file === COMPONENT_POLICY);
    expect(specs.map((spec) => [spec.label, spec.subject?.namespace, spec.subject?.selector.matchLabels])).toEqual([
      ['np one-ns/one-cache', 'one-ns', { app: 'one-cache' }],
      ['np two-ns/two-cache', 'two-ns', { app: 'two-cache' }],
    ]);
    // The selector's source is the `${APP}-cache` the user wrote (line 7, 1-based).
    expect(specs.every((spec) => spec.source.line === 7)).toBe(true);
  });

  it('gives each app’s cache its own ingress rule, and nothing to the other app', () => {
    const meshlens = service();
    const options = defaultAnalysisOptions();
    const one = effectivePolicy(meshlens.workspace, 'one-ns/one-cache', options)!;
    expect(one.cilium.ingress.defaultDeny).toBe(true);
    expect(one.cilium.ingress.allows.map((allow) => allow.peer.kind === 'endpoints' && [allow.peer.namespace, allow.peer.selector.matchLabels])).toEqual([['one-ns', { app: 'one' }]]);
    const unrelated = effectivePolicy(meshlens.workspace, 'one-ns/one', options)!;
    expect(unrelated.cilium.ingress.defaultDeny).toBe(false);
  });

  it('describes the first build on the code lens and counts the other', () => {
    const lenses = service().codeLenses(COMPONENT_POLICY, defaultAnalysisOptions());
    const heads = lenses.filter((lens) => lens.title.startsWith('selects'));
    expect(heads).toHaveLength(1);
    expect(heads[0].title).toContain('one-cache');
    expect(heads[0].title).toContain('+1 more as other Flux Kustomizations build it');
  });
});
