/**
 * A lean simulated gateway for fleet load tests: one raw TCP socket speaking MQTT 3.1.1 through
 * mqtt-packet (the codec mqtt.js and Aedes use), a few hundred bytes of state, so one process can
 * hold tens of thousands of them. It behaves like a box where it matters to the hub: persistent
 * session (clean = false), client id gw-{id}, a retained Last Will, a retained online status and the
 * command subscription after every CONNACK, heartbeats, QoS 1 readings kept until their PUBACK and
 * sent again after a reconnect (the outbox), keep-alive pings, and jittered exponential reconnects
 * (contract/backoff.ts) — after a refusal (CONNACK 3: try later) too.
 */
import { connect, type Socket } from 'node:net';
import mqttPacket from 'mqtt-packet';
import { backoffMs, type Backoff } from '../../contract/backoff.js';
import { topics } from '../../contract/index.js';

export const FLEET_RECONNECT: Backoff = { baseMs: 1000, maxMs: 30_000, jitter: { kind: 'equal' } };

export interface LeanGatewayOptions {
  readonly gatewayId: string;
  readonly secret: string;
  readonly host: string;
  readonly port: number;
  /** Source address (127.0.0.x), so more than ~28,000 sockets fit on loopback. */
  readonly localAddress?: string;
  readonly keepaliveS: number;
  readonly random: () => number;
}

/** Counters shared by every gateway of a fleet. */
export interface FleetCounters {
  connected: number;
  /** TCP connections opened (every attempt, refused or not). */
  attempts: number;
  /** Attempts that never reached TCP (refused, reset, timed out). */
  tcpFailed: number;
  /** Attempts whose TCP connection closed before any CONNACK. */
  closedBeforeConnack: number;
  connects: number;
  refused: Record<number, number>;
  published: number;
  acked: number;
  disconnects: number;
  /** Commands received (QoS 1 publishes from the hub). */
  commands: number;
}

export function newCounters(): FleetCounters {
  return { connected: 0, attempts: 0, tcpFailed: 0, closedBeforeConnack: 0, connects: 0, refused: {}, published: 0, acked: 0, disconnects: 0, commands: 0 };
}

/** What a lean gateway measures (see LeanGateway.measure). */
export type FleetMeasurement = { readonly kind: 'blood_pressure' } | { readonly kind: 'spo2'; readonly percent: number };

/** The one device of each simulated home, as its readings name it (assign it to a patient to get alerts). */
export function fleetDeviceId(gatewayId: string): string {
  return `sn-${gatewayId}`;
}

let readingSeq = 0;

export class LeanGateway {
  private socket: Socket | undefined;
  private connectedNow = false;
  private attempt = 0;
  private stopped = false;
  private nextId = 1;
  /** Unacknowledged readings by packet id (the outbox). */
  private readonly pending = new Map<number, Buffer>();
  private reconnectTimer: NodeJS.Timeout | undefined;
  private pingTimer: NodeJS.Timeout | undefined;
  /** Time of the last CONNACK 0 (performance.now), for time-to-all-in. */
  connectedAt = 0;
  /** Commands (QoS 1 publishes from the hub) this gateway received. */
  commandsReceived = 0;
  /** Tries the last CONNACK took since the connection before it was lost (1 = the first try; 0 = a first start). */
  lastAttempts = 0;

  constructor(
    private readonly o: LeanGatewayOptions,
    private readonly counters: FleetCounters,
  ) {}

  get connected(): boolean {
    return this.connectedNow;
  }

  get unacknowledged(): number {
    return this.pending.size;
  }

  start(): void {
    this.stopped = false;
    this.open();
  }

  /** Drops the connection without DISCONNECT (as a lost line does); reconnects unless stopped. */
  drop(): void {
    this.socket?.destroy();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    clearInterval(this.pingTimer);
    if (this.socket && this.connectedNow) this.socket.end(mqttPacket.generate({ cmd: 'disconnect' }));
    else this.socket?.destroy();
  }

  /**
   * One reading, QoS 1, kept until acknowledged: a blood-pressure measurement in the normal range
   * by default, or an SpO2 reading of the given percentage (tests that need alerts). Returns its id.
   */
  measure(what: FleetMeasurement = { kind: 'blood_pressure' }): string {
    const at = new Date().toISOString();
    const seq = ++readingSeq;
    const id = `fleet-${this.o.gatewayId}-${process.pid}-${seq}`;
    const components =
      what.kind === 'spo2'
        ? [{ name: 'spo2', code: '59408-5', value: what.percent, unit: '%' }]
        : [
            { name: 'systolic', code: '8480-6', value: 120 + (seq % 30), unit: 'mm[Hg]' },
            { name: 'diastolic', code: '8462-4', value: 75 + (seq % 10), unit: 'mm[Hg]' },
          ];
    const payload = JSON.stringify({
      v: 1,
      sentAt: at,
      readings: [{ id, kind: what.kind, device: { id: fleetDeviceId(this.o.gatewayId) }, components, measuredAt: at, receivedAt: at, timeSource: 'device' }],
    });
    const messageId = this.takeId();
    const packet = mqttPacket.generate({ cmd: 'publish', topic: topics.readings(this.o.gatewayId), payload, qos: 1, messageId, retain: false, dup: false });
    this.pending.set(messageId, packet);
    this.counters.published++;
    if (this.connectedNow) this.socket?.write(packet);
    return id;
  }

