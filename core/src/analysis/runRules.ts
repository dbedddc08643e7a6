/**
 * Runs the registered rules over one document and collects raw findings.
 *
 * Containment: a rule that throws never takes the others down. Its failure is
 * handed to `onRuleError` (the server logs it once per rule id) and the
 * document keeps every other rule's findings.
 */

import type { AnalysisOptions, Severity } from '../options';
import { resolveSeverity } from '../options';
import type { YamlNode } from '../parse/ast';
import type { ParsedDocument } from '../parse/yamlFile';
import { OWNED_GROUPS, type ResourceIdentity } from '../resources/identify';
import type { DocRange, RawFinding, ReportExtra, Rule } from '../rules/types';
import type { WorkspaceModel } from '../workspace/model';

export interface RunRulesInput {
  file: string;
  documentIndex: number;
  document: ParsedDocument;
  resource: ResourceIdentity | undefined;
  workspace: WorkspaceModel;
  options: AnalysisOptions;
  rules: readonly Rule[];
  onRuleError?: (ruleId: string, error: unknown) => void;
}

export function runRules(input: RunRulesInput): RawFinding[] {
  const findings: RawFinding[] = [];
  for (const rule of input.rules) {
    const configured = resolveSeverity(input.options, rule.meta.id, rule.meta.severity);
    if (configured === 'off') continue;
    const report = (target: YamlNode | DocRange, message: string, extra: ReportExtra = {}) => {
      const severity: Severity = input.options.rules[rule.meta.id] ? (configured as Severity) : extra.severity ?? (configured as Severity);
      findings.push({
        rule: rule.meta.id,
        severity,
        message,
        range: { start: target.start, end: Math.max(target.start, target.end) },
        fixes: extra.fixes,
        related: extra.related,
      });
    };
    try {
      rule.check({
        file: input.file,
        documentIndex: input.documentIndex,
        document: input.document,
        root: input.document.root,
        resource: input.resource,
        workspace: input.workspace,
        options: input.options,
        report,
      });
    } catch (error) {
      input.onRuleError?.(rule.meta.id, error);
    }
  }
  return findings;
}

/** Does this rule look at documents of this kind? */
export function ruleApplies(rule: Rule, resource: ResourceIdentity | undefined): boolean {
  if (rule.meta.anyDocument) return true;
  if (!resource) return false;
  if (rule.meta.kinds) return rule.meta.kinds.includes(resource.kind);
  return OWNED_GROUPS.has(resource.group);
}
