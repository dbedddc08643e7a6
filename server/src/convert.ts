/**
 * The only place that knows both the core's plain data and LSP types
 * (ruff's `to_lsp_diagnostic` pattern). Quick-fixes travel in the
 * diagnostic's `data`, so code actions never match on message text.
 */

import {
  CodeActionKind,
  DiagnosticSeverity,
  DiagnosticTag,
  MarkupKind,
  CompletionItemKind,
  InsertTextFormat,
  InsertTextMode,
  CompletionItemTag,
  type CodeAction,
  type CompletionItem,
  type Diagnostic as LspDiagnostic,
  type Hover,
  type WorkspaceEdit,
  type TextEdit as LspTextEdit,
} from 'vscode-languageserver';
import type { CompletionItem as CoreCompletionItem, Diagnostic, Fix, HoverResult, LineIndex } from '../../core/src/index';
import { keyToUri } from './uris';

const SEVERITY = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
} as const;

export interface DiagnosticData {
  fixes: Fix[];
}

export function toLspDiagnostic(diagnostic: Diagnostic): LspDiagnostic {
  const result: LspDiagnostic = {
    range: diagnostic.range,
    severity: SEVERITY[diagnostic.severity],
    code: diagnostic.rule,
    codeDescription: { href: diagnostic.docsUrl },
    source: 'meshlens',
    message: diagnostic.message,
  };
  if (diagnostic.related?.length) {
    result.relatedInformation = diagnostic.related.map((related) => ({
      location: { uri: keyToUri(related.file), range: related.range },
      message: related.message,
    }));
  }
  if (diagnostic.tags?.length) {
    result.tags = diagnostic.tags.map((tag) => (tag === 'deprecated' ? DiagnosticTag.Deprecated : DiagnosticTag.Unnecessary));
  }
  if (diagnostic.fixes?.length) result.data = { fixes: diagnostic.fixes } satisfies DiagnosticData;
  return result;
}

export function fixesToCodeActions(diagnostic: LspDiagnostic): CodeAction[] {
  const data = diagnostic.data as Partial<DiagnosticData> | undefined;
  if (!data || !Array.isArray(data.fixes)) return [];
  return data.fixes.map((fix) => ({
    title: fix.title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [diagnostic],
    isPreferred: fix.preferred === true,
    edit: fixToWorkspaceEdit(fix),
  }));
}

export function fixToWorkspaceEdit(fix: Fix): WorkspaceEdit {
  const changes: Record<string, LspTextEdit[]> = {};
  for (const edit of fix.edits) {
    const uri = keyToUri(edit.file);
    (changes[uri] ??= []).push({ range: edit.range, newText: edit.newText });
  }
  return { changes };
}

export function toLspHover(result: HoverResult, lines: LineIndex): Hover {
  return {
    contents: { kind: MarkupKind.Markdown, value: result.contents },
    range: { start: lines.positionAt(result.start), end: lines.positionAt(result.end) },
  };
}

const COMPLETION_KIND = {
  property: CompletionItemKind.Property,
  value: CompletionItemKind.Value,
  enum: CompletionItemKind.EnumMember,
  reference: CompletionItemKind.Reference,
  snippet: CompletionItemKind.Snippet,
} as const;

export function toLspCompletion(item: CoreCompletionItem, lines: LineIndex): CompletionItem {
  return {
    label: item.label,
    kind: COMPLETION_KIND[item.kind],
    detail: item.detail,
    documentation: item.documentation ? { kind: MarkupKind.Markdown, value: item.documentation } : undefined,
    sortText: item.sortText,
    insertTextFormat: item.snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
    // Core writes multi-line insertions with absolute indentation; the editor must not indent them again.
    insertTextMode: InsertTextMode.asIs,
    tags: item.deprecated ? [CompletionItemTag.Deprecated] : undefined,
    textEdit: {
      range: { start: lines.positionAt(item.replaceStart), end: lines.positionAt(item.replaceEnd) },
      newText: item.insertText,
    },
  };
}
