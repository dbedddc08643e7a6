/**
 * Read-only virtual documents of the `meshlens-effective:` scheme: the
 * effective policy of a workload (`meshlens-effective:/<ns>/<name>.md`,
 * fetched from the server each time it is opened or refreshed) and simulated
 * requests (`meshlens-effective:/simulate/<n>/<from> → <to> <port>.md`, kept
 * in memory with their query, `Simulations`). The Markdown comes from the
 * server; the client renders nothing itself, but makes every `file:line`
 * reference a link (`SourceLinks`) that opens the file at that line.
 * `rerun` asks the server again: the effective policy, or the same simulated
 * request, against the files as they are now. When the server's model
 * changes, `rerunFollowingModel` does that for the open documents that show
 * the model as it is (a workload's effective policy, a kernel report), not
 * for answers to a fixed question (a simulation, a comparison, an upgrade).
 */

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { candidatePaths, findSourceReferences } from './sourceLinks';
import { fileUri, folderKeys } from '../workspaceUris';
import { Simulations, type SimulationQuery } from './simulations';

export const EFFECTIVE_SCHEME = 'meshlens-effective';

import { EFFECTIVE_POLICY_REQUEST, SIMULATE_REQUEST, type EffectivePolicyParams, type EffectivePolicyResponse, type SimulateResponse } from '../../../protocol/src/messages';

export type { SimulateResponse };

