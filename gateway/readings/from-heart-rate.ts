/**
 * Heart Rate Measurement 0x2A37 -> one heart_rate reading (/min) with a receipt time and ULID (the
 * characteristic has no time stamp). measurement-profiles.ts samples the stream to one stored reading
 * per device per minute (sampler.ts). No reading when the sensor reports it has lost skin contact or a
 * rate of 0 (no beat found). RR-intervals and energy expended are shown by `rpm-gateway decode` only.
 */
import { componentsFor, type Reading } from '../../contract/index.js';
import type { HeartRateMeasurement } from '../profiles/heart-rate-measurement.js';
import { measurementTime } from './measurement-time.js';
import { deviceFor, readingIdFor, type ReadingContext } from './reading-builder.js';

export function readingsFromHeartRate(m: HeartRateMeasurement, ctx: ReadingContext): Reading[] {
  if (m.sensorContact === 'notDetected' || m.heartRate === 0) return [];
  const device = deviceFor(ctx, undefined);
  return [
    {
      id: readingIdFor(ctx, device, 'heart_rate', undefined),
      kind: 'heart_rate',
      device,
      components: componentsFor('heart_rate', { heartRate: m.heartRate }),
      ...measurementTime(undefined, ctx),
    },
  ];
}
