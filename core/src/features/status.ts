/**
 * What is in effect for a file: the Cilium version its policies and values
 * are judged against (and where that comes from) and the node pools whose
 * kernels its features are checked against. The editor shows it in the status
 * bar, so a user can tell why a finding appears.
 */

import type { AnalysisOptions } from '../options';
import { clusterCiliumContext } from '../policy/ciliumContext';
import { poolsForFile, shortKernel } from '../kernel/nodeProfiles';
import type { WorkspaceView } from '../workspace/workspace';

export interface FileStatus {
  cilium: { minor: string; source: 'helmrelease' | 'setting' | 'default'; releaseFile?: string };
  kernel: { origin: 'profiles' | 'setting' | 'none'; pools: { name: string; kernel: string }[]; directory?: string };
  files: number;
  resources: number;
}

export function fileStatus(workspace: WorkspaceView, file: string, options: AnalysisOptions): FileStatus {
  const cilium = clusterCiliumContext(workspace, options, file);
  const pools = poolsForFile(workspace, file, options);
  return {
    cilium: { minor: cilium.minor, source: cilium.source, releaseFile: cilium.helmRelease?.file },
    kernel: { origin: pools.origin, pools: pools.pools.map((pool) => ({ name: pool.name, kernel: shortKernel(pool) })), directory: pools.directory },
    files: workspace.files().length,
    resources: workspace.resources().length,
  };
}

/** One line for a status bar: `Cilium 1.16 · kernels general 6.8, legacy 5.4`. */
export function statusLine(status: FileStatus): string {
  const kernels =
    status.kernel.origin === 'none' ? 'no kernel profile' : `kernel${status.kernel.pools.length === 1 ? '' : 's'} ${status.kernel.pools.map((pool) => `${pool.name} ${pool.kernel}`).join(', ')}`;
  return `Cilium ${status.cilium.minor}${status.cilium.source === 'default' ? ' (assumed)' : ''} · ${kernels}`;
}
