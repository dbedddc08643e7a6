/**
 * `meshlens.showConnectivityMap`: the connectivity map of a namespace, a
 * cluster or the whole workspace (picked from the server's scopes, or given
 * as `{namespace}` / `{cluster}`) in a webview panel.
 * The server computes the map and draws the SVG; the panel only shows it,
 * lists the rules behind a clicked edge or node, and opens a rule when asked
 * (the file at that line). One panel, reused; its Refresh button, and a
 * change of the server's model while the panel is shown (`refreshIfVisible`,
 * called by the one model-changed event: a scan, an edit even unsaved, a file
 * changed on disk), ask the same question again against the files as they
 * are now.
 *
 * Invariants: the webview runs scripts but loads nothing (no local resource
 * roots, CSP in `mapView.ts`); a message opens only a source the current map
 * lists for that element (`sourceForMessage`), never a path it carries.
 */

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { CONNECTIVITY_MAP_REQUEST, CONNECTIVITY_SCOPES_REQUEST, type ConnectivityMapParams, type ConnectivityMapResponse, type ConnectivityScopesResponse } from '../../../protocol/src/messages';
import { mapHtml, mapTargets, sourceForMessage, type MapTargets } from './mapView';
import { fileUri } from '../workspaceUris';

const VIEW_TYPE = 'meshlens.connectivityMap';
const WHOLE_WORKSPACE = '(whole workspace)';

export class ConnectivityPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private query: ConnectivityMapParams = {};
  private targets: MapTargets = {};
  /** The model changed while the panel was hidden. */
  private stale = false;
  /** The answer the page shows (to skip redrawing the same map). */
  private drawn = '';

  constructor(private readonly client: () => LanguageClient | undefined) {}

  /** The command: a query from the argument, else a namespace picked from the server's workloads. */
  async show(argument?: { namespace?: unknown; cluster?: unknown }): Promise<void> {
    const languageClient = this.client();
    if (!languageClient) {
      void vscode.window.showWarningMessage('meshlens: the language server is not running.');
      return;
    }
    let query: ConnectivityMapParams | undefined;
    if (argument && (typeof argument.namespace === 'string' || typeof argument.cluster === 'string')) {
      query = { ...(typeof argument.namespace === 'string' ? { namespace: argument.namespace } : {}), ...(typeof argument.cluster === 'string' ? { cluster: argument.cluster } : {}) };
    } else {
      const scopes = await languageClient.sendRequest<ConnectivityScopesResponse>(CONNECTIVITY_SCOPES_REQUEST);
      const items: (vscode.QuickPickItem & { query: ConnectivityMapParams })[] = [
        { label: WHOLE_WORKSPACE, query: {} },
        ...scopes.namespaces.map((namespace) => ({ label: namespace, description: 'namespace', query: { namespace } })),
        ...scopes.clusters.map((cluster) => ({ label: cluster, description: 'cluster: the workloads and policies it deploys', query: { cluster } })),
      ];
      const picked = await vscode.window.showQuickPick(items, { title: 'meshlens: Show Connectivity Map', placeHolder: 'Namespace or cluster to draw', matchOnDescription: true });
      if (!picked) return;
      query = picked.query;
    }
    this.query = query;
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel(VIEW_TYPE, 'Connectivity map', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false }, { enableScripts: true, localResourceRoots: [], retainContextWhenHidden: false });
      this.panel.onDidDispose(() => {
        this.panel = undefined;
      });
      // Shown again after being hidden: the model may have changed meanwhile (hidden panels are not redrawn).
      this.panel.onDidChangeViewState((event) => {
        if (event.webviewPanel.visible && this.stale) void this.refresh();
      });
      this.panel.webview.onDidReceiveMessage((message: unknown) => void this.onMessage(message));
    } else {
      this.panel.reveal(undefined, false);
    }
    await this.refresh();
  }

  /** The server's model changed: draw again now when shown, else when shown next (the caller debounces). */
  async refreshIfVisible(): Promise<void> {
    if (!this.panel) return;
    if (!this.panel.visible) {
      this.stale = true;
      return;
    }
    await this.refresh({ onlyIfChanged: true });
  }

  /**
   * Asks the server again with the panel's query (no-op without a panel). `onlyIfChanged`: keep the page (and
   * what the user selected on it) when the answer draws the same map.
   */
  async refresh(options: { onlyIfChanged?: boolean } = {}): Promise<void> {
    const panel = this.panel;
    const languageClient = this.client();
    if (!panel || !languageClient) return;
    this.stale = false;
    let answer: ConnectivityMapResponse;
    try {
      answer = await languageClient.sendRequest<ConnectivityMapResponse>(CONNECTIVITY_MAP_REQUEST, this.query);
    } catch (error) {
      answer = { error: `the server could not draw the map: ${error instanceof Error ? error.message : String(error)}` };
    }
    const drawn = JSON.stringify(answer);
    if (options.onlyIfChanged && drawn === this.drawn) return;
    this.drawn = drawn;
    if ('error' in answer) {
      this.targets = {};
      panel.title = 'Connectivity map';
      panel.webview.html = mapHtml({ title: 'Connectivity map', svg: '', targets: {}, notes: [answer.error], nonce: nonce() });
      return;
    }
    this.targets = mapTargets(answer.map, (file) => vscode.workspace.asRelativePath(file));
    panel.title = `Connectivity: ${this.query.namespace ?? this.query.cluster ?? 'workspace'}`;
    panel.webview.html = mapHtml({ title: answer.title, svg: answer.svg, targets: this.targets, notes: [], nonce: nonce() });
  }

  private async onMessage(message: unknown): Promise<void> {
    if (typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'refresh') {
      await this.refresh();
      return;
    }
    const source = sourceForMessage(this.targets, message);
    if (!source) return;
    const line = Math.max(0, source.line - 1);
    const document = await vscode.workspace.openTextDocument(fileUri(source.file));
    await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.One, selection: new vscode.Range(line, 0, line, 0), preview: true });
  }

  dispose(): void {
    this.panel?.dispose();
  }
}

/** A fresh nonce per page (Web Crypto: available in Node and in the browser build). */
function nonce(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  return [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}
