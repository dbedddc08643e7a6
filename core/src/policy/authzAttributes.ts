/**
 * Facts about AuthorizationPolicy attributes: which source/operation fields
 * and `when` keys exist, which ones ztunnel can enforce (L4) and which need
 * an HTTP-aware proxy, and the value checks istiod's webhook applies (ports,
 * IPs/CIDRs, path templates, service accounts, trust domains, condition keys).
 *
 * Every checker returns an error text (our wording, upstream error strings
 * quoted where useful) or undefined; none throws.
 */

export const SOURCE_FIELDS = [
  'principals',
  'notPrincipals',
  'requestPrincipals',
  'notRequestPrincipals',
  'namespaces',
  'notNamespaces',
  'serviceAccounts',
  'notServiceAccounts',
  'ipBlocks',
  'notIpBlocks',
  'remoteIpBlocks',
  'notRemoteIpBlocks',
  'trustDomains',
  'notTrustDomains',
] as const;
export type SourceField = (typeof SOURCE_FIELDS)[number];

export const OPERATION_FIELDS = ['hosts', 'notHosts', 'ports', 'notPorts', 'methods', 'notMethods', 'paths', 'notPaths'] as const;
export type OperationField = (typeof OPERATION_FIELDS)[number];

/** Source fields ztunnel translates (L4). */
export const ZTUNNEL_SOURCE_FIELDS: ReadonlySet<string> = new Set([
  'principals',
  'notPrincipals',
  'namespaces',
  'notNamespaces',
  'serviceAccounts',
  'notServiceAccounts',
  'ipBlocks',
  'notIpBlocks',
]);
/** Source fields ztunnel reports as needing a waypoint. */
export const L7_SOURCE_FIELDS: ReadonlySet<string> = new Set(['requestPrincipals', 'notRequestPrincipals', 'remoteIpBlocks', 'notRemoteIpBlocks']);
export const ZTUNNEL_OPERATION_FIELDS: ReadonlySet<string> = new Set(['ports', 'notPorts']);
export const L7_OPERATION_FIELDS: ReadonlySet<string> = new Set(['hosts', 'notHosts', 'methods', 'notMethods', 'paths', 'notPaths']);
export const ZTUNNEL_CONDITION_KEYS: ReadonlySet<string> = new Set(['source.ip', 'source.namespace', 'source.principal', 'destination.ip', 'destination.port']);

/** Fields only an HTTP filter can evaluate (dropped on plain TCP traffic). */
export const HTTP_ONLY_SOURCE_FIELDS: ReadonlySet<string> = new Set(['requestPrincipals', 'notRequestPrincipals']);
export const HTTP_ONLY_OPERATION_FIELDS: ReadonlySet<string> = L7_OPERATION_FIELDS;
/** Source fields istiod's DENY warning counts as usable on TCP: what ztunnel enforces, plus remote IP blocks. */
export const TCP_SOURCE_FIELDS: ReadonlySet<string> = new Set([...ZTUNNEL_SOURCE_FIELDS, 'remoteIpBlocks', 'notRemoteIpBlocks']);

/** Source fields and `when` keys that CUSTOM policies may not use, with istiod's name for them. */
export const CUSTOM_FORBIDDEN_SOURCE_FIELDS: Readonly<Record<string, string>> = {
  principals: 'From.Principals',
  notPrincipals: 'From.NotPrincipals',
  requestPrincipals: 'From.RequestPrincipals',
  notRequestPrincipals: 'From.NotRequestPrincipals',
  namespaces: 'From.Namespaces',
  notNamespaces: 'From.NotNamespaces',
  serviceAccounts: 'From.ServiceAccounts',
  notServiceAccounts: 'From.NotServiceAccounts',
  trustDomains: 'From.TrustDomains',
  notTrustDomains: 'From.NotTrustDomains',
};

export function isCustomForbiddenConditionKey(key: string): boolean {
  return ['source.namespace', 'source.serviceAccount', 'source.trustDomain', 'source.principal'].includes(key) || key.startsWith('request.auth.');
}

/** Is a `when` key L4 for ztunnel? Everything else is dropped or stripped there. */
export function isZtunnelConditionKey(key: string): boolean {
  return ZTUNNEL_CONDITION_KEYS.has(key);
}

