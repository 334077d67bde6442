/**
 * A simulated upper-arm blood pressure cuff (Blood Pressure Service 0x1810). Like real cuffs it keeps
 * its measurements in memory, advertises after measuring, indicates its stored records (0x2A35) once
 * the gateway subscribes, and then drops the connection. Its clock runs in the home's time zone and
 * may be off by a configurable amount; some models re-send their whole memory at every connection.
 */
import type { BloodPressureMeasurement } from '../../gateway/profiles/blood-pressure-measurement.js';
import { utcToLocal } from '../../gateway/time/zoned-time.js';
import { encodeBloodPressureMeasurement } from '../encoders/blood-pressure.js';
import { deviceInformation, gattTable, type SimCharacteristic, type SimLink, type SimPeripheral } from '../gatt/sim-peripheral.js';

export interface BloodPressureCuffOptions {
  readonly address: string;
  readonly serial: string;
  readonly timeZone: string;
  /** Device clock minus true time, seconds. */
  readonly clockOffsetS?: number;
  /** Re-send every stored record at each connection (a common cuff behaviour), instead of only new ones. */
  readonly resendMemory?: boolean;
  readonly memorySize?: number;
  /** Advertise this long after a measurement. */
  readonly advertiseForMs?: number;
  readonly now?: () => Date;
}

export interface CuffMeasurement {
  readonly systolic: number;
  readonly diastolic: number;
  readonly meanArterialPressure?: number;
  readonly pulseRate?: number;
  readonly userId?: number;
  readonly irregularPulse?: boolean;
}

interface StoredRecord {
  readonly payload: Uint8Array;
  sent: boolean;
}

export class SimBloodPressureCuff implements SimPeripheral {
  readonly localName = 'SimCare BP-100';
  readonly advertisedServices = ['1810'];
  readonly gatt: Map<string, Map<string, SimCharacteristic>>;
  private readonly memory: StoredRecord[] = [];
  private advertiseUntil = 0;
  private link: SimLink | undefined;
  private readonly now: () => Date;

  constructor(private readonly options: BloodPressureCuffOptions) {
    this.now = options.now ?? (() => new Date());
    this.gatt = gattTable({
      '180a': deviceInformation({ manufacturer: 'SimCare', model: 'BP-100', serial: options.serial, firmware: '1.4.2' }),
      '180f': { '2a19': { read: () => Uint8Array.of(87) } },
      '1810': {
        '2a35': { subscribe: (push) => this.startTransfer(push) },
        '2a49': { read: () => Uint8Array.of(0x20, 0x00) }, // feature: multiple bonds supported
      },
    });
  }

  get address(): string {
    return this.options.address;
  }

  /** Takes a measurement now (device time = true time + clock offset, in the home's zone) and starts advertising. */
  measure(m: CuffMeasurement, at: Date = this.now()): BloodPressureMeasurement {
    const deviceClock = new Date(at.getTime() + (this.options.clockOffsetS ?? 0) * 1000);
    const record: BloodPressureMeasurement = {
      unit: 'mmHg',
      systolic: m.systolic,
      diastolic: m.diastolic,
      meanArterialPressure: m.meanArterialPressure ?? Math.round(m.diastolic + (m.systolic - m.diastolic) / 3),
      timestamp: utcToLocal(deviceClock, this.options.timeZone),
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
    this.memory.push({ payload: encodeBloodPressureMeasurement(record), sent: false });
    const max = this.options.memorySize ?? 100;
    if (this.memory.length > max) this.memory.splice(0, this.memory.length - max);
    this.advertiseUntil = this.now().getTime() + (this.options.advertiseForMs ?? 60_000);
    return record;
  }

  /** Records not yet delivered to any gateway. */
  get unsentCount(): number {
    return this.memory.filter((r) => !r.sent).length;
  }

  isAdvertising(): boolean {
    return this.now().getTime() < this.advertiseUntil;
  }

  onConnect(link: SimLink): void {
    this.link = link;
  }

  onDisconnect(): void {
    this.link = undefined;
  }

  private startTransfer(push: (value: Uint8Array) => void): () => void {
    let cancelled = false;
    const toSend = this.memory.filter((r) => this.options.resendMemory || !r.sent);
    // Indications go out one at a time, each after the previous was confirmed (here: a short delay).
    const sendNext = (i: number) => {
      if (cancelled) return;
      const record = toSend[i];
      if (!record) {
        this.advertiseUntil = 0;
        setTimeout(() => this.link?.drop(), 20);
        return;
      }
      push(record.payload);
      record.sent = true;
      setTimeout(() => sendNext(i + 1), 5);
    };
    setTimeout(() => sendNext(0), 5);
    return () => {
      cancelled = true;
    };
  }
}
