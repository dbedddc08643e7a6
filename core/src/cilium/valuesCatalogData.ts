/**
 * The generated Cilium value catalogs and the hand-written facts next to them, bundled as
 * JSON imports (no IO at run time). Regenerate the catalogs with
 * `node scripts/gen-cilium-values.mjs <upstream-cilium-dir>`; the other files are edited by hand.
 */

import catalog114 from '../../../schemas/cilium-values/1.14.json';
import catalog115 from '../../../schemas/cilium-values/1.15.json';
import catalog116 from '../../../schemas/cilium-values/1.16.json';
import catalog117 from '../../../schemas/cilium-values/1.17.json';
import catalog118 from '../../../schemas/cilium-values/1.18.json';
import catalog119 from '../../../schemas/cilium-values/1.19.json';
import catalog120 from '../../../schemas/cilium-values/1.20.json';
import changesFile from '../../../schemas/cilium-values/changes.json';
import descriptionsFile from '../../../schemas/cilium-values/descriptions.json';
import type { ValuesCondition } from './valuesCondition';

export type ValueType = 'boolean' | 'string' | 'integer' | 'number' | 'object' | 'array' | 'null' | 'any';

/** One key of a generated catalog file, as stored. */
export interface CatalogEntry {
  type: ValueType | ValueType[];
  default?: unknown;
  enum?: unknown[];
  deprecatedValues?: unknown[];
  commented?: boolean;
  leaf?: boolean;
  mapOfAny?: boolean;
  underFreeForm?: boolean;
  typeSource?: string;
}

export interface CatalogFile {
  chartVersion: string;
  keys: Record<string, CatalogEntry>;
}

export type Replacement =
  | { kind: 'move'; to: string }
  | { kind: 'wrapInList'; to: string }
  | { kind: 'anchoredRegex'; to: string }
  | { kind: 'delete' }
  | { kind: 'toBoolean' }
  | { kind: 'setValue'; values: Record<string, unknown> }
  | { kind: 'byValue'; values: Record<string, { path: string; value: unknown }[]> };

export interface ChangeFact {
  id: string;
  path: string;
  kind: 'removed' | 'renamed' | 'retyped' | 'value' | 'deprecated';
  when?: { type?: ValueType; in?: string[] };
  deprecatedIn?: string;
  removedIn?: string;
  chartFailsFrom?: string;
  chartFailsInPatches?: string[];
  replacement?: Replacement;
  manual?: string;
  message: string;
}

export interface CombinationFact {
  id: string;
  from: string;
  to?: string;
  errorFrom?: string;
  source: 'chart' | 'agent' | 'docs';
  severity: 'error' | 'warning';
  when: ValuesCondition;
  reportAt: string[];
  message: string;
}

export const CILIUM_VALUE_CATALOGS: Record<string, CatalogFile> = {
  '1.14': catalog114 as unknown as CatalogFile,
  '1.15': catalog115 as unknown as CatalogFile,
  '1.16': catalog116 as unknown as CatalogFile,
  '1.17': catalog117 as unknown as CatalogFile,
  '1.18': catalog118 as unknown as CatalogFile,
  '1.19': catalog119 as unknown as CatalogFile,
  '1.20': catalog120 as unknown as CatalogFile,
};

export const CILIUM_VALUE_CHANGES: ChangeFact[] = (changesFile as unknown as { changes: ChangeFact[] }).changes;
export const CILIUM_VALUE_COMBINATIONS: CombinationFact[] = (changesFile as unknown as { combinations: CombinationFact[] }).combinations;
export const CILIUM_VALUE_DESCRIPTIONS: Record<string, string> = (descriptionsFile as unknown as { descriptions: Record<string, string> }).descriptions;
