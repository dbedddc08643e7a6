/**
 * The language server's platform in a web worker (vscode.dev, github.dev,
 * code-server's web extension host). A worker has no file system: the client
 * lists and reads workspace files through the VS Code workspace API on the
 * server's request (`clientFiles.ts`, whose invariants hold here: only files
 * under the workspace folders, referenced files asked once per scan, keys
 * from the folders' URIs). What needs Node (chart downloads, git revisions)
 * is absent: `limitation` says so once in the log, the compare request
 * answers with an error saying why.
 */

import { BrowserMessageReader, BrowserMessageWriter, createConnection, ProposedFeatures } from 'vscode-languageserver/browser';
import { COMPARE_REQUEST } from '../../protocol/src/messages';
import { ClientFiles } from './clientFiles';
import type { ServerPlatform } from './platform';
import { installUriMapping } from './uris';

/** Said once in the log when the server starts in a worker, and by the requests that need Node. */
export const BROWSER_LIMITATION =
  'meshlens runs in the browser here: files are read through the editor; Helm charts are not downloaded and effective policies cannot be compared with a git revision (VS Code desktop and the CLI do both).';

/** The worker's global scope as the message reader sees it (the repo compiles without DOM types). */
export interface WorkerScope {
  addEventListener(type: string, listener: (event: { data?: unknown; error?: unknown; reason?: unknown }) => void): void;
  postMessage(message: unknown): void;
}

export function browserPlatform(scope: WorkerScope): ServerPlatform {
  const files = new ClientFiles();
  // Every conversion of the server (diagnostics, fix edits, related locations, handlers) uses these keys.
  installUriMapping(files.keys);
  return {
    createConnection(options) {
      return createConnection(ProposedFeatures.all, new BrowserMessageReader(scope as never), new BrowserMessageWriter(scope as never), options);
    },
    attach: (connection) => files.attach(connection),
    uriToKey: (uri) => files.keys.uriToKey(uri),
    keyToUri: (key) => files.keys.keyToUri(key),
    setWorkspaceFolders: (uris) => files.keys.setFolders(uris),
    listYamlFiles: (roots, exclude) => files.listYamlFiles(roots, exclude),
    readWorkspaceFile: (file, maxBytes) => files.readWorkspaceFile(file, maxBytes),
    readReferencedFile: (path, maxBytes) => files.readReferencedFile(path, maxBytes),
    onDidReadReferencedFile: (listener) => files.onDidReadReferencedFile(listener),
    docsBaseUrl: (init) => (typeof init.docsBaseUri === 'string' && init.docsBaseUri !== '' ? init.docsBaseUri.replace(/\/+$/, '') : undefined),
    registerHandlers(context) {
      // Comparing with a git revision needs git and a file system: the request answers why not.
      context.connection.onRequest(COMPARE_REQUEST, () => ({ error: `not available in the browser: ${BROWSER_LIMITATION}` }));
    },
    onUncaughtError(listener) {
      scope.addEventListener('error', (event) => listener(asError(event.error)));
      scope.addEventListener('unhandledrejection', (event) => listener(asError(event.reason)));
    },
    limitation: BROWSER_LIMITATION,
  };
}

function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}
