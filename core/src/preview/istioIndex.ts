/**
 * Every Istio AuthorizationPolicy of the workspace read into plain entries
 * for the effective-policy model: scope, action, provider, dry-run, and each
 * rule twice — as a sidecar or waypoint (Envoy) evaluates it, and as ztunnel
 * keeps it (ALLOW rules with any L7 attribute dropped whole; DENY rules with
 * L7 attributes stripped, a clause left empty never matching, an L7 `when`
 * making the rule never fire; CUSTOM and AUDIT not sent at all).
 *
 * Bare service account names in `serviceAccounts` are qualified with the
 * policy's namespace here. Computed once per workspace generation.
 */

import { nodeAtPath } from '../parse/ast';
import { L7_OPERATION_FIELDS, L7_SOURCE_FIELDS, ZTUNNEL_OPERATION_FIELDS, ZTUNNEL_SOURCE_FIELDS, isZtunnelConditionKey } from '../policy/authzAttributes';
import { isAuthorizationPolicy, readAuthorizationPolicy, type AuthzPolicy, type AuthzRule } from '../policy/authzModel';
import type { AnalysisOptions } from '../options';
import { k8sIndex } from '../policy/k8sIndex';
import type { WorkspaceView } from '../workspace/workspace';
import type { IstioClause, IstioCondition, IstioRuleView, SourceRef } from './model';
import { sourceMaker, type SourceMaker } from './sources';
import { deriveWithAllOptions } from '../workspace/deriveWith';
import { documentVariants } from '../gitops/documentVariants';

export type IstioScope =
  | { kind: 'selector'; matchLabels: Record<string, string>; inRootNamespace: boolean }
  | { kind: 'targetRefs'; refs: { group: string; kind: string; name: string }[] }
  | { kind: 'namespace' }
  | { kind: 'mesh' };

export interface IstioPolicyEntry {
  /** The clusters whose builds apply this variant of the document (substituted per build); undefined: every cluster that deploys the file. */
  clusters?: readonly number[];
  name: string;
  namespace: string;
  action: string;
  provider?: string;
  dryRun: boolean;
  scope: IstioScope;
  /** False for `spec: {}` / no `rules` (an ALLOW of that shape allows nothing). */
  hasRules: boolean;
  rules: IstioRuleView[];
  ztunnelRules: IstioRuleView[];
  source: SourceRef;
  /** istiod's validating webhook refuses the policy as a whole: it is not in the cluster, it allows and denies nothing. */
  notInForce?: { rule: string; reason: string; at: SourceRef };
}

export interface IstioPolicyIndex {
  rootNamespace: string;
  policies: IstioPolicyEntry[];
}

export function istioPolicyIndex(workspace: WorkspaceView, options: AnalysisOptions): IstioPolicyIndex {
  // The index asks the rules which policies istiod refuses: it reads every option.
  return deriveWithAllOptions(workspace, 'preview-istio', options, () => buildIndex(workspace, options));
}

function buildIndex(workspace: WorkspaceView, options: AnalysisOptions): IstioPolicyIndex {
  const rootNamespace = options.istioRootNamespace;
  const index = k8sIndex(workspace);
  const makeSource = sourceMaker(workspace);
  const policies: IstioPolicyEntry[] = [];
  for (const document of workspace.byKind('AuthorizationPolicy')) {
    if (!isAuthorizationPolicy(document.identity)) continue;
    // As each build applies it (`${VAR}` substituted, the build's namespace); one variant for most documents.
    for (const variant of documentVariants(workspace, document)) {
      const namespace = variant.namespace ?? index.effectiveNamespace(document.file, document.identity.namespace).namespace;
      const policy = readAuthorizationPolicy(variant.root, { namespace, rootNamespace, text: document.parsed.text });
      if (!policy) continue;
      const entry = entryOf(policy, document.file, document.index, makeSource);
      if (variant.clusters) entry.clusters = variant.clusters;
      const refusal = workspace.policyRefusals(document.file, document.index, options)[0];
      if (refusal) {
        entry.notInForce = {
          rule: refusal.rule,
          reason: `istiod refuses the whole policy (${refusal.rule}: ${refusal.message})`,
          at: makeSource(document.file, document.index, refusal, `authz ${entry.namespace}/${entry.name} (${refusal.rule})`),
        };
    }
    policies.push(entry);
    }
  }
  return { rootNamespace, policies };
}

function entryOf(policy: AuthzPolicy, file: string, document: number, makeSource: SourceMaker): IstioPolicyEntry {
  const name = policy.name ?? '?';
  const label = `authz ${policy.namespace}/${name}`;
  const action = policy.action.toUpperCase();
  const scope: IstioScope =
    policy.scope.kind === 'selector'
      ? { kind: 'selector', matchLabels: policy.scope.matchLabels, inRootNamespace: policy.scope.inRootNamespace }
      : policy.scope.kind === 'targetRefs'
        ? { kind: 'targetRefs', refs: policy.scope.refs.map((ref) => ({ group: ref.group === 'core' ? '' : ref.group, kind: ref.kind ?? '', name: ref.name ?? '' })) }
        : { kind: policy.scope.kind };
  const headNode = nodeAtPath(policy.root, ['metadata', 'name']) ?? policy.spec ?? policy.root;
  const rules = (policy.rules ?? []).map((rule) => ruleView(policy, rule, label, action, makeSource(file, document, rule.node, `${label} rules[${rule.index}]`)));
  return {
    name,
    namespace: policy.namespace,
    action,
    ...(policy.provider?.name ? { provider: policy.provider.name } : {}),
    dryRun: policy.dryRun,
    scope,
    hasRules: (policy.rules ?? []).length > 0,
    rules,
    ztunnelRules: action === 'ALLOW' || action === 'DENY' ? rules.map(ztunnelView) : [],
    source: makeSource(file, document, headNode, label),
  };
}

