/**
 * Read-only virtual documents of the `meshlens-effective:` scheme: the
 * effective policy of a workload (`meshlens-effective:/<ns>/<name>.md`,
 * fetched from the server each time it is opened or refreshed) and simulated
 * requests (`meshlens-effective:/simulate/<n>.md`, kept in memory). The
 * Markdown comes from the server; the client renders nothing itself.
 */

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';

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

  /** Stores a simulation's Markdown and returns the URI that shows it. */
  addSimulation(markdown: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: EFFECTIVE_SCHEME, path: `/simulate/${++this.simulationCount}.md` });
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
