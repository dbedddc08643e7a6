/**
 * The Flux release one cluster runs, from what the cluster pins (first found
 * wins, in this order):
 * - its root FluxInstance `spec.distribution.version`, or the flux-instance
 *   HelmRelease `values.instance.distribution.version`;
 * - a FluxInstance in the cluster's build;
 * - gotk components in the build: the `# Flux Version:` header of
 *   gotk-components.yaml, else the `app.kubernetes.io/version` label of its
 *   objects (`app.kubernetes.io/part-of: flux`);
 * - an OCIRepository of `fluxcd/flux-manifests` in the build: its `ref.tag`.
 * The flux-operator / flux-instance chart version is kept beside it (the chart
 * installs the distribution version it is given, `2.x` = the newest).
 *
 * Invariant: `minor` is set only when the text names a major.minor; `2.x`
 * ranges leave it undefined (callers then assume the newest known release).
 */

import { deref, mapGet, scalarString, type YamlNode } from '../parse/ast';
import type { IndexedDocument, WorkspaceModel } from '../workspace/model';
import { minorText as fluxMinorOf } from '../util/minorVersion';
import type { GitopsModel, RootKind } from './clusters';

export interface FluxVersionFact {
  /** As written (`2.9.4`, `v2.1.2`, `2.x`). */
  version: string;
  /** `major.minor` when the text names one. */
  minor?: string;
  /** What pinned it, for messages ("FluxInstance spec.distribution.version"). */
  source: string;
  file: string;
  /** flux-operator / flux-instance chart version, when a root HelmRelease pins one. */
  operatorChart?: string;
}

interface RootLike {
  kind: RootKind;
  file: string;
  document?: number;
}

export function detectFluxVersion(model: WorkspaceModel, gitops: GitopsModel, cluster: number, roots: readonly RootLike[]): FluxVersionFact | undefined {
  let operatorChart: string | undefined;
  const fact = (version: string, source: string, file: string): FluxVersionFact => ({
    version,
    ...(fluxMinorOf(version) && /^v?\d+\.\d+/.test(version) ? { minor: fluxMinorOf(version) } : {}),
    source,
    file,
    ...(operatorChart ? { operatorChart } : {}),
  });
  for (const root of roots) {
    const document = root.document === undefined ? undefined : model.fileResources(root.file).find((candidate) => candidate.index === root.document);
    if (!document) continue;
    const spec = deref(mapGet(deref(document.parsed.root), 'spec'));
    if (root.kind === 'FluxInstance') {
      const version = scalarString(mapGet(deref(mapGet(spec, 'distribution')), 'version'));
      if (version) return fact(version, 'FluxInstance spec.distribution.version', root.file);
    }
    if (root.kind === 'flux-instance HelmRelease') {
      operatorChart = chartVersion(model, document, spec);
      const version = scalarString(nodeAt(spec, ['values', 'instance', 'distribution', 'version']));
      if (version) return fact(version, 'flux-instance HelmRelease values.instance.distribution.version', root.file);
      if (operatorChart) return fact('2.x', `flux-instance chart ${operatorChart} default distribution`, root.file);
    }
  }
  const placed = (document: IndexedDocument) => gitops.placements.get(document.file)?.some((placement) => placement.cluster === cluster) ?? false;
  for (const document of model.byKind('FluxInstance')) {
    if (!placed(document)) continue;
    const version = scalarString(nodeAt(document.parsed.root, ['spec', 'distribution', 'version']));
    if (version) return fact(version, 'FluxInstance spec.distribution.version', document.file);
  }
  for (const kind of ['Namespace', 'Deployment', 'CustomResourceDefinition']) {
    for (const document of model.byKind(kind)) {
      if (!placed(document)) continue;
      const labels = nodeAt(document.parsed.root, ['metadata', 'labels']);
      if (scalarString(mapGet(labels, 'app.kubernetes.io/part-of')) !== 'flux') continue;
      const version = scalarString(mapGet(labels, 'app.kubernetes.io/version'));
      if (version) return fact(version, 'gotk components (app.kubernetes.io/version)', document.file);
    }
  }
  for (const [file, placements] of gitops.placements) {
    if (!/(^|\/)gotk-components\.ya?ml$/.test(file) || !placements.some((placement) => placement.cluster === cluster)) continue;
    const header = model.fileDocuments(file)[0];
    const match = header ? /#\s*Flux Version:\s*(v?\d+\.\d+[^\s]*)/.exec(header.text.slice(0, 400)) : null;
    if (match) return fact(match[1], 'gotk-components.yaml header', file);
  }
  for (const document of model.byKind('OCIRepository')) {
    if (!placed(document)) continue;
    const spec = deref(mapGet(deref(document.parsed.root), 'spec'));
    if (!/fluxcd\/flux-manifests/.test(scalarString(mapGet(spec, 'url')) ?? '')) continue;
    const tag = scalarString(nodeAt(spec, ['ref', 'tag']));
    if (tag) return fact(tag, 'flux-manifests OCIRepository ref.tag', document.file);
  }
  return undefined;
}

function chartVersion(model: WorkspaceModel, release: IndexedDocument, spec: YamlNode | undefined): string | undefined {
  const direct = scalarString(nodeAt(spec, ['chart', 'spec', 'version']));
  if (direct) return direct;
  const chartRef = deref(mapGet(spec, 'chartRef'));
  const name = scalarString(mapGet(chartRef, 'name'));
  if (!name) return undefined;
  const candidates = model.byKind('OCIRepository').filter((document) => document.identity.name === name);
  const closest = candidates.find((document) => document.file === release.file) ?? candidates.find((document) => dir(document.file) === dir(release.file)) ?? candidates[0];
  return closest ? scalarString(nodeAt(closest.parsed.root, ['spec', 'ref', 'tag'])) : undefined;
}

function dir(file: string): string {
  return file.slice(0, file.lastIndexOf('/'));
}

function nodeAt(root: YamlNode | undefined, path: readonly string[]): YamlNode | undefined {
  let node = deref(root);
  for (const key of path) node = deref(mapGet(node, key));
  return node;
}
