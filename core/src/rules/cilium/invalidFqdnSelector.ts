/**
 * `cnp/invalid-fqdn-selector`: `matchName`/`matchPattern` in `toFQDNs` and
 * in DNS rules: allowed characters, at most 255 characters (1.19+), and in
 * `toFQDNs` only one of the two per entry.
 */

import { deref, mapGetPair, type YamlNode } from '../../parse/ast';
import type { CrossFileRule } from '../types';
import { AGENT_REJECTS, CNP_KINDS, atLeast, policyOf } from './support';
import { plainText } from './invalidCidr';
import { allowPortRules } from '../../policy/cnpModel';

const NAME_CHARS = /^[-a-zA-Z0-9_.]+$/;
const PATTERN_CHARS = /^[-a-zA-Z0-9_.*]+$/;
const MAX_LENGTH = 255;

export const invalidFqdnSelector: CrossFileRule = {
  meta: {
    id: 'cnp/invalid-fqdn-selector',
    severity: 'error',
    title: 'Invalid matchName / matchPattern',
    kinds: CNP_KINDS,
    mayRefusePolicy: true,
    supersedes: ['schema/invalid-value'],
    crossFile: true,
    docs: {
      summary: 'A `matchName` with characters other than letters, digits, `-`, `_` and `.`; a `matchPattern` that also has anything but `*`; either longer than 255 characters (Cilium 1.19+); or a `toFQDNs` entry with both.',
      why: 'The agent refuses the policy ("Invalid characters in MatchName: …", "only one of MatchName or MatchPattern is allowed in an FQDNSelector"). These are DNS names with `*` wildcards, not regular expressions: `.*` or `[a-z]` do not work.',
      bad: 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: web, namespace: shop}\nspec:\n  endpointSelector: {matchLabels: {app: web}}\n  egress:\n    - toFQDNs:\n        - matchPattern: "api.*\\\\.example\\\\.com"\n',
      good: 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: web, namespace: shop}\nspec:\n  endpointSelector: {matchLabels: {app: web}}\n  egress:\n    - toFQDNs:\n        - matchPattern: "*.example.com"\n',
      source: 'cilium/cilium pkg/policy/api/fqdn.go, pkg/fqdn/matchpattern/matchpattern.go',
    },
  },
  check(context) {
    const policy = policyOf(context);
    if (!policy) return;
    const since119 = atLeast(context, '1.19');
    const checkSelector = (selector: YamlNode, isToFqdns: boolean) => {
      const name = mapGetPair(selector, 'matchName');
      const pattern = mapGetPair(selector, 'matchPattern');
      const nameText = plainText(name?.value);
      const patternText = plainText(pattern?.value);
      if (isToFqdns && nameText && patternText && pattern) {
        context.report(pattern.key, `A toFQDNs entry takes matchName or matchPattern, not both: "only one of MatchName or MatchPattern is allowed in an FQDNSelector"; ${AGENT_REJECTS}.`, { refused: 'agent' });
      }
      if (name && nameText) {
        if (!NAME_CHARS.test(nameText)) {
          const hint = /[*]/.test(nameText) ? ' Use matchPattern for wildcards.' : '';
          context.report(name.value, `matchName may only hold letters, digits, "-", "_" and ".": "Invalid characters in MatchName: \\"${nameText}\\""; ${AGENT_REJECTS}.${hint}`, { refused: 'agent' });
        } else if (since119 && nameText.length > MAX_LENGTH) {
          context.report(name.value, `matchName is longer than ${MAX_LENGTH} characters; ${AGENT_REJECTS}.`, { refused: 'agent' });
        }
      }
      if (pattern && patternText) {
        if (!PATTERN_CHARS.test(patternText)) {
          const hint = /[\\[\]()+?^$|{}]/.test(patternText) ? ' It is a DNS name with "*" wildcards, not a regular expression.' : '';
          context.report(pattern.value, `matchPattern may only hold letters, digits, "-", "_", "." and "*": "Invalid characters in MatchPattern: \\"${patternText}\\""; ${AGENT_REJECTS}.${hint}`, { refused: 'agent' });
        } else if (since119 && patternText.trim().length > MAX_LENGTH) {
          context.report(pattern.value, `matchPattern is longer than ${MAX_LENGTH} characters ("Invalid MatchPattern: … Must be <= 255 characters long."); ${AGENT_REJECTS}.`, { refused: 'agent' });
        }
      }
    };
    for (const spec of policy.specs) {
      for (const rule of spec.rules) {
        for (const peer of rule.peers) {
          if (peer.kind !== 'fqdns') continue;
          for (const item of peer.items ?? []) if (deref(item)?.type === 'map') checkSelector(item, true);
        }
      }
    }
    for (const { portRule } of allowPortRules(policy)) {
      for (const entry of portRule.l7) {
        if (entry.type !== 'dns') continue;
        for (const item of entry.items) if (deref(item)?.type === 'map') checkSelector(item, false);
      }
    }
  },
};
