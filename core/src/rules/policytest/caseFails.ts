/**
 * policytest/case-fails: a case of a `PolicyTest` document whose expected
 * verdict is not what the repository's policies give (or that cannot run: an
 * unknown workload, a missing field). Reported on the case, with the rules
 * that decided. The same evaluation drives `meshlens test` and the per-case
 * CodeLens (see `preview/policyTests.ts`).
 */

import { runPolicyTests } from '../../preview/policyTests';
import { Workspace } from '../../workspace/workspace';
import type { CrossFileRule } from '../types';

export const POLICY_TEST_CASE_FAILS = 'policytest/case-fails';

export const policyTestCaseFails: CrossFileRule = {
  meta: {
    id: POLICY_TEST_CASE_FAILS,
    severity: 'error',
    title: 'PolicyTest case that fails',
    kinds: ['PolicyTest'],
    crossFile: true,
    docs: {
      summary: 'A `PolicyTest` case expects a verdict (allow or deny) that the Cilium, Kubernetes and Istio policies of the repository do not give, or the case cannot be evaluated.',
      why: 'PolicyTest cases state who must and must not reach whom. A failing case means a policy change broke an intended connection or opened a forbidden one; meshlens test exits 1 on it in CI.',
      bad: 'apiVersion: meshlens.dev/v1alpha1\nkind: PolicyTest\nmetadata: {name: shop}\nspec:\n  cases:\n    - from: shop/app=web\n      to: shop/app=api\n      port: 8080\n      expect: deny\n',
      good: 'apiVersion: meshlens.dev/v1alpha1\nkind: PolicyTest\nmetadata: {name: shop}\nspec:\n  cases:\n    - from: shop/app=web\n      to: shop/app=api\n      port: 8080\n      expect: allow\n',
      source: 'meshlens PolicyTest schema (schemas/resources/meshlens.dev_v1alpha1_policytest.json) and the simulate model',
    },
  },
  check(context) {
    if (!(context.workspace instanceof Workspace)) return;
    for (const result of runPolicyTests(context.workspace, context.options, context.file)) {
      // A case naming an unknown cluster is policytest/unknown-cluster's finding (one mistake, one finding).
      if (result.testCase.document !== context.documentIndex || result.outcome === 'pass' || result.unknownCluster) continue;
      const { start, end } = result.testCase;
      context.report({ start, end }, `${result.testCase.name}: ${result.outcome === 'error' ? `cannot run: ${result.message}` : result.message}`);
    }
  },
};
