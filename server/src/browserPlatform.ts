/**
 * The language server's platform in a web worker (vscode.dev, github.dev,
 * code-server's web extension host). A worker has no file system: the client
 * lists and reads workspace files through the VS Code workspace API on the
 * server's request (`protocol/src/messages.ts`).
 *
 * Invariants:
 * - Only files under the workspace folders are listed and read; the walk's
 *   rules (`host/src/yamlFileRules.ts`) decide which, as on Node.
 * - The core's synchronous reads of referenced files (generator inputs,
 *   values files, bpftool probes) are answered from the texts read so far. A
 *   file not read yet is refused for now and asked of the client in the
 *   background; when it arrives the server re-checks what read it
 *   (`onDidReadReferencedFile`). Each such file is asked once per workspace
 *   scan (a refusal too), so a missing file costs one request, not one per
 *   check. The core only asks for paths inside the workspace folders.
 * - File keys are the paths of the workspace folders' URIs (`WorkspaceUriKeys`),
 *   so the core's path logic (parent folders, relative references, "inside the
 *   workspace") works on `vscode-vfs://`, `vscode-remote://` or `file://`
 *   folders alike.
 * - What needs Node (chart downloads, git revisions) is absent: `limitation`
 *   says so once in the log, the compare request answers with an error saying why.
 */

import { BrowserMessageReader, BrowserMessageWriter, createConnection, ProposedFeatures, RequestType, type Connection } from 'vscode-languageserver/browser';
import { exceedsUtf8Bytes } from '../../core/src/index';
import { keptByWalk, SKIPPED_DIRECTORIES } from '../../host/src/yamlFileRules';
import {
  COMPARE_REQUEST,
  READ_FILE_REQUEST,
  WORKSPACE_FILES_REQUEST,
  type ReadFileParams,
  type ReadFileResult,
  type WorkspaceFilesParams,
  type WorkspaceFilesResult,
} from '../../protocol/src/messages';

import type { ServerPlatform } from './platform';
import { fileKeyToUri, fileUriToKey, installUriMapping } from './uris';

/** Said once in the log when the server starts in a worker, and by the requests that need Node. */
export const BROWSER_LIMITATION =
  'meshlens runs in the browser here: files are read through the editor; Helm charts are not downloaded and effective policies cannot be compared with a git revision (VS Code desktop and the CLI do both).';

/** The worker's global scope as the message reader sees it (the repo compiles without DOM types). */
export interface WorkerScope {
  addEventListener(type: string, listener: (event: { data?: unknown; error?: unknown; reason?: unknown }) => void): void;
  postMessage(message: unknown): void;
}

export function browserPlatform(scope: WorkerScope): ServerPlatform {
  const keys = new WorkspaceUriKeys();
  // Every conversion of the server (diagnostics, fix edits, related locations, handlers) uses these keys.
  installUriMapping(keys);
  /** Texts read so far, by key: what `readReferencedFile` can answer. */
  const texts = new Map<string, string>();
  /** Referenced files asked of the client since the last scan (answered or not). */
  const asked = new Set<string>();
  const arrived: (() => void)[] = [];
  let connection: Connection | undefined;

  async function read(file: string, maxBytes: number): Promise<string | undefined> {
    let result: ReadFileResult;
    try {
      result = await connection!.sendRequest(new RequestType<ReadFileParams, ReadFileResult, void>(READ_FILE_REQUEST), { uri: keys.keyToUri(file), maxBytes });
    } catch {
      result = { refused: 'the client did not answer' };
    }
    if ('refused' in result) {
      texts.delete(file);
      return undefined;
    }
    texts.set(file, result.text);
    return result.text;
  }

  return {
    createConnection(options) {
      return createConnection(ProposedFeatures.all, new BrowserMessageReader(scope as never), new BrowserMessageWriter(scope as never), options);
    },
    attach(value) {
      connection = value;
    },
    uriToKey: (uri) => keys.uriToKey(uri),
    keyToUri: (key) => keys.keyToUri(key),
    setWorkspaceFolders: (uris) => keys.setFolders(uris),
    async listYamlFiles(roots, exclude) {
      // A new scan reads referenced files afresh: they may have appeared or changed since.
      asked.clear();
      const params: WorkspaceFilesParams = { excludeGlob: `**/{${[...SKIPPED_DIRECTORIES].join(',')}}/**` };
      let result: WorkspaceFilesResult;
      try {
        result = await connection!.sendRequest(new RequestType<WorkspaceFilesParams, WorkspaceFilesResult, void>(WORKSPACE_FILES_REQUEST), params);
      } catch (error) {
        connection?.console.error(`the client did not list the workspace files: ${String(error)}`);
        return { files: [], skipped: [] };
      }
      const found = new Set<string>();
      for (const uri of result.uris) {
        const key = keys.uriToKey(uri);
        if (roots.some((root) => keptByWalk(root, key, exclude))) found.add(key);
      }
      return { files: [...found].sort().map((key) => ({ key, display: key })), skipped: [] };
    },
    readWorkspaceFile: (file, maxBytes) => read(file, maxBytes),
    readReferencedFile(path, maxBytes) {
      const text = texts.get(path);
      // The text was read with the limit of its day: a larger one is refused now, as the Node reader would.
      if (text !== undefined) return exceedsUtf8Bytes(text, maxBytes) ? undefined : text;
      if (connection && !asked.has(path)) {
        asked.add(path);
        void read(path, maxBytes).then((found) => {
          if (found !== undefined) arrived.forEach((listener) => listener());
        });
      }
      return undefined;
    },
    onDidReadReferencedFile(listener) {
      arrived.push(listener);
    },
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

/**
 * File keys for the URIs of a web workspace. The folders' scheme and authority (the first folder's, when they
 * differ) are dropped: a key is the decoded path, so the core's path logic applies. `file:` URIs keep the Node
 * mapping (`uris.ts`); URIs of another scheme or authority, or with a query or fragment, are their own key.
 */
export class WorkspaceUriKeys {
  private base: string | undefined;

  setFolders(uris: readonly string[]): void {
    this.base = undefined;
    for (const uri of uris) {
      const parts = splitUri(uri);
      if (parts && parts.scheme !== 'file') {
        this.base = parts.base;
        return;
      }
    }
  }

  uriToKey(uri: string): string {
    if (uri.startsWith('file://')) return fileUriToKey(uri);
    const parts = splitUri(uri);
    if (!parts || parts.base !== this.base) return uri;
    try {
      return decodeURIComponent(parts.path);
    } catch {
      return uri;
    }
  }

  keyToUri(key: string): string {
    if (this.base === undefined || !key.startsWith('/')) return fileKeyToUri(key);
    return this.base + key.split('/').map((segment) => encodeURIComponent(segment)).join('/');
  }
}

function splitUri(uri: string): { scheme: string; base: string; path: string } | undefined {
  const match = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/?#]*)(\/[^?#]*)?$/.exec(uri);
  if (!match) return undefined;
  return { scheme: match[1].toLowerCase(), base: `${match[1].toLowerCase()}://${match[2]}`, path: match[3] ?? '/' };
}
