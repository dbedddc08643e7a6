/** Commands of the extension: each asks the server and shows what it answers. */

import * as vscode from 'vscode';
import type { BaseLanguageClient } from 'vscode-languageclient';
import type { LanguageClient } from 'vscode-languageclient/node';
import { registerPreviewCommands } from './preview/commands';

export function registerCommands(
  context: vscode.ExtensionContext,
  client: () => BaseLanguageClient | undefined,
  log: vscode.LogOutputChannel,
  status: vscode.StatusBarItem,
  onModelChanged: vscode.Event<unknown>,
): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('meshlens.showOutput', () => log.show()),
    vscode.commands.registerCommand('meshlens.restartServer', async () => {
      log.info('restarting the language server');
      const current = client();
      // The desktop client restarts its process (waiting for a debug port); the browser client starts a new worker.
      if (current && 'restart' in current && typeof current.restart === 'function') await (current as LanguageClient).restart();
      else if (current) {
        await current.stop();
        await current.start();
      }
    }),
  );
  // The views use only what every client has (requests, notifications): the desktop and the browser client alike.
  registerPreviewCommands(context, client as () => LanguageClient | undefined, onModelChanged);
  void status;
}
