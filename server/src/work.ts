/**
 * Long work in the single-threaded server without blocking it: the workspace
 * scan, the re-check of every file and the code lenses of a big document run
 * in slices of a few milliseconds and give the event loop back in between
 * (`setImmediate` on Node, a `MessageChannel` turn in a web worker), so a hover or completion that arrives meanwhile is
 * answered after at most about one slice. Requests honour `$/cancelRequest`:
 * the token is checked between slices, and a cancelled request is answered
 * with the LSP error `RequestCancelled` (a request whose document changed
 * under it with `ContentModified`), as the protocol says.
 *
 * Invariant: a slice is measured in time, not in items (the cost of a file or
 * a rule varies by orders of magnitude); nothing here changes results, only
 * when they are computed.
 */

import { LSPErrorCodes, ResponseError, type CancellationToken, type Connection, type ConnectionStrategy, type Message, type RequestMessage, type ResponseMessage, type WorkDoneProgressServerReporter } from 'vscode-languageserver';

/** Milliseconds of work before the event loop is given back. */
export const WORK_SLICE_MS = 8;

let sliceStart = performance.now();

/** True when the current slice has used its time. */
export function sliceUsed(): boolean {
  return performance.now() - sliceStart >= WORK_SLICE_MS;
}

/**
 * Runs a callback in a later turn of the event loop, after pending messages. A web worker has no
 * `setImmediate`; a nested `setTimeout(0)` would be clamped to 4 ms, a MessageChannel turn is not.
 */
const nextTurn: (callback: () => void) => void =
  typeof setImmediate === 'function'
    ? (callback) => void setImmediate(callback)
    : (() => {
        const waiting: (() => void)[] = [];
        const channel = new MessageChannel();
        // Typed from Node's MessagePort, which this branch never sees; a browser's port starts when `onmessage` is set.
        (channel.port1 as unknown as { onmessage: (() => void) | null }).onmessage = () => waiting.shift()?.();
        return (callback: () => void) => {
          waiting.push(callback);
          channel.port2.postMessage(undefined);
        };
      })();

/** Gives the event loop back (pending messages are read and dispatched), then starts a new slice. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) =>
    nextTurn(() => {
      sliceStart = performance.now();
      resolve();
    }),
  );
}

export function cancelledError(): ResponseError<void> {
  return new ResponseError(LSPErrorCodes.RequestCancelled, 'request cancelled');
}

export function contentModifiedError(): ResponseError<void> {
  return new ResponseError(LSPErrorCodes.ContentModified, 'the document changed while the request was computed');
}

/**
 * Answers a request that was cancelled before it was dispatched (still in the
 * message queue) right away, without running its handler.
 */
export const connectionStrategy: ConnectionStrategy = {
  cancelUndispatched: (message: Message): ResponseMessage => ({
    jsonrpc: '2.0',
    id: (message as RequestMessage).id ?? null,
    error: { code: LSPErrorCodes.RequestCancelled, message: 'request cancelled' },
  }),
};

/**
 * Runs work in steps (a generator that yields between units of work), giving
 * the event loop back before the first step and whenever a slice is used. Between slices it stops with
 * `RequestCancelled` when the token is cancelled, or with `ContentModified`
 * when `stillCurrent` says the input changed.
 */
export async function runInSlices<T>(steps: Generator<void, T, void>, token: CancellationToken, stillCurrent: () => boolean = () => true): Promise<T | ResponseError<void>> {
  try {
    // One turn of the event loop first: a `$/cancelRequest` (or an edit) that arrived with the request is seen before
    // any work, however fast the work would be.
    await yieldToEventLoop();
    for (;;) {
      if (token.isCancellationRequested) return cancelledError();
      if (!stillCurrent()) return contentModifiedError();
      const next = steps.next();
      if (next.done) return next.value;
      if (sliceUsed()) await yieldToEventLoop();
    }
  } finally {
    steps.return(undefined as T);
  }
}

/**
 * Runs work in steps for the server itself (no request, no token): gives the
 * event loop back whenever a slice is used (after calling `onSlice`);
 * undefined when `stillCurrent` says the input changed
 * between steps (the result would be stale).
 */
export async function runStepsInSlices<T>(steps: Generator<void, T, void>, stillCurrent: () => boolean, onSlice?: () => void): Promise<{ value: T } | undefined> {
  try {
    for (;;) {
      const next = steps.next();
      if (next.done) return { value: next.value };
      if (sliceUsed()) {
        onSlice?.();
        await yieldToEventLoop();
        if (!stillCurrent()) return undefined;
      }
    }
  } finally {
    steps.return(undefined as T);
  }
}

/**
 * A `window/workDoneProgress` bar for server-started work (the workspace
 * scan). Creating it asks the client, which may answer late or not at all:
 * the work never waits for that answer, reports made before it are folded
 * into the first message sent, and a bar the client refused stays silent.
 */
export class ServerProgress {
  private reporter: WorkDoneProgressServerReporter | undefined;
  private latest: { percentage: number; message: string } = { percentage: 0, message: '' };
  private finished = false;
  private begun = false;

  constructor(connection: Connection, private readonly title: string) {
    connection.window
      .createWorkDoneProgress()
      .then((reporter) => {
        this.reporter = reporter;
        this.reporter.begin(this.title, this.latest.percentage, this.latest.message, false);
        this.begun = true;
        if (this.finished) this.reporter.done();
      })
      .catch(() => undefined);
  }

  report(percentage: number, message: string): void {
    this.latest = { percentage: Math.max(0, Math.min(100, Math.floor(percentage))), message };
    if (this.begun && !this.finished) this.reporter?.report(this.latest.percentage, message);
  }

  done(): void {
    if (this.finished) return;
    this.finished = true;
    if (this.begun) this.reporter?.done();
  }
}
