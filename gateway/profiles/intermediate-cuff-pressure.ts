/**
 * Intermediate Cuff Pressure, characteristic 0x2A36 (Blood Pressure Service 0x1810, BLS 1.1.1 §3.3),
 * notified while the cuff inflates and deflates. Same layout as Blood Pressure Measurement 0x2A35:
 * BLS 1.1.1 §3.3.1: the systolic field carries the current cuff pressure; diastolic and mean arterial
 * pressure are unused (NaN) and the time stamp is normally absent.
 */
import { decodeBloodPressureMeasurement, type BloodPressureMeasurement } from './blood-pressure-measurement.js';
import type { MderValue } from './ieee11073.js';
import type { DecodeResult } from './result.js';

export const INTERMEDIATE_CUFF_PRESSURE_UUID = '2a36';

export interface IntermediateCuffPressure extends Omit<BloodPressureMeasurement, 'systolic'> {
  readonly cuffPressure: MderValue;
}

export function decodeIntermediateCuffPressure(payload: Uint8Array): DecodeResult<IntermediateCuffPressure> {
  const decoded = decodeBloodPressureMeasurement(payload);
  if (!decoded.ok) return { ok: false, reason: decoded.reason.replace(/\bsystolic\b/, 'cuffPressure') };
  const { systolic, ...rest } = decoded.value;
  return { ok: true, value: { cuffPressure: systolic, ...rest } };
}
