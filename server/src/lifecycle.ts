/**
 * The LSP lifecycle the protocol prescribes, enforced before any handler
 * runs (as a vscode-jsonrpc message strategy):
 * - before `initialize`: requests are answered with ServerNotInitialized
 *   (-32002), notifications other than `exit` are dropped;
 * - a second `initialize` is answered with InvalidRequest;
 * - after `shutdown`: requests are answered with InvalidRequest and
 *   notifications other than `exit` are dropped;
 * - `exit` ends the process with 0 after `shutdown`, 1 otherwise (done by
 *   vscode-languageserver, which sees the same `shutdown`).
 * A refused request is rewritten to a method the server answers with the
 * error, so the refusal goes through the normal response path.
 *
 * For stdio, the message reader is made in `nodePlatform.ts` so its errors are seen: a
 * header without a usable `Content-Length` leaves the byte stream without a
 * known message boundary, so the server logs the error on stderr and exits
 * with code 1 (the client restarts it) instead of waiting silently; a body
 * that does not arrive in full is logged while it is awaited.
 */

import {
  ErrorCodes,
  ResponseError,
  type Connection,
  type Message,
  type MessageStrategy,
  type RequestMessage,
} from 'vscode-languageserver';

const REFUSED_METHOD = '$/meshlens/refusedByLifecycle';

type State = 'new' | 'initialized' | 'shutdown';

export class Lifecycle {
  private state: State = 'new';
  /** Why each rewritten request (by id) was refused. */
  private readonly refusals = new Map<string | number, ResponseError<void>>();

  get shutdownRequested(): boolean {
    return this.state === 'shutdown';
  }

  readonly strategy: MessageStrategy = {
    handleMessage: (message: Message, next: (message: Message) => void) => {
      const candidate = message as Partial<RequestMessage>;
      if (typeof candidate.method !== 'string') return next(message); // a response
      const isRequest = candidate.id !== undefined && candidate.id !== null;
      if (!isRequest) {
        if (candidate.method === 'exit') return next(message);
        if (this.state === 'shutdown') return undefined;
        if (this.state === 'new' && candidate.method !== 'initialized') return undefined;
        return next(message);
      }
      const refusal = this.refusalFor(candidate.method);
      if (!refusal) return next(message);
      this.refusals.set(candidate.id!, refusal);
      return next({ ...candidate, method: REFUSED_METHOD, params: { id: candidate.id } } as Message);
    },
  };

  /** Answers the rewritten requests with their errors. */
  register(connection: Connection): void {
    connection.onRequest(REFUSED_METHOD, (params: { id?: string | number }) => {
      const error = (params?.id !== undefined ? this.refusals.get(params.id) : undefined) ?? new ResponseError(ErrorCodes.InvalidRequest, 'request refused');
      if (params?.id !== undefined) this.refusals.delete(params.id);
      return error;
    });
  }

  private refusalFor(method: string): ResponseError<void> | undefined {
    if (method === 'initialize') {
      if (this.state !== 'new') return new ResponseError(ErrorCodes.InvalidRequest, 'the server is already initialized');
      this.state = 'initialized';
      return undefined;
    }
    if (this.state === 'new') return new ResponseError(ErrorCodes.ServerNotInitialized, 'the server is not initialized yet');
    if (this.state === 'shutdown') return new ResponseError(ErrorCodes.InvalidRequest, 'the server is shutting down');
    if (method === 'shutdown') this.state = 'shutdown';
    return undefined;
  }
}
