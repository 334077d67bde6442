/**
 * The device clock, through Current Time (0x2A2B, CTS 1.1 §3.1): read it to measure its offset from the
 * box's clock, and, where configured and the device accepts writes, set it.
 *
 * The offset is measured before the clock is set and used for every record downloaded in the same
 * connection: those were stamped by the clock as it was. It is rounded to whole seconds, the resolution
 * of the Date Time in measurement records, so a correct clock corrects nothing.
 */
import { hasCharacteristic, type GattConnection } from '../ble/adapter.js';
import { CHARACTERISTIC, SERVICE } from '../ble/gatt-uuids.js';
import { clockOffsetSeconds, currentTimeFor, decodeCurrentTime, encodeCurrentTime } from '../profiles/current-time.js';

export interface ClockOptions {
  readonly timeZone: string;
  readonly setDeviceClock: boolean;
  /** Set the clock only when it is off by more than this. */
  readonly setDeviceClockAboveS: number;
  readonly now: () => Date;
}

export interface ClockCheck {
  /** Device clock minus the box's clock, whole seconds; undefined when the device has no readable clock. */
  readonly offsetS?: number;
  /** When the gateway set the device clock in this connection. */
  readonly setAt?: string;
  /** Why reading or setting the clock failed (the session goes on). */
  readonly error?: string;
}

export async function checkDeviceClock(conn: GattConnection, options: ClockOptions): Promise<ClockCheck> {
  if (!hasCharacteristic(conn, SERVICE.currentTime, CHARACTERISTIC.currentTime)) return {};
  let offsetS: number | undefined;
  try {
    const before = options.now().getTime();
    const value = await conn.read(SERVICE.currentTime, CHARACTERISTIC.currentTime);
    // The device sampled its clock somewhere during the round trip: compare with the middle of it.
    const trueTime = new Date((before + options.now().getTime()) / 2);
    const decoded = decodeCurrentTime(value);
    if (!decoded.ok) return { error: `current time: ${decoded.reason}` };
    const exact = clockOffsetSeconds(decoded.value, trueTime, options.timeZone);
    offsetS = exact === undefined ? undefined : Math.round(exact) + 0; // + 0 turns -0 into 0
  } catch (err) {
    return { error: `current time read failed: ${(err as Error).message}` };
  }
  // A device that does not know the date (year 0) gets its clock set too.
  const needsSetting = offsetS === undefined || Math.abs(offsetS) > options.setDeviceClockAboveS;
  if (!options.setDeviceClock || !needsSetting) return offsetS === undefined ? {} : { offsetS };
  try {
    const now = options.now();
    // CTS 1.1 §3.1.2.1: the reason for this adjustment is an external reference (the box's NTP-synced clock).
    await conn.write(SERVICE.currentTime, CHARACTERISTIC.currentTime, encodeCurrentTime(currentTimeFor(now, options.timeZone)), true);
    return { ...(offsetS !== undefined && { offsetS }), setAt: now.toISOString() };
  } catch (err) {
    // Many devices expose Current Time read-only (the write is optional in CTS): keep the measured offset.
    return { ...(offsetS !== undefined && { offsetS }), error: `current time not set: ${(err as Error).message}` };
  }
}
