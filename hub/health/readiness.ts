/**
 * Liveness and readiness of the hub, for /healthz and /readyz. Ready means a gateway's publish would
 * be acknowledged: the broker listens and the spool takes appends. InfluxDB being down does not make
 * the hub unready — the spool holds the readings and drains them later — so it is only reported.
 */
import type { SpoolStats } from '../spool/spool.js';
import type { DrainerState } from '../spool/drainer.js';

export interface ReadinessSources {
  readonly brokerListening: () => boolean;
  readonly spool: () => SpoolStats;
  readonly drainer: () => DrainerState;
  /** InfluxDB's /ping; resolves false when unreachable. */
  readonly pingInflux: () => Promise<boolean>;
  /** Redis of the broker cluster (hub/broker/redis-cluster.ts), when one is configured. */
  readonly redis?: () => { readonly connected: boolean; readonly downForSeconds: number };
}

export interface ReadinessReport {
  readonly ready: boolean;
  readonly broker: { readonly listening: boolean };
  readonly spool: { readonly writable: boolean; readonly pendingPoints: number; readonly oldestAgeSeconds: number };
  readonly influx: { readonly reachable: boolean; readonly writesFailing: boolean; readonly lastError?: string };
  /** Present in a cluster. Without Redis a new connection cannot get its session: not ready. */
  readonly redis?: { readonly connected: boolean; readonly downForSeconds: number };
}

const PING_TIMEOUT_MS = 1000;

export async function checkReadiness(sources: ReadinessSources): Promise<ReadinessReport> {
  const spool = sources.spool();
  const drainer = sources.drainer();
  const reachable = await Promise.race([
    sources.pingInflux().catch(() => false),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), PING_TIMEOUT_MS).unref()),
  ]);
  const listening = sources.brokerListening();
  const redis = sources.redis?.();
  return {
    ready: listening && spool.writable && (redis?.connected ?? true),
    broker: { listening },
    spool: { writable: spool.writable, pendingPoints: spool.pendingPoints, oldestAgeSeconds: Math.round(spool.oldestAgeSeconds * 10) / 10 },
    influx: {
      reachable,
      writesFailing: !drainer.influxReachable,
      ...(drainer.lastError !== undefined && !drainer.influxReachable && { lastError: drainer.lastError }),
    },
    ...(redis && { redis: { connected: redis.connected, downForSeconds: Math.round(redis.downForSeconds) } }),
  };
}
