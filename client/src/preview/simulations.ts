/**
 * The simulated requests shown as documents: each keeps the query it ran, so
 * the view can run it again against the current files (`meshlens.refreshPreview`)
 * and show the new answer under the same name.
 *
 * Pure (no VS Code API): paths in, Markdown out. Invariant: a path, once
 * handed out, always names the same query; the store keeps at most
 * `MAX_SIMULATIONS` (the oldest go first).
 */

import type { SimulateParams } from '../../../protocol/src/messages';

/** A simulated request, as the client sends it (`meshlens/simulate`). */
export type SimulationQuery = SimulateParams;

export const MAX_SIMULATIONS = 50;

export class Simulations {
  private readonly entries = new Map<string, { query: SimulationQuery; markdown: string }>();
  private count = 0;

  /** Stores a simulation and returns the document path that shows it (`/simulate/<n>/<title>.md`). */
  add(query: SimulationQuery, markdown: string): string {
    const path = `/simulate/${++this.count}/${simulationTitle(query)}.md`;
    this.entries.set(path, { query, markdown });
    while (this.entries.size > MAX_SIMULATIONS) this.entries.delete(this.entries.keys().next().value!);
    return path;
  }

  markdown(path: string): string | undefined {
    return this.entries.get(path)?.markdown;
  }

  query(path: string): SimulationQuery | undefined {
    return this.entries.get(path)?.query;
  }

  /** The new answer of a re-run; false when the path is not a stored simulation. */
  update(path: string, markdown: string): boolean {
    const entry = this.entries.get(path);
    if (!entry) return false;
    entry.markdown = markdown;
    return true;
  }
}

/** `shop.web → shop.db 5432 GET .api` — the tab name (no `/`, which would make folders of the path). */
export function simulationTitle(query: SimulationQuery): string {
  const request = [String(query.port), query.method, query.path].filter((part) => part !== undefined && part !== '').join(' ');
  const title = `${query.from} → ${query.to} ${request}`.replace(/[\\/]/g, '.').replace(/\s+/g, ' ').trim();
  return title.length > 120 ? `${title.slice(0, 117)}...` : title || 'simulation';
}
