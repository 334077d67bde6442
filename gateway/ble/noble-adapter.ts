/**
 * The real radio, through @stoprocent/noble (the maintained noble fork with prebuilt binaries).
 * The only file that imports noble, and it does so lazily: importing noble loads its native HCI module,
 * which a simulated gateway or a `decode` run must not do.
 *
 * Unattended operation:
 *  - No controller (no /sys/class/bluetooth/hci*): noble is not started at all; the state is
 *    `unsupported` and the presence is checked again with backoff (adapter-presence.ts).
 *  - noble reports unsupported / unauthorized: it is stopped (it would retry and print every second)
 *    and a fresh instance is tried later, with backoff.
 *  - Scanning: unfiltered, with duplicates, so every advertisement around counts as proof that the scan
 *    is alive; only health-service advertisements are passed on. The HCI bindings stop scanning to
 *    connect and do not resume: scanning is restarted after each connection attempt.
 *  - Watchdog: BlueZ scans are known to stall silently after days. When nothing at all was heard for
 *    `scanWatchdogMs` while powered on, the scan is stopped and started again.
 *  - `close()` stops everything, so the process can exit.
 */
import type { Characteristic, Noble, Peripheral } from '@stoprocent/noble';
import { backoffMs } from '../../contract/backoff.js';
import type { AdapterState, Advertisement, BleAdapter, GattConnection } from './adapter.js';
import { shortUuid } from './adapter.js';
import { bluetoothControllerPresent } from './adapter-presence.js';

export interface NobleAdapterOptions {
  /** A ready Noble instance (tests build one over fake bindings). When given, it is never replaced. */
  readonly noble?: Noble;
  /** Restart scanning after this long without any advertisement while powered on. Default 5 minutes. */
  readonly scanWatchdogMs?: number;
  /** First retry after no controller / an unusable one; doubles up to 10 minutes. Default 30 s. */
  readonly adapterRetryMs?: number;
  /** Per GATT operation (read, write, subscribe). Default 10 s. */
  readonly gattTimeoutMs?: number;
  readonly controllerPresent?: () => Promise<boolean>;
  readonly log?: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
}

const MAX_RETRY_MS = 600_000;
const normaliseUuid = (uuid: string): string => shortUuid(uuid) ?? uuid.toLowerCase();

function withTimeout<T>(promise: Promise<T>, ms: number, what: string, onTimeout?: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout?.();
      reject(new Error(`${what} timed out after ${ms} ms`));
    }, ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

class NobleConnection implements GattConnection {
  private isConnected = true;
  private readonly listeners: (() => void)[] = [];

  constructor(
    private readonly peripheral: Peripheral,
    private readonly characteristics: Map<string, Characteristic>,
    readonly services: ReadonlyMap<string, readonly string[]>,
    private readonly opTimeoutMs: number,
  ) {
    peripheral.once('disconnect', () => {
      this.isConnected = false;
      for (const c of characteristics.values()) c.removeAllListeners('data');
      for (const l of this.listeners.splice(0)) l();
    });
  }

  get address(): string {
    return this.peripheral.address.toLowerCase();
  }

  get connected(): boolean {
    return this.isConnected;
  }

  private char(service: string, characteristic: string): Characteristic {
    const c = this.characteristics.get(`${service}/${characteristic}`);
    if (!c) throw new Error(`characteristic ${service}/${characteristic} not found on ${this.address}`);
    return c;
  }

  async read(service: string, characteristic: string): Promise<Uint8Array> {
    const data = await withTimeout(this.char(service, characteristic).readAsync(), this.opTimeoutMs, `read ${characteristic}`);
    return new Uint8Array(data);
  }

  async write(service: string, characteristic: string, value: Uint8Array, withResponse: boolean): Promise<void> {
    await withTimeout(this.char(service, characteristic).writeAsync(Buffer.from(value), !withResponse), this.opTimeoutMs, `write ${characteristic}`);
  }

