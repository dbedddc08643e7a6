/**
 * The effective-policy model: for one workload, what Cilium and Istio allow
 * in each direction once every policy that selects it is combined. Plain data
 * only (JSON-serialisable, no YAML nodes, no functions), so the language
 * server and the CLI hand it out as it is and `simulate.ts` evaluates requests
 * against it.
 *
 * Invariant: every element carries a `SourceRef` — file, document index,
 * document-relative range, 1-based line and a short rule label — pointing at
 * the YAML that produced it.
 */

import type { LabelSelector } from '../policy/k8sIndex';

/** Where an element of the model comes from. */
export interface SourceRef {
  file: string;
  /** Index of the document within the file. */
  document: number;
  /** Offsets relative to the document. */
  start: number;
  end: number;
  /** 1-based line in the file. */
  line: number;
  /** Short label of the rule: `cnp shop/checkout-api ingress[0]`, `authz shop/deny-admin rules[1]`. */
  rule: string;
}

export interface WorkloadSummary {
  /** `namespace/name`. */
  id: string;
  kind: string;
  name: string;
  namespace: string;
  serviceAccount: string;
  podLabels: Record<string, string>;
  source: SourceRef;
  /** Set for workloads no Kubernetes document declares: inferred (HelmRelease, Gateway), written in a `Workloads` document, or a queried label set. */
  origin?: { inferred: boolean; from: string; how: string };
}

// ---------------------------------------------------------------- Cilium

export type CiliumPeer =
  /** No peer field: every peer (the rule only restricts ports). */
  | { kind: 'any'; text: string }
  /** `fromEndpoints`/`toEndpoints` item (or `toServices` with a selector), already namespace-defaulted. */
  | { kind: 'endpoints'; text: string; selector: LabelSelector; namespace?: string; reserved: boolean; workloads: string[] }
  | { kind: 'entity'; text: string; entity: string; workloads: string[] }
  | { kind: 'cidr'; text: string; cidr: string; except: string[] }
  | { kind: 'fqdn'; text: string; matchName?: string; matchPattern?: string }
  /** An empty peer list (`fromEndpoints: []`): selects no peer. */
  | { kind: 'none'; text: string }
  /** Peers meshlens does not resolve to workloads (nodes, groups, requires, services without selector). */
  | { kind: 'other'; text: string };

export interface CiliumPort {
  /** Port as written (`8080`, `http`, `0`); empty when omitted. */
  port: string;
  endPort?: number;
  /** Upper-case protocol; `ANY` when omitted. */
  protocol: string;
  /** `8080/TCP`, `8000-8100/TCP`, `all ports`. */
  text: string;
}

export interface HttpRuleView {
  method?: string;
  path?: string;
  host?: string;
  /** `headers` entries as written. */
  headers: string[];
  headerMatches: { name: string; value?: string; secret?: boolean; mismatch?: string }[];
  /** `POST /api/v2/orders`, `* (any request)`. */
  text: string;
  source: SourceRef;
}

/** One `rules.dns[]` entry of a port rule. */
export interface DnsRuleView {
  matchName?: string;
  matchPattern?: string;
  /** `DNS api.github.com`, `DNS pattern *.github.com`. */
  text: string;
  source: SourceRef;
}

export interface L7View {
  type: 'http' | 'dns' | 'kafka' | 'l7proto';
  http: HttpRuleView[];
  /** DNS rules, for matching queries (their text is also in `other`). */
  dns?: DnsRuleView[];
  /** Text of non-HTTP rules (DNS patterns, Kafka topics) for display. */
  other: string[];
  /**
   * The rule has `enableDefaultDeny` false for this direction and Cilium ≥ 1.18
   * adds an allow-all L7 rule next to it: the rules only make traffic visible.
   */
  visibilityOnly: boolean;
}

