/**
 * Picks the Cilium chart version a HelmRelease means, from an exact version or a semver range,
 * among the minor lines we ship value catalogs for.
 *
 * Invariants: never throws; always returns one of the known minors. Exact versions outside the
 * known lines are clamped to the nearest line, with a note. For a range, the highest published
 * patch in range wins (the chart facts list them); without that list every patch from .0 up to
 * the catalog's patch is assumed to exist, so `<1.16.5` resolves to 1.16.4 rather than 1.15.x.
 */

import { maxSatisfying, valid, validRange } from 'semver';
import { compareMinor, minorText } from '../util/minorVersion';

export interface ResolvedChartVersion {
  /** Known minor line whose catalog applies, e.g. "1.16". */
  minor: string;
  /** The chart version we take the spec to mean, e.g. "1.16.3" or "1.16.19". */
  chartVersion: string;
  how: 'exact' | 'range' | 'default';
  /** One sentence saying what was chosen and why (for hover). */
  note: string;
}

export function compareMinors(a: string, b: string): number {
  return compareMinor(a, b);
}

export function minorOfVersion(version: string): string | undefined {
  return minorText(version);
}

/**
 * @param spec the version field as written (exact, range, or undefined)
 * @param catalogVersions chart version of each known minor's catalog, e.g. {"1.16": "1.16.19"}
 */
export function resolveChartVersion(spec: string | undefined, catalogVersions: Record<string, string>, publishedPatches: readonly string[] = []): ResolvedChartVersion {
  const minors = Object.keys(catalogVersions).sort(compareMinors);
  const newest = minors[minors.length - 1];
  const oldest = minors[0];
  const fallback = (note: string): ResolvedChartVersion => ({ minor: newest, chartVersion: catalogVersions[newest], how: 'default', note });

  const text = typeof spec === 'string' ? spec.trim() : '';
  if (text === '') return fallback(`No chart version given: using the newest known Cilium chart ${catalogVersions[newest]}.`);

  const exact = valid(text.replace(/^v/, ''));
  if (exact) {
    const minor = minorOfVersion(exact)!;
    if (catalogVersions[minor]) {
      return { minor, chartVersion: exact, how: 'exact', note: `Chart ${exact}; checked against the ${minor} catalog (from chart ${catalogVersions[minor]}).` };
    }
    const clamped = compareMinors(minor, oldest) < 0 ? oldest : newest;
    const nearestKnown = minors.filter((m) => compareMinors(m, minor) <= 0).pop() ?? clamped;
    return {
      minor: nearestKnown,
      chartVersion: exact,
      how: 'exact',
      note: `Chart ${exact} has no catalog of its own; using the ${nearestKnown} catalog (chart ${catalogVersions[nearestKnown]}).`,
    };
  }

  const range = validRange(text.replace(/(^|\s|[<>=~^])v(\d)/g, '$1$2'));
  if (range) {
    const candidates: string[] = [];
    for (const minor of minors) {
      const published = publishedPatches.filter((version) => minorOfVersion(version) === minor);
      if (published.length > 0) {
        candidates.push(...published);
        continue;
      }
      const patch = Number(catalogVersions[minor].split('.')[2] ?? 0);
      for (let p = 0; p <= patch; p++) candidates.push(`${minor}.${p}`);
    }
    const best = maxSatisfying(candidates, range);
    if (best) {
      const minor = minorOfVersion(best)!;
      return { minor, chartVersion: best, how: 'range', note: `Range "${text}": using ${best}, the highest known version in range (catalog of ${minor}).` };
    }
    return { ...fallback(`Range "${text}" matches no known Cilium chart (${oldest}–${newest}): using the newest, ${catalogVersions[newest]}.`), how: 'range' };
  }
  return fallback(`Chart version "${text}" is not a version or range: using the newest known Cilium chart ${catalogVersions[newest]}.`);
}
