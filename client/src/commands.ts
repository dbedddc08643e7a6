/** Commands of the extension: each asks the server and shows what it answers. */

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { registerPreviewCommands } from './preview/commands';

export function registerCommands(
  context: vscode.ExtensionContext,
  client: () => LanguageClient | undefined,
  log: vscode.LogOutputChannel,
  status: vscode.StatusBarItem,
): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('meshlens.showOutput', () => log.show()),
    vscode.commands.registerCommand('meshlens.restartServer', async () => {
      log.info('restarting the language server');
      await client()?.restart();
    }),
  );
  registerPreviewCommands(context, client);
  void status;
}
