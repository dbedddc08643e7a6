/**
 * `cnp/fqdn-without-dns-rule`: `toFQDNs` only allows IPs the DNS proxy has
 * seen in answers to the pod's own lookups, so the pods also need an egress
 * DNS rule (`rules.dns`) that lets them resolve the name. The rule looks in
 * every CNP/CCNP of the workspace whose subject could select the same pods
 * (see `mayCover`); it stays quiet when any of them allows the name.
 * Namespaces are the deployed ones (the build's forced namespace, else
 * `metadata.namespace`); a namespaced policy with neither may be deployed
 * anywhere, so it counts as a provider for every namespace.
 *
 * Cost: providers are read once per parsed document and grouped by
 * namespace once per workspace state, so a policy looks only at its own
 * namespace's providers and the clusterwide ones.
 */

import { deref, mapGet, type YamlNode } from '../../parse/ast';
import { minorAtLeast } from '../../policy/ciliumContext';
import { allowPortRules, type CnpSpec } from '../../policy/cnpModel';
import { dnsNameMatcher, dnsPatternMatcher, sampleNameOfPattern, type DnsMatcher } from '../../policy/dnsPatterns';
import type { WorkspaceModel } from '../../workspace/model';
import type { ParsedDocument } from '../../parse/yamlFile';
import type { CrossFileRule } from '../types';
import { CNP_KINDS, ciliumMinor, policyOf, policyOfDocument } from './support';
import { plainText } from './invalidCidr';
import { appendAll } from '../../util/appendAll';
import { k8sIndex, type K8sIndex } from '../../policy/k8sIndex';

const NAMESPACE_LABEL = 'io.kubernetes.pod.namespace';

interface SubjectSelector {
  labels: Map<string, string>;
  /** matchExpressions as canonical JSON ('' when none). */
  expressions: string;
}

interface DnsProvider {
  clusterwide: boolean;
  namespace?: string;
  selector: SubjectSelector;
  /** DNS rule entries: matchName / matchPattern texts. */
  names: string[];
  patterns: string[];
}

export const fqdnWithoutDnsRule: CrossFileRule = {
  meta: {
    id: 'cnp/fqdn-without-dns-rule',
    severity: 'warning',
    title: 'toFQDNs without a DNS rule that lets the pods resolve the name',
    kinds: CNP_KINDS,
    crossFile: true,
    docs: {
      summary: 'A `toFQDNs` entry for pods that no egress DNS rule (`rules.dns` on the resolver port) in any policy of the workspace allows to look the name up.',
      why: 'Cilium learns the IPs behind a `toFQDNs` name only from DNS answers its proxy sees, and DNS traffic reaches the proxy only through a `rules.dns` rule. Without one the name never resolves to allowed IPs and the connection is dropped. The check looks at every CNP/CCNP in the workspace that selects the same pods; policies outside the repository are not seen.',
      bad: 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: web, namespace: shop}\nspec:\n  endpointSelector: {matchLabels: {app: web}}\n  egress:\n    - toFQDNs: [{matchName: api.example.com}]\n',
      good: 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: web, namespace: shop}\nspec:\n  endpointSelector: {matchLabels: {app: web}}\n  egress:\n    - toEndpoints:\n        - matchLabels: {k8s:io.kubernetes.pod.namespace: kube-system, k8s-app: kube-dns}\n      toPorts:\n        - ports: [{port: "53", protocol: ANY}]\n          rules: {dns: [{matchPattern: "*"}]}\n    - toFQDNs: [{matchName: api.example.com}]\n',
      source: 'Cilium docs security/policy/language.rst (DNS based); reference B3 toFQDNs',
    },
  },
  check(context) {
    const policy = policyOf(context);
    if (!policy) return;
    const multiLabel = minorAtLeast(ciliumMinor(context), '1.19');
    const providers = providersByNamespace(context.workspace.derive('cnp-dns-providers', collectProviders));
    for (const spec of policy.specs) {
      if (!spec.endpointSelector) continue;
      const subject = subjectSelector(spec.endpointSelector.value);
      if (!subject) continue;
      const namespace = policy.clusterwide ? subject.labels.get(NAMESPACE_LABEL) : deployedNamespace(k8sIndex(context.workspace), context.file, policy.namespace);
      const applicable = providers.candidates(namespace).filter((provider) => mayCover(provider, namespace, subject));
      const matchers: DnsMatcher[] = applicable.flatMap((provider) => [
        ...provider.names.map((name) => dnsNameMatcher(name)),
        ...provider.patterns.map((pattern) => dnsPatternMatcher(pattern, multiLabel)),
      ]);
      for (const rule of spec.rules) {
        if (rule.deny) continue;
        for (const peer of rule.peers) {
          if (peer.kind !== 'fqdns') continue;
          for (const item of peer.items ?? []) {
            const target = fqdnTarget(item);
            if (!target) continue;
            if (matchers.some((matcher) => matcher.matches(target.name))) continue;
            const dnsHint =
              applicable.length === 0
                ? 'No policy in the workspace that selects these pods has an egress DNS rule'
                : `No egress DNS rule of a policy selecting these pods allows ${target.shown}`;
            context.report(target.node, `${dnsHint}, so the DNS proxy never sees the answer and this toFQDNs entry allows nothing. Add a rules.dns entry (e.g. matchPattern: "*") on the egress rule to the cluster DNS.`);
          }
        }
      }
    }
  },
};

