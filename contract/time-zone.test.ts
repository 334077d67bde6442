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

describe('the cached offsets and derived wall clocks give what Intl gives', () => {
  const intl = (zone: string) => new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
  const reference = (f: Intl.DateTimeFormat, at: number) => {
    const p = Object.fromEntries(f.formatToParts(new Date(at)).filter((x) => x.type !== 'literal').map((x) => [x.type, Number(x.value)]));
    return wc(p.year!, p.month!, p.day!, p.hour!, p.minute, p.second);
  };
  const offsetOf = (w: ReturnType<typeof wc>, at: number) => Date.UTC(w.year, w.month - 1, w.day, w.hours, w.minutes, w.seconds) - Math.floor(at / 1000) * 1000;

  // Autumn and spring nights (EU: last Sunday of October / March at 01:00 UTC), every 7 min 13 s from 22:00 UTC the evening before, with odd milliseconds.
  it.each([
    [CPH, '2025-10-25T22:00:00Z'],
    [CPH, '2026-03-28T22:00:00Z'],
    ['Europe/Stockholm', '2026-03-28T22:00:00Z'],
    ['Europe/Stockholm', '2026-10-24T22:00:00Z'],
    ['Europe/Stockholm', '2027-10-30T22:00:00Z'],
    // Half-hour DST (Lord Howe), 45-minute offset (Chatham), a half-hour zone with DST (St John's).
    ['Australia/Lord_Howe', '2026-04-04T12:00:00Z'],
    ['Pacific/Chatham', '2026-04-04T12:00:00Z'],
    ['America/St_Johns', '2026-11-01T02:00:00Z'],
  ])('%s, the night after %s', (zone, start) => {
    const f = intl(zone);
    const from = Date.parse(start);
    for (let at = from + 137; at < from + 8 * 3_600_000; at += 433_000) {
      const expected = reference(f, at);
      expect(wallClock(new Date(at), zone), new Date(at).toISOString()).toEqual(expected);
      expect(zoneOffsetMs(at, zone), new Date(at).toISOString()).toBe(offsetOf(expected, at));
    }
  });

  it('on the seconds around a change, and at random instants from 1900 to 2100', () => {
    const change = Date.parse('2026-10-25T01:00:00Z');
    const f = intl(CPH);
    for (let at = change - 3000; at <= change + 3000; at += 250) expect(wallClock(new Date(at), CPH)).toEqual(reference(f, at));
    let seed = 7;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    for (const zone of [CPH, 'Europe/Stockholm', 'America/New_York', 'Asia/Kathmandu', 'UTC']) {
      const fz = intl(zone);
      for (let i = 0; i < 300; i++) {
        const at = Math.floor(Date.UTC(1900, 0, 1) + random() * 200 * 365.25 * 86_400_000);
        expect(wallClock(new Date(at), zone), `${zone} ${new Date(at).toISOString()}`).toEqual(reference(fz, at));
      }
    }
  });
});
