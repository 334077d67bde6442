import { describe, it, expect } from 'vitest';
import { addDays, dailySlotsBefore, formatLocal, isoWeekday, missedSlots, zonedToUtc, type MissedInput } from './schedule.js';
import type { DailySchedule, IntervalSchedule, PassiveInterval } from './types.js';

const CPH = 'Europe/Copenhagen';
const t = (iso: string) => Date.parse(iso);

describe('time-zone arithmetic', () => {
  it.each([
    ['winter (CET, +1)', { year: 2026, month: 1, day: 14 }, '10:00', CPH, '2026-01-14T09:00:00.000Z'],
    ['summer (CEST, +2)', { year: 2026, month: 7, day: 14 }, '10:00', CPH, '2026-07-14T08:00:00.000Z'],
    ['Stockholm has the same rules', { year: 2026, month: 7, day: 14 }, '10:00', 'Europe/Stockholm', '2026-07-14T08:00:00.000Z'],
    ['spring-forward day, after the change', { year: 2026, month: 3, day: 29 }, '10:00', CPH, '2026-03-29T08:00:00.000Z'],
    ['spring-forward gap: 02:30 becomes 03:30 CEST', { year: 2026, month: 3, day: 29 }, '02:30', CPH, '2026-03-29T01:30:00.000Z'],
    ['autumn overlap: 02:30 is the first (CEST) occurrence', { year: 2026, month: 10, day: 25 }, '02:30', CPH, '2026-10-25T00:30:00.000Z'],
    ['midnight', { year: 2026, month: 1, day: 1 }, '00:00', CPH, '2025-12-31T23:00:00.000Z'],
  ])('%s', (_name, date, hhmm, tz, iso) => {
    expect(new Date(zonedToUtc(date, hhmm, tz)).toISOString()).toBe(iso);
  });

  it('rejects a malformed time', () => {
    expect(() => zonedToUtc({ year: 2026, month: 1, day: 1 }, '7:00', CPH)).toThrow(RangeError);
    expect(() => zonedToUtc({ year: 2026, month: 1, day: 1 }, '24:00', CPH)).toThrow(RangeError);
  });

  it('calendar helpers', () => {
    expect(addDays({ year: 2026, month: 1, day: 1 }, -1)).toEqual({ year: 2025, month: 12, day: 31 });
    expect(addDays({ year: 2028, month: 2, day: 28 }, 1)).toEqual({ year: 2028, month: 2, day: 29 });
    expect(isoWeekday({ year: 2026, month: 1, day: 14 })).toBe(3);
    expect(isoWeekday({ year: 2026, month: 1, day: 18 })).toBe(7);
    expect(formatLocal(t('2026-07-14T08:05:00Z'), CPH)).toBe('2026-07-14 10:05');
  });
});

const weight: DailySchedule = { kind: 'body_weight', type: 'daily', by: '10:00' };
const mwf: DailySchedule = { ...weight, daysOfWeek: [1, 3, 5] };

describe('daily slots', () => {
  it('lists due slots newest first, on the chosen weekdays only', () => {
    // Wednesday 14 Jan 2026, 13:00 local.
    const slots = dailySlotsBefore(mwf, CPH, t('2026-01-14T12:00:00Z'), 3).map((s) => [new Date(s.opensAt).toISOString(), new Date(s.dueAt).toISOString()]);
    expect(slots).toEqual([
      ['2026-01-13T23:00:00.000Z', '2026-01-14T09:00:00.000Z'],
      ['2026-01-11T23:00:00.000Z', '2026-01-12T09:00:00.000Z'],
      ['2026-01-08T23:00:00.000Z', '2026-01-09T09:00:00.000Z'],
    ]);
  });
  it('a `from` later than `by` opens the evening before', () => {
    const [slot] = dailySlotsBefore({ ...weight, from: '18:00' }, CPH, t('2026-01-14T12:00:00Z'), 1);
    expect(new Date(slot!.opensAt).toISOString()).toBe('2026-01-13T17:00:00.000Z');
  });
});

