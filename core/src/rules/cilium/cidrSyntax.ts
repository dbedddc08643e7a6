/**
 * CIDR parsing the way the agent does it (Go `net.ParseCIDR` / `ParseIP`
 * rules): IPv4 dotted quads without leading zeros, IPv6 with at most one
 * `::` and an optional trailing dotted quad, prefix lengths 0–32 / 0–128.
 */

export interface ParsedCidr {
  family: 4 | 6;
  /** Address bytes (4 or 16). */
  bytes: number[];
  prefix: number;
}

export function parseIp(text: string): { family: 4 | 6; bytes: number[] } | undefined {
  if (text.includes(':')) {
    const bytes = parseIpv6(text);
    return bytes ? { family: 6, bytes } : undefined;
  }
  const bytes = parseIpv4(text);
  return bytes ? { family: 4, bytes } : undefined;
}

/** `addr/len`; undefined when not a valid prefix. */
export function parseCidr(text: string): ParsedCidr | undefined {
  const slash = text.indexOf('/');
  if (slash === -1) return undefined;
  const address = parseIp(text.slice(0, slash));
  const length = text.slice(slash + 1);
  if (!address || !/^[0-9]{1,3}$/.test(length)) return undefined;
  const prefix = Number(length);
  if (prefix > (address.family === 4 ? 32 : 128)) return undefined;
  return { ...address, prefix };
}

/** Does prefix `outer` contain prefix `inner` (same family, inner at least as long, same leading bits)? */
export function cidrContains(outer: ParsedCidr, inner: ParsedCidr): boolean {
  if (outer.family !== inner.family || inner.prefix < outer.prefix) return false;
  for (let bit = 0; bit < outer.prefix; bit++) {
    const byte = bit >> 3;
    const mask = 0x80 >> (bit & 7);
    if ((outer.bytes[byte] & mask) !== (inner.bytes[byte] & mask)) return false;
  }
  return true;
}

function parseIpv4(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const bytes: number[] = [];
  for (const part of parts) {
    if (!/^[0-9]{1,3}$/.test(part) || (part.length > 1 && part.startsWith('0'))) return undefined;
    const value = Number(part);
    if (value > 255) return undefined;
    bytes.push(value);
  }
  return bytes;
}

function parseIpv6(text: string): number[] | undefined {
  const doubleColon = text.indexOf('::');
  if (doubleColon !== -1 && text.indexOf('::', doubleColon + 1) !== -1) return undefined;
  const parseGroups = (part: string): number[] | undefined => {
    if (part === '') return [];
    const groups = part.split(':');
    const bytes: number[] = [];
    for (let index = 0; index < groups.length; index++) {
      const group = groups[index];
      if (index === groups.length - 1 && group.includes('.')) {
        const v4 = parseIpv4(group);
        if (!v4) return undefined;
        bytes.push(...v4);
        continue;
      }
      if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return undefined;
      const value = parseInt(group, 16);
      bytes.push(value >> 8, value & 0xff);
    }
    return bytes;
  };
  if (doubleColon === -1) {
    const bytes = parseGroups(text);
    return bytes && bytes.length === 16 ? bytes : undefined;
  }
  const head = parseGroups(text.slice(0, doubleColon));
  const tail = parseGroups(text.slice(doubleColon + 2));
  if (!head || !tail || head.length + tail.length > 14) return undefined;
  return [...head, ...new Array(16 - head.length - tail.length).fill(0), ...tail];
}
