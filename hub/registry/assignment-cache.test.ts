import { describe, expect, it } from 'vitest';
import { AssignmentCache } from './assignment-cache.js';
import type { AssignmentPeriod } from './resolve-assignment.js';

function counting(periods: readonly AssignmentPeriod[] = []) {
  const loads: string[] = [];
  return { loads, load: (id: string) => (loads.push(id), Promise.resolve(periods)) };
}

describe('AssignmentCache', () => {
  it('loads a device once within the TTL and again after it', async () => {
    let now = 0;
    const src = counting();
    const cache = new AssignmentCache(src.load, { ttlMs: 1000, maxDevices: 10, now: () => now });
    await Promise.all([cache.get('d1'), cache.get('d1'), cache.get('d1')]);
    expect(src.loads).toEqual(['d1']);
    now = 999;
    await cache.get('d1');
    expect(src.loads).toEqual(['d1']);
    now = 1000;
    await cache.get('d1');
    expect(src.loads).toEqual(['d1', 'd1']);
  });

  it('clear() makes the next lookup load again', async () => {
    const src = counting();
    const cache = new AssignmentCache(src.load, { ttlMs: 60_000, maxDevices: 10 });
    await cache.get('d1');
    cache.clear();
    await cache.get('d1');
    expect(src.loads).toEqual(['d1', 'd1']);
  });

  it('does not cache a failed load', async () => {
    let fail = true;
    const cache = new AssignmentCache(() => (fail ? Promise.reject(new Error('db down')) : Promise.resolve([])), { ttlMs: 60_000, maxDevices: 10 });
    await expect(cache.get('d1')).rejects.toThrow('db down');
    fail = false;
    await expect(cache.get('d1')).resolves.toEqual([]);
  });

  it('keeps at most maxDevices entries, dropping the oldest', async () => {
    const src = counting();
    const cache = new AssignmentCache(src.load, { ttlMs: 60_000, maxDevices: 2 });
    await cache.get('a');
    await cache.get('b');
    await cache.get('c');
    await cache.get('b');
    await cache.get('a');
    expect(src.loads).toEqual(['a', 'b', 'c', 'a']);
  });
});
