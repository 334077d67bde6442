/**
 * A simulated chest strap (Heart Rate Service 0x180D, HRS 1.0): while worn it advertises and, once a
 * gateway subscribes, notifies Heart Rate Measurement (0x2A37) about once a second for as long as the
 * link lasts. It never disconnects by itself; it has no clock (HRS values carry no time stamp).
 */
import { encodeHeartRateMeasurement } from '../encoders/heart-rate.js';
import { SimDevice, type SimDeviceOptions } from './sim-device.js';

export interface HeartRateStrapOptions extends SimDeviceOptions {
  /** Notification period. Default 1000 ms. */
  readonly notifyEveryMs?: number;
  /** The rate the strap reports; called per notification. Default a steady 68/min. */
  readonly heartRate?: () => number;
}

export class SimHeartRateStrap extends SimDevice {
  readonly localName = 'SimCare HR-1';
  readonly advertisedServices = ['180d'];
  private worn = false;
  notificationsSent = 0;

  constructor(private readonly strapOptions: HeartRateStrapOptions) {
    super(strapOptions, { manufacturer: 'SimCare', model: 'HR-1', firmware: '0.9.3', hasClock: false }, {
      '180d': {
        '2a37': { subscribe: (push) => this.stream(push) },
        '2a38': { read: () => Uint8Array.of(0x01) }, // HRS 1.0 §3.2 Body Sensor Location: chest
      },
    });
  }

  /** Put on: the strap advertises until taken off. */
  putOn(): void {
    this.worn = true;
  }

  takeOff(): void {
    this.worn = false;
    this.link?.drop();
  }

  override isAdvertising(): boolean {
    return this.worn;
  }

  private stream(push: (value: Uint8Array) => void): () => void {
    const timer = setInterval(() => {
      if (!this.worn) return;
      this.notificationsSent++;
      push(encodeHeartRateMeasurement({ heartRate: Math.round(this.strapOptions.heartRate?.() ?? 68), sensorContact: 'detected' }));
    }, this.strapOptions.notifyEveryMs ?? 1000);
    return () => clearInterval(timer);
  }
}
