/**
 * The hub's Prometheus metrics (prom-client, text exposition format 0.0.4). Its own registry, not the
 * global one, so that tests may run several hubs in one process. Counters kept elsewhere (IngestStats,
 * the spool) are read at scrape time; the broker and the drainer report events through observers.
 * The full list with meanings is in docs/ingestion.md.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { BrokerObserver, DisconnectReason, RefusalReason } from '../broker/broker.js';
import type { IngestStats } from '../ingest/ingest-stats.js';
import type { DrainObserver } from '../spool/drainer.js';
import type { SpoolStats } from '../spool/spool.js';
import type { WriteErrorKind } from '../spool/write-errors.js';

/** The audit trail's counters, read at scrape time (hub/audit/audit-trail.ts; it runs beside the API). */
export interface AuditMetricSource {
  readonly stats: { readonly written: number; readonly deadLettered: number; readonly storeFailures: number };
  readonly journalBacklog: { readonly entries: number; readonly bytes: number };
}

export interface MetricSources {
  readonly stats: IngestStats;
  readonly spool: () => SpoolStats;
  readonly connectedGateways: () => number;
}

/** Latency buckets, seconds: from a sub-millisecond fsync to a 10 s InfluxDB timeout. */
const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** A counter whose value lives elsewhere: set at scrape time from `read`. */
function mirroredCounter(registry: Registry, name: string, help: string, read: () => number): void {
  new Counter({
    name,
    help,
    registers: [registry],
    collect() {
      this.reset();
      this.inc(read());
    },
  });
}

export class HubMetrics implements BrokerObserver, DrainObserver {
  readonly registry = new Registry();
  private sources: MetricSources | undefined;
  private audit: AuditMetricSource | undefined;
  private readonly refusedConnections: Counter<'reason'>;
  private readonly disconnects: Counter<'reason'>;
  private readonly ingestLatency: Histogram<'outcome'>;
  private readonly writeLatency: Histogram<'outcome'>;
  private readonly writeErrors: Counter<'kind'>;
  private readonly pointsWritten: Counter;
  private readonly drainBatches: Counter;
  private readonly pointsDeadLettered: Counter;
  private readonly commitLatency: Histogram;

