/**
 * The world the page tests run in: the hub as `rpm-hub serve` runs it (broker, ingest, InfluxDB,
 * PGlite registry, alert engine, the API serving the built web application), a care team with
 * residents of different conditions and a week of history, users of each role, and the home of a
 * deteriorating resident whose readings a firmware-sim ScenarioRunner publishes over MQTT, live.
 */
import { startHubServer, type RunningHubServer } from '../../bin/compose-hub.js';
import { DEVICES, session, type ScenarioEvent } from '../../firmware-sim/physiology/scenarios/scenario.js';
import { ScenarioRunner, SimClock } from '../../firmware-sim/scenario-runner.js';
import type { SqlRegistry } from '../../hub/registry/sql-registry.js';
import type { InfluxV1Client } from '../../hub/storage/influx-v1.js';
import { freshInfluxDatabase } from '../setup/influx.js';
import { writeReadings, type ReadingSpec } from '../support/api-fixture.js';
import { openBrowserHubBase } from '../support/browser-hub.js';
import { tempDir } from '../support/temp-dir.js';

export const TEAM = 'team-north';
export const OTHER_TEAM = 'team-south';
export const PATIENTS = {
  hypertension: { id: 'p-web-1', name: 'Ørsted, Åse', groups: ['hypertension'] },
  copd: { id: 'p-web-2', name: 'Lindqvist, Karin', groups: ['copd'] },
  heartFailure: { id: 'p-web-3', name: 'Hansen, Bo', groups: ['heart_failure'] },
  deteriorating: { id: 'p-web-4', name: 'Nilsson, Erik', groups: ['copd', 'hypertension'] },
  otherTeam: { id: 'p-web-9', name: 'Berg, Clara', groups: ['diabetes'] },
} as const;
export const GATEWAY = { id: 'home-web-4' } as const;
export type WebUser = 'clinician' | 'carer' | 'admin';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Three blood pressure readings a day for eight days: exactly 21 fall inside the last 7 days. */
export function bpHistory(now: number, deviceId: string): ReadingSpec[] {
  const specs: ReadingSpec[] = [];
  for (let d = 0; d < 8; d++) {
    for (const h of [7, 13, 19]) {
      const at = now - 7 * DAY - HOUR + d * DAY + (h - 7) * HOUR;
      if (at > now - 60_000) continue;
      specs.push({ kind: 'blood_pressure', at: new Date(at), deviceId, values: { systolic: 132 + ((d * 7 + h) % 11), diastolic: 82 + (d % 5), meanArterialPressure: 99 } });
    }
  }
  return specs;
}

export class WebWorld {
  server!: RunningHubServer;
  registry!: SqlRegistry;
  influx!: InfluxV1Client;
  readonly tokens = {} as Record<WebUser, string>;
  private closeRegistry: (() => Promise<void>) | undefined;
  private gatewaySecret = '';
  private runner: ScenarioRunner | undefined;
  private readonly clock = new SimClock(new Date(Date.now() - 6 * 60_000));
  /** The runner's scenario events: appended to as tests publish (the runner walks them in order). */
  private readonly liveEvents: ScenarioEvent[] = [];
  /** How many blood pressure readings of the hypertension resident are in the last 7 days. */
  bpLast7Days = 0;

  get baseUrl(): string {
    return this.server.api.url;
  }

  async start(): Promise<void> {
    const dir = (await tempDir('web-world')).path;
    this.influx = await freshInfluxDatabase('web');
    const base = await openBrowserHubBase(dir, this.influx.database);
    this.registry = base.registry;
    this.closeRegistry = base.closeRegistry;
    await this.seed();
    this.server = await startHubServer(base.config, base.registry, base.log);
    this.runner = new ScenarioRunner(
      { name: 'web-live', description: 'readings published as the page tests need them', start: this.clock.now(), durationMs: DAY, devices: [], rules: {}, expected: [], events: this.liveEvents },
      // A long heartbeat: between publishes the box must not look offline (which would mute its alerts).
      { mqttUrl: `mqtt://127.0.0.1:${this.server.hub.mqttPort}`, gatewayId: GATEWAY.id, secret: this.gatewaySecret, clock: this.clock, stepMs: 60_000, heartbeatS: 3600, afterStep: async () => {} },
    );
    await this.runner.connect();
  }

