/**
 * Commands of the effective-policy preview:
 * - `meshlens.showEffectivePolicy` (`{workload: 'ns/name'}` from a CodeLens,
 *   else the workload under the cursor, else a Quick Pick of the server's
 *   workloads) opens the workload's effective policy as a virtual Markdown
 *   document;
 * - `meshlens.simulateRequest` asks for source and destination workloads,
 *   port, and optionally an HTTP method and path, and shows the server's
 *   verdict with the deciding rules of each layer;
 * - `meshlens.compareWithBranch` asks for a git revision (default
 *   `origin/main`) and shows what the workspace changes against it: findings
 *   introduced and fixed, and who may now talk to whom (`meshlens diff`);
 * - `meshlens.checkUpgrade` asks for a target (Cilium, Istio, Flux or a node
 *   kernel) and its version and shows what the upgrade breaks or changes
 *   (`meshlens upgrade`); after a comparison with a branch, a workload's
 *   effective policy ends with what differs from that branch;
 * - `meshlens.showConnectivityMap` (`{namespace}` or `{cluster}`, else a
 *   namespace picked from the workloads) draws the connectivity map in a
 *   webview panel (`connectivityPanel.ts`);
 * - `meshlens.showKernelReport` (`{file, document}` from the kernel CodeLens of
 *   a Cilium HelmRelease, else the Cilium releases of the active file, else
 *   the workspace) opens the kernel report: per node pool the base
 *   requirement and every feature the values turn on, with the NodeProfiles
 *   and the release as links;
 * - `meshlens.refreshPreview` (the editor title's refresh button on these
 *   documents) runs the document's question again against the current files.
 * When the server's model changes (`onModelChanged`), the open effective
 * policies and kernel reports are asked again and the connectivity map is
 * drawn again (debounced), so they follow unsaved edits too.
 * Everything shown is computed by the server. Both open beside the editor,
 * in the column a meshlens document already uses (not one more column each
 * time), and their `file:line` references are links (`SourceLinks`).
 */

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  COMPARE_REQUEST,
  EFFECTIVE_POLICY_REQUEST,
  KERNEL_REPORT_REQUEST,
  SIMULATE_REQUEST,
  UPGRADE_REQUEST,
  WORKLOADS_REQUEST,
  type CompareParams,
  type CompareResponse,
  type EffectivePolicyResponse,
  type KernelReportParams,
  type KernelReportResponse,
  type UpgradeResponse,
  type WorkloadsResponse,
} from '../../../protocol/src/messages';
import { EFFECTIVE_SCHEME, EffectiveDocuments, SourceLinks, type SimulateResponse } from './effectiveDocuments';
import type { SimulationQuery } from './simulations';
import { ConnectivityPanel } from './connectivityPanel';

