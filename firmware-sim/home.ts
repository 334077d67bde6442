/**
 * A simulated home: a resident's devices behind one simulated radio, measuring on a schedule.
 * The gateway under test (or in the demo) runs against `adapter` exactly as it would against noble.
 * Which devices the home has is configurable; by default it has only the blood pressure cuff.
 */
import { SimBloodPressureCuff, type CuffMeasurement } from './devices/blood-pressure-cuff.js';
import { SimGlucoseMeter } from './devices/glucose-meter.js';
import { SimHeartRateStrap } from './devices/heart-rate-strap.js';
import { SimPulseOximeter } from './devices/pulse-oximeter.js';
import type { SimDevice } from './devices/sim-device.js';
import { SimThermometer } from './devices/thermometer.js';
import { SimWeightScale } from './devices/weight-scale.js';
import { gaussian, seededRandom } from './physiology/random.js';
import { stableResident } from './physiology/stable-resident.js';
import { SimulatedBleAdapter } from './sim-adapter.js';

export const SIM_DEVICE_KINDS = ['cuff', 'thermometer', 'scale', 'glucose', 'oximeter', 'heart-rate'] as const;
export type SimDeviceKind = (typeof SIM_DEVICE_KINDS)[number];

const SERIAL_PREFIX: Record<SimDeviceKind, string> = { cuff: 'BPC', thermometer: 'THM', scale: 'WSC', glucose: 'GLM', oximeter: 'OXI', 'heart-rate': 'HRS' };

/** What the resident's body reads at an instant, per device; anything left out comes from the stable default resident. */
export interface HomeVitals {
  readonly bloodPressure: CuffMeasurement;
  readonly temperatureC: number;
  readonly weightKg: number;
  readonly glucoseMgDl: number;
  readonly spo2: number;
  readonly pulse: number;
}

export interface SimulatedHomeOptions {
  readonly timeZone: string;
  /** Seeds the resident's physiology and the device serials. */
  readonly seed: number;
  /** Every device measures this often; 0 = only when `measureNow` is called. */
  readonly measureEveryMs: number;
  /** Default: only the cuff. */
  readonly devices?: readonly SimDeviceKind[];
  /** Device clocks run this far off (seconds) on every device with a clock. */
  readonly clockOffsetS?: number;
  /** The cuff re-sends its whole memory at every connection. */
  readonly resendMemory?: boolean;
  /** Heart-rate strap notification period. Default 1000 ms. */
  readonly heartRateEveryMs?: number;
  /** The resident's physiology over time (e.g. a deterioration in the demo), per user index in a shared room; default: a stable resident. */
  readonly vitals?: (at: Date, userIndex: number | undefined) => Partial<HomeVitals>;
  /**
   * A community room: the user indexes of the residents sharing the cuff and the scale, who measure
   * one after another (each record carries its user index). Other devices measure once. Default: one
   * resident, no user index on the cuff.
   */
  readonly users?: readonly number[];
}

export class SimulatedHome {
  readonly adapter: SimulatedBleAdapter;
  readonly devices = new Map<SimDeviceKind, SimDevice>();
  private timer: NodeJS.Timeout | undefined;
  private readonly resident: ReturnType<typeof stableResident>;
  private readonly random: () => number;
  private readonly serials = new Map<SimDeviceKind, string>();

  constructor(private readonly options: SimulatedHomeOptions) {
    const n = options.seed % 0xffff;
    const hex = n.toString(16).padStart(4, '0');
    this.resident = stableResident(options.seed);
    this.random = seededRandom(options.seed ^ 0x5eed);
    for (const kind of options.devices ?? ['cuff']) {
      const index = SIM_DEVICE_KINDS.indexOf(kind);
      const serial = `${SERIAL_PREFIX[kind]}-${String(n).padStart(4, '0')}`;
      this.serials.set(kind, serial);
      const common = {
        // The cuff keeps the address it always had: c0:ff:ee:00:<seed>.
        address: `c0:ff:ee:${index.toString(16).padStart(2, '0')}:${hex.slice(0, 2)}:${hex.slice(2)}`,
        serial,
        timeZone: options.timeZone,
        ...(options.clockOffsetS !== undefined && { clockOffsetS: options.clockOffsetS }),
      };
      this.devices.set(kind, this.create(kind, common));
    }
    this.adapter = new SimulatedBleAdapter([...this.devices.values()]);
  }

