/**
 * Indexes over a direction's Cilium allow/deny entries, so the questions the
 * effective model asks of every entry ("which allows cover this peer on this
 * port?", "which L3/L4-only allows overlap this L7 rule?") look at the
 * entries that can answer yes instead of at all of them. Without them, one
 * policy with N rule items cost N² (each lens and each note scanned every
 * rule); with them the cost follows the number of entries that share a port
 * or a peer, i.e. the size of the answer.
 *
 * Invariants: an index is a *superset filter* — every entry it leaves out is
 * one the exact predicate (`portsCover`, `peerOverlap`) would reject, and the
 * entries it returns keep the order of the input list, so callers that apply
 * the exact predicate to the candidates get the same result, in the same
 * order, as a scan of the whole list. Indexes are pure functions of the list
 * they were built from and are never mutated after construction.
 */

import type { CiliumPeer, CiliumPort } from './model';

/** The shared empty list (index maps are keyed by list identity, so "no entries" is always this one). */
const NONE: readonly never[] = [];

interface IndexedEntry {
  peer: CiliumPeer;
  ports: CiliumPort[] | 'all';
}

/**
 * Work counter for regression tests of the *shape* of the cost (how many
 * entries the effective model and the lenses examined), not of its time.
 * Only ever incremented; tests read the difference around a call.
 */
export const entryWork = { examined: 0 };

/** Counts `count` examined entries (see `entryWork`). */
export function countExamined(count: number): void {
  entryWork.examined += count;
}

/** The single port number a port spec stands for, when it is exactly one number (no range, name or "every port"). */
export function singlePortNumber(port: CiliumPort): number | undefined {
  if (!/^\d+$/.test(port.port) || port.port === '0') return undefined;
  const start = Number(port.port);
  return port.endPort === undefined || port.endPort === start ? start : undefined;
}

/** Entries by the single port numbers they list; the rest (every port, ranges, named ports, port 0) in `general`. */
export class PortBuckets<T extends IndexedEntry> {
  private readonly byPort = new Map<number, T[]>();
  private readonly general: T[] = [];
  private readonly position = new Map<T, number>();

  constructor(entries: readonly T[]) {
    entries.forEach((entry, index) => {
      this.position.set(entry, index);
      const numbers = entry.ports === 'all' ? undefined : entry.ports.map(singlePortNumber);
      if (!numbers || numbers.length === 0 || numbers.some((value) => value === undefined)) {
        this.general.push(entry);
        return;
      }
      for (const value of numbers as number[]) {
        const list = this.byPort.get(value) ?? [];
        if (list[list.length - 1] !== entry) list.push(entry);
        this.byPort.set(value, list);
      }
    });
  }

  /**
   * Entries whose ports may cover `wanted` (a number, or a port name that
   * `namedPorts` may resolve), in input order. A superset of what
   * `portsCover(entry.ports, wanted, …)` accepts.
   */
  candidates(wanted: number | string, namedPorts?: Record<string, number>): T[] {
    const [exact, general] = this.lists(wanted, namedPorts);
    return mergeInOrder(exact, general, this.position);
  }

  /** The two input-ordered lists `candidates` merges: the entries naming the port, and the general ones. */
  lists(wanted: number | string, namedPorts?: Record<string, number>): [readonly T[], readonly T[]] {
    const numeric = typeof wanted === 'number' ? wanted : namedPorts?.[wanted];
    return [(numeric === undefined ? undefined : this.byPort.get(numeric)) ?? (NONE as readonly T[]), this.general];
  }
}

/** Workload ids a peer covers, `*` for every identity (the same coverage the model's overlap notes use). */
export function peerCoverage(peer: CiliumPeer): string[] | '*' {
  if (peer.kind === 'any' || (peer.kind === 'entity' && peer.entity === 'all')) return '*';
  if (peer.kind === 'endpoints' || peer.kind === 'entity') return peer.workloads;
  return [];
}

/**
 * Entries by the peers they cover, for overlap questions: a superset of the
 * entries `b` for which `peerOverlap(a, b)` is non-empty, in input order.
 */
export class PeerBuckets<T extends IndexedEntry> {
  /** Entries whose peer covers every identity. */
  private readonly everyone: T[] = [];
  /** Entries whose peer covers at least one workload (or everyone). */
  private readonly covering: T[] = [];
  private readonly byWorkload = new Map<string, T[]>();
  private readonly byText = new Map<string, T[]>();
  private readonly position = new Map<T, number>();

  constructor(entries: readonly T[]) {
    entries.forEach((entry, index) => {
      this.position.set(entry, index);
      const coverage = peerCoverage(entry.peer);
      if (coverage === '*') this.everyone.push(entry);
      if (coverage === '*' || coverage.length > 0) this.covering.push(entry);
      if (coverage !== '*') {
        for (const id of new Set(coverage)) {
          const list = this.byWorkload.get(id) ?? [];
          list.push(entry);
          this.byWorkload.set(id, list);
        }
      }
      const key = textKey(entry.peer);
      const list = this.byText.get(key) ?? [];
      list.push(entry);
      this.byText.set(key, list);
    });
  }

  candidates(peer: CiliumPeer): T[] {
    const coverage = peerCoverage(peer);
    const sameText = this.byText.get(textKey(peer)) ?? [];
    if (coverage === '*') return mergeInOrder(this.covering, sameText, this.position);
    // Every entry that can overlap: those covering everyone, those sharing a workload, those with the same peer text.
    const found = new Set<T>(this.everyone);
    for (const id of coverage) for (const entry of this.byWorkload.get(id) ?? []) found.add(entry);
    for (const entry of sameText) found.add(entry);
    return [...found].sort((a, b) => this.position.get(a)! - this.position.get(b)!);
  }
}

/** Entries by port, then by peer: a superset of the entries that cover a port and overlap a peer, in input order. */
export class PortPeerIndex<T extends IndexedEntry> {
  private readonly ports: PortBuckets<T>;
  private readonly peers = new Map<readonly T[], PeerBuckets<T>>();
  private readonly position = new Map<T, number>();

  constructor(entries: readonly T[]) {
    entries.forEach((entry, index) => this.position.set(entry, index));
    this.ports = new PortBuckets(entries);
  }

  candidates(wanted: number | string, peer: CiliumPeer, namedPorts?: Record<string, number>): T[] {
    const [exact, general] = this.ports.lists(wanted, namedPorts);
    return mergeInOrder(this.peersOf(exact).candidates(peer), this.peersOf(general).candidates(peer), this.position);
  }

  private peersOf(list: readonly T[]): PeerBuckets<T> {
    let buckets = this.peers.get(list);
    if (!buckets) {
      buckets = new PeerBuckets(list);
      this.peers.set(list, buckets);
    }
    return buckets;
  }
}

function textKey(peer: CiliumPeer): string {
  return `${peer.kind}\u0000${peer.text}`;
}

/** Merges two lists that each follow input order into one, in input order, without duplicates. */
function mergeInOrder<T>(left: readonly T[], right: readonly T[], position: Map<T, number>): T[] {
  if (right.length === 0) return left.slice();
  if (left.length === 0) return right.slice();
  const merged: T[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    const a = i < left.length ? position.get(left[i])! : Infinity;
    const b = j < right.length ? position.get(right[j])! : Infinity;
    if (a === b) {
      merged.push(left[i]);
      i++;
      j++;
    } else if (a < b) merged.push(left[i++]);
    else merged.push(right[j++]);
  }
  return merged;
}
