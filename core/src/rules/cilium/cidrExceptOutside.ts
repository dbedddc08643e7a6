/** `cnp/cidr-except-outside`: every `except` prefix must lie inside its set's `cidr`. */

import { deref, mapGet } from '../../parse/ast';
import type { LocalRule } from '../types';
import { AGENT_REJECTS, CNP_KINDS, policyOf } from './support';
import { cidrContains, parseCidr } from './cidrSyntax';
import { plainText } from './invalidCidr';

export const cidrExceptOutside: LocalRule = {
  meta: {
    id: 'cnp/cidr-except-outside',
    severity: 'error',
    title: 'except prefix outside its CIDR',
    kinds: CNP_KINDS,
    mayRefusePolicy: true,
    docs: {
      summary: 'An `except` entry of a `fromCIDRSet`/`toCIDRSet` that is not inside the set\'s `cidr` (or is of the other IP family).',
      why: 'An exception can only carve out part of the allowed prefix. The agent refuses the policy ("allow CIDR prefix 10.0.0.0/16 does not contain exclude CIDR prefix 10.1.0.0/24").',
      bad: 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: web, namespace: shop}\nspec:\n  endpointSelector: {matchLabels: {app: web}}\n  egress:\n    - toCIDRSet:\n        - cidr: 10.0.0.0/16\n          except: [10.1.0.0/24]\n',
      good: 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: web, namespace: shop}\nspec:\n  endpointSelector: {matchLabels: {app: web}}\n  egress:\n    - toCIDRSet:\n        - cidr: 10.0.0.0/8\n          except: [10.1.0.0/24]\n',
      source: 'cilium/cilium pkg/policy/api/cidr.go, all versions',
    },
  },
  check(context) {
    const policy = policyOf(context);
    if (!policy) return;
    for (const spec of policy.specs) {
      for (const rule of spec.rules) {
        for (const peer of rule.peers) {
          if (peer.kind !== 'cidrSet') continue;
          for (const item of peer.items ?? []) {
            const cidrText = plainText(mapGet(item, 'cidr'));
            const outer = cidrText === undefined ? undefined : parseCidr(cidrText);
            const except = deref(mapGet(item, 'except'));
            if (!outer || except?.type !== 'seq') continue;
            for (const entry of except.items) {
              const text = plainText(entry);
              const inner = text === undefined ? undefined : parseCidr(text);
              if (!inner || cidrContains(outer, inner)) continue;
              context.report(entry, `${text} is not inside ${cidrText}: "allow CIDR prefix ${cidrText} does not contain exclude CIDR prefix ${text}"; ${AGENT_REJECTS}.`, { refused: 'agent' });
            }
          }
        }
      }
    }
  },
};
