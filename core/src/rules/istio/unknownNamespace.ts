/**
 * authz/unknown-namespace: source namespaces that exist nowhere in the
 * workspace. Judged only when the workspace names some namespace besides the
 * built-in ones and the Istio root namespace; otherwise every name would be
 * "unknown" and nothing separates a typo from a namespace made elsewhere.
 */

import { patternMatches } from '../../policy/authzAttributes';
import type { CrossFileRule } from '../types';
import { AUTHZ_KINDS, WORKSPACE_CAVEAT, conditions, conditionValues, fieldValues, workspacePolicy } from './authzPolicy';
import type { YamlNode } from '../../parse/ast';

const ALWAYS_PRESENT = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];
const NAMESPACE_FIELDS = new Set(['namespaces', 'notNamespaces']);
const PRINCIPAL_FIELDS = new Set(['principals', 'notPrincipals']);
const ACCOUNT_FIELDS = new Set(['serviceAccounts', 'notServiceAccounts']);

export const unknownNamespace: CrossFileRule = {
  meta: {
    id: 'authz/unknown-namespace',
    severity: 'warning',
    title: 'Namespace not in the workspace',
    kinds: AUTHZ_KINDS,
    crossFile: true,
    docs: {
      summary: 'A namespace in `namespaces`/`notNamespaces`, a `source.namespace` condition, a principal or a `namespace/serviceAccount` value that no Namespace or resource of the workspace has.',
      why: 'Often a typo: a positive match on a namespace that does not exist never matches (an ALLOW rule allows nothing), a negative one excludes nothing. istioctl reports missing namespaces as an error (IST0101); meshlens warns because the repository may not hold every namespace of the cluster, and checks only workspaces that name some namespace besides `default`, the `kube-*` ones and the Istio root namespace.',
      bad: 'apiVersion: v1\nkind: Namespace\nmetadata: {name: web}\n---\napiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: api, namespace: shop}\nspec:\n  rules:\n  - from:\n    - source: {namespaces: ["wbe"]}\n',
      good: 'apiVersion: v1\nkind: Namespace\nmetadata: {name: web}\n---\napiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: api, namespace: shop}\nspec:\n  rules:\n  - from:\n    - source: {namespaces: ["web"]}\n',
      source: 'istioctl analyze IST0101 (authz analyzer); Kiali KIA0101',
    },
  },
  check(context) {
    const found = workspacePolicy(context);
    if (!found) return;
    const { policy, index } = found;
    if (!index.hasKubernetesObjects) return;
    const workspaceNames = lowercased(index.namespaceNames());
    // A workspace that knows no namespace besides the built-in ones (files that leave the namespace to
    // an including kustomization not in the workspace) cannot tell a typo from a namespace made elsewhere.
    const root = context.options.istioRootNamespace.toLowerCase();
    if (!workspaceNames.list.some((name) => !ALWAYS_PRESENT.includes(name) && name !== root)) return;
    const extra = [...ALWAYS_PRESENT, context.options.istioRootNamespace, policy.namespace].map((name) => name.toLowerCase());
    const exists = (pattern: string) => {
      const lower = pattern.toLowerCase();
      // A pattern without a leading or trailing `*` matches one name only: look it up.
      if (!lower.startsWith('*') && !lower.endsWith('*')) return workspaceNames.set.has(lower) || extra.includes(lower);
      return workspaceNames.list.some((name) => patternMatches(lower, name)) || extra.some((name) => patternMatches(lower, name));
    };
    const check = (node: YamlNode, namespace: string, via: string) => {
      if (namespace === '' || exists(namespace)) return;
      context.report(node, `Namespace "${namespace}"${via} exists nowhere in this workspace (no Namespace object or resource in it), so this value never matches if the namespace is missing (${WORKSPACE_CAVEAT}).`);
    };
    for (const { value } of fieldValues(policy, NAMESPACE_FIELDS)) check(value.node, value.text, '');
    for (const { condition } of conditions(policy)) {
      if (condition.key === 'source.namespace') for (const { value } of conditionValues(condition)) check(value.node, value.text, '');
    }
    for (const { value } of fieldValues(policy, PRINCIPAL_FIELDS)) {
      const match = /^[^/]+\/ns\/([^/*]+)\/sa\/[^/]+$/.exec(value.text);
      if (match) check(value.node, match[1], ' (in the principal)');
    }
    for (const { value } of fieldValues(policy, ACCOUNT_FIELDS)) {
      const parts = value.text.split('/');
      if (parts.length === 2 && parts[0] !== '' && !parts[0].includes('*')) check(value.node, parts[0], ' (in the service account)');
    }
  },
};

/** Lower-cased namespace names, once per names list (the index keeps the list while it is unchanged). */
const lowercasedNames = new WeakMap<readonly string[], { list: string[]; set: Set<string> }>();

function lowercased(names: readonly string[]): { list: string[]; set: Set<string> } {
  let entry = lowercasedNames.get(names);
  if (!entry) {
    const list = names.map((name) => name.toLowerCase());
    entry = { list, set: new Set(list) };
    lowercasedNames.set(names, entry);
  }
  return entry;
}
