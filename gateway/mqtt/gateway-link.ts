/**
 * The gateway's MQTT link to the hub: QoS 1, persistent session, per-gateway credentials, a retained
 * status with a Last Will, heartbeats, and the pump that moves readings from the outbox to the broker
 * and removes them only after PUBACK.
 */
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import type { Socket } from 'node:net';
import { topics, GatewayCommand, parseJson, parseWith, type DeviceStatusReport, type GatewayStatus, type GatewayEvent, type ReadingBatch } from '../../contract/index.js';
import type { FileOutbox } from '../outbox/outbox.js';
import type { Logger } from '../log.js';
import { reconnectDelayMs, serverOptions } from './hub-addresses.js';
import { replayDelayMs } from './replay-throttle.js';

export interface GatewayLinkOptions {
  readonly url: string;
  readonly gatewayId: string;
  readonly secret: string;
  readonly heartbeatS: number;
  readonly batchSize: number;
  /** Throttle for replaying a backlog after an outage, readings per second (0 = unlimited). */
  readonly replayRatePerS: number;
  readonly software: string;
  readonly timeZone: string;
  readonly tls?: { readonly ca?: string; readonly cert?: string; readonly key?: string; readonly rejectUnauthorized?: boolean };
  readonly bluetoothState: () => GatewayStatus['bluetooth'];
  /** Injected by tests of the replay throttle; real time otherwise. */
  readonly clock?: { now(): number; sleep(ms: number): Promise<void> };
}

const realClock = { now: () => Date.now(), sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)) };

export class GatewayLink {
  private client: MqttClient | undefined;
  private pumping = false;
  private kickAgain = false;
  private heartbeat: NodeJS.Timeout | undefined;
  private readonly startedAt = Date.now();
  private stopped = false;
  private readonly connectedListeners: (() => void)[] = [];

  constructor(
    private readonly options: GatewayLinkOptions,
    private readonly outbox: FileOutbox,
    private readonly log: Logger,
    private readonly onCommand: (command: GatewayCommand) => void = () => undefined,
  ) {}

  private status(state: GatewayStatus['state'], reason: GatewayStatus['reason']): GatewayStatus {
    const oldest = this.outbox.oldestMeasuredAt();
    return {
      v: 1,
      state,
      at: new Date().toISOString(),
      reason,
      software: this.options.software,
      heartbeatS: this.options.heartbeatS,
      uptimeS: Math.round((Date.now() - this.startedAt) / 1000),
      outboxDepth: this.outbox.depth,
      ...(oldest && { outboxOldestAt: oldest }),
      ...(this.options.bluetoothState() && { bluetooth: this.options.bluetoothState() }),
      timeZone: this.options.timeZone,
    };
  }

  start(): void {
    const { gatewayId } = this.options;
    const willPayload = () => {
      const will: GatewayStatus = { v: 1, state: 'offline', at: new Date().toISOString(), reason: 'connection_lost' };
      return Buffer.from(JSON.stringify(will));
    };
    const opts: IClientOptions = {
      clientId: `gw-${gatewayId}`,
      username: gatewayId,
      password: this.options.secret,
      // A persistent session: the broker keeps our command subscription and QoS 1 state across reconnects.
      clean: false,
      keepalive: 30,
      // Jittered exponential waits (hub-addresses.ts); mqtt.js reads this when a connection closes.
      reconnectPeriod: reconnectDelayMs(1),
      connectTimeout: 10_000,
      protocolVersion: 4,
      // [MQTT-3.1.2-8] the broker publishes the Will when the connection dies without a DISCONNECT.
      will: { topic: topics.status(gatewayId), payload: willPayload(), qos: 1, retain: true },
      ...(this.options.tls && {
        ca: this.options.tls.ca,
        cert: this.options.tls.cert,
        key: this.options.tls.key,
        rejectUnauthorized: this.options.tls.rejectUnauthorized ?? true,
      }),
    };
    const target = serverOptions(this.options.url);
    const client = mqtt.connect(target.url, { ...opts, ...target.options });
    this.client = client;
    // The wait before the next reconnect: mqtt.js arms its timer on 'close' before our listener runs,
    // so each close sets the delay of the one after it; a successful connect starts again from 1.
    let attempt = 1;
    client.on('connect', () => {
      attempt = 1;
      client.options.reconnectPeriod = reconnectDelayMs(1);
    });
    client.on('close', () => {
      attempt++;
      client.options.reconnectPeriod = reconnectDelayMs(attempt);
    });
    client.on('connect', () => {
      // Nagle's algorithm adds ~40 ms to each small message: turn it off (measured, see DESIGN.md).
      (client.stream as Partial<Socket>).setNoDelay?.(true);
      this.log.info({ url: `${client.options.protocol ?? 'mqtt'}://${client.options.host ?? ''}:${client.options.port ?? ''}` }, 'connected to hub');
      this.publishStatus('online', 'startup');
      client.subscribe(topics.commands(gatewayId), { qos: 1 }, (err) => {
        if (err) this.log.warn({ err: err.message }, 'command subscription failed');
      });
      this.kick();
      for (const l of this.connectedListeners) l();
    });
    // The Will's `at` says when the connection it guards was opened: renew it for the next one.
    client.on('close', () => {
      if (client.options.will) client.options.will.payload = willPayload();
    });
    client.on('message', (_topic, payload) => this.handleCommand(payload));
    // A hub unreachable for a week must not write a warning every reconnect attempt (up to every 60 s) to the
    // journal: the first occurrence of an error is a warning, repeats are debug until the next connect.
    let lastError: string | undefined;
    client.on('connect', () => {
      lastError = undefined;
    });
    client.on('error', (err) => {
      if (err.message === lastError) this.log.debug({ err: err.message }, 'mqtt error (repeated)');
      else this.log.warn({ err: err.message }, 'mqtt error');
      lastError = err.message;
    });
    client.on('offline', () => this.log.warn('hub unreachable; readings wait in the outbox'));
    this.heartbeat = setInterval(() => {
      // While offline a heartbeat would only queue up in memory; the next connect publishes a fresh status.
      if (client.connected) this.publishStatus('online', 'heartbeat');
      this.kick();
    }, this.options.heartbeatS * 1000);
  }

