/**
 * A simulated upper-arm blood pressure cuff (Blood Pressure Service 0x1810). Like real cuffs it keeps
 * its measurements in memory, advertises after measuring, indicates its stored records (0x2A35) once
 * the gateway subscribes, and then drops the connection. Its clock runs in the home's time zone and
 * may be off by a configurable amount; some models re-send their whole memory at every connection.
 */
import type { BloodPressureMeasurement } from '../../gateway/profiles/blood-pressure-measurement.js';
import { encodeBloodPressureMeasurement } from '../encoders/blood-pressure.js';
import { StoredRecordDevice, type StoredRecordOptions } from './stored-record-device.js';

export type BloodPressureCuffOptions = StoredRecordOptions;

export interface CuffMeasurement {
  readonly systolic: number;
  readonly diastolic: number;
  readonly meanArterialPressure?: number;
  readonly pulseRate?: number;
  readonly userId?: number;
  readonly irregularPulse?: boolean;
}

export class SimBloodPressureCuff extends StoredRecordDevice {
  readonly localName = 'SimCare BP-100';
  readonly advertisedServices = ['1810'];

  constructor(options: BloodPressureCuffOptions) {
    super(options, { manufacturer: 'SimCare', model: 'BP-100', firmware: '1.4.2', hasClock: true }, '1810', '2a35', {
      '2a49': { read: () => Uint8Array.of(0x20, 0x00) }, // BLS 1.1 §3.3 feature: multiple bonds supported
    });
  }

  /** Takes a measurement at `at` (stamped by the device clock, in the home's zone) and starts advertising. */
  measure(m: CuffMeasurement, at: Date = this.now()): BloodPressureMeasurement {
    const record: BloodPressureMeasurement = {
      unit: 'mmHg',
      systolic: m.systolic,
      diastolic: m.diastolic,
      meanArterialPressure: m.meanArterialPressure ?? Math.round(m.diastolic + (m.systolic - m.diastolic) / 3),
      timestamp: this.deviceTimeAt(at),
      ...(m.pulseRate !== undefined && { pulseRate: m.pulseRate }),
      ...(m.userId !== undefined && { userId: m.userId }),
      measurementStatus: {
        bodyMovement: false,
        cuffTooLoose: false,
        irregularPulse: m.irregularPulse ?? false,
        pulseRateRange: 'within',
        improperPosition: false,
      },
    };
    this.store(encodeBloodPressureMeasurement(record));
    return record;
  }
}
