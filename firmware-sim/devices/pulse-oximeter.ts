/**
 * A simulated finger-clip pulse oximeter in spot-check mode (Pulse Oximeter Service 0x1822, PLXS
 * 1.0.1): each spot-check (SpO2 and pulse rate) is stored and indicated on PLX Spot-check Measurement
 * (0x2A5E) when the gateway subscribes.
 */
import type { PlxSpotCheckMeasurement } from '../../gateway/profiles/plx-spot-check-measurement.js';
import { encodePlxSpotCheckMeasurement } from '../encoders/pulse-oximeter.js';
import { StoredRecordDevice, type StoredRecordOptions } from './stored-record-device.js';

export class SimPulseOximeter extends StoredRecordDevice {
  readonly localName = 'SimCare OX-5';
  readonly advertisedServices = ['1822'];

  constructor(options: StoredRecordOptions) {
    super(options, { manufacturer: 'SimCare', model: 'OX-5', firmware: '1.0.7', hasClock: true }, '1822', '2a5e', {
      // PLXS 1.0.1 §3.3 PLX Features: supported features u16 = 0x0000 (none of the optional fields).
      '2a60': { read: () => Uint8Array.of(0x00, 0x00) },
    });
  }

  measure(spo2: number, pulseRate: number, at: Date = this.now()): PlxSpotCheckMeasurement {
    const m: PlxSpotCheckMeasurement = { spo2: Math.round(spo2), pulseRate: Math.round(pulseRate), timestamp: this.deviceTimeAt(at), deviceClockNotSet: false };
    this.store(encodePlxSpotCheckMeasurement(m));
    return m;
  }
}
