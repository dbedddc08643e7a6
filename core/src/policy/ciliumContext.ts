/**
 * What the workspace says about the Cilium installation that will read the
 * policies: the Cilium minor version and the agent settings that change what
 * a CiliumNetworkPolicy may contain (`l7Proxy`, `nodeSelectorLabels`).
 *
 * Source order: the Cilium HelmRelease of the cluster that deploys the file
 * (else of the workspace; chart `cilium`, or a
 * `chartRef` to an OCIRepository whose URL ends in `/cilium`), then the
 * `ciliumVersion` setting, then the newest minor we know. `l7Proxy` is read
 * from the values as Flux composes them (`valuesFrom` ConfigMaps, inline
 * values, targetPath; see helm/effectiveValues.ts), with the place that wins;
 * `nodeSelectorLabels` is still read from inline `spec.values` only.
 *
 * Invariants: never throws; `minor` is always `major.minor` text. The result is
 * memoized per workspace generation (and `ciliumVersion` setting), so rules
 * that use it must be `crossFile: true`.
 *
 * The HelmRelease's chart version goes through `resolveCiliumChartVersion`
 * (the values catalog), so hover and rules agree on ranges; an exact version
 * keeps its own minor even when no values catalog exists for it (1.12, 1.13),
 * because policy rules know those versions. The setting is parsed locally.
 */

import { intersects, valid, validRange } from 'semver';
import { minorOfVersion } from '../cilium/chartVersion';
import { knownCiliumMinors, resolveCiliumChartVersion } from '../cilium/valuesCatalog';
import type { AnalysisOptions } from '../options';
import { deref, mapGetPair, nodeAtPath, type YamlNode, type YamlPair } from '../parse/ast';
import type { IndexedDocument, WorkspaceModel } from '../workspace/model';
import { ciliumReleaseFor } from '../helm/ciliumReleases';
import type { Anchor } from '../findings';
import { compareMinor } from '../util/minorVersion';
import { deriveWith } from '../workspace/deriveWith';

/** The newest Cilium minor meshlens knows (its newest values catalog); assumed when nothing says otherwise. */
export const NEWEST_CILIUM_MINOR = knownCiliumMinors()[knownCiliumMinors().length - 1];
/** Oldest minor whose policy semantics we model; older versions are treated like it. */
const OLDEST_MODELLED_MINOR = 12;

export interface ClusterCiliumContext {
  /** `major.minor`, e.g. `1.16`. */
  minor: string;
  source: 'helmrelease' | 'setting' | 'default';
  /** `l7Proxy` of the Cilium HelmRelease's composed values, when written in any of its sources. */
  l7Proxy?: boolean;
  /** Where the winning `l7Proxy` is written (key and value), which may be a ConfigMap. */
  l7ProxyAt?: Anchor;
  /** `spec.values.nodeSelectorLabels` of the Cilium HelmRelease, when written there. */
  nodeSelectorLabels?: boolean;
  helmRelease?: IndexedDocument;
  /** The value pairs above (for related locations), when present. */
  l7ProxyPair?: YamlPair;
  nodeSelectorLabelsPair?: YamlPair;
}

/**
 * The context of the Cilium that reads the policies of `file`: the Cilium
 * HelmRelease of a cluster that deploys the file (`helm/ciliumReleases`
 * `ciliumReleaseFor`); without `file`, or when no cluster says, the
 * workspace's (kube-system first). One memoized value per release as a
 * cluster builds it.
 */
export function clusterCiliumContext(workspace: WorkspaceModel, options: AnalysisOptions, file?: string): ClusterCiliumContext {
  const found = ciliumReleaseFor(workspace, file);
  const release = found?.document;
  // One value per release and per cluster variant of it (clusters may build the release differently).
  const releaseKey = release ? `${release.file}#${release.index}@${found?.clusters?.join(',') ?? ''}` : '';
  return deriveWith(workspace, `cilium-context:${releaseKey}`, options, ['ciliumVersion'], (model, read) => computeContext(model, read, file));
}

/** Answers of `minorAtLeast`: rules ask the same few questions for every policy. Bounded by `MAX_MINOR_ANSWERS`. */
const minorAnswers = new Map<string, boolean>();
const MAX_MINOR_ANSWERS = 4096;

