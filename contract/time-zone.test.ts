import { describe, expect, it } from 'vitest';
import { assertTimeZone, wallClock, wallClockToUtc, zoneOffsetMs } from './time-zone.js';

const CPH = 'Europe/Copenhagen';
const wc = (year: number, month: number, day: number, hours: number, minutes = 0, seconds = 0) => ({ year, month, day, hours, minutes, seconds });

describe('time zones', () => {
  it.each([
    // [wall clock in Copenhagen, UTC instant] — CET +1 in winter, CEST +2 in summer (EU rules: last Sunday of March / October at 01:00 UTC).
    [wc(2026, 1, 15, 9, 30), '2026-01-15T08:30:00.000Z'],
    [wc(2026, 7, 1, 9, 30), '2026-07-01T07:30:00.000Z'],
    // Spring forward 2026-03-29: 02:30 does not exist and moves forward by the gap.
    [wc(2026, 3, 29, 2, 30), '2026-03-29T01:30:00.000Z'],
    [wc(2026, 3, 29, 3, 0), '2026-03-29T01:00:00.000Z'],
    // Fall back 2026-10-25: 02:30 happens twice; the earlier instant (still CEST) is chosen.
    [wc(2026, 10, 25, 2, 30), '2026-10-25T00:30:00.000Z'],
    [wc(2026, 10, 25, 3, 30), '2026-10-25T02:30:00.000Z'],
  ])('Copenhagen %o is %s', (local, utc) => {
    expect(wallClockToUtc(local, CPH).toISOString()).toBe(utc);
  });

  it('goes back from UTC to the same wall clock outside the gap', () => {
    expect(wallClock(new Date('2026-07-01T07:30:00Z'), CPH)).toEqual(wc(2026, 7, 1, 9, 30));
    expect(wallClock(new Date('2026-01-15T23:30:00Z'), 'Europe/Stockholm')).toEqual(wc(2026, 1, 16, 0, 30));
  });

  it('knows the offsets', () => {
    expect(zoneOffsetMs(Date.parse('2026-01-15T08:30:00Z'), CPH)).toBe(3_600_000);
    expect(zoneOffsetMs(Date.parse('2026-07-01T08:30:00Z'), CPH)).toBe(7_200_000);
    expect(zoneOffsetMs(Date.parse('2026-07-01T08:30:00Z'), 'UTC')).toBe(0);
  });

  it('refuses an unknown zone', () => {
    expect(() => assertTimeZone('Europe/Atlantis')).toThrow(RangeError);
  });
});
