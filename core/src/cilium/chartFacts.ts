/**
 * Per-patch facts of the Cilium Helm chart, generated from every published chart package by
 * `scripts/gen-cilium-chart-facts.mjs` into schemas/cilium-values/chart-facts.json: which keys
 * each patch declares in values.yaml, which keys its templates read, which value combinations
 * make `helm template` fail (with the chart's own error text), and under which condition the
 * configmap writes a few agent flags.
 *
 * Invariants: pure lookups over bundled data (no IO); a version that is not a published patch of
 * the data resolves to the nearest lower patch of the same minor, or to nothing (then callers keep
 * their per-minor catalog behaviour). Never throws.
 */

import factsFile from '../../../schemas/cilium-values/chart-facts.json';
import type { ValuesCondition } from './valuesCondition';

export interface FailRule {
  /** Patch ranges the rule exists in, e.g. "1.15.8-1.15.19,1.16.2-1.20.0". */
  patches: string;
  /** Template file of the `fail`, relative to the chart's templates folder. */
  file: string;
  /** Every values key the guarding conditions read. */
  keys: string[];
  when: ValuesCondition;
  /** The chart's error text. */
  message?: string;
}

interface FactsFile {
  patches: string[];
  keys: Record<string, { declared?: string; read?: string }>;
  failRules: FailRule[];
  renders: Record<string, { patches: string; when: ValuesCondition }[]>;
}

const FACTS = factsFile as unknown as FactsFile;
const PATCH_INDEX = new Map(FACTS.patches.map((patch, index) => [patch, index]));

export interface KeyFacts {
  declared: boolean;
  read: boolean;
  /** The last patch before this one that declared or read the key (a removed key). */
  lastSeen?: string;
  /** The key appears in the facts of some patch. */
  everSeen: boolean;
}

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

/** Every published chart patch the facts cover, oldest first. */
export function chartPatches(): string[] {
  return [...FACTS.patches];
}

/** The patch whose facts apply to a chart version: itself, else the nearest lower patch of its minor. */
export function factsPatch(version: string | undefined): string | undefined {
  if (typeof version !== 'string') return undefined;
  const exact = version.trim().replace(/^v/, '');
  if (!/^\d+\.\d+\.\d+$/.test(exact)) return undefined;
  if (PATCH_INDEX.has(exact)) return exact;
  const minor = exact.split('.').slice(0, 2).join('.');
  const lower = FACTS.patches.filter((patch) => patch.startsWith(`${minor}.`) && compareVersions(patch, exact) < 0);
  return lower[lower.length - 1];
}

const rangeCache = new Map<string, [number, number][]>();

function ranges(text: string | undefined): [number, number][] {
  if (!text) return [];
  let parsed = rangeCache.get(text);
  if (!parsed) {
    parsed = [];
    for (const part of text.split(',')) {
      const [from, to] = part.split('-');
      const a = PATCH_INDEX.get(from);
      const b = PATCH_INDEX.get(to ?? from);
      if (a !== undefined && b !== undefined) parsed.push([a, b]);
    }
    rangeCache.set(text, parsed);
  }
  return parsed;
}

function inRanges(text: string | undefined, index: number): boolean {
  return ranges(text).some(([a, b]) => index >= a && index <= b);
}

/** What the chart patch knows about a dotted key; undefined when the patch has no facts. */
export function keyFactsAt(version: string, dotted: string): KeyFacts | undefined {
  const patch = factsPatch(version);
  if (!patch) return undefined;
  const index = PATCH_INDEX.get(patch)!;
  const entry = Object.prototype.hasOwnProperty.call(FACTS.keys, dotted) ? FACTS.keys[dotted] : undefined;
  if (!entry) return { declared: false, read: false, everSeen: false };
  const declared = inRanges(entry.declared, index);
  const read = inRanges(entry.read, index);
  let lastSeen: string | undefined;
  if (!declared && !read) {
    const before = [...ranges(entry.declared), ...ranges(entry.read)].map(([, b]) => b).filter((b) => b < index);
    if (before.length > 0) lastSeen = FACTS.patches[Math.max(...before)];
  }
  return { declared, read, everSeen: true, ...(lastSeen ? { lastSeen } : {}) };
}

/** The `fail` rules of a chart patch (empty when the patch has no facts). */
export function failRulesAt(version: string): FailRule[] {
  const patch = factsPatch(version);
  if (!patch) return [];
  const index = PATCH_INDEX.get(patch)!;
  return FACTS.failRules.filter((rule) => inRanges(rule.patches, index));
}

/** The condition under which the patch's configmap writes an agent flag; undefined when unknown. */
export function renderGuardAt(version: string, flag: string): ValuesCondition | undefined {
  const patch = factsPatch(version);
  if (!patch) return undefined;
  const index = PATCH_INDEX.get(patch)!;
  return FACTS.renders[flag]?.find((entry) => inRanges(entry.patches, index))?.when;
}
