import type { LocalRule } from '../types';

/**
 * Whole files the engine does not analyse (too large, binary, a chart's
 * template files) are reported by the analyzer; this rule holds their id,
 * docs and severity setting, and reports the single documents that are
 * Go/Helm templates (they do not parse because of template actions) at
 * their first line. Severity is `info`, and `hint` for templates.
 */
export const fileSkipped: LocalRule = {
  meta: {
    id: 'yaml/file-skipped',
    severity: 'info',
    title: 'File not analysed',
    anyDocument: true,
    docs: {
      summary: 'The file or document is skipped: it is larger than `meshlens.maxFileSize`, contains binary data, or is a Go/Helm template that is not YAML until rendered (a file in a chart\'s `templates/` folder, or a document that does not parse because of `{{ … }}` actions in its structure).',
      why: 'Analysing such files would be slow or produce false findings. Raise the size limit if a large manifest should be checked. A `{{` in a comment or a quoted string does not make a document a template: its syntax errors are still reported.',
      good: 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata:\n  name: shop-web\nspec:\n  endpointSelector: {}\n  ingress: [{}]\n',
      bad: 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata:\n  name: {{ .Release.Name }}-web\nspec:\n  endpointSelector: {}\n  ingress: [{}]\n',
    },
  },
  check(context) {
    if (!context.document.goTemplate()) return;
    const text = context.document.text;
    const firstLine = /^(?:---[^\n]*\n|[ \t]*(?:#[^\n]*)?\n)*/.exec(text)?.[0].length ?? 0;
    const lineEnd = text.indexOf('\n', firstLine);
    context.report(
      { start: firstLine, end: lineEnd === -1 ? text.length : lineEnd },
      'Document holds Go/Helm template actions ({{ … }}) and is not YAML until rendered; it is not analysed',
      { severity: 'hint' },
    );
  },
};
