/**
 * authz/target-namespace-override: a Flux Kustomization's `targetNamespace`
 * replaces the namespace an AuthorizationPolicy names in `metadata.namespace`.
 * For an AuthorizationPolicy the namespace is its scope: moved into the root
 * namespace, a per-namespace policy becomes mesh-wide (and a selector matches
 * in every namespace). Reported on the policy's namespace line.
 */

import { deref, mapGet, mapGetPair, scalarString } from '../../parse/ast';
import { isAuthorizationPolicy } from '../../policy/authzModel';
import type { CrossFileRule } from '../types';
import { AUTHZ_KINDS } from './authzPolicy';
import { targetNamespaceDeployer } from './deployedBy';

export const targetNamespaceOverride: CrossFileRule = {
  meta: {
    id: 'authz/target-namespace-override',
    severity: 'warning',
    title: 'Flux targetNamespace overrides the policy namespace',
    kinds: AUTHZ_KINDS,
    crossFile: true,
    docs: {
      summary: 'An AuthorizationPolicy names a `metadata.namespace` that the Flux Kustomization deploying it replaces with a different `targetNamespace`.',
      why: 'Flux sets `targetNamespace` on every namespaced object it applies, whatever the manifest says. For an AuthorizationPolicy the namespace is its scope: a policy written for one namespace then applies in another, and in the root namespace a policy without selector applies to the whole mesh (an allow-all for one namespace becomes an allow-all for every workload). Move the policy to a Kustomization for its namespace, or drop the override.',
      bad: 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: istio-config, namespace: flux-system}\nspec:\n  interval: 10m\n  path: ./istio\n  targetNamespace: istio-system\n  sourceRef: {kind: GitRepository, name: flux-system}\n---\n# istio/allow-all.yaml\napiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: allow-all-kafka, namespace: kafka}\nspec:\n  rules:\n    - {}\n',
      good: 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: istio-config, namespace: flux-system}\nspec:\n  interval: 10m\n  path: ./istio\n  sourceRef: {kind: GitRepository, name: flux-system}\n---\n# istio/allow-all.yaml\napiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: allow-all-kafka, namespace: kafka}\nspec:\n  rules:\n    - {}\n',
      // Both documents sit in istio/ here, so the Kustomization's path covers the policy.
      exampleFile: 'istio/allow-all.yaml',
      source: 'fluxcd/kustomize-controller docs (spec.targetNamespace sets the namespace of all namespaced objects); istio.io authorization-policy (namespace and root namespace scope)',
    },
  },
  check(context) {
    if (!isAuthorizationPolicy(context.resource)) return;
    const namespacePair = mapGetPair(deref(mapGet(context.root, 'metadata')), 'namespace');
    const declared = scalarString(namespacePair?.value);
    if (!namespacePair || !declared) return;
    const deployer = targetNamespaceDeployer(context.workspace, context.file);
    if (!deployer || deployer.targetNamespace === declared) return;
    const target = deployer.targetNamespace;
    const spec = deref(mapGet(context.root, 'spec'));
    const scoped = Boolean(mapGetPair(spec, 'targetRefs') ?? mapGetPair(spec, 'targetRef'));
    const hasSelector = Boolean(mapGetPair(spec, 'selector'));
    const root = context.options.istioRootNamespace;
    let consequence = `it applies to workloads of "${target}", not "${declared}"`;
    if (target === root && !scoped) {
      consequence = hasSelector
        ? `"${target}" is the root namespace, so its selector matches workloads in every namespace of the mesh`
        : `"${target}" is the root namespace, so the policy applies to every workload of the mesh`;
    }
    const name = deployer.kustomization.identity.name;
    context.report(namespacePair.value, `Flux Kustomization${name ? ` "${name}"` : ''} deploys this file with targetNamespace "${target}", which replaces namespace "${declared}": ${consequence}.`, {
      related: [
        {
          at: { file: deployer.kustomization.file, document: deployer.kustomization.index, start: deployer.node.start, end: deployer.node.end },
          message: `targetNamespace "${target}" overrides metadata.namespace`,
        },
      ],
    });
  },
};
