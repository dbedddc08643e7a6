/**
 * Shared glue of the `kernel/*` rules: each rule reports the findings the
 * kernel model placed in the document being checked (see
 * `kernel/kernelFindings.ts`), so every rule stays a few lines and the
 * workspace-wide work happens once per generation.
 */

import { kernelFindingsIn } from '../../kernel/kernelFindings';
import type { RuleContext } from '../types';

export function reportKernelFindings(context: RuleContext, ruleId: string): void {
  for (const finding of kernelFindingsIn(context.workspace, context.options, ruleId, context.file, context.documentIndex)) {
    context.report({ start: finding.at.start, end: finding.at.end }, finding.message, {
      severity: finding.severity,
      ...(finding.fixes ? { fixes: finding.fixes } : {}),
      ...(finding.related && finding.related.length > 0 ? { related: finding.related } : {}),
    });
  }
}