/** `when` keys that only an HTTP filter can evaluate. */
export function isHttpOnlyConditionKey(key: string): boolean {
  return key.startsWith('request.headers[') || key.startsWith('request.auth.');
}

export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH'] as const;

const EXACT_CONDITION_KEYS = new Set([
  'source.ip',
  'remote.ip',
  'source.namespace',
  'source.principal',
  'source.serviceAccount',
  'source.trustDomain',
  'request.auth.principal',
  'request.auth.audiences',
  'request.auth.presenter',
  'destination.ip',
  'destination.port',
  'connection.sni',
]);

/** Checks a `when` key the way the webhook does; returns the problem or undefined. */
export function conditionKeyProblem(key: string): string | undefined {
  if (key === '') return '`key` must not be empty';
  if (EXACT_CONDITION_KEYS.has(key)) return undefined;
  if (key.startsWith('request.headers[') || key.startsWith('request.auth.claims[') || key.startsWith('experimental.envoy.filters.')) {
    const bracketed = key.startsWith('request.headers[') ? /^request\.headers\[[^\[\]]+\]$/ : key.startsWith('request.auth.claims[') ? /^request\.auth\.claims(\[[^\[\]]+\])+$/ : /^experimental\.envoy\.filters\.[^\[\]]+(\[[^\[\]]+\])+$/;
    return bracketed.test(key) ? undefined : `bad key (${key}): should have format a[b]`;
  }
  if (key.startsWith('destination.labels[')) return 'attribute destination.labels[...] is replaced by the workload selector';
  if (key === 'destination.namespace') return 'attribute destination.namespace is replaced by the metadata.namespace';
  if (key === 'destination.name' || key === 'destination.user') return `deprecated attribute ${key}: only supported in v1alpha1`;
  return `unknown attribute: ${key}`;
}

/** `bad port (<v>)` unless a base-10 integer 0–65535. */
export function portProblem(value: string): string | undefined {
  if (!/^\d+$/.test(value) || Number(value) > 65535) {
    const hint = /^\d+\s*[-:]\s*\d+$/.test(value) ? ' (ranges are not supported)' : value.includes('*') ? ' (wildcards are not supported)' : '';
    return `bad port (${value})${hint}`;
  }
  return undefined;
}

/** IP address or CIDR check, in the spirit of Go's netip parsers (no leading zeros, prefix within range). */
export function ipOrCidrProblem(value: string): string | undefined {
  const slash = value.indexOf('/');
  if (slash === -1) return parseIp(value) === undefined ? `bad IP address (${value})` : undefined;
  const address = value.slice(0, slash);
  const bits = value.slice(slash + 1);
  const family = parseIp(address, false);
  if (family === undefined) return `bad CIDR range (${value}): the address is not an IP`;
  if (!/^(0|[1-9]\d*)$/.test(bits) || Number(bits) > (family === 4 ? 32 : 128)) return `bad CIDR range (${value}): bad prefix length "${bits}"`;
  return undefined;
}

/** Returns 4 or 6 for a valid address, else undefined. */
export function parseIp(text: string, allowZone = true): 4 | 6 | undefined {
  if (/^\d+(\.\d+){3}$/.test(text)) return text.split('.').every((part) => /^(0|[1-9]\d{0,2})$/.test(part) && Number(part) <= 255) ? 4 : undefined;
  let address = text;
  const zone = address.indexOf('%');
  if (zone !== -1) {
    if (!allowZone || zone === address.length - 1) return undefined;
    address = address.slice(0, zone);
  }
  if (!address.includes(':')) return undefined;
  let groupsAvailable = 8;
  const lastColon = address.lastIndexOf(':');
  const tail = address.slice(lastColon + 1);
  if (tail.includes('.')) {
    if (parseIp(tail) !== 4) return undefined;
    address = `${address.slice(0, lastColon + 1)}0:0`;
  }
  const doubleColon = address.indexOf('::');
  if (doubleColon !== address.lastIndexOf('::')) return undefined;
  const group = /^[0-9a-fA-F]{1,4}$/;
  if (doubleColon === -1) {
    const groups = address.split(':');
    return groups.length === groupsAvailable && groups.every((g) => group.test(g)) ? 6 : undefined;
  }
  const head = address.slice(0, doubleColon);
  const rest = address.slice(doubleColon + 2);
  const headGroups = head === '' ? [] : head.split(':');
  const restGroups = rest === '' ? [] : rest.split(':');
  groupsAvailable -= 1;
  if (![...headGroups, ...restGroups].every((g) => group.test(g))) return undefined;
  return headGroups.length + restGroups.length <= groupsAvailable ? 6 : undefined;
}

