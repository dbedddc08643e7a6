/**
 * Shared check for the YAML-level rules: reports the parser's problems of one
 * code for documents meshlens is responsible for, and stays quiet on YAML it
 * does not own (another YAML tool reports those).
 *
 * Responsibility (`reportsSyntaxOf`):
 * - syntax errors (`yaml/syntax`, `yaml/too-deep`) in every document of a
 *   file that holds any Kubernetes manifest (any apiVersion/kind), of a
 *   kustomization file, or of a values file a HelmRelease reads;
 * - the other YAML problems in documents of our API groups, as before.
 * A document that is a Go/Helm template (`ParsedDocument.goTemplate`) gets no
 * syntax finding; `yaml/file-skipped` says it is not analysed.
 */

import type { SyntaxProblem } from '../../parse/ast';
import { isKustomizationPath, looksLikeKubernetesManifest } from '../../parse/manifestText';
import { embeddedValuesProblems, valuesInputFiles } from '../../helm/effectiveValues';
import { mentionsOwnedGroup, OWNED_GROUPS } from '../../resources/identify';
import type { LocalRuleContext, RuleContext } from '../types';

/** Parse failures: reported for every relevant document, not only our kinds. */
const PARSE_FAILURES: ReadonlySet<SyntaxProblem['code']> = new Set(['yaml/syntax', 'yaml/too-deep']);

/** Problems of the document alone (a duplicate key, an unknown alias): reported in our kinds' documents. */
export function reportDocumentProblems(context: LocalRuleContext, code: 'yaml/duplicate-key' | 'yaml/unknown-alias'): void {
  reportProblems(context, code, () => false);
}

/** Parse failures: also in any file that holds a manifest or kustomization or that a release reads as values. */
export function reportParseFailures(context: RuleContext, code: 'yaml/syntax' | 'yaml/too-deep'): void {
  if (code === 'yaml/syntax' && context.resource?.kind === 'ConfigMap') reportEmbeddedValuesProblems(context);
  reportProblems(context, code, () => fileIsOurs(context));
}

function reportProblems(context: LocalRuleContext, code: SyntaxProblem['code'], fileIsOurs: () => boolean): void {
  const problems = context.document.problems.filter((problem) => problem.code === code);
  if (problems.length === 0) return;
  if (code === 'yaml/syntax' && context.document.goTemplate()) return;
  const owned = context.resource ? OWNED_GROUPS.has(context.resource.group) : mentionsOwnedGroup(context.document.text);
  if (!owned && !(PARSE_FAILURES.has(code) && fileIsOurs())) return;
  for (const problem of problems) {
    context.report(problem, problem.message, {
      related: problem.related
        ? [{ at: { start: problem.related.start, end: problem.related.end }, message: problem.related.message }]
        : undefined,
    });
  }
}

/** A values block in this ConfigMap that a HelmRelease reads but that does not parse: the error where it is. */
function reportEmbeddedValuesProblems(context: RuleContext): void {
  for (const problem of embeddedValuesProblems(context.workspace).get(`${context.file}#${context.documentIndex}`) ?? []) {
    context.report(problem, `${problem.message} (in the values a HelmRelease reads from this ConfigMap)`);
  }
}

/** Does the file hold a manifest or kustomization, or is it read as Helm values? */
function fileIsOurs(context: RuleContext): boolean {
  if (looksLikeKubernetesManifest(context.document.text) || isKustomizationPath(context.file)) return true;
  const documents = context.workspace.fileDocuments(context.file);
  if (documents.some((document) => document !== context.document && looksLikeKubernetesManifest(document.text))) return true;
  return valuesInputFiles(context.workspace).has(context.file);
}
