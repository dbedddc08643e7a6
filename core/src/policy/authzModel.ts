/**
 * A typed view of one Istio AuthorizationPolicy document: its scope
 * (selector, targetRef(s), namespace-wide or mesh-wide), action, provider and
 * rules with their sources, operations and conditions. Every part keeps the
 * YAML node it was read from, so findings and the effective-policy preview can
 * point back at the exact line.
 *
 * Reading never throws: values of the wrong type are left out (the schema
 * layer reports them), and presence is kept apart from emptiness (`from: []`
 * is not the same as no `from`).
 */

import { deref, keyText, mapGet, mapGetPair, scalarString, type YamlNode, type YamlPair } from '../parse/ast';
import { nodeUnknownUntilRender } from '../parse/unknownValue';
import { OPERATION_FIELDS, SOURCE_FIELDS, type OperationField, type SourceField } from './authzAttributes';

export interface StringValue {
  text: string;
  node: YamlNode;
  /** An unrendered Go/Helm template action (`{{ … }}`): its final value is unknown, checks skip it. */
  templated: boolean;
}

/** A list field (`principals`, `ports`, `values`…): its values and the pair that holds it. */
export interface StringList {
  field: string;
  values: StringValue[];
  /** The `field: [...]` pair (key for reporting the field, value for the list). */
  pair: YamlPair;
  /** False when the value is not a sequence. */
  isList: boolean;
}

export interface AuthzTargetRef {
  group: string;
  kind?: string;
  name?: string;
  namespace?: string;
  node: YamlNode;
}

export type AuthzScope =
  /** `selector` set: matching workloads of the namespace, or of every namespace from the root namespace. */
  | { kind: 'selector'; matchLabels: Record<string, string>; node: YamlNode; inRootNamespace: boolean }
  /** `targetRef`/`targetRefs` set: enforced by waypoints and Gateway-API gateways only. */
  | { kind: 'targetRefs'; refs: AuthzTargetRef[]; node: YamlNode }
  /** Neither: every workload of the namespace. */
  | { kind: 'namespace' }
  /** Neither, in the root namespace: every workload of the mesh. */
  | { kind: 'mesh' };

export interface AuthzSource {
  /** The `- source: …` list item. */
  node: YamlNode;
  /** The `source` map, if present. */
  source?: YamlNode;
  fields: Partial<Record<SourceField, StringList>>;
}

export interface AuthzOperation {
  node: YamlNode;
  operation?: YamlNode;
  fields: Partial<Record<OperationField, StringList>>;
}

export interface AuthzCondition {
  node: YamlNode;
  key?: string;
  keyNode?: YamlNode;
  values?: StringList;
  notValues?: StringList;
}

export interface AuthzRule {
  index: number;
  node: YamlNode;
  /** Undefined when `from` is absent; `[]` when written as an empty list. */
  from?: AuthzSource[];
  fromPair?: YamlPair;
  to?: AuthzOperation[];
  toPair?: YamlPair;
  when?: AuthzCondition[];
  whenPair?: YamlPair;
}

export interface AuthzPolicy {
  name?: string;
  /** The namespace the policy applies in (resolved by the caller). */
  namespace: string;
  root: YamlNode;
  spec?: YamlNode;
  /** The action as written; `ALLOW` when absent. */
  action: string;
  actionNode?: YamlNode;
  provider?: { name?: string; pair: YamlPair };
  selectorPair?: YamlPair;
  targetRefPair?: YamlPair;
  targetRefsPair?: YamlPair;
  scope: AuthzScope;
  /** Undefined when `rules` is absent. */
  rules?: AuthzRule[];
  rulesPair?: YamlPair;
  /** `istio.io/dry-run: "true"`: evaluated in shadow mode only. */
  dryRun: boolean;
}

