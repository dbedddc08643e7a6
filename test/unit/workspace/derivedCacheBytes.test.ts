/**
 * The workspace's cache of derived values is bounded by estimated bytes, not
 * only by entry count: big derived values (a cluster's build, an index over a
 * big repository) push the oldest out, the value just computed stays, and
 * what the files themselves hold (parsed documents) is not counted again.
 * Both bounds drop the least recently used values first.
 */

import { describe, expect, it } from 'vitest';
import { Workspace } from '../../../core/src/workspace/workspace';
import { estimateBytes } from '../../../core/src/workspace/estimateBytes';

const LIMIT = 1024 * 1024;

/** About 400 KB of distinct strings. */
function bigValue(seed: number): string[] {
  return Array.from({ length: 10_000 }, (_, index) => `value-${seed}-${index}`);
}

describe('derived values cache', () => {
  it('stays within its byte budget however many big values are derived', () => {
    const workspace = new Workspace({}, ['/repo'], undefined, { derivedBytes: LIMIT });
    workspace.setFile('/repo/a.yaml', 'kind: ConfigMap\n');
    let computed = 0;
    const derive = (key: number) =>
      workspace.derive(`big:${key}`, () => {
        computed++;
        return bigValue(key);
      });
    for (let key = 0; key < 40; key++) {
      derive(key);
      expect(workspace.derivedCacheSize().bytes).toBeLessThanOrEqual(LIMIT);
    }
    expect(computed).toBe(40);
    const { entries, bytes } = workspace.derivedCacheSize();
    expect(entries).toBeLessThan(40);
    expect(bytes).toBeGreaterThan(LIMIT / 4);
    // The newest value is still cached; the oldest was dropped and is computed again.
    const newest = derive(39);
    expect(computed).toBe(40);
    expect(derive(39)).toBe(newest);
    derive(0);
    expect(computed).toBe(41);
  });

  it('drops the least recently used values first: an index every computation reads stays while many others come and go', () => {
    const workspace = new Workspace({}, ['/repo'], undefined, { derivedEntries: 64 });
    workspace.setFile('/repo/a.yaml', 'kind: ConfigMap\n');
    let indexBuilds = 0;
    const index = () =>
      workspace.derive('shared-index', () => {
        indexBuilds++;
        return { built: indexBuilds };
      });
    // As the effective-policy model: one value per workload, each reading the shared index first.
    for (let workload = 0; workload < 1000; workload++) workspace.derive(`per-workload:${workload}`, () => index().built + workload);
    expect(indexBuilds).toBe(1);
    expect(workspace.derivedCacheSize().entries).toBeLessThanOrEqual(64);
    // The values not asked for since were dropped and are computed again.
    let recomputed = false;
    workspace.derive('per-workload:0', () => {
      recomputed = true;
      return 0;
    });
    expect(recomputed).toBe(true);
  });

  it('keeps many small values (the budget is in bytes)', () => {
    const workspace = new Workspace({}, ['/repo'], undefined, { derivedBytes: LIMIT });
    for (let key = 0; key < 2000; key++) workspace.derive(`small:${key}`, () => key % 2 === 0);
    expect(workspace.derivedCacheSize().entries).toBe(2000);
  });

  it('counts a parsed document a value refers to as a reference, not by its size', () => {
    const workspace = new Workspace({}, ['/repo']);
    const big = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n${Array.from({ length: 20_000 }, (_, index) => `  key${index}: value-${index}`).join('\n')}\n`;
    workspace.setFile('/repo/big.yaml', big);
    workspace.derive('documents', (model) => model.fileDocuments('/repo/big.yaml'));
    expect(workspace.derivedCacheSize().bytes).toBeLessThan(1024);
    // Weighed on its own (as a value the workspace does not hold), the same document is large.
    expect(estimateBytes(workspace.fileDocuments('/repo/big.yaml'), () => false)).toBeGreaterThan(big.length);
  });
});
