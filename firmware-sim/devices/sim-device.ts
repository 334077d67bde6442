/**
 * What every simulated health device shares: Device Information (0x180A), a Battery Level (0x2A19)
 * that can be drained, an optional clock behind Current Time (0x2A2B, CTS 1.1) that may run off and may
 * be writable, advertising for a while after a measurement, and the device's side of the link.
 * Each device class adds its own health service on top (blood-pressure-cuff.ts, glucose-meter.ts, ...).
 */
import { wallClock } from '../../contract/time-zone.js';
import type { LocalDateTime } from '../../gateway/profiles/date-time.js';
import { encodeBatteryLevel } from '../encoders/battery-level.js';
import { encodeDeviceClock, instantOfClockWrite } from '../encoders/current-time.js';
import { deviceInformation, gattTable, type SimCharacteristic, type SimLink, type SimPeripheral } from '../gatt/sim-peripheral.js';

export interface SimDeviceOptions {
  readonly address: string;
  readonly serial: string;
  /** The home's zone: device clocks keep local wall-clock time (CTS 1.1 §3.1). */
  readonly timeZone: string;
  /** Device clock minus true time, seconds. */
  readonly clockOffsetS?: number;
  /** Current Time accepts writes (CTS 1.1 §3.1: write is optional). Default true. */
  readonly clockWritable?: boolean;
  /** Battery level at start, percent. Default 90. */
  readonly batteryPercent?: number;
  /** Advertise this long after a measurement. */
  readonly advertiseForMs?: number;
  /** 8-byte System ID (little-endian, as on the wire); without it the gateway names the device by serial. */
  readonly systemId?: Uint8Array;
  readonly now?: () => Date;
}

export interface DeviceModel {
  readonly manufacturer: string;
  readonly model: string;
  readonly firmware: string;
  /** Whether the device has a clock (and so a Current Time characteristic). */
  readonly hasClock: boolean;
}

export const CURRENT_TIME_SERVICE = '1805';

export abstract class SimDevice implements SimPeripheral {
  abstract readonly localName: string;
  abstract readonly advertisedServices: readonly string[];
  readonly gatt: Map<string, Map<string, SimCharacteristic>>;
  /** Every value written to Current Time, for tests that check the gateway set the clock. */
  readonly clockWrites: Uint8Array[] = [];
  /** Connections accepted so far. */
  connections = 0;
  protected link: SimLink | undefined;
  protected readonly now: () => Date;
  private advertiseUntil = 0;
  private battery: number;
  private offsetS: number;

  protected constructor(
    protected readonly options: SimDeviceOptions,
    model: DeviceModel,
    healthServices: Record<string, Record<string, SimCharacteristic>>,
  ) {
    this.now = options.now ?? (() => new Date());
    this.battery = options.batteryPercent ?? 90;
    this.offsetS = options.clockOffsetS ?? 0;
    const info = deviceInformation({ manufacturer: model.manufacturer, model: model.model, serial: options.serial, firmware: model.firmware, ...(options.systemId && { systemId: options.systemId }) });
    this.gatt = gattTable({
      '180a': info,
      '180f': { '2a19': { read: () => encodeBatteryLevel({ batteryLevel: this.battery }) } },
      ...(model.hasClock && { [CURRENT_TIME_SERVICE]: { '2a2b': this.currentTimeCharacteristic() } }),
      ...healthServices,
    });
  }

  get address(): string {
    return this.options.address;
  }

  get batteryPercent(): number {
    return this.battery;
  }

  /** Drains the battery (for low-battery alerts); never below 0. */
  drainBattery(byPercent: number): void {
    this.battery = Math.max(0, Math.min(100, Math.round(this.battery - byPercent)));
  }

  /** Device clock minus true time, seconds; changes when the gateway sets the clock. */
  get clockOffsetS(): number {
    return this.offsetS;
  }

  /** What the device clock shows at a true instant, as local wall-clock time. */
  deviceTimeAt(at: Date): LocalDateTime {
    return wallClock(new Date(at.getTime() + this.offsetS * 1000), this.options.timeZone);
  }

  isAdvertising(): boolean {
    return this.now().getTime() < this.advertiseUntil;
  }

  /** Advertise for the configured time (after a measurement) or for `ms`. */
  startAdvertising(ms = this.options.advertiseForMs ?? 60_000): void {
    this.advertiseUntil = Math.max(this.advertiseUntil, this.now().getTime() + ms);
  }

  stopAdvertising(): void {
    this.advertiseUntil = 0;
  }

  onConnect(link: SimLink): void {
    this.connections++;
    this.link = link;
  }

  onDisconnect(): void {
    this.link = undefined;
  }

  private currentTimeCharacteristic(): SimCharacteristic {
    return {
      read: () => {
        const at = this.now();
        return encodeDeviceClock(new Date(at.getTime() + this.offsetS * 1000), this.options.timeZone);
      },
      ...(this.options.clockWritable !== false && {
        write: (value: Uint8Array) => {
          const instant = instantOfClockWrite(value, this.options.timeZone);
          // CTS 1.1 §3.1.2: a write with invalid fields is refused (ATT error 0x80, "Data field ignored").
          if (!instant) throw new Error('current time write refused: data field ignored');
          this.clockWrites.push(Uint8Array.from(value));
          const written = instant.getTime();
          this.offsetS = (written - this.now().getTime()) / 1000;
        },
      }),
    };
  }
}

/**
 * Sends stored records one at a time (indications: each after the previous was confirmed, here a short
 * delay), then calls `done`. Returns the cancel function a subscription returns.
 */
export function sendRecords(records: readonly Uint8Array[], push: (value: Uint8Array) => void, done: () => void, gapMs = 5): () => void {
  let cancelled = false;
  const sendNext = (i: number) => {
    if (cancelled) return;
    const record = records[i];
    if (!record) {
      done();
      return;
    }
    push(record);
    setTimeout(() => sendNext(i + 1), gapMs);
  };
  setTimeout(() => sendNext(0), gapMs);
  return () => {
    cancelled = true;
  };
}
