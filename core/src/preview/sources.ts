/**
 * Provenance for the effective-policy model: turns a YAML node of some
 * document into a `SourceRef` (file, document, document-relative range,
 * 1-based line, rule label), and formats `file:line` for display.
 *
 * Lines come from the workspace's line index of the file; a file that is not
 * in the workspace (cannot happen for indexed documents) falls back to line 1.
 */

import type { WorkspaceView } from '../workspace/workspace';
import type { SourceRef } from './model';
import { anchorLine } from '../workspace/anchorLine';

export interface NodeRange {
  start: number;
  end: number;
}

export type SourceMaker = (file: string, document: number, node: NodeRange, rule: string) => SourceRef;

export function sourceMaker(workspace: WorkspaceView): SourceMaker {
  return (file, document, node, rule) => {
    return { file, document, start: node.start, end: node.end, line: anchorLine(workspace, { file, document, start: node.start }), rule };
  };
}

/** How a file is shown to the user: relative to a workspace root when inside one. */
export type DisplayFile = (file: string) => string;

export function relativeDisplay(roots: readonly string[]): DisplayFile {
  return (file) => {
    for (const root of roots) {
      const base = root.replace(/\/$/, '');
      if (file.startsWith(`${base}/`)) return file.slice(base.length + 1);
    }
    return file;
  };
}

/** `checkout-policy.yaml:9` — the base name keeps lenses short. */
export function shortLocation(source: SourceRef): string {
  return `${source.file.slice(source.file.lastIndexOf('/') + 1)}:${source.line}`;
}

export function location(source: SourceRef, display: DisplayFile = (file) => file): string {
  return `${display(source.file)}:${source.line}`;
}

/** Identity of a source (file, document, start): two rules read from the same node are one source. */
export function sourceKey(source: SourceRef): string {
  return `${source.file}:${source.document}:${source.start}`;
}

/** The sources in order, each once (by `sourceKey`). */
export function uniqueSources(sources: readonly SourceRef[]): SourceRef[] {
  const seen = new Set<string>();
  return sources.filter((source) => {
    const key = sourceKey(source);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
