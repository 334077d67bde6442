/**
 * The alert side of the hub assembled: engine, stores on SqlDb, the notification outbox and its
 * channels (webhook always; e-mail with SMTP configured; MQTT with the hub's broker; SSE with the
 * API's event bus). The composition root creates it and passes `onStored` to the hub.
 */
import type { Logger } from '../log.js';
import { DEFAULT_RETRY, type RetryPolicy } from '../notify/backoff.js';
import { emailChannel, type SmtpConfig } from '../notify/email-channel.js';
import { mqttChannel, type AlertPublisher } from '../notify/mqtt-channel.js';
import type { Channel, ChannelName } from '../notify/notification.js';
import { OutboxWorker } from '../notify/outbox-worker.js';
import { sseChannel, type AlertMessageSink } from '../notify/sse-channel.js';
import { SqlOutboxStore } from '../notify/sql-outbox-store.js';
import { webhookChannel } from '../notify/webhook-channel.js';
import type { SqlLease } from '../cluster/sql-lease.js';
import type { SqlDb } from '../sql/sql-db.js';
import type { InfluxV1Client } from '../storage/influx-v1.js';
import type { AlertPatients } from './engine-deps.js';
import { AlertEngine } from './engine.js';
import type { GatewayStatusSource } from './home-status.js';
import { idFactory } from './messages.js';
import { influxPatientReadings, type PatientReadingsSource } from './patient-readings.js';
import { alertTableRules, type PatientRulesStore } from './patient-rules.js';
import { SqlAlertConfigStore } from './sql-config-store.js';
import { SqlAlertStore } from './sql-alert-store.js';
import { createAlertQuality, type AlertQuality } from './quality/alert-quality.js';
import { influxBacktestReadings } from './quality/backtest-readings.js';
import { questionnaireAnswersSource } from '../questionnaires/answered-source.js';
import { sqlQuestionnaireStore } from '../questionnaires/sql-questionnaire-store.js';

export interface AlertServiceOptions {
  readonly db: SqlDb;
  readonly influx?: InfluxV1Client;
  /** Instead of `influx` (tests). */
  readonly readings?: PatientReadingsSource;
  readonly patients: AlertPatients;
  /** Where patients' rule configurations are (default: the engine's own table; registryRules(db) with the SQL registry). */
  readonly rules?: PatientRulesStore;
  readonly gateways: GatewayStatusSource;
  readonly log: Logger;
  /** The engine's clock (accelerated in scenario tests). */
  readonly now?: () => Date;
  readonly aedes?: AlertPublisher;
  readonly sse?: AlertMessageSink;
  readonly smtp?: SmtpConfig;
  readonly dashboardUrl?: string;
  readonly retry?: RetryPolicy;
  readonly random?: () => number;
  readonly tickEveryMs?: number;
  readonly fullEvaluationMs?: number;
  readonly concurrency?: number;
  /** See AlertEngineOptions.minIntervalMs (0 in accelerated-time tests). */
  readonly minIntervalMs?: number;
  readonly maxEvaluationsPerSecond?: number;
  readonly outboxPollMs?: number;
  /** How long a claim on a notification being sent lasts (OutboxWorkerOptions.leaseMs). */
  readonly outboxLeaseMs?: number;
  /** Wall-clock budget of one back-test (default 30 s). */
  readonly backtestDeadlineMs?: number;
  /** Several hubs: the engine's timers run only on the lease holder (hub/cluster/sql-lease.ts). */
  readonly lease?: SqlLease;
}

export interface AlertService {
  readonly engine: AlertEngine;
  readonly outbox: OutboxWorker;
  readonly store: SqlAlertStore;
  readonly config: SqlAlertConfigStore;
  readonly outboxStore: SqlOutboxStore;
  readonly rules: PatientRulesStore;
  /** Analytics and back-tests (issue #14). */
  readonly quality: AlertQuality;
  /** The hub's onStored hook. */
  onStored(patientIds: readonly string[]): void;
  /** Starts the outbox worker and the engine's timer (which first catches up). */
  start(): Promise<void>;
  /** Engine and outbox idle (tests step the clock after this). */
  settled(): Promise<void>;
  stop(): Promise<void>;
}

