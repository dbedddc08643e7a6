import type { Rule } from '../types';

/**
 * Emitted by the engine for whole files it does not analyse (too large,
 * binary, Go/Helm templates); the rule exists here for its id, docs and
 * severity setting. Severity is `info`, and `hint` for templates.
 */
export const fileSkipped: Rule = {
  meta: {
    id: 'yaml/file-skipped',
    severity: 'info',
    title: 'File not analysed',
    anyDocument: true,
    docs: {
      summary: 'The file is skipped: it is larger than `meshlens.maxFileSize`, contains binary data, or is a Go/Helm template that is not YAML until rendered.',
      why: 'Analysing such files would be slow or produce false findings. Raise the size limit if a large manifest should be checked.',
    },
  },
  check() {
    // Whole-file condition: the analyzer reports it before documents are checked.
  },
};
