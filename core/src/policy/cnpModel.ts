/**
 * A typed view of a CiliumNetworkPolicy / CiliumClusterwideNetworkPolicy
 * document: its rules (`spec` and every `specs` entry), each rule's sections
 * per direction, and in each section the peers, ports and L7 rules, every
 * piece with the YAML node it came from (for findings and provenance).
 *
 * Pure: no IO, no options. Invariants: never throws on odd input — a value of
 * the wrong type (a string where a list is expected, …) is simply left out of
 * the typed view, and the raw node stays reachable for rules that report it.
 * Aliases are followed (bounded) wherever a node is read.
 */

import { deref, keyText, mapGet, mapGetPair, scalarString, type YamlMap, type YamlNode, type YamlPair } from '../parse/ast';
import { appendAll } from '../util/appendAll';

export type CnpDirection = 'ingress' | 'ingressDeny' | 'egress' | 'egressDeny';
export const CNP_DIRECTIONS: readonly CnpDirection[] = ['ingress', 'ingressDeny', 'egress', 'egressDeny'];

export type L7Type = 'http' | 'dns' | 'kafka' | 'l7proto';
export const L7_TYPES: readonly L7Type[] = ['http', 'dns', 'kafka', 'l7proto'];

/** Peer fields of ingress rules, in the order Cilium checks them. */
export const INGRESS_PEER_FIELDS = ['fromEndpoints', 'fromCIDR', 'fromCIDRSet', 'fromEntities', 'fromNodes', 'fromGroups', 'fromRequires'] as const;
/** Peer fields of egress rules. */
export const EGRESS_PEER_FIELDS = ['toEndpoints', 'toCIDR', 'toCIDRSet', 'toEntities', 'toServices', 'toGroups', 'toNodes', 'toFQDNs', 'toRequires'] as const;

export type PeerKind = 'endpoints' | 'cidr' | 'cidrSet' | 'entities' | 'nodes' | 'groups' | 'requires' | 'services' | 'fqdns';

const PEER_KIND_OF: Record<string, PeerKind> = {
  fromEndpoints: 'endpoints',
  toEndpoints: 'endpoints',
  fromCIDR: 'cidr',
  toCIDR: 'cidr',
  fromCIDRSet: 'cidrSet',
  toCIDRSet: 'cidrSet',
  fromEntities: 'entities',
  toEntities: 'entities',
  fromNodes: 'nodes',
  toNodes: 'nodes',
  fromGroups: 'groups',
  toGroups: 'groups',
  fromRequires: 'requires',
  toRequires: 'requires',
  toServices: 'services',
  toFQDNs: 'fqdns',
};

export interface CnpPolicy {
  kind: 'CiliumNetworkPolicy' | 'CiliumClusterwideNetworkPolicy';
  clusterwide: boolean;
  /** `metadata.namespace` (CNP only). */
  namespace?: string;
  /** `spec` and every map entry of `specs`. */
  specs: CnpSpec[];
}

export interface CnpSpec {
  node: YamlMap;
  /** The key under which this spec sits (`spec`, or the `specs` key for list entries). */
  keyNode: YamlNode;
  endpointSelector?: YamlPair;
  nodeSelector?: YamlPair;
  sections: CnpSection[];
  /** Every rule of every section, in document order per direction. */
  rules: CnpRule[];
}

export interface CnpSection {
  direction: CnpDirection;
  pair: YamlPair;
  /** The section's list items that are maps (others are left to the schema rules). */
  rules: CnpRule[];
}

export interface CnpRule {
  direction: CnpDirection;
  ingress: boolean;
  deny: boolean;
  node: YamlMap;
  spec: CnpSpec;
  peers: CnpPeerField[];
  toPorts?: YamlPair;
  portRules: CnpPortRule[];
  icmps?: YamlPair;
}

export interface CnpPeerField {
  /** The field name as written (`fromEndpoints`, `toFQDNs`, …). */
  field: string;
  kind: PeerKind;
  pair: YamlPair;
  /** List items (dereferenced); undefined when the value is not a list (or is null). */
  items?: YamlNode[];
}

export interface CnpPortRule {
  node: YamlMap;
  portsPair?: YamlPair;
  ports: CnpPort[];
  rulesPair?: YamlPair;
  l7: CnpL7[];
  serverNames?: YamlPair;
  listener?: YamlPair;
  terminatingTLS?: YamlPair;
  originatingTLS?: YamlPair;
}

export interface CnpPort {
  node: YamlMap;
  portPair?: YamlPair;
  /** Port text as written (numbers as their source text). */
  port?: string;
  protocolPair?: YamlPair;
  /** Protocol as written; undefined when omitted (= ANY). */
  protocol?: string;
  endPortPair?: YamlPair;
  endPort?: string;
}

export interface CnpL7 {
  type: L7Type;
  pair: YamlPair;
  /** List items for list-valued types (http, dns, kafka, l7); empty otherwise. */
  items: YamlNode[];
}

/** Parses a CNP/CCNP document; undefined for other kinds or a root that is not a map. */
export function parseCnp(root: YamlNode | undefined, kind: string | undefined): CnpPolicy | undefined {
  if (kind !== 'CiliumNetworkPolicy' && kind !== 'CiliumClusterwideNetworkPolicy') return undefined;
  const top = deref(root);
  if (!top || top.type !== 'map') return undefined;
  const policy: CnpPolicy = {
    kind,
    clusterwide: kind === 'CiliumClusterwideNetworkPolicy',
    namespace: scalarString(mapGet(deref(mapGet(top, 'metadata')), 'namespace')),
    specs: [],
  };
  const specPair = mapGetPair(top, 'spec');
  const spec = deref(specPair?.value);
  if (specPair && spec?.type === 'map') policy.specs.push(parseSpec(spec, specPair.key));
  const specsPair = mapGetPair(top, 'specs');
  const specs = deref(specsPair?.value);
  if (specsPair && specs?.type === 'seq') {
    for (const item of specs.items) {
      const entry = deref(item);
      if (entry?.type === 'map') policy.specs.push(parseSpec(entry, specsPair.key));
    }
  }
  return policy;
}

