/**
 * Cilium minor versions and the small range language of the kernel matrix
 * (`1.19`, `>=1.14 <1.18`, `<1.14`): space-separated comparators that must
 * all hold. Only major.minor matters; patch numbers are ignored.
 *
 * Invariants: never throws; an unreadable version or range matches nothing.
 */

import { compareMinor, parseMinor } from '../../util/minorVersion';

export interface CiliumMinor {
  major: number;
  minor: number;
}

/** Reads `1.17`, `1.17.3`, `v1.17.3` or `1.20.0-pre.3` as a minor version. */
export function parseCiliumMinor(version: string): CiliumMinor | undefined {
  return parseMinor(version);
}

export function formatCiliumMinor(version: CiliumMinor): string {
  return `${version.major}.${version.minor}`;
}

export function compareCiliumMinor(a: CiliumMinor, b: CiliumMinor): number {
  return compareMinor(a, b);
}

/** Whether `version` satisfies every comparator of `range`. */
export function ciliumInRange(version: CiliumMinor | string, range: string): boolean {
  const minor = typeof version === 'string' ? parseCiliumMinor(version) : version;
  if (!minor || typeof range !== 'string') return false;
  const comparators = range.trim().split(/\s+/).filter(Boolean);
  if (comparators.length === 0) return false;
  return comparators.every((comparator) => {
    const match = /^(>=|<=|>|<|=)?(\d+\.\d+)$/.exec(comparator);
    if (!match) return false;
    const bound = parseCiliumMinor(match[2]!)!;
    const order = compareCiliumMinor(minor, bound);
    switch (match[1]) {
      case '>=':
        return order >= 0;
      case '<=':
        return order <= 0;
      case '>':
        return order > 0;
      case '<':
        return order < 0;
      default:
        return order === 0;
    }
  });
}