export interface ReadAuthzOptions {
  /** Effective namespace of the document (kustomize/Flux aware). */
  namespace: string;
  rootNamespace: string;
  /** The document text, to recognise unrendered `{{ … }}` template actions (which may parse as flow maps). */
  text?: string;
}

export function isAuthorizationPolicy(identity: { group: string; kind: string } | undefined): boolean {
  return identity?.group === 'security.istio.io' && identity.kind === 'AuthorizationPolicy';
}

export function readAuthorizationPolicy(rootNode: YamlNode | undefined, options: ReadAuthzOptions): AuthzPolicy | undefined {
  const root = deref(rootNode);
  if (!root || root.type !== 'map') return undefined;
  const metadata = deref(mapGet(root, 'metadata'));
  const annotations = deref(mapGet(metadata, 'annotations'));
  const spec = deref(mapGet(root, 'spec'));
  const actionNode = deref(mapGet(spec, 'action'));
  const providerPair = mapGetPair(spec, 'provider');
  const selectorPair = mapGetPair(spec, 'selector');
  const targetRefPair = mapGetPair(spec, 'targetRef');
  const targetRefsPair = mapGetPair(spec, 'targetRefs');
  const rulesPair = mapGetPair(spec, 'rules');
  const inRootNamespace = options.namespace === options.rootNamespace;
  const isTemplate = (node: YamlNode | undefined) => isTemplateNode(node, options.text);

  let scope: AuthzScope;
  if (targetRefPair || targetRefsPair) {
    const refs: AuthzTargetRef[] = [];
    if (targetRefPair) pushTargetRef(refs, targetRefPair.value, isTemplate);
    const list = deref(targetRefsPair?.value);
    if (list?.type === 'seq') for (const item of list.items) pushTargetRef(refs, item, isTemplate);
    scope = { kind: 'targetRefs', refs, node: (targetRefsPair ?? targetRefPair)!.key };
  } else if (selectorPair) {
    const matchLabels: Record<string, string> = {};
    const labels = deref(mapGet(selectorPair.value, 'matchLabels'));
    if (labels?.type === 'map') {
      for (const pair of labels.pairs) {
        const key = scalarString(pair.key);
        if (key !== undefined) matchLabels[key] = scalarString(pair.value) ?? '';
      }
    }
    scope = { kind: 'selector', matchLabels, node: selectorPair.key, inRootNamespace };
  } else {
    scope = inRootNamespace ? { kind: 'mesh' } : { kind: 'namespace' };
  }

  const rulesNode = deref(rulesPair?.value);
  let rules: AuthzRule[] | undefined;
  if (rulesPair) rules = rulesNode?.type === 'seq' ? rulesNode.items.map((item, index) => readRule(item, index, isTemplate)) : [];

  return {
    name: scalarString(mapGet(metadata, 'name')),
    namespace: options.namespace,
    root,
    spec,
    action: scalarString(actionNode) ?? 'ALLOW',
    actionNode,
    provider: providerPair ? { name: scalarString(mapGet(deref(providerPair.value), 'name')), pair: providerPair } : undefined,
    selectorPair,
    targetRefPair,
    targetRefsPair,
    scope,
    rules,
    rulesPair,
    dryRun: scalarString(mapGet(annotations, 'istio.io/dry-run')) === 'true',
  };
}

type TemplateTest = (node: YamlNode | undefined) => boolean;

/** Text of a scalar, or a placeholder for a template action that parsed as something else. */
function templatedString(node: YamlNode | undefined, isTemplate: TemplateTest): string | undefined {
  return isTemplate(node) ? TEMPLATE_PLACEHOLDER : scalarString(node);
}

/** Stands for a value written as a `{{ … }}` template action. */
export const TEMPLATE_PLACEHOLDER = '{{…}}';

/** A value filled in at render time: a `${VAR}` substitution or a `{{ … }}` action (see `parse/unknownValue.ts`). */
export function isTemplateNode(node: YamlNode | undefined, text: string | undefined): boolean {
  return nodeUnknownUntilRender(node, text);
}