const HTTP_METHODS = ['(not HTTP)', 'GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

/** How long the views wait after a model change before asking again (one request per burst of re-checks). */
const MODEL_CHANGE_DELAY_MS = 300;

export function registerPreviewCommands(context: vscode.ExtensionContext, client: () => LanguageClient | undefined, onModelChanged: vscode.Event<unknown>): void {
  const documents = new EffectiveDocuments(client);
  const connectivity = new ConnectivityPanel(client);
  let pending: ReturnType<typeof setTimeout> | undefined;
  context.subscriptions.push(
    onModelChanged(() => {
      clearTimeout(pending);
      pending = setTimeout(() => {
        void documents.rerunFollowingModel();
        void connectivity.refreshIfVisible();
      }, MODEL_CHANGE_DELAY_MS);
    }),
    { dispose: () => clearTimeout(pending) },
    documents,
    connectivity,
    vscode.commands.registerCommand('meshlens.showConnectivityMap', (argument?: { namespace?: unknown; cluster?: unknown }) => connectivity.show(argument)),
    vscode.workspace.registerTextDocumentContentProvider(EFFECTIVE_SCHEME, documents),
    vscode.languages.registerDocumentLinkProvider({ scheme: EFFECTIVE_SCHEME }, new SourceLinks()),
    vscode.commands.registerCommand('meshlens.showEffectivePolicy', (argument?: { workload?: string }) => showEffectivePolicy(client, documents, argument)),
    vscode.commands.registerCommand('meshlens.simulateRequest', () => simulate(client, documents)),
    vscode.commands.registerCommand('meshlens.showKernelReport', (argument?: { file?: unknown; document?: unknown }) => showKernelReport(client, documents, argument)),
    vscode.commands.registerCommand('meshlens.checkUpgrade', () => checkUpgrade(client, documents)),
    vscode.commands.registerCommand('meshlens.compareWithBranch', (ref?: unknown) => compareWithBranch(client, documents, context, typeof ref === 'string' ? ref : undefined)),
    vscode.commands.registerCommand('meshlens.refreshPreview', (resource?: vscode.Uri) => {
      const uri = resource instanceof vscode.Uri ? resource : vscode.window.activeTextEditor?.document.uri;
      if (uri?.scheme === EFFECTIVE_SCHEME) return documents.rerun(uri);
      return undefined;
    }),
  );
}

async function showEffectivePolicy(client: () => LanguageClient | undefined, documents: EffectiveDocuments, argument?: { workload?: string }): Promise<void> {
  const languageClient = client();
  if (!languageClient) {
    void vscode.window.showWarningMessage('meshlens: the language server is not running.');
    return;
  }
  let workload = typeof argument?.workload === 'string' ? argument.workload : undefined;
  const editor = vscode.window.activeTextEditor;
  if (!workload && editor && editor.document.uri.scheme !== EFFECTIVE_SCHEME) {
    const answer = await languageClient.sendRequest<EffectivePolicyResponse>(EFFECTIVE_POLICY_REQUEST, {
      uri: editor.document.uri.toString(),
      position: { line: editor.selection.active.line, character: editor.selection.active.character },
    });
    if (!('error' in answer)) workload = answer.workload;
  }
  workload ??= await pickWorkload(languageClient, 'Workload to show the effective policy of');
  if (!workload) return;
  const uri = EffectiveDocuments.workloadUri(workload);
  documents.refresh(uri);
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(document, { preview: true, viewColumn: previewColumn() });
}

async function showKernelReport(client: () => LanguageClient | undefined, documents: EffectiveDocuments, argument?: { file?: unknown; document?: unknown }): Promise<void> {
  if (!client()) {
    void vscode.window.showWarningMessage('meshlens: the language server is not running.');
    return;
  }
  let query: KernelReportParams = {};
  if (argument && typeof argument.file === 'string' && typeof argument.document === 'number') query = { file: argument.file, document: argument.document };
  else {
    const editor = vscode.window.activeTextEditor;
    if (editor && editor.document.uri.scheme !== EFFECTIVE_SCHEME && editor.document.languageId === 'yaml') query = { uri: editor.document.uri.toString() };
  }
  let title = 'kernel report';
  const run = async (): Promise<string> => {
    const current = client();
    if (!current) return '# meshlens\n\nThe language server is not running.\n';
    try {
      const answer = await current.sendRequest<KernelReportResponse>(KERNEL_REPORT_REQUEST, query);
      if ('error' in answer) return `# Kernel report\n\n${answer.error}\n`;
      title = answer.title;
      return answer.markdown;
    } catch (error) {
      return `# Kernel report\n\nThe server could not compute the kernel report: ${error instanceof Error ? error.message : String(error)}\n`;
    }
  };
  const markdown = await run();
  const uri = documents.addReport(title, markdown, run, { followsModel: true, reuse: true });
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(document, { preview: true, viewColumn: previewColumn() });
}

const LAST_REF_KEY = 'meshlens.compareWithBranch.lastRef';

const UPGRADE_TARGETS = [
  { label: 'Cilium', key: 'cilium', example: '1.18' },
  { label: 'Istio', key: 'istio', example: '1.24' },
  { label: 'Flux', key: 'flux', example: '2.7' },
  { label: 'Node kernel', key: 'kernel', example: '6.1.0-18-amd64' },
] as const;

async function checkUpgrade(client: () => LanguageClient | undefined, documents: EffectiveDocuments): Promise<void> {
  if (!client()) {
    void vscode.window.showWarningMessage('meshlens: the language server is not running.');
    return;
  }
  const target = await vscode.window.showQuickPick(
    UPGRADE_TARGETS.map((item) => ({ label: item.label, item })),
    { title: 'meshlens: Check Upgrade to …', placeHolder: 'What to upgrade' },
  );
  if (!target) return;
  const version = await vscode.window.showInputBox({ title: `meshlens: Check Upgrade to ${target.label} …`, prompt: `Target version (e.g. ${target.item.example})`, value: target.item.example });
  if (!version) return;
  const query = { [target.item.key]: version.trim() };
  const run = async (): Promise<string> => {
    const current = client();
    if (!current) return '# meshlens\n\nThe language server is not running.\n';
    try {
      const answer = await current.sendRequest<UpgradeResponse>(UPGRADE_REQUEST, query);
      return 'error' in answer ? `# Upgrade to ${target.label} ${version.trim()}\n\n${answer.error}\n` : answer.markdown;
    } catch (error) {
      return `# Upgrade to ${target.label} ${version.trim()}\n\nThe server could not check the upgrade: ${error instanceof Error ? error.message : String(error)}\n`;
    }
  };
  const markdown = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `meshlens: checking the upgrade to ${target.label} ${version.trim()}…` }, run);
  const uri = documents.addReport(`upgrade ${target.label} ${version.trim()}`, markdown, run);
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(document, { preview: true, viewColumn: previewColumn() });
}

