import type { Rule } from '../types';
import { reportHelmFindings } from './reportHelmFindings';

export const incompatibleValues: Rule = {
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
    reportHelmFindings(context, 'combination');
  },
};
