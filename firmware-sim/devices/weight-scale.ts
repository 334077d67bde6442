/**
 * A simulated multi-user bathroom scale (Weight Scale Service 0x181D, WSS 1.0): each measurement
 * carries the user index of the household member who stepped on (so the hub can tell two residents
 * apart), is stored, and is indicated on Weight Measurement (0x2A9D) when the gateway subscribes.
 */
import type { WeightMeasurement } from '../../gateway/profiles/weight-measurement.js';
import { encodeWeightMeasurement, encodeWeightScaleFeature } from '../encoders/weight-scale.js';
import { StoredRecordDevice, type StoredRecordOptions } from './stored-record-device.js';

export class SimWeightScale extends StoredRecordDevice {
  readonly localName = 'SimCare WS-3';
  readonly advertisedServices = ['181d'];

  constructor(options: StoredRecordOptions) {
    super(options, { manufacturer: 'SimCare', model: 'WS-3', firmware: '3.1.0', hasClock: true }, '181d', '2a9d', {
      '2a9e': {
        read: () => encodeWeightScaleFeature({ timeStampSupported: true, multipleUsersSupported: true, bmiSupported: false, weightResolution: { kg: 0.05, lb: 0.1 } }),
      },
    });
  }

  /** Weighs user `userIndex` (kg, 0.05 kg resolution) at `at`. */
  measure(kg: number, userIndex: number, at: Date = this.now()): WeightMeasurement {
    const m: WeightMeasurement = { unit: 'kg', weight: Math.round(kg * 20) / 20, timestamp: this.deviceTimeAt(at), userId: userIndex };
    this.store(encodeWeightMeasurement(m));
    return m;
  }
}
