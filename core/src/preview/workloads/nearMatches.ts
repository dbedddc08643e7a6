/**
 * Why a selector or a workload name finds nothing, in words a user can act
 * on: the first selector term no workload of the namespace satisfies, with
 * the values that key does have there; and, for an unknown `namespace/name`,
 * the nearest workload names (same name elsewhere, substrings, small edit
 * distance). Only the preview's index is read (declared, written and
 * inferred workloads). Pure; bounded output (a few names, a few values).
 */

import type { K8sIndex, LabelSelector, WorkloadInfo } from '../../policy/k8sIndex';
import { selectorMatches } from '../../policy/k8sIndex';

const MAX_SHOWN = 4;
/** Cilium's own label keys (namespace, service account, namespace labels): not pod labels. */
const CILIUM_META_KEY = /^(io\.kubernetes\.pod\.namespace|io\.cilium\.k8s\.|k8s-app\.cilium)/;

function shown(values: readonly string[]): string {
  return values.length > MAX_SHOWN ? `${values.slice(0, MAX_SHOWN).join(', ')} … +${values.length - MAX_SHOWN}` : values.join(', ');
}

/** One short clause: why no workload of `namespace` (all namespaces when undefined) matches `selector`. */
export function explainNoMatch(selector: LabelSelector, namespace: string | undefined, index: K8sIndex): string {
  const where = namespace !== undefined ? `in ${namespace}` : 'in any namespace';
  const candidates = index.workloadsIn(namespace);
  if (candidates.length === 0) return `the repository declares or implies no workload ${where}`;
  const values = index.labelKeysAndValues(namespace !== undefined ? { namespace } : {});
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (CILIUM_META_KEY.test(key)) continue;
    if (candidates.some((workload) => workload.podLabels[key] === value)) continue;
    const seen = values.get(key);
    return seen && seen.length > 0 ? `no workload ${where} has ${key}=${value} (values there: ${shown(seen)})` : `no workload ${where} has a ${key} label`;
  }
  for (const requirement of selector.matchExpressions ?? []) {
    if (CILIUM_META_KEY.test(requirement.key)) continue;
    if (candidates.some((workload) => selectorMatches({ matchExpressions: [requirement] }, workload.podLabels))) continue;
    const seen = values.get(requirement.key);
    const wanted = `${requirement.key} ${requirement.operator}${requirement.values?.length ? ` (${requirement.values.join(', ')})` : ''}`;
    return seen && seen.length > 0 ? `no workload ${where} satisfies ${wanted} (values there: ${shown(seen)})` : `no workload ${where} satisfies ${wanted}`;
  }
  return `no single workload ${where} carries every label of the selector`;
}

/** Workload ids near an unknown `namespace/name` or name, nearest first. */
export function nearWorkloadNames(query: string, index: K8sIndex): string[] {
  const slash = query.indexOf('/');
  const namespace = slash === -1 ? undefined : query.slice(0, slash);
  const name = (slash === -1 ? query : query.slice(slash + 1)).toLowerCase();
  const scored: { id: string; score: number }[] = [];
  for (const workload of index.workloads) {
    const score = nameDistance(name, workload, namespace);
    if (score <= Math.max(2, Math.floor(name.length / 3))) scored.push({ id: `${workload.namespace}/${workload.name}`, score });
  }
  return [...new Set(scored.sort((a, b) => a.score - b.score || a.id.localeCompare(b.id)).map((entry) => entry.id))].slice(0, MAX_SHOWN + 1);
}

function nameDistance(name: string, workload: WorkloadInfo, namespace: string | undefined): number {
  const candidate = workload.name.toLowerCase();
  const namespacePenalty = namespace !== undefined && workload.namespace !== namespace ? 1 : 0;
  if (candidate === name) return namespacePenalty;
  if (candidate.includes(name) || name.includes(candidate)) return 1 + namespacePenalty;
  return editDistance(name, candidate, 4) + namespacePenalty;
}

/** Levenshtein distance, stopping early above `limit` (returns limit + 1). */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, position) => position);
  for (let row = 1; row <= a.length; row++) {
    const current = [row];
    let best = row;
    for (let column = 1; column <= b.length; column++) {
      const cost = a[row - 1] === b[column - 1] ? 0 : 1;
      current[column] = Math.min(previous[column] + 1, current[column - 1] + 1, previous[column - 1] + cost);
      best = Math.min(best, current[column]);
    }
    if (best > limit) return limit + 1;
    previous = current;
  }
  return previous[b.length];
}
