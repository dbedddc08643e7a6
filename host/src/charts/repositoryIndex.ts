/**
 * A Helm repository's `index.yaml`: which versions of a chart exist, where
 * each archive is and its sha256 digest. Version choice follows Flux's
 * HelmRepository charts: an exact version, or a semver range (Masterminds
 * style: `1.2.x`, `>=1.2 <1.4`, comma for "and", `||`), the highest match;
 * no version (or `*`) means the newest stable one.
 *
 * The index comes from the network: it is parsed with js-yaml's failsafe
 * schema (strings only) and no aliases, read defensively, and never throws.
 */

import { FAILSAFE_SCHEMA, load } from 'js-yaml';
import { maxSatisfying, valid } from 'semver';

export interface ChartIndexEntry {
  version: string;
  /** Lowercase hex sha256 of the archive, when the index states one. */
  digest?: string;
  urls: string[];
}

export type IndexParse = { ok: true; entries: Map<string, ChartIndexEntry[]> } | { ok: false; reason: string };

export function parseRepositoryIndex(text: string): IndexParse {
  let document: unknown;
  try {
    // Every scalar as a string: a digest or version that happens to look like a number stays text.
    // Aliases are not needed in an index; refusing them rules out alias bombs.
    document = load(text, { schema: FAILSAFE_SCHEMA, json: true, maxAliases: 0 });
  } catch {
    return { ok: false, reason: 'the repository index.yaml is not valid YAML' };
  }
  const entries = isRecord(document) ? document.entries : undefined;
  if (!isRecord(entries)) return { ok: false, reason: 'the repository index.yaml has no `entries`' };
  const result = new Map<string, ChartIndexEntry[]>();
  for (const [chart, list] of Object.entries(entries)) {
    if (!Array.isArray(list)) continue;
    const versions: ChartIndexEntry[] = [];
    for (const item of list) {
      if (!isRecord(item) || typeof item.version !== 'string') continue;
      const urls = Array.isArray(item.urls) ? item.urls.filter((url): url is string => typeof url === 'string') : [];
      const digest = typeof item.digest === 'string' ? normalizeDigest(item.digest) : undefined;
      versions.push({ version: item.version, urls, ...(digest ? { digest } : {}) });
    }
    result.set(chart, versions);
  }
  return { ok: true, entries: result };
}

/** The entry a version spec selects, or undefined when none matches. */
export function selectChartVersion(entries: readonly ChartIndexEntry[], spec: string | undefined): ChartIndexEntry | undefined {
  const wanted = spec?.trim();
  if (wanted && wanted !== '*') {
    const exact = entries.find((entry) => entry.version === wanted || entry.version.replace(/^v/, '') === wanted.replace(/^v/, ''));
    if (exact) return exact;
  }
  const byVersion = new Map<string, ChartIndexEntry>();
  for (const entry of entries) {
    const parsed = valid(entry.version, { loose: true });
    if (parsed && !byVersion.has(parsed)) byVersion.set(parsed, entry);
  }
  const range = !wanted || wanted === '*' ? '*' : wanted.replace(/\s*,\s*/g, ' ');
  let best: string | null = null;
  try {
    best = maxSatisfying([...byVersion.keys()], range, { loose: true });
  } catch {
    return undefined;
  }
  return best ? byVersion.get(best) : undefined;
}

/** Where an entry's archive is: its first URL, resolved against the repository URL when relative. */
export function archiveUrl(repositoryUrl: string, entry: ChartIndexEntry): string | undefined {
  const first = entry.urls[0];
  if (!first) return undefined;
  try {
    return new URL(first, repositoryBase(repositoryUrl)).toString();
  } catch {
    return undefined;
  }
}

export function indexUrl(repositoryUrl: string): string {
  return new URL('index.yaml', repositoryBase(repositoryUrl)).toString();
}

function repositoryBase(repositoryUrl: string): string {
  return repositoryUrl.endsWith('/') ? repositoryUrl : `${repositoryUrl}/`;
}

function normalizeDigest(digest: string): string | undefined {
  const hex = digest.trim().replace(/^sha256:/i, '').toLowerCase();
  return /^[0-9a-f]{64}$/.test(hex) ? hex : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
