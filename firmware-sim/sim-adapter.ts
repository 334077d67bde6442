/**
 * The simulated radio: implements the gateway's BleAdapter over SimPeripherals, so everything above
 * the adapter (sessions, outbox, MQTT) runs without Bluetooth hardware. Faults can be injected:
 * the adapter powers off, connections fail, devices stop advertising.
 */
import type { AdapterState, Advertisement, BleAdapter, GattConnection } from '../gateway/ble/adapter.js';
import type { SimPeripheral } from './gatt/sim-peripheral.js';

export interface SimAdapterOptions {
  /** How often advertising devices are reported to the scanner. */
  readonly advertiseEveryMs?: number;
  /** Simulated link latency for each GATT operation. */
  readonly gattLatencyMs?: number;
}

const delay = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

class SimGattConnection implements GattConnection {
  readonly services: ReadonlyMap<string, readonly string[]>;
  private isConnected = true;
  private readonly disconnectListeners: (() => void)[] = [];
  private readonly unsubscribes: (() => void)[] = [];

  constructor(
    private readonly peripheral: SimPeripheral,
    private readonly latencyMs: number,
    private readonly onClosed: () => void,
  ) {
    this.services = new Map([...peripheral.gatt].map(([svc, chars]) => [svc, [...chars.keys()]]));
  }

  get address(): string {
    return this.peripheral.address;
  }

  get connected(): boolean {
    return this.isConnected;
  }

  private characteristic(service: string, characteristic: string) {
    if (!this.isConnected) throw new Error(`not connected to ${this.address}`);
    const c = this.peripheral.gatt.get(service)?.get(characteristic);
    if (!c) throw new Error(`characteristic ${service}/${characteristic} not found on ${this.address}`);
    return c;
  }

  async read(service: string, characteristic: string): Promise<Uint8Array> {
    await delay(this.latencyMs);
    const c = this.characteristic(service, characteristic);
    if (!c.read) throw new Error(`characteristic ${characteristic} is not readable`);
    return c.read();
  }

  async write(service: string, characteristic: string, value: Uint8Array): Promise<void> {
    await delay(this.latencyMs);
    const c = this.characteristic(service, characteristic);
    if (!c.write) throw new Error(`characteristic ${characteristic} is not writable`);
    c.write(value);
  }

  async subscribe(service: string, characteristic: string, onValue: (value: Uint8Array) => void): Promise<void> {
    await delay(this.latencyMs);
    const c = this.characteristic(service, characteristic);
    if (!c.subscribe) throw new Error(`characteristic ${characteristic} does not notify or indicate`);
    // Values arrive asynchronously, as they do over the air.
    this.unsubscribes.push(c.subscribe((value) => setImmediate(() => this.isConnected && onValue(Uint8Array.from(value)))));
  }

  async disconnect(): Promise<void> {
    await delay(this.latencyMs);
    this.close();
  }

  onDisconnect(listener: () => void): void {
    this.disconnectListeners.push(listener);
  }

  close(): void {
    if (!this.isConnected) return;
    this.isConnected = false;
    for (const u of this.unsubscribes.splice(0)) u();
    this.peripheral.onDisconnect();
    this.onClosed();
    for (const l of this.disconnectListeners.splice(0)) l();
  }
}

export class SimulatedBleAdapter implements BleAdapter {
  readonly kind = 'simulated' as const;
  private currentState: AdapterState = 'simulated';
  private readonly stateListeners: ((s: AdapterState) => void)[] = [];
  private scanTimer: NodeJS.Timeout | undefined;
  private readonly connections = new Map<string, SimGattConnection>();
  private readonly peripherals = new Map<string, SimPeripheral>();

  constructor(
    peripherals: readonly SimPeripheral[],
    private readonly options: SimAdapterOptions = {},
  ) {
    for (const p of peripherals) this.peripherals.set(p.address, p);
  }

  addPeripheral(p: SimPeripheral): void {
    this.peripherals.set(p.address, p);
  }

  state(): AdapterState {
    return this.currentState;
  }

  onStateChange(listener: (state: AdapterState) => void): void {
    this.stateListeners.push(listener);
  }

  /** Fault injection: the radio goes away (connections drop) or comes back. */
  setPowered(on: boolean): void {
    this.currentState = on ? 'simulated' : 'poweredOff';
    if (!on) for (const c of [...this.connections.values()]) c.close();
    for (const l of this.stateListeners) l(this.currentState);
  }

  async startScanning(serviceUuids: readonly string[], onAdvertisement: (ad: Advertisement) => void): Promise<void> {
    await this.stopScanning();
    const wanted = new Set(serviceUuids);
    const tick = () => {
      if (this.currentState !== 'simulated') return;
      for (const p of this.peripherals.values()) {
        if (this.connections.has(p.address) || !p.isAdvertising()) continue;
        if (!p.advertisedServices.some((s) => wanted.has(s))) continue;
        onAdvertisement({ address: p.address, localName: p.localName, serviceUuids: p.advertisedServices, rssi: -60 });
      }
    };
    this.scanTimer = setInterval(tick, this.options.advertiseEveryMs ?? 200);
    this.scanTimer.unref();
    setImmediate(tick);
  }

  async stopScanning(): Promise<void> {
    clearInterval(this.scanTimer);
    this.scanTimer = undefined;
    return Promise.resolve();
  }

  async connect(address: string, timeoutMs: number): Promise<GattConnection> {
    const latency = this.options.gattLatencyMs ?? 2;
    await delay(latency);
    const p = this.peripherals.get(address);
    if (this.currentState !== 'simulated') throw new Error('adapter is powered off');
    if (!p || !p.isAdvertising()) {
      await delay(Math.min(timeoutMs, 50));
      throw new Error(`connection to ${address} timed out`);
    }
    if (this.connections.has(address)) throw new Error(`already connected to ${address}`);
    const conn = new SimGattConnection(p, latency, () => this.connections.delete(address));
    this.connections.set(address, conn);
    p.onConnect({ drop: () => setImmediate(() => conn.close()) });
    return conn;
  }

  async close(): Promise<void> {
    await this.stopScanning();
    for (const c of [...this.connections.values()]) c.close();
  }
}
