/**
 * A lean simulated gateway for the ingest benchmark: a real MQTT 3.1.1 client on a real TCP socket
 * (CONNECT with the gateway's credentials, QoS 1 PUBLISH with packet ids, a window of unacknowledged
 * messages, PUBACKs matched by id), built on mqtt-packet — the codec mqtt.js and Aedes use — with
 * the PUBLISH packets encoded before the clock starts.
 *
 * Why: on this 2-core machine the load generator shares the CPU with the hub and influxd. mqtt.js
 * costs about 5 µs of CPU per reading published (10 a message), a third of what the hub costs, and
 * real gateways run on their own boxes. This client costs a fraction of that, so the benchmark
 * measures the hub rather than its load generator. `BENCH_CLIENT=mqttjs` uses mqtt.js instead.
 *
 * Unlike ReliablePublisher it does not reconnect: the benchmark's phases never drop connections,
 * and a lost connection fails the run (every message must be acknowledged).
 */
import { connect } from 'node:net';
import mqttPacket from 'mqtt-packet';
import type { PublisherOptions } from '../../test/support/reliable-publisher.js';

/** ReliablePublisher's options, less those about reconnecting (this client does not). */
export type LeanPublisherOptions = Omit<PublisherOptions, 'reconnectDelayMs' | 'mqttOptions'>;

export class LeanPublisher {
  ackedCount = 0;
  private readonly packets: Buffer[];
  private readonly sentAt: Float64Array;
  private next = 0;
  private inFlight = 0;

  constructor(
    private readonly options: LeanPublisherOptions,
    payloads: readonly (string | Buffer)[],
  ) {
    // Packet ids 1..65535; index i uses id (i % 65535) + 1, unique within any window.
    this.packets = payloads.map((payload, i) => mqttPacket.generate({ cmd: 'publish', topic: options.topic, payload, qos: 1, messageId: (i % 65535) + 1, retain: false, dup: false }));
    this.sentAt = new Float64Array(payloads.length);
  }

  async run(): Promise<void> {
    const url = new URL(this.options.url);
    const socket = connect({ host: url.hostname, port: Number(url.port), noDelay: true });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    const parser = mqttPacket.parser({ protocolVersion: 4 });
    const done = new Promise<void>((resolve, reject) => {
      const fail = (why: string) => reject(new Error(`${this.options.gatewayId}: ${why} after ${this.ackedCount} of ${this.packets.length} acknowledged`));
      socket.on('close', () => (this.ackedCount === this.packets.length ? resolve() : fail('connection closed')));
      socket.on('error', () => undefined); // 'close' follows and decides
      let startedAt = 0;
      // Message index by packet id, for the messages in flight (-1: none).
      const byId = new Int32Array(65536).fill(-1);
      // One pacing timer at most: every PUBACK calls pump(), and a timer per call would pile up.
      let paced: NodeJS.Timeout | undefined;
      const pump = () => {
        const rate = this.options.ratePerSecond;
        while (this.inFlight < this.options.window && this.next < this.packets.length) {
          if (rate) {
            const wait = startedAt + (this.next / rate) * 1000 - performance.now();
            if (wait > 1) {
              paced ??= setTimeout(() => {
                paced = undefined;
                pump();
              }, wait);
              return;
            }
          }
          const i = this.next++;
          this.inFlight++;
          byId[(i % 65535) + 1] = i;
          this.sentAt[i] = performance.now();
          socket.write(this.packets[i]!);
        }
      };
      parser.on('packet', (packet) => {
        if (packet.cmd === 'connack') {
          if (packet.returnCode !== 0) return fail(`CONNACK ${packet.returnCode}`);
          startedAt = performance.now();
          return pump();
        }
        if (packet.cmd !== 'puback') return;
        const i = byId[packet.messageId ?? 0] ?? -1;
        if (i < 0) return fail(`PUBACK for id ${packet.messageId}, which is not in flight`);
        byId[packet.messageId!] = -1;
        this.inFlight--;
        this.ackedCount++;
        this.options.onAck?.(i, performance.now() - this.sentAt[i]!);
        if (this.ackedCount === this.packets.length) socket.end(mqttPacket.generate({ cmd: 'disconnect' }));
        else pump();
      });
      parser.on('error', (err: Error) => fail(`bad packet from the broker: ${err.message}`));
      // The PUBACKs of one read free several slots: their PUBLISHes leave in one write, as a client
      // that corks its socket sends them (one syscall instead of one per message).
      socket.on('data', (chunk: Buffer) => {
        socket.cork();
        parser.parse(chunk);
        socket.uncork();
      });
    });
    socket.write(
      mqttPacket.generate({
        cmd: 'connect',
        protocolId: 'MQTT',
        protocolVersion: 4,
        clientId: `gw-${this.options.gatewayId}`,
        clean: true,
        keepalive: 60,
        username: this.options.gatewayId,
        password: Buffer.from(this.options.secret),
      }),
    );
    await done;
  }
}
