/**
 * The hub assembled: broker + ingest + spool + drainer to InfluxDB, with metrics and the ops
 * listener. The API is started beside it by the rpm-hub binary.
 *
 * Start-up reopens the spool (recovering from a crash) and starts draining its backlog before the
 * broker accepts connections; InfluxDB being down at start-up does not stop the hub.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { notifyingWrite, type OnStored } from './alerts/stored-hook.js';
import { startBroker, type BrokerListenOptions, type RunningBroker } from './broker/broker.js';
import { createBrokerCluster } from './broker/redis-cluster.js';
import { redisVerifiedCache } from './cluster/redis-verified-cache.js';
import { shareVerifiedSecrets } from './registry/secrets.js';
import { FileDeadLetterStore } from './dead-letters/dead-letter-store.js';
import { checkReadiness } from './health/readiness.js';
import { GatewayStateStore } from './ingest/gateway-state.js';
import { createIngest } from './ingest/ingest.js';
import { IngestStats } from './ingest/ingest-stats.js';
import { applyRemoteGatewayMessage } from './ingest/remote-gateway-state.js';
import type { Logger } from './log.js';
import { HubMetrics } from './metrics/hub-metrics.js';
import { startOpsServer, type RunningOpsServer } from './metrics/ops-server.js';
import type { DeviceDirectory, GatewayDirectory } from './registry/registry.js';
import type { RoomSessionLookup } from './rooms/room-session-index.js';
import { Drainer } from './spool/drainer.js';
import { rejectedPointLetters } from './spool/rejected-letters.js';
import { Spool, type SpoolOptions } from './spool/spool.js';
import type { BackoffPolicy } from './spool/write-errors.js';
import type { InfluxV1Client } from './storage/influx-v1.js';
import { ensureDatabaseAtStartup } from './storage/influx-startup.js';
import { spoolSink } from './storage/reading-sink.js';

export interface SpoolTuning extends Pick<SpoolOptions, 'segmentBytes' | 'maxBytes' | 'memoryBytes' | 'checkpointEveryMs'> {
  readonly maxBatchPoints?: number;
  readonly maxInFlight?: number;
  readonly backoff?: BackoffPolicy;
  /** How long close() keeps draining to InfluxDB before leaving the rest in the spool; default 5 s. */
  readonly flushOnCloseMs?: number;
}

export interface HubOptions {
  readonly dataDir: string;
  readonly mqtt: BrokerListenOptions;
  readonly influx: InfluxV1Client;
  readonly registry: GatewayDirectory & DeviceDirectory;
  readonly log: Logger;
  readonly now?: () => Date;
  readonly spool?: SpoolTuning;
  /** Hears which patients have new readings in InfluxDB (the alert engine's trigger, hub/alerts/stored-hook.ts). */
  readonly onStored?: OnStored;
  /** Serve /metrics, /healthz and /readyz on this address (hub/metrics/ops-server.ts); off when absent. */
  readonly ops?: { readonly host: string; readonly port: number };
  /** Community rooms' check-in sessions, for readings from shared devices (hub/rooms). */
  readonly rooms?: RoomSessionLookup;
  /** Share broker state with other hubs through this Redis (hub/broker/redis-cluster.ts); absent: a single hub. */
  readonly redis?: { readonly url: string; readonly heartbeatIntervalMs?: number };
}

export interface RunningHub {
  readonly broker: RunningBroker;
  readonly mqttPort: number;
  readonly stats: IngestStats;
  readonly gatewayState: GatewayStateStore;
  readonly deadLetters: FileDeadLetterStore;
  readonly spool: Spool;
  readonly drainer: Drainer;
  readonly metrics: HubMetrics;
  /** Base URL of the ops listener, when `ops` was given. */
  readonly opsUrl: string | undefined;
  close(): Promise<void>;
}

