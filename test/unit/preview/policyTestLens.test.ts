/** The CodeLens above each PolicyTest case: ✓ or ✗ with the deciding rules. */

import { describe, expect, it } from 'vitest';
import { codeLenses } from '../../../core/src/features/codeLens';
import { cnp, deployment, options, workspaceOf } from './support';

describe('PolicyTest lenses', () => {
  it('marks each case passed or failed and names the deciding rule', () => {
    const workspace = workspaceOf({
      api: deployment('shop', 'api', { app: 'api' }),
      policy: cnp('shop', 'api', '  endpointSelector:\n    matchLabels:\n      app: api\n  ingress:\n    - fromEndpoints:\n        - matchLabels:\n            app: web\n'),
      tests: 'apiVersion: meshlens.dev/v1alpha1\nkind: PolicyTest\nmetadata:\n  name: t\nspec:\n  cases:\n    - {from: shop/app=web, to: shop/api, port: 80, expect: allow}\n    - {from: shop/app=db, to: shop/api, port: 80, expect: allow}\n',
    });
    expect(codeLenses(workspace, '/repo/tests.yaml', options).map((lens) => lens.title)).toEqual([
      '✓ allow — decided by cnp shop/api ingress[0] (policy.yaml:11)',
      '✗ expected allow, the policies deny it — decided by cnp shop/api ingress (policy.yaml:10)',
    ]);
  });
});
