/**
 * One connection to one device: identify it, subscribe to its measurement characteristics, collect
 * what it sends (a cuff sends its stored records, then goes quiet or disconnects), disconnect.
 */
import type { Reading } from '../../contract/index.js';
import type { GattConnection } from '../ble/adapter.js';
import { MEASUREMENT_PROFILES } from '../profiles/measurement-profiles.js';
import type { TimeContext } from '../readings/measurement-time.js';
import { readDeviceInfo } from './device-info.js';

export interface SessionOptions {
  readonly timeZone: string;
  readonly clockSuspectAfterS: number;
  readonly lateAfterS: number;
  /** End the session this long after the last value (devices that never disconnect by themselves). */
  readonly idleTimeoutMs: number;
  /** Hard cap on a session, so one misbehaving device cannot hold a connection slot forever. */
  readonly maxSessionMs: number;
  readonly now?: () => Date;
}

export interface SessionEvents {
  /** Decoded readings, in the order received. Called before the session ends, so callers persist promptly. */
  onReadings(readings: Reading[]): Promise<void>;
  onDecodeError(characteristic: string, reason: string): void;
}

export interface SessionSummary {
  readonly deviceId: string;
  readonly values: number;
  readonly readings: number;
  readonly rejected: number;
}

export async function runDeviceSession(conn: GattConnection, options: SessionOptions, events: SessionEvents): Promise<SessionSummary> {
  const now = options.now ?? (() => new Date());
  const device = await readDeviceInfo(conn);
  const summary = { deviceId: device.id, values: 0, readings: 0, rejected: 0 };
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
    clockSuspectAfterS: options.clockSuspectAfterS,
    lateAfterS: options.lateAfterS,
  });

  try {
    for (const profile of MEASUREMENT_PROFILES) {
      if (!conn.services.get(profile.service)?.includes(profile.characteristic)) continue;
      await conn.subscribe(profile.service, profile.characteristic, (value) => {
        armIdle();
        summary.values++;
        const decoded = profile.decodeReadings(value, { ...timeContext(), device, raw: value });
        if (!decoded.ok) {
          summary.rejected++;
          events.onDecodeError(profile.characteristic, decoded.reason);
          return;
        }
        if (decoded.value.length === 0) return;
        summary.readings += decoded.value.length;
        // Chain persistence so readings reach the outbox in the order the device sent them.
        pending = pending.then(() => events.onReadings(decoded.value));
      });
    }
    armIdle();
    if (conn.connected) await finished;
  } finally {
    clearTimeout(idleTimer);
    clearTimeout(hardStop);
    await pending;
    if (conn.connected) await conn.disconnect().catch(() => undefined);
  }
  return summary;
}
