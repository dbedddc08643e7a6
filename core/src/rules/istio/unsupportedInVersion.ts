/**
 * authz/unsupported-in-version: fields and forms newer than the Istio version
 * in `meshlens.istioVersion` (no check when the setting is empty: newest).
 */

import { containsPathTemplate, istioAtLeast } from '../../policy/authzAttributes';
import type { YamlNode } from '../../parse/ast';
import type { LocalRule } from '../types';
import { AUTHZ_KINDS, conditions, fieldValues, localPolicy, valueLists } from './authzPolicy';

interface Finding {
  node: YamlNode;
  since: string;
  message: string;
  severity?: 'warning';
}

export const unsupportedInVersion: LocalRule = {
  meta: {
    id: 'authz/unsupported-in-version',
    severity: 'error',
    title: 'Feature newer than the configured Istio version',
    kinds: AUTHZ_KINDS,
    docs: {
      summary: 'An AuthorizationPolicy uses a field, targetRef kind, condition key or path template that the configured Istio version (`meshlens.istioVersion`) does not know.',
      why: 'The CRD of an older Istio prunes unknown fields and its istiod ignores newer forms: a dropped `targetRefs` turns the policy namespace-wide, a dropped `serviceAccounts` list widens the source, and a path template before 1.22 is compared literally. Versions: targetRef 1.20, targetRefs and path templates 1.22, Service targets 1.23, serviceAccounts 1.25, GatewayClass targets 1.26, trustDomains 1.31.',
      bad: 'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: api, namespace: shop}\nspec:\n  targetRefs:\n  - {group: gateway.networking.k8s.io, kind: Gateway, name: waypoint}\n',
      good: 'apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: api, namespace: shop}\nspec:\n  selector:\n    matchLabels: {app: api}\n',
      exampleOptions: { istioVersion: '1.21' },
      source: 'istio/api history: #2888 (targetRef), #3159 (targetRefs), #3199 (Service), #3340 (serviceAccounts), #3414 (GatewayClass), #3665 (trustDomains); istio #50365 (path templates)',
    },
  },
  check(context) {
    const version = context.options.istioVersion;
    if (!version) return;
    const policy = localPolicy(context);
    if (!policy) return;
    const findings: Finding[] = [];
    if (policy.targetRefPair) findings.push({ node: policy.targetRefPair.key, since: '1.20', message: 'its CRD drops `targetRef` and the policy applies to the whole namespace' });
    if (policy.targetRefsPair) findings.push({ node: policy.targetRefsPair.key, since: '1.22', message: 'its CRD drops `targetRefs` and the policy applies to the whole namespace' });
    if (policy.scope.kind === 'targetRefs') {
      for (const ref of policy.scope.refs) {
        if (ref.kind === 'Service' && (ref.group === '' || ref.group === 'core')) findings.push({ node: ref.node, since: '1.23', message: 'Service targets are not attached to waypoints' });
        if (ref.kind === 'GatewayClass') findings.push({ node: ref.node, since: '1.26', message: 'GatewayClass targets are not supported' });
      }
    }
    for (const { list } of valueLists(policy)) {
      if (list.field === 'serviceAccounts' || list.field === 'notServiceAccounts') findings.push({ node: list.pair.key, since: '1.25', message: `its CRD drops \`${list.field}\`, so this source no longer checks the service account` });
      if (list.field === 'trustDomains' || list.field === 'notTrustDomains') findings.push({ node: list.pair.key, since: '1.31', message: `\`${list.field}\` is not enforced` });
    }
    for (const { condition } of conditions(policy)) {
      if (condition.key === 'source.serviceAccount') findings.push({ node: condition.keyNode ?? condition.node, since: '1.25', message: 'istiod rejects the unknown key source.serviceAccount' });
      if (condition.key === 'source.trustDomain') findings.push({ node: condition.keyNode ?? condition.node, since: '1.31', message: 'istiod rejects the unknown key source.trustDomain' });
    }
    for (const { value } of fieldValues(policy, new Set(['paths', 'notPaths']))) {
      if (containsPathTemplate(value.text)) findings.push({ node: value.node, since: '1.22', message: 'path templates are compared as literal text and never match', severity: 'warning' });
    }
    for (const finding of findings) {
      if (istioAtLeast(version, finding.since)) continue;
      context.report(finding.node, `Needs Istio ${finding.since}; with Istio ${version} (meshlens.istioVersion) ${finding.message}.`, finding.severity ? { severity: finding.severity } : undefined);
    }
  },
};
