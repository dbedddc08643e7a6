/**
 * A small memo for pure functions of a key (compiled regexes, parsed
 * patterns, parsed documents): `get(key, compute)` computes once per key and
 * keeps at most about `capacity` entries and about `maxBytes` of estimated
 * memory. Eviction is two-generational: when the current map is full (by
 * count or by half the byte budget) it becomes the previous one and a fresh
 * map starts, so recently used keys survive, the total stays within the
 * budget (plus the one entry being added), and every operation stays O(1).
 *
 * Sizes are estimates from `weigh` (default: the key's string length, two
 * bytes per UTF-16 unit, plus a fixed overhead per entry), so a cache keyed by
 * large texts is bounded by what it holds, not only by how many.
 *
 * Invariant: `compute` must depend on the key only; cached values are shared
 * by every caller and must not be modified.
 */

export interface BoundedCacheOptions<K, V> {
  /** Most entries kept (about). */
  capacity?: number;
  /** Most estimated bytes kept (about). */
  maxBytes?: number;
  /** Estimated bytes of one entry. */
  weigh?: (key: K, value: V) => number;
}

/** Fixed cost counted per entry (map slot, boxed key/value). */
const ENTRY_OVERHEAD_BYTES = 64;
const DEFAULT_MAX_BYTES = 16 * 1024 * 1024;

export class BoundedCache<K, V> {
  private current = new Map<K, V>();
  private previous = new Map<K, V>();
  private currentBytes = 0;
  private readonly capacity: number;
  private readonly maxBytes: number;
  private readonly weigh: (key: K, value: V) => number;

  constructor(options: number | BoundedCacheOptions<K, V> = {}) {
    const settings = typeof options === 'number' ? { capacity: options } : options;
    this.capacity = settings.capacity ?? 1024;
    this.maxBytes = settings.maxBytes ?? DEFAULT_MAX_BYTES;
    this.weigh = settings.weigh ?? ((key) => defaultWeight(key));
  }

  get(key: K, compute: (key: K) => V): V {
    if (this.current.has(key)) return this.current.get(key) as V;
    const value = this.previous.has(key) ? (this.previous.get(key) as V) : compute(key);
    const bytes = this.weigh(key, value) + ENTRY_OVERHEAD_BYTES;
    if (this.current.size >= this.capacity || this.currentBytes + bytes > this.maxBytes / 2) {
      this.previous = this.current;
      this.current = new Map();
      this.currentBytes = 0;
    }
    this.current.set(key, value);
    this.currentBytes += bytes;
    return value;
  }

  /** Estimated bytes held (both generations are at most `maxBytes` together, plus the newest entry). */
  get size(): { entries: number; currentBytes: number } {
    return { entries: this.current.size + this.previous.size, currentBytes: this.currentBytes };
  }
}

function defaultWeight(key: unknown): number {
  return typeof key === 'string' ? key.length * 2 : 16;
}
