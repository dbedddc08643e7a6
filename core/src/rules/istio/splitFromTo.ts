/**
 * authz/split-from-to: in an ALLOW policy, a rule with only `from` directly
 * followed by a rule with only `to`. Rules are OR'ed, so the second one lets
 * any source call the listed operations; the usual cause is one `-` too many
 * in front of `to`. Kept narrow on purpose, because separate rules are often
 * meant (public health endpoints, metrics ports): exactly two rules, the first
 * only `from`, the second only `to`, neither with `when`, and no comment line
 * between them (a comment there usually explains the second rule).
 */

import type { LocalRule } from '../types';
import { AUTHZ_KINDS, localPolicy } from './authzPolicy';

export const splitFromTo: LocalRule = {
  meta: {
    id: 'authz/split-from-to',
    severity: 'warning',
    title: '`from` and `to` in separate ALLOW rules',
    kinds: AUTHZ_KINDS,
    docs: {
      summary: 'An ALLOW policy where a rule with only `from` is directly followed by a rule with only `to` (and no other rule).',
      why: 'The rules of a policy are OR\'ed: the second rule matches requests from any source, so everyone may call the listed operations, and the sources of the first rule may call everything. When one rule was meant (`from` AND `to`), remove the `-` in front of `to`.',
      bad: 'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: api, namespace: shop}\nspec:\n  selector:\n    matchLabels: {app: api}\n  rules:\n    - from:\n        - source: {namespaces: [web]}\n    - to:\n        - operation: {methods: [GET]}\n',
      good: 'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: api, namespace: shop}\nspec:\n  selector:\n    matchLabels: {app: api}\n  rules:\n    - from:\n        - source: {namespaces: [web]}\n      to:\n        - operation: {methods: [GET]}\n',
      source: 'istio.io reference config/security/authorization-policy (rules are OR\'ed; from, to and when of one rule are AND\'ed)',
    },
    fix: { title: 'Join `to` to the rule above', safe: false },
  },
  check(context) {
    const policy = localPolicy(context);
    if (!policy || policy.action !== 'ALLOW' || !policy.rules) return;
    const text = context.document.text;
    if (policy.rules.length !== 2) return;
    const [previous, rule] = policy.rules;
    const fromOnly = previous.from !== undefined && previous.from.length > 0 && previous.to === undefined && previous.when === undefined;
    const toOnly = rule.to !== undefined && rule.to.length > 0 && rule.from === undefined && rule.when === undefined;
    if (!fromOnly || !toOnly || !rule.toPair) return;
    if (/\n\s*#/.test(text.slice(previous.node.end, rule.node.start))) return;
    // Block style `- to:` right under `- from:` at the same column: joining is removing that `-`.
    const dash = rule.toPair.key.start - 2;
    const joinable =
      rule.node.start === rule.toPair.key.start &&
      text.slice(dash, rule.toPair.key.start) === '- ' &&
      previous.fromPair !== undefined &&
      columnOf(text, previous.fromPair.key.start) === columnOf(text, rule.toPair.key.start);
    context.report(
      rule.toPair.key,
      `Rules are OR'ed: this rule has only \`to\`, so any source may call these operations, and the rule above (only \`from\`) lets its sources call everything. If one rule was meant, remove the \`-\` in front of \`to\`.`,
      { fixes: joinable ? [{ title: 'Join `to` to the rule above', safe: false, edits: [{ range: { start: dash, end: dash + 1 }, newText: ' ' }] }] : undefined },
    );
  },
};

function columnOf(text: string, offset: number): number {
  return offset - (text.lastIndexOf('\n', offset - 1) + 1);
}