async function compareWithBranch(client: () => LanguageClient | undefined, documents: EffectiveDocuments, context: vscode.ExtensionContext, given?: string): Promise<void> {
  const languageClient = client();
  if (!languageClient) {
    void vscode.window.showWarningMessage('meshlens: the language server is not running.');
    return;
  }
  const ref =
    given ??
    (await vscode.window.showInputBox({
      title: 'meshlens: Compare Effective Policy with Branch',
      prompt: 'Git revision to compare the workspace with (branch, tag or commit)',
      value: context.workspaceState.get<string>(LAST_REF_KEY) ?? 'origin/main',
      validateInput: (value) => (/^[A-Za-z0-9._/@{}^~+-]{1,200}$/.test(value.trim()) && !value.trim().startsWith('-') ? undefined : 'not a git revision name'),
    }));
  if (!ref) return;
  await context.workspaceState.update(LAST_REF_KEY, ref.trim());
  const run = async (): Promise<string> => {
    const current = client();
    if (!current) return '# meshlens\n\nThe language server is not running.\n';
    try {
      const answer = await current.sendRequest<CompareResponse>(COMPARE_REQUEST, { ref: ref.trim() } satisfies CompareParams);
      return 'error' in answer ? `# Compared with ${ref.trim()}\n\n${answer.error}\n` : answer.markdown;
    } catch (error) {
      return `# Compared with ${ref.trim()}\n\nThe server could not compare: ${error instanceof Error ? error.message : String(error)}\n`;
    }
  };
  const markdown = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `meshlens: comparing with ${ref.trim()}…` }, run);
  const uri = documents.addReport(`compare ${ref.trim()}`, markdown, run);
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(document, { preview: true, viewColumn: previewColumn() });
}

/** The column of a meshlens document already on screen, else beside the active editor. */
function previewColumn(): vscode.ViewColumn {
  return vscode.window.visibleTextEditors.find((editor) => editor.document.uri.scheme === EFFECTIVE_SCHEME)?.viewColumn ?? vscode.ViewColumn.Beside;
}

async function pickWorkload(languageClient: LanguageClient, placeHolder: string): Promise<string | undefined> {
  const workloads = await languageClient.sendRequest<WorkloadsResponse>(WORKLOADS_REQUEST);
  if (workloads.length === 0) {
    void vscode.window.showInformationMessage('meshlens: no Deployment, StatefulSet, DaemonSet or Pod in the workspace.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    workloads.map((workload) => ({ label: workload.id, description: workload.kind, detail: `${vscode.workspace.asRelativePath(workload.source.file)}:${workload.source.line}` })),
    { placeHolder, matchOnDescription: true },
  );
  return picked?.label;
}

async function simulate(client: () => LanguageClient | undefined, documents: EffectiveDocuments): Promise<void> {
  const languageClient = client();
  if (!languageClient) {
    void vscode.window.showWarningMessage('meshlens: the language server is not running.');
    return;
  }
  const from = await pickWorkload(languageClient, 'Source workload (the client)');
  if (!from) return;
  const to = await pickWorkload(languageClient, 'Destination workload (the server)');
  if (!to) return;
  const portText = await vscode.window.showInputBox({
    prompt: 'Destination port (the container port)',
    placeHolder: '8080',
    validateInput: (value) => (/^\d+$/.test(value.trim()) && Number(value) >= 1 && Number(value) <= 65535 ? undefined : 'a port number 1–65535'),
  });
  if (!portText) return;
  const method = await vscode.window.showQuickPick(HTTP_METHODS, { placeHolder: 'HTTP method (or not HTTP)' });
  if (!method) return;
  let path: string | undefined;
  if (method !== HTTP_METHODS[0]) {
    path = await vscode.window.showInputBox({ prompt: 'HTTP path (with query string, as the proxy sees it)', value: '/' });
    if (path === undefined) return;
  }
  const query: SimulationQuery = { from, to, port: Number(portText.trim()), protocol: 'TCP', ...(method !== HTTP_METHODS[0] ? { method, path } : {}) };
  const answer = await languageClient.sendRequest<SimulateResponse>(SIMULATE_REQUEST, query);
  if ('error' in answer) {
    void vscode.window.showErrorMessage(`meshlens: ${answer.error}`);
    return;
  }
  const uri = documents.addSimulation(query, answer.markdown);
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(document, { preview: true, viewColumn: previewColumn() });
  void vscode.window.showInformationMessage(`meshlens: ${answer.verdict === 'allow' ? 'allowed' : 'denied'} — ${from} → ${to} :${portText.trim()}${path ? ` ${method} ${path}` : ''}`);
}
