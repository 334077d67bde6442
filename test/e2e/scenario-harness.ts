/**
 * A world for scenario tests, on real servers: the hub (Aedes on TCP, ingest, spool, InfluxDB), the
 * alert service on PGlite (a data directory, so it can restart), webhook receivers for the care
 * team's tiers and technical support, and a ScenarioRunner speaking MQTT as the home's gateway. One
 * simulated clock drives hub, engine, outbox and runner; after each step the harness waits until the
 * readings are in InfluxDB and the engine and outbox are idle, then ticks the engine at that instant.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pino } from 'pino';
import { ScenarioRunner, SimClock } from '../../firmware-sim/scenario-runner.js';
import type { Scenario } from '../../firmware-sim/physiology/scenarios/scenario.js';
import { createAlertService, type AlertService } from '../../hub/alerts/alert-service.js';
import type { AlertPatients } from '../../hub/alerts/engine-deps.js';
import type { TeamRoutingConfigInput } from '../../hub/alerts/routing-config.js';
import { startHub, type RunningHub } from '../../hub/hub.js';
import type { NotificationPayload } from '../../hub/notify/notification.js';
import { MemoryRegistry } from '../../hub/registry/memory-registry.js';
import { hashSecret } from '../../hub/registry/secrets.js';
import { PgliteDb } from '../../hub/sql/pglite-db.js';
import type { InfluxV1Client } from '../../hub/storage/influx-v1.js';
import { freshInfluxDatabase } from '../setup/influx.js';
import { freshPgliteDir } from '../support/sql-fixture.js';
import { tempDir } from '../support/temp-dir.js';

export const WORLD = {
  gatewayId: 'home-scn-1',
  gatewaySecret: 'gw_scenario-secret-home-scn-1-0123456789',
  patientId: 'p-scn-1',
  careTeamId: 'team-north',
  secret: 'whsec_scenario-0123456789abcdef',
} as const;

export interface Page {
  readonly tier: string;
  readonly id: string;
  readonly body: NotificationPayload;
  readonly headers: IncomingHttpHeaders;
}

/** Webhook receivers on one port: /nurse, /lead, /tech. `down` refuses connections (server closed). */
export class Receivers {
  readonly pages: Page[] = [];
  private server: Server | undefined;
  private port = 0;

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.pages.push({ tier: (req.url ?? '').slice(1), id: String(req.headers['idempotency-key']), body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as NotificationPayload, headers: req.headers });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => this.server!.listen(this.port, '127.0.0.1', r));
    this.port = (this.server.address() as AddressInfo).port;
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}/${path}`;
  }

  /** The receiver goes away: connections are refused until `start()` again (same port). */
  async stop(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((r) => s.close(() => r()));
  }
}

export function defaultRouting(r: Receivers): TeamRoutingConfigInput {
  const hook = (path: string) => ({ channel: 'webhook' as const, url: r.url(path), secret: WORLD.secret, timeoutMs: 2000 });
  return {
    tiers: [
      { name: 'on-duty nurse', targets: [hook('nurse')] },
      { name: 'team lead', targets: [hook('lead')], severities: ['medium', 'high', 'urgent'] },
    ],
    technicalTiers: [{ name: 'technical support', targets: [hook('tech')] }],
    escalateAfterMinutes: { urgent: 5, high: 15, medium: 60 },
    repeatEveryMinutes: { urgent: 30, high: 60 },
  };
}

/** MemoryRegistry has no patient list; the engine's view of it. */
function patientsOf(registry: MemoryRegistry, ids: readonly string[]): AlertPatients {
  return {
    getPatient: (id) => registry.getPatient(id),
    listPatients: async () => (await Promise.all(ids.map((id) => registry.getPatient(id)))).flatMap((p) => (p ? [p] : [])),
  };
}

export interface WorldOptions {
  readonly stepMs: number;
  readonly routing?: (r: Receivers) => TeamRoutingConfigInput;
  /** Engine: evaluate every patient at least this often (simulated). */
  readonly fullEvaluationMs?: number;
}

export class ScenarioWorld {
  hub!: RunningHub;
  alerts!: AlertService;
  db!: PgliteDb;
  runner!: ScenarioRunner;
  readonly receivers = new Receivers();
  readonly clock: SimClock;
  private influx!: InfluxV1Client;
  private registry!: MemoryRegistry;
  private dir!: { path: string; remove: () => Promise<void> };
  private readonly log = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });

  constructor(
    readonly scenario: Scenario,
    private readonly options: WorldOptions,
  ) {
    this.clock = new SimClock(scenario.start);
  }

  static async start(scenario: Scenario, options: WorldOptions): Promise<ScenarioWorld> {
    const w = new ScenarioWorld(scenario, options);
    await w.init();
    return w;
  }

  private async init(): Promise<void> {
    this.dir = await tempDir('scenario');
    await freshPgliteDir(join(this.dir.path, 'pgdata'));
    this.influx = await freshInfluxDatabase('scn');
    this.registry = new MemoryRegistry({
      gateways: [{ id: WORLD.gatewayId, secretHash: await hashSecret(WORLD.gatewaySecret) }],
      patients: [{ id: WORLD.patientId, careTeamId: WORLD.careTeamId, displayName: 'Scenario Resident' }],
      assignments: this.scenario.devices.map((d) => ({ deviceId: d.deviceId, patientId: WORLD.patientId, from: '2020-01-01T00:00:00Z' })),
    });
    await this.receivers.start();
    await this.open();
    await this.alerts.config.setTeamRouting(WORLD.careTeamId, (this.options.routing ?? defaultRouting)(this.receivers), 'u-admin', this.clock.now());
    await this.alerts.config.setPatientRules(WORLD.patientId, this.scenario.rules, 'u-nurse', this.clock.now());
    this.runner = new ScenarioRunner(this.scenario, {
      mqttUrl: `mqtt://127.0.0.1:${this.hub.mqttPort}`,
      gatewayId: WORLD.gatewayId,
      secret: WORLD.gatewaySecret,
      clock: this.clock,
      stepMs: this.options.stepMs,
      // Announced once for the whole run: finer steps later only heartbeat more often.
      heartbeatS: Math.round(this.options.stepMs / 1000),
      afterStep: () => this.afterStep(),
    });
    await this.runner.connect();
  }

  /** Opens hub and alert service on the world's directories (again, after a restart). */
  private async open(): Promise<void> {
    this.db = await PgliteDb.open({ dataDir: join(this.dir.path, 'pgdata') });
    // The hub needs the hook before the alert service (which needs the hub's broker) exists.
    const hook: { alerts?: AlertService } = {};
    this.hub = await startHub({
      dataDir: join(this.dir.path, 'hub'),
      mqtt: { host: '127.0.0.1', port: 0 },
      influx: this.influx,
      registry: this.registry,
      log: this.log,
      now: this.clock.now,
      onStored: (ids) => hook.alerts?.onStored(ids),
    });
    const alerts = createAlertService({
      db: this.db,
      influx: this.influx,
      patients: patientsOf(this.registry, [WORLD.patientId]),
      gateways: this.hub.gatewayState,
      aedes: this.hub.broker.aedes,
      log: this.log,
      now: this.clock.now,
      // Real-time backoff would stall accelerated time: retries follow the simulated clock.
      retry: { baseMs: 10_000, maxMs: 60_000, jitter: 0, maxAgeMs: 24 * 3600_000 },
      fullEvaluationMs: this.options.fullEvaluationMs ?? 15 * 60_000,
      // Steps take milliseconds of wall time: no wall-clock pacing of evaluations here.
      minIntervalMs: 0,
      maxEvaluationsPerSecond: 100_000,
      dashboardUrl: 'https://dashboard.example.org',
    });
    hook.alerts = alerts;
    this.alerts = alerts;
    // Each step also drains the outbox; the engine's first tick (catching up) runs now.
    alerts.outbox.start();
    await alerts.engine.start();
    await this.afterStep();
  }

  /** What happens at each instant: readings reach InfluxDB, the engine evaluates and ticks, the outbox sends. */
  async afterStep(): Promise<void> {
    const deadline = Date.now() + 20_000;
    while (this.hub.spool.stats().pendingPoints > 0) {
      if (Date.now() > deadline) throw new Error('readings did not reach InfluxDB within 20 s');
      await new Promise((r) => setTimeout(r, 2));
    }
    await this.alerts.settled();
    await this.alerts.engine.tick();
    await this.alerts.outbox.drainDue();
    await this.alerts.settled();
  }

  /** Runs to `at` (default: the scenario's end) in steps of `stepMs` (default: the world's). */
  async runUntil(at?: Date, stepMs?: number): Promise<void> {
    await this.runner.runUntil(at, stepMs);
  }

  async runFor(ms: number, stepMs?: number): Promise<void> {
    await this.runner.runUntil(new Date(this.clock.now().getTime() + ms), stepMs);
  }

  /** Stops hub and alert service (as a restart would), lets `downMs` of simulated time pass, and starts them again. */
  async restart(downMs = 0): Promise<void> {
    await this.runner.disconnect();
    await this.alerts.stop();
    await this.hub.close();
    await this.db.close();
    if (downMs > 0) this.clock.set(new Date(this.clock.now().getTime() + downMs));
    await this.open();
    await this.runner.connect(`mqtt://127.0.0.1:${this.hub.mqttPort}`);
  }

  async alertsOfPatient() {
    return this.alerts.store.list({ careTeamIds: 'all', limit: 1000 });
  }

  async close(): Promise<void> {
    await this.runner?.disconnect().catch(() => undefined);
    await this.alerts?.stop();
    await this.hub?.close();
    await this.db?.close();
    await this.receivers.stop();
    await this.dir?.remove();
  }
}
