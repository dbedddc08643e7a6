/**
 * A CodeLens above every case of a `PolicyTest`: `✓ allow — decided by …` or
 * `✗ expected deny, the policies allow it — decided by …`; clicking it opens
 * the effective policy of the case's destination workload. Never throws.
 */

import type { CodeLensItem, CodeLensProvider } from './codeLens';
import { SHOW_EFFECTIVE_POLICY_COMMAND } from './previewInline';
import { POLICY_TEST_KIND, runPolicyTests } from '../preview/policyTests';
import { containedError } from '../util/containedErrors';

const MAX_TITLE = 160;

export const policyTestLens: CodeLensProvider = ({ workspace, file, options }) => {
  try {
    if (!file.identities.some((identity) => identity?.kind === POLICY_TEST_KIND)) return [];
    const items: CodeLensItem[] = [];
    for (const result of runPolicyTests(workspace, options, file.path)) {
      const at = (file.yaml.documents[result.testCase.document]?.start ?? 0) + result.testCase.start;
      const mark = result.outcome === 'pass' ? '✓' : '✗';
      const title = `${mark} ${result.outcome === 'error' ? `cannot run: ${result.message}` : result.message}`;
      const target = result.result?.to;
      items.push({ start: at, end: at, title: title.length > MAX_TITLE ? `${title.slice(0, MAX_TITLE - 1)}…` : title, ...(target && target.includes('/') ? { command: { id: SHOW_EFFECTIVE_POLICY_COMMAND, arguments: [{ workload: target }] } } : {}) });
    }
    return items;
  } catch (error) {
    containedError('features/policy-test-lens', error);
    return [];
  }
};
