/**
 * Puts a correct UTC time on a measurement: device local time -> UTC with the box's zone,
 * corrected by the device clock's known offset, flagged when the clock is suspect, and marked late
 * when a stored record arrives long after it was taken.
 */
import type { LocalDateTime } from '../profiles/date-time.js';
import { formatLocal } from '../profiles/date-time.js';
import { localToUtc } from '../time/zoned-time.js';

export interface TimeContext {
  readonly receivedAt: Date;
  readonly timeZone: string;
  /** Device clock minus true time in seconds, measured through Current Time at this connection. */
  readonly clockOffsetS?: number;
  /** Beyond this the device clock is suspect (HL7 PHD guide; default 5 minutes). */
  readonly clockSuspectAfterS: number;
  /** A record received more than this after it was taken is late: never page on it as if current. */
  readonly lateAfterS: number;
}

export interface MeasurementTime {
  readonly measuredAt: string;
  readonly receivedAt: string;
  readonly deviceTime?: string;
  readonly timeSource: 'device' | 'receipt';
  readonly clockOffsetS?: number;
  readonly clockSuspect: boolean;
  readonly late: boolean;
}

export function measurementTime(deviceTime: LocalDateTime | undefined, ctx: TimeContext): MeasurementTime {
  const receivedAt = ctx.receivedAt.toISOString();
  if (!deviceTime) {
    return { measuredAt: receivedAt, receivedAt, timeSource: 'receipt', clockSuspect: false, late: false };
  }
  const asStamped = localToUtc(deviceTime, ctx.timeZone).getTime();
  const offsetS = ctx.clockOffsetS;
  // Correct by the measured clock offset: a cuff running 2 h fast stamps 12:00 on a 10:00 reading.
  const corrected = offsetS === undefined ? asStamped : asStamped - offsetS * 1000;
  const inFutureS = (corrected - ctx.receivedAt.getTime()) / 1000;
  const clockSuspect =
    (offsetS !== undefined && Math.abs(offsetS) > ctx.clockSuspectAfterS) ||
    // Without a measured offset, a time stamp from the future betrays a wrong clock.
    inFutureS > ctx.clockSuspectAfterS;
  const late = -inFutureS > ctx.lateAfterS;
  return {
    measuredAt: new Date(corrected).toISOString(),
    receivedAt,
    deviceTime: formatLocal(deviceTime),
    timeSource: 'device',
    ...(offsetS !== undefined && { clockOffsetS: offsetS }),
    clockSuspect,
    late,
  };
}
