/**
 * API version lifecycle of the Flux kinds meshlens checks, as data: for each
 * (group, kind, version), the Flux release that deprecated it and the one that
 * stopped serving it, plus the version to migrate to.
 *
 * Facts from the Flux CRDs (served versions, deprecationWarning) and changelogs:
 * HelmRelease v2beta1 deprecated 2.2 / removed 2.7, v2beta2 deprecated 2.3 /
 * removed 2.8; Kustomization v1beta1 removed 2.7, v1beta2 deprecated 2.0 /
 * removed 2.8; source kinds per kind (GitRepository v1 in 2.0, HelmRepository
 * and HelmChart in 2.3, Bucket in 2.4, OCIRepository in 2.6).
 *
 * Invariant: Flux releases are compared as `major.minor` strings.
 */

import { compareMinor, minorText } from '../util/minorVersion';

export const HELM_GROUP = 'helm.toolkit.fluxcd.io';
export const KUSTOMIZE_GROUP = 'kustomize.toolkit.fluxcd.io';
export const SOURCE_GROUP = 'source.toolkit.fluxcd.io';

/** The newest Flux release these facts describe; assumed when the workspace does not say. */
export const NEWEST_KNOWN_FLUX = '2.9';

export interface ApiVersionLifecycle {
  group: string;
  kind: string;
  version: string;
  /** Flux release whose CRD marks the version deprecated. */
  deprecatedIn?: string;
  /** First Flux release that no longer serves the version. */
  removedIn?: string;
  /** The version to migrate to. */
  replacement: string;
}

const SOURCE_KINDS_V1_SINCE: Record<string, string> = {
  GitRepository: '2.0',
  HelmRepository: '2.3',
  HelmChart: '2.3',
  Bucket: '2.4',
  OCIRepository: '2.6',
};

function sourceEntries(): ApiVersionLifecycle[] {
  const entries: ApiVersionLifecycle[] = [];
  for (const [kind, gaSince] of Object.entries(SOURCE_KINDS_V1_SINCE)) {
    // OCIRepository never had a v1beta1.
    if (kind !== 'OCIRepository') {
      // Every v1beta1 source was superseded by v1beta2 before Flux 2.0.
      entries.push({ group: SOURCE_GROUP, kind, version: 'v1beta1', deprecatedIn: '2.0', removedIn: '2.7', replacement: 'v1' });
    }
    entries.push({ group: SOURCE_GROUP, kind, version: 'v1beta2', deprecatedIn: gaSince, removedIn: '2.8', replacement: 'v1' });
  }
  return entries;
}

export const FLUX_API_LIFECYCLE: readonly ApiVersionLifecycle[] = [
  { group: HELM_GROUP, kind: 'HelmRelease', version: 'v2beta1', deprecatedIn: '2.2', removedIn: '2.7', replacement: 'v2' },
  { group: HELM_GROUP, kind: 'HelmRelease', version: 'v2beta2', deprecatedIn: '2.3', removedIn: '2.8', replacement: 'v2' },
  { group: KUSTOMIZE_GROUP, kind: 'Kustomization', version: 'v1beta1', deprecatedIn: '2.0', removedIn: '2.7', replacement: 'v1' },
  { group: KUSTOMIZE_GROUP, kind: 'Kustomization', version: 'v1beta2', deprecatedIn: '2.0', removedIn: '2.8', replacement: 'v1' },
  ...sourceEntries(),
];

/**
 * First Flux release serving the versions the table migrates to (older ones,
 * v1beta2 sources, HelmRelease v2beta1, were served before Flux 2.0):
 * HelmRelease v2beta2 in 2.2 and v2 in 2.3, Kustomization v1 in 2.0, and the
 * sources' v1 as listed above.
 */
const SERVED_SINCE: readonly { group: string; kind: string; version: string; since: string }[] = [
  { group: HELM_GROUP, kind: 'HelmRelease', version: 'v2beta2', since: '2.2' },
  { group: HELM_GROUP, kind: 'HelmRelease', version: 'v2', since: '2.3' },
  { group: KUSTOMIZE_GROUP, kind: 'Kustomization', version: 'v1', since: '2.0' },
  ...Object.entries(SOURCE_KINDS_V1_SINCE).map(([kind, since]) => ({ group: SOURCE_GROUP, kind, version: 'v1', since })),
];

/** The first Flux release that serves (group, kind, version); undefined when it was served before Flux 2.0 (or is unknown here). */
export function servedSince(group: string, kind: string, version: string): string | undefined {
  return SERVED_SINCE.find((entry) => entry.group === group && entry.kind === kind && entry.version === version)?.since;
}

/** Whether the given Flux release serves (group, kind, version), as far as these facts say. */
export function fluxServes(fluxRelease: string, group: string, kind: string, version: string): boolean {
  const since = servedSince(group, kind, version);
  if (since && compareFluxReleases(fluxRelease, since) < 0) return false;
  const lifecycle = apiVersionLifecycle(group, kind, version);
  return !lifecycle?.removedIn || compareFluxReleases(fluxRelease, lifecycle.removedIn) < 0;
}

/** The kinds this lifecycle table covers. */
export const FLUX_VERSIONED_KINDS: readonly string[] = [...new Set(FLUX_API_LIFECYCLE.map((entry) => entry.kind))];

export function apiVersionLifecycle(group: string, kind: string, version: string): ApiVersionLifecycle | undefined {
  return FLUX_API_LIFECYCLE.find((entry) => entry.group === group && entry.kind === kind && entry.version === version);
}

/** Compares `2.7` / `2.7.1` / `v2.7` style versions by major and minor. */
export function compareFluxReleases(a: string, b: string): number {
  return compareMinor(a, b);
}

/** `v2.3.0` → `2.3`; undefined when the text names no major.minor. */
export function fluxMinorOf(text: string | undefined): string | undefined {
  return minorText(text);
}

export type LifecycleStatus = 'current' | 'deprecated' | 'removed';

/** Where a version stands in the given Flux release (the newest known one when undefined). */
export function lifecycleStatus(entry: ApiVersionLifecycle, fluxRelease: string = NEWEST_KNOWN_FLUX): LifecycleStatus {
  if (entry.removedIn && compareFluxReleases(fluxRelease, entry.removedIn) >= 0) return 'removed';
  if (entry.deprecatedIn && compareFluxReleases(fluxRelease, entry.deprecatedIn) >= 0) return 'deprecated';
  return 'current';
}
