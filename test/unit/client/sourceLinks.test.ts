/**
 * Links in the effective-policy and simulation documents
 * (`client/src/preview/sourceLinks.ts`): every `file:line` the server writes
 * is found, with the exact range to underline, and resolves to the file and
 * line of the rule it names. Fed with real renderings of the core.
 */

import { describe, expect, it } from 'vitest';
import { candidatePaths, findSourceReferences } from '../../../client/src/preview/sourceLinks';
import { effectivePolicy } from '../../../core/src/preview/effectivePolicy';
import { renderEffectivePolicy, renderSimulation } from '../../../core/src/preview/render';
import { relativeDisplay } from '../../../core/src/preview/sources';
import { cnp, deployment, options, simulate, workspaceOf } from '../preview/support';

const workspace = workspaceOf({
  apps: `${deployment('shop', 'web', { app: 'web' })}---\n${deployment('shop', 'db', { app: 'db' })}`,
  'policies/db': cnp('shop', 'db-ingress', '  endpointSelector:\n    matchLabels: {app: db}\n  ingress:\n    - fromEndpoints:\n        - matchLabels: {app: web}\n      toPorts:\n        - ports:\n            - port: "5432"\n              protocol: TCP\n'),
});
const display = relativeDisplay(['/repo']);

/** The text of the workspace line a reference names. */
function lineOf(path: string, line: number): string | undefined {
  const [file] = candidatePaths(path, ['/repo']);
  return workspace.getFile(file)?.text.split('\n')[line - 1];
}

describe('source links in the preview documents', () => {
  it('finds every file:line of an effective policy, each naming a line of the workspace', () => {
    const model = effectivePolicy(workspace, 'shop/db', options)!;
    const markdown = renderEffectivePolicy(model, 'markdown', display);
    const references = findSourceReferences(markdown);
    expect(references.length).toBeGreaterThanOrEqual(2);
    for (const reference of references) {
      expect(markdown.slice(reference.start, reference.end)).toBe(`${reference.path}:${reference.line}`);
      expect(lineOf(reference.path, reference.line), `${reference.path}:${reference.line}`).toBeDefined();
    }
    // The port rule that admits web, the policy's ingress section, and the workload itself.
    const lines = references.map((reference) => `${reference.path}: ${lineOf(reference.path, reference.line)!.trim()}`);
    expect(lines).toEqual(expect.arrayContaining(['policies/db.yaml: - ports:', 'policies/db.yaml: ingress:', 'apps.yaml: name: db']));
  });

  it('finds the deciding rules of a simulation', () => {
    const result = simulate(workspace, { from: 'shop/web', to: 'shop/db', port: 5432, protocol: 'TCP' });
    const markdown = renderSimulation(result, 'markdown', display);
    const references = findSourceReferences(markdown);
    expect(references.map((reference) => reference.path)).toContain('policies/db.yaml');
  });

  it('reads paths as written and resolves them under each workspace folder', () => {
    const text = '- allow — `clusters/prod/a b.yaml:12`\n- `/abs/x.yml:3` and `not-a-file:4`, `c.yaml:0`';
    expect(findSourceReferences(text).map(({ path, line }) => `${path}@${line}`)).toEqual(['clusters/prod/a b.yaml@12', '/abs/x.yml@3']);
    expect(candidatePaths('a.yaml', ['/one/', '/two'])).toEqual(['/one/a.yaml', '/two/a.yaml']);
    expect(candidatePaths('/abs/a.yaml', ['/one'])).toEqual(['/abs/a.yaml']);
    expect(candidatePaths('C:\\\\repo\\\\a.yaml', ['/one'])).toEqual(['C:\\\\repo\\\\a.yaml']);
  });
});
