/**
 * The Flux release that serves a file: what the clusters deploying it pin
 * (`gitops/placement` `fluxReleaseFor`: FluxInstance, flux-instance values,
 * gotk components, the flux-manifests OCIRepository tag), else what the
 * workspace as a whole says: the
 * `app.kubernetes.io/version` label that `flux bootstrap` puts on the objects
 * of gotk-components.yaml (with `app.kubernetes.io/part-of: flux`), or a
 * flux-operator FluxInstance `spec.distribution.version` naming a minor
 * (`2.6.x`). Undefined when nothing in the workspace says.
 *
 * Invariant: memoized per workspace generation; when several releases are
 * found (one repository, several clusters) the newest wins.
 */

import type { AnalysisOptions } from '../options';
import { mapGet, scalarString } from '../parse/ast';
import type { WorkspaceModel } from '../workspace/model';
import { fluxReleaseFor } from '../gitops/placement';
import { compareFluxReleases, fluxMinorOf } from './fluxVersions';

const KINDS_WITH_FLUX_LABELS = ['Namespace', 'Deployment', 'CustomResourceDefinition'];

export function workspaceFluxRelease(model: WorkspaceModel, file?: string): string | undefined {
  const pinned = fluxReleaseFor(model, file);
  if (pinned) return pinned.minor;
  return model.derive('flux/release', (workspace) => {
    const found: string[] = [];
    for (const kind of KINDS_WITH_FLUX_LABELS) {
      for (const document of workspace.byKind(kind)) {
        const labels = mapGet(mapGet(document.parsed.root, 'metadata'), 'labels');
        if (scalarString(mapGet(labels, 'app.kubernetes.io/part-of')) !== 'flux') continue;
        const minor = fluxMinorOf(scalarString(mapGet(labels, 'app.kubernetes.io/version')));
        if (minor) found.push(minor);
      }
    }
    for (const document of workspace.byKind('FluxInstance')) {
      const version = scalarString(mapGet(mapGet(mapGet(document.parsed.root, 'spec'), 'distribution'), 'version'));
      const minor = version && /^v?\d+\.\d+/.test(version) ? fluxMinorOf(version) : undefined;
      if (minor) found.push(minor);
    }
    // Several clusters may run different releases; the newest is what upgrades lead to,
    // and an API version removed there breaks that cluster.
    return found.sort(compareFluxReleases).pop();
  });
}

/**
 * The one place a rule asks which Flux release is in use: the user's setting
 * (`--flux-version`, `meshlens.fluxVersion`), else what the workspace says,
 * else undefined (rules then assume the newest known release and say so).
 * `file` is the file being checked: the clusters deploying it answer (see
 * `workspaceFluxRelease`).
 */
export function fluxReleaseInUse(model: WorkspaceModel, options: Pick<AnalysisOptions, 'fluxVersion'>, file?: string): { release: string; source: 'option' | 'workspace' } | undefined {
  const configured = fluxMinorOf(options.fluxVersion);
  if (configured) return { release: configured, source: 'option' };
  const detected = workspaceFluxRelease(model, file);
  return detected ? { release: detected, source: 'workspace' } : undefined;
}
