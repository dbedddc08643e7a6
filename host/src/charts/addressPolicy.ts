/**
 * Which network addresses a chart download may connect to. By default only
 * public unicast addresses: loopback, unspecified, private (RFC 1918, unique
 * local), carrier-grade NAT, link-local, multicast, reserved and
 * documentation ranges are refused, checked on every address a host name
 * resolves to (so a public name pointing at 127.0.0.1 is refused too) and on
 * literal addresses in any spelling the URL parser accepts (`127.1`,
 * `2130706433`, `0x7f.1`, `[::1]`, IPv4-mapped IPv6), because the parser
 * normalises them before the check.
 *
 * `allowPrivateNetworks` (a machine-scoped setting, never a workspace one)
 * lifts the refusal, for repositories on an internal network and for tests.
 *
 * Invariant: the lookup given to the request is the only resolver used, and it
 * fails the connection when any resolved address is refused, so no request
 * reaches a refused address between check and connect.
 */

import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';

const refusedRanges = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  refusedRanges.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001:db8::', 32],
  ['2002::', 16],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const) {
  refusedRanges.addSubnet(network, prefix, 'ipv6');
}

export const PRIVATE_ADDRESS_REFUSED = 'the repository host is a loopback, private, link-local or unspecified address; not contacted (allow with the machine setting meshlens.charts.allowPrivateNetworks)';

/** Is this literal IP address one a download must not connect to? (Non-addresses: false.) */
export function isRefusedAddress(address: string): boolean {
  const plain = address.replace(/^\[|\]$/g, '');
  const family = isIP(plain);
  if (family === 0) return false;
  return refusedRanges.check(plain, family === 4 ? 'ipv4' : 'ipv6');
}

/** A URL host (as `new URL(...).hostname` gives it) that is a refused literal address, or `localhost`. */
export function isRefusedHostname(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  return host === 'localhost' || host.endsWith('.localhost') || isRefusedAddress(host);
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** A `lookup` for `https.request` that refuses names resolving to a refused address (unless private networks are allowed). */
export function guardedLookup(allowPrivateNetworks: boolean) {
  return (hostname: string, options: { family?: number | string; all?: boolean; hints?: number }, callback: LookupCallback): void => {
    const lookupOptions: LookupAllOptions = { all: true, ...(options.hints !== undefined ? { hints: options.hints } : {}) };
    if (options.family === 4 || options.family === 6) lookupOptions.family = options.family;
    dnsLookup(hostname, lookupOptions, (error, addresses) => {
      if (error) return callback(error, []);
      if (addresses.length === 0) return callback(Object.assign(new Error('no address'), { code: 'ENOTFOUND' }), []);
      if (!allowPrivateNetworks && addresses.some((entry) => isRefusedAddress(entry.address))) {
        return callback(Object.assign(new Error(PRIVATE_ADDRESS_REFUSED), { code: 'EMESHLENSPRIVATE' }), []);
      }
      if (options.all) callback(null, addresses);
      else callback(null, addresses[0].address, addresses[0].family);
    });
  };
}
