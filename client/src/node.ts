/**
 * The desktop extension's entry (`main`, `dist/client.js`): the language
 * server is `dist/server.js`, a Node process over IPC, reading the workspace
 * from disk (a folder not on disk, such as a `vscode-vfs:` folder of GitHub
 * Repositories, through this side: `workspaceFiles.ts`); rule pages open from
 * `docs/rules` next to it.
 */

import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type ServerOptions } from 'vscode-languageclient/node';
import { activateMeshlens, deactivateMeshlens } from './extension';
import { serveWorkspaceFiles, workspaceSchemes } from './workspaceFiles';
import { COMPILE_CACHE_VARIABLE, SERVER_NODE_FLAGS } from '../../protocol/src/serverProcess';

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const serverModule = context.asAbsolutePath('dist/server.js');
  // Node's compile cache makes the server start faster after the first run; the V8 flags are the server's own (protocol/src/serverProcess.ts).
  const compileCache = vscode.Uri.joinPath(context.globalStorageUri, 'compile-cache').fsPath;
  const env = { ...process.env, [COMPILE_CACHE_VARIABLE]: compileCache };
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc, options: { env, execArgv: [...SERVER_NODE_FLAGS] } },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { env, execArgv: [...SERVER_NODE_FLAGS, '--nolazy', '--inspect=6010'] } },
  };
  await activateMeshlens(context, {
    createClient: (options, log) => {
      const client = new LanguageClient('meshlens', 'meshlens', serverOptions, options);
      serveWorkspaceFiles(client, log);
      return client;
    },
    documentSelector: [...new Set(['file', ...workspaceSchemes()])].map((scheme) => ({ scheme, language: 'yaml' })),
    // The chart cache lives in the extension's global storage.
    initializationOptions: { cacheDir: context.globalStorageUri.fsPath },
  });
}

export const deactivate = deactivateMeshlens;