  heartbeat(): void {
    if (this.connectedNow) this.publishStatus('heartbeat');
  }

  private takeId(): number {
    for (;;) {
      const id = this.nextId;
      this.nextId = (this.nextId % 65535) + 1;
      if (!this.pending.has(id)) return id;
    }
  }

  private publishStatus(reason: 'startup' | 'heartbeat'): void {
    const payload = JSON.stringify({ v: 1, state: 'online', at: new Date().toISOString(), reason, heartbeatS: 60 });
    // QoS 0 for the lean client's own status: nothing waits on its PUBACK.
    this.socket?.write(mqttPacket.generate({ cmd: 'publish', topic: topics.status(this.o.gatewayId), payload, qos: 0, retain: true, dup: false }));
  }

  private open(): void {
    this.counters.attempts++;
    const socket = connect({ host: this.o.host, port: this.o.port, noDelay: true, ...(this.o.localAddress && { localAddress: this.o.localAddress }) });
    this.socket = socket;
    const parser = mqttPacket.parser({ protocolVersion: 4 });
    let tcp = false;
    let answered = false;
    socket.once('connect', () => {
      tcp = true;
      socket.write(
        mqttPacket.generate({
          cmd: 'connect',
          protocolId: 'MQTT',
          protocolVersion: 4,
          clean: false,
          clientId: `gw-${this.o.gatewayId}`,
          keepalive: this.o.keepaliveS,
          username: this.o.gatewayId,
          password: Buffer.from(this.o.secret),
          will: { topic: topics.status(this.o.gatewayId), payload: Buffer.from(JSON.stringify({ v: 1, state: 'offline', at: new Date().toISOString(), reason: 'connection_lost' })), qos: 1, retain: true },
        }),
      );
    });
    socket.on('data', (chunk) => parser.parse(chunk));
    socket.on('error', () => undefined); // 'close' follows
    socket.on('close', () => {
      if (!tcp) this.counters.tcpFailed++;
      else if (!answered) this.counters.closedBeforeConnack++;
      this.closed();
    });
    parser.on('packet', (packet) => {
      if (packet.cmd === 'connack') {
        answered = true;
        this.lastAttempts = this.attempt;
        if (packet.returnCode !== 0) {
          this.counters.refused[packet.returnCode ?? -1] = (this.counters.refused[packet.returnCode ?? -1] ?? 0) + 1;
          socket.destroy();
          return;
        }
        this.connectedNow = true;
        this.attempt = 0;
        this.connectedAt = performance.now();
        this.counters.connected++;
        this.counters.connects++;
        socket.write(mqttPacket.generate({ cmd: 'subscribe', messageId: this.takeId(), subscriptions: [{ topic: topics.commands(this.o.gatewayId), qos: 1 }] }));
        this.publishStatus('startup');
        // The outbox again: everything not acknowledged, with DUP set.
        for (const p of this.pending.values()) {
          p[0] = p[0]! | 0x08;
          socket.write(p);
        }
        this.pingTimer = setInterval(() => socket.write(mqttPacket.generate({ cmd: 'pingreq' })), (this.o.keepaliveS * 1000) / 2);
        this.pingTimer.unref();
      } else if (packet.cmd === 'puback' && packet.messageId !== undefined && this.pending.delete(packet.messageId)) {
        this.counters.acked++;
      } else if (packet.cmd === 'publish' && packet.qos === 1 && packet.messageId !== undefined) {
        this.counters.commands++;
        this.commandsReceived++;
        socket.write(mqttPacket.generate({ cmd: 'puback', messageId: packet.messageId }));
      }
    });
  }

  private closed(): void {
    clearInterval(this.pingTimer);
    if (this.connectedNow) {
      this.connectedNow = false;
      this.counters.connected--;
      this.counters.disconnects++;
    }
    if (this.stopped) return;
    this.attempt++;
    this.reconnectTimer = setTimeout(() => this.open(), backoffMs(this.attempt, FLEET_RECONNECT, this.o.random));
    this.reconnectTimer.unref();
  }
}
