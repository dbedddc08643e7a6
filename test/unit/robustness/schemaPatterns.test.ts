/**
 * Schema patterns run on RE2 (linear time): a near-miss value against the
 * upstream FQDN pattern, which takes seconds on a backtracking engine, is
 * checked in milliseconds, and Go-style Unicode classes work.
 */

import { describe, expect, it } from 'vitest';
import { defaultAnalysisOptions } from '../../../core/src/options';
import { MeshlensService } from '../../../core/src/service';

function check(text: string) {
  const service = new MeshlensService();
  service.setFile('/repo/p.yaml', text);
  const started = performance.now();
  const diagnostics = service.diagnostics('/repo/p.yaml', defaultAnalysisOptions());
  return { diagnostics, elapsed: performance.now() - started };
}

describe('schema patterns', () => {
  it('a pathological near-miss FQDN is rejected quickly', () => {
    const nearMiss = `${'a-'.repeat(40)}!`;
    const { diagnostics, elapsed } = check(
      `apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: x}\nspec:\n  endpointSelector: {}\n  egress:\n    - toFQDNs:\n        - matchName: "${nearMiss}"\n`,
    );
    expect(elapsed).toBeLessThan(1000);
    expect(diagnostics.some((diagnostic) => diagnostic.range.start.line === 7)).toBe(true);
  });
});

describe('precompiled validators', () => {
  it('keep each pattern apart (ajv keys compiled patterns by their string form)', () => {
    const document = (url: string) =>
      `apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata: {name: podinfo}\nspec:\n  interval: 1h\n  url: ${url}\n`;
    expect(check(document('oci://ghcr.io/stefanprodan/charts/podinfo')).diagnostics).toEqual([]);
    expect(check(document('https://ghcr.io/x')).diagnostics.map((diagnostic) => diagnostic.rule)).toEqual(['schema/invalid-value']);
  });
});
