/**
 * `cnp/default-deny-without-section`: `enableDefaultDeny.<direction>: true` on
 * a rule without any entry in that direction does not put the selected
 * endpoints into default-deny for it.
 *
 * Fact (Cilium 1.16+, where the field exists): 1.16–1.18 set a direction's
 * default-deny in `computePolicyEnforcementAndRules` only for rules with
 * `len(Ingress) > 0 || len(IngressDeny) > 0` (egress likewise); later releases
 * turn every ingress/egress (deny) entry into a policy entry carrying the
 * default-deny flag (`pkg/policy/utils/parserules.go`), so no entry, no flag.
 */

import { deref, mapGetPair } from '../../parse/ast';
import type { LocalRule } from '../types';
import { CNP_KINDS, insertPairAfter, policyOf } from './support';

const DIRECTIONS = [
  { name: 'ingress', sections: ['ingress', 'ingressDeny'] },
  { name: 'egress', sections: ['egress', 'egressDeny'] },
] as const;

export const defaultDenyWithoutSection: LocalRule = {
  meta: {
    id: 'cnp/default-deny-without-section',
    severity: 'warning',
    title: 'enableDefaultDeny without a rule in that direction',
    kinds: CNP_KINDS,
    fix: { title: 'Add an empty rule for that direction (deny all)', safe: false },
    docs: {
      summary: 'A rule sets `enableDefaultDeny.ingress: true` (or `egress`) but has no `ingress`/`ingressDeny` (`egress`/`egressDeny`) entry.',
      why: 'Cilium switches a direction to default-deny only through a rule entry of that direction; the flag alone creates nothing, so traffic in that direction stays allowed. This holds for every Cilium release with the field (1.16 on). To deny all ingress, add an empty rule: `ingress: [{}]`.',
      bad: 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: lockdown, namespace: shop}\nspec:\n  endpointSelector: {}\n  enableDefaultDeny: {ingress: true, egress: true}\n  egress:\n    - toEntities: [kube-apiserver]\n',
      good: 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: lockdown, namespace: shop}\nspec:\n  endpointSelector: {}\n  enableDefaultDeny: {ingress: true, egress: true}\n  ingress:\n    - {}\n  egress:\n    - toEntities: [kube-apiserver]\n',
      source: 'cilium/cilium pkg/policy/repository.go computePolicyEnforcementAndRules (1.16–1.18), pkg/policy/utils/parserules.go (later)',
    },
  },
  check(context) {
    const policy = policyOf(context);
    if (!policy) return;
    for (const spec of policy.specs) {
      const flags = deref(mapGetPair(spec.node, 'enableDefaultDeny')?.value);
      if (flags?.type !== 'map') continue;
      for (const direction of DIRECTIONS) {
        const flag = mapGetPair(flags, direction.name);
        const value = deref(flag?.value);
        if (!flag || value?.type !== 'scalar' || value.value !== true) continue;
        const hasEntry = spec.sections.some((section) => (direction.sections as readonly string[]).includes(section.direction) && sectionLength(section.pair.value) > 0);
        if (hasEntry) continue;
        const [allow, deny] = direction.sections;
        // Adds `ingress: [{}]` after enableDefaultDeny, unless the key exists already (e.g. `ingress: []`).
        const enableDefaultDenyPair = mapGetPair(spec.node, 'enableDefaultDeny')!;
        const fixes = mapGetPair(spec.node, allow)
          ? undefined
          : [{ title: `Add \`${allow}: [{}]\` (deny all ${direction.name})`, safe: false, edits: [insertPairAfter(context.document.text, spec.node.flow, enableDefaultDenyPair, allow, '[{}]')] }];
        context.report(flag.key, `enableDefaultDeny.${direction.name}: true does nothing here: Cilium puts endpoints into ${direction.name} default-deny only through a rule's ${allow} or ${deny} entries, and this rule has none, so ${direction.name} traffic stays allowed. Add \`${allow}: [{}]\` to deny all ${direction.name}.`, { fixes });
      }
    }
  },
};

function sectionLength(node: Parameters<typeof deref>[0]): number {
  const value = deref(node);
  return value?.type === 'seq' ? value.items.length : 0;
}

