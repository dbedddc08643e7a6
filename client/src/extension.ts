/**
 * The VS Code side of meshlens: starts the language server, shows its state
 * in the status bar, and forwards commands. It computes nothing itself; every
 * view renders a model the server returns.
 *
 * The same activation runs in VS Code desktop (entry `node.ts`: the server
 * is a Node process) and in the browser (entry `browser.ts`: the server is a
 * web worker); the entry supplies the client, the documents it covers and
 * what the server is told at start (`ClientPlatform`). Nothing here imports
 * Node.
 *
 * The server's model-changed notification is subscribed to here, once, and
 * re-fired as one `vscode.EventEmitter` event that every view follows (the
 * status bar, the connectivity map, open effective-policy and kernel
 * reports): a second `onNotification` for the same method could replace the
 * first.
 */

import * as vscode from 'vscode';
import { State, type BaseLanguageClient, type DocumentSelector, type LanguageClientOptions } from 'vscode-languageclient';
import { registerCommands } from './commands';
import { watchYamlExtension, YAML_EXTENSION_CHANGED, YAML_EXTENSION_ID } from './yamlExtension';
import { MODEL_CHANGED_NOTIFICATION, STATUS_REQUEST, TRUST_CHANGED_NOTIFICATION, type StatusParams, type StatusResponse, type TrustChangedParams } from '../../protocol/src/messages';

/** What differs between the desktop and the browser extension. */
export interface ClientPlatform {
  /** The language client, not started yet (the entry registers its own request handlers on it). */
  createClient(options: LanguageClientOptions, log: vscode.LogOutputChannel): BaseLanguageClient;
  documentSelector: DocumentSelector;
  /** Added to the server's `initializationOptions`. */
  initializationOptions: Record<string, unknown>;
}

let client: BaseLanguageClient | undefined;

export async function activateMeshlens(context: vscode.ExtensionContext, platform: ClientPlatform): Promise<void> {
  const log = vscode.window.createOutputChannel('meshlens', { log: true });
  context.subscriptions.push(log);
  // The Red Hat YAML extension: where it validates a kind with its CRD schema, meshlens leaves that to it.
  const yamlExtension = watchYamlExtension(
    {
      isInstalled: () => vscode.extensions.getExtension(YAML_EXTENSION_ID) !== undefined,
      setting: (key) => vscode.workspace.getConfiguration('yaml').get(key),
      onDidChange: (listener) => {
        const extensions = vscode.extensions.onDidChange(listener);
        const settings = vscode.workspace.onDidChangeConfiguration((event) => {
          if (event.affectsConfiguration('yaml')) listener();
        });
        return { dispose: () => (extensions.dispose(), settings.dispose()) };
      },
    },
    (report) => {
      log.info(`YAML extension ${report ? 'active' : 'not active'}: schema findings are ${report ? 'left to it where it validates the kind' : 'reported by meshlens'}`);
      void client?.sendNotification(YAML_EXTENSION_CHANGED, report);
    },
  );
  context.subscriptions.push(yamlExtension);
  const clientOptions: LanguageClientOptions = {
    documentSelector: platform.documentSelector,
    synchronize: { configurationSection: 'meshlens' },
    outputChannel: log,
    // Trust gates chart downloads on the server; the cache lives in the extension's global storage.
    initializationOptions: { trusted: vscode.workspace.isTrusted, yamlExtension: yamlExtension.current(), ...platform.initializationOptions },
  };
  client = platform.createClient(clientOptions, log);

  const status = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Right, 90);
  status.name = 'meshlens';
  status.command = 'meshlens.showOutput';
  status.text = '$(loading~spin) meshlens';
  status.show();
  context.subscriptions.push(status);
  client.onDidChangeState((event) => {
    if (event.newState === State.Running) {
      status.text = '$(shield) meshlens';
      status.tooltip = 'meshlens language server is running. Click for its log.';
    } else if (event.newState === State.Stopped) {
      status.text = '$(error) meshlens';
      status.tooltip = 'meshlens language server stopped. Click for its log.';
    }
  });

  // One model-changed event for every view (subscribed to the server below, once).
  const modelChanged = new vscode.EventEmitter<unknown>();
  context.subscriptions.push(modelChanged);
  registerCommands(context, () => client, log, status, modelChanged.event);
  await client.start();
  log.info('meshlens language server started');
  context.subscriptions.push(
    vscode.workspace.onDidGrantWorkspaceTrust(() => void client?.sendNotification(TRUST_CHANGED_NOTIFICATION, { trusted: vscode.workspace.isTrusted } satisfies TrustChangedParams)),
  );

  // The status bar says which Cilium version and node kernels the active file is judged against.
  const refreshStatus = async () => {
    const editor = vscode.window.activeTextEditor;
    if (!client || !editor || editor.document.languageId !== 'yaml') return;
    try {
      const answer = await client.sendRequest<StatusResponse>(STATUS_REQUEST, { uri: editor.document.uri.toString() } satisfies StatusParams);
      status.text = `$(shield) ${answer.text}`;
      status.tooltip = `meshlens: Cilium version from ${answer.cilium.source}, kernels from ${answer.kernel.origin}. Click for the log.`;
    } catch (error) {
      log.debug(`status request failed: ${String(error)}`);
    }
  };
  context.subscriptions.push(vscode.window.onDidChangeActiveTextEditor(() => void refreshStatus()));
  // The server re-checked the workspace (scan finished, a file changed, saved or not): what the views show may have changed.
  context.subscriptions.push(
    client.onNotification(MODEL_CHANGED_NOTIFICATION, (summary: unknown) => modelChanged.fire(summary)),
    modelChanged.event(() => void refreshStatus()),
  );
  void refreshStatus();
}

export async function deactivateMeshlens(): Promise<void> {
  await client?.stop();
}