  private async seed(): Promise<void> {
    const r = this.registry;
    await r.createCareTeam({ id: TEAM, displayName: 'North' });
    await r.createCareTeam({ id: OTHER_TEAM, displayName: 'South' });
    for (const p of Object.values(PATIENTS)) {
      await r.createPatient({ id: p.id, careTeamId: p.id === PATIENTS.otherTeam.id ? OTHER_TEAM : TEAM, displayName: p.name, conditionGroups: [...p.groups], timeZone: 'Europe/Copenhagen' });
    }
    const users: Record<WebUser, { role: WebUser; teams: string[] }> = { clinician: { role: 'clinician', teams: [TEAM] }, carer: { role: 'carer', teams: [TEAM] }, admin: { role: 'admin', teams: [] } };
    for (const [name, u] of Object.entries(users) as [WebUser, (typeof users)[WebUser]][]) {
      await r.createUser({ id: `u-web-${name}`, displayName: name, role: u.role, careTeamIds: u.teams });
      this.tokens[name] = (await r.createToken({ userId: `u-web-${name}`, expiresInSeconds: 3600 })).token;
    }
    const gateway = await r.createGateway({ id: GATEWAY.id });
    this.gatewaySecret = gateway.secret;
    for (const d of Object.values(DEVICES)) await r.assignDevice({ deviceId: d.deviceId, patientId: PATIENTS.deteriorating.id, from: '2020-01-01T00:00:00Z' });

    const now = Date.now();
    const bp = bpHistory(now, 'sn-web-cuff-1');
    this.bpLast7Days = bp.filter((s) => s.at.getTime() >= now - 7 * DAY).length;
    await writeReadings(this.influx, PATIENTS.hypertension.id, bp);
    await writeReadings(this.influx, PATIENTS.copd.id, [
      ...Array.from({ length: 7 }, (_, d) => ({ kind: 'spo2' as const, at: new Date(now - d * DAY - 3 * HOUR), deviceId: 'sn-web-oxi-2', values: { spo2: 93 + (d % 3) } })),
      { kind: 'body_temperature', at: new Date(now - 5 * HOUR), deviceId: 'sn-web-thermo-2', values: { temperature: 37.1 } },
    ]);
    await writeReadings(this.influx, PATIENTS.heartFailure.id, [
      ...Array.from({ length: 7 }, (_, d) => ({ kind: 'body_weight' as const, at: new Date(now - d * DAY - 2 * HOUR), deviceId: 'sn-web-scale-3', values: { weight: 81.4 + d * 0.1 } })),
    ]);
    await writeReadings(this.influx, PATIENTS.otherTeam.id, [{ kind: 'blood_glucose', at: new Date(now - HOUR), deviceId: 'sn-web-gluco-9', values: { glucose: 6.1 } }]);
  }

  /** Publishes readings of the deteriorating resident now, as the home's gateway (MQTT, QoS 1). */
  async publish(vitals: Parameters<typeof session>[1], which: Parameters<typeof session>[2]): Promise<void> {
    // session() spreads a sitting over a few minutes; start it in the past so all of it is due now,
    // but after everything published before (the runner walks its events in time order).
    const last = this.liveEvents.at(-1)?.at.getTime() ?? 0;
    const start = Math.max(Date.now() - 5 * 60_000, last + 1000);
    this.liveEvents.push(...session(new Date(start), vitals, which));
    const until = Math.max(Date.now(), (this.liveEvents.at(-1)?.at.getTime() ?? 0) + 1);
    await this.runner!.runUntil(new Date(until), 60_000);
  }

  async close(): Promise<void> {
    await this.runner?.disconnect().catch(() => undefined);
    await this.server?.close();
    await this.closeRegistry?.();
  }
}
