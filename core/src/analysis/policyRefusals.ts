/**
 * Which findings make a policy refused as a whole: the rules that may say so
 * (`meta.mayRefusePolicy`) run on the document, whatever severity the
 * settings give them (turning a rule off does not make the agent accept the
 * policy), and the findings they mark `refused` are returned. The workspace
 * hands this to the effective-policy model, which treats such a policy as
 * not in force.
 *
 * Cached per document with the reads the rules made (`Workspace.track`), so
 * an edit elsewhere does not run them again; the answer is recomputed when
 * the document or what the rules read changes (e.g. the Cilium HelmRelease's
 * `l7Proxy`), and the caller records those reads too. Never throws: a rule
 * that throws is left out.
 *
 * When the analysis already holds the document's findings for the same
 * options (`Analyzer.heldFindings`: the diagnostics ran) and every refusing
 * rule that applies ran there, those findings are used instead of running
 * the rules again: the rules' findings do not depend on the severity they are
 * configured with, only their order does matter (the first refusal is the one
 * shown), and it is kept (rule order, then report order). The reads are then
 * those of every cross-file rule on the document, a superset.
 */

import type { AnalysisOptions } from '../options';
import { ALL_RULES } from '../rules/index';
import type { PolicyRefusal, PolicyRefusalSource } from '../workspace/model';
import type { Dependencies, Workspace } from '../workspace/workspace';
import type { ParsedDocument } from '../parse/yamlFile';
import type { ResourceIdentity } from '../resources/identify';
import type { RawFinding } from '../rules/types';
import type { HeldFindings } from './analyzer';
import { ruleApplies, runRules, type PlannedRule } from './runRules';

const REFUSING_RULES = ALL_RULES.filter((rule) => rule.meta.mayRefusePolicy || rule.meta.refusesPolicy);
const ALWAYS_REFUSES = new Map(ALL_RULES.flatMap((rule) => (rule.meta.refusesPolicy ? [[rule.meta.id, rule.meta.refusesPolicy] as const] : [])));
/** Position of each refusing rule in the registry: the order `runRules` runs them in. */
const REFUSING_ORDER = new Map(REFUSING_RULES.map((rule, position) => [rule.meta.id, position]));

/** What the analysis holds for a document, if anything (see `Analyzer.heldFindings`). */
export type HeldFindingsSource = (file: string, documentIndex: number, parsed: ParsedDocument, resource: ResourceIdentity | undefined, options: AnalysisOptions) => HeldFindings | undefined;

export function policyRefusalSource(workspace: Workspace, held?: HeldFindingsSource): PolicyRefusalSource {
  const cache = new Map<string, CachedRefusals>();
  return (file: string, documentIndex: number, options: AnalysisOptions) => {
    const yamlFile = workspace.getFile(file);
    const document = yamlFile?.yaml.documents[documentIndex];
    if (!yamlFile || !document) return NONE;
    const key = `${file}#${documentIndex}`;
    const optionsKey = options.ciliumVersion ?? '';
    const cached = cache.get(key);
    if (cached && cached.parsed === document.parsed && cached.optionsKey === optionsKey && workspace.isCurrent(cached.dependencies)) {
      // The caller (the policy index) must still be invalidated by what the rules read, e.g. the Cilium HelmRelease.
      workspace.recordDependencies(cached.dependencies);
      return cached.refusals;
    }
    const resource = yamlFile.identities[documentIndex];
    const applicable = REFUSING_RULES.filter((rule) => ruleApplies(rule, resource));
    const reused = applicable.length > 0 ? held?.(file, documentIndex, document.parsed, resource, options) : undefined;
    let refusals: readonly PolicyRefusal[];
    let dependencies: Dependencies;
    if (reused && applicable.every((rule) => reused.ran.has(rule.meta.id))) {
      const findings = [...reused.local, ...reused.crossFile].filter((finding) => REFUSING_ORDER.has(finding.rule));
      // Array sort is stable: report order is kept within a rule.
      findings.sort((a, b) => REFUSING_ORDER.get(a.rule)! - REFUSING_ORDER.get(b.rule)!);
      refusals = refusalsOf(findings);
      dependencies = new Map([...workspace.documentDependency(file, documentIndex), ...reused.dependencies]);
    } else {
      const rules: PlannedRule[] = applicable.map((rule) => ({ rule, configured: rule.meta.severity, exact: false }));
      ({ value: refusals, dependencies } = workspace.track(
        () => (rules.length === 0 ? NONE : refusalsOf(runRules({ file, documentIndex, document: document.parsed, resource, workspace, options, rules }))),
        workspace.documentDependency(file, documentIndex),
      ));
    }
    if (cache.size >= MAX_CACHED_DOCUMENTS) cache.clear();
    cache.set(key, { parsed: document.parsed, optionsKey, dependencies, refusals });
    workspace.recordDependencies(dependencies);
    return refusals;
  };
}

interface CachedRefusals {
  parsed: ParsedDocument;
  optionsKey: string;
  dependencies: Dependencies;
  refusals: readonly PolicyRefusal[];
}

/** Documents whose answers are kept (far above the policies of any repository; cleared when reached). */
const MAX_CACHED_DOCUMENTS = 20_000;

const NONE: readonly PolicyRefusal[] = [];

function refusalsOf(findings: readonly RawFinding[]): readonly PolicyRefusal[] {
  const refused = findings.flatMap((finding) => {
    const by = finding.refused ?? ALWAYS_REFUSES.get(finding.rule);
    return by ? [{ rule: finding.rule, by, message: finding.message, start: finding.range.start, end: finding.range.end }] : [];
  });
  return refused.length > 0 ? refused : NONE;
}
