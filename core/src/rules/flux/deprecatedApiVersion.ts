/**
 * flux/deprecated-api-version: a Flux object written with an API version
 * that the workspace's Flux release (else the newest known one) deprecates or
 * no longer serves. The fix migrates the whole document (see flux/migrate.ts).
 */

import { mapGet } from '../../parse/ast';
import { FLUX_KIND_GROUPS } from '../../flux/fluxObjects';
import { fluxReleaseInUse } from '../../flux/fluxRelease';
import { apiVersionLifecycle, fluxServes, FLUX_VERSIONED_KINDS, lifecycleStatus, NEWEST_KNOWN_FLUX, servedSince } from '../../flux/fluxVersions';
import { migrationEdits } from '../../flux/migrate';
import type { CrossFileRule } from '../types';

export const deprecatedApiVersion: CrossFileRule = {
  meta: {
    id: 'flux/deprecated-api-version',
    severity: 'error',
    title: 'Flux API version deprecated or removed',
    kinds: FLUX_VERSIONED_KINDS,
    crossFile: true,
    tags: ['deprecated'],
    docs: {
      summary: 'A HelmRelease, Kustomization or source uses an API version that Flux deprecated or stopped serving.',
      why: 'Once the CRDs of a Flux upgrade stop serving a version, applying the manifest fails and the whole Kustomization holding it stalls. The Flux release is read from the workspace (gotk-components labels, a FluxInstance); without one, the newest known release is assumed. The quick-fix migrates the document, not just the `apiVersion` line: `valuesFile` becomes `valuesFiles`, `patchesStrategicMerge`/`patchesJson6902` become `patches`, and fields the new version dropped are removed. No fix is offered when the Flux release in use does not serve the target version yet, and `check --fix` applies the migration only when that release is known (from the workspace or `--flux-version`), not assumed.',
      bad: 'apiVersion: helm.toolkit.fluxcd.io/v2beta1\nkind: HelmRelease\nmetadata: {name: cilium, namespace: kube-system}\nspec:\n  interval: 1h\n  chart:\n    spec:\n      chart: cilium\n      valuesFile: values.yaml\n      sourceRef: {kind: HelmRepository, name: cilium}\n',
      good: 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: cilium, namespace: kube-system}\nspec:\n  interval: 1h\n  chart:\n    spec:\n      chart: cilium\n      valuesFiles:\n        - values.yaml\n      sourceRef: {kind: HelmRepository, name: cilium}\n',
      source: 'Flux CRDs (deprecationWarning, served versions) and changelogs of helm-, kustomize- and source-controller',
    },
    fix: { title: 'Migrate the document to the current API version', safe: 'varies' },
  },
  check(context) {
    const identity = context.resource;
    if (!identity || FLUX_KIND_GROUPS[identity.kind] !== identity.group) return;
    const lifecycle = apiVersionLifecycle(identity.group, identity.kind, identity.version);
    if (!lifecycle) return;
    const known = fluxReleaseInUse(context.workspace, context.options, context.file);
    const detected = known?.release;
    const release = detected ?? NEWEST_KNOWN_FLUX;
    const status = lifecycleStatus(lifecycle, release);
    if (status === 'current') return;
    const node = mapGet(context.root, 'apiVersion');
    if (!node) return;
    const replacement = `${lifecycle.group}/${lifecycle.replacement}`;
    const runs = known ? (known.source === 'option' ? `Flux ${known.release} as configured` : `the workspace runs Flux ${known.release}`) : `assuming Flux ${NEWEST_KNOWN_FLUX}`;
    const message =
      status === 'removed'
        ? `${identity.kind} ${identity.apiVersion} is no longer served since Flux ${lifecycle.removedIn} (${runs}): applying it fails and the Kustomization holding it stalls. Use ${replacement}.`
        : `${identity.kind} ${identity.apiVersion} is deprecated since Flux ${lifecycle.deprecatedIn} and stops being served in Flux ${lifecycle.removedIn} (${runs}). Use ${replacement}.`;
    if (!fluxServes(release, lifecycle.group, identity.kind, lifecycle.replacement)) {
      // Never migrate to a version the Flux in use rejects.
      const since = servedSince(lifecycle.group, identity.kind, lifecycle.replacement);
      context.report(node, `${message} No fix is offered: Flux ${release} does not serve ${replacement} yet${since ? ` (served since Flux ${since})` : ''}; upgrade Flux first.`, {
        severity: status === 'removed' ? 'error' : 'warning',
      });
      return;
    }
    const edits = migrationEdits(context.document.text, context.root, identity, lifecycle, release);
    context.report(node, edits ? message : `${message} Some fields need migrating by hand.`, {
      severity: status === 'removed' ? 'error' : 'warning',
      // Applied by `check --fix` only when the Flux release is known, not assumed.
      fixes: edits ? [{ title: `Migrate to ${replacement}`, safe: known !== undefined, preferred: true, edits }] : undefined,
    });
  },
};
