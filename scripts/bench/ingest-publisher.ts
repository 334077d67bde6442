/**
 * A publisher process for the ingest benchmark (forked by ingest.ts, so the simulated gateways do
 * not share the hub's or the orchestrator's event loop). Each simulated gateway is a real mqtt.js
 * client publishing QoS 1 batches through ReliablePublisher. Protocol over IPC:
 *   parent -> {type:'load', ...PublisherJob}   child -> {type:'loaded'}
 *   parent -> {type:'go'}                       child -> {type:'done', ...PublisherResult}
 */
import { readingPayloads, type SimGateway } from '../../test/support/ingest-load.js';
import { ReliablePublisher } from '../../test/support/reliable-publisher.js';
import { LeanPublisher } from './lean-publisher.js';

export interface PublisherJob {
  readonly url: string;
  readonly runId: string;
  readonly gateways: readonly SimGateway[];
  readonly messagesPerGateway: number;
  readonly perMessage: number;
  readonly t0: number;
  readonly window: number;
  /** Messages per second per gateway; unlimited when absent. */
  readonly ratePerGateway?: number;
  /** Publish here instead of each gateway's readings topic (the bare-broker baseline). */
  readonly topic?: string;
  /** The MQTT client the simulated gateways use: lean-publisher.ts (default) or mqtt.js. */
  readonly client?: 'lean' | 'mqttjs';
}

export interface PublisherResult {
  readonly acked: number;
  readonly startedAt: number;
  readonly endedAt: number;
  /** PUBACK latency of every message, ms. */
  readonly latencies: number[];
  /** CPU time this process used while publishing (user + system), ms. */
  readonly cpuMs: number;
}

type Message = ({ type: 'load' } & PublisherJob) | { type: 'go' };

let publishers: { run(): Promise<void>; readonly ackedCount: number }[] = [];
const latencies: number[] = [];

process.on('message', (message: Message) => {
  if (message.type === 'load') {
    publishers = message.gateways.map((g) => {
      const options = {
        url: message.url,
        gatewayId: g.gatewayId,
        secret: g.secret,
        topic: message.topic ?? `rpm/v1/gw/${g.gatewayId}/readings`,
        window: message.window,
        ...(message.ratePerGateway !== undefined && { ratePerSecond: message.ratePerGateway }),
        onAck: (_i: number, ms: number) => latencies.push(ms),
      };
      const payloads = readingPayloads(message.runId, g, message.messagesPerGateway, message.perMessage, message.t0);
      return message.client === 'mqttjs' ? new ReliablePublisher(options, payloads) : new LeanPublisher(options, payloads);
    });
    process.send?.({ type: 'loaded' });
    return;
  }
  const startedAt = Date.now();
  const cpu = process.cpuUsage();
  void Promise.all(publishers.map((p) => p.run())).then(() => {
    const used = process.cpuUsage(cpu);
    const cpuMs = (used.user + used.system) / 1000;
    const result: PublisherResult = { acked: publishers.reduce((n, p) => n + p.ackedCount, 0), startedAt, endedAt: Date.now(), latencies, cpuMs };
    process.send?.({ type: 'done', ...result }, () => process.exit(0));
  });
});
