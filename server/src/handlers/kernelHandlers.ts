/**
 * Kernel requests:
 * - `meshlens/kernelMatrix`: the kernel-feature model. Params `{ cilium, kernel?, values? }` return the
 *   matrix of that Cilium version (as `meshlens kernel --cilium` prints it); params without `cilium`
 *   (optionally `{ uri }` to narrow to one file) return the verdicts of the workspace's Cilium releases
 *   and NodeProfiles. Plain data from the core.
 * - `meshlens/kernelReport`: the kernel report view (`meshlens.showKernelReport`, the kernel CodeLens) as
 *   the core renders it in Markdown, for one HelmRelease (`{ file, document }`), the releases of a file
 *   (`{ uri }`) or the whole workspace, with paths relative to the workspace folders.
 */

import { kernelMatrixModel, workspaceKernelReport, type KernelMatrixModel, type WorkspaceKernelReport } from '../../../core/src/index';
import { relativeDisplay, releaseKernelReport, renderKernelReport, withDisplayPaths } from '../../../core/src/index';
import { RequestType, type ResponseError } from 'vscode-languageserver';
import { cancelledError } from '../work';
import { uriToKey } from '../uris';
import type { HandlerContext } from './context';
import {
  KERNEL_MATRIX_REQUEST,
  KERNEL_REPORT_REQUEST,
  type KernelMatrixParams,
  type KernelMatrixResponse,
  type KernelReportParams,
  type KernelReportResponse,
} from '../../../protocol/src/messages';

const KERNEL_MATRIX_REQUEST_TYPE = new RequestType<KernelMatrixParams | undefined, KernelMatrixResponse, void>(KERNEL_MATRIX_REQUEST);
const KERNEL_REPORT_REQUEST_TYPE = new RequestType<KernelReportParams | undefined, KernelReportResponse, void>(KERNEL_REPORT_REQUEST);


export function registerKernelHandlers(context: HandlerContext): void {
  context.connection.onRequest(KERNEL_MATRIX_REQUEST_TYPE, (params: KernelMatrixParams | undefined, token): KernelMatrixModel | WorkspaceKernelReport | ResponseError<void> => {
    if (token.isCancellationRequested) return cancelledError();
    const request = params ?? {};
    if (typeof request.cilium === 'string') {
      return kernelMatrixModel({
        cilium: request.cilium,
        ...(typeof request.kernel === 'string' ? { kernel: request.kernel } : {}),
        ...(request.values !== undefined ? { values: request.values } : {}),
      });
    }
    const options = context.options();
    const report = workspaceKernelReport(context.service.workspace, typeof request.kernel === 'string' ? { ...options, kernelVersion: request.kernel } : options);
    if (typeof request.uri !== 'string') return report;
    const file = uriToKey(request.uri);
    return { releases: report.releases.filter((release) => release.file === file), profiles: report.profiles.filter((profile) => profile.profile?.file === file) };
  });

  context.connection.onRequest(KERNEL_REPORT_REQUEST_TYPE, (params: KernelReportParams | undefined, token): KernelReportResponse | ResponseError<void> => {
    if (token.isCancellationRequested) return cancelledError();
    const report = workspaceKernelReport(context.service.workspace, context.options());
    let shown: WorkspaceKernelReport = report;
    let scope: 'release' | 'workspace' = 'workspace';
    if (typeof params?.file === 'string' && typeof params.document === 'number') {
      const release = releaseKernelReport(report, params.file, params.document);
      if (!release) return { error: 'That Cilium HelmRelease is no longer in the workspace (moved, renamed or not a Cilium release any more).' };
      [shown, scope] = [release, 'release'];
    } else if (typeof params?.uri === 'string') {
      // The Cilium releases of that file; the whole workspace when it holds none.
      const file = uriToKey(params.uri);
      const releases = report.releases.filter((release) => release.file === file);
      if (releases.length === 1) [shown, scope] = [releaseKernelReport(report, file, releases[0]!.document)!, 'release'];
      else if (releases.length > 1) shown = { releases, profiles: report.profiles };
    }
    const display = relativeDisplay([...context.service.roots()]);
    const single = scope === 'release' ? shown.releases[0] : undefined;
    const title = single ? `kernel ${single.namespace ? `${single.namespace}/` : ''}${single.name ?? 'cilium'}` : 'kernel report';
    return { markdown: renderKernelReport(withDisplayPaths(shown, display), 'markdown', scope), title };
  });
}
