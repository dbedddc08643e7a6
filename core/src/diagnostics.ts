/**
 * The public, position-resolved result types of the core. Everything here is
 * plain data: the server converts it to LSP, the CLI to text/JSON/SARIF.
 */

import type { Severity } from './options';
import type { Position } from './text/lineIndex';

export interface Range {
  start: Position;
  end: Position;
}

export interface Location {
  file: string;
  /** File offsets. */
  start: number;
  end: number;
  /** Zero-based line/character range (UTF-16). */
  range: Range;
}

export interface TextEdit extends Location {
  newText: string;
}

export interface Fix {
  title: string;
  safe: boolean;
  preferred?: boolean;
  edits: TextEdit[];
}

export interface Diagnostic extends Location {
  severity: Severity;
  rule: string;
  message: string;
  docsUrl: string;
  related?: (Location & { message: string })[];
  fixes?: Fix[];
  tags?: ('unnecessary' | 'deprecated')[];
}
