/**
 * flux/wait-ignores-health-checks: a Kustomization with `wait: true` and a
 * `healthChecks` list; with `wait` the controller checks every applied object
 * and never reads the list.
 */

import { mapGet, mapGetPair } from '../../parse/ast';
import { isFluxKind } from '../../flux/fluxObjects';
import type { Rule } from '../types';

export const waitIgnoresHealthChecks: Rule = {
  meta: {
    id: 'flux/wait-ignores-health-checks',
    severity: 'warning',
    title: 'healthChecks ignored because wait is true',
    kinds: ['Kustomization'],
    docs: {
      summary: 'A Kustomization sets `wait: true` and also lists `healthChecks`.',
      why: 'With `wait: true` kustomize-controller health-checks every object it applied and ignores `healthChecks` entirely. Checks on objects the Kustomization does not apply itself (a DaemonSet created by a HelmRelease, say) are silently dropped. Set `wait: false` to use the list, or remove the list.',
      bad: 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: cilium, namespace: flux-system}\nspec:\n  wait: true\n  healthChecks:\n    - {apiVersion: apps/v1, kind: DaemonSet, name: cilium, namespace: kube-system}\n',
      good: 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: cilium, namespace: flux-system}\nspec:\n  wait: false\n  healthChecks:\n    - {apiVersion: apps/v1, kind: DaemonSet, name: cilium, namespace: kube-system}\n',
      source: 'kustomize-controller docs/spec/v1/kustomizations.md (wait, healthChecks)',
    },
  },
  check(context) {
    if (!isFluxKind(context.resource, 'Kustomization')) return;
    const spec = mapGet(context.root, 'spec');
    const wait = mapGet(spec, 'wait');
    const checks = mapGetPair(spec, 'healthChecks');
    if (wait?.type !== 'scalar' || wait.value !== true || !checks || checks.value.type !== 'seq' || checks.value.items.length === 0) return;
    context.report(checks.key, '`wait: true` makes the controller check every applied object and ignore `healthChecks`; objects listed here that this Kustomization does not apply are never checked.');
  },
};
