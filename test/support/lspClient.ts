/**
 * A small LSP client for tests: starts a bundled meshlens server over stdio,
 * initializes it on a workspace folder, records published diagnostics and can
 * wait for them. Used by the protocol, edit-sequence and chart-download tests.
 */

import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { keyToUri } from '../../server/src/uris';
import { repoRoot } from './repo';

export interface LspSession {
  connection: MessageConnection;
  process: ChildProcess;
  published: Map<string, Diagnostic[]>;
  /** Resolves with the diagnostics of `uri` once `predicate` holds for the latest publication. */
  waitFor(uri: string, predicate: (diagnostics: Diagnostic[]) => boolean, timeoutMs?: number): Promise<Diagnostic[]>;
  /** shutdown + exit, then ends the process. */
  stop(): Promise<void>;
}

export interface StartOptions {
  root: string;
  /** The workspace folder's URI (default: the `file:` URI of `root`), e.g. a `vscode-vfs:` folder. */
  folderUri?: string;
  /** Server bundle; default `dist/server.js`. */
  bundle?: string;
  initializationOptions?: object;
  capabilities?: object;
  /** Answer to every `workspace/configuration` item (the `meshlens` section). */
  settings?: unknown;
  /** Answer per item by its scope (a workspace folder's URI, undefined for the window); wins over `settings`. */
  scopedSettings?: (scopeUri: string | undefined) => unknown;
  /** Environment of the server process (default: this process's). */
  env?: NodeJS.ProcessEnv;
  /** Registers more handlers before the connection listens (so nothing the server sends early is missed). */
  onConnection?: (connection: MessageConnection) => void;
}

export async function startLanguageServer(options: StartOptions): Promise<LspSession> {
  const child = spawn(process.execPath, [options.bundle ?? join(repoRoot, 'dist', 'server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], ...(options.env ? { env: options.env } : {}) });
  // After `exit` the server closes its end; a late write must not become an unhandled EPIPE.
  child.stdin!.on('error', () => undefined);
  const connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const published = new Map<string, Diagnostic[]>();
  const waiters: (() => void)[] = [];
  connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
    published.set(params.uri, params.diagnostics);
    waiters.splice(0).forEach((wake) => wake());
  });
  connection.onRequest('workspace/configuration', (params: { items: { scopeUri?: string }[] }) =>
    params.items.map((item) => (options.scopedSettings ? options.scopedSettings(item.scopeUri) : (options.settings ?? {}))),
  );
  connection.onRequest('client/registerCapability', () => null);
  connection.onRequest('workspace/diagnostic/refresh', () => null);
  options.onConnection?.(connection);
  connection.listen();
  const folderUri = options.folderUri ?? keyToUri(options.root);
  await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: folderUri,
    workspaceFolders: [{ uri: folderUri, name: 'test' }],
    capabilities: options.capabilities ?? { workspace: { configuration: true } },
    initializationOptions: options.initializationOptions ?? {},
  });
  await connection.sendNotification('initialized', {});
  return {
    connection,
    process: child,
    published,
    waitFor: (uri, predicate, timeoutMs = 15_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no matching diagnostics for ${uri}; last: ${JSON.stringify(published.get(uri))}`)), timeoutMs);
        const check = () => {
          const diagnostics = published.get(uri);
          if (diagnostics && predicate(diagnostics)) {
            clearTimeout(timer);
            resolve(diagnostics);
          } else waiters.push(check);
        };
        check();
      }),
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      try {
        await connection.sendRequest('shutdown');
        await connection.sendNotification('exit').catch(() => undefined);
      } catch {
        // already gone
      }
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 2000))]);
      connection.dispose();
      child.kill();
    },
  };
}
