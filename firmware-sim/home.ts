/**
 * A simulated home: a resident's devices behind one simulated radio, measuring on a schedule.
 * The gateway under test (or in the demo) runs against `adapter` exactly as it would against noble.
 */
import { SimBloodPressureCuff } from './devices/blood-pressure-cuff.js';
import { stableResident } from './physiology/stable-resident.js';
import { SimulatedBleAdapter } from './sim-adapter.js';

export interface SimulatedHomeOptions {
  readonly timeZone: string;
  /** Seeds the resident's physiology and the device serials. */
  readonly seed: number;
  /** The cuff measures this often; 0 = only when `measureNow` is called. */
  readonly measureEveryMs: number;
}

export class SimulatedHome {
  readonly adapter: SimulatedBleAdapter;
  readonly cuff: SimBloodPressureCuff;
  private timer: NodeJS.Timeout | undefined;
  private readonly resident: ReturnType<typeof stableResident>;
  private readonly cuffSerial: string;

  constructor(private readonly options: SimulatedHomeOptions) {
    const n = options.seed % 0xffff;
    const hex = n.toString(16).padStart(4, '0');
    this.cuffSerial = `BPC-${String(n).padStart(4, '0')}`;
    this.cuff = new SimBloodPressureCuff({
      address: `c0:ff:ee:00:${hex.slice(0, 2)}:${hex.slice(2)}`,
      serial: this.cuffSerial,
      timeZone: options.timeZone,
    });
    this.resident = stableResident(options.seed);
    this.adapter = new SimulatedBleAdapter([this.cuff]);
  }

  /** Addresses to register on the gateway. */
  get deviceAddresses(): string[] {
    return [this.cuff.address];
  }

  /** Device ids the gateway will report (for assigning them to a patient). */
  get deviceIds(): string[] {
    // The gateway names a device by its serial number when it has no System ID (device-info.ts).
    return [`sn-${this.cuffSerial}`];
  }

  measureNow(): void {
    this.cuff.measure(this.resident.bloodPressure());
  }

  start(): void {
    if (this.options.measureEveryMs <= 0) return;
    this.measureNow();
    this.timer = setInterval(() => this.measureNow(), this.options.measureEveryMs);
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
