import type { Rule } from '../types';
import { locatedSchemaIssues } from './schemaFindings';

export const invalidValue: Rule = {
  meta: {
    id: 'schema/invalid-value',
    severity: 'error',
    title: 'Value outside what the schema allows',
    docs: {
      summary: 'A value that is not one of the allowed values, does not match the required pattern, or is out of range.',
      why: 'The API server rejects the resource.',
      bad: 'spec:\n  action: allow\n',
      good: 'spec:\n  action: ALLOW\n',
    },
  },
  check(context) {
    for (const { issue, node } of locatedSchemaIssues(context, 'value')) context.report(node, issue.message);
  },
};
