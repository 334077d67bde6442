/**
 * PLX Spot-check 0x2A5E and PLX Continuous 0x2A5F -> an spo2 reading (%) and a heart_rate reading
 * (/min) from the pulse rate. Special values (NaN while searching for a pulse, ...) are left out.
 *  - Spot-check: the oximeter's final result. Its time stamp gives a stable id, unless the flags say
 *    the device clock is not set: then the time stamp is meaningless and receipt time and a ULID are used.
 *  - Continuous: a live stream without time stamps; measurement-profiles.ts samples it (sampler.ts) to
 *    one stored reading per device per minute. Early estimates are skipped.
 *  - Either way, values flagged unavailable, invalid, for demonstration or testing, or taken while
 *    calibrating are skipped; other status flags (questionable, low perfusion, ...) go into status.
 */
import { componentsFor, type Reading, type VitalKind } from '../../contract/index.js';
import { isSpecial, type MderValue } from '../profiles/ieee11073.js';
import type { PlxContinuousMeasurement } from '../profiles/plx-continuous-measurement.js';
import type { PlxSpotCheckMeasurement } from '../profiles/plx-spot-check-measurement.js';
import { measurementTime } from './measurement-time.js';
import { deviceFor, pulseRateReading, readingIdFor, statusFrom, timeKey, type ReadingContext } from './reading-builder.js';

const NOT_A_MEASUREMENT = ['measurementUnavailable', 'invalidMeasurementDetected', 'dataForDemonstration', 'dataForTesting', 'calibrationOngoing'];

function unusable(status: readonly string[] | undefined, extra: readonly string[] = []): boolean {
  return (status ?? []).some((s) => NOT_A_MEASUREMENT.includes(s) || extra.includes(s));
}

interface PlxValues {
  readonly spo2: MderValue;
  readonly pulseRate: MderValue;
  readonly measurementStatus?: readonly string[];
  readonly deviceAndSensorStatus?: readonly string[];
}

function plxReadings(m: PlxValues, ctx: ReadingContext, idFor: (kind: VitalKind) => string, time: ReturnType<typeof measurementTime>): Reading[] {
  const device = deviceFor(ctx, undefined);
  const status = statusFrom(m.measurementStatus, m.deviceAndSensorStatus);
  const readings: Reading[] = [];
  if (!isSpecial(m.spo2)) {
    readings.push({ id: idFor('spo2'), kind: 'spo2', device, components: componentsFor('spo2', { spo2: m.spo2 }), ...time, ...(status && { status }) });
  }
  if (!isSpecial(m.pulseRate)) readings.push(pulseRateReading(m.pulseRate, device, idFor, time, status));
  return readings;
}

export function readingsFromPlxSpotCheck(m: PlxSpotCheckMeasurement, ctx: ReadingContext): Reading[] {
  if (unusable(m.measurementStatus)) return [];
  const timestamp = m.deviceClockNotSet ? undefined : m.timestamp;
  const device = deviceFor(ctx, undefined);
  return plxReadings(m, ctx, (kind) => readingIdFor(ctx, device, kind, timeKey(timestamp)), measurementTime(timestamp, ctx));
}

export function readingsFromPlxContinuous(m: PlxContinuousMeasurement, ctx: ReadingContext): Reading[] {
  if (unusable(m.measurementStatus, ['earlyEstimatedData'])) return [];
  const device = deviceFor(ctx, undefined);
  return plxReadings(m, ctx, (kind) => readingIdFor(ctx, device, kind, undefined), measurementTime(undefined, ctx));
}
