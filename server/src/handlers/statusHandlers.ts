/** `meshlens/status`: the Cilium version and kernel pools in effect for a file (for the status bar). */

import { statusLine } from '../../../core/src/index';
import { uriToKey } from '../uris';
import { cancelledError } from '../work';
import type { HandlerContext } from './context';
import { STATUS_REQUEST, type StatusParams, type StatusResponse } from '../../../protocol/src/messages';

export function registerStatusHandlers(context: HandlerContext): void {
  context.connection.onRequest(STATUS_REQUEST, (params: StatusParams, token) => {
    if (token.isCancellationRequested) return cancelledError();
    const file = context.syncedFile(params.uri)?.file ?? uriToKey(params.uri);
    const status = context.service.status(file, context.options());
    const answer: StatusResponse = { ...status, text: statusLine(status) };
    return answer;
  });
}
