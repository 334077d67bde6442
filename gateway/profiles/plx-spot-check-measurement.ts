/**
 * PLX Spot-check Measurement, characteristic 0x2A5E (Pulse Oximeter Service 0x1822, PLXS 1.0.1 §3.1),
 * indicated once per finished measurement (and for stored records):
 *   flags u8 | SpO2 SFLOAT % | pulse rate SFLOAT /min | [time stamp: Date Time]
 *   | [measurement status u16] | [device and sensor status u24] | [pulse amplitude index SFLOAT %]
 */
import { ByteReader } from './byte-reader.js';
import { readDateTime, type LocalDateTime } from './date-time.js';
import { readSfloat, type MderValue } from './ieee11073.js';
import { readDeviceAndSensorStatus, readMeasurementStatus } from './plx-status.js';
import { decodeSafely, type DecodeResult } from './result.js';

export const PLX_SPOT_CHECK_MEASUREMENT_UUID = '2a5e';

export interface PlxSpotCheckMeasurement {
  readonly spo2: MderValue;
  readonly pulseRate: MderValue;
  readonly timestamp?: LocalDateTime;
  readonly measurementStatus?: readonly string[];
  readonly deviceAndSensorStatus?: readonly string[];
  readonly pulseAmplitudeIndex?: MderValue;
  /** PLXS 1.0.1 §3.1.1.1 bit 4: the device clock is not set, so its time stamp means nothing. */
  readonly deviceClockNotSet: boolean;
}

// PLXS 1.0.1 §3.1.1.1 Flags field.
const FLAG_TIME_STAMP = 0x01; // bit 0: Timestamp present
const FLAG_MEASUREMENT_STATUS = 0x02; // bit 1: Measurement Status present
const FLAG_DEVICE_STATUS = 0x04; // bit 2: Device and Sensor Status present
const FLAG_PULSE_AMPLITUDE_INDEX = 0x08; // bit 3: Pulse Amplitude Index present
const FLAG_CLOCK_NOT_SET = 0x10; // bit 4: Device Clock is Not Set

export function decodePlxSpotCheckMeasurement(payload: Uint8Array): DecodeResult<PlxSpotCheckMeasurement> {
  return decodeSafely(() => {
    const r = new ByteReader(payload);
    const flags = r.u8('flags');
    const spo2 = readSfloat(r, 'spo2');
    const pulseRate = readSfloat(r, 'pulseRate');
    const timestamp = flags & FLAG_TIME_STAMP ? readDateTime(r, 'timestamp') : undefined;
    const measurementStatus = flags & FLAG_MEASUREMENT_STATUS ? readMeasurementStatus(r) : undefined;
    const deviceAndSensorStatus = flags & FLAG_DEVICE_STATUS ? readDeviceAndSensorStatus(r) : undefined;
    const pulseAmplitudeIndex = flags & FLAG_PULSE_AMPLITUDE_INDEX ? readSfloat(r, 'pulseAmplitudeIndex') : undefined;
    return {
      spo2,
      pulseRate,
      ...(timestamp && { timestamp }),
      ...(measurementStatus && { measurementStatus }),
      ...(deviceAndSensorStatus && { deviceAndSensorStatus }),
      ...(pulseAmplitudeIndex !== undefined && { pulseAmplitudeIndex }),
      deviceClockNotSet: (flags & FLAG_CLOCK_NOT_SET) !== 0,
    };
  });
}