/** Is `minor` at least `than` (both `x.y`)? */
export function minorAtLeast(minor: string, than: string): boolean {
  const key = `${minor}\u0000${than}`;
  let answer = minorAnswers.get(key);
  if (answer === undefined) {
    answer = compareMinor(minor, than) >= 0;
    if (minorAnswers.size >= MAX_MINOR_ANSWERS) minorAnswers.clear();
    minorAnswers.set(key, answer);
  }
  return answer;
}

/** `x.y` from an exact version or a semver range, or undefined when the text is neither. */
export function minorFromVersionText(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const trimmed = text.trim().replace(/@.*$/, '').replace(/^v(?=\d)/, '');
  const exact = valid(trimmed);
  if (exact) {
    const [major, minor] = exact.split('.');
    return `${Number(major)}.${Number(minor)}`;
  }
  const range = validRange(trimmed.replace(/(^|\s|[<>=~^])v(\d)/g, '$1$2'));
  if (!range) return undefined;
  // The highest known 1.x minor the range admits.
  const newest = Number(NEWEST_CILIUM_MINOR.split('.')[1]);
  for (let minor = newest + 5; minor >= OLDEST_MODELLED_MINOR - 4; minor--) {
    try {
      if (intersects(range, `>=1.${minor}.0 <1.${minor + 1}.0`)) return `1.${minor}`;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function computeContext(model: WorkspaceModel, options: Pick<AnalysisOptions, 'ciliumVersion'>, file: string | undefined): ClusterCiliumContext {
  const found = ciliumReleaseFor(model, file);
  const release: FoundRelease | undefined = found ? { document: found.document, version: found.chart.versionSpec } : undefined;
  const values = release ? deref(nodeAtPath(release.document.parsed.root, ['spec', 'values'])) : undefined;
  const l7ProxyPair = mapGetPair(values, 'l7Proxy');
  const nodeSelectorLabelsPair = mapGetPair(values, 'nodeSelectorLabels');
  // The values as the file's cluster builds them (overlays, substitution), else as written.
  const composed = found ? found.values : undefined;
  const l7ProxyLocation = composed?.provenance(['l7Proxy']);
  const base = {
    helmRelease: release?.document,
    l7Proxy: composed ? booleanOfValue(composed.value.l7Proxy) : booleanOf(l7ProxyPair?.value),
    ...(l7ProxyLocation ? { l7ProxyAt: { ...l7ProxyLocation.key, end: Math.max(l7ProxyLocation.key.end, l7ProxyLocation.value.end) } } : {}),
    nodeSelectorLabels: booleanOf(nodeSelectorLabelsPair?.value),
    l7ProxyPair,
    nodeSelectorLabelsPair,
  };
  const fromRelease = releaseMinor(release?.version);
  if (fromRelease) return { ...base, minor: fromRelease, source: 'helmrelease' };
  const fromSetting = minorFromVersionText(options.ciliumVersion);
  if (fromSetting) return { ...base, minor: fromSetting, source: 'setting' };
  return { ...base, minor: NEWEST_CILIUM_MINOR, source: 'default' };
}

/** The minor a HelmRelease's chart version means, or undefined when it gives none we can read. */
function releaseMinor(version: string | undefined): string | undefined {
  if (!version || version.trim() === '') return undefined;
  const resolved = resolveCiliumChartVersion(version.replace(/@.*$/, ''));
  if (resolved.how === 'default') return undefined;
  if (resolved.how === 'exact') return minorOfVersion(resolved.chartVersion) ?? resolved.minor;
  return resolved.minor;
}

/** The chart quotes `l7Proxy` into the agent's config, which parses "true"/"false" back. */
function booleanOfValue(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  return undefined;
}

function booleanOf(node: YamlNode | undefined): boolean | undefined {
  const target = deref(node);
  if (!target || target.type !== 'scalar') return undefined;
  if (typeof target.value === 'boolean') return target.value;
  if (target.text === 'true') return true;
  if (target.text === 'false') return false;
  return undefined;
}

interface FoundRelease {
  document: IndexedDocument;
  version?: string;
}
