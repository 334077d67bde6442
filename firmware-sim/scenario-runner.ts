/**
 * Runs a resident scenario against a real hub in accelerated time. It speaks MQTT as the home's
 * gateway (a real mqtt.js client, QoS 1, the gateway's credentials and Last Will), and moves a
 * simulated clock in steps: each step publishes the readings and device reports due by then as
 * contract ReadingBatch / DeviceStatusReport messages with measuredAt on the simulated clock, a
 * heartbeat status, and then hands control to `afterStep` (the test waits for the hub to store and
 * the alert engine to act at that instant). A power loss kills the socket without DISCONNECT, so
 * the broker publishes the Last Will, exactly as when a box loses power.
 */
import mqtt, { type MqttClient } from 'mqtt';
import { componentsFor, topics, type GatewayStatus, type ReadingInput } from '../contract/index.js';
import type { Scenario, ScenarioEvent } from './physiology/scenarios/scenario.js';

/** The clock the hub, the alert engine and the runner share in a scenario test. */
export class SimClock {
  constructor(private current: Date) {}
  readonly now = (): Date => new Date(this.current.getTime());
  set(at: Date): void {
    if (at.getTime() < this.current.getTime()) throw new Error('the simulated clock only moves forward');
    this.current = new Date(at.getTime());
  }
}

export interface ScenarioRunnerOptions {
  readonly mqttUrl: string;
  readonly gatewayId: string;
  readonly secret: string;
  readonly clock: SimClock;
  /** Simulated time per step (default for runUntil). */
  readonly stepMs: number;
  /** The heartbeat interval the gateway announces (default stepMs); the hub calls it offline after 3 missed. */
  readonly heartbeatS?: number;
  /** Called after each step's messages were acknowledged, with the step's time. */
  readonly afterStep: (now: Date) => Promise<void>;
}

export class ScenarioRunner {
  private client: MqttClient | undefined;
  private next = 0;
  private powered = true;
  private connectedAt: Date | undefined;

  constructor(
    readonly scenario: Scenario,
    private readonly options: ScenarioRunnerOptions,
  ) {}

  get poweredOff(): boolean {
    return !this.powered;
  }

  /** Connects as the gateway (Last Will armed) and announces itself online. */
  async connect(mqttUrl: string = this.options.mqttUrl): Promise<void> {
    if (!this.powered) return;
    const now = this.options.clock.now();
    this.connectedAt = now;
    const will: GatewayStatus = { v: 1, state: 'offline', at: now.toISOString(), reason: 'connection_lost' };
    this.client = await mqtt.connectAsync(mqttUrl, {
      clientId: `gw-${this.options.gatewayId}`,
      username: this.options.gatewayId,
      password: this.options.secret,
      protocolVersion: 4,
      clean: true,
      reconnectPeriod: 0,
      will: { topic: topics.status(this.options.gatewayId), payload: Buffer.from(JSON.stringify(will)), qos: 1, retain: true },
    });
    await this.heartbeat('startup');
  }

  /** Ends the session cleanly (test teardown, or before a hub restart; the will is not sent). */
  async disconnect(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client) await client.endAsync();
  }

  /** Steps the clock to `until` (default: the scenario's end) in steps of `stepMs`, publishing what falls due. */
  async runUntil(until: Date = new Date(this.scenario.start.getTime() + this.scenario.durationMs), stepMs: number = this.options.stepMs): Promise<void> {
    const { clock } = this.options;
    while (clock.now().getTime() < until.getTime()) {
      const stepEnd = new Date(Math.min(until.getTime(), clock.now().getTime() + stepMs));
      clock.set(stepEnd);
      await this.publishDue(stepEnd);
      await this.options.afterStep(stepEnd);
    }
  }

  private due(until: Date): ScenarioEvent[] {
    const events = this.scenario.events;
    const out: ScenarioEvent[] = [];
    while (this.next < events.length && events[this.next]!.at.getTime() <= until.getTime()) out.push(events[this.next++]!);
    return out;
  }

  private async publishDue(now: Date): Promise<void> {
    const events = this.due(now);
    const readings: ReadingInput[] = [];
    for (const e of events) {
      if (!this.powered) break;
      if (e.type === 'reading') readings.push(this.reading(e));
      else if (e.type === 'devices') await this.publish(topics.devices(this.options.gatewayId), { v: 1, at: e.at.toISOString(), devices: e.devices });
      else if (e.type === 'power_loss') {
        await this.flush(readings, now);
        this.powerLoss();
      }
    }
    await this.flush(readings, now);
    if (this.powered) await this.heartbeat('heartbeat');
  }

  private async flush(readings: ReadingInput[], now: Date): Promise<void> {
    if (readings.length === 0 || !this.powered) return;
    const batch = readings.splice(0);
    for (let i = 0; i < batch.length; i += 1000) {
      await this.publish(topics.readings(this.options.gatewayId), { v: 1, sentAt: now.toISOString(), readings: batch.slice(i, i + 1000) });
    }
  }

  private reading(e: Extract<ScenarioEvent, { type: 'reading' }>): ReadingInput {
    const at = e.at.toISOString();
    return {
      // Stable: the same scenario always yields the same ids, as a device's stored records do.
      id: `sim-${this.scenario.name}-${e.kind}-${e.deviceId}-${e.at.getTime()}`,
      kind: e.kind,
      device: { id: e.deviceId },
      components: componentsFor(e.kind, e.values),
      measuredAt: at,
      receivedAt: at,
      timeSource: 'device',
    };
  }

  private async heartbeat(reason: 'startup' | 'heartbeat'): Promise<void> {
    const status: GatewayStatus = {
      v: 1,
      state: 'online',
      at: this.options.clock.now().toISOString(),
      reason,
      heartbeatS: this.options.heartbeatS ?? Math.max(1, Math.round(this.options.stepMs / 1000)),
      software: 'scenario-runner',
      ...(this.connectedAt ? { uptimeS: Math.round((this.options.clock.now().getTime() - this.connectedAt.getTime()) / 1000) } : {}),
    };
    await this.publish(topics.status(this.options.gatewayId), status, true);
  }

  private async publish(topic: string, body: unknown, retain = false): Promise<void> {
    if (!this.client) throw new Error('scenario runner: not connected');
    // QoS 1: resolves on the hub's PUBACK, i.e. once the hub has the message durably.
    await this.client.publishAsync(topic, JSON.stringify(body), { qos: 1, retain });
  }

  /** The box dies: the socket goes without DISCONNECT, so the broker publishes the Last Will. */
  private powerLoss(): void {
    this.powered = false;
    const client = this.client;
    this.client = undefined;
    client?.stream.destroy();
    client?.end(true);
  }
}