export async function startHub(options: HubOptions): Promise<RunningHub> {
  const { log, influx } = options;
  const now = options.now ?? (() => new Date());
  await mkdir(options.dataDir, { recursive: true });
  // The spool holds readings until InfluxDB takes them; the drainer creates the database on a 404.
  await ensureDatabaseAtStartup(influx, log);
  const stats = new IngestStats();
  const gatewayState = new GatewayStateStore();
  const deadLetters = new FileDeadLetterStore(join(options.dataDir, 'dead-letters.jsonl'));
  const metrics = new HubMetrics();
  const spool = await Spool.open({ dir: join(options.dataDir, 'spool'), log, ...options.spool, onCommit: (seconds) => metrics.committed(seconds) });
  const drainer = new Drainer({
    spool,
    write: notifyingWrite((body) => influx.write(body), options.onStored),
    deadLetter: async (points) => {
      stats.refuse('influx_rejected', points.length);
      await deadLetters.add(rejectedPointLetters(points, now()));
    },
    onNotFound: () => influx.ensureDatabase(),
    log,
    observer: metrics,
    ...(options.spool?.maxBatchPoints !== undefined && { maxBatchPoints: options.spool.maxBatchPoints }),
    ...(options.spool?.maxInFlight !== undefined && { maxInFlight: options.spool.maxInFlight }),
    ...(options.spool?.backoff && { backoff: options.spool.backoff }),
  });
  const ingest = createIngest({ devices: options.registry, sink: spoolSink(spool), deadLetters, gatewayState, stats, log, now, ...(options.rooms && { rooms: options.rooms }) });

  const cluster = options.redis && createBrokerCluster({ redisUrl: options.redis.url, log, ...(options.redis.heartbeatIntervalMs && { heartbeatIntervalMs: options.redis.heartbeatIntervalMs }) });
  // A restarted hub lets known boxes in without an scrypt each: the cluster remembers who verified.
  const verifiedCache = options.redis && redisVerifiedCache(options.redis.url);
  if (verifiedCache) shareVerifiedSecrets(verifiedCache);
  let broker: RunningBroker;
  try {
    broker = await startBroker({
      ...options.mqtt,
      gateways: options.registry,
      ingest,
      log,
      observer: metrics,
      ...(cluster && {
        cluster,
        onRemoteGatewayMessage: (channel, gatewayId, payload) => applyRemoteGatewayMessage(gatewayState, channel, gatewayId, payload, new Date()),
        lastOnlineAt: (gatewayId) => {
          const view = gatewayState.get(gatewayId);
          return view?.status?.state === 'online' && view.statusReceivedAt ? Date.parse(view.statusReceivedAt) : undefined;
        },
      }),
    });
  } catch (err) {
    await cluster?.close();
    verifiedCache?.close();
    await drainer.stop(0);
    await spool.close();
    await deadLetters.close();
    throw err;
  }
  metrics.bind({ stats, spool: () => spool.stats(), connectedGateways: () => broker.connectedGateways() });

  let ops: RunningOpsServer | undefined;
  if (options.ops) {
    try {
      ops = await startOpsServer({
        ...options.ops,
        metrics,
        log,
        readiness: () =>
          checkReadiness({
            brokerListening: () => broker.listening(),
            spool: () => spool.stats(),
            drainer: () => drainer.state(),
            pingInflux: () => influx.ping(),
            ...(cluster && { redis: () => ({ connected: cluster.connected(), downForSeconds: cluster.downForSeconds() }) }),
          }),
      });
    } catch (err) {
      // Taking readings matters more than being watched: run on, but say so loudly.
      log.error({ err, port: options.ops.port }, 'ops endpoints (/metrics, /healthz, /readyz) not served: is METRICS_PORT taken?');
    }
  }

  return {
    broker,
    mqttPort: broker.port,
    stats,
    gatewayState,
    deadLetters,
    spool,
    drainer,
    metrics,
    opsUrl: ops?.url,
    async close() {
      // Stop taking publishes, send what InfluxDB takes within the flush window, keep the rest on disk.
      await broker.close();
      await cluster?.close();
      if (verifiedCache) {
        shareVerifiedSecrets(undefined);
        verifiedCache.close();
      }
      await drainer.stop(options.spool?.flushOnCloseMs ?? 5000);
      await spool.close();
      await deadLetters.close();
      await ops?.close();
    },
  };
}
