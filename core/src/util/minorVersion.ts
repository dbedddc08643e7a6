/**
 * The one reading of a `major.minor` version for Cilium, Flux and Istio
 * releases: `1.17`, `1.17.3`, `v1.17.3`, `1.20.0-pre.3` and `2.3` all name a
 * minor; anything after the minor (patch, pre-release, build) is ignored.
 * Comparison is numeric per part (`1.9` < `1.10`).
 */

export interface MinorVersion {
  major: number;
  minor: number;
}

const MINOR = /^\s*v?(\d+)\.(\d+)/;

/** The minor a version text names, or undefined when it names none. */
export function parseMinor(text: unknown): MinorVersion | undefined {
  if (typeof text !== 'string') return undefined;
  const match = MINOR.exec(text);
  return match ? { major: Number(match[1]), minor: Number(match[2]) } : undefined;
}

/** `x.y` without leading zeros, or undefined. */
export function minorText(text: unknown): string | undefined {
  const parsed = parseMinor(text);
  return parsed ? `${parsed.major}.${parsed.minor}` : undefined;
}

/** Numeric order of two minors (texts that name none sort first). */
export function compareMinor(a: MinorVersion | string, b: MinorVersion | string): number {
  const left = typeof a === 'string' ? (parseMinor(a) ?? { major: 0, minor: 0 }) : a;
  const right = typeof b === 'string' ? (parseMinor(b) ?? { major: 0, minor: 0 }) : b;
  return Math.sign(left.major - right.major || left.minor - right.minor);
}
