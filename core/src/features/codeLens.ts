/**
 * Code lenses: one-line summaries shown above a document or a rule (kernel
 * needs of a Cilium release, the effective L7 result of a policy). Each area
 * contributes a provider in `features/providers.ts`; the server only converts.
 */

import type { AnalysisOptions } from '../options';
import type { Workspace, WorkspaceFile } from '../workspace/workspace';
import { CODE_LENS_PROVIDERS } from './providers';
import { appendAll } from '../util/appendAll';

export interface CodeLensItem {
  /** File offsets of the line the lens sits above. */
  start: number;
  end: number;
  title: string;
  /** A command the editor runs when the lens is clicked (e.g. open the effective-policy view). */
  command?: { id: string; arguments?: unknown[] };
}

export interface CodeLensRequest {
  workspace: Workspace;
  file: WorkspaceFile;
  options: AnalysisOptions;
}

export type CodeLensProvider = (request: CodeLensRequest) => CodeLensItem[];

export function codeLenses(workspace: Workspace, path: string, options: AnalysisOptions): CodeLensItem[] {
  const file = workspace.getFile(path);
  if (!file || file.yaml.skipped) return [];
  const items: CodeLensItem[] = [];
  for (const provider of CODE_LENS_PROVIDERS) appendAll(items, provider({ workspace, file, options }));
  return items.sort((a, b) => a.start - b.start);
}
