/**
 * `cnp/unknown-entity`: `fromEntities`/`toEntities` accept a fixed list of
 * names. `world-ipv4`/`world-ipv6` are known to the agent from 1.15 but not
 * to the CRD, so the API server refuses them.
 */

import { deref } from '../../parse/ast';
import { closestMatches } from '../../util/editDistance';
import type { CrossFileRule, RuleFix } from '../types';
import { hasPlaceholder } from './invalidCidr';
import { AGENT_REJECTS, CNP_KINDS, atLeast, policyOf, replaceScalarEdit, versionPhrase } from './support';

export const KNOWN_ENTITIES = ['all', 'world', 'cluster', 'host', 'init', 'ingress', 'unmanaged', 'remote-node', 'health', 'none', 'kube-apiserver'] as const;
const AGENT_ONLY_ENTITIES = ['world-ipv4', 'world-ipv6'];

export const unknownEntity: CrossFileRule = {
  meta: {
    id: 'cnp/unknown-entity',
    severity: 'error',
    title: 'Unknown entity',
    kinds: CNP_KINDS,
    mayRefusePolicy: true,
    supersedes: ['schema/invalid-value'],
    crossFile: true,
    docs: {
      summary: 'An entry of `fromEntities`/`toEntities` that is not an entity name (names are lower-case: `world`, `cluster`, `host`, `remote-node`, `kube-apiserver`, …).',
      why: 'The agent refuses unknown entities ("unsupported entity: World") and with them the whole policy; matching is case-sensitive. `world-ipv4`/`world-ipv6` exist in the agent since 1.15 but the CRD does not list them, so the API server rejects the policy.',
      bad: 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: web, namespace: shop}\nspec:\n  endpointSelector: {matchLabels: {app: web}}\n  egress:\n    - toEntities: [World]\n',
      good: 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: web, namespace: shop}\nspec:\n  endpointSelector: {matchLabels: {app: web}}\n  egress:\n    - toEntities: [world]\n',
      source: 'cilium/cilium pkg/policy/api/entity.go; CRD enum of toEntities/fromEntities',
    },
    // Case and underscore fixes are safe; a guessed name for a typo is not.
    fix: { title: 'Use the entity name as Cilium spells it', safe: 'varies' },
  },
  check(context) {
    const policy = policyOf(context);
    if (!policy) return;
    for (const spec of policy.specs) {
      for (const rule of spec.rules) {
        for (const peer of rule.peers) {
          if (peer.kind !== 'entities' || !peer.items) continue;
          for (const item of peer.items) {
            const node = deref(item);
            if (!node || node.type !== 'scalar' || node.value === null || hasPlaceholder(node.text)) continue;
            const name = node.text;
            if ((KNOWN_ENTITIES as readonly string[]).includes(name)) continue;
            if (AGENT_ONLY_ENTITIES.includes(name)) {
              if (atLeast(context, '1.15')) {
                context.report(node, `The agent knows "${name}" (Cilium 1.15+), but the CRD's entity list does not, so the API server rejects the policy; use "world".`, {
                  refused: 'api-server',
                  fixes: fixesFor(item, ['world'], false),
                });
              } else {
                context.report(node, `"${name}" is not an entity in ${versionPhrase(context)} ("unsupported entity: ${name}"); ${AGENT_REJECTS}.`, { refused: 'agent', fixes: fixesFor(item, ['world'], false) });
              }
              continue;
            }
            const normalized = name.toLowerCase().replace(/_/g, '-');
            const exact = (KNOWN_ENTITIES as readonly string[]).includes(normalized) ? [normalized] : [];
            const suggestions = exact.length > 0 ? exact : closestMatches(name, KNOWN_ENTITIES);
            const hint = suggestions.length > 0 ? ` Did you mean "${suggestions[0]}"?` : ` Known entities: ${KNOWN_ENTITIES.join(', ')}.`;
            context.report(node, `"${name}" is not an entity ("unsupported entity: ${name}"); ${AGENT_REJECTS}.${hint}`, {
              refused: 'agent',
              fixes: fixesFor(item, suggestions, exact.length > 0),
            });
          }
        }
      }
    }
  },
};

/** Case/underscore fixes are safe; a guessed typo fix is offered but not marked safe. */
function fixesFor(node: Parameters<typeof replaceScalarEdit>[0], names: readonly string[], safe: boolean): RuleFix[] {
  const fixes: RuleFix[] = [];
  names.forEach((name, index) => {
    const edit = replaceScalarEdit(node, name);
    if (edit) fixes.push({ title: `Use "${name}"`, safe, preferred: index === 0, edits: [edit] });
  });
  return fixes;
}
