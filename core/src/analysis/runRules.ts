/**
 * Runs the registered rules over one document and collects raw findings
 * (`runRulesSteps`: the same, one rule per step).
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
import { isCrossFileRule, type DocRange, type LocalRuleContext, type RawFinding, type ReportExtra, type Rule } from '../rules/types';
import type { WorkspaceModel } from '../workspace/model';

/** A rule with its severity resolved for one options value (see `planRules`). */
export interface PlannedRule {
  rule: Rule;
  /** The configured severity; never 'off' (such rules are left out of a plan). */
  configured: Severity;
  /** True when the settings name this rule exactly: findings then keep `configured`. */
  exact: boolean;
}

export interface RunRulesInput {
  file: string;
  documentIndex: number;
  document: ParsedDocument;
  resource: ResourceIdentity | undefined;
  workspace: WorkspaceModel;
  options: AnalysisOptions;
  /** Rules to run; planned rules skip resolving severities per document. */
  rules: readonly (Rule | PlannedRule)[];
  onRuleError?: (ruleId: string, error: unknown) => void;
}

/** Resolves each rule's severity once for `options` and leaves out the rules turned off. */
export function planRules(rules: readonly Rule[], options: AnalysisOptions): PlannedRule[] {
  const planned: PlannedRule[] = [];
  for (const rule of rules) {
    const configured = resolveSeverity(options, rule.meta.id, rule.meta.severity);
    if (configured !== 'off') planned.push({ rule, configured, exact: Boolean(options.rules[rule.meta.id]) });
  }
  return planned;
}

export function runRules(input: RunRulesInput): RawFinding[] {
  const steps = runRulesSteps(input);
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

/**
 * The same as work in steps, one rule per step, so a host can answer other
 * requests between the rules of a very big document. Only for rules that run
 * without a dependency tracker open (document-local rules): a step must not
 * leave one open.
 */
export function* runRulesSteps(input: RunRulesInput): Generator<void, RawFinding[], void> {
  const findings: RawFinding[] = [];
  // An indexed loop: `entries()` allocates a pair per rule, and this runs for every rule on every document.
  for (let position = 0; position < input.rules.length; position++) {
    if (position > 0) yield;
    const entry = input.rules[position];
    const planned = 'rule' in entry ? entry : planRules([entry], input.options)[0];
    if (!planned) continue;
    const { rule, configured, exact } = planned;
    const report = (target: YamlNode | DocRange, message: string, extra: ReportExtra = {}) => {
      const severity: Severity = exact ? configured : extra.severity ?? configured;
      findings.push({
        rule: rule.meta.id,
        severity,
        message,
        range: { start: target.start, end: Math.max(target.start, target.end) },
        fixes: extra.fixes,
        related: extra.related,
        ...(extra.refused ? { refused: extra.refused } : {}),
        ...(extra.explains?.length
          ? { explains: extra.explains.filter((claim) => rule.meta.supersedes?.includes(claim.rule)).map((claim) => ({ rule: claim.rule, at: { start: claim.at.start, end: claim.at.end } })) }
          : {}),
      });
    };
    try {
      const context: LocalRuleContext = {
        document: input.document,
        root: input.document.root,
        resource: input.resource,
        options: input.options,
        report,
      };
      // A local rule gets no workspace at all: what it reports may depend on its document only.
      if (isCrossFileRule(rule)) rule.check({ ...context, file: input.file, documentIndex: input.documentIndex, workspace: input.workspace });
      else rule.check(context);
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