  /** Called after every (re)connection to the hub. */
  onConnected(listener: () => void): void {
    this.connectedListeners.push(listener);
  }

  get connected(): boolean {
    return this.client?.connected ?? false;
  }

  private handleCommand(payload: Buffer): void {
    const json = parseJson(payload);
    const parsed = json.ok ? parseWith(GatewayCommand, json.value) : json;
    if (!parsed.ok) {
      this.log.warn({ reason: parsed.reason }, 'ignored malformed command');
      return;
    }
    this.onCommand(parsed.value);
  }

  private publishStatus(state: GatewayStatus['state'], reason: GatewayStatus['reason']): void {
    this.client?.publish(topics.status(this.options.gatewayId), JSON.stringify(this.status(state, reason)), { qos: 1, retain: true });
  }

  publishEvent(event: GatewayEvent): void {
    // QoS 1 and queued by mqtt.js while offline: an outbox drop must reach the hub eventually.
    this.client?.publish(topics.events(this.options.gatewayId), JSON.stringify(event), { qos: 1 });
  }

  /** Device presence, battery and clock; a stale one is worthless, so only while connected. */
  publishDevices(report: DeviceStatusReport): void {
    if (this.client?.connected) this.client.publish(topics.devices(this.options.gatewayId), JSON.stringify(report), { qos: 1 });
  }

  /** Publishes whatever is in the outbox; safe to call often (one pump runs at a time). */
  kick(): void {
    if (this.pumping) {
      this.kickAgain = true;
      return;
    }
    this.pumping = true;
    void this.pump().finally(() => {
      this.pumping = false;
      if (this.kickAgain) {
        this.kickAgain = false;
        this.kick();
      }
    });
  }

  private async pump(): Promise<void> {
    const client = this.client;
    while (client?.connected && !this.stopped && this.outbox.depth > 0) {
      const batch = this.outbox.peek(this.options.batchSize);
      const message: ReadingBatch = { v: 1, sentAt: new Date().toISOString(), readings: batch.map((e) => e.reading) };
      const clock = this.options.clock ?? realClock;
      const started = clock.now();
      try {
        await client.publishAsync(topics.readings(this.options.gatewayId), JSON.stringify(message), { qos: 1 });
      } catch (err) {
        // Connection lost before PUBACK: the readings stay in the outbox and go again after reconnect.
        this.log.warn({ err: (err as Error).message, count: batch.length }, 'publish not acknowledged; will retry');
        return;
      }
      await this.outbox.ack(batch.map((e) => e.seq));
      const wait = replayDelayMs(batch.length, this.options.replayRatePerS, clock.now() - started);
      if (wait > 0) await clock.sleep(wait);
    }
  }

  /** Publishes a clean offline status (no Last Will needed) and disconnects. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.heartbeat);
    const client = this.client;
    if (!client) return;
    if (client.connected) {
      await client
        .publishAsync(topics.status(this.options.gatewayId), JSON.stringify(this.status('offline', 'shutdown')), { qos: 1, retain: true })
        .catch(() => undefined);
    }
    await client.endAsync(!client.connected);
  }
}
