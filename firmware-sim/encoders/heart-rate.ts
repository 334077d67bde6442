/** Heart Rate Measurement 0x2A37 encoder (HRS 1.0 §3.1). */
import type { HeartRateMeasurement } from '../../gateway/profiles/heart-rate-measurement.js';
import { ByteWriter } from './byte-writer.js';

export interface HeartRateEncodeOptions {
  /** Send the rate as uint16 even when it fits a uint8 (some sensors always do). */
  readonly uint16?: boolean;
}

const CONTACT_BITS = { notSupported: 0x00, notDetected: 0x04, detected: 0x06 } as const;

export function encodeHeartRateMeasurement(m: HeartRateMeasurement, options: HeartRateEncodeOptions = {}): Uint8Array {
  const wide = options.uint16 === true || m.heartRate > 0xff;
  const flags = (wide ? 0x01 : 0) | CONTACT_BITS[m.sensorContact] | (m.energyExpended !== undefined ? 0x08 : 0) | (m.rrIntervals?.length ? 0x10 : 0);
  const w = new ByteWriter().u8(flags);
  if (wide) w.u16(m.heartRate);
  else w.u8(m.heartRate);
  if (m.energyExpended !== undefined) w.u16(m.energyExpended);
  // RR-intervals travel in 1/1024 s.
  for (const ms of m.rrIntervals ?? []) w.u16(Math.round((ms * 1024) / 1000));
  return w.toBytes();
}
