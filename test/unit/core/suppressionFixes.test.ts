/**
 * "Disable for this line / file" edits: applied to the text, the finding is
 * silenced (the suppression parser agrees), existing comments are extended,
 * CRLF files stay CRLF.
 */

import { describe, expect, it } from 'vitest';
import { applyEdits, suppressionFixes } from '../../../core/src/index';
import { isSuppressed, parseSuppressions } from '../../../core/src/parse/suppressions';

function apply(text: string, title: string, rule: string, line: number): string {
  const fix = suppressionFixes('f.yaml', text, rule, line).find((candidate) => candidate.title.endsWith(title));
  expect(fix, `${title} offered`).toBeDefined();
  return applyEdits(text, fix!.edits).text;
}

const POLICY = 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nspec:\n  ingress:\n    - fromEntities: [World]\n';

describe('suppression fixes', () => {
  it('writes a next-line comment at the indentation of the finding, which then silences it', () => {
    const fixed = apply(POLICY, 'for this line', 'cnp/unknown-entity', 4);
    expect(fixed).toBe('apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nspec:\n  ingress:\n    # meshlens-disable-next-line cnp/unknown-entity\n    - fromEntities: [World]\n');
    expect(isSuppressed(parseSuppressions(fixed), 'cnp/unknown-entity', 5)).toBe(true);
  });

  it('extends an existing comment instead of writing a second one, and offers nothing when the rule is already named', () => {
    const once = apply(POLICY, 'for this line', 'cnp/unknown-entity', 4);
    const twice = apply(once, 'for this line', 'cnp/l7-requires-tcp', 5);
    expect(twice).toContain('    # meshlens-disable-next-line cnp/unknown-entity, cnp/l7-requires-tcp\n    - fromEntities');
    expect(isSuppressed(parseSuppressions(twice), 'cnp/l7-requires-tcp', 5)).toBe(true);
    expect(suppressionFixes('f.yaml', once, 'cnp/unknown-entity', 5).map((fix) => fix.title)).toEqual(['Disable cnp/unknown-entity for this file']);
  });

  it('writes or extends the file comment', () => {
    const fixed = apply(POLICY, 'for this file', 'cnp/unknown-entity', 4);
    expect(fixed.startsWith('# meshlens-disable-file cnp/unknown-entity\napiVersion')).toBe(true);
    const again = apply(fixed, 'for this file', 'schema/unknown-field', 2);
    expect(again.startsWith('# meshlens-disable-file cnp/unknown-entity, schema/unknown-field\n')).toBe(true);
    expect(isSuppressed(parseSuppressions(again), 'schema/unknown-field', 3)).toBe(true);
  });

  it('keeps CRLF line endings', () => {
    const crlf = POLICY.replace(/\n/g, '\r\n');
    const fixed = apply(crlf, 'for this line', 'cnp/unknown-entity', 4);
    expect(fixed).toContain('    # meshlens-disable-next-line cnp/unknown-entity\r\n    - fromEntities');
    expect(fixed.replace(/\r\n/g, '')).not.toContain('\n');
  });
});
