/**
 * Expected-reading schedules in the patient's own time zone, and how many slots in a row have been
 * missed. Time-zone arithmetic uses Intl (Node ships full ICU), so daylight-saving changes in
 * Europe/Copenhagen and Europe/Stockholm need no table of ours.
 *
 * daily:    a slot per (selected) local day, open from `from` (default 00:00; a `from` later than
 *           `by` opens the evening before) and due at `by`. Any reading of the kind measured since
 *           the slot opened satisfies it, so a late measurement clears a missed slot.
 * interval: due `everyHours` after the last reading (or after monitoring started, or after the end
 *           of a passive interval, whichever is latest).
 * A slot is reported missed `graceMinutes` (default 60) after it was due. Slots due inside a
 * passive interval or opening before `monitoringSince` never count.
 */
import { wallClock, wallClockToUtc, zoneOffsetMs } from '../../../contract/time-zone.js';
import { lastPassiveEndBetween, passiveIntervalAt } from './passive.js';
import { DAY_MS, HOUR_MS } from './samples.js';
import type { DailySchedule, IsoWeekday, PassiveInterval, ReadingSchedule, ScheduleTiming } from './types.js';

export const DEFAULT_GRACE_MINUTES = 60;
/** Slots scanned back at most: counts saturate here ("14 or more missed"). */
export const MAX_SLOTS = 14;

export interface LocalDate {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

export interface ZonedParts extends LocalDate {
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

/** Wall-clock parts of an instant in a time zone. */
export function zonedParts(at: number, timeZone: string): ZonedParts {
  const w = wallClock(new Date(at), timeZone);
  return { year: w.year, month: w.month, day: w.day, hour: w.hours, minute: w.minutes, second: w.seconds };
}

export { zoneOffsetMs };

export function parseHhmm(text: string): { hour: number; minute: number } {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
  if (!m) throw new RangeError(`expected a local time HH:MM, got "${text}"`);
  return { hour: Number(m[1]), minute: Number(m[2]) };
}

/**
 * The instant of a local wall time, disambiguated like Temporal's "compatible": in the autumn
 * overlap the first occurrence, in a spring-forward gap the time shifted forward (02:30 -> 03:30).
 */
export function zonedToUtc(date: LocalDate, hhmm: string, timeZone: string): number {
  const { hour, minute } = parseHhmm(hhmm);
  return wallClockToUtc({ year: date.year, month: date.month, day: date.day, hours: hour, minutes: minute, seconds: 0 }, timeZone).getTime();
}

/** The local calendar date `days` after `date` (negative: before). */
export function addDays(date: LocalDate, days: number): LocalDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

export function isoWeekday(date: LocalDate): IsoWeekday {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
  return (d === 0 ? 7 : d) as IsoWeekday;
}

/** "2026-03-02 08:10" in the given zone, for summaries. */
export function formatLocal(at: number, timeZone: string): string {
  const p = zonedParts(at, timeZone);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${p.year}-${two(p.month)}-${two(p.day)} ${two(p.hour)}:${two(p.minute)}`;
}

export interface ScheduleSlot {
  readonly opensAt: number;
  readonly dueAt: number;
}

/** Daily slots due at or before `at`, newest first, at most `max`. */
export function dailySlotsBefore(schedule: Omit<DailySchedule, 'kind'>, timeZone: string, at: number, max = MAX_SLOTS): ScheduleSlot[] {
  const today = zonedParts(at, timeZone);
  const from = schedule.from ?? '00:00';
  const opensDayBefore = from > schedule.by;
  const slots: ScheduleSlot[] = [];
  for (let i = 0; slots.length < max && i < max * 7 + 7; i++) {
    const date = addDays(today, -i);
    if (schedule.daysOfWeek && !schedule.daysOfWeek.includes(isoWeekday(date))) continue;
    const dueAt = zonedToUtc(date, schedule.by, timeZone);
    if (dueAt > at) continue;
    slots.push({ opensAt: zonedToUtc(opensDayBefore ? addDays(date, -1) : date, from, timeZone), dueAt });
  }
  return slots;
}

export interface MissedSlots {
  /** Consecutive missed slots up to now (0 = on schedule), saturating at MAX_SLOTS. */
  readonly count: number;
  /** Due time of the newest missed slot. */
  readonly dueAt?: number;
}

export interface MissedInput {
  readonly schedule: ReadingSchedule | ScheduleTiming;
  readonly timeZone: string;
  readonly lastReadingAt?: number;
  readonly now: number;
  readonly passiveIntervals?: readonly PassiveInterval[];
  readonly monitoringSince?: number;
}

export function missedSlots(input: MissedInput): MissedSlots {
  const { schedule, now, lastReadingAt } = input;
  const graceMs = (schedule.graceMinutes ?? DEFAULT_GRACE_MINUTES) * 60_000;
  if (schedule.type === 'interval') {
    const everyMs = schedule.everyHours * HOUR_MS;
    const refs = [lastReadingAt, input.monitoringSince, lastPassiveEndBetween(input.passiveIntervals, -Infinity, now)].filter(
      (t): t is number => t !== undefined,
    );
    if (refs.length === 0) return { count: 1, dueAt: now - graceMs };
    const ref = Math.max(...refs);
    const count = Math.min(MAX_SLOTS, Math.floor((now - graceMs - ref) / everyMs));
    return count > 0 ? { count, dueAt: ref + count * everyMs } : { count: 0 };
  }
  let count = 0;
  let dueAt: number | undefined;
  for (const slot of dailySlotsBefore(schedule, input.timeZone, now - graceMs, MAX_SLOTS + 7)) {
    if (input.monitoringSince !== undefined && slot.opensAt < input.monitoringSince) break;
    if (lastReadingAt !== undefined && lastReadingAt >= slot.opensAt) break;
    if (passiveIntervalAt(input.passiveIntervals, new Date(slot.dueAt))) continue;
    dueAt ??= slot.dueAt;
    if (++count >= MAX_SLOTS) break;
  }
  return dueAt === undefined ? { count: 0 } : { count, dueAt };
}

/** How far back the engine must look to know the last reading for every schedule. */
export function scheduleHistoryMs(schedules: readonly (ReadingSchedule | ScheduleTiming)[]): number {
  return Math.max(0, ...schedules.map((s) => (s.type === 'interval' ? s.everyHours * HOUR_MS * (MAX_SLOTS + 1) : DAY_MS * (MAX_SLOTS + 1) * 7)));
}
