/**
 * Memoized indexes that depend on analysis options declare which ones they
 * read: `deriveWith` puts exactly those options into the memo key and hands
 * the computation only those (a `Pick`), so an option read but not declared
 * is a type error instead of a stale answer when the setting changes. An
 * index that hands the options on to the rules (the effective-policy models
 * ask the rules which policies are refused) reads them all:
 * `deriveWithAllOptions` keys it by every option.
 *
 * `test/unit/architecture.test.ts` fails on a plain `derive` whose key or
 * computation mentions `options`.
 */

import type { AnalysisOptions } from '../options';
import type { WorkspaceModel } from './model';

export function deriveWith<K extends keyof AnalysisOptions, T>(
  model: WorkspaceModel,
  name: string,
  options: Pick<AnalysisOptions, K>,
  reads: readonly K[],
  compute: (model: WorkspaceModel, options: Pick<AnalysisOptions, K>) => T,
): T {
  const picked = {} as Pick<AnalysisOptions, K>;
  for (const key of reads) picked[key] = options[key];
  return model.derive(`${name}\u0000${JSON.stringify(reads.map((key) => picked[key] ?? null))}`, (current) => compute(current, picked));
}

const optionKeys = new WeakMap<AnalysisOptions, string>();

/** The memo key of a whole options object (computed once per object: hosts reuse one per settings change). */
function allOptionsKey(options: AnalysisOptions): string {
  let key = optionKeys.get(options);
  if (key === undefined) {
    key = JSON.stringify(options, (_name, value: unknown) => (typeof value === 'function' ? undefined : value));
    optionKeys.set(options, key);
  }
  return key;
}

export function deriveWithAllOptions<T>(model: WorkspaceModel, name: string, options: AnalysisOptions, compute: (model: WorkspaceModel, options: AnalysisOptions) => T): T {
  return model.derive(`${name}\u0000${allOptionsKey(options)}`, (current) => compute(current, options));
}
