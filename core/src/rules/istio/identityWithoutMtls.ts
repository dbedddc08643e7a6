/**
 * authz/identity-without-mtls: `principals` / `namespaces` sources (and
 * `source.principal` / `source.namespace` conditions) take the peer identity
 * from the mTLS certificate. Where a PeerAuthentication turns mTLS off
 * (`mode: DISABLE`) for the workloads the policy applies to, requests carry no
 * peer identity and those conditions never match.
 *
 * Precision over recall: PeerAuthentications resolve workload > namespace >
 * mesh (root namespace); the rule stays quiet when a workload-level
 * PeerAuthentication it cannot tie to the policy's selector might re-enable
 * mTLS, when `portLevelMtls` is used, and for policies only ztunnel enforces
 * (ambient traffic between ztunnels is always mTLS).
 */

import type { AuthzPolicy, AuthzSource } from '../../policy/authzModel';
import type { CrossFileRule, RuleContext } from '../types';
import { AUTHZ_KINDS, workspacePolicy } from './authzPolicy';
import { enforcerOf } from './dataplane';
import { peerAuthentications, type PeerAuthenticationInfo } from './meshObjects';

const IDENTITY_SOURCE_FIELDS = ['principals', 'namespaces'] as const;
const IDENTITY_CONDITION_KEYS = new Set(['source.principal', 'source.namespace']);

function sameLabels(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}

/** The PeerAuthentication that disables mTLS for every workload the policy applies to, if one does. */
export function disablingPeerAuthentication(policy: AuthzPolicy, all: readonly PeerAuthenticationInfo[], rootNamespace: string): PeerAuthenticationInfo | undefined {
  if (all.some((peer) => peer.portLevel)) return undefined;
  const mesh = all.find((peer) => peer.namespace === rootNamespace && !peer.selector);
  if (policy.scope.kind === 'mesh' || (policy.scope.kind === 'selector' && policy.scope.inRootNamespace)) {
    // Mesh-wide: only when nothing anywhere turns mTLS back on.
    if (mesh?.mode !== 'DISABLE') return undefined;
    return all.some((peer) => peer !== mesh && peer.mode !== 'DISABLE' && peer.mode !== 'UNSET') ? undefined : mesh;
  }
  if (policy.scope.kind === 'targetRefs') return undefined;
  const inNamespace = all.filter((peer) => peer.namespace === policy.namespace);
  const workloadLevel = inNamespace.filter((peer) => peer.selector);
  if (policy.scope.kind === 'selector') {
    const matchLabels = policy.scope.matchLabels;
    const exact = workloadLevel.find((peer) => sameLabels(peer.selector!, matchLabels));
    if (exact && exact.mode !== 'UNSET') return exact.mode === 'DISABLE' ? exact : undefined;
  }
  // Another workload-level PeerAuthentication may turn mTLS on for some of the workloads.
  if (workloadLevel.some((peer) => peer.mode !== 'DISABLE' && peer.mode !== 'UNSET')) return undefined;
  const namespaceLevel = inNamespace.find((peer) => !peer.selector);
  if (namespaceLevel && namespaceLevel.mode !== 'UNSET') return namespaceLevel.mode === 'DISABLE' ? namespaceLevel : undefined;
  return mesh?.mode === 'DISABLE' ? mesh : undefined;
}

export const identityWithoutMtls: CrossFileRule = {
  meta: {
    id: 'authz/identity-without-mtls',
    severity: 'warning',
    title: 'Peer identity conditions where mTLS is disabled',
    kinds: AUTHZ_KINDS,
    crossFile: true,
    docs: {
      summary: 'An AuthorizationPolicy matches on `principals` or `namespaces` (or `source.principal` / `source.namespace` conditions) for workloads whose PeerAuthentication sets `mtls.mode: DISABLE`.',
      why: 'The source principal and namespace come from the client certificate of the mutual TLS connection. With mTLS disabled there is no certificate, so these conditions never match: an ALLOW rule using them allows nothing (the requests are denied) and a DENY rule using them never fires. Enable mTLS (`PERMISSIVE` or `STRICT`), or match on something else.',
      bad: 'apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {name: default, namespace: shop}\nspec:\n  mtls: {mode: DISABLE}\n---\napiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: api, namespace: shop}\nspec:\n  selector:\n    matchLabels: {app: api}\n  rules:\n    - from:\n        - source: {principals: [cluster.local/ns/web/sa/frontend]}\n',
      good: 'apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {name: default, namespace: shop}\nspec:\n  mtls: {mode: STRICT}\n---\napiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: api, namespace: shop}\nspec:\n  selector:\n    matchLabels: {app: api}\n  rules:\n    - from:\n        - source: {principals: [cluster.local/ns/web/sa/frontend]}\n',
      source: 'istio.io reference authorization-policy (principals/namespaces require mTLS); Kiali validation KIA0105; Istio analyzer IST0127',
    },
  },
  check(context: RuleContext) {
    const found = workspacePolicy(context);
    if (!found) return;
    const { policy, index } = found;
    if ((policy.action !== 'ALLOW' && policy.action !== 'DENY') || !policy.rules) return;
    if (enforcerOf(policy, index) === 'ztunnel') return;
    const disabling = disablingPeerAuthentication(policy, peerAuthentications(context.workspace), context.options.istioRootNamespace);
    if (!disabling) return;
    const effect = policy.action === 'ALLOW' ? 'this ALLOW rule never matches and the requests it should allow are denied' : 'this DENY rule never fires';
    const related = [{ at: disabling.at, message: `PeerAuthentication${disabling.name ? ` "${disabling.name}"` : ''} disables mTLS here` }];
    const why = `mTLS is disabled for these workloads (PeerAuthentication mode DISABLE), so requests carry no peer identity`;
    const needsIdentity = (source: AuthzSource) => IDENTITY_SOURCE_FIELDS.some((field) => (source.fields[field]?.values.length ?? 0) > 0);
    for (const rule of policy.rules) {
      // Sources are OR'ed: the rule is dead only when every source needs an identity.
      const ruleDead = (rule.from ?? []).every(needsIdentity);
      for (const source of rule.from ?? []) {
        for (const field of IDENTITY_SOURCE_FIELDS) {
          const list = source.fields[field];
          if (!list || list.values.length === 0) continue;
          const consequence = ruleDead ? effect : 'this source never matches';
          context.report(list.pair.key, `${why} and \`${field}\` never matches: ${consequence}.`, { related });
        }
      }
      for (const condition of rule.when ?? []) {
        if (!condition.key || !condition.keyNode || !IDENTITY_CONDITION_KEYS.has(condition.key) || !condition.values) continue;
        context.report(condition.keyNode, `${why} and \`${condition.key}\` is empty: ${effect}.`, { related });
      }
    }
  },
};
