/**
 * The gateway runtime: scan for registered health devices, run a session with each one that
 * advertises (a bounded number at a time, with backoff after failures), put every reading in the
 * durable outbox, remember what it learnt about each device, report device status, and let the MQTT
 * link deliver it all.
 */
import { backoffMs, type Backoff } from '../contract/backoff.js';
import type { Reading } from '../contract/index.js';
import type { AdapterState, Advertisement, BleAdapter } from './ble/adapter.js';
import { HEALTH_SERVICES } from './ble/gatt-uuids.js';
import type { Logger } from './log.js';
import type { GatewayLink } from './mqtt/gateway-link.js';
import type { FileOutbox } from './outbox/outbox.js';
import { runDeviceSession, type SessionOptions, type SessionSummary } from './session/device-session.js';
import { deviceStatusReport, type Sighting } from './session/device-status.js';
import type { DeviceStore } from './session/device-store.js';

export interface GatewayRuntimeOptions {
  /** Addresses from the config file; the device store adds the hub's registrations. Never a neighbour's device. */
  readonly configuredAddresses: readonly string[];
  readonly maxConnections: number;
  readonly connectTimeoutMs: number;
  /** After a session, leave the device alone this long (it keeps advertising for a while). */
  readonly cooldownMs: number;
  readonly session: SessionOptions;
  /** Publish the device status report at least this often. */
  readonly deviceReportS: number;
  readonly presenceWindowS: number;
}

interface DeviceTracker {
  sighting?: Sighting;
  busy: boolean;
  notBefore: number;
  failures: number;
}

/** After a failed session: 2 s, 4 s, ... 5 min. No jitter: one gateway's radio, nothing to spread. */
const DEVICE_BACKOFF: Backoff = { baseMs: 2_000, maxMs: 300_000, jitter: { kind: 'none' } };
const UNUSABLE: readonly AdapterState[] = ['unsupported', 'unauthorized', 'poweredOff'];

export class GatewayRuntime {
  private registered: Set<string>;
  private readonly devices = new Map<string, DeviceTracker>();
  private active = 0;
  private readonly sessions = new Set<Promise<void>>();
  private readonly storedListeners: ((readings: readonly Reading[]) => void)[] = [];
  private stopping = false;
  private reportTimer: NodeJS.Timeout | undefined;
  private lastLoggedState: AdapterState | undefined;

  constructor(
    private readonly adapter: BleAdapter,
    private readonly outbox: FileOutbox,
    private readonly link: GatewayLink,
    private readonly deviceStore: DeviceStore,
    private readonly options: GatewayRuntimeOptions,
    private readonly log: Logger,
  ) {
    this.registered = new Set(deviceStore.effectiveAddresses(options.configuredAddresses));
  }

  async start(): Promise<void> {
    this.link.onConnected(() => this.publishDeviceStatus());
    this.link.start();
    this.adapter.onStateChange((state) => this.onAdapterState(state));
    this.onAdapterState(this.adapter.state());
    this.reportTimer = setInterval(() => this.publishDeviceStatus(), this.options.deviceReportS * 1000);
    this.reportTimer.unref();
    await this.adapter.startScanning(HEALTH_SERVICES, (ad) => this.onAdvertisement(ad));
  }

  private onAdapterState(state: AdapterState): void {
    // Without an adapter noble flips between poweredOff and unsupported while it retries: say it once.
    const wasUnusable = this.lastLoggedState !== undefined && UNUSABLE.includes(this.lastLoggedState);
    if (UNUSABLE.includes(state) && wasUnusable) return;
    if (state === this.lastLoggedState) return;
    this.lastLoggedState = state;
    if (state === 'unknown') return; // noble's state before its first report: nothing to say yet
    if (state === 'unsupported' || state === 'unauthorized' || state === 'poweredOff') {
      this.log.error({ state }, 'no usable Bluetooth adapter: readings cannot be collected until one is available; delivery of stored readings goes on');
    } else {
      this.log.info({ state }, 'bluetooth adapter state');
    }
  }

  /** Called with the readings of each successful outbox append (tests and benchmarks count them). */
  onStored(listener: (readings: readonly Reading[]) => void): void {
    this.storedListeners.push(listener);
  }

