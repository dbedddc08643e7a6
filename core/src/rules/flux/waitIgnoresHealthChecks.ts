/**
 * flux/wait-ignores-health-checks: a Kustomization with `wait: true` and a
 * `healthChecks` list; with `wait` the controller checks every applied object
 * and never reads the list. That only changes anything for listed objects the
 * Kustomization does not apply itself (a DaemonSet a HelmRelease creates, an
 * object of another Kustomization): when every entry names an object this
 * Kustomization's own build applies, the list is redundant and nothing is
 * reported.
 */

import { mapGet, mapGetPair } from '../../parse/ast';
import { isFluxKind } from '../../flux/fluxObjects';
import { deployedByKustomization } from '../../gitops/placement';
import { k8sIndex } from '../../policy/k8sIndex';
import type { CrossFileRule, RuleContext } from '../types';
import { healthCheckEntries, type HealthCheckEntry } from './healthCheckKinds';

export const waitIgnoresHealthChecks: CrossFileRule = {
  meta: {
    id: 'flux/wait-ignores-health-checks',
    severity: 'warning',
    title: 'healthChecks ignored because wait is true',
    kinds: ['Kustomization'],
    crossFile: true,
    docs: {
      summary: 'A Kustomization sets `wait: true` and also lists `healthChecks` on objects it does not apply itself.',
      why: 'With `wait: true` kustomize-controller health-checks every object it applied and ignores `healthChecks` entirely. Checks on objects the Kustomization does not apply itself (a DaemonSet created by a HelmRelease, say) are silently dropped. Set `wait: false` to use the list, or remove the list. Entries naming objects that this Kustomization applies are checked by `wait` anyway, so a list of only those is not reported.',
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
    const entries = healthCheckEntries(context.resource, context.root);
    const unapplied = entries.filter((entry) => !appliedHere(context, entry));
    // Every entry names an object `wait` checks anyway (or the list has no readable entry): nothing is lost.
    if (unapplied.length === 0 && entries.length > 0) return;
    const named = unapplied
      .slice(0, 3)
      .map((entry) => `${entry.kind ?? '?'} ${entry.namespace ? `${entry.namespace}/` : ''}${entry.name ?? '?'}`)
      .join(', ');
    const more = unapplied.length > 3 ? ` and ${unapplied.length - 3} more` : '';
    const which = named ? ` (${named}${more})` : '';
    context.report(checks.key, `\`wait: true\` makes the controller check every applied object and ignore \`healthChecks\`; objects listed here that this Kustomization does not apply${which} are never checked.`);
  },
};

/** True when this Kustomization's own build applies an object of the entry's kind, name and namespace. */
function appliedHere(context: RuleContext, entry: HealthCheckEntry): boolean {
  if (!entry.kind || !entry.name) return false;
  const self = { file: context.file, index: context.documentIndex };
  const index = k8sIndex(context.workspace);
  return context.workspace.byKind(entry.kind).some((document) => {
    if (document.identity.name !== entry.name) return false;
    if (!deployedByKustomization(context.workspace, self, document.file)) return false;
    if (!entry.namespace) return true;
    const resolved = index.effectiveNamespace(document.file, document.identity.namespace);
    return resolved.origin === 'default' || resolved.namespace === entry.namespace;
  });
}
