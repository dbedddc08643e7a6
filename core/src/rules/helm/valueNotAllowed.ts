import type { CrossFileRule } from '../types';
import { renderScalar } from '../../helm/valueEdits';
import { closestMatches } from '../../util/editDistance';
import { describeValue, dotted, reportHelmFacts } from './helmFacts';

export const valueNotAllowed: CrossFileRule = {
  meta: {
    id: 'helm/value-not-allowed',
    severity: 'error',
    title: 'Cilium Helm value outside the allowed set',
    anyDocument: true,
    crossFile: true,
    docs: {
      summary: 'A Cilium chart value outside the closed set the resolved chart version accepts (routingMode, tunnelProtocol, ipam.mode, bpf.datapathMode, loadBalancer.mode/acceleration/algorithm, encryption.type, …); the message lists the allowed values.',
      why: 'The chart passes the value to the agent or operator, which refuses to start with it (or the chart fails outright): the rollout crash-loops.',
      bad: 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: cilium, namespace: kube-system}\nspec:\n  interval: 1h\n  chart:\n    spec: {chart: cilium, version: 1.16.5, sourceRef: {kind: HelmRepository, name: cilium}}\n  values:\n    routingMode: direct\n',
      good: 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: cilium, namespace: kube-system}\nspec:\n  interval: 1h\n  chart:\n    spec: {chart: cilium, version: 1.16.5, sourceRef: {kind: HelmRepository, name: cilium}}\n  values:\n    routingMode: native\n',
      source: 'schemas/cilium-values/enums.json (chart validation and agent option parsing per version)',
    },
    fix: { title: 'Change to the closest allowed value', safe: false },
  },
  check(context) {
    reportHelmFacts(context, 'enum', ({ write, allowed, versionLabel }) => {
      const shown = [...new Set(allowed.map((candidate) => renderScalar(candidate)))].join(', ');
      const closest = typeof write.value === 'string' ? closestMatches(write.value, allowed.filter((candidate): candidate is string => typeof candidate === 'string' && candidate !== '')) : [];
      return {
        severity: 'error',
        message: `\`${dotted(write.path)}\` cannot be ${describeValue(write.value)} in ${versionLabel} (allowed: ${shown}); the agent or chart rejects it`,
        fixes: closest.slice(0, 3).map((candidate, index) => ({
          title: `Change to ${candidate}`,
          safe: false,
          preferred: index === 0,
          edits: [{ range: write.valueAt, newText: renderScalar(candidate) }],
        })),
      };
    });
  },
};
