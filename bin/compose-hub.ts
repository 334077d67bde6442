/**
 * Composition root of the care organisation's server: the hub (broker, ingest, storage) and the
 * dashboard API beside it, sharing the registry and InfluxDB. Used by `rpm-hub serve` and the demo.
 */
import type { Logger } from 'pino';
import { memoryApiServices, sqlApiServices } from './api-services/compose-services.js';
import { apiOptionsFrom, auditOptionsFrom, parseApiEnv } from '../dashboard-api/config.js';
import { startApiServer, type RunningApi } from '../dashboard-api/server.js';
import { readFile } from 'node:fs/promises';
import type { BrokerListenOptions } from '../hub/broker/broker.js';
import { influxAuthFrom, type HubEnv } from '../hub/config.js';
import { startHub, type RunningHub } from '../hub/hub.js';
import type { DeviceDirectory, GatewayDirectory, PatientDirectory, PatientSummary, TokenDirectory } from '../hub/registry/registry.js';
import { SqlRegistry } from '../hub/registry/sql-registry.js';
import { RoomSessions } from '../hub/rooms/room-sessions.js';
import { alertManagement } from '../hub/alerts/alert-api.js';
import { createAlertService, type AlertService } from '../hub/alerts/alert-service.js';
import { registryRules } from '../hub/alerts/patient-rules.js';
import { InProcessAlertEvents } from '../dashboard-api/memory/alert-events.js';
import { InfluxV1Client } from '../hub/storage/influx-v1.js';
import { AuditJournal } from '../hub/audit/audit-journal.js';
import { startAlertFanout, type AlertFanout } from '../hub/cluster/redis-alert-fanout.js';
import { SqlLease } from '../hub/cluster/sql-lease.js';

export type HubRegistry = GatewayDirectory & DeviceDirectory & PatientDirectory & TokenDirectory;

export interface RunningHubServer {
  readonly hub: RunningHub;
  readonly api: RunningApi;
  /** The alert engine; runs only on the SQL registry, where its state lives. */
  readonly alerts: AlertService | undefined;
  close(): Promise<void>;
}

/** Broker listeners and limits from the environment; TLS key material is read from the PEM files named there. */
export async function brokerListenOptions(env: HubEnv): Promise<BrokerListenOptions> {
  const pem = async (variable: string, path: string) => {
    try {
      return await readFile(path);
    } catch (err) {
      throw new Error(`cannot read ${variable} ${path}: ${(err as Error).message}`, { cause: err });
    }
  };
  return {
    host: env.MQTT_HOST,
    port: env.MQTT_PORT,
    maxPacketBytes: env.MQTT_MAX_PACKET_BYTES,
    connectAttemptsPerMinute: env.MQTT_CONNECT_RATE_PER_MIN,
    ...(env.MQTT_TLS_PORT !== undefined &&
      env.MQTT_TLS_CERT &&
      env.MQTT_TLS_KEY && {
        tls: {
          port: env.MQTT_TLS_PORT,
          cert: await pem('MQTT_TLS_CERT', env.MQTT_TLS_CERT),
          key: await pem('MQTT_TLS_KEY', env.MQTT_TLS_KEY),
          ...(env.MQTT_TLS_CA && { ca: await pem('MQTT_TLS_CA', env.MQTT_TLS_CA) }),
        },
      }),
    ...(env.MQTT_WS_PORT !== undefined && { ws: { port: env.MQTT_WS_PORT } }),
  };
}