function parseSpec(node: YamlMap, keyNode: YamlNode): CnpSpec {
  const spec: CnpSpec = {
    node,
    keyNode,
    endpointSelector: mapGetPair(node, 'endpointSelector'),
    nodeSelector: mapGetPair(node, 'nodeSelector'),
    sections: [],
    rules: [],
  };
  for (const direction of CNP_DIRECTIONS) {
    const pair = mapGetPair(node, direction);
    if (!pair) continue;
    const section: CnpSection = { direction, pair, rules: [] };
    const list = deref(pair.value);
    if (list?.type === 'seq') {
      for (const item of list.items) {
        const ruleNode = deref(item);
        if (ruleNode?.type === 'map') section.rules.push(parseRule(ruleNode, direction, spec));
      }
    }
    spec.sections.push(section);
    appendAll(spec.rules, section.rules);
  }
  return spec;
}

function parseRule(node: YamlMap, direction: CnpDirection, spec: CnpSpec): CnpRule {
  const ingress = direction === 'ingress' || direction === 'ingressDeny';
  const fields: readonly string[] = ingress ? INGRESS_PEER_FIELDS : EGRESS_PEER_FIELDS;
  const peers: CnpPeerField[] = [];
  for (const pair of node.pairs) {
    const name = keyText(pair);
    if (!name || !fields.includes(name)) continue;
    const value = deref(pair.value);
    peers.push({
      field: name,
      kind: PEER_KIND_OF[name],
      pair,
      items: value?.type === 'seq' ? value.items.map((item) => deref(item) ?? item) : undefined,
    });
  }
  const toPorts = mapGetPair(node, 'toPorts');
  const portRules: CnpPortRule[] = [];
  const portList = deref(toPorts?.value);
  if (portList?.type === 'seq') {
    for (const item of portList.items) {
      const portRule = deref(item);
      if (portRule?.type === 'map') portRules.push(parsePortRule(portRule));
    }
  }
  return { direction, ingress, deny: direction.endsWith('Deny'), node, spec, peers, toPorts, portRules, icmps: mapGetPair(node, 'icmps') };
}

function parsePortRule(node: YamlMap): CnpPortRule {
  const portsPair = mapGetPair(node, 'ports');
  const ports: CnpPort[] = [];
  const list = deref(portsPair?.value);
  if (list?.type === 'seq') {
    for (const item of list.items) {
      const port = deref(item);
      if (port?.type !== 'map') continue;
      const portPair = mapGetPair(port, 'port');
      const protocolPair = mapGetPair(port, 'protocol');
      const endPortPair = mapGetPair(port, 'endPort');
      ports.push({
        node: port,
        portPair,
        port: scalarText(portPair?.value),
        protocolPair,
        protocol: scalarText(protocolPair?.value),
        endPortPair,
        endPort: scalarText(endPortPair?.value),
      });
    }
  }
  const rulesPair = mapGetPair(node, 'rules');
  const l7: CnpL7[] = [];
  const rules = deref(rulesPair?.value);
  if (rules?.type === 'map') {
    for (const type of L7_TYPES) {
      const pair = mapGetPair(rules, type);
      if (!pair) continue;
      const value = deref(pair.value);
      // Cilium counts a type when its field is set at all: `http: []` counts, `http:` (null) and `l7proto: ""` do not.
      if (!value || (value.type === 'scalar' && (value.value === null || value.text === ''))) continue;
      l7.push({ type, pair, items: value.type === 'seq' ? value.items.map((item) => deref(item) ?? item) : [] });
    }
  }
  return {
    node,
    portsPair,
    ports,
    rulesPair,
    l7,
    serverNames: mapGetPair(node, 'serverNames'),
    listener: mapGetPair(node, 'listener'),
    terminatingTLS: mapGetPair(node, 'terminatingTLS'),
    originatingTLS: mapGetPair(node, 'originatingTLS'),
  };
}

/** The source text of a scalar (so `080` stays `080`); undefined for null, maps and lists. */
export function scalarText(node: YamlNode | undefined): string | undefined {
  const target = deref(node);
  if (!target || target.type !== 'scalar' || target.value === null) return undefined;
  return target.text;
}

/** L7 types other than DNS (the ones that need TCP). */
export function nonDnsL7(portRule: CnpPortRule): CnpL7[] {
  return portRule.l7.filter((entry) => entry.type !== 'dns');
}

/** Every port rule of the policy with its rule, for rules that look at ports. */
export function allPortRules(policy: CnpPolicy): { rule: CnpRule; portRule: CnpPortRule }[] {
  return policy.specs.flatMap((spec) => spec.rules.flatMap((rule) => rule.portRules.map((portRule) => ({ rule, portRule }))));
}

/**
 * Port rules of allow sections only. Deny sections have no `rules`,
 * `serverNames` or `listener` (the API server prunes them), so L7 checks skip them.
 */
export function allowPortRules(policy: CnpPolicy): { rule: CnpRule; portRule: CnpPortRule }[] {
  return allPortRules(policy).filter(({ rule }) => !rule.deny);
}

