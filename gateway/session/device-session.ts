/**
 * One connection to one device: identify it (Device Information), read its battery and clock (and set
 * the clock where configured), subscribe to its measurement characteristics, fetch a glucose meter's new
 * records through its Record Access Control Point, collect what it sends, disconnect.
 * A cuff sends its stored records, then goes quiet or disconnects; a heart-rate strap streams until the
 * session's time cap ends it.
 */
import type { DeviceRef, Reading } from '../../contract/index.js';
import { hasCharacteristic, type GattConnection } from '../ble/adapter.js';
import { CHARACTERISTIC, SERVICE } from '../ble/gatt-uuids.js';
import { decodeGlucoseMeasurement } from '../profiles/glucose-measurement.js';
import { MEASUREMENT_PROFILES } from '../profiles/measurement-profiles.js';
import type { TimeContext } from '../readings/measurement-time.js';
import { readBattery } from './battery.js';
import { checkDeviceClock } from './device-clock.js';
import { readDeviceInfo } from './device-info.js';
import { fetchGlucoseRecords, type RacpOutcome } from './glucose-records.js';

export interface SessionOptions {
  readonly timeZone: string;
  readonly clockSuspectAfterS: number;
  readonly lateAfterS: number;
  /** End the session this long after the last value (devices that never disconnect by themselves). */
  readonly idleTimeoutMs: number;
  /** Hard cap on a session, so one misbehaving device cannot hold a connection slot forever. */
  readonly maxSessionMs: number;
  /** Write the box's time to the device clock when it is off by more than setDeviceClockAboveS. */
  readonly setDeviceClock?: boolean;
  readonly setDeviceClockAboveS?: number;
  readonly racpTimeoutMs?: number;
  readonly now?: () => Date;
}

export interface SessionEvents {
  /** Decoded readings, in the order received. Called before the session ends, so callers persist promptly. */
  onReadings(readings: Reading[]): Promise<void>;
  onDecodeError(characteristic: string, reason: string): void;
  /** The last glucose record sequence number whose readings are already in the outbox, for this device. */
  lastGlucoseSequence?(deviceId: string): number | undefined;
}

export interface SessionSummary {
  readonly deviceId: string;
  readonly device: DeviceRef;
  readonly values: number;
  readonly readings: number;
  readonly rejected: number;
  readonly batteryPercent?: number;
  readonly clockOffsetS?: number;
  readonly clockSetAt?: string;
  /** Problems that did not stop the session (battery or clock unreadable, clock not writable). */
  readonly notes: readonly string[];
  /** Glucose meters: the RACP exchange and the highest record sequence number now in the outbox. */
  readonly glucose?: RacpOutcome & { readonly lastSequence?: number };
}

export async function runDeviceSession(conn: GattConnection, options: SessionOptions, events: SessionEvents): Promise<SessionSummary> {
  const now = options.now ?? (() => new Date());
  const device = await readDeviceInfo(conn);
  const battery = await readBattery(conn);
  const clock = await checkDeviceClock(conn, {
    timeZone: options.timeZone,
    setDeviceClock: options.setDeviceClock ?? false,
    setDeviceClockAboveS: options.setDeviceClockAboveS ?? 5,
    now,
  });
  const notes = [battery.error && `battery: ${battery.error}`, clock.error].filter((n): n is string => Boolean(n));
  const counts = { values: 0, readings: 0, rejected: 0 };
  let maxGlucoseSequence: number | undefined;
  let pending: Promise<void> = Promise.resolve();
  let idleTimer: NodeJS.Timeout | undefined;
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const armIdle = () => {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(finish, options.idleTimeoutMs);
  };
  conn.onDisconnect(finish);
  const hardStop = setTimeout(finish, options.maxSessionMs);

  const timeContext = (): TimeContext => ({
    receivedAt: now(),
    timeZone: options.timeZone,
    ...(clock.offsetS !== undefined && { clockOffsetS: clock.offsetS }),
    clockSuspectAfterS: options.clockSuspectAfterS,
    lateAfterS: options.lateAfterS,
  });

  const isGlucoseMeter = hasCharacteristic(conn, SERVICE.glucose, CHARACTERISTIC.recordAccessControlPoint);
  let racp: RacpOutcome | undefined;
  try {
    for (const profile of MEASUREMENT_PROFILES) {
      if (!hasCharacteristic(conn, profile.service, profile.characteristic)) continue;
      await conn.subscribe(profile.service, profile.characteristic, (value) => {
        armIdle();
        counts.values++;
        const decoded = profile.decodeReadings(value, { ...timeContext(), device, raw: value });
        if (!decoded.ok) {
          counts.rejected++;
          events.onDecodeError(profile.characteristic, decoded.reason);
          return;
        }
        if (profile.characteristic === CHARACTERISTIC.glucoseMeasurement) {
          // Remember the record's sequence number even when it yields no reading (control solution).
          const record = decodeGlucoseMeasurement(value);
          if (record.ok) maxGlucoseSequence = Math.max(maxGlucoseSequence ?? 0, record.value.sequenceNumber);
        }
        if (decoded.value.length === 0) return;
        counts.readings += decoded.value.length;
        // Chain persistence so readings reach the outbox in the order the device sent them.
        pending = pending.then(() => events.onReadings(decoded.value));
      });
    }
    if (isGlucoseMeter && conn.connected) {
      racp = await fetchGlucoseRecords(conn, events.lastGlucoseSequence?.(device.id), options.racpTimeoutMs ?? 30_000, finished);
      // The meter indicated the end of its records: nothing more will come.
    } else {
      armIdle();
      if (conn.connected) await finished;
    }
  } finally {
    clearTimeout(idleTimer);
    clearTimeout(hardStop);
    // Resolves only once every reading is in the outbox; a failed append rejects the whole session,
    // so the caller never records a glucose sequence number whose readings were not stored.
    await pending;
    if (conn.connected) await conn.disconnect().catch(() => undefined);
  }
  return {
    deviceId: device.id,
    device,
    ...counts,
    ...(battery.percent !== undefined && { batteryPercent: battery.percent }),
    ...(clock.offsetS !== undefined && { clockOffsetS: clock.offsetS }),
    ...(clock.setAt && { clockSetAt: clock.setAt }),
    notes,
    ...(racp && { glucose: { ...racp, ...(maxGlucoseSequence !== undefined && { lastSequence: maxGlucoseSequence }) } }),
  };
}
