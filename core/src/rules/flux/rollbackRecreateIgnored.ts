/**
 * flux/rollback-recreate-ignored: `spec.rollback.recreate` of a HelmRelease
 * does nothing from Flux 2.8 on: helm-controller v1.5 moved to the Helm 4 SDK,
 * which removed pod recreation on rollback; the controller only warns. Before
 * 2.8 the field still works (Helm 3 merely deprecated it), so the rule keys on
 * the Flux release of the workspace (else the newest known one).
 */

import { deref, mapGetPair } from '../../parse/ast';
import { pairRemovalRange } from '../../flux/textEdits';
import { workspaceFluxRelease } from '../../flux/fluxRelease';
import { compareFluxReleases, NEWEST_KNOWN_FLUX } from '../../flux/fluxVersions';
import type { CrossFileRule } from '../types';

/** First Flux release whose helm-controller ignores `rollback.recreate` (Helm 4 SDK). */
export const RECREATE_IGNORED_SINCE = '2.8';

export const rollbackRecreateIgnored: CrossFileRule = {
  meta: {
    id: 'flux/rollback-recreate-ignored',
    severity: 'warning',
    title: 'HelmRelease rollback.recreate has no effect',
    kinds: ['HelmRelease'],
    crossFile: true,
    tags: ['deprecated', 'unnecessary'],
    docs: {
      summary: 'A HelmRelease sets `spec.rollback.recreate` while the workspace runs Flux 2.8 or later (or says nothing about its Flux release).',
      why: 'Since Flux 2.8 helm-controller uses the Helm 4 SDK, which no longer restarts pods on rollback: the field is kept in the CRD only for compatibility, logs a warning when true, and is due to be removed. A rollback that relied on it leaves the old pods running. The Flux release is read from the workspace (gotk-components labels, a FluxInstance); without one, the newest known release is assumed.',
      bad: 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: podinfo, namespace: apps}\nspec:\n  interval: 10m\n  chartRef: {kind: OCIRepository, name: podinfo}\n  rollback:\n    recreate: true\n    cleanupOnFail: true\n',
      good: 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: podinfo, namespace: apps}\nspec:\n  interval: 10m\n  chartRef: {kind: OCIRepository, name: podinfo}\n  rollback:\n    cleanupOnFail: true\n',
      source: 'fluxcd/helm-controller v1.6.3 CRD (rollback.recreate deprecation note); Flux 2.8 release (helm-controller v1.5, Helm 4)',
    },
    fix: { title: 'Remove rollback.recreate', safe: true },
  },
  check(context) {
    const spec = deref(mapGetPair(context.root, 'spec')?.value);
    const rollback = deref(mapGetPair(spec, 'rollback')?.value);
    const recreate = mapGetPair(rollback, 'recreate');
    if (!recreate) return;
    const detected = workspaceFluxRelease(context.workspace);
    const release = detected ?? NEWEST_KNOWN_FLUX;
    if (compareFluxReleases(release, RECREATE_IGNORED_SINCE) < 0) return;
    const runs = detected ? `the workspace runs Flux ${detected}` : `assuming Flux ${NEWEST_KNOWN_FLUX}`;
    const value = deref(recreate.value);
    const on = value?.type === 'scalar' && value.value === true;
    const message = on
      ? `rollback.recreate has no effect since Flux ${RECREATE_IGNORED_SINCE} (${runs}): helm-controller uses Helm 4, which no longer restarts pods on rollback, and only logs a warning. Remove it; a rollback leaves the old pods running.`
      : `rollback.recreate is ignored since Flux ${RECREATE_IGNORED_SINCE} (${runs}) and will be removed from the API; remove it.`;
    // The only key of `rollback`: remove the whole `rollback` (an empty `rollback:` would be null).
    const rollbackPair = mapGetPair(spec, 'rollback')!;
    const target = rollback?.type === 'map' && rollback.pairs.length === 1 ? rollbackPair : recreate;
    const flowWithOthers = rollback?.type === 'map' && rollback.flow && rollback.pairs.length > 1;
    const fixes = flowWithOthers
      ? undefined
      : [{ title: 'Remove rollback.recreate', safe: true, preferred: true, edits: [{ range: pairRemovalRange(context.document.text, target), newText: '' }] }];
    context.report(recreate.key, message, { fixes });
  },
};