function fqdnTarget(item: YamlNode): { name: string; shown: string; node: YamlNode } | undefined {
  const nameNode = deref(mapGet(item, 'matchName'));
  const name = plainText(nameNode);
  if (nameNode && name) return { name, shown: `looking up "${name}"`, node: nameNode };
  const patternNode = deref(mapGet(item, 'matchPattern'));
  const pattern = plainText(patternNode);
  if (patternNode && pattern) return { name: sampleNameOfPattern(pattern), shown: `looking up names like "${pattern}"`, node: patternNode };
  return undefined;
}

function collectProviders(model: WorkspaceModel): DnsProvider[] {
  const providers: DnsProvider[] = [];
  const index = k8sIndex(model);
  for (const kind of CNP_KINDS) {
    for (const document of model.byKind(kind)) {
      if (document.identity.group !== 'cilium.io') continue;
      const own = documentProviders(document.parsed, kind);
      if (own.length === 0) continue;
      // The namespace the build puts the policy in; undefined when neither the policy nor the build says.
      const namespace = deployedNamespace(index, document.file, own[0].namespace);
      appendAll(providers, own[0].clusterwide || namespace === own[0].namespace ? own : own.map((provider) => ({ ...provider, namespace })));
    }
  }
  return providers;
}

/**
 * The namespace a namespaced policy is deployed to: the one the GitOps build
 * forces (kustomization `namespace:`, Flux `targetNamespace`), else its
 * `metadata.namespace`; undefined when neither says, as for a kustomize
 * Component whose including kustomization is not in the workspace (it may
 * land in any namespace, so it is not proof of another namespace).
 */
function deployedNamespace(index: K8sIndex, file: string, declared: string | undefined): string | undefined {
  const resolved = index.effectiveNamespace(file, declared);
  return resolved.origin === 'default' ? undefined : resolved.namespace;
}

/** Providers of one document, kept per parsed document: an edit re-reads only the policy it touched. */
const providersOfDocument = new WeakMap<ParsedDocument, { kind: string; providers: DnsProvider[] }>();

function documentProviders(parsed: ParsedDocument, kind: (typeof CNP_KINDS)[number]): DnsProvider[] {
  const cached = providersOfDocument.get(parsed);
  if (cached && cached.kind === kind) return cached.providers;
  const providers: DnsProvider[] = [];
  const policy = policyOfDocument(parsed, kind);
  for (const spec of policy?.specs ?? []) {
    const provider = providerOf(spec, policy!.clusterwide, policy!.namespace);
    if (provider) providers.push(provider);
  }
  providersOfDocument.set(parsed, { kind, providers });
  return providers;
}

interface ProviderLookup {
  /** Providers that `mayCover` can accept for a subject in `namespace` (undefined: any namespace), in workspace order. */
  candidates(namespace: string | undefined): readonly DnsProvider[];
}

const providerLookups = new WeakMap<readonly DnsProvider[], ProviderLookup>();

/**
 * Providers grouped by namespace, once per provider list: a namespaced
 * provider can only cover subjects of its own namespace (see `mayCover`), so
 * each policy looks at its namespace's providers plus the clusterwide ones.
 */
