/**
 * Which Cilium versions meshlens knows is data: one values catalog per minor
 * (`schemas/cilium-values/<minor>.json`, generated), registered once in
 * `core/src/cilium/valuesCatalogData.ts`; the newest minor is the newest
 * catalog. A new Cilium minor is the generated catalog, its registration line
 * and fixtures. Against `../shared/upstream` (skipped when absent): the newest
 * chart release there is a minor we know.
 */

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { knownCiliumMinors } from '../../../core/src/cilium/valuesCatalog';
import { CILIUM_VALUE_CATALOGS } from '../../../core/src/cilium/valuesCatalogData';
import { NEWEST_CILIUM_MINOR } from '../../../core/src/policy/ciliumContext';
import { compareMinor } from '../../../core/src/util/minorVersion';
import { hasShared, repoRoot, sharedRoot, SHARED_MISSING } from '../../support/repo';

const catalogFiles = readdirSync(join(repoRoot, 'schemas', 'cilium-values'))
  .filter((name) => /^1\.\d+\.json$/.test(name))
  .map((name) => name.replace(/\.json$/, ''));

describe('Cilium versions are data', () => {
  it('every generated catalog is registered, and nothing else', () => {
    expect(catalogFiles.length).toBeGreaterThan(5);
    expect(Object.keys(CILIUM_VALUE_CATALOGS).sort(compareMinor)).toEqual([...catalogFiles].sort(compareMinor));
  });

  it('the newest minor is the newest catalog', () => {
    expect(NEWEST_CILIUM_MINOR).toBe([...catalogFiles].sort(compareMinor).at(-1));
    expect(knownCiliumMinors().at(-1)).toBe(NEWEST_CILIUM_MINOR);
  });

  it.skipIf(!hasShared)(`the newest chart release in ../shared/upstream is a known minor (${hasShared ? 'reads ../shared' : SHARED_MISSING})`, () => {
    const releases = readdirSync(join(sharedRoot, 'upstream', 'cilium-charts')).filter((name) => /^\d+\.\d+\.\d+$/.test(name));
    const newestRelease = releases.sort((a, b) => compareMinor(a, b) || Number(a.split('.')[2]) - Number(b.split('.')[2])).at(-1)!;
    expect(newestRelease.split('.').slice(0, 2).join('.')).toBe(NEWEST_CILIUM_MINOR);
  });
});