  async subscribe(service: string, characteristic: string, onValue: (value: Uint8Array) => void): Promise<void> {
    const c = this.char(service, characteristic);
    // 'data' also fires for plain reads of the same characteristic: only notifications and indications count.
    c.on('data', (data: Buffer, isNotification: boolean) => {
      if (isNotification) onValue(new Uint8Array(data));
    });
    await withTimeout(c.subscribeAsync(), this.opTimeoutMs, `subscribe ${characteristic}`);
  }

  async disconnect(): Promise<void> {
    if (!this.isConnected) return;
    await withTimeout(this.peripheral.disconnectAsync(), this.opTimeoutMs, 'disconnect').catch(() => undefined);
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
  private wanted: { services: Set<string>; onAdvertisement: (ad: Advertisement) => void } | undefined;
  private connecting = 0;
  private lastActivity = Date.now();
  /** Adapter retries since it was last powered on: the wait doubles from adapterRetryMs up to MAX_RETRY_MS. */
  private retries = 0;
  private retryTimer: NodeJS.Timeout | undefined;
  private watchdog: NodeJS.Timeout | undefined;
  private closed = false;
  /** Scan restarts by the watchdog, for status and tests. */
  watchdogRestarts = 0;

  constructor(private readonly options: NobleAdapterOptions = {}) {}

  state(): AdapterState {
    return this.currentState;
  }

  onStateChange(listener: (state: AdapterState) => void): void {
    this.stateListeners.push(listener);
  }

  private setState(state: AdapterState): void {
    if (state === this.currentState) return;
    this.currentState = state;
    for (const l of this.stateListeners) l(state);
  }

  async startScanning(serviceUuids: readonly string[], onAdvertisement: (ad: Advertisement) => void): Promise<void> {
    this.wanted = { services: new Set(serviceUuids.map(normaliseUuid)), onAdvertisement };
    const scanWatchdogMs = this.options.scanWatchdogMs ?? 300_000;
    this.watchdog ??= setInterval(() => this.checkScan(scanWatchdogMs), Math.min(30_000, Math.max(100, scanWatchdogMs / 4)));
    this.watchdog.unref();
    await this.ensureNoble();
    if (this.noble?.state === 'poweredOn') await this.scan();
  }

  /** Starts noble if a controller is there; otherwise reports `unsupported` and looks again later. */
  private async ensureNoble(): Promise<void> {
    if (this.noble || this.closed) return;
    if (this.options.noble) {
      this.attach(this.options.noble);
      return;
    }
    const present = await (this.options.controllerPresent ?? bluetoothControllerPresent)();
    if (this.closed) return;
    if (!present) {
      this.setState('unsupported');
      this.retryLater();
      return;
    }
    const mod = await import('@stoprocent/noble');
    const withBindings = mod.withBindings ?? (mod.default as unknown as { withBindings: typeof mod.withBindings }).withBindings;
    if (this.closed) return;
    this.attach(withBindings('default'));
  }

  private retryLater(): void {
    if (this.closed || this.retryTimer) return;
    // No jitter: one local adapter, nothing shared to spread the retries over.
    const wait = backoffMs(++this.retries, { baseMs: this.options.adapterRetryMs ?? 30_000, maxMs: MAX_RETRY_MS, jitter: { kind: 'none' } }, Math.random);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.ensureNoble()
        .then(() => (this.noble?.state === 'poweredOn' ? this.scan() : undefined))
        .catch((err: Error) => this.options.log?.warn({ err: err.message }, 'bluetooth adapter retry failed'));
    }, wait);
    this.retryTimer.unref();
  }

  private attach(noble: Noble): void {
    this.noble = noble;
    noble.on('stateChange', (state: AdapterState) => {
      this.setState(state);
      if (state === 'poweredOn') {
        this.retries = 0;
        this.lastActivity = Date.now();
        void this.scan();
      } else if ((state === 'unsupported' || state === 'unauthorized') && !this.options.noble) {
        // Stop noble's one-second retry loop (and its stdout warnings); try a fresh instance later.
        this.detach();
        this.retryLater();
      }
    });
    noble.on('scanStart', () => {
      this.lastActivity = Date.now();
    });
    noble.on('scanStop', () => {
      // The HCI bindings stop scanning to connect; resume once no connection attempt is under way.
      if (this.connecting === 0) setTimeout(() => void this.scan(), 1_000).unref();
    });
    noble.on('discover', (p: Peripheral) => this.onDiscover(p));
    this.setState(noble.state); // reading the state starts the bindings
  }

  private detach(): void {
    const noble = this.noble;
    if (!noble) return;
    this.noble = undefined;
    noble.removeAllListeners();
    noble.stop();
  }

  private onDiscover(p: Peripheral): void {
    this.lastActivity = Date.now();
    const address = p.address.toLowerCase();
    const serviceUuids = (p.advertisement?.serviceUuids ?? []).map(normaliseUuid);
    if (!this.wanted || !serviceUuids.some((s) => this.wanted!.services.has(s))) return;
    this.peripherals.set(address, p);
    this.wanted.onAdvertisement({ address, ...(p.advertisement.localName && { localName: p.advertisement.localName }), serviceUuids, rssi: p.rssi });
  }

  private async scan(): Promise<void> {
    const noble = this.noble;
    if (!noble || !this.wanted || this.closed || noble.state !== 'poweredOn' || this.connecting > 0) return;
    // No service filter: every advertisement nearby shows the scan is alive (see the watchdog).
    await noble.startScanningAsync([], true).catch((err: Error) => this.options.log?.warn({ err: err.message }, 'could not start scanning'));
  }

  private checkScan(scanWatchdogMs: number): void {
    const noble = this.noble;
    if (!noble || !this.wanted || noble.state !== 'poweredOn' || this.connecting > 0) return;
    const silentMs = Date.now() - this.lastActivity;
    if (silentMs < scanWatchdogMs) return;
    this.watchdogRestarts++;
    this.lastActivity = Date.now();
    this.options.log?.warn({ silentS: Math.round(silentMs / 1000), restarts: this.watchdogRestarts }, 'no advertisements heard: restarting the BLE scan');
    noble
      .stopScanningAsync()
      .catch(() => undefined)
      .then(() => this.scan())
      .catch(() => undefined);
  }

  async stopScanning(): Promise<void> {
    this.wanted = undefined;
    if (this.noble?.state === 'poweredOn') await withTimeout(this.noble.stopScanningAsync(), 2_000, 'stop scanning').catch(() => undefined);
  }

  async connect(address: string, timeoutMs: number): Promise<GattConnection> {
    const noble = this.noble;
    if (!noble || noble.state !== 'poweredOn') throw new Error(`bluetooth adapter is ${this.currentState}`);
    const known = this.peripherals.get(address);
    if (!known) throw new Error(`${address} has not been seen advertising`);
    this.connecting++;
    try {
      await withTimeout(known.connectAsync(), timeoutMs, `connection to ${address}`, () => known.cancelConnect());
      try {
        const discovered = await withTimeout(known.discoverAllServicesAndCharacteristicsAsync(), timeoutMs, `service discovery on ${address}`);
        const byKey = new Map<string, Characteristic>();
        const services = new Map<string, string[]>();
        for (const svc of discovered.services) {
          const service = normaliseUuid(svc.uuid);
          const uuids: string[] = [];
          for (const c of svc.characteristics ?? []) {
            const uuid = normaliseUuid(c.uuid);
            byKey.set(`${service}/${uuid}`, c);
            uuids.push(uuid);
          }
          services.set(service, uuids);
        }
        return new NobleConnection(known, byKey, services, this.options.gattTimeoutMs ?? 10_000);
      } catch (err) {
        await withTimeout(known.disconnectAsync(), 2_000, 'disconnect').catch(() => undefined);
        throw err;
      }
    } finally {
      this.connecting--;
      void this.scan();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.watchdog);
    await this.stopScanning();
    // stop() releases the HCI socket and ends noble's retry loop, so the process can exit.
    this.detach();
  }
}
