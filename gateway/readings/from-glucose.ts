/**
 * Glucose Measurement 0x2A18 -> one blood_glucose reading in mmol/L.
 *  - Units: kg/L * 1e5 = mg/dL, then / 18.0156 (the catalogue's factor) = mmol/L; mol/L * 1000 = mmol/L.
 *    Rounded to 0.01 mmol/L (meters resolve 1 mg/dL = 0.056 mmol/L).
 *  - Time: base time + time offset (minutes), the meter's local time.
 *  - Id: stable, from the record's sequence number (meters re-send their whole memory on request).
 *  - Control-solution tests (type or sample location "control solution") are the meter checking its
 *    strips, not the patient: they yield no reading.
 *  - Sensor status annunciations go into status, e.g. device_battery_low, result_higher_than_device_can_process.
 * Glucose Measurement Context 0x2A34 yields no reading (see measurement-profiles.ts).
 */
import { componentsFor, toCanonical, type Reading } from '../../contract/index.js';
import type { LocalDateTime } from '../profiles/date-time.js';
import type { GlucoseConcentrationUnit, GlucoseMeasurement } from '../profiles/glucose-measurement.js';
import { isSpecial, type MderValue } from '../profiles/ieee11073.js';
import { measurementTime } from './measurement-time.js';
import { deviceFor, readingIdFor, roundTo, statusFrom, type ReadingContext } from './reading-builder.js';

export function glucoseMmolPerL(value: MderValue | undefined, unit: GlucoseConcentrationUnit | undefined): number | undefined {
  if (value === undefined || unit === undefined || isSpecial(value)) return undefined;
  if (unit === 'mol/L') return roundTo(value * 1000, 2);
  const mgPerDl = roundTo(value * 1e5, 6); // kg/L -> mg/dL, without the float noise of 0.0009 * 1e5
  const mmol = toCanonical(mgPerDl, 'mg/dL', 'mmol/L');
  return mmol === undefined ? undefined : roundTo(mmol, 2);
}

/** Base time + offset minutes, on the wall clock (no zone: the zone is applied by measurementTime). */
export function glucoseMeasurementTime(m: Pick<GlucoseMeasurement, 'baseTime' | 'timeOffset'>): LocalDateTime | undefined {
  const base = m.baseTime;
  if (!base) return undefined;
  if (!m.timeOffset) return base;
  const t = new Date(Date.UTC(base.year, base.month - 1, base.day, base.hours, base.minutes + m.timeOffset, base.seconds));
  return {
    year: t.getUTCFullYear(),
    month: t.getUTCMonth() + 1,
    day: t.getUTCDate(),
    hours: t.getUTCHours(),
    minutes: t.getUTCMinutes(),
    seconds: t.getUTCSeconds(),
  };
}

export function readingsFromGlucose(m: GlucoseMeasurement, ctx: ReadingContext): Reading[] {
  if (m.type === 'controlSolution' || m.sampleLocation === 'controlSolution') return [];
  const glucose = glucoseMmolPerL(m.glucoseConcentration, m.unit);
  if (glucose === undefined) return [];
  const device = deviceFor(ctx, undefined);
  const status = statusFrom(m.sensorStatusAnnunciation);
  return [
    {
      id: readingIdFor(ctx, device, 'blood_glucose', `seq:${m.sequenceNumber}`),
      kind: 'blood_glucose',
      device,
      components: componentsFor('blood_glucose', { glucose }),
      ...measurementTime(glucoseMeasurementTime(m), ctx),
      ...(status && { status }),
    },
  ];
}