  private create(kind: SimDeviceKind, common: ConstructorParameters<typeof SimThermometer>[0]): SimDevice {
    switch (kind) {
      case 'cuff':
        return new SimBloodPressureCuff({ ...common, ...(this.options.resendMemory && { resendMemory: true }) });
      case 'thermometer':
        return new SimThermometer(common);
      case 'scale':
        return new SimWeightScale(common);
      case 'glucose':
        return new SimGlucoseMeter(common);
      case 'oximeter':
        return new SimPulseOximeter(common);
      case 'heart-rate':
        return new SimHeartRateStrap({ ...common, notifyEveryMs: this.options.heartRateEveryMs ?? 1000, heartRate: () => gaussian(this.random, 70, 3) });
    }
  }

  /** The cuff, when the home has one. */
  get cuff(): SimBloodPressureCuff | undefined {
    return this.devices.get('cuff') as SimBloodPressureCuff | undefined;
  }

  /** Addresses to register on the gateway. */
  get deviceAddresses(): string[] {
    return [...this.devices.values()].map((d) => d.address);
  }

  /** Device ids the gateway will report (for assigning them to a patient). */
  get deviceIds(): string[] {
    // The gateway names a device by its serial number when it has no System ID (device-info.ts).
    return [...this.serials.values()].map((serial) => `sn-${serial}`);
  }

  /** Every device with a memory takes one measurement now; the strap is put on. */
  measureNow(at?: Date): void {
    const r = this.random;
    const users = this.options.users ?? [undefined];
    users.forEach((user, turn) => {
      const v = this.options.vitals?.(at ?? new Date(), user) ?? {};
      for (const [kind, device] of this.devices) {
        const shared = device instanceof SimBloodPressureCuff || device instanceof SimWeightScale;
        if (turn > 0 && !shared) continue;
        if (device instanceof SimBloodPressureCuff) {
          const m = v.bloodPressure ?? this.resident.bloodPressure();
          device.measure(user === undefined ? m : { ...m, userId: user }, at);
        } else if (device instanceof SimThermometer) device.measure(v.temperatureC ?? gaussian(r, 36.8, 0.2), at);
        else if (device instanceof SimWeightScale) device.measure(v.weightKg ?? gaussian(r, 74, 0.4), user ?? 1, at);
        else if (device instanceof SimGlucoseMeter) device.measure(v.glucoseMgDl ?? gaussian(r, 110, 12), at);
        else if (device instanceof SimPulseOximeter) device.measure(v.spo2 ?? Math.min(100, gaussian(r, 95, 1)), v.pulse ?? gaussian(r, 72, 4), at);
        else if (device instanceof SimHeartRateStrap) device.putOn();
        else throw new Error(`no measurement for ${kind}`);
      }
    });
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

/** Parses a `--devices` list like "cuff,glucose" (or "all"), naming what is unknown. */
export function parseDeviceKinds(list: string): { ok: true; kinds: SimDeviceKind[] } | { ok: false; reason: string } {
  if (list.trim() === 'all') return { ok: true, kinds: [...SIM_DEVICE_KINDS] };
  const kinds = list.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = kinds.filter((k) => !(SIM_DEVICE_KINDS as readonly string[]).includes(k));
  if (unknown.length > 0 || kinds.length === 0) return { ok: false, reason: `unknown device kind(s) ${unknown.join(', ') || '(none)'}: choose from ${SIM_DEVICE_KINDS.join(', ')} or all` };
  return { ok: true, kinds: kinds as SimDeviceKind[] };
}
