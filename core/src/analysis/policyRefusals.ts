/**
 * Which findings make a policy refused as a whole: the rules that may say so
 * (`meta.mayRefusePolicy`) run on the document, whatever severity the
 * settings give them (turning a rule off does not make the agent accept the
 * policy), and the findings they mark `refused` are returned. The workspace
 * hands this to the effective-policy model, which treats such a policy as
 * not in force.
 *
 * Memoized for the whole workspace through `Workspace.derive` (recomputed when what the
 * rules read changes, e.g. the Cilium HelmRelease's `l7Proxy`). Never throws:
 * a rule that throws is left out.
 */

import type { AnalysisOptions } from '../options';
import { ALL_RULES } from '../rules/index';
import type { PolicyRefusal, PolicyRefusalSource } from '../workspace/model';
import type { Workspace } from '../workspace/workspace';
import { ruleApplies, runRules, type PlannedRule } from './runRules';

const REFUSING_RULES = ALL_RULES.filter((rule) => rule.meta.mayRefusePolicy);

export function policyRefusalSource(workspace: Workspace): PolicyRefusalSource {
  return (file: string, documentIndex: number, options: AnalysisOptions) => refusalsByDocument(workspace, options).get(`${file}#${documentIndex}`) ?? NONE;
}

const NONE: readonly PolicyRefusal[] = [];

/** Every refused policy document of the workspace (one derived value, so a large repository costs one cache entry). */
function refusalsByDocument(workspace: Workspace, options: AnalysisOptions): ReadonlyMap<string, readonly PolicyRefusal[]> {
  return workspace.derive(`policy-refusals:${options.ciliumVersion ?? ''}`, () => {
    const refused = new Map<string, readonly PolicyRefusal[]>();
    const kinds = new Set(REFUSING_RULES.flatMap((rule) => rule.meta.kinds ?? []));
    for (const kind of kinds) {
      for (const resource of workspace.byKind(kind)) {
        const document = workspace.getFile(resource.file)?.yaml.documents[resource.index];
        if (!document) continue;
        const identity = resource.identity;
        const rules: PlannedRule[] = REFUSING_RULES.filter((rule) => ruleApplies(rule, identity)).map((rule) => ({ rule, configured: rule.meta.severity, exact: false }));
        const findings = runRules({ file: resource.file, documentIndex: resource.index, document: document.parsed, resource: identity, workspace, options, rules });
        const refusals = findings.flatMap((finding) => (finding.refused ? [{ rule: finding.rule, by: finding.refused, message: finding.message, start: finding.range.start, end: finding.range.end }] : []));
        if (refusals.length > 0) refused.set(`${resource.file}#${resource.index}`, refusals);
      }
    }
    return refused;
  });
}
