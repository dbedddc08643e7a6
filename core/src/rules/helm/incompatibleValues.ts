import type { CrossFileRule } from '../types';
import { reportHelmFacts, unknownSourcesNote } from './helmFacts';

export const incompatibleValues: CrossFileRule = {
  meta: {
    id: 'helm/cilium-incompatible-values',
    severity: 'error',
    title: 'Cilium Helm values that do not work together',
    anyDocument: true,
    crossFile: true,
    docs: {
      summary:
        'Combinations of Cilium chart values that the chart rejects or the agent refuses or ignores, evaluated on the effective values (chart defaults of the resolved version included). The combination id in the message names the case: hubble-relay-requires-hubble, hubble-ui-requires-relay, ingress-gateway-need-l7-proxy, envoy-frontends-need-explicit-kpr, ingress-gateway-without-kpr, kpr-without-api-server-address, native-routing-without-ipv4-cidr, netkit-with-tproxy, wireguard-with-ipsec, ipsec-with-host-firewall, egress-gateway-requires-bpf-masquerade, dsr-with-vxlan and the others in schemas/cilium-values/changes.json.',
      why: 'The chart stops with an error (the release fails), or the agent starts without the feature or crash-loops. The finding sits on the first involved key you wrote; when values come from Secrets meshlens cannot read, it is only a warning.',
      bad: 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: cilium, namespace: kube-system}\nspec:\n  interval: 1h\n  chart:\n    spec: {chart: cilium, version: 1.16.5, sourceRef: {kind: HelmRepository, name: cilium}}\n  values:\n    hubble:\n      enabled: false\n      relay:\n        enabled: true\n',
      good: 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: cilium, namespace: kube-system}\nspec:\n  interval: 1h\n  chart:\n    spec: {chart: cilium, version: 1.16.5, sourceRef: {kind: HelmRepository, name: cilium}}\n  values:\n    hubble:\n      enabled: true\n      relay:\n        enabled: true\n',
      source: 'Cilium chart templates (validate.yaml, fail calls) and agent option checks (schemas/cilium-values/changes.json, combinations)',
    },
  },
  check(context) {
    reportHelmFacts(context, 'combination', (fact) => {
      const note = unknownSourcesNote(fact.unknownSources);
      // Values meshlens could not read may undo the combination: then it is only a warning.
      const certain = (severity: 'error' | 'warning') => (note ? 'warning' : severity);
      if (fact.condition === 'catalog') {
        const { combination, chartFails, chartVersion, versionLabel } = fact;
        return {
          severity: certain(chartFails ? 'error' : combination.severity),
          message: `${combination.message}${chartFails ? ` (chart ${chartVersion} fails rendering)` : ''} [${combination.id}, ${versionLabel}]${note}`,
        };
      }
      if (fact.condition === 'config-dependency') {
        const { conflict, versionLabel } = fact;
        const keys = conflict.paths.map((path) => `\`${path.join('.')}\``);
        return {
          severity: certain('error'),
          message: `${keys.join(', ')} turn${keys.length === 1 ? 's' : ''} on ${conflict.title}, which needs ${conflict.dependencyTitle}; these values do not turn that on, so the agent refuses to start on every node, whatever the kernel [config dependency: ${conflict.featureId} needs ${conflict.dependencyId}, ${versionLabel}]${note}`,
        };
      }
      const { failure, chartVersion } = fact;
      const reason = failure.rule.message ? `: "${failure.rule.message.length > 160 ? `${failure.rule.message.slice(0, 157)}...` : failure.rule.message}"` : '';
      return {
        severity: certain('error'),
        message: `Cilium chart ${chartVersion} fails rendering with these values (${failure.userKeys.map((key) => `\`${key}\``).join(', ')})${reason} [chart-fail, templates/${failure.rule.file}]${note}`,
      };
    });
  },
};
