/**
 * The 1-based line of a workspace anchor (file, document index,
 * document-relative offset), as reports and labels show it. One helper for
 * every place that turns an anchor into `file:line`.
 *
 * Invariant: a file or document the workspace does not hold gives line 1.
 */

import type { LineIndex } from '../text/lineIndex';
import type { WorkspaceModel } from './model';

interface WorkspaceWithLines {
  getFile?(path: string): { yaml: { documents: ReadonlyArray<{ start: number }>; lineIndex: LineIndex } } | undefined;
}

export function anchorLine(model: WorkspaceModel, anchor: { file: string; document: number; start: number }): number {
  const file = (model as WorkspaceWithLines).getFile?.(anchor.file);
  const document = file?.yaml.documents[anchor.document];
  return file && document ? file.yaml.lineIndex.positionAt(document.start + anchor.start).line + 1 : 1;
}
