import { describe, expect, it } from 'vitest';
import { percentile, spread } from './percentiles.js';

describe('percentile (nearest rank)', () => {
  const cases: { values: number[]; p: number; expected: number | undefined }[] = [
    { values: [], p: 50, expected: undefined },
    { values: [7], p: 50, expected: 7 },
    { values: [7], p: 90, expected: 7 },
    { values: [4, 1, 3, 2], p: 50, expected: 2 },
    { values: [1, 2, 3, 4, 5], p: 50, expected: 3 },
    { values: [10, 20, 30, 40, 50, 60, 70, 80, 90, 100], p: 90, expected: 90 },
    { values: [10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110], p: 90, expected: 100 },
    { values: [5, 5, 5, 1], p: 100, expected: 5 },
  ];
  it.each(cases)('p$p of $values is $expected', ({ values, p, expected }) => {
    expect(percentile(values, p)).toBe(expected);
  });

  it('refuses a p outside (0, 100] and leaves its input unsorted', () => {
    expect(() => percentile([1], 0)).toThrow(RangeError);
    expect(() => percentile([1], 101)).toThrow(RangeError);
    const input = [3, 1, 2];
    percentile(input, 50);
    expect(input).toEqual([3, 1, 2]);
  });

  it('spread gives n, median and p90, and only n without values', () => {
    expect(spread([60, 120, 180, 240, 300, 360, 420, 480, 540, 3600])).toEqual({ n: 10, median: 300, p90: 540 });
    expect(spread([])).toEqual({ n: 0 });
  });
});
