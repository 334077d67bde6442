/**
 * Heart Rate Measurement, characteristic 0x2A37 (Heart Rate Service 0x180D, HRS 1.0 §3.1), notified
 * about once a second by chest straps and optical sensors:
 *   flags u8 | heart rate u8 or u16 | [energy expended u16 kJ] | [RR-interval u16 1/1024 s]...
 */
import { ByteReader } from './byte-reader.js';
import { decodeSafely, type DecodeResult } from './result.js';

export const HEART_RATE_MEASUREMENT_UUID = '2a37';

export type SensorContact = 'notSupported' | 'notDetected' | 'detected';

export interface HeartRateMeasurement {
  /** beats per minute */
  readonly heartRate: number;
  readonly sensorContact: SensorContact;
  /** kJ since the last reset */
  readonly energyExpended?: number;
  /** RR-intervals in ms, oldest first (the wire unit is 1/1024 s: ms = raw * 1000 / 1024, exact in binary). */
  readonly rrIntervals?: readonly number[];
}

// HRS 1.0 §3.1.1.1 Flags field.
const FLAG_UINT16 = 0x01; // bit 0: Heart Rate Value Format, 0 = uint8, 1 = uint16
const CONTACT_SHIFT = 1; // bits 1-2: Sensor Contact Status (0, 1 = not supported; 2 = not detected; 3 = detected)
const FLAG_ENERGY_EXPENDED = 0x08; // bit 3: Energy Expended present
const FLAG_RR_INTERVALS = 0x10; // bit 4: one or more RR-Interval values present

const CONTACT: readonly SensorContact[] = ['notSupported', 'notSupported', 'notDetected', 'detected'];

export function decodeHeartRateMeasurement(payload: Uint8Array): DecodeResult<HeartRateMeasurement> {
  return decodeSafely(() => {
    const r = new ByteReader(payload);
    const flags = r.u8('flags');
    const heartRate = flags & FLAG_UINT16 ? r.u16('heartRate') : r.u8('heartRate');
    const sensorContact = CONTACT[(flags >> CONTACT_SHIFT) & 0x03]!;
    const energyExpended = flags & FLAG_ENERGY_EXPENDED ? r.u16('energyExpended') : undefined;
    let rrIntervals: number[] | undefined;
    if (flags & FLAG_RR_INTERVALS) {
      // The flag promises at least one interval; an odd trailing byte is a truncated interval.
      rrIntervals = [];
      do rrIntervals.push((r.u16(`rrIntervals[${rrIntervals.length}]`) * 1000) / 1024);
      while (r.remaining > 0);
    }
    return { heartRate, sensorContact, ...(energyExpended !== undefined && { energyExpended }), ...(rrIntervals && { rrIntervals }) };
  });
}
