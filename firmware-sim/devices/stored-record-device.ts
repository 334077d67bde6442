/**
 * Devices that keep measurements in memory and hand them over when a gateway subscribes to their
 * measurement characteristic (cuffs, thermometers, scales, spot-check oximeters): they advertise after
 * measuring, indicate their stored records one by one, then drop the connection. Some models re-send
 * their whole memory at every connection instead of only what no gateway has received yet.
 */
import type { SimCharacteristic } from '../gatt/sim-peripheral.js';
import { SimDevice, sendRecords, type DeviceModel, type SimDeviceOptions } from './sim-device.js';

export interface StoredRecordOptions extends SimDeviceOptions {
  /** Re-send every stored record at each connection (a common cuff behaviour), instead of only new ones. */
  readonly resendMemory?: boolean;
  readonly memorySize?: number;
}

interface StoredRecord {
  readonly payload: Uint8Array;
  sent: boolean;
}

export abstract class StoredRecordDevice extends SimDevice {
  private readonly memory: StoredRecord[] = [];

  protected constructor(
    protected override readonly options: StoredRecordOptions,
    model: DeviceModel,
    service: string,
    measurementCharacteristic: string,
    extra: Record<string, SimCharacteristic> = {},
  ) {
    super(options, model, { [service]: { [measurementCharacteristic]: { subscribe: (push) => this.transfer(push) }, ...extra } });
  }

  /** Keeps an encoded record (oldest dropped beyond the memory size) and starts advertising. */
  protected store(payload: Uint8Array): void {
    this.memory.push({ payload, sent: false });
    const max = this.options.memorySize ?? 100;
    if (this.memory.length > max) this.memory.splice(0, this.memory.length - max);
    this.startAdvertising();
  }

  /** Records not yet delivered to any gateway. */
  get unsentCount(): number {
    return this.memory.filter((r) => !r.sent).length;
  }

  get storedCount(): number {
    return this.memory.length;
  }

  private transfer(push: (value: Uint8Array) => void): () => void {
    const toSend = this.memory.filter((r) => this.options.resendMemory || !r.sent);
    return sendRecords(
      toSend.map((r) => r.payload),
      (payload) => {
        push(payload);
        const record = toSend.find((r) => r.payload === payload);
        if (record) record.sent = true;
      },
      () => {
        // All handed over: stop advertising (unless a measurement was taken meanwhile) and end the
        // connection, as real devices do.
        if (this.unsentCount === 0) this.stopAdvertising();
        setTimeout(() => this.link?.drop(), 20);
      },
    );
  }
}
