import type { CrossFileRule } from '../types';
import { renderScalar, renderValueEdits } from '../../helm/valueEdits';
import type { ValueEdit } from '../../cilium/valuesCatalog';
import type { RuleEdit, RuleFix } from '../types';
import { dotted, reportHelmFacts } from './helmFacts';

export const obsoleteValue: CrossFileRule = {
  meta: {
    id: 'helm/obsolete-value',
    severity: 'warning',
    title: 'Renamed, removed or deprecated Cilium Helm value',
    anyDocument: true,
    crossFile: true,
    docs: {
      summary:
        'A Cilium chart value that the resolved chart version renamed, removed, re-typed or deprecated (e.g. `tunnel: vxlan`, `kubeProxyReplacement: strict`, `encryption.keyFile`), with a quick-fix where the migration is mechanical and an explanation where a human must decide.',
      why: 'When the chart `fail`s on a removed key the release does not install (error); otherwise the key is silently ignored and the cluster runs with the default instead of your setting (warning). Deprecated keys still work but will stop working on the next upgrade.',
      bad: 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: cilium, namespace: kube-system}\nspec:\n  interval: 1h\n  chart:\n    spec: {chart: cilium, version: 1.16.5, sourceRef: {kind: HelmRepository, name: cilium}}\n  values:\n    tunnel: vxlan\n',
      good: 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: cilium, namespace: kube-system}\nspec:\n  interval: 1h\n  chart:\n    spec: {chart: cilium, version: 1.16.5, sourceRef: {kind: HelmRepository, name: cilium}}\n  values:\n    routingMode: tunnel\n    tunnelProtocol: vxlan\n',
      source: 'Cilium upgrade notes and chart templates per minor line (schemas/cilium-values/changes.json)',
    },
    fix: { title: 'Apply the mechanical migration', safe: true },
    tags: ['deprecated'],
  },
  check(context) {
    reportHelmFacts(context, 'obsolete', ({ chartVersion, change, write }) => {
      const when =
        change.state === 'removed'
          ? change.chartFails
            ? `Cilium chart ${chartVersion} fails rendering on it`
            : `ignored by Cilium chart ${chartVersion}`
          : `deprecated since ${change.deprecatedIn ?? '?'}${change.removedIn ? `, removed in ${change.removedIn}` : ''}`;
      const fixes: RuleFix[] = [];
      const edits = change.edits && write.source ? renderValueEdits(write.source, change.edits) : undefined;
      if (change.edits && edits && edits.length > 0) fixes.push({ title: describeEdits(change.edits), safe: true, preferred: true, edits: edits as RuleEdit[] });
      return {
        severity: change.state === 'removed' ? change.severity : 'warning',
        message: `${change.message.replace(/\.\s*$/, '')} (${when}).${change.manual ? ` ${change.manual}` : ''}`,
        fixes,
      };
    });
  },
};

/** The title of a migration fix (plain text in editors: values are quoted, not back-ticked). */
function describeEdits(edits: readonly ValueEdit[]): string {
  const unset = edits.filter((edit) => edit.op === 'unset').map((edit) => `"${dotted(edit.path)}"`);
  const set = edits.flatMap((edit) => (edit.op === 'set' ? [`"${dotted(edit.path)}: ${renderScalar(edit.value)}"`] : []));
  if (unset.length > 0 && set.length > 0) return `Replace ${unset.join(', ')} with ${set.join(', ')}`;
  if (unset.length > 0) return `Remove ${unset.join(', ')}`;
  return `Set ${set.join(', ')}`;
}
