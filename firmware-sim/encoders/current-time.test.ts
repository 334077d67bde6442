import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fuzzSeed } from '../../test/fixtures/gatt/decoder-suite.js';
import { bytes, hexOf } from '../../test/fixtures/gatt/vector.js';
import { encodeDeviceClock, instantOfClockWrite } from './current-time.js';

const BVP_CT = 'eisaev/blevalueparser tests/currenttimetest.cpp';

describe("the simulated device clock's Current Time 0x2A2B (literal octets, no gateway code in the loop)", () => {
  it('reads a Copenhagen winter Monday 20:22:07 and 254/256 s as CTS octets', () => {
    // 19:22:07.996 UTC = 20:22:07 CET; Monday = 1; floor(996 * 256 / 1000) = 254 = 0xfe; no adjust reason.
    expect(hexOf(encodeDeviceClock(new Date('2023-01-02T19:22:07.996Z'), 'Europe/Copenhagen'))).toBe('e707010214160701fe00');
  });

  it('reads a summer Sunday in local time (CEST, UTC+2): day of week 7', () => {
    expect(hexOf(encodeDeviceClock(new Date('2026-06-28T10:00:00.000Z'), 'Europe/Copenhagen'))).toBe('ea07061c0c0000070000');
  });

  it(`takes a write of blevalueparser's "manual, 255/256 s" octets (${BVP_CT} Manual_255) as that local instant`, () => {
    const instant = instantOfClockWrite(bytes('e707 01 02 14 16 07 01 ff 01'), 'Europe/Copenhagen');
    // 255/256 s = 996.09 ms; a Date keeps whole milliseconds.
    expect(instant?.toISOString()).toBe('2023-01-02T19:22:07.996Z');
  });

  it.each([
    ['e707 01 04 14 16 07 03 80', 'nine octets'],
    ['e707 01 04 14 16 07 03 80 00 00', 'eleven octets'],
    ['e707 01 04 14 16 3c 03 80 00', 'second 60'],
    ['e707 0d 04 14 16 07 03 80 00', 'month 13'],
    ['e707 02 1e 14 16 07 03 80 00', '30 February'],
    ['0000 00 00 00 00 00 00 00 00', 'date unknown (year 0)'],
    ['e707 01 04 18 00 00 03 80 00', 'hour 24'],
  ])('refuses %s (%s)', (hex) => {
    expect(instantOfClockWrite(bytes(hex), 'Europe/Copenhagen')).toBeUndefined();
  });

  it('any instant it shows, written back, sets the clock to that instant to the 1/256 s (fast-check)', () => {
    const zones = fc.constantFrom('Europe/Copenhagen', 'Europe/Stockholm', 'UTC', 'America/New_York');
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2099, 0, 1) }), zones, (ms, zone) => {
        const shown = encodeDeviceClock(new Date(ms), zone);
        const back = instantOfClockWrite(shown, zone)!;
        // Fractions256 keep 1/256 s (< 4 ms, then whole ms); in the autumn overlap the earlier of the
        // two instants with that wall-clock time is chosen (an hour before).
        const diff = ms - back.getTime();
        const within = diff >= 3_600_000 ? diff - 3_600_000 : diff;
        expect(within).toBeGreaterThanOrEqual(0);
        expect(within).toBeLessThan(5);
      }),
      { seed: fuzzSeed(), numRuns: 500 },
    );
  });
});
