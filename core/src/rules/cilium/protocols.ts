/** Port protocols the agent accepts, by Cilium minor version (case-insensitive; omitted = ANY). */

import { minorAtLeast } from '../../policy/ciliumContext';

/** Protocols that carry no ports (Cilium 1.19+ "extended IP protocols"). */
export const EXTENDED_PROTOCOLS = ['VRRP', 'IGMP', 'GRE', 'IPIP', 'IPV6', 'ESP', 'AH'];

export function protocolsFor(minor: string): string[] {
  const list = ['TCP', 'UDP'];
  if (minorAtLeast(minor, '1.13')) list.push('SCTP');
  if (minorAtLeast(minor, '1.19')) list.push('VRRP', 'IGMP');
  if (minorAtLeast(minor, '1.20')) list.push('GRE', 'IPIP', 'IPV6', 'ESP', 'AH');
  list.push('ANY');
  return list;
}

/** The first minor that accepts the protocol, if any we know. */
export function protocolSince(protocol: string): string | undefined {
  for (const minor of ['1.12', '1.13', '1.19', '1.20']) if (protocolsFor(minor).includes(protocol)) return minor;
  return undefined;
}
