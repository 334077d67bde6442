/**
 * Streams (Heart Rate Measurement, PLX Continuous Measurement) send a value about once a second for as
 * long as the sensor is worn. Storing every one would flood the outbox and InfluxDB with near-identical
 * points that no clinician reads, so they are sampled: at most one stored reading per device per
 * interval (default one minute), the first usable sample in each window. A sample that yields no
 * reading (no contact, flagged invalid) does not use up the window.
 *
 * This is the only state in the readings layer: the last stored time per device, bounded in size.
 */
import type { Reading } from '../../contract/index.js';
import type { ReadingContext } from './reading-builder.js';

export const DEFAULT_SAMPLE_INTERVAL_MS = 60_000;

export function sampled<T>(
  toReadings: (value: T, ctx: ReadingContext) => Reading[],
  intervalMs = DEFAULT_SAMPLE_INTERVAL_MS,
  maxDevices = 1024,
): (value: T, ctx: ReadingContext) => Reading[] {
  const lastStored = new Map<string, number>();
  return (value, ctx) => {
    const key = `${ctx.device.id}\x00${ctx.device.userIndex ?? ''}`;
    const now = ctx.receivedAt.getTime();
    const previous = lastStored.get(key);
    // A clock that stepped backwards opens a new window rather than silencing the device.
    if (previous !== undefined && now >= previous && now - previous < intervalMs) return [];
    const readings = toReadings(value, ctx);
    if (readings.length === 0) return readings;
    lastStored.delete(key);
    lastStored.set(key, now);
    if (lastStored.size > maxDevices) lastStored.delete(lastStored.keys().next().value!);
    return readings;
  };
}
