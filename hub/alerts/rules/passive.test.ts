import { describe, it, expect } from 'vitest';
import { isPassive, lastPassiveEndBetween, passiveIntervalAt } from './passive.js';
import { at } from './testing.js';
import type { PassiveInterval } from './types.js';

const hospital: PassiveInterval = { from: at('2026-01-10T10:00:00Z'), to: at('2026-01-12T10:00:00Z'), reason: 'hospital' };
const away: PassiveInterval = { from: at('2026-02-01T00:00:00Z'), reason: 'with family, open-ended' };

describe('passive intervals', () => {
  it.each([
    ['before', '2026-01-10T09:59:59Z', false],
    ['at the start (inclusive)', '2026-01-10T10:00:00Z', true],
    ['inside', '2026-01-11T00:00:00Z', true],
    ['at the end (exclusive)', '2026-01-12T10:00:00Z', false],
    ['open-ended, long after the start', '2026-06-01T00:00:00Z', true],
    ['between intervals', '2026-01-20T00:00:00Z', false],
  ])('%s -> %s', (_name, iso, expected) => {
    expect(isPassive({ passiveIntervals: [hospital, away] }, at(iso))).toBe(expected);
  });

  it('no intervals: never passive; returns the interval with its reason', () => {
    expect(isPassive({}, at('2026-01-11T00:00:00Z'))).toBe(false);
    expect(passiveIntervalAt([hospital], at('2026-01-11T00:00:00Z'))?.reason).toBe('hospital');
  });

  it('finds the latest end in a range', () => {
    const end = hospital.to!.getTime();
    expect(lastPassiveEndBetween([hospital, away], 0, end)).toBe(end);
    expect(lastPassiveEndBetween([hospital, away], end, end + 1)).toBeUndefined();
  });
});
