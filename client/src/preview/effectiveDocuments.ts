/**
 * Read-only virtual documents of the `meshlens-effective:` scheme: the
 * effective policy of a workload (`meshlens-effective:/<ns>/<name>.md`,
 * fetched from the server each time it is opened or refreshed) and simulated
 * requests (`meshlens-effective:/simulate/<n>/<from> → <to> <port>.md`, kept
 * in memory). The Markdown comes from the server; the client renders nothing
 * itself, but makes every `file:line` reference a link (`SourceLinks`) that
 * opens the file at that line.
 */

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { candidatePaths, findSourceReferences } from './sourceLinks';

export const EFFECTIVE_SCHEME = 'meshlens-effective';

type EffectivePolicyResponse = { workload: string; markdown: string } | { error: string };

export class EffectiveDocuments implements vscode.TextDocumentContentProvider {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  private readonly simulations = new Map<string, string>();
  private simulationCount = 0;
  readonly onDidChange = this.changed.event;

  constructor(private readonly client: () => LanguageClient | undefined) {}

  static workloadUri(workload: string): vscode.Uri {
    return vscode.Uri.from({ scheme: EFFECTIVE_SCHEME, path: `/${workload}.md` });
  }

  /** Stores a simulation's Markdown and returns the URI that shows it; `title` names the tab. */
  addSimulation(markdown: string, title: string): vscode.Uri {
    const name = title.replace(/[\\/]/g, '.').replace(/\s+/g, ' ').trim() || 'simulation';
    const uri = vscode.Uri.from({ scheme: EFFECTIVE_SCHEME, path: `/simulate/${++this.simulationCount}/${name}.md` });
    this.simulations.set(uri.path, markdown);
    return uri;
  }

  refresh(uri: vscode.Uri): void {
    this.changed.fire(uri);
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const stored = this.simulations.get(uri.path);
    if (stored !== undefined) return stored;
    const workload = uri.path.replace(/^\//, '').replace(/\.md$/, '');
    const client = this.client();
    if (!client) return '# meshlens\n\nThe language server is not running.\n';
    try {
      const answer = await client.sendRequest<EffectivePolicyResponse>('meshlens/effectivePolicy', { workload });
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
    const folders = (vscode.workspace.workspaceFolders ?? []).filter((folder) => folder.uri.scheme === 'file').map((folder) => folder.uri.fsPath);
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
  if (candidates.length === 1) return vscode.Uri.file(candidates[0]);
  for (const candidate of candidates) {
    const uri = vscode.Uri.file(candidate);
    try {
      await vscode.workspace.fs.stat(uri);
      return uri;
    } catch {
      // Not under this folder; try the next.
    }
  }
  return undefined;
}
