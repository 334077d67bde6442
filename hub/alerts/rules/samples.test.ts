import { describe, expect, it } from 'vitest';
import { latestSample, median, memoOverRange, SampleSeries, selectSamples, type SampleFilter } from './samples.js';
import { at, sample } from './testing.js';
import type { ComponentKey, VitalSample } from './types.js';

const KEYS: ComponentKey[] = ['blood_pressure.systolic', 'heart_rate.heartRate', 'spo2.spo2'];
const START = at('2026-03-01T00:00:00Z').getTime();

let seed = 11;
const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);

/** A month of samples, oldest first, some sharing a time stamp, some late, some implausible. */
function month(): VitalSample[] {
  const out: VitalSample[] = [];
  let t = START;
  for (let i = 0; i < 600; i++) {
    t += random() < 0.2 ? 0 : Math.round(random() * 4 * 3_600_000);
    const key = KEYS[Math.floor(random() * KEYS.length)]!;
    out.push(sample(key, Math.round(random() * 200), new Date(t), { late: random() < 0.1, implausible: random() < 0.05 }));
  }
  return out;
}

/** Filters that reach both ends of windows: from before, inside and after; every late mode. */
function filters(now: number): SampleFilter[] {
  const out: SampleFilter[] = [];
  for (const key of KEYS)
    for (const late of [undefined, 'include', 'only'] as const)
      for (const back of [undefined, 0, 3_600_000, 86_400_000, 40 * 86_400_000]) {
        out.push({ key, now: new Date(now), ...(late ? { late } : {}), ...(back !== undefined ? { from: new Date(now - back) } : {}) });
      }
  return out;
}

describe('SampleSeries.window: a cut of a long series answers as a freshly indexed array', () => {
  it('for windows at random places, selectSamples and latestSample equal those on an unindexed copy', () => {
    const all = month();
    const series = new SampleSeries(all);
    for (let n = 0; n < 60; n++) {
      const start = Math.floor(random() * all.length);
      const end = start + Math.floor(random() * (all.length - start + 1));
      const window = series.window(start, end);
      const fresh = all.slice(start, end);
      expect(window).toEqual(fresh);
      const now = (all[Math.max(start, end - 1)] ?? all[0]!).measuredAt.getTime() + Math.round((random() - 0.3) * 6 * 3_600_000);
      for (const f of filters(now)) {
        expect(selectSamples(window, f)).toEqual(selectSamples(fresh, f));
        expect(latestSample(window, f)).toBe(selectSamples(fresh, f).at(-1));
      }
    }
  });

  it('samples out of time order are indexed per window as before', () => {
    const all = month().reverse();
    const series = new SampleSeries(all);
    const window = series.window(100, 300);
    for (const f of filters(all[150]!.measuredAt.getTime())) expect(selectSamples(window, f)).toEqual(selectSamples(all.slice(100, 300), f));
  });
});

describe('selectSamples', () => {
  it('keeps the bounds: from inclusive, up to five minutes after now, nothing for an invalid date', () => {
    const key: ComponentKey = 'spo2.spo2';
    const now = at('2026-03-02T12:00:00Z');
    const s = [-60, 0, 5, 6].map((min) => sample(key, 95, new Date(now.getTime() + min * 60_000)));
    expect(selectSamples(s, { key, now, from: new Date(now.getTime() - 3_600_000) }).map((x) => x.readingId)).toEqual([s[0]!.readingId, s[1]!.readingId, s[2]!.readingId]);
    expect(selectSamples(s, { key, now, from: now }).length).toBe(2);
    expect(selectSamples(s, { key, now: new Date(Number.NaN) })).toEqual([]);
    expect(latestSample(s, { key, now })).toBe(s[2]);
  });
});

describe('median', () => {
  it('equals the median of a sorted copy, for short and long lists, and leaves its input alone', () => {
    for (const n of [0, 1, 2, 3, 10, 63, 64, 65, 200]) {
      const values = Array.from({ length: n }, () => Math.round((random() - 0.5) * 1000) / 10);
      const copy = [...values];
      const sorted = [...values].sort((a, b) => a - b);
      const expected = n === 0 ? Number.NaN : n % 2 === 1 ? sorted[n >> 1]! : (sorted[(n >> 1) - 1]! + sorted[n >> 1]!) / 2;
      expect(median(values)).toBe(expected);
      expect(values).toEqual(copy);
    }
  });
});

describe('memoOverRange: a range of a window answered from the series', () => {
  const ids = (range: readonly VitalSample[]) => range.map((s) => `${s.readingId}@${s.measuredAt.getTime()}`).join(',');
  it('equals the range selected from an unindexed copy, for ranges inside, across and outside windows', () => {
    const all = month();
    const series = new SampleSeries(all);
    for (let n = 0; n < 300; n++) {
      const start = Math.floor(random() * all.length);
      const end = start + Math.floor(random() * (all.length - start + 1));
      const window = series.window(start, end);
      const copy = all.slice(start, end);
      const middle = all[Math.min(all.length - 1, start + Math.floor(random() * (end - start + 1)))]!.measuredAt.getTime();
      const key = KEYS[n % KEYS.length]!;
      for (const [from, to] of [
        [middle - 5 * 86_400_000, middle],
        [middle - 3_600_000, middle + 3_600_000],
        [START - 86_400_000, middle],
        [middle, middle + 40 * 86_400_000],
      ] as const) {
        // The same tag every time: a wrong hit from an earlier window would show.
        const fromSeries = memoOverRange(window, key, from, to, 'ids', ids);
        const expected = ids(selectSamples(copy, { key, from: new Date(from), now: new Date(to + 86_400_000), late: 'include' }).filter((s) => s.measuredAt.getTime() < to));
        expect(fromSeries, `[${start}, ${end}) ${key} ${from}..${to}`).toBe(expected);
      }
    }
  });
});
