/**
 * The browser extension's entry (`browser`, `dist/browser/client.js`:
 * vscode.dev, github.dev, code-server's web extension host). The language
 * server is `dist/browser/server.js` in a web worker; it has no file system,
 * so this side answers its requests to list and read workspace files through
 * the VS Code workspace API (`protocol/src/messages.ts`).
 *
 * Invariants: only files inside a workspace folder are read, and only regular
 * files; a file larger than the server's limit is sent only up to that limit
 * plus one byte (the server then reports it as too large, as on Node).
 */

import * as vscode from 'vscode';
import { BrowserMessageReader, BrowserMessageWriter, LanguageClient } from 'vscode-languageclient/browser';
import {
  READ_FILE_REQUEST,
  WORKSPACE_FILES_REQUEST,
  type ReadFileParams,
  type ReadFileResult,
  type WorkspaceFilesParams,
  type WorkspaceFilesResult,
} from '../../protocol/src/messages';
import { activateMeshlens, deactivateMeshlens } from './extension';

/** The worker constructor and Blob URLs of the extension host (the repo compiles without DOM types). */
declare const Worker: new (url: string) => never;
declare const Blob: new (parts: Uint8Array[], options: { type: string }) => object;
declare const URL: { createObjectURL(blob: object): string };

/** The most files one workspace search returns: a bound on what a browser tab holds. */
const MAX_WORKSPACE_FILES = 20_000;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const serverMain = vscode.Uri.joinPath(context.extensionUri, 'dist', 'browser', 'server.js');
  const schemes = new Set((vscode.workspace.workspaceFolders ?? []).map((folder) => folder.uri.scheme));
  await activateMeshlens(context, {
    createClient: (options, log) => {
      // A function, so a restart starts a new worker. It returns the transports itself: the client's own
      // `instanceof Worker` test fails on the worker the extension host's patched constructor returns.
      const client = new LanguageClient(
        'meshlens',
        'meshlens',
        async () => {
          const worker = new Worker(await workerUrl(serverMain));
          return { reader: new BrowserMessageReader(worker), writer: new BrowserMessageWriter(worker) };
        },
        options,
      );
      client.onRequest(WORKSPACE_FILES_REQUEST, (params: WorkspaceFilesParams) => workspaceFiles(params));
      client.onRequest(READ_FILE_REQUEST, (params: ReadFileParams) => readFile(params, log));
      return client;
    },
    documentSelector: [...(schemes.size > 0 ? [...schemes] : ['file']), 'untitled'].map((scheme) => ({ scheme, language: 'yaml' })),
    // Rule pages ship in the extension: findings link to them there, readable offline.
    initializationOptions: { docsBaseUri: vscode.Uri.joinPath(context.extensionUri, 'docs', 'rules').toString() },
  });
}

export const deactivate = deactivateMeshlens;

/**
 * A URL a worker can be started from. An extension served over http(s) (vscode.dev, github.dev) gives one;
 * one installed on a remote (code-server, Codespaces) has a `vscode-remote:` location, from which the
 * extension host refuses to start workers: the script is read through the workspace API and started from a
 * Blob URL instead.
 */
async function workerUrl(script: vscode.Uri): Promise<string> {
  if (script.scheme === 'http' || script.scheme === 'https') return script.toString(true);
  const bytes = await vscode.workspace.fs.readFile(script);
  return URL.createObjectURL(new Blob([bytes], { type: 'text/javascript' }));
}

async function workspaceFiles(params: WorkspaceFilesParams): Promise<WorkspaceFilesResult> {
  const exclude = typeof params?.excludeGlob === 'string' ? params.excludeGlob : undefined;
  const found = await vscode.workspace.findFiles('**/*.{yaml,yml}', exclude, MAX_WORKSPACE_FILES);
  return { uris: found.map((uri) => uri.toString()) };
}

async function readFile(params: ReadFileParams, log: vscode.LogOutputChannel): Promise<ReadFileResult> {
  let uri: vscode.Uri;
  try {
    uri = vscode.Uri.parse(String(params?.uri), true);
  } catch {
    return { refused: 'not a URI' };
  }
  if (!vscode.workspace.getWorkspaceFolder(uri)) return { refused: 'outside the workspace folders' };
  try {
    const stat = await vscode.workspace.fs.stat(uri);
    if ((stat.type & vscode.FileType.File) === 0) return { refused: 'not a regular file' };
    const bytes = await vscode.workspace.fs.readFile(uri);
    const limit = Number.isFinite(params.maxBytes) && params.maxBytes >= 0 ? Math.floor(params.maxBytes) + 1 : bytes.length;
    return { text: new TextDecoder('utf-8').decode(bytes.length > limit ? bytes.subarray(0, limit) : bytes) };
  } catch (error) {
    log.debug(`reading ${uri.toString(true)} failed: ${String(error)}`);
    return { refused: 'cannot be read' };
  }
}
