/**
 * Reads one line of a recorded Hubble flow export into a plain `FlowRecord`:
 * the JSON lines `hubble observe -o json` / `-o jsonpb` prints and the Hubble
 * exporter writes (a `GetFlowsResponse` per line, the flow under `flow`), or
 * a bare `Flow` object per line.
 *
 * Field names follow the `flow.Flow` protobuf message; both spellings
 * protojson produces are accepted (proto names such as `traffic_direction`,
 * `destination_port`, `pod_name`, and lowerCamelCase such as
 * `trafficDirection`), and enums as names or numbers.
 *
 * Invariants: pure (text in, data out); never throws; bounded work per line
 * (lines over `MAX_FLOW_LINE_CHARS` are refused before parsing; lists are
 * read up to a cap). Lines that are valid JSON but not flows (node status,
 * lost events, agent events) are `other`, not malformed.
 */

export const MAX_FLOW_LINE_CHARS = 256 * 1024;
const MAX_LABELS = 256;
const MAX_NAMES = 32;

export interface FlowEndpointRecord {
  namespace?: string;
  podName?: string;
  /** Numeric security identity (1 host, 2 world, … reserved; larger: allocated). */
  identity?: number;
  /** Identity labels as Hubble prints them: `k8s:app=web`, `reserved:world`, `cidr:1.2.3.0/24`. */
  labels: string[];
  /** Owner workload names (`workloads[].name`) with their kind. */
  workloads: { name: string; kind?: string }[];
  ip?: string;
  /** DNS names the address is known by (`source_names` / `destination_names`). */
  names: string[];
}

export interface FlowRecord {
  /** `FORWARDED`, `DROPPED`, `AUDIT`, `REDIRECTED`, `ERROR`, `TRACED`, `TRANSLATED`, `VERDICT_UNKNOWN`. */
  verdict: string;
  /** `drop_reason_desc` name (`POLICY_DENIED`), when given. */
  dropReason?: string;
  direction: 'ingress' | 'egress' | 'unknown';
  /** `TCP`, `UDP`, `SCTP`, `ICMPv4`, `ICMPv6`; undefined when the record has no L4 part. */
  protocol?: string;
  port?: number;
  source: FlowEndpointRecord;
  destination: FlowEndpointRecord;
  /** True when the record is a reply (response packet or L7 response). */
  reply: boolean;
  /** `L3_L4`, `L7`, `SOCK`, … */
  type?: string;
  l7?: { type?: string; http?: { method?: string; url?: string }; dns?: { query?: string } };
}

export type FlowLine = { kind: 'flow'; flow: FlowRecord } | { kind: 'other'; what: string } | { kind: 'blank' } | { kind: 'malformed'; reason: string };

const VERDICTS = ['VERDICT_UNKNOWN', 'FORWARDED', 'DROPPED', 'ERROR', 'AUDIT', 'REDIRECTED', 'TRACED', 'TRANSLATED'];
const DIRECTIONS = ['unknown', 'ingress', 'egress'] as const;
/** The policy drop reasons of the `DropReason` enum, by number. */
const DROP_REASONS: Record<number, string> = { 133: 'POLICY_DENIED', 181: 'POLICY_DENY', 189: 'AUTH_REQUIRED' };
const L4_PROTOCOLS = ['TCP', 'UDP', 'SCTP', 'ICMPv4', 'ICMPv6'];
const NON_FLOW_KEYS = ['node_status', 'nodeStatus', 'lost_events', 'lostEvents', 'agent_event', 'agentEvent', 'debug_event', 'debugEvent'];

export function readFlowLine(line: string): FlowLine {
  if (line.length > MAX_FLOW_LINE_CHARS) return { kind: 'malformed', reason: `line longer than ${MAX_FLOW_LINE_CHARS} characters` };
  // The first character that is not white space decides (no trimmed copy of every line).
  let first = 0;
  while (first < line.length && (line.charCodeAt(first) === 32 || line.charCodeAt(first) === 9 || line.charCodeAt(first) === 13)) first++;
  if (first === line.length) return { kind: 'blank' };
  if (line.charCodeAt(first) !== 123 /* { */) return { kind: 'malformed', reason: 'not a JSON object' };
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { kind: 'malformed', reason: 'invalid JSON' };
  }
  return readFlowValue(value);
}

/** A parsed JSON value (one line) as a flow, another Hubble response, or malformed. */
export function readFlowValue(value: unknown): FlowLine {
  const top = objectOf(value);
  if (!top) return { kind: 'malformed', reason: 'not a JSON object' };
  const wrapped = objectOf(top.flow);
  if (top.flow !== undefined && !wrapped) return { kind: 'malformed', reason: '"flow" is not an object' };
  const flow = wrapped ?? (looksLikeFlow(top) ? top : undefined);
  if (!flow) {
    const what = NON_FLOW_KEYS.find((key) => key in top);
    return what ? { kind: 'other', what: what.replace(/([A-Z])/g, '_$1').toLowerCase() } : { kind: 'malformed', reason: 'no "flow" object' };
  }
  return { kind: 'flow', flow: readFlow(flow) };
}

function looksLikeFlow(value: Record<string, unknown>): boolean {
  return 'verdict' in value || 'l4' in value || 'IP' in value || ('source' in value && 'destination' in value);
}

