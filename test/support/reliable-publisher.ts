/**
 * A publisher that behaves like a gateway's outbox: QoS 1, a bounded window of unacknowledged
 * messages, and after a lost connection it reconnects and sends again everything not yet
 * acknowledged. It records exactly which messages got their PUBACK, which is what durability tests
 * check against. Used by integration tests and the ingest benchmark (real mqtt.js clients).
 */
import mqtt, { type MqttClient } from 'mqtt';

export interface PublisherOptions {
  readonly url: string;
  readonly gatewayId: string;
  readonly secret: string;
  readonly topic: string;
  /** Unacknowledged messages allowed at once. */
  readonly window: number;
  /** Messages per second at most (paced evenly); unlimited when absent. */
  readonly ratePerSecond?: number;
  readonly reconnectDelayMs?: number;
  readonly mqttOptions?: mqtt.IClientOptions;
  /** Called on each PUBACK with the time since that publish was sent. */
  readonly onAck?: (index: number, latencyMs: number) => void;
}

const PENDING = 0;
const IN_FLIGHT = 1;
const ACKED = 2;

export class ReliablePublisher {
  /** Per message: 0 pending, 1 in flight, 2 acknowledged. */
  readonly state: Uint8Array;
  ackedCount = 0;
  connections = 0;
  private readonly retry: number[] = [];
  private nextIndex = 0;
  private generation = 0;
  private stopped = false;
  private client: MqttClient | undefined;
  private sent = 0;
  private startedAt = 0;

  constructor(
    private readonly options: PublisherOptions,
    private readonly payloads: readonly (string | Buffer)[],
  ) {
    this.state = new Uint8Array(payloads.length);
  }

  get done(): boolean {
    return this.ackedCount === this.payloads.length;
  }

  /** Resolves once every message is acknowledged, or after stop(). */
  async run(): Promise<void> {
    this.startedAt = performance.now();
    while (!this.done && !this.stopped) {
      let client: MqttClient;
      try {
        client = await mqtt.connectAsync(this.options.url, {
          clientId: `gw-${this.options.gatewayId}`,
          username: this.options.gatewayId,
          password: this.options.secret,
          protocolVersion: 4,
          clean: true,
          reconnectPeriod: 0,
          connectTimeout: 3000,
          ...this.options.mqttOptions,
        });
      } catch {
        await new Promise((r) => setTimeout(r, this.options.reconnectDelayMs ?? 100));
        continue;
      }
      // Nagle off: otherwise pipelined small publishes wait for ACKs (DESIGN.md, measured ~40 ms).
      (client.stream as { setNoDelay?: (on: boolean) => void }).setNoDelay?.(true);
      this.client = client;
      this.connections++;
      await this.pump(client);
      this.client = undefined;
      client.end(true);
    }
  }

  stop(): void {
    this.stopped = true;
    this.client?.end(true);
  }

  private take(): number | undefined {
    const retried = this.retry.shift();
    if (retried !== undefined) return retried;
    return this.nextIndex < this.payloads.length ? this.nextIndex++ : undefined;
  }

  private pump(client: MqttClient): Promise<void> {
    const generation = ++this.generation;
    const inFlight = new Set<number>();
    return new Promise<void>((resolve) => {
      let finished = false;
      let timer: NodeJS.Timeout | undefined;
      const finish = () => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        // Whatever was not acknowledged goes out again on the next connection, in order.
        for (const i of inFlight) if (this.state[i] === IN_FLIGHT) this.state[i] = PENDING;
        this.retry.push(...inFlight);
        this.retry.sort((a, b) => a - b);
        inFlight.clear();
        resolve();
      };
      const next = () => {
        if (finished) return;
        if (this.done || this.stopped) return finish();
        while (inFlight.size < this.options.window) {
          const rate = this.options.ratePerSecond;
          if (rate) {
            const due = this.startedAt + (this.sent / rate) * 1000;
            const wait = due - performance.now();
            if (wait > 1) {
              clearTimeout(timer);
              timer = setTimeout(next, wait);
              return;
            }
          }
          const i = this.take();
          if (i === undefined) return;
          inFlight.add(i);
          this.state[i] = IN_FLIGHT;
          this.sent++;
          const sentAt = performance.now();
          client.publish(this.options.topic, this.payloads[i]!, { qos: 1 }, (err) => {
            if (generation !== this.generation || finished) return;
            inFlight.delete(i);
            if (!err && this.state[i] !== ACKED) {
              this.state[i] = ACKED;
              this.ackedCount++;
              this.options.onAck?.(i, performance.now() - sentAt);
            } else if (err) {
              this.state[i] = PENDING;
              this.retry.push(i);
              // The connection is going away: resend on the next one rather than spin on this one.
              if (!client.connected) return finish();
            }
            next();
          });
        }
      };
      client.once('close', finish);
      next();
    });
  }
}
