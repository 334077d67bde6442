/**
 * The gateway runtime: scan for registered health devices, run a session with each one that
 * advertises (a bounded number at a time, with backoff after failures), put every reading in the
 * durable outbox, and let the MQTT link deliver it.
 */
import type { Reading } from '../contract/index.js';
import type { AdapterState, Advertisement, BleAdapter } from './ble/adapter.js';
import { HEALTH_SERVICES } from './ble/gatt-uuids.js';
import type { Logger } from './log.js';
import type { GatewayLink } from './mqtt/gateway-link.js';
import type { FileOutbox } from './outbox/outbox.js';
import { runDeviceSession, type SessionOptions } from './session/device-session.js';

export interface GatewayRuntimeOptions {
  /** Only these BLE addresses are ever connected to: never a neighbour's device. */
  readonly registeredAddresses: readonly string[];
  readonly maxConnections: number;
  readonly connectTimeoutMs: number;
  /** After a session, leave the device alone this long (it keeps advertising for a while). */
  readonly cooldownMs: number;
  readonly session: SessionOptions;
}

interface DeviceTracker {
  lastSeenAt?: number;
  busy: boolean;
  notBefore: number;
  failures: number;
}

export class GatewayRuntime {
  private readonly registered: Set<string>;
  private readonly devices = new Map<string, DeviceTracker>();
  private active = 0;
  private readonly sessions = new Set<Promise<void>>();
  private stopping = false;

  constructor(
    private readonly adapter: BleAdapter,
    private readonly outbox: FileOutbox,
    private readonly link: GatewayLink,
    private readonly options: GatewayRuntimeOptions,
    private readonly log: Logger,
  ) {
    this.registered = new Set(options.registeredAddresses.map((a) => a.toLowerCase()));
  }

  async start(): Promise<void> {
    this.link.start();
    this.adapter.onStateChange((state) => this.onAdapterState(state));
    this.onAdapterState(this.adapter.state());
    await this.adapter.startScanning(HEALTH_SERVICES, (ad) => this.onAdvertisement(ad));
  }

  private onAdapterState(state: AdapterState): void {
    if (state === 'unsupported' || state === 'unauthorized') {
      this.log.error({ state }, 'no usable Bluetooth adapter: readings cannot be collected; delivery of stored readings goes on');
    } else {
      this.log.info({ state }, 'bluetooth adapter state');
    }
  }

  registerDevice(address: string): void {
    this.registered.add(address.toLowerCase());
  }

  unregisterDevice(address: string): void {
    this.registered.delete(address.toLowerCase());
  }

  get registeredAddresses(): readonly string[] {
    return [...this.registered];
  }

  private tracker(address: string): DeviceTracker {
    let t = this.devices.get(address);
    if (!t) {
      t = { busy: false, notBefore: 0, failures: 0 };
      this.devices.set(address, t);
    }
    return t;
  }

  private onAdvertisement(ad: Advertisement): void {
    const address = ad.address.toLowerCase();
    if (!this.registered.has(address) || this.stopping) return;
    const t = this.tracker(address);
    t.lastSeenAt = Date.now();
    if (t.busy || Date.now() < t.notBefore || this.active >= this.options.maxConnections) return;
    t.busy = true;
    this.active++;
    const session = this.collect(address, t).finally(() => {
      t.busy = false;
      this.active--;
      this.sessions.delete(session);
    });
    this.sessions.add(session);
  }

  private async collect(address: string, t: DeviceTracker): Promise<void> {
    try {
      const conn = await this.adapter.connect(address, this.options.connectTimeoutMs);
      const summary = await runDeviceSession(conn, this.options.session, {
        onReadings: (readings: Reading[]) => this.store(readings),
        onDecodeError: (characteristic, reason) => {
          this.log.warn({ characteristic, reason }, 'device sent a value that could not be decoded');
          this.link.publishEvent({ v: 1, type: 'decode_failed', at: new Date().toISOString(), characteristic, reason: reason.slice(0, 500) });
        },
      });
      t.failures = 0;
      t.notBefore = Date.now() + this.options.cooldownMs;
      this.log.info({ device: summary.deviceId, values: summary.values, readings: summary.readings, rejected: summary.rejected }, 'device session done');
    } catch (err) {
      t.failures++;
      // Exponential backoff, capped at 5 minutes, so a flaky device does not monopolise the radio.
      t.notBefore = Date.now() + Math.min(300_000, 1_000 * 2 ** Math.min(t.failures, 8));
      this.log.warn({ address, err: (err as Error).message, failures: t.failures }, 'device session failed');
    }
  }

  private async store(readings: Reading[]): Promise<void> {
    await this.outbox.append(readings);
    this.link.kick();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.adapter.stopScanning();
    await Promise.allSettled([...this.sessions]);
    await this.link.stop();
    await this.adapter.close();
    await this.outbox.close();
  }
}