/** `memoryPatients`: the patients the API lists when the registry is the in-memory one (the demo). */
export async function startHubServer(env: HubEnv, registry: HubRegistry, log: Logger, memoryPatients: readonly PatientSummary[] = []): Promise<RunningHubServer> {
  const apiEnv = parseApiEnv(process.env);
  if (!apiEnv.ok) throw new Error(apiEnv.message);
  const influx = new InfluxV1Client({
    url: env.INFLUX_URL,
    database: env.INFLUX_DATABASE,
    ...(env.INFLUX_GZIP_LEVEL !== undefined && { gzipLevel: env.INFLUX_GZIP_LEVEL }),
    ...(env.INFLUX_RETENTION_POLICY && { retentionPolicy: env.INFLUX_RETENTION_POLICY }),
    auth: influxAuthFrom(env),
  });
  // The hub reports stored patients to the engine, which is created after the API services it reads from.
  let alerts: AlertService | undefined;
  // Community rooms' check-in sessions: one instance for ingest (reads) and the API (check-in/out).
  const rooms = registry instanceof SqlRegistry ? new RoomSessions(registry.db) : undefined;
  await rooms?.refresh();
  rooms?.start(5_000, (err) => log.warn({ err }, 'reloading community room sessions failed; keeping the last known ones'));
  const hub = await startHub({
    ...(rooms && { rooms: rooms.lookup }),
    onStored: (patientIds) => alerts?.onStored(patientIds),
    dataDir: env.RPM_DATA_DIR,
    mqtt: await brokerListenOptions(env),
    influx,
    registry,
    log,
    spool: { maxBytes: env.SPOOL_MAX_BYTES },
    ops: { host: env.METRICS_HOST, port: env.METRICS_PORT },
    ...(env.HUB_REDIS_URL && { redis: { url: env.HUB_REDIS_URL, heartbeatIntervalMs: env.HUB_CLUSTER_HEARTBEAT_MS } }),
  });
  let api: RunningApi;
  let fanout: AlertFanout | undefined;
  try {
    const alertEvents = new InProcessAlertEvents();
    // Several hubs (HUB_REDIS_URL): alerts reach every hub's live stream; the engine's timers run on the lease holder.
    if (env.HUB_REDIS_URL) fanout = await startAlertFanout({ redisUrl: env.HUB_REDIS_URL, local: alertEvents, log: log.child({ part: 'alerts' }) });
    // The audit journal: entries are durable there before a request is answered (hub/audit/audit-journal.ts).
    const { journalDir, ...auditSettings } = auditOptionsFrom(apiEnv.config, env.RPM_DATA_DIR);
    const journal = await AuditJournal.open(journalDir, { log: log.child({ part: 'audit' }) });
    const audit = { ...auditSettings, journal };
    const parts = { influx, tokens: registry, devices: registry, gateways: hub.gatewayState, alertEvents, audit, log: log.child({ part: 'api' }) };
    let services = registry instanceof SqlRegistry ? sqlApiServices({ ...parts, db: registry.db, registry, ...(rooms && { rooms }) }) : memoryApiServices({ ...parts, patients: memoryPatients });
    hub.metrics.bindAudit(services.audit.trail);
    if (registry instanceof SqlRegistry) {
      alerts = createAlertService({
        db: registry.db,
        influx,
        patients: services.patients,
        gateways: hub.gatewayState,
        rules: registryRules(registry.db),
        aedes: hub.broker.aedes,
        sse: fanout?.sink ?? alertEvents,
        log: log.child({ part: 'alerts' }),
        tickEveryMs: env.ALERT_TICK_MS,
        fullEvaluationMs: env.ALERT_FULL_EVALUATION_MS,
        outboxLeaseMs: env.ALERT_OUTBOX_LEASE_MS,
        ...(env.HUB_REDIS_URL && {
          lease: new SqlLease({ db: registry.db, name: 'alert-engine', ttlMs: env.CLUSTER_LEASE_TTL_MS, log: log.child({ part: 'lease' }), onAcquired: () => void alerts?.engine.tick() }),
        }),
        ...(env.SMTP_URL && { smtp: { url: env.SMTP_URL, from: env.ALERT_EMAIL_FROM } }),
        ...(env.DASHBOARD_URL && { dashboardUrl: env.DASHBOARD_URL }),
      });
      const management = alertManagement(alerts);
      const engine = alerts;
      // A stored questionnaire response is evaluated at once, as stored readings are.
      const questionnaires = services.questionnaires && { ...services.questionnaires, onAnswered: (patientId: string) => engine.onStored([patientId]) };
      services = { ...services, alerts: management, alertManagement: management, ...(questionnaires && { questionnaires }), onObservationsStored: (ids) => engine.onStored(ids) };
    }
    const apiLog = log.child({ part: 'api' });
    api = await startApiServer(services, { ...(await apiOptionsFrom(apiEnv.config, apiLog)), host: env.API_HOST, port: env.API_PORT, logger: apiLog });
    await alerts?.start();
  } catch (err) {
    await alerts?.stop();
    rooms?.stop();
    await fanout?.close();
    await hub.close();
    throw err;
  }
  return {
    hub,
    api,
    alerts,
    async close() {
      // The engine stops first so no evaluation runs against a closing hub.
      await alerts?.stop();
      rooms?.stop();
      await api.close();
      await fanout?.close();
      await hub.close();
    },
  };
}
