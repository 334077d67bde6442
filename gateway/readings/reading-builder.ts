/**
 * Helpers shared by the `from-*.ts` modules that turn decoded characteristic values into contract
 * readings: which device (and user) took it, which id it gets, how device flags read as status.
 */
import { componentsFor, type DeviceRef, type Reading, type VitalKind } from '../../contract/index.js';
import type { LocalDateTime } from '../profiles/date-time.js';
import { formatLocal } from '../profiles/date-time.js';
import type { MeasurementTime, TimeContext } from './measurement-time.js';
import { receiptReadingId, stableReadingId } from './reading-id.js';

/** What every `from-*.ts` module needs besides the decoded value. */
export interface ReadingContext extends TimeContext {
  readonly device: DeviceRef;
  /** The raw characteristic value, part of the stable id. */
  readonly raw: Uint8Array;
}

/** Multi-user devices (BLS, WSS, BCS): the device's user index is part of the device identity. */
export function deviceFor(ctx: ReadingContext, userId: number | undefined): DeviceRef {
  return userId === undefined ? ctx.device : { ...ctx.device, userIndex: userId };
}

/**
 * The reading id: a stable hash when the device identified the measurement itself (its own time stamp
 * or record sequence number), else a ULID made on receipt (the outbox keeps it across retries).
 */
export function readingIdFor(ctx: ReadingContext, device: DeviceRef, kind: string, deviceTimeOrSequence: string | undefined): string {
  if (deviceTimeOrSequence === undefined) return receiptReadingId(ctx.receivedAt.getTime());
  return stableReadingId({ deviceId: device.id, userIndex: device.userIndex, kind, deviceTimeOrSequence, rawValue: ctx.raw });
}

/** The device's own time stamp as the stable-id key, or undefined when it sent none. */
export function timeKey(t: LocalDateTime | undefined): string | undefined {
  return t ? formatLocal(t) : undefined;
}

/** Device flag names in the contract's status style: 'deviceBatteryLow' -> 'device_battery_low'. */
export function statusName(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/:/g, '_').toLowerCase();
}

/** Named flags as contract status entries (at most 32, the contract's limit); unnamed reserved bits are dropped. */
export function statusFrom(...lists: (readonly string[] | undefined)[]): string[] | undefined {
  if (lists.every((l) => l === undefined)) return undefined;
  return lists
    .flatMap((l) => l ?? [])
    .filter((n) => !/^bit\d+$/.test(n))
    .map(statusName)
    .slice(0, 32);
}

/** Rounds away binary noise from unit conversions: 37.00000000000001 -> 37. */
export function roundTo(value: number, decimals: number): number {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
}

/** The heart_rate reading that cuffs and oximeters report beside their main value. */
export function pulseRateReading(
  pulseRate: number,
  device: DeviceRef,
  idFor: (kind: VitalKind) => string,
  time: MeasurementTime,
  status: string[] | undefined,
): Reading {
  return { id: idFor('heart_rate'), kind: 'heart_rate', device, components: componentsFor('heart_rate', { heartRate: pulseRate }), ...time, ...(status && { status }) };
}