  async registerDevice(address: string, label?: string): Promise<void> {
    await this.deviceStore.register(address, label);
    this.registered = new Set(this.deviceStore.effectiveAddresses(this.options.configuredAddresses));
  }

  async unregisterDevice(address: string): Promise<void> {
    await this.deviceStore.unregister(address);
    this.registered = new Set(this.deviceStore.effectiveAddresses(this.options.configuredAddresses));
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
    t.sighting = { lastSeenAt: Date.now(), rssi: ad.rssi };
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
        onReadings: (readings: Reading[]) => this.persist(readings),
        onDecodeError: (characteristic, reason) => {
          this.log.warn({ address, characteristic, reason }, 'device sent a value that could not be decoded');
          this.link.publishEvent({ v: 1, type: 'decode_failed', at: new Date().toISOString(), characteristic, reason: reason.slice(0, 500) });
        },
        lastGlucoseSequence: (deviceId) => this.deviceStore.lastGlucoseSequence(address, deviceId),
      });
      t.failures = 0;
      t.notBefore = Date.now() + this.options.cooldownMs;
      await this.remember(address, summary);
      this.log.info(
        {
          device: summary.deviceId,
          values: summary.values,
          readings: summary.readings,
          rejected: summary.rejected,
          ...(summary.clockOffsetS !== undefined && { clockOffsetS: summary.clockOffsetS }),
          ...(summary.clockSetAt && { clockSet: true }),
          ...(summary.glucose && { racpRequest: summary.glucose.request, racpResponse: summary.glucose.response }),
          ...(summary.notes.length > 0 && { notes: summary.notes }),
        },
        'device session done',
      );
      this.publishDeviceStatus();
    } catch (err) {
      t.failures++;
      // Exponential backoff (2 s, 4 s, ...), capped at 5 minutes, so a flaky device does not monopolise the radio.
      t.notBefore = Date.now() + backoffMs(t.failures, DEVICE_BACKOFF, Math.random);
      this.log.warn({ address, err: (err as Error).message, failures: t.failures }, 'device session failed');
    }
  }

  /** Persists what the session learnt; the glucose sequence only once its readings are in the outbox (they are: the session awaited them). */
  private async remember(address: string, s: SessionSummary): Promise<void> {
    const previous = this.deviceStore.device(address);
    const glucoseSequence = s.glucose?.complete ? (s.glucose.lastSequence ?? this.deviceStore.lastGlucoseSequence(address, s.deviceId)) : undefined;
    await this.deviceStore.updateDevice(address, {
      deviceId: s.deviceId,
      ...(s.device.manufacturer && { manufacturer: s.device.manufacturer }),
      ...(s.device.model && { model: s.device.model }),
      ...(s.device.firmware && { firmware: s.device.firmware }),
      ...(s.batteryPercent !== undefined && { batteryPercent: s.batteryPercent }),
      ...(s.clockOffsetS !== undefined && { clockOffsetS: s.clockOffsetS }),
      ...(s.clockSetAt && { clockSetAt: s.clockSetAt }),
      lastConnectedAt: new Date().toISOString(),
      ...(glucoseSequence !== undefined && { glucose: { deviceId: s.deviceId, lastSequence: glucoseSequence } }),
      ...(previous?.glucose && glucoseSequence === undefined && { glucose: previous.glucose }),
    });
  }

  private async persist(readings: Reading[]): Promise<void> {
    await this.outbox.append(readings);
    for (const l of this.storedListeners) l(readings);
    this.link.kick();
  }

  /** Publishes presence, battery and clock of every registered device (after sessions and periodically). */
  publishDeviceStatus(): void {
    if (this.stopping) return;
    this.link.publishDevices(
      deviceStatusReport({
        addresses: [...this.registered],
        known: (a) => this.deviceStore.device(a),
        sighting: (a) => this.devices.get(a)?.sighting,
        now: new Date(),
        presenceWindowS: this.options.presenceWindowS,
      }),
    );
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.reportTimer);
    await this.adapter.stopScanning();
    await Promise.allSettled([...this.sessions]);
    await this.link.stop();
    await this.adapter.close();
    await this.outbox.close();
  }
}
