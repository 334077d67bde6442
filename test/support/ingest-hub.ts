/**
 * A real hub in the test process for ingest, broker and metrics tests: Aedes on free ports, a fresh
 * InfluxDB database, simulated gateways in an in-memory registry, the ops listener, and its log
 * captured line by line (the hub's own redaction settings) so tests can check what it says.
 */
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createHubLogger } from '../../hub/log.js';
import { startHub, type HubOptions, type RunningHub } from '../../hub/hub.js';
import { MemoryRegistry } from '../../hub/registry/memory-registry.js';
import type { InfluxV1Client } from '../../hub/storage/influx-v1.js';
import { freshInfluxDatabase } from '../setup/influx.js';
import { seedFor, type SimGateway } from './ingest-load.js';
import { tempDir } from './temp-dir.js';

export interface IngestHub {
  readonly hub: RunningHub;
  readonly influx: InfluxV1Client;
  readonly mqttUrl: string;
  readonly opsUrl: string;
  /** Every log line the hub wrote (JSON), in order. */
  readonly logLines: string[];
  metrics(): Promise<string>;
  close(): Promise<void>;
}

export async function startIngestHub(gateways: readonly SimGateway[], overrides: Partial<Pick<HubOptions, 'mqtt' | 'spool'>> = {}): Promise<IngestHub> {
  const dir = await tempDir('ingest');
  const influx = await freshInfluxDatabase('ingest');
  const logLines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(chunk.toString('utf8'));
      done();
    },
  });
  const log = createHubLogger('info', sink);
  const hub = await startHub({
    dataDir: join(dir.path, 'hub'),
    mqtt: { host: '127.0.0.1', port: 0, ...overrides.mqtt },
    influx,
    registry: new MemoryRegistry(await seedFor(gateways)),
    log,
    ops: { host: '127.0.0.1', port: 0 },
    ...(overrides.spool && { spool: overrides.spool }),
  });
  const opsUrl = hub.opsUrl!;
  return {
    hub,
    influx,
    mqttUrl: `mqtt://127.0.0.1:${hub.mqttPort}`,
    opsUrl,
    logLines,
    metrics: async () => (await fetch(`${opsUrl}/metrics`)).text(),
    async close() {
      await hub.close();
      await dir.remove();
    },
  };
}
