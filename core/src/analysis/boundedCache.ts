/**
 * A small memo for pure functions of a string (compiled regexes, parsed
 * patterns): `get(key, compute)` computes once per key and keeps at most
 * about `capacity` entries. Eviction is two-generational: when the current
 * map is full it becomes the previous one and a fresh map starts, so recently
 * used keys survive and every operation stays O(1).
 *
 * Invariant: `compute` must depend on the key only; cached values are shared
 * by every caller and must not be modified.
 */

export class BoundedCache<K, V> {
  private current = new Map<K, V>();
  private previous = new Map<K, V>();

  constructor(private readonly capacity = 1024) {}

  get(key: K, compute: (key: K) => V): V {
    if (this.current.has(key)) return this.current.get(key) as V;
    const value = this.previous.has(key) ? (this.previous.get(key) as V) : compute(key);
    if (this.current.size >= this.capacity) {
      this.previous = this.current;
      this.current = new Map();
    }
    this.current.set(key, value);
    return value;
  }
}
