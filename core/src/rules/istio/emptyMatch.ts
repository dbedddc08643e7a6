/**
 * authz/empty-match: empty or missing pieces istiod rejects — a null rule, an
 * explicit empty `from`/`to` list, a `from` item without a non-empty
 * `source`, a `to` item without a non-empty `operation`, empty strings in
 * value lists, and `when` items that are not maps.
 */

import { deref } from '../../parse/ast';
import type { AuthzOperation, AuthzSource, StringList } from '../../policy/authzModel';
import type { LocalRule } from '../types';
import { AUTHZ_KINDS, localPolicy, valueLists } from './authzPolicy';

export const emptyMatch: LocalRule = {
  meta: {
    id: 'authz/empty-match',
    severity: 'error',
    refusesPolicy: 'api-server',
    title: 'Empty rule, source, operation or value',
    kinds: AUTHZ_KINDS,
    docs: {
      summary: 'A rule, `from`/`to` list, `source`, `operation` or list value that is present but empty.',
      why: 'istiod rejects explicit empty pieces instead of guessing whether they mean "anything" or "nothing": `from: []`, `- source: {}`, `principals: [""]` and the like make the whole policy fail validation. Leave a part out to match anything.',
      bad: 'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: api, namespace: shop}\nspec:\n  rules:\n  - from: []\n    to:\n    - operation: {methods: [""]}\n',
      good: 'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: api, namespace: shop}\nspec:\n  rules:\n  - to:\n    - operation: {methods: ["GET"]}\n',
      source: 'istio pkg/config/validation ValidateAuthorizationPolicy',
    },
  },
  check(context) {
    const policy = localPolicy(context);
    if (!policy?.rules) return;
    const rejected = 'istiod rejects the policy';
    for (const rule of policy.rules) {
      const node = deref(rule.node);
      if (!node || node.type !== 'map') {
        // A null list item has no source range of its own; point at `rules` then.
        const target = rule.node.end > rule.node.start ? rule.node : policy.rulesPair?.key ?? rule.node;
        context.report(target, `Rule ${rule.index} is null or not a map ("\`rule\` must not be nil, found at rule ${rule.index}"): ${rejected}. Use \`{}\` to match every request.`);
        continue;
      }
      for (const [part, pair, entries, inner] of [
        ['from', rule.fromPair, rule.from, 'source'],
        ['to', rule.toPair, rule.to, 'operation'],
      ] as const) {
        if (!pair) continue;
        const list = deref(pair.value);
        if (!list || list.type !== 'seq' || list.items.length === 0) {
          context.report(pair.key, `\`${part}\` is empty ("\`${part}\` must not be empty, found at rule ${rule.index}"): ${rejected}. Remove \`${part}\` to match any ${part === 'from' ? 'source' : 'operation'}.`);
          continue;
        }
        for (const entry of entries ?? []) {
          const innerNode = inner === 'source' ? (entry as AuthzSource).source : (entry as AuthzOperation).operation;
          const fields = Object.values(entry.fields) as StringList[];
          if (!innerNode) {
            context.report(entry.node, `\`${part}\` item without \`${inner}\` ("\`${part}.${inner}\` must not be nil, found at rule ${rule.index}"): ${rejected}.`);
          } else if (innerNode.type !== 'map' || innerNode.pairs.length === 0 || fields.every((field) => field.isList && field.values.length === 0)) {
            context.report(innerNode, `Empty \`${inner}\` ("\`${part}.${inner}\` must not be empty, found at rule ${rule.index}"): ${rejected}. Remove the item to match any ${inner === 'source' ? 'source' : 'operation'}.`);
          }
        }
      }
      const when = deref(rule.whenPair?.value);
      if (when?.type === 'seq') {
        for (const item of when.items) {
          const condition = deref(item);
          if (!condition || condition.type !== 'map') context.report(item, `\`when\` item is not a condition ("when field cannot be nil"): ${rejected}.`);
        }
      }
    }
    for (const { list } of valueLists(policy)) {
      for (const value of list.values) {
        if (value.text === '') context.report(value.node, `Empty value in \`${list.field}\` ("empty value not allowed"): ${rejected}. Use "*" to require any non-empty value.`);
      }
    }
  },
};
