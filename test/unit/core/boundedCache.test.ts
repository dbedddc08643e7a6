/**
 * BoundedCache (the memo behind the parse cache, compiled patterns and chart
 * doc comments) keeps at most about its byte budget however big the keys are,
 * computes once per key while it is held, and keeps recently used keys.
 */

import { describe, expect, it } from 'vitest';
import { BoundedCache } from '../../../core/src/util/boundedCache';

describe('BoundedCache', () => {
  it('is bounded by bytes for big keys, whatever the entry capacity', () => {
    const cache = new BoundedCache<string, number>({ capacity: 10_000, maxBytes: 1024 * 1024 });
    let computed = 0;
    for (let index = 0; index < 100; index++) cache.get(`${index}`.padEnd(50_000, '.'), () => ++computed);
    expect(computed).toBe(100);
    // Two generations of at most half the budget each: far fewer than the 100 entries of ~100 KB.
    expect(cache.size.entries).toBeLessThanOrEqual(12);
    expect(cache.size.currentBytes).toBeLessThanOrEqual(512 * 1024);
  });

  it('computes once per key it holds and keeps a recently used key across a generation change', () => {
    const cache = new BoundedCache<string, string>({ capacity: 4 });
    let computed = 0;
    const get = (key: string) => cache.get(key, (value) => `${value}:${++computed}`);
    expect(get('a')).toBe('a:1');
    expect(get('a')).toBe('a:1');
    for (const key of ['b', 'c', 'd', 'e']) get(key);
    // 'a' moved to the previous generation, still answered from there.
    expect(get('a')).toBe('a:1');
    for (const key of ['f', 'g', 'h', 'i', 'j', 'k', 'l', 'm']) get(key);
    expect(get('b')).not.toBe('b:2');
  });
});
