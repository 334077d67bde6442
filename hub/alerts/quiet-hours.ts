/**
 * Quiet hours: a team's local night in which non-urgent pages wait. Urgent alerts are never held
 * (DESIGN.md: "urgent is never muted"). Wall-clock arithmetic through Intl, so daylight-saving
 * changes are handled by the time-zone database rather than by us.
 */
import type { AlertSeverity } from '../../contract/index.js';
import { addDays, parseHhmm, zonedParts, zonedToUtc } from './rules/index.js';

export interface QuietHours {
  readonly from: string;
  readonly to: string;
  readonly timeZone: string;
}

/** The end of the quiet period `now` lies in, or undefined when `now` is not in quiet hours. */
export function quietHoursEnd(now: Date, quiet: QuietHours): Date | undefined {
  const local = zonedParts(now.getTime(), quiet.timeZone);
  const minute = local.hour * 60 + local.minute;
  const from = parseHhmm(quiet.from);
  const to = parseHhmm(quiet.to);
  const f = from.hour * 60 + from.minute;
  const t = to.hour * 60 + to.minute;
  const today = { year: local.year, month: local.month, day: local.day };
  if (f < t) return minute >= f && minute < t ? new Date(zonedToUtc(today, quiet.to, quiet.timeZone)) : undefined;
  // Overnight, e.g. 22:00-07:00.
  if (minute >= f) return new Date(zonedToUtc(addDays(today, 1), quiet.to, quiet.timeZone));
  if (minute < t) return new Date(zonedToUtc(today, quiet.to, quiet.timeZone));
  return undefined;
}

/** When a page about an alert of this severity may go out: now, or at the end of quiet hours. */
export function pageTime(now: Date, severity: AlertSeverity, quiet: QuietHours | undefined): Date {
  if (quiet === undefined || severity === 'urgent') return now;
  return quietHoursEnd(now, quiet) ?? now;
}
