/**
 * What the gateway remembers about its devices across reboots, in `<dataDir>/devices.json`:
 *  - which devices the hub registered or unregistered (on top of the config file's list),
 *  - per device: identity, battery, clock offset, last connection, and for glucose meters the last
 *    record sequence number whose readings are in the outbox (so the next session asks only for newer ones).
 * Saved durably (fsync + rename) after each change; saves are serialised.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { readJsonFile, writeJsonFileDurably } from './durable-json.js';

const KnownDevice = z.object({
  deviceId: z.string().optional(),
  manufacturer: z.string().optional(),
  model: z.string().optional(),
  firmware: z.string().optional(),
  batteryPercent: z.number().optional(),
  clockOffsetS: z.number().optional(),
  clockSetAt: z.string().optional(),
  lastConnectedAt: z.string().optional(),
  /** Keyed by device id: a different meter at the same address starts afresh. */
  glucose: z.object({ deviceId: z.string(), lastSequence: z.number().int() }).optional(),
});
export type KnownDevice = z.infer<typeof KnownDevice>;

const StoreFile = z.object({
  v: z.literal(1),
  /** Added by the hub's register_device commands. */
  registered: z.array(z.object({ address: z.string(), label: z.string().optional() })).default([]),
  /** Removed by unregister_device commands, including devices from the config file. */
  unregistered: z.array(z.string()).default([]),
  devices: z.record(z.string(), KnownDevice).default({}),
});
type StoreFile = z.infer<typeof StoreFile>;

export class DeviceStore {
  private saving: Promise<void> = Promise.resolve();

  private constructor(
    private readonly path: string,
    private state: StoreFile,
  ) {}

  static async open(dataDir: string): Promise<DeviceStore> {
    const path = join(dataDir, 'devices.json');
    const raw = await readJsonFile(path);
    if (raw === undefined) return new DeviceStore(path, { v: 1, registered: [], unregistered: [], devices: {} });
    const parsed = StoreFile.safeParse(raw);
    if (!parsed.success) throw new Error(`${path} is not a valid device store: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    return new DeviceStore(path, parsed.data);
  }

  /** The devices to connect to: the config file's, plus the hub's registrations, minus its unregistrations. */
  effectiveAddresses(configured: readonly string[]): string[] {
    const removed = new Set(this.state.unregistered);
    const all = new Set([...configured.map((a) => a.toLowerCase()), ...this.state.registered.map((r) => r.address)]);
    return [...all].filter((a) => !removed.has(a));
  }

  async register(address: string, label?: string): Promise<void> {
    const a = address.toLowerCase();
    this.state.unregistered = this.state.unregistered.filter((u) => u !== a);
    this.state.registered = [...this.state.registered.filter((r) => r.address !== a), { address: a, ...(label && { label }) }];
    await this.save();
  }

  async unregister(address: string): Promise<void> {
    const a = address.toLowerCase();
    this.state.registered = this.state.registered.filter((r) => r.address !== a);
    if (!this.state.unregistered.includes(a)) this.state.unregistered.push(a);
    await this.save();
  }

  device(address: string): KnownDevice | undefined {
    return this.state.devices[address.toLowerCase()];
  }

  lastGlucoseSequence(address: string, deviceId: string): number | undefined {
    const g = this.device(address)?.glucose;
    return g && g.deviceId === deviceId ? g.lastSequence : undefined;
  }

  async updateDevice(address: string, update: Partial<KnownDevice>): Promise<void> {
    const a = address.toLowerCase();
    this.state.devices[a] = { ...this.state.devices[a], ...update };
    await this.save();
  }

  private save(): Promise<void> {
    const snapshot = structuredClone(this.state);
    // One write at a time, in order: the last save always holds the latest state.
    this.saving = this.saving.catch(() => undefined).then(() => writeJsonFileDurably(this.path, snapshot));
    return this.saving;
  }
}
