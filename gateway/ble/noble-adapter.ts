/**
 * The real radio, through @stoprocent/noble (the maintained noble fork with prebuilt binaries).
 * The only file that imports noble, and it does so lazily: importing noble opens the HCI socket at
 * once, which a simulated gateway or a `decode` run must not do. Without an adapter noble reports
 * poweredOff -> unsupported and keeps retrying; `close()` stops it so the process can exit.
 */
import type { AdapterState, Advertisement, BleAdapter, GattConnection } from './adapter.js';
import { shortUuid } from './adapter.js';

import type { Characteristic, Noble, Peripheral } from '@stoprocent/noble';

function normaliseUuid(uuid: string): string {
  return shortUuid(uuid) ?? uuid.toLowerCase();
}

class NobleConnection implements GattConnection {
  private isConnected = true;
  private readonly listeners: (() => void)[] = [];

  constructor(
    private readonly peripheral: Peripheral,
    private readonly characteristics: Map<string, Characteristic>,
    readonly services: ReadonlyMap<string, readonly string[]>,
  ) {
    peripheral.once('disconnect', () => {
      this.isConnected = false;
      for (const l of this.listeners.splice(0)) l();
    });
  }

  get address(): string {
    return this.peripheral.address.toLowerCase();
  }

  get connected(): boolean {
    return this.isConnected;
  }

  private char(service: string, characteristic: string) {
    const c = this.characteristics.get(`${service}/${characteristic}`);
    if (!c) throw new Error(`characteristic ${service}/${characteristic} not found on ${this.address}`);
    return c;
  }

  async read(service: string, characteristic: string): Promise<Uint8Array> {
    return this.char(service, characteristic).readAsync();
  }

  async write(service: string, characteristic: string, value: Uint8Array, withResponse: boolean): Promise<void> {
    await this.char(service, characteristic).writeAsync(Buffer.from(value), !withResponse);
  }

  async subscribe(service: string, characteristic: string, onValue: (value: Uint8Array) => void): Promise<void> {
    const c = this.char(service, characteristic);
    c.on('data', (data: Buffer) => onValue(new Uint8Array(data)));
    await c.subscribeAsync();
  }

  async disconnect(): Promise<void> {
    await this.peripheral.disconnectAsync();
  }

  onDisconnect(listener: () => void): void {
    if (!this.isConnected) listener();
    else this.listeners.push(listener);
  }
}

export class NobleAdapter implements BleAdapter {
  readonly kind = 'noble' as const;
  private noble: Noble | undefined;
  private currentState: AdapterState = 'unknown';
  private readonly stateListeners: ((s: AdapterState) => void)[] = [];
  private readonly peripherals = new Map<string, Peripheral>();

  private async load(): Promise<Noble> {
    if (this.noble) return this.noble;
    const mod = await import('@stoprocent/noble');
    const noble = mod.default;
    this.noble = noble;
    this.currentState = noble.state;
    noble.on('stateChange', (state: AdapterState) => {
      this.currentState = state;
      for (const l of this.stateListeners) l(state);
    });
    return noble;
  }

  state(): AdapterState {
    return this.currentState;
  }

  onStateChange(listener: (state: AdapterState) => void): void {
    this.stateListeners.push(listener);
  }

  async startScanning(serviceUuids: readonly string[], onAdvertisement: (ad: Advertisement) => void): Promise<void> {
    const noble = await this.load();
    noble.removeAllListeners('discover');
    noble.on('discover', (p: Peripheral) => {
      const address = p.address.toLowerCase();
      this.peripherals.set(address, p);
      onAdvertisement({
        address,
        ...(p.advertisement.localName && { localName: p.advertisement.localName }),
        serviceUuids: (p.advertisement.serviceUuids ?? []).map(normaliseUuid),
        rssi: p.rssi,
      });
    });
    const start = () => noble.startScanningAsync([...serviceUuids], true).catch(() => undefined);
    // Scanning can only start once powered on; restart it whenever the adapter comes back.
    noble.on('stateChange', (state: AdapterState) => {
      if (state === 'poweredOn') void start();
    });
    if (noble.state === 'poweredOn') await start();
  }

  async stopScanning(): Promise<void> {
    if (this.noble?.state === 'poweredOn') await this.noble.stopScanningAsync().catch(() => undefined);
  }

  async connect(address: string, timeoutMs: number): Promise<GattConnection> {
    const noble = await this.load();
    const known = this.peripherals.get(address);
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`connection to ${address} timed out`)), timeoutMs).unref());
    const peripheral = await Promise.race([
      known ? known.connectAsync().then(() => known) : noble.connectAsync(address, { timeout: timeoutMs }),
      timeout,
    ]);
    const discovered = await Promise.race([peripheral.discoverAllServicesAndCharacteristicsAsync(), timeout]);
    const byKey = new Map<string, Characteristic>();
    const services = new Map<string, string[]>();
    for (const svc of discovered.services) {
      const service = normaliseUuid(svc.uuid);
      const uuids: string[] = [];
      for (const c of svc.characteristics) {
        const uuid = normaliseUuid(c.uuid);
        byKey.set(`${service}/${uuid}`, c);
        uuids.push(uuid);
      }
      services.set(service, uuids);
    }
    return new NobleConnection(peripheral, byKey, services);
  }

  async close(): Promise<void> {
    if (!this.noble) return;
    await this.stopScanning();
    this.noble.removeAllListeners();
    // stop() releases the HCI socket and ends noble's retry loop, so the process can exit.
    this.noble.stop();
  }
}
