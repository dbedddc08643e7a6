import { DEFAULT_EXPANSION_BUDGET } from '../../parse/toValue';
import type { LocalRule } from '../types';

export const aliasExpansion: LocalRule = {
  meta: {
    id: 'yaml/alias-expansion',
    severity: 'error',
    title: 'Aliases expand to an enormous document',
    anyDocument: true,
    docs: {
      summary: `Expanding the document's aliases would produce more than ${DEFAULT_EXPANSION_BUDGET.toLocaleString('en-US')} nodes (a "billion laughs" pattern).`,
      why: 'The Kubernetes API server and Flux refuse such documents, and expanding them exhausts memory. meshlens does not expand it and skips the document.',
      good: 'base: &base [x, x, x]\ncopy: *base\n',
      bad: 'a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: [*f, *f, *f, *f, *f, *f, *f, *f, *f]\n',
    },
  },
  check(context) {
    if (!context.document.root || !context.document.text.includes('*')) return;
    if (!context.document.value().exceeded) return;
    const root = context.document.root;
    context.report({ start: root.start, end: Math.min(root.end, root.start + 1) }, 'Aliases in this document expand beyond the size meshlens analyses; the document is not checked');
  },
};
