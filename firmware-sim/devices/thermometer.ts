/**
 * A simulated ear thermometer (Health Thermometer Service 0x1809, HTS 1.0): stores its measurements and
 * indicates them on Temperature Measurement (0x2A1C) when the gateway subscribes, then disconnects.
 */
import type { TemperatureMeasurement } from '../../gateway/profiles/health-thermometer.js';
import { encodeTemperatureMeasurement } from '../encoders/thermometer.js';
import { StoredRecordDevice, type StoredRecordOptions } from './stored-record-device.js';

export class SimThermometer extends StoredRecordDevice {
  readonly localName = 'SimCare TH-20';
  readonly advertisedServices = ['1809'];

  constructor(options: StoredRecordOptions) {
    super(options, { manufacturer: 'SimCare', model: 'TH-20', firmware: '2.0.1', hasClock: true }, '1809', '2a1c', {
      '2a1d': { read: () => Uint8Array.of(0x03) }, // HTS 1.0 §3.2 Temperature Type: ear
    });
  }

  /** Takes a temperature (°C, 0.1 resolution) at `at`, stamped by the device clock. */
  measure(celsius: number, at: Date = this.now()): TemperatureMeasurement {
    const m: TemperatureMeasurement = { unit: 'Cel', temperature: Math.round(celsius * 10) / 10, timestamp: this.deviceTimeAt(at), temperatureType: 'ear' };
    this.store(encodeTemperatureMeasurement(m));
    return m;
  }
}
