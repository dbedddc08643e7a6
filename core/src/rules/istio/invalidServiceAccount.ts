/** authz/invalid-service-account: `serviceAccounts` rules (format, no wildcards, no mixing with principals/namespaces). */

import { serviceAccountProblem } from '../../policy/authzAttributes';
import type { LocalRule } from '../types';
import { AUTHZ_KINDS, localPolicy } from './authzPolicy';

const ACCOUNT_FIELDS = ['serviceAccounts', 'notServiceAccounts'] as const;
const IDENTITY_FIELDS = ['principals', 'notPrincipals', 'namespaces', 'notNamespaces'] as const;

export const invalidServiceAccount: LocalRule = {
  meta: {
    id: 'authz/invalid-service-account',
    severity: 'error',
    title: 'Invalid serviceAccounts',
    kinds: AUTHZ_KINDS,
    docs: {
      summary: '`serviceAccounts`/`notServiceAccounts` mixed with principals or namespaces in one source, with wildcards, in the wrong format, or with more than 16 entries.',
      why: 'Service accounts (Istio 1.25+) are exact `namespace/name` or `name` values (the bare form means the policy namespace). The CRD rule and istiod reject a source that also sets principals or namespaces, and any wildcard or malformed entry.',
      bad: 'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: api, namespace: shop}\nspec:\n  rules:\n  - from:\n    - source:\n        serviceAccounts: ["web/*"]\n        namespaces: ["web"]\n',
      good: 'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: api, namespace: shop}\nspec:\n  rules:\n  - from:\n    - source:\n        serviceAccounts: ["web/frontend"]\n',
      source: 'istio/api authorization_policy.proto (CEL rule, maxItems 16, maxLength 320); istio pkg/config/security security.go',
    },
  },
  check(context) {
    const policy = localPolicy(context);
    if (!policy) return;
    for (const rule of policy.rules ?? []) {
      for (const source of rule.from ?? []) {
        const accounts = ACCOUNT_FIELDS.map((field) => source.fields[field]).filter((list) => list !== undefined);
        if (accounts.length === 0) continue;
        const mixed = IDENTITY_FIELDS.map((field) => source.fields[field]).filter((list) => list !== undefined);
        for (const list of mixed) {
          context.report(list!.pair.key, `\`${list!.field}\` cannot be combined with serviceAccounts in one source ("Cannot set serviceAccounts with namespaces or principals"): the policy is rejected. Use a separate \`source\` entry.`);
        }
        for (const list of accounts) {
          if (list!.values.length > 16) context.report(list!.pair.key, `\`${list!.field}\` has ${list!.values.length} values; at most 16 are allowed ("may not have more than 16 values"): the policy is rejected.`);
          for (const value of list!.values) {
            if (value.text === '' || value.templated) continue;
            const problem = serviceAccountProblem(value.text, list!.field);
            if (problem) context.report(value.node, `Invalid service account: ${problem}; the policy is rejected.`);
          }
        }
      }
    }
  },
};