describe('missed slots', () => {
  const input = (over: Partial<MissedInput>): MissedInput => ({ schedule: weight, timeZone: CPH, now: t('2026-01-14T12:00:00Z'), ...over });
  const passiveYesterday: PassiveInterval[] = [{ from: new Date('2026-01-12T20:00:00Z'), to: new Date('2026-01-13T20:00:00Z'), reason: 'hospital' }];
  it.each([
    ['today measured before the deadline', { lastReadingAt: t('2026-01-14T06:30:00Z') }, 0],
    ['today measured after the deadline: cleared', { lastReadingAt: t('2026-01-14T10:30:00Z') }, 0],
    ['within grace (10:59 local): yesterday counts, today not yet', { now: t('2026-01-14T09:59:00Z'), lastReadingAt: t('2026-01-13T07:00:00Z') }, 0],
    ['after grace (11:01 local): today missed', { now: t('2026-01-14T10:01:00Z'), lastReadingAt: t('2026-01-13T07:00:00Z') }, 1],
    ['last reading two days ago: 2 missed', { lastReadingAt: t('2026-01-12T07:00:00Z') }, 2],
    ['a reading at 00:30 local counts for that day', { lastReadingAt: t('2026-01-13T23:30:00Z') }, 0],
    ['a reading at 23:30 local the day before does not', { lastReadingAt: t('2026-01-13T22:30:00Z') }, 1],
    ['grace 0: missed from 10:00 local', { schedule: { ...weight, graceMinutes: 0 }, now: t('2026-01-14T09:00:00Z'), lastReadingAt: t('2026-01-13T07:00:00Z') }, 1],
    ['Mon/Wed/Fri on Tuesday, Monday measured', { schedule: mwf, now: t('2026-01-13T12:00:00Z'), lastReadingAt: t('2026-01-12T07:00:00Z') }, 0],
    ['Mon/Wed/Fri on Tuesday, Monday not measured', { schedule: mwf, now: t('2026-01-13T12:00:00Z'), lastReadingAt: t('2026-01-10T07:00:00Z') }, 1],
    ['Mon/Wed/Fri on Wednesday, nothing since Friday', { schedule: mwf, lastReadingAt: t('2026-01-09T07:00:00Z') }, 2],
    ['slots due in a passive interval do not count', { lastReadingAt: t('2026-01-11T07:00:00Z'), passiveIntervals: passiveYesterday }, 2],
    ['slots opening before monitoring started do not count', { monitoringSince: t('2026-01-13T12:00:00Z') }, 1],
    ['no reading ever: saturates at 14', {}, 14],
    ['the evening before counts with from 18:00', { schedule: { ...weight, from: '18:00' }, lastReadingAt: t('2026-01-13T18:00:00Z') }, 0],
    ['summer time: due 08:00 UTC', { now: t('2026-07-14T09:01:00Z'), lastReadingAt: t('2026-07-13T07:00:00Z') }, 1],
  ] as [string, Partial<MissedInput>, number][])('%s -> %d', (_name, over, count) => {
    expect(missedSlots(input(over)).count).toBe(count);
  });

  it('reports the due time of the newest missed slot', () => {
    expect(missedSlots(input({ lastReadingAt: t('2026-01-12T07:00:00Z') })).dueAt).toBe(t('2026-01-14T09:00:00Z'));
  });

  const every12: IntervalSchedule = { kind: 'blood_glucose', type: 'interval', everyHours: 12 };
  it.each([
    ['12 h 59 min after the last reading (grace 60)', { lastReadingAt: t('2026-01-13T23:01:00Z') }, 0],
    ['13 h 01 min after', { lastReadingAt: t('2026-01-13T22:59:00Z') }, 1],
    ['25 h 01 min after', { lastReadingAt: t('2026-01-13T10:59:00Z') }, 2],
    ['no reading ever, no start: 1', {}, 1],
    ['counts from monitoring start', { monitoringSince: t('2026-01-14T06:00:00Z') }, 0],
    ['a passive interval that ended restarts the clock', { lastReadingAt: t('2026-01-12T00:00:00Z'), passiveIntervals: [{ from: new Date('2026-01-12T01:00:00Z'), to: new Date('2026-01-14T05:00:00Z'), reason: 'holiday' }] }, 0],
  ] as [string, Partial<MissedInput>, number][])('every 12 h: %s -> %d', (_name, over, count) => {
    expect(missedSlots(input({ schedule: every12, ...over })).count).toBe(count);
  });
});
