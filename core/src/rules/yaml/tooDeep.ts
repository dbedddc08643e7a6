import type { CrossFileRule } from '../types';
import { reportParseFailures } from './syntaxProblems';

export const tooDeep: CrossFileRule = {
  meta: {
    id: 'yaml/too-deep',
    severity: 'warning',
    title: 'YAML nested too deeply to analyse',
    anyDocument: true,
    crossFile: true,
    docs: {
      summary: 'The document nests collections more deeply than meshlens analyses (a guard against hostile input).',
      why: 'No real manifest nests this deep; such input is usually generated or hostile. The document is skipped, the rest of the file is checked.',
      good: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: shallow}\ndata: {}\n',
      bad: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\ndata: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n',
    },
  },
  check(context) {
    reportParseFailures(context, 'yaml/too-deep');
  },
};
