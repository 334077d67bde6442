/** Weight Measurement 0x2A9D and Weight Scale Feature 0x2A9E encoders (WSS 1.0 §3.1-3.2). */
import type { WeightMeasurement } from '../../gateway/profiles/weight-measurement.js';
import type { WeightScaleFeature } from '../../gateway/profiles/weight-scale-feature.js';
import { ByteWriter } from './byte-writer.js';
import { writeDateTime } from './date-time.js';

/** Mass in the characteristic's fixed resolution: 0.005 kg or 0.01 lb per unit. */
export function rawMass(value: number, unit: 'kg' | 'lb'): number {
  return Math.round(unit === 'kg' ? value * 200 : value * 100);
}

/** Height: 0.001 m or 0.1 in per unit. */
export function rawHeight(value: number, unit: 'm' | 'in'): number {
  return Math.round(unit === 'm' ? value * 1000 : value * 10);
}

export function encodeWeightMeasurement(m: WeightMeasurement): Uint8Array {
  const bmiAndHeight = m.bmi !== undefined && m.height !== undefined;
  const flags = (m.unit === 'lb' ? 0x01 : 0) | (m.timestamp ? 0x02 : 0) | (m.userId !== undefined ? 0x04 : 0) | (bmiAndHeight ? 0x08 : 0);
  const w = new ByteWriter().u8(flags).u16(typeof m.weight === 'number' ? rawMass(m.weight, m.unit) : 0xffff);
  if (m.timestamp) writeDateTime(w, m.timestamp);
  if (m.userId !== undefined) w.u8(m.userId);
  if (bmiAndHeight) w.u16(Math.round(m.bmi * 10)).u16(rawHeight(m.height, m.unit === 'kg' ? 'm' : 'in'));
  return w.toBytes();
}

const WEIGHT_CODES: Readonly<Record<number, number>> = { 0.5: 1, 0.2: 2, 0.1: 3, 0.05: 4, 0.02: 5, 0.01: 6, 0.005: 7 };
const HEIGHT_CODES: Readonly<Record<number, number>> = { 0.01: 1, 0.005: 2, 0.001: 3 };

export function encodeWeightScaleFeature(f: WeightScaleFeature): Uint8Array {
  const weight = f.weightResolution ? (WEIGHT_CODES[f.weightResolution.kg] ?? 0) : 0;
  const height = f.heightResolution ? (HEIGHT_CODES[f.heightResolution.m] ?? 0) : 0;
  const bits = (f.timeStampSupported ? 0x01 : 0) | (f.multipleUsersSupported ? 0x02 : 0) | (f.bmiSupported ? 0x04 : 0) | (weight << 3) | (height << 7);
  return new ByteWriter().u32(bits).toBytes();
}
