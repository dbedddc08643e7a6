/**
 * `meshlens/kernelMatrix`: the kernel-feature model for a future command.
 * Params `{ cilium, kernel?, values? }` return the matrix of that Cilium
 * version (as `meshlens kernel --cilium` prints it); params without `cilium`
 * (optionally `{ uri }` to narrow to one file) return the verdicts of the
 * workspace's Cilium releases and NodeProfiles. Plain data from the core.
 */

import { kernelMatrixModel, workspaceKernelReport, type KernelMatrixModel, type WorkspaceKernelReport } from '../../../core/src/index';
import { RequestType, type ResponseError } from 'vscode-languageserver';
import { cancelledError } from '../work';
import { uriToKey } from '../uris';
import type { HandlerContext } from './context';
import { KERNEL_MATRIX_REQUEST, type KernelMatrixParams, type KernelMatrixResponse } from '../../../protocol/src/messages';

const KERNEL_MATRIX_REQUEST_TYPE = new RequestType<KernelMatrixParams | undefined, KernelMatrixResponse, void>(KERNEL_MATRIX_REQUEST);


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
}