/** Does the path use a template operator (`{*}` / `{**}`)? */
export function containsPathTemplate(path: string): boolean {
  return path.includes('{*}') || path.includes('{**}');
}

const PATH_LITERAL = /^[a-zA-Z0-9\-._~%!$&'()+,;:@=]+$/;

/** Path template rules of istiod (Istio 1.22+): returns the problem or undefined. */
export function pathTemplateProblem(path: string, field: string): string | undefined {
  const hasTemplate = containsPathTemplate(path);
  const segments = path.replace(/^\/+|\/+$/g, '').split('/');
  let sawMatchAny = false;
  for (const segment of segments) {
    const isOperator = segment === '{*}' || segment === '{**}';
    if (isOperator && sawMatchAny) return `invalid or unsupported path ${path}, found in ${field}. {**} is not the last operator`;
    if (isOperator) {
      if (segment === '{**}') sawMatchAny = true;
      continue;
    }
    if (/[{}]/.test(segment)) return `invalid or unsupported path ${path}, found in ${field}. Contains '{' or '}' beyond a supported path template`;
    if (hasTemplate && segment !== '' && !PATH_LITERAL.test(segment)) {
      return `invalid or unsupported path ${path}, found in ${field}. Contains segment ${segment} with invalid string literal`;
    }
  }
  return undefined;
}

/** `serviceAccounts` value rules (1.25+). */
export function serviceAccountProblem(value: string, field: string): string | undefined {
  if (value.includes('*')) return `wildcard not allowed, found in ${field}`;
  if (value.length > 320) return `value cannot exceed 320 characters, found "${value.slice(0, 40)}…" in ${field}`;
  const parts = value.split('/');
  if (parts.length > 2) return `expected format 'serviceAccount' or 'namespace/serviceAccount', found "${value}" in ${field}`;
  if (parts.length === 2 && parts[0] === '') return `found empty namespace in "${value}" in ${field}`;
  if (parts[parts.length - 1] === '') return `found empty serviceAccount in "${value}" in ${field}`;
  return undefined;
}

/** `trustDomains` value rules (1.31+). */
export function trustDomainProblem(value: string, field: string): string | undefined {
  const stars = value.split('*').length - 1;
  if (stars > 1) return `at most one wildcard is allowed, found in ${field}: "${value}"`;
  if (stars === 1 && value !== '*' && !value.startsWith('*') && !value.endsWith('*')) return `wildcard is only allowed at the start or end, found in ${field}: "${value}"`;
  if (value.includes('/')) return `trust domain must not contain '/', found in ${field}: "${value}"`;
  return undefined;
}

/** Does a value pattern (exact, `prefix*`, `*suffix`, `*`) match a string? */
export function patternMatches(pattern: string, value: string): boolean {
  if (pattern === '*') return value.length > 0;
  if (pattern.endsWith('*')) return value.startsWith(pattern.slice(0, -1));
  if (pattern.startsWith('*')) return value.endsWith(pattern.slice(1));
  return pattern === value;
}

/** Compares Istio minor versions (`1.24`, `1.24.3`); undefined means "newest". */
export function istioAtLeast(version: string | undefined, minimum: string): boolean {
  if (!version) return true;
  const parse = (text: string) => text.replace(/^v/, '').split('.').map((part) => Number.parseInt(part, 10));
  const [major, minor] = parse(version);
  const [wantMajor, wantMinor] = parse(minimum);
  if (!Number.isFinite(major) || !Number.isFinite(minor)) return true;
  return major > wantMajor || (major === wantMajor && minor >= wantMinor);
}
