/**
 * Shared `check` body of the helm rules: report the precomputed value
 * findings of one kind that are located in the document being checked
 * (a HelmRelease, a ConfigMap holding values, or a plain values file).
 */

import { helmFindingsAt, type HelmFindingKind } from '../../helm/valueFindings';
import type { RuleContext } from '../types';

export function reportHelmFindings(context: RuleContext, kind: HelmFindingKind): void {
  for (const finding of helmFindingsAt(context.workspace, context.file, context.documentIndex, kind)) {
    context.report({ start: finding.at.start, end: finding.at.end }, finding.message, {
      severity: finding.severity,
      fixes: finding.fixes && finding.fixes.length > 0 ? finding.fixes : undefined,
      related: finding.related,
    });
  }
}
