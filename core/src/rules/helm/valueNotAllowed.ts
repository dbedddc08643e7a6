import type { Rule } from '../types';
import { reportHelmFindings } from './reportHelmFindings';

export const valueNotAllowed: Rule = {
  meta: {
    id: 'helm/value-not-allowed',
    severity: 'error',
    title: 'Cilium Helm value outside the allowed set',
    anyDocument: true,
    crossFile: true,
    docs: {
      summary: 'A Cilium chart value outside the closed set the resolved chart version accepts (routingMode, tunnelProtocol, ipam.mode, bpf.datapathMode, loadBalancer.mode/acceleration/algorithm, encryption.type, …); the message lists the allowed values.',
      why: 'The chart passes the value to the agent or operator, which refuses to start with it (or the chart fails outright): the rollout crash-loops.',
      bad: 'values:\n  routingMode: direct\n',
      good: 'values:\n  routingMode: native\n',
      source: 'schemas/cilium-values/enums.json (chart validation and agent option parsing per version)',
    },
    fix: { title: 'Change to the closest allowed value', safe: false },
  },
  check(context) {
    reportHelmFindings(context, 'enum');
  },
};
