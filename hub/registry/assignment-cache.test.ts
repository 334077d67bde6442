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

  describe('peek', () => {
    const periods: readonly AssignmentPeriod[] = [{ userIndex: null, patientId: 'p-1', validFrom: 0, validTo: null }];

    it('is undefined until the load resolved, then gives the periods without loading again', async () => {
      let release!: (p: readonly AssignmentPeriod[]) => void;
      const loads: string[] = [];
      const cache = new AssignmentCache((id) => (loads.push(id), new Promise((resolve) => (release = resolve))), { ttlMs: 60_000, maxDevices: 10 });
      expect(cache.peek('d1')).toBeUndefined();
      const pending = cache.get('d1');
      expect(cache.peek('d1')).toBeUndefined();
      release(periods);
      await pending;
      expect(cache.peek('d1')).toBe(periods);
      expect(cache.peek('d2')).toBeUndefined();
      expect(loads).toEqual(['d1']);
    });

    it('is undefined once the TTL has passed', async () => {
      let now = 5000;
      const cache = new AssignmentCache(() => Promise.resolve(periods), { ttlMs: 1000, maxDevices: 10, now: () => now });
      await cache.get('d1');
      now = 5999;
      expect(cache.peek('d1')).toBe(periods);
      now = 6000;
      expect(cache.peek('d1')).toBeUndefined();
      // A fresh load makes it known again.
      await cache.get('d1');
      expect(cache.peek('d1')).toBe(periods);
    });

    it('is undefined after clear()', async () => {
      const cache = new AssignmentCache(() => Promise.resolve(periods), { ttlMs: 60_000, maxDevices: 10 });
      await cache.get('d1');
      expect(cache.peek('d1')).toBe(periods);
      cache.clear();
      expect(cache.peek('d1')).toBeUndefined();
    });

    it('is undefined after a load that resolved after clear() (the answer may be stale)', async () => {
      let release!: (p: readonly AssignmentPeriod[]) => void;
      const cache = new AssignmentCache(() => new Promise((resolve) => (release = resolve)), { ttlMs: 60_000, maxDevices: 10 });
      const pending = cache.get('d1');
      cache.clear();
      release(periods);
      await pending;
      expect(cache.peek('d1')).toBeUndefined();
    });

    it('is undefined after a failed load', async () => {
      const cache = new AssignmentCache(() => Promise.reject(new Error('db down')), { ttlMs: 60_000, maxDevices: 10 });
      await expect(cache.get('d1')).rejects.toThrow('db down');
      expect(cache.peek('d1')).toBeUndefined();
    });

    it('is undefined for a device dropped to keep within maxDevices', async () => {
      const cache = new AssignmentCache(() => Promise.resolve(periods), { ttlMs: 60_000, maxDevices: 1 });
      await cache.get('a');
      await cache.get('b');
      expect(cache.peek('a')).toBeUndefined();
      expect(cache.peek('b')).toBe(periods);
    });
  });
});