export interface CiliumAllowEntry {
  peer: CiliumPeer;
  /** `all` when the rule has no `toPorts` (every port and protocol). */
  ports: CiliumPort[] | 'all';
  /** L7 rules of the port rule; undefined when the allow is L3/L4 only. */
  l7?: L7View;
  /** The rule item (`- fromEndpoints: …`) or, with ports, the `toPorts` entry. */
  source: SourceRef;
}

export interface CiliumDenyEntry {
  peer: CiliumPeer;
  ports: CiliumPort[] | 'all';
  source: SourceRef;
}

export interface EffectiveNote {
  kind: 'l7-widened' | 'deny-overrides' | 'not-default-deny' | 'not-in-force' | 'ztunnel-drops-rule' | 'ztunnel-deny-noop' | 'ztunnel-deny-broader' | 'info';
  message: string;
  /** The element the note is about (an L7 rule, an allow). */
  at?: SourceRef;
  /** The element that causes it (the L4-only allow, the deny). */
  because?: SourceRef;
  /** Peer workload ids the note concerns. */
  peers?: string[];
  /** `8080/TCP`. */
  port?: string;
}

export interface CiliumDirectionView {
  direction: 'ingress' | 'egress';
  /** Specs (`spec`/`specs[i]`) whose subject selector matches the workload. */
  selectedBy: SourceRef[];
  defaultDeny: boolean;
  /** Sections that put the direction into default-deny. */
  defaultDenyBy: SourceRef[];
  /** Sections present with `enableDefaultDeny.<direction>: false`. */
  defaultDenyDisabledBy: SourceRef[];
  allows: CiliumAllowEntry[];
  denies: CiliumDenyEntry[];
  notes: EffectiveNote[];
}

export interface CiliumView {
  /** Cilium minor assumed (`1.18`). */
  minor: string;
  ingress: CiliumDirectionView;
  egress: CiliumDirectionView;
}

// ---------------------------------------------------------------- Istio

export type IstioPoint = 'sidecar' | 'ztunnel' | 'waypoint' | 'gateway';

/** One `from.source`, `to.operation` entry: field → values (`not*` fields kept under their own names). */
export type IstioClause = Record<string, string[]>;

export interface IstioCondition {
  key: string;
  values?: string[];
  notValues?: string[];
}

export interface IstioRuleView {
  policy: string;
  action: string;
  /** Index in `rules`, -1 for a policy without rules. */
  index: number;
  /** Undefined = any source. An empty clause (all fields stripped) never matches. */
  from?: IstioClause[];
  to?: IstioClause[];
  when?: IstioCondition[];
  text: string;
  /** ztunnel: the ALLOW rule is dropped (uses L7 attributes). */
  dropped?: string[];
  /** ztunnel: L7 attributes stripped from a DENY rule. */
  stripped?: string[];
  /** The rule can never match here (a clause left empty after stripping, or `spec: {}`). */
  neverMatches?: boolean;
  provider?: string;
  source: SourceRef;
}

export interface IstioPointView {
  point: IstioPoint;
  /** Policies that apply at this enforcement point, by action. */
  custom: IstioRuleView[];
  deny: IstioRuleView[];
  allow: IstioRuleView[];
  /** ALLOW policies that apply (the workload is default-deny when there is one). */
  allowPolicies: SourceRef[];
  /** Policies evaluated in shadow mode only (`istio.io/dry-run`). */
  dryRun: SourceRef[];
  /** Whose identity the destination sees at this point (`waypoint` at ztunnel behind a waypoint). */
  sourceIdentity: 'client' | 'waypoint';
  notes: EffectiveNote[];
}

export interface IstioView {
  mode: 'sidecar' | 'ambient' | 'none' | 'gateway';
  /** Why (label and where it was read). */
  modeReason: string;
  waypoint?: { name: string; namespace: string; via: 'pod' | 'service' | 'namespace'; source?: SourceRef };
  /** In request order: waypoint first, then the destination's ztunnel (or its sidecar). */
  points: IstioPointView[];
}

// ---------------------------------------------------------------- whole model

export interface EffectivePolicy {
  workload: WorkloadSummary;
  cilium: CiliumView;
  istio: IstioView;
}
