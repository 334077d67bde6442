/**
 * PLX Continuous Measurement, characteristic 0x2A5F (Pulse Oximeter Service 0x1822, PLXS 1.0.1 §3.2),
 * notified about once a second while a finger is in the clip:
 *   flags u8 | SpO2PR-Normal (SpO2 SFLOAT, PR SFLOAT) | [SpO2PR-Fast] | [SpO2PR-Slow]
 *   | [measurement status u16] | [device and sensor status u24] | [pulse amplitude index SFLOAT]
 * No time stamp: the value is "now".
 */
import { ByteReader } from './byte-reader.js';
import { readSfloat, type MderValue } from './ieee11073.js';
import { readDeviceAndSensorStatus, readMeasurementStatus } from './plx-status.js';
import { decodeSafely, type DecodeResult } from './result.js';

export const PLX_CONTINUOUS_MEASUREMENT_UUID = '2a5f';

export interface PlxContinuousMeasurement {
  readonly spo2: MderValue;
  readonly pulseRate: MderValue;
  readonly spo2Fast?: MderValue;
  readonly pulseRateFast?: MderValue;
  readonly spo2Slow?: MderValue;
  readonly pulseRateSlow?: MderValue;
  readonly measurementStatus?: readonly string[];
  readonly deviceAndSensorStatus?: readonly string[];
  readonly pulseAmplitudeIndex?: MderValue;
}

// PLXS 1.0.1 §3.2.1.1 Flags field.
const FLAG_FAST = 0x01; // bit 0: SpO2PR-Fast present
const FLAG_SLOW = 0x02; // bit 1: SpO2PR-Slow present
const FLAG_MEASUREMENT_STATUS = 0x04; // bit 2: Measurement Status present
const FLAG_DEVICE_STATUS = 0x08; // bit 3: Device and Sensor Status present
const FLAG_PULSE_AMPLITUDE_INDEX = 0x10; // bit 4: Pulse Amplitude Index present

export function decodePlxContinuousMeasurement(payload: Uint8Array): DecodeResult<PlxContinuousMeasurement> {
  return decodeSafely(() => {
    const r = new ByteReader(payload);
    const flags = r.u8('flags');
    const out: { -readonly [K in keyof PlxContinuousMeasurement]?: PlxContinuousMeasurement[K] } = {
      spo2: readSfloat(r, 'spo2'),
      pulseRate: readSfloat(r, 'pulseRate'),
    };
    if (flags & FLAG_FAST) {
      out.spo2Fast = readSfloat(r, 'spo2Fast');
      out.pulseRateFast = readSfloat(r, 'pulseRateFast');
    }
    if (flags & FLAG_SLOW) {
      out.spo2Slow = readSfloat(r, 'spo2Slow');
      out.pulseRateSlow = readSfloat(r, 'pulseRateSlow');
    }
    if (flags & FLAG_MEASUREMENT_STATUS) out.measurementStatus = readMeasurementStatus(r);
    if (flags & FLAG_DEVICE_STATUS) out.deviceAndSensorStatus = readDeviceAndSensorStatus(r);
    if (flags & FLAG_PULSE_AMPLITUDE_INDEX) out.pulseAmplitudeIndex = readSfloat(r, 'pulseAmplitudeIndex');
    return out as PlxContinuousMeasurement;
  });
}
