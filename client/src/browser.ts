/**
 * The browser extension's entry (`browser`, `dist/browser/client.js`:
 * vscode.dev, github.dev, code-server's web extension host). The language
 * server is `dist/browser/server.js` in a web worker; it has no file system,
 * so this side answers its requests to list and read workspace files through
 * the VS Code workspace API (`workspaceFiles.ts`).
 */

import * as vscode from 'vscode';
import { BrowserMessageReader, BrowserMessageWriter, LanguageClient } from 'vscode-languageclient/browser';
import { activateMeshlens, deactivateMeshlens } from './extension';
import { serveWorkspaceFiles, workspaceSchemes } from './workspaceFiles';

/** The worker constructor and Blob URLs of the extension host (the repo compiles without DOM types). */
declare const Worker: new (url: string) => never;
declare const Blob: new (parts: Uint8Array[], options: { type: string }) => object;
declare const URL: { createObjectURL(blob: object): string };

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const serverMain = vscode.Uri.joinPath(context.extensionUri, 'dist', 'browser', 'server.js');
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
      serveWorkspaceFiles(client, log);
      return client;
    },
    documentSelector: workspaceSchemes().map((scheme) => ({ scheme, language: 'yaml' })),
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