function providersByNamespace(providers: readonly DnsProvider[]): ProviderLookup {
  let lookup = providerLookups.get(providers);
  if (lookup) return lookup;
  // One pass: positions keep workspace order when a namespace's list is merged with the clusterwide one.
  const byNamespace = new Map<string | undefined, number[]>();
  const clusterwide: number[] = [];
  providers.forEach((provider, position) => {
    if (provider.clusterwide) clusterwide.push(position);
    else {
      const list = byNamespace.get(provider.namespace);
      if (list) list.push(position);
      else byNamespace.set(provider.namespace, [position]);
    }
  });
  const perNamespace = new Map<string, readonly DnsProvider[]>();
  lookup = {
    candidates(namespace) {
      if (namespace === undefined) return providers;
      let list = perNamespace.get(namespace);
      if (!list) {
        // Providers whose namespace is unknown may be deployed into any namespace.
        const own = [...(byNamespace.get(namespace) ?? []), ...(byNamespace.get(undefined) ?? [])];
        const positions = clusterwide.length === 0 && !byNamespace.has(undefined) ? own : [...own, ...clusterwide].sort((a, b) => a - b);
        list = positions.map((position) => providers[position]);
        perNamespace.set(namespace, list);
      }
      return list;
    },
  };
  providerLookups.set(providers, lookup);
  return lookup;
}

function providerOf(spec: CnpSpec, clusterwide: boolean, namespace: string | undefined): DnsProvider | undefined {
  if (!spec.endpointSelector) return undefined;
  const selector = subjectSelector(spec.endpointSelector.value);
  if (!selector) return undefined;
  const names: string[] = [];
  const patterns: string[] = [];
  for (const { portRule } of allowPortRules({ kind: 'CiliumNetworkPolicy', clusterwide, specs: [spec] })) {
    if (portRule.ports.length === 0) continue;
    for (const entry of portRule.l7) {
      if (entry.type !== 'dns') continue;
      for (const item of entry.items) {
        const name = plainText(mapGet(item, 'matchName'));
        const pattern = plainText(mapGet(item, 'matchPattern'));
        if (name) names.push(name);
        if (pattern) patterns.push(pattern);
      }
    }
  }
  if (names.length === 0 && patterns.length === 0) return undefined;
  return { clusterwide, namespace, selector, names, patterns };
}

function subjectSelector(node: YamlNode): SubjectSelector | undefined {
  const selector = deref(node);
  if (!selector || selector.type !== 'map') return selector && selector.type === 'scalar' && selector.value === null ? { labels: new Map(), expressions: '' } : undefined;
  const labels = new Map<string, string>();
  const matchLabels = deref(mapGet(selector, 'matchLabels'));
  if (matchLabels?.type === 'map') {
    for (const pair of matchLabels.pairs) {
      const key = plainText(pair.key);
      const value = plainText(pair.value) ?? '';
      if (key !== undefined) labels.set(key.replace(/^(k8s|any):/, ''), value);
    }
  }
  const expressions = deref(mapGet(selector, 'matchExpressions'));
  return { labels, expressions: expressions?.type === 'seq' && expressions.items.length > 0 ? JSON.stringify(plainValue(expressions)) : '' };
}

function plainValue(node: YamlNode | undefined): unknown {
  const target = deref(node);
  if (!target) return null;
  if (target.type === 'scalar') return target.text;
  if (target.type === 'seq') return target.items.map(plainValue);
  if (target.type === 'map') return Object.fromEntries(target.pairs.map((pair) => [plainText(pair.key) ?? '', plainValue(pair.value)]));
  return null;
}

/**
 * Could the provider's subject select pods this subject selects? Only a
 * provable mismatch says no (another namespace, a label with another value);
 * match expressions and extra labels count as "could", so the rule warns only
 * when no policy in the workspace can be resolving names for these pods.
 */
function mayCover(provider: DnsProvider, namespace: string | undefined, subject: SubjectSelector): boolean {
  if (!provider.clusterwide && namespace !== undefined && provider.namespace !== undefined && provider.namespace !== namespace) return false;
  for (const [key, value] of provider.selector.labels) {
    if (!provider.clusterwide && key === NAMESPACE_LABEL) continue;
    const ours = key === NAMESPACE_LABEL ? namespace ?? subject.labels.get(key) : subject.labels.get(key);
    if (ours !== undefined && ours !== value) return false;
  }
  return true;
}
