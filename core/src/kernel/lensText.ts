/**
 * How a Cilium release's kernel model reads in one line ("Cilium 1.16.5
 * needs kernel ≥ 5.18 (pools: general 6.8 ✓, legacy 5.4 ✗)") and the mark of
 * each node pool: shared by the code lens (`features/kernelLens.ts`), the
 * matrix report and hover.
 */

import { shortKernel } from './nodeProfiles';
import type { ReleaseKernelModel } from './releaseKernel';

export type PoolMark = '✓' | '⚠' | '✗' | '?';

/** The lens text for one release model. */
export function kernelLensTitle(model: ReleaseKernelModel): string {
  const needs = model.neededKernel ? `needs kernel ≥ ${model.neededKernel}` : 'kernel needs unknown';
  const cilium = `Cilium ${model.versionLabel}`;
  if (model.pools.pools.length === 0) return `${cilium} ${needs} (no NodeProfile or kernel setting covers it)`;
  const pools = model.pools.pools.map((pool) => `${pool.name} ${shortKernel(pool)} ${poolMark(model, pool.name)}`);
  // Pool marks judge the kernel; features that fail or fall back only because the values leave a
  // dependency off are counted apart, as configuration, whatever the kernel.
  const count = (status: string, config: boolean) =>
    model.features.filter((outcome) => outcome.perPool.some(({ verdict }) => verdict.status === status && (verdict.decides === 'config dependency') === config)).length;
  const failing = count('fails', false);
  const fallingBack = count('falls-back', false);
  const configOnly = count('fails', true) + count('falls-back', true);
  const summary = [
    failing > 0 ? `${failing} feature${failing === 1 ? '' : 's'} fail${failing === 1 ? 's' : ''}` : '',
    fallingBack > 0 ? `${fallingBack} fall${fallingBack === 1 ? 's' : ''} back` : '',
    configOnly > 0 ? `${configOnly} lack${configOnly === 1 ? 's' : ''} a feature the values turn off (config dependency, any kernel)` : '',
  ]
    .filter(Boolean)
    .join(', ');
  return `${cilium} ${needs} (pools: ${pools.join(', ')})${summary ? ` — ${summary}` : ''}`;
}

/** ✗ when the agent fails there, ⚠ when a feature falls back or the kernel is unsupported, ? when nothing decides, ✓ otherwise. */
export function poolMark(model: ReleaseKernelModel, poolName: string): PoolMark {
  let worst = 0;
  let known = false;
  const raise = (rank: number) => {
    worst = Math.max(worst, rank);
  };
  for (const { pool, verdict } of model.base) {
    if (pool.name !== poolName) continue;
    if (verdict.status !== 'unknown') known = true;
    if (verdict.status === 'fails') raise(3);
    else if (verdict.status === 'unsupported') raise(2);
  }
  for (const outcome of model.features) {
    for (const { pool, verdict } of outcome.perPool) {
      if (pool.name !== poolName) continue;
      if (verdict.status !== 'unknown') known = true;
      // A feature the values leave without a dependency fails on any kernel: not a mark of the pool.
      if (verdict.decides === 'config dependency') continue;
      if (verdict.status === 'fails') raise(3);
      else if (verdict.status === 'falls-back' && !outcome.feature.minor) raise(2);
    }
  }
  if (worst === 3) return '✗';
  if (worst === 2) return '⚠';
  return known ? '✓' : '?';
}
