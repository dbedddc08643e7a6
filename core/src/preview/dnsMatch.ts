/**
 * Does a DNS query match a Cilium DNS rule (`rules.dns[]` of a `toPorts`
 * entry)? `matchName` is a whole-name match, `matchPattern` a glob with
 * Cilium's wildcard semantics for the cluster's minor (a leading `**.` spans
 * labels from 1.19). Case and a trailing dot are ignored. Pure; never throws
 * (a rule with neither field matches nothing).
 */

import { dnsNameMatcher, dnsPatternMatcher } from '../policy/dnsPatterns';
import { minorAtLeast } from '../policy/ciliumContext';
import type { DnsRuleView } from './model';

export function dnsRuleMatches(rule: DnsRuleView, query: string, ciliumMinor: string): boolean {
  if (rule.matchName !== undefined) return dnsNameMatcher(rule.matchName).matches(query);
  if (rule.matchPattern !== undefined) return dnsPatternMatcher(rule.matchPattern, ciliumMinor !== '' && minorAtLeast(ciliumMinor, '1.19')).matches(query);
  return false;
}
