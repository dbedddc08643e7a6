/** authz/unknown-service-account: principals and service accounts that no workload or ServiceAccount provides. */

import type { YamlNode } from '../../parse/ast';
import type { CrossFileRule } from '../types';
import { AUTHZ_KINDS, WORKSPACE_CAVEAT, fieldValues, workspacePolicy } from './authzPolicy';

const PRINCIPAL_FIELDS = new Set(['principals', 'notPrincipals']);
const ACCOUNT_FIELDS = new Set(['serviceAccounts', 'notServiceAccounts']);

export const unknownServiceAccount: CrossFileRule = {
  meta: {
    id: 'authz/unknown-service-account',
    severity: 'warning',
    title: 'Service account not in the workspace',
    kinds: AUTHZ_KINDS,
    crossFile: true,
    docs: {
      summary: 'A principal `<trust-domain>/ns/<ns>/sa/<sa>` or a `serviceAccounts` entry naming a service account that neither a ServiceAccount nor a workload of that namespace has, while the workspace holds workloads or ServiceAccounts of the namespace.',
      why: 'Peer identities come from the service account of the calling pod. A misspelled or missing account means the source never matches: an ALLOW rule allows nothing, a DENY rule denies nothing. Only the workspace is known, so this is a warning.',
      bad: 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: web}\nspec:\n  template:\n    spec: {serviceAccountName: frontend}\n---\napiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: api, namespace: shop}\nspec:\n  rules:\n  - from:\n    - source: {principals: ["cluster.local/ns/web/sa/front-end"]}\n',
      good: 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: web}\nspec:\n  template:\n    spec: {serviceAccountName: frontend}\n---\napiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: api, namespace: shop}\nspec:\n  rules:\n  - from:\n    - source: {principals: ["cluster.local/ns/web/sa/frontend"]}\n',
      source: 'Kiali KIA0106 (principal not found)',
    },
  },
  check(context) {
    const found = workspacePolicy(context);
    if (!found) return;
    const { policy, index } = found;
    if (index.serviceAccounts().length === 0) return;
    // Per-namespace lists from the index: each check costs that namespace's accounts only.
    const check = (node: YamlNode, namespace: string, name: string) => {
      const inNamespace = index.serviceAccountsIn(namespace);
      if (inNamespace.length === 0 || name === 'default') return;
      if (inNamespace.some((account) => account.name === name)) return;
      const available = inNamespace.map((account) => account.name);
      context.report(node, `No workload or ServiceAccount in namespace "${namespace}" uses service account "${name}" (known: ${available.slice(0, 5).join(', ')}${available.length > 5 ? ', …' : ''}), so this identity never appears (${WORKSPACE_CAVEAT}).`);
    };
    for (const { value } of fieldValues(policy, PRINCIPAL_FIELDS)) {
      const match = /^[^/*]+\/ns\/([^/*]+)\/sa\/([^/*]+)$/.exec(value.text);
      if (match) check(value.node, match[1], match[2]);
    }
    for (const { value } of fieldValues(policy, ACCOUNT_FIELDS)) {
      if (value.text.includes('*')) continue;
      const parts = value.text.split('/');
      if (parts.length === 1 && parts[0] !== '') check(value.node, policy.namespace, parts[0]);
      else if (parts.length === 2 && parts[0] !== '' && parts[1] !== '') check(value.node, parts[0], parts[1]);
    }
  },
};