function readFlow(flow: Record<string, unknown>): FlowRecord {
  const dropReasonValue = field(flow, 'drop_reason_desc', 'dropReasonDesc');
  const directionValue = field(flow, 'traffic_direction', 'trafficDirection');
  const ip = objectOf(flow.IP) ?? objectOf(flow.ip);
  const record: FlowRecord = {
    verdict: enumOf(flow.verdict, VERDICTS) ?? 'VERDICT_UNKNOWN',
    direction: typeof directionValue === 'number' ? (DIRECTIONS[directionValue] ?? 'unknown') : directionOf(stringOf(directionValue)),
    source: readEndpoint(objectOf(flow.source), stringOf(ip?.source), field(flow, 'source_names', 'sourceNames')),
    destination: readEndpoint(objectOf(flow.destination), stringOf(ip?.destination), field(flow, 'destination_names', 'destinationNames')),
    reply: false,
  };
  const dropReason = typeof dropReasonValue === 'number' ? (DROP_REASONS[dropReasonValue] ?? String(dropReasonValue)) : stringOf(dropReasonValue);
  if (dropReason !== undefined && dropReason !== '' && dropReason !== 'DROP_REASON_UNKNOWN') record.dropReason = dropReason;
  const l4 = objectOf(flow.l4);
  if (l4) {
    for (const name of L4_PROTOCOLS) {
      const layer = objectOf(l4[name]);
      if (!layer) continue;
      record.protocol = name;
      const port = numberOf(field(layer, 'destination_port', 'destinationPort'));
      if (port !== undefined && Number.isInteger(port) && port > 0 && port <= 65535) record.port = port;
      break;
    }
  }
  const type = enumOf(flow.Type ?? flow.type, ['UNKNOWN_TYPE', 'L3_L4', 'L7', 'SOCK']);
  if (type !== undefined) record.type = type;
  const l7 = objectOf(flow.l7);
  const l7Type = enumOf(l7?.type, ['UNKNOWN_L7_TYPE', 'REQUEST', 'RESPONSE', 'SAMPLE']);
  record.reply = (field(flow, 'is_reply', 'isReply') ?? flow.reply) === true || l7Type === 'RESPONSE';
  if (l7) {
    const view: NonNullable<FlowRecord['l7']> = {};
    if (l7Type !== undefined) view.type = l7Type;
    const http = objectOf(l7.http);
    if (http) {
      view.http = {};
      const method = stringOf(http.method);
      const url = stringOf(http.url);
      if (method) view.http.method = method;
      if (url) view.http.url = url;
    }
    const dns = objectOf(l7.dns);
    if (dns) {
      view.dns = {};
      const query = stringOf(dns.query);
      if (query) view.dns.query = query;
    }
    record.l7 = view;
  }
  return record;
}

function readEndpoint(endpoint: Record<string, unknown> | undefined, ip: string | undefined, names: unknown): FlowEndpointRecord {
  const record: FlowEndpointRecord = { labels: strings(endpoint?.labels, MAX_LABELS), workloads: [], names: strings(names, MAX_NAMES) };
  if (!endpoint) {
    if (ip) record.ip = ip;
    return record;
  }
  const workloads = endpoint.workloads;
  if (Array.isArray(workloads)) {
    for (let index = 0; index < workloads.length && index < MAX_NAMES; index++) {
      const workload = objectOf(workloads[index]);
      const name = stringOf(workload?.name);
      if (!name) continue;
      const kind = stringOf(workload?.kind);
      record.workloads.push(kind ? { name, kind } : { name });
    }
  }
  const namespace = stringOf(endpoint.namespace);
  if (namespace) record.namespace = namespace;
  const podName = stringOf(field(endpoint, 'pod_name', 'podName'));
  if (podName) record.podName = podName;
  const identity = numberOf(endpoint.identity);
  if (identity !== undefined && Number.isInteger(identity) && identity > 0) record.identity = identity;
  if (ip) record.ip = ip;
  return record;
}

/** The non-empty strings of a JSON list, up to a cap (anything else is ignored). */
function strings(value: unknown, cap: number): string[] {
  const result: string[] = [];
  if (!Array.isArray(value)) return result;
  for (let index = 0; index < value.length && index < cap; index++) {
    const item: unknown = value[index];
    if (typeof item === 'string' && item !== '') result.push(item);
  }
  return result;
}

// ---------------------------------------------------------------- tolerant accessors

function objectOf(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function numberOf(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  // protojson writes 64-bit integers as strings; 32-bit ones may come quoted from other writers.
  if (typeof value === 'string' && /^\d{1,10}$/.test(value)) return Number(value);
  return undefined;
}

function field(object: Record<string, unknown>, protoName: string, jsonName: string): unknown {
  return object[protoName] !== undefined ? object[protoName] : object[jsonName];
}

function enumOf(value: unknown, names: readonly string[]): string | undefined {
  if (typeof value === 'number') return names[value];
  if (typeof value === 'string') return names.includes(value) ? value : value.toUpperCase();
  return undefined;
}

function directionOf(value: string | undefined): FlowRecord['direction'] {
  const upper = value?.toUpperCase();
  return upper === 'INGRESS' ? 'ingress' : upper === 'EGRESS' ? 'egress' : 'unknown';
}