function ruleView(policy: AuthzPolicy, rule: AuthzRule, label: string, action: string, source: SourceRef): IstioRuleView {
  const qualify = (field: string, value: string) =>
    (field === 'serviceAccounts' || field === 'notServiceAccounts') && !value.includes('/') ? `${policy.namespace}/${value}` : value;
  const clause = (fields: Record<string, { values: { text: string }[] } | undefined>): IstioClause => {
    const result: IstioClause = {};
    for (const [field, list] of Object.entries(fields)) if (list) result[field] = list.values.map((value) => qualify(field, value.text));
    return result;
  };
  const view: IstioRuleView = { policy: label, action, index: rule.index, text: '', source };
  if (rule.from) view.from = rule.from.map((entry) => clause(entry.fields));
  if (rule.to) view.to = rule.to.map((entry) => clause(entry.fields));
  if (rule.when) {
    view.when = rule.when.map((condition) => {
      const result: IstioCondition = { key: condition.key ?? '' };
      if (condition.values) result.values = condition.values.values.map((value) => value.text);
      if (condition.notValues) result.notValues = condition.notValues.values.map((value) => value.text);
      return result;
    });
  }
  if (action === 'CUSTOM' && policy.provider?.name) view.provider = policy.provider.name;
  view.text = istioRuleText(view);
  return view;
}

const ZTUNNEL_UNTRANSLATED_SOURCE_FIELDS = new Set(['trustDomains', 'notTrustDomains']);

/** What ztunnel keeps of a rule (see the module comment). */
function ztunnelView(rule: IstioRuleView): IstioRuleView {
  const l7: string[] = [];
  // trustDomains are neither translated for ztunnel nor reported as L7: the constraint silently disappears.
  const lost: string[] = [];
  const keepSource = (clause: IstioClause): IstioClause => {
    const kept: IstioClause = {};
    for (const [field, values] of Object.entries(clause)) {
      if (ZTUNNEL_SOURCE_FIELDS.has(field)) kept[field] = values;
      else if (L7_SOURCE_FIELDS.has(field)) l7.push(field);
      else if (ZTUNNEL_UNTRANSLATED_SOURCE_FIELDS.has(field)) lost.push(field);
    }
    return kept;
  };
  const keepOperation = (clause: IstioClause): IstioClause => {
    const kept: IstioClause = {};
    for (const [field, values] of Object.entries(clause)) {
      if (ZTUNNEL_OPERATION_FIELDS.has(field)) kept[field] = values;
      else if (L7_OPERATION_FIELDS.has(field)) l7.push(field);
    }
    return kept;
  };
  const from = rule.from?.map(keepSource);
  const to = rule.to?.map(keepOperation);
  const l7When = (rule.when ?? []).filter((condition) => !isZtunnelConditionKey(condition.key));
  l7.push(...l7When.map((condition) => condition.key));
  const names = [...new Set(l7)];
  if (names.length === 0 && lost.length === 0) return rule;
  if (rule.action === 'ALLOW' && names.length > 0) return { ...rule, dropped: names, neverMatches: true };
  names.push(...new Set(lost));
  const when = (rule.when ?? []).filter((condition) => isZtunnelConditionKey(condition.key));
  const emptyClause = (clauses: IstioClause[] | undefined) => clauses !== undefined && clauses.length > 0 && clauses.every((clause) => Object.keys(clause).length === 0);
  const neverMatches = l7When.length > 0 || emptyClause(from) || emptyClause(to);
  const stripped: IstioRuleView = { ...rule, stripped: names, ...(neverMatches ? { neverMatches } : {}) };
  if (from) stripped.from = from;
  if (to) stripped.to = to;
  if (rule.when) stripped.when = when;
  stripped.text = istioRuleText(stripped);
  return stripped;
}

/** `from principals cluster.local/ns/shop/sa/web · to methods GET,POST paths /api/*`. */
export function istioRuleText(rule: Pick<IstioRuleView, 'from' | 'to' | 'when'>): string {
  const clauses = (clauses: IstioClause[]) =>
    clauses.map((clause) => Object.entries(clause).map(([field, values]) => `${field} ${values.join(',')}`).join(' ∧ ') || '(nothing left)').join(' | ');
  const parts: string[] = [];
  if (rule.from && rule.from.length > 0) parts.push(`from ${clauses(rule.from)}`);
  if (rule.to && rule.to.length > 0) parts.push(`to ${clauses(rule.to)}`);
  for (const condition of rule.when ?? []) {
    parts.push(`when ${condition.key}${condition.values ? ` in ${condition.values.join(',')}` : ''}${condition.notValues ? ` not in ${condition.notValues.join(',')}` : ''}`);
  }
  return parts.length > 0 ? parts.join(' · ') : 'any request';
}
