import type { Rule } from '../types';
import { reportSyntaxProblems } from './syntaxProblems';

export const unknownAlias: Rule = {
  meta: {
    id: 'yaml/unknown-alias',
    severity: 'error',
    title: 'Alias to an undefined anchor',
    anyDocument: true,
    docs: {
      summary: 'An alias (`*name`) refers to an anchor (`&name`) that is not defined earlier in the document.',
      why: 'The YAML is rejected when it is applied. Anchors do not cross `---` document boundaries.',
      bad: 'a: *missing\n',
      good: 'base: &base {x: 1}\na: *base\n',
    },
  },
  check(context) {
    reportSyntaxProblems(context, 'yaml/unknown-alias');
  },
};
