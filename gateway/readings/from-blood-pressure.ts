/**
 * Blood Pressure Measurement -> contract readings: one blood_pressure reading (mmHg) and, when the
 * cuff reported a pulse rate, one heart_rate reading. Special values (NaN, NRes, ...) are left out;
 * a measurement with no usable pressure yields no reading at all.
 */
import { componentsFor, toCanonical, type Reading, type VitalKind } from '../../contract/index.js';
import type { BloodPressureMeasurement } from '../profiles/blood-pressure-measurement.js';
import { isSpecial, type MderValue } from '../profiles/ieee11073.js';
import { measurementTime } from './measurement-time.js';
import { deviceFor, pulseRateReading, readingIdFor, timeKey, type ReadingContext } from './reading-builder.js';

export type { ReadingContext } from './reading-builder.js';

function mmHg(value: MderValue, unit: 'mmHg' | 'kPa'): number | undefined {
  if (isSpecial(value)) return undefined;
  if (unit === 'mmHg') return value;
  const converted = toCanonical(value, 'kPa', 'mm[Hg]');
  return converted === undefined ? undefined : Math.round(converted * 10) / 10;
}

function statusFlags(m: BloodPressureMeasurement): string[] | undefined {
  const s = m.measurementStatus;
  if (!s) return undefined;
  const flags: string[] = [];
  if (s.bodyMovement) flags.push('body_movement');
  if (s.cuffTooLoose) flags.push('cuff_too_loose');
  if (s.irregularPulse) flags.push('irregular_pulse');
  if (s.pulseRateRange === 'above') flags.push('pulse_rate_above_range');
  if (s.pulseRateRange === 'below') flags.push('pulse_rate_below_range');
  if (s.improperPosition) flags.push('improper_position');
  return flags;
}

export function readingsFromBloodPressure(m: BloodPressureMeasurement, ctx: ReadingContext): Reading[] {
  // BLS: the user id is the cuff's user index; 0xFF means "unknown user".
  const device = deviceFor(ctx, m.userId);
  const time = measurementTime(m.timestamp, ctx);
  const idFor = (kind: VitalKind) => readingIdFor(ctx, device, kind, timeKey(m.timestamp));
  const status = statusFlags(m);
  const readings: Reading[] = [];

  const bp = componentsFor('blood_pressure', {
    systolic: mmHg(m.systolic, m.unit),
    diastolic: mmHg(m.diastolic, m.unit),
    meanArterialPressure: mmHg(m.meanArterialPressure, m.unit),
  });
  if (bp.some((c) => c.name === 'systolic' || c.name === 'diastolic')) {
    readings.push({ id: idFor('blood_pressure'), kind: 'blood_pressure', device, components: bp, ...time, ...(status && { status }) });
  }
  if (m.pulseRate !== undefined && !isSpecial(m.pulseRate)) readings.push(pulseRateReading(m.pulseRate, device, idFor, time, status));
  return readings;
}