export class EffectiveDocuments implements vscode.TextDocumentContentProvider {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  private readonly simulations = new Simulations();
  /** Reports computed once and re-run on refresh (a comparison with a branch): path → Markdown and how to compute it again. */
  private readonly reports = new Map<string, { markdown: string; run: () => Promise<string>; followsModel: boolean }>();
  private reportCount = 0;
  /** Effective policies fetched by `rerunIfChanged`, shown by the next `provideTextDocumentContent` of that path. */
  private readonly fetched = new Map<string, string>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly client: () => LanguageClient | undefined) {}

  static workloadUri(workload: string): vscode.Uri {
    return vscode.Uri.from({ scheme: EFFECTIVE_SCHEME, path: `/${workload}.md` });
  }

  /** Stores a simulation (its query and Markdown) and returns the URI that shows it. */
  addSimulation(query: SimulationQuery, markdown: string): vscode.Uri {
    return vscode.Uri.from({ scheme: EFFECTIVE_SCHEME, path: this.simulations.add(query, markdown) });
  }

  /**
   * Stores a report (its Markdown and how to compute it again) and returns the URI that shows it.
   * `followsModel`: re-run it when the server's model changes while it is open (a kernel report).
   */
  addReport(title: string, markdown: string, run: () => Promise<string>, options: { followsModel?: boolean; reuse?: boolean } = {}): vscode.Uri {
    // `reuse`: one document per title (asking again shows the new answer there), else one per question.
    const name = title.replace(/[\\/?#%]/g, '_');
    const path = options.reuse ? `/review/view/${name}.md` : `/review/${++this.reportCount}/${name}.md`;
    const existed = this.reports.delete(path);
    this.reports.set(path, { markdown, run, followsModel: options.followsModel === true });
    if (this.reports.size > 20) this.reports.delete(this.reports.keys().next().value as string);
    const uri = vscode.Uri.from({ scheme: EFFECTIVE_SCHEME, path });
    if (existed) this.changed.fire(uri);
    return uri;
  }

  refresh(uri: vscode.Uri): void {
    this.changed.fire(uri);
  }

  /** Runs the document's question again (effective policy, or the stored simulated request) and shows the new answer. */
  async rerun(uri: vscode.Uri): Promise<void> {
    const report = this.reports.get(uri.path);
    if (report) report.markdown = await report.run();
    const query = this.simulations.query(uri.path);
    if (query) {
      const client = this.client();
      let markdown: string;
      try {
        const answer = client ? await client.sendRequest<SimulateResponse>(SIMULATE_REQUEST, query) : { error: 'the language server is not running' };
        markdown = 'error' in answer ? `# Simulation\n\n${answer.error}\n` : answer.markdown;
      } catch (error) {
        markdown = `# Simulation\n\nThe server could not simulate the request: ${error instanceof Error ? error.message : String(error)}\n`;
      }
      this.simulations.update(uri.path, markdown);
    }
    this.changed.fire(uri);
  }

  /** Re-runs every open document that shows the model as it is now (effective policies, reports that follow the model). */
  async rerunFollowingModel(): Promise<void> {
    const open = vscode.workspace.textDocuments.filter((document) => document.uri.scheme === EFFECTIVE_SCHEME && !document.isClosed && this.followsModel(document.uri));
    await Promise.all(open.map((document) => this.rerunIfChanged(document)));
  }

  /**
   * Asks the document's question again and shows the answer only when it differs from what the editor shows:
   * most model changes (an edit elsewhere) leave a view as it was, and replacing an open editor's text for
   * nothing would move its scroll position and links under the user's cursor.
   */
  private async rerunIfChanged(document: vscode.TextDocument): Promise<void> {
    const report = this.reports.get(document.uri.path);
    const markdown = report ? await report.run() : await this.workloadMarkdown(document.uri);
    if (markdown === document.getText()) return;
    if (report) report.markdown = markdown;
    else this.fetched.set(document.uri.path, markdown);
    this.changed.fire(document.uri);
  }

  private followsModel(uri: vscode.Uri): boolean {
    const report = this.reports.get(uri.path);
    if (report) return report.followsModel;
    // A report or simulation no longer stored answers nothing new.
    if (uri.path.startsWith('/review/') || uri.path.startsWith('/simulate/')) return false;
    // Neither a report nor a simulation: a workload's effective policy, fetched again on every change event.
    return this.simulations.query(uri.path) === undefined && this.simulations.markdown(uri.path) === undefined;
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const report = this.reports.get(uri.path);
    if (report) return report.markdown;
    const stored = this.simulations.markdown(uri.path);
    if (stored !== undefined) return stored;
    // An answer `rerunIfChanged` already fetched for this change event.
    const fetched = this.fetched.get(uri.path);
    this.fetched.delete(uri.path);
    return fetched ?? this.workloadMarkdown(uri);
  }

  /** A workload's effective policy as Markdown (the document path is `/<namespace>/<name>.md`). */
  private async workloadMarkdown(uri: vscode.Uri): Promise<string> {
    const workload = uri.path.replace(/^\//, '').replace(/\.md$/, '');
    const client = this.client();
    if (!client) return '# meshlens\n\nThe language server is not running.\n';
    try {
      const answer = await client.sendRequest<EffectivePolicyResponse>(EFFECTIVE_POLICY_REQUEST, { workload } satisfies EffectivePolicyParams);
      return 'error' in answer ? `# ${workload}\n\n${answer.error}\n` : answer.markdown;
    } catch (error) {
      return `# ${workload}\n\nThe server could not compute the effective policy: ${error instanceof Error ? error.message : String(error)}\n`;
    }
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/**
 * Links in the effective-policy and simulation documents: each `file:line`
 * reference opens the file at that line (`#L<line>`). A relative path is
 * looked up under the workspace folders (the first that has the file).
 */
export class SourceLinks implements vscode.DocumentLinkProvider {
  async provideDocumentLinks(document: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.DocumentLink[]> {
    const folders = folderKeys();
    const resolved = new Map<string, vscode.Uri | undefined>();
    const links: vscode.DocumentLink[] = [];
    for (const reference of findSourceReferences(document.getText())) {
      if (token.isCancellationRequested) break;
      if (!resolved.has(reference.path)) resolved.set(reference.path, await existingFile(candidatePaths(reference.path, folders)));
      const target = resolved.get(reference.path);
      if (!target) continue;
      const link = new vscode.DocumentLink(new vscode.Range(document.positionAt(reference.start), document.positionAt(reference.end)), target.with({ fragment: `L${reference.line}` }));
      link.tooltip = `Open ${reference.path} at line ${reference.line}`;
      links.push(link);
    }
    return links;
  }
}

/** The first candidate that exists (one candidate is taken as it is: the server named it). */
async function existingFile(candidates: readonly string[]): Promise<vscode.Uri | undefined> {
  if (candidates.length === 1) return fileUri(candidates[0]);
  for (const candidate of candidates) {
    const uri = fileUri(candidate);
    try {
      await vscode.workspace.fs.stat(uri);
      return uri;
    } catch {
      // Not under this folder; try the next.
    }
  }
  return undefined;
}
