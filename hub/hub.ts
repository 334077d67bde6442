/**
 * The hub assembled: broker + ingest + storage. The API is started beside it by the rpm-hub binary.
 */
import { join } from 'node:path';
import { startBroker, type RunningBroker } from './broker/broker.js';
import { FileDeadLetterStore } from './dead-letters/dead-letter-store.js';
import { GatewayStateStore } from './ingest/gateway-state.js';
import { createIngest } from './ingest/ingest.js';
import { IngestStats } from './ingest/ingest-stats.js';
import type { Logger } from './log.js';
import type { DeviceDirectory, GatewayDirectory } from './registry/registry.js';
import type { InfluxV1Client } from './storage/influx-v1.js';
import { influxSink } from './storage/reading-sink.js';

export interface HubOptions {
  readonly dataDir: string;
  readonly mqtt: { readonly host: string; readonly port: number };
  readonly influx: InfluxV1Client;
  readonly registry: GatewayDirectory & DeviceDirectory;
  readonly log: Logger;
  readonly now?: () => Date;
}

export interface RunningHub {
  readonly broker: RunningBroker;
  readonly mqttPort: number;
  readonly stats: IngestStats;
  readonly gatewayState: GatewayStateStore;
  readonly deadLetters: FileDeadLetterStore;
  close(): Promise<void>;
}

export async function startHub(options: HubOptions): Promise<RunningHub> {
  const { log } = options;
  await options.influx.ensureDatabase();
  const stats = new IngestStats();
  const gatewayState = new GatewayStateStore();
  const deadLetters = new FileDeadLetterStore(join(options.dataDir, 'dead-letters.jsonl'));
  const ingest = createIngest({
    devices: options.registry,
    sink: influxSink(options.influx),
    deadLetters,
    gatewayState,
    stats,
    log,
    now: options.now ?? (() => new Date()),
  });
  const broker = await startBroker({ host: options.mqtt.host, port: options.mqtt.port, gateways: options.registry, ingest, log });
  return {
    broker,
    mqttPort: broker.port,
    stats,
    gatewayState,
    deadLetters,
    async close() {
      await broker.close();
      await deadLetters.close();
    },
  };
}