function pushTargetRef(refs: AuthzTargetRef[], item: YamlNode | undefined, isTemplate: TemplateTest): void {
  const node = deref(item);
  if (!node || node.type !== 'map') return;
  refs.push({
    group: templatedString(mapGet(node, 'group'), isTemplate) ?? '',
    kind: templatedString(mapGet(node, 'kind'), isTemplate),
    name: templatedString(mapGet(node, 'name'), isTemplate),
    namespace: scalarString(mapGet(node, 'namespace')),
    node,
  });
}

function readRule(item: YamlNode, index: number, isTemplate: TemplateTest): AuthzRule {
  const node = deref(item) ?? item;
  const rule: AuthzRule = { index, node };
  if (node.type !== 'map') return rule;
  rule.fromPair = mapGetPair(node, 'from');
  rule.toPair = mapGetPair(node, 'to');
  rule.whenPair = mapGetPair(node, 'when');
  if (rule.fromPair) {
    rule.from = itemsOf(rule.fromPair.value).map((entry) => {
      const source = deref(mapGet(entry, 'source'));
      return { node: entry, source, fields: readFields(source, SOURCE_FIELDS, isTemplate) };
    });
  }
  if (rule.toPair) {
    rule.to = itemsOf(rule.toPair.value).map((entry) => {
      const operation = deref(mapGet(entry, 'operation'));
      return { node: entry, operation, fields: readFields(operation, OPERATION_FIELDS, isTemplate) };
    });
  }
  if (rule.whenPair) {
    rule.when = itemsOf(rule.whenPair.value).map((entry) => {
      const keyNode = deref(mapGet(entry, 'key'));
      const valuesPair = mapGetPair(entry, 'values');
      const notValuesPair = mapGetPair(entry, 'notValues');
      return {
        node: entry,
        key: scalarString(keyNode),
        keyNode,
        values: valuesPair ? readList('values', valuesPair, isTemplate) : undefined,
        notValues: notValuesPair ? readList('notValues', notValuesPair, isTemplate) : undefined,
      };
    });
  }
  return rule;
}

function itemsOf(node: YamlNode | undefined): YamlNode[] {
  const seq = deref(node);
  if (seq?.type !== 'seq') return [];
  return seq.items.map((item) => deref(item) ?? item);
}

function readFields<F extends string>(node: YamlNode | undefined, names: readonly F[], isTemplate: TemplateTest): Partial<Record<F, StringList>> {
  const fields: Partial<Record<F, StringList>> = {};
  if (node?.type !== 'map') return fields;
  for (const pair of node.pairs) {
    const name = keyText(pair);
    if (name !== undefined && (names as readonly string[]).includes(name)) fields[name as F] = readList(name, pair, isTemplate);
  }
  return fields;
}

function readList(field: string, pair: YamlPair, isTemplate: TemplateTest): StringList {
  const seq = deref(pair.value);
  const values: StringValue[] = [];
  if (seq?.type === 'seq') {
    for (const item of seq.items) {
      const node = deref(item);
      if (!node) continue;
      if (isTemplate(node)) values.push({ text: TEMPLATE_PLACEHOLDER, node, templated: true });
      else if (node.type === 'scalar') values.push({ text: node.value === null ? '' : node.text, node, templated: false });
    }
  } else if (isTemplate(pair.value)) {
    values.push({ text: TEMPLATE_PLACEHOLDER, node: pair.value, templated: true });
  }
  return { field, values, pair, isList: seq?.type === 'seq' };
}

/** A scalar's inner range (inside quotes for quoted scalars), for edits that keep the quoting. */
export function scalarInnerRange(node: YamlNode): { start: number; end: number } {
  if (node.type === 'scalar' && (node.style === 'single' || node.style === 'double')) return { start: node.start + 1, end: node.end - 1 };
  return { start: node.start, end: node.end };
}
