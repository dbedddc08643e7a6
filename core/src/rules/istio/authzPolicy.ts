/**
 * Shared plumbing of the `authz/*` rules: reading the AuthorizationPolicy
 * under check, walking its value lists and conditions, and building related
 * locations from the workspace index.
 *
 * Document-local rules read the namespace from `metadata.namespace` only
 * (their findings are cached per document text and must not depend on other
 * files); cross-file rules resolve it through the workspace index, which
 * knows kustomize and Flux namespace overrides.
 *
 * The policy model is read once per (parsed document, namespace, root
 * namespace) and shared by every rule that asks: a document runs a dozen
 * `authz/*` rules, and rules never modify the model they are given.
 */

import { isAuthorizationPolicy, readAuthorizationPolicy, type AuthzCondition, type AuthzPolicy, type AuthzRule, type StringList, type StringValue } from '../../policy/authzModel';
import { k8sIndex, type K8sIndex, type ResourceSource } from '../../policy/k8sIndex';
import type { ParsedDocument } from '../../parse/yamlFile';
import type { LocalRuleContext, RelatedInfo, RuleContext } from '../types';

export const AUTHZ_KINDS = ['AuthorizationPolicy'] as const;

/** The policy for a document-local rule (namespace from metadata, `default` when absent). */
export function localPolicy(context: LocalRuleContext): AuthzPolicy | undefined {
  if (!isAuthorizationPolicy(context.resource)) return undefined;
  return policyModel(context, context.resource?.namespace ?? 'default');
}

/** The policy for a cross-file rule, with its namespace resolved through the workspace. */
export function workspacePolicy(context: RuleContext): { policy: AuthzPolicy; index: K8sIndex } | undefined {
  if (!isAuthorizationPolicy(context.resource)) return undefined;
  const index = k8sIndex(context.workspace);
  const { namespace } = index.effectiveNamespace(context.file, context.resource?.namespace);
  const policy = policyModel(context, namespace);
  return policy ? { policy, index } : undefined;
}

interface PolicyModels {
  root: RuleContext['root'];
  /** "namespace\u0000rootNamespace" → the model (null: not a policy). */
  byScope: Map<string, AuthzPolicy | null>;
}

const policyModels = new WeakMap<ParsedDocument, PolicyModels>();

function policyModel(context: LocalRuleContext, namespace: string): AuthzPolicy | undefined {
  const rootNamespace = context.options.istioRootNamespace;
  let models = policyModels.get(context.document);
  if (!models || models.root !== context.root) {
    models = { root: context.root, byScope: new Map() };
    policyModels.set(context.document, models);
  }
  const key = `${namespace}\u0000${rootNamespace}`;
  let policy = models.byScope.get(key);
  if (policy === undefined) {
    policy = readAuthorizationPolicy(context.root, { namespace, rootNamespace, text: context.document.text }) ?? null;
    models.byScope.set(key, policy);
  }
  return policy ?? undefined;
}

/** Every value list of every rule (sources and operations), with the rule it belongs to; template values are included. */
export function* valueLists(policy: AuthzPolicy): Generator<{ rule: AuthzRule; list: StringList; part: 'from' | 'to' }> {
  for (const rule of policy.rules ?? []) {
    for (const source of rule.from ?? []) for (const list of Object.values(source.fields)) yield { rule, list: list!, part: 'from' };
    for (const operation of rule.to ?? []) for (const list of Object.values(operation.fields)) yield { rule, list: list!, part: 'to' };
  }
}

/** Values of the named fields across all rules, leaving out unrendered template actions. */
export function* fieldValues(policy: AuthzPolicy, fields: ReadonlySet<string>): Generator<{ rule: AuthzRule; list: StringList; value: StringValue }> {
  for (const { rule, list } of valueLists(policy)) {
    if (!fields.has(list.field)) continue;
    for (const value of list.values) if (!value.templated) yield { rule, list, value };
  }
}

export function* conditions(policy: AuthzPolicy): Generator<{ rule: AuthzRule; condition: AuthzCondition }> {
  for (const rule of policy.rules ?? []) for (const condition of rule.when ?? []) yield { rule, condition };
}

/** Values and notValues of a condition. */
export function conditionValues(condition: AuthzCondition): { list: StringList; value: StringValue }[] {
  return [condition.values, condition.notValues].flatMap((list) => (list ? list.values.filter((value) => !value.templated).map((value) => ({ list, value })) : []));
}

export function relatedAt(source: ResourceSource, message: string): RelatedInfo {
  return { at: { file: source.file, document: source.document, start: source.start, end: source.end }, message };
}

/** `name` for messages. */
export function policyLabel(policy: AuthzPolicy): string {
  return policy.name ? `"${policy.name}"` : 'this policy';
}

export const WORKSPACE_CAVEAT = 'the repository may not hold every manifest of the cluster';
