/**
 * policytest/unknown-cluster: a `PolicyTest` (or one of its cases) names a
 * `cluster` the repository does not define. Such a case cannot be judged
 * against that cluster's policies; `meshlens test` reports it as an error.
 * Silent when the repository models no cluster at all (then every case is
 * judged on the whole workspace, and `meshlens test` says so).
 */

import { deref, mapGet, scalarString, type YamlNode } from '../../parse/ast';
import { clusterNames, unknownClusterMessage } from '../../preview/clusterScope';
import { POLICY_TEST_API_VERSION } from '../../preview/policyTests';
import type { CrossFileRule } from '../types';

export const policyTestUnknownCluster: CrossFileRule = {
  meta: {
    id: 'policytest/unknown-cluster',
    severity: 'error',
    title: 'PolicyTest names a cluster the repository does not define',
    kinds: ['PolicyTest'],
    crossFile: true,
    docs: {
      summary: 'The `cluster` of a `PolicyTest` or of one of its cases is not the name of a cluster of the repository (a Flux root: FluxInstance, bootstrap folder or root Kustomization).',
      why: 'A case with a cluster is judged with the policies that cluster deploys. With a name no cluster has (a typo, a renamed cluster) the case cannot run, so the test would silently stop guarding that cluster.',
      bad: 'apiVersion: meshlens.dev/v1alpha1\nkind: PolicyTest\nmetadata: {name: shop}\nspec:\n  cluster: prd\n  cases:\n    - from: shop/app=web\n      to: shop/app=api\n      port: 8080\n      expect: allow\n',
      good: 'apiVersion: meshlens.dev/v1alpha1\nkind: PolicyTest\nmetadata: {name: shop}\nspec:\n  cluster: prod\n  cases:\n    - from: shop/app=web\n      to: shop/app=api\n      port: 8080\n      expect: allow\n',
      source: 'meshlens PolicyTest schema and the GitOps cluster model (`meshlens clusters`)',
      exampleContext: {
        'clusters/prod/flux-system/gotk-sync.yaml':
          'apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata: {name: flux-system, namespace: flux-system}\nspec:\n  interval: 1m\n  url: https://example.com/fleet.git\n  ref: {branch: main}\n---\napiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: flux-system, namespace: flux-system}\nspec:\n  interval: 10m\n  path: ./clusters/prod\n  prune: true\n  sourceRef: {kind: GitRepository, name: flux-system}\n',
      },
    },
  },
  check(context) {
    if (context.resource?.apiVersion !== POLICY_TEST_API_VERSION) return;
    const names = clusterNames(context.workspace);
    if (names.length === 0) return;
    const check = (node: YamlNode | undefined) => {
      const target = deref(node);
      const name = scalarString(target);
      if (!target || name === undefined || names.includes(name)) return;
      context.report(target, unknownClusterMessage(name, names));
    };
    const spec = deref(mapGet(context.root, 'spec'));
    check(mapGet(spec, 'cluster'));
    const cases = deref(mapGet(spec, 'cases'));
    if (cases?.type === 'seq') for (const item of cases.items) check(mapGet(deref(item), 'cluster'));
  },
};
