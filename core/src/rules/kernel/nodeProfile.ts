/**
 * kernel/node-profile: a NodeProfile whose facts cannot be used — a kernel
 * string that is not a release, a bpftool probe outside the workspace,
 * missing, or not bpftool JSON. Reported at the offending value.
 */

import type { CrossFileRule } from '../types';
import { reportKernelFacts } from './support';

export const nodeProfile: CrossFileRule = {
  meta: {
    id: 'kernel/node-profile',
    severity: 'error',
    title: 'NodeProfile facts that cannot be used',
    kinds: ['NodeProfile'],
    crossFile: true,
    docs: {
      summary: 'A NodeProfile\'s kernel release cannot be read, or its `bpftoolProbe` file is outside the workspace, missing or not `bpftool -j feature probe` output.',
      why: 'The kernel checks of every Cilium release under the profile\'s folder rely on these facts. An unusable probe means features are judged by the version number alone; an unreadable kernel means the pool is judged by nothing but its probe and kernelConfig.',
      bad: 'apiVersion: meshlens.dev/v1alpha1\nkind: NodeProfile\nmetadata: {name: legacy}\nspec:\n  kernel: 5.4.0-91-generic\n  bpftoolProbe: ../../etc/passwd\n',
      good: 'apiVersion: meshlens.dev/v1alpha1\nkind: NodeProfile\nmetadata: {name: legacy}\nspec:\n  kernel: 5.4.0-91-generic\n',
      source: 'meshlens NodeProfile schema (schemas/resources/meshlens.dev_v1alpha1_nodeprofile.json)',
    },
  },
  check(context) {
    reportKernelFacts(context, 'node-profile', ({ problem }) => ({ severity: 'error', message: problem }));
  },
};
