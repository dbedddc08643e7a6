/**
 * Code lenses: one-line summaries shown above a document or a rule (kernel
 * needs of a Cilium release, the effective L7 result of a policy). Each area
 * contributes a provider in `features/providers.ts`; the server only converts.
 *
 * Lenses of a big document are work in steps: a provider may return a
 * generator that yields between units of work (a policy, a few dozen rule
 * items) and returns its lenses. `codeLensSteps` chains the providers the
 * same way, so a host can stop between steps (a cancelled request) or answer
 * other requests meanwhile; `codeLenses` runs the steps to the end. Either way
 * the lenses are the same.
 */

import type { AnalysisOptions } from '../options';
import type { WorkspaceView, WorkspaceFile } from '../workspace/workspace';
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
  workspace: WorkspaceView;
  file: WorkspaceFile;
  options: AnalysisOptions;
}

/** Work in steps: yields between units of work, returns the lenses. */
export type CodeLensSteps = Generator<void, CodeLensItem[], void>;

export type CodeLensProvider = (request: CodeLensRequest) => CodeLensItem[] | CodeLensSteps;

/** The lenses of a file as work in steps (one step per provider, and the providers' own steps). */
export function* codeLensSteps(workspace: WorkspaceView, path: string, options: AnalysisOptions): CodeLensSteps {
  const file = workspace.getFile(path);
  if (!file || file.yaml.skipped) return [];
  const items: CodeLensItem[] = [];
  for (const provider of CODE_LENS_PROVIDERS) {
    const result = provider({ workspace, file, options });
    appendAll(items, Array.isArray(result) ? result : yield* result);
    yield;
  }
  return items.sort((a, b) => a.start - b.start);
}

export function codeLenses(workspace: WorkspaceView, path: string, options: AnalysisOptions): CodeLensItem[] {
  return runSteps(codeLensSteps(workspace, path, options));
}

/** Runs work in steps to its end. */
export function runSteps<T>(steps: Generator<void, T, void>): T {
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}
