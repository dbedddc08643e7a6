/**
 * Shared check for the YAML-level rules: reports the parser's problems of one
 * code. Syntax problems are reported only for documents that mention one of
 * our API groups, so meshlens adds no noise to YAML files it does not own
 * (another YAML tool reports those).
 */

import type { SyntaxProblem } from '../../parse/ast';
import { mentionsOwnedGroup, OWNED_GROUPS } from '../../resources/identify';
import type { RuleContext } from '../types';

export function reportSyntaxProblems(context: RuleContext, code: SyntaxProblem['code']): void {
  const problems = context.document.problems.filter((problem) => problem.code === code);
  if (problems.length === 0) return;
  const owned = context.resource ? OWNED_GROUPS.has(context.resource.group) : mentionsOwnedGroup(context.document.text);
  if (!owned) return;
  for (const problem of problems) {
    context.report(problem, problem.message, {
      related: problem.related
        ? [{ at: { file: context.file, document: context.documentIndex, start: problem.related.start, end: problem.related.end }, message: problem.related.message }]
        : undefined,
    });
  }
}