  constructor() {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    const stats = () => this.sources?.stats;
    mirroredCounter(this.registry, 'rpm_mqtt_messages_received_total', 'MQTT PUBLISH messages from gateways handed to ingest', () => stats()?.messages ?? 0);
    mirroredCounter(this.registry, 'rpm_readings_received_total', 'readings in well-formed batches, valid or not', () => stats()?.readingsReceived ?? 0);
    mirroredCounter(this.registry, 'rpm_readings_stored_total', 'valid readings made durable in the spool (acknowledged)', () => stats()?.readingsStored ?? 0);
    mirroredCounter(this.registry, 'rpm_readings_unassigned_total', 'stored readings whose device is assigned to no patient', () => stats()?.readingsUnassigned ?? 0);
    mirroredCounter(this.registry, 'rpm_readings_implausible_total', 'stored readings with a value outside the plausible range', () => stats()?.readingsImplausible ?? 0);
    new Counter({
      name: 'rpm_ingest_refused_total',
      help: 'input refused and kept as dead letters, by reason (invalid_reading counts readings; the other reasons count messages)',
      labelNames: ['reason'],
      registers,
      collect: function (this: Counter<'reason'>) {
        this.reset();
        for (const [reason, n] of stats()?.refused ?? []) this.inc({ reason }, n);
      },
    });
    const spool = (pick: (s: SpoolStats) => number) => () => (this.sources ? pick(this.sources.spool()) : 0);
    const gauge = (name: string, help: string, read: () => number) =>
      new Gauge({
        name,
        help,
        registers,
        collect() {
          this.set(read());
        },
      });
    gauge('rpm_spool_pending_points', 'points in the spool not yet confirmed by InfluxDB', spool((s) => s.pendingPoints));
    gauge('rpm_spool_pending_bytes', 'bytes of the spool not yet confirmed by InfluxDB', spool((s) => s.pendingBytes));
    gauge('rpm_spool_oldest_age_seconds', 'age of the oldest unconfirmed spool entry (0 when empty)', spool((s) => s.oldestAgeSeconds));
    gauge('rpm_spool_segments', 'segment files of the spool', spool((s) => s.segments));
    mirroredCounter(this.registry, 'rpm_spool_appends_total', 'appends made durable in the spool (one per message with readings)', spool((s) => s.appends));
    mirroredCounter(this.registry, 'rpm_spool_commits_total', 'spool write + fdatasync rounds (group commit: several appends each)', spool((s) => s.commits));
    gauge('rpm_mqtt_connected_gateways', 'MQTT clients connected now', () => this.sources?.connectedGateways() ?? 0);
    mirroredCounter(this.registry, 'rpm_audit_entries_written_total', 'audit entries written to the SQL audit log', () => this.audit?.stats.written ?? 0);
    mirroredCounter(
      this.registry,
      'rpm_audit_dead_letters_total',
      'audit entries the SQL store refused, kept in the audit dead-letter file (look at them: the log is incomplete without them)',
      () => this.audit?.stats.deadLettered ?? 0,
    );
    mirroredCounter(this.registry, 'rpm_audit_store_failures_total', 'failed writes to the SQL audit log (retried; the entries wait in the journal)', () => this.audit?.stats.storeFailures ?? 0);
    gauge('rpm_audit_journal_backlog_entries', 'audit entries in the local journal not yet in the SQL audit log', () => this.audit?.journalBacklog.entries ?? 0);
    gauge('rpm_audit_journal_bytes', 'bytes of the local audit journal (reads are refused beyond API_AUDIT_JOURNAL_MAX_BYTES)', () => this.audit?.journalBacklog.bytes ?? 0);

    this.refusedConnections = new Counter({ name: 'rpm_mqtt_connections_refused_total', help: 'MQTT connections refused, by reason', labelNames: ['reason'], registers });
    this.disconnects = new Counter({ name: 'rpm_mqtt_disconnects_total', help: 'MQTT connections closed by the hub, by reason', labelNames: ['reason'], registers });
    this.ingestLatency = new Histogram({
      name: 'rpm_puback_latency_seconds',
      help: 'time from a PUBLISH reaching the broker to its PUBACK (ingest + spool fsync), by outcome',
      labelNames: ['outcome'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.writeLatency = new Histogram({
      name: 'rpm_influx_write_duration_seconds',
      help: 'InfluxDB /write requests, by outcome',
      labelNames: ['outcome'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.writeErrors = new Counter({ name: 'rpm_influx_write_errors_total', help: 'failed InfluxDB writes, by kind', labelNames: ['kind'], registers });
    this.pointsWritten = new Counter({ name: 'rpm_influx_points_written_total', help: 'points InfluxDB confirmed', registers });
    this.drainBatches = new Counter({ name: 'rpm_spool_drain_batches_total', help: 'spool batches confirmed by InfluxDB', registers });
    this.pointsDeadLettered = new Counter({ name: 'rpm_influx_points_dead_lettered_total', help: 'points InfluxDB refused (400), kept as dead letters', registers });
    this.commitLatency = new Histogram({
      name: 'rpm_spool_commit_duration_seconds',
      help: 'spool write + fdatasync rounds (group commits); a slow disk shows here first',
      buckets: LATENCY_BUCKETS,
      registers,
    });
  }

  /** A spool group commit took `seconds`. */
  committed(seconds: number): void {
    this.commitLatency.observe(seconds);
  }

  /** Connects the scrape-time sources once the hub's parts exist. */
  bind(sources: MetricSources): void {
    this.sources = sources;
  }

  /** Connects the API's audit trail, once the API's services exist. */
  bindAudit(source: AuditMetricSource): void {
    this.audit = source;
  }

  connectionRefused(reason: RefusalReason): void {
    this.refusedConnections.inc({ reason });
  }

  disconnected(reason: DisconnectReason): void {
    this.disconnects.inc({ reason });
  }

  published(seconds: number, acked: boolean): void {
    this.ingestLatency.observe({ outcome: acked ? 'acked' : 'failed' }, seconds);
  }

  written(seconds: number, points: number, error: WriteErrorKind | undefined): void {
    this.writeLatency.observe({ outcome: error ? 'error' : 'ok' }, seconds);
    if (error) this.writeErrors.inc({ kind: error });
    else this.pointsWritten.inc(points);
  }

  batchDone(_points: number, deadLettered: number): void {
    this.drainBatches.inc();
    if (deadLettered > 0) this.pointsDeadLettered.inc(deadLettered);
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