export function createAlertService(o: AlertServiceOptions): AlertService {
  const now = o.now ?? (() => new Date());
  const store = new SqlAlertStore(o.db);
  const config = new SqlAlertConfigStore(o.db);
  const outboxStore = new SqlOutboxStore(o.db);
  const rules = o.rules ?? alertTableRules(config);
  const email = o.smtp ? emailChannel(o.smtp) : undefined;
  const channels: Partial<Record<ChannelName, Channel>> = {
    webhook: webhookChannel(),
    ...(email ? { email } : {}),
    ...(o.aedes ? { mqtt: mqttChannel(o.aedes) } : {}),
    ...(o.sse ? { sse: sseChannel(o.sse) } : {}),
  };
  const outbox = new OutboxWorker({ store: outboxStore, channels, log: o.log, now, retry: o.retry ?? DEFAULT_RETRY, ...(o.random ? { random: o.random } : {}), ...(o.outboxPollMs ? { pollMs: o.outboxPollMs } : {}), ...(o.outboxLeaseMs ? { leaseMs: o.outboxLeaseMs } : {}) });
  const readings = o.readings ?? (o.influx ? influxPatientReadings(o.influx) : undefined);
  if (!readings) throw new Error('createAlertService: give `influx` or `readings`');
  const engine = new AlertEngine({
    store,
    config,
    rules,
    state: config,
    patients: o.patients,
    readings,
    questionnaires: questionnaireAnswersSource(sqlQuestionnaireStore(o.db)),
    gateways: o.gateways,
    log: o.log,
    now,
    newAlertId: idFactory('al', now),
    newNotificationId: idFactory('nt', now),
    broadcast: [...(o.aedes ? (['mqtt'] as const) : []), ...(o.sse ? (['sse'] as const) : [])],
    onNotifications: () => outbox.kick(),
    ...(o.dashboardUrl ? { dashboardUrl: o.dashboardUrl } : {}),
    ...(o.tickEveryMs ? { tickEveryMs: o.tickEveryMs } : {}),
    ...(o.fullEvaluationMs ? { fullEvaluationMs: o.fullEvaluationMs } : {}),
    ...(o.concurrency ? { concurrency: o.concurrency } : {}),
    ...(o.minIntervalMs !== undefined ? { minIntervalMs: o.minIntervalMs } : {}),
    ...(o.maxEvaluationsPerSecond !== undefined ? { maxEvaluationsPerSecond: o.maxEvaluationsPerSecond } : {}),
    ...(o.lease ? { lease: o.lease } : {}),
  });
  const quality = createAlertQuality({
    db: o.db,
    patients: o.patients,
    rules,
    config,
    ...(o.influx ? { readings: influxBacktestReadings(o.influx) } : {}),
    // InfluxDB's retention runs on the wall clock, whatever the engine's clock says.
    now: () => new Date(),
    ...(o.backtestDeadlineMs ? { backtestDeadlineMs: o.backtestDeadlineMs } : {}),
  });
  return {
    engine,
    outbox,
    store,
    config,
    outboxStore,
    rules,
    quality,
    onStored: (ids) => engine.onStored(ids),
    async start() {
      outbox.start();
      await engine.start();
      // Becoming holder (at start or when another hub died) catches up at once on what fell due.
      await o.lease?.start();
    },
    async settled() {
      // Evaluations enqueue notifications and kick the worker; wait until both are quiet.
      for (let i = 0; i < 10; i++) {
        await engine.settled();
        await outbox.settled();
        await engine.settled();
        if (!outbox.busy) return;
      }
    },
    async stop() {
      await engine.stop();
      await o.lease?.stop();
      await outbox.stop();
      email?.close();
    },
  };
}
