/**
 * `cnp/invalid-http-regex`: HTTP `path`, `method` and `host` are RE2
 * regular expressions. The agent compiles `path` and `method` and refuses the
 * policy when they fail; `host` is not checked by the agent, but Envoy
 * compiles it and cannot apply the port's L7 policy.
 *
 * User text is compiled with re2js only (never a JS RegExp), inside try/catch,
 * and the outcome is memoized per pattern (bounded).
 */

import { RE2JS } from 're2js';
import { BoundedCache } from '../../util/boundedCache';
import { deref, mapGetPair } from '../../parse/ast';
import { allowPortRules } from '../../policy/cnpModel';
import type { LocalRule } from '../types';
import { AGENT_REJECTS, CNP_KINDS, policyOf } from './support';
import { plainText } from './invalidCidr';

/** Compile results by pattern: a repository repeats the same few patterns across many policies. */
const compileErrors = new BoundedCache<string, string | undefined>(2048);

export function re2Error(pattern: string): string | undefined {
  return compileErrors.get(pattern, compileError);
}

function compileError(pattern: string): string | undefined {
  try {
    RE2JS.compile(pattern);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

export const invalidHttpRegex: LocalRule = {
  meta: {
    id: 'cnp/invalid-http-regex',
    severity: 'error',
    title: 'HTTP path, method or host is not a valid RE2 regex',
    kinds: CNP_KINDS,
    mayRefusePolicy: true,
    docs: {
      summary: 'An HTTP rule whose `path`, `method` or `host` does not compile as an RE2 regular expression (no look-around, no back-references).',
      why: 'The agent compiles `path` and `method` with Go\'s RE2 engine and refuses the policy on an error ("error parsing regexp: …"). `host` is not checked by the agent, but Envoy uses the same syntax and rejects the L7 configuration for that port.',
      bad: 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: web, namespace: shop}\nspec:\n  endpointSelector: {matchLabels: {app: web}}\n  ingress:\n    - fromEndpoints: [{matchLabels: {app: client}}]\n      toPorts:\n        - ports: [{port: "8080", protocol: TCP}]\n          rules:\n            http:\n              - path: "/api/(?!internal)"\n',
      good: 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: web, namespace: shop}\nspec:\n  endpointSelector: {matchLabels: {app: web}}\n  ingress:\n    - fromEndpoints: [{matchLabels: {app: client}}]\n      toPorts:\n        - ports: [{port: "8080", protocol: TCP}]\n          rules:\n            http:\n              - path: "/api/public(/.*)?"\n',
      source: 'cilium/cilium pkg/policy/api/http.go (PortRuleHTTP sanitize); Envoy safe_regex (RE2)',
    },
  },
  check(context) {
    const policy = policyOf(context);
    if (!policy) return;
    for (const { portRule } of allowPortRules(policy)) {
      for (const entry of portRule.l7) {
        if (entry.type !== 'http') continue;
        for (const http of entry.items) {
          if (deref(http)?.type !== 'map') continue;
          for (const field of ['path', 'method', 'host'] as const) {
            const pair = mapGetPair(http, field);
            const pattern = plainText(pair?.value);
            if (!pair || pattern === undefined) continue;
            const error = re2Error(pattern);
            if (!error) continue;
            if (field === 'host') {
              context.report(pair.value, `host is an RE2 regex and this one does not compile (${error}); the agent accepts the policy but Envoy cannot apply the L7 rules of this port.`, {
                severity: 'warning',
              });
            } else {
              context.report(pair.value, `${field} is an RE2 regex and this one does not compile: "${error}"; ${AGENT_REJECTS}.`, { refused: 'agent' });
            }
          }
        }
      }
    }
  },
};
