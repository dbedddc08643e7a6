/**
 * `cnp/invalid-cidr`: `fromCIDR`/`toCIDR` entries must be an IP or a prefix;
 * `cidr` (and `except`) of a CIDR set must be a prefix (`addr/len`).
 */

import { deref, mapGet, type YamlNode } from '../../parse/ast';
import { textUnknownUntilRender } from '../../parse/unknownValue';
import type { LocalRule } from '../types';
import { AGENT_REJECTS, CNP_KINDS, policyOf } from './support';
import { parseCidr, parseIp } from './cidrSyntax';

export const invalidCidr: LocalRule = {
  meta: {
    id: 'cnp/invalid-cidr',
    severity: 'error',
    title: 'Invalid CIDR',
    kinds: CNP_KINDS,
    mayRefusePolicy: true,
    docs: {
      summary: 'A `fromCIDR`/`toCIDR` entry that is neither an IP nor a prefix, or a `cidr`/`except` in a CIDR set that is not a prefix.',
      why: 'The agent refuses the policy ("unable to parse CIDR: …", "unable to parse CIDRRule …"). In `fromCIDR`/`toCIDR` a bare IP is fine; in `fromCIDRSet`/`toCIDRSet` write `addr/len` (e.g. `10.0.0.1/32`).',
      bad: 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: web, namespace: shop}\nspec:\n  endpointSelector: {matchLabels: {app: web}}\n  egress:\n    - toCIDRSet:\n        - cidr: 10.0.0.1\n',
      good: 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: web, namespace: shop}\nspec:\n  endpointSelector: {matchLabels: {app: web}}\n  egress:\n    - toCIDRSet:\n        - cidr: 10.0.0.1/32\n',
      source: 'cilium/cilium pkg/policy/api/cidr.go, rule_validation.go, all versions',
    },
  },
  check(context) {
    const policy = policyOf(context);
    if (!policy) return;
    const report = (node: YamlNode, message: string) => context.report(node, `${message}; ${AGENT_REJECTS}.`, { refused: 'agent' });
    for (const spec of policy.specs) {
      for (const rule of spec.rules) {
        for (const peer of rule.peers) {
          if (peer.kind === 'cidr') {
            for (const item of peer.items ?? []) {
              const text = plainText(item);
              if (text === undefined) continue;
              if (text === '') report(item, 'Empty CIDR entry ("IP must be specified")');
              else if (!(text.includes('/') ? parseCidr(text) : parseIp(text))) report(item, `"${text}" is not an IP address or a CIDR prefix ("unable to parse CIDR")`);
            }
          } else if (peer.kind === 'cidrSet') {
            for (const item of peer.items ?? []) {
              const cidr = deref(mapGet(item, 'cidr'));
              const text = plainText(cidr);
              if (cidr && text !== undefined && !parseCidr(text)) {
                const hint = parseIp(text) ? `; write "${text}/${text.includes(':') ? 128 : 32}" for one address` : '';
                report(cidr, `cidr "${text}" must be a prefix (address/length)${hint} ("unable to parse CIDRRule")`);
              }
              const except = deref(mapGet(item, 'except'));
              if (except?.type !== 'seq') continue;
              for (const entry of except.items) {
                const exceptText = plainText(entry);
                if (exceptText !== undefined && !parseCidr(exceptText)) report(entry, `except entry "${exceptText}" must be a prefix (address/length) ("unable to parse CIDRRule")`);
              }
            }
          }
        }
      }
    }
  },
};

/**
 * Scalar text, or undefined for null, non-scalars and values that are filled
 * in before the API server sees them: Flux substitutions (`${CLUSTER_CIDR}`)
 * and Go/Helm template actions (`{{ .Values.cidr }}`).
 */
export function plainText(node: YamlNode | undefined): string | undefined {
  const target = deref(node);
  if (!target || target.type !== 'scalar' || target.value === null || hasPlaceholder(target.text)) return undefined;
  return target.text;
}

export function hasPlaceholder(text: string): boolean {
  return textUnknownUntilRender(text);
}
