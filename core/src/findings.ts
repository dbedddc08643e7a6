/**
 * The finding vocabulary every layer speaks: ranges in a document, anchors in
 * any document of the workspace, fixes as edits, related locations. Plain
 * types only; rules report with them (`rules/types.ts` re-exports them), and
 * the domain models (helm values, kernel, Flux edits, policy context) locate
 * what they find with them.
 *
 * Invariant: offsets are relative to the document they name (the engine maps
 * them to file positions at the edge), so they stay valid when an edit
 * elsewhere in the file moves the document.
 */

export interface DocRange {
  start: number;
  end: number;
}

/** A place in some document of the workspace: offsets relative to that document. */
export interface Anchor extends DocRange {
  file: string;
  document: number;
}

export interface RuleEdit {
  /** Where to edit; without `file`, the document being checked. */
  range: DocRange | Anchor;
  newText: string;
}

export interface RuleFix {
  title: string;
  /** Safe fixes keep behaviour intended by the author and may be applied by `--fix`. */
  safe: boolean;
  preferred?: boolean;
  edits: RuleEdit[];
}

export interface RelatedInfo {
  /** Without `file`, a place in the document being checked (what a document-local rule can name). */
  at: DocRange | Anchor;
  message: string;
}
