import type { CrossFileRule } from '../types';
import { renderValueEdits } from '../../helm/valueEdits';
import type { RuleEdit, RuleFix } from '../types';
import { dotted, reportHelmFacts } from './helmFacts';

export const unknownValueKey: CrossFileRule = {
  meta: {
    id: 'helm/unknown-value-key',
    severity: 'warning',
    title: 'Helm value the chart does not have',
    anyDocument: true,
    crossFile: true,
    docs: {
      summary:
        'A key under a HelmRelease\'s values (inline, or in a ConfigMap or values file it reads) that the chart version does not define: checked against the Cilium value catalog of the resolved chart version, or against the values.yaml of a chart folder in the workspace.',
      why: 'Helm passes unknown keys to the templates, which never read them: a misspelled or moved setting silently does nothing. Keys the chart only shows commented out are valid; free-form maps (labels, resources, extraConfig, …) are not checked. A near key or a known rename is suggested.',
      bad: 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: cilium, namespace: kube-system}\nspec:\n  interval: 1h\n  chart:\n    spec: {chart: cilium, version: 1.16.5, sourceRef: {kind: HelmRepository, name: cilium}}\n  values:\n    hubble:\n      relay:\n        enabeld: true\n',
      good: 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: cilium, namespace: kube-system}\nspec:\n  interval: 1h\n  chart:\n    spec: {chart: cilium, version: 1.16.5, sourceRef: {kind: HelmRepository, name: cilium}}\n  values:\n    hubble:\n      relay:\n        enabled: true\n',
      source: 'Cilium chart values.yaml per minor line (schemas/cilium-values); Helm value coalescing',
    },
    fix: { title: 'Change to the suggested key', safe: false },
  },
  check(context) {
    reportHelmFacts(context, 'unknown-key', (fact) => {
      const { write } = fact;
      if (fact.chart === 'local') {
        const parent = write.path.slice(0, -1);
        const hint = fact.suggestions.length ? `; did you mean \`${[...parent, fact.suggestions[0]].join('.')}\`?` : '.';
        return {
          severity: 'warning',
          message: `\`${dotted(write.path)}\` is not in the values.yaml of ${fact.chartLabel}${hint} Helm ignores it silently`,
          fixes: fact.suggestions.map((suggestion, index) => ({
            title: `Change to "${[...parent, suggestion].join('.')}"`,
            safe: false,
            preferred: index === 0,
            edits: [{ range: write.keyAt, newText: suggestion }],
          })),
        };
      }
      const fixes: RuleFix[] = [];
      fact.suggestions.forEach((suggestion, index) => {
        const target = suggestion.path.split('.');
        const sameParent = target.length === write.path.length && target.slice(0, -1).every((segment, i) => segment === write.path[i]);
        let edits: RuleEdit[] | undefined;
        if (sameParent) edits = [{ range: write.keyAt, newText: target[target.length - 1] }];
        else if (write.source) edits = renderValueEdits(write.source, [{ op: 'unset', path: [...write.path] }, { op: 'set', path: target, value: write.value }]) as RuleEdit[] | undefined;
        // A rename the catalog records is the same setting under its new name; a near name is a guess.
        if (edits && edits.length > 0) fixes.push({ title: `Change to "${suggestion.path}"`, safe: suggestion.reason === 'renamed', preferred: index === 0, edits });
      });
      const hint = fact.suggestions.length > 0 ? `; did you mean ${fact.suggestions.map((s) => `\`${s.path}\`${s.reason === 'renamed' ? ' (renamed)' : ''}`).join(' or ')}?` : '.';
      return {
        severity: 'warning',
        message: fact.lastSeen
          ? `\`${dotted(write.path)}\` is no longer a value of Cilium chart ${fact.chartVersion} (last in chart ${fact.lastSeen})${hint} Helm ignores it silently`
          : `\`${dotted(write.path)}\` is not a value of Cilium chart ${fact.chartVersion}${hint} Helm ignores it silently`,
        fixes,
      };
    });
  },
};
