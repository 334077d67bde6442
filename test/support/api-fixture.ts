/**
 * The dashboard API on real parts for the api-*.test.ts files: a fresh InfluxDB database, a cloned
 * PGlite with the SQL registry and the SQL audit log, the hub's GatewayStateStore and an in-process
 * alert bus; with `{ alerts: true }` also the alert service on the same database behind the alert
 * routes (rules in the registry's patients.rules; not started, so no timer evaluates behind a test's
 * back; no SMTP). Without it the alert routes answer 503, as on a hub without the engine. Two care teams (north, south), one user of each role in north plus a clinician in
 * south, each with a real token from the registry; patients in both teams; a cuff assigned in north.
 */
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { buildApp, type AppOptions } from '../../dashboard-api/app.js';
import { sqlApiServices } from '../../bin/api-services/compose-services.js';
import { InProcessAlertEvents } from '../../dashboard-api/memory/alert-events.js';
import type { ApiServices } from '../../dashboard-api/services.js';
import { CATALOGUE, type Reading, type VitalKind } from '../../contract/index.js';
import { alertManagement } from '../../hub/alerts/alert-api.js';
import { createAlertService, type AlertService } from '../../hub/alerts/alert-service.js';
import { applyFinding } from '../../hub/alerts/lifecycle.js';
import { idFactory } from '../../hub/alerts/messages.js';
import { patientSubject, type AlertRecord } from '../../hub/alerts/model.js';
import { registryRules } from '../../hub/alerts/patient-rules.js';
import type { RuleFinding } from '../../hub/alerts/rules/index.js';
import { GatewayStateStore } from '../../hub/ingest/gateway-state.js';
import { SqlRegistry } from '../../hub/registry/sql-registry.js';
import type { SqlDb } from '../../hub/sql/sql-db.js';
import { RoomSessions } from '../../hub/rooms/room-sessions.js';
import type { InfluxV1Client } from '../../hub/storage/influx-v1.js';
import { toLineProtocol } from '../../hub/storage/reading-points.js';
import { freshInfluxDatabase } from '../setup/influx.js';
import { freshPglite } from './sql-fixture.js';

export const IDS = {
  north: 'team-north',
  south: 'team-south',
  /** Patients of team north: names chosen so that the name order is north2, north1. */
  north1: 'p-n1',
  north2: 'p-n2',
  south1: 'p-s1',
  gateway: 'home-n1',
  southGateway: 'home-s1',
  cuff: 'sn-CUFF-N1',
  southCuff: 'sn-CUFF-S1',
  strayDevice: 'sn-STRAY-01',
} as const;

export type FixtureUser = 'admin' | 'clinician' | 'carer' | 'southClinician';

export interface ApiFixture {
  readonly app: FastifyInstance;
  readonly services: ApiServices;
  readonly influx: InfluxV1Client;
  readonly db: SqlDb;
  readonly registry: SqlRegistry;
  readonly gatewayState: GatewayStateStore;
  readonly alertEvents: InProcessAlertEvents;
  /** The alert service behind the alert routes (engine and outbox not started); only with `{ alerts: true }`. */
  readonly alertService: AlertService | undefined;
  /**
   * Opens an alert for a patient of the registry, as the engine would on a firing finding (the
   * lifecycle's transition, stored by the service's store), without paging anyone. One subject holds
   * one active alert per rule id, so give a new `ruleId` for each alert that must be open at once.
   * Needs `{ alerts: true }`.
   */
  openAlert(patientId: string, finding?: Partial<RuleFinding>): Promise<AlertRecord>;
  readonly tokens: Readonly<Record<FixtureUser, string>>;
  /** Authorization header of a fixture user. */
  auth(user: FixtureUser): { authorization: string };
  /** Listens on a free loopback port (for real HTTP clients); returns the base URL. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

export interface ReadingSpec {
  readonly kind: VitalKind;
  readonly at: Date;
  readonly values: Readonly<Record<string, number>>;
  readonly id?: string;
  readonly deviceId?: string;
  readonly gatewayId?: string;
  readonly implausible?: boolean;
  readonly userIndex?: number;
}

let counter = 0;

/** Writes readings through the hub's own point mapping (patientId undefined: the unassigned inbox). */
export async function writeReadings(influx: InfluxV1Client, patientId: string | undefined, specs: readonly ReadingSpec[]): Promise<Reading[]> {
  const readings = specs.map((s): Reading => {
    const spec = CATALOGUE[s.kind];
    return {
      id: s.id ?? `r-${s.kind}-${s.at.getTime()}-${(counter++).toString(36)}`,
      kind: s.kind,
      device: { id: s.deviceId ?? IDS.cuff, ...(s.userIndex !== undefined && { userIndex: s.userIndex }) },
      components: Object.entries(s.values).map(([name, value]) => {
        const c = spec.components.find((x) => x.name === name);
        if (!c) throw new Error(`no component ${name} in ${s.kind}`);
        return { name, code: c.loinc, value, unit: c.unit };
      }),
      measuredAt: s.at.toISOString(),
      receivedAt: new Date(s.at.getTime() + 60_000).toISOString(),
      timeSource: 'device',
      clockSuspect: false,
      late: false,
    };
  });
  await influx.write(
    readings.map((reading, i) => toLineProtocol({ reading, gatewayId: specs[i]?.gatewayId ?? IDS.gateway, patientId, implausible: specs[i]?.implausible ?? false })),
  );
  return readings;
}

export interface FixtureOptions {
  /** Serve the alert routes from a real alert service (default false: they answer 503). */
  readonly alerts?: boolean;
  /** The SQL database (migrated) for the registry and the audit log; default a cloned PGlite. */
  readonly db?: () => Promise<SqlDb>;
}

export async function startApiFixture(options: AppOptions = {}, fixture: FixtureOptions = {}): Promise<ApiFixture> {
  const influx = await freshInfluxDatabase('api');
  const db = fixture.db ? await fixture.db() : await freshPglite();
  const registry = new SqlRegistry(db);
  await registry.createCareTeam({ id: IDS.north, displayName: 'North' });
  await registry.createCareTeam({ id: IDS.south, displayName: 'South' });
  await registry.createPatient({ id: IDS.north1, careTeamId: IDS.north, displayName: 'Ørsted, Åse' });
  await registry.createPatient({ id: IDS.north2, careTeamId: IDS.north, displayName: 'Andersen, Bo' });
  await registry.createPatient({ id: IDS.south1, careTeamId: IDS.south, displayName: 'Berg, Clara' });
  await registry.createGateway({ id: IDS.gateway });
  await registry.createGateway({ id: IDS.southGateway });
  await registry.assignDevice({ deviceId: IDS.cuff, patientId: IDS.north1, from: '2020-01-01T00:00:00Z' });
  await registry.assignDevice({ deviceId: IDS.southCuff, patientId: IDS.south1, from: '2020-01-01T00:00:00Z' });
  const users: Record<FixtureUser, { role: 'admin' | 'clinician' | 'carer'; teams: string[] }> = {
    admin: { role: 'admin', teams: [] },
    clinician: { role: 'clinician', teams: [IDS.north] },
    carer: { role: 'carer', teams: [IDS.north] },
    southClinician: { role: 'clinician', teams: [IDS.south] },
  };
  const tokens = {} as Record<FixtureUser, string>;
  for (const [name, u] of Object.entries(users) as [FixtureUser, (typeof users)[FixtureUser]][]) {
    const id = `u-${name.toLowerCase()}`;
    await registry.createUser({ id, displayName: name, role: u.role, careTeamIds: u.teams });
    tokens[name] = (await registry.createToken({ userId: id, expiresInSeconds: 3600 })).token;
  }

  const gatewayState = new GatewayStateStore();
  const alertEvents = new InProcessAlertEvents();
  const base = sqlApiServices({ influx, tokens: registry, devices: registry, gateways: gatewayState, alertEvents, db, registry, rooms: new RoomSessions(db), audit: { flushEveryMs: 2 } });
  const alertService = fixture.alerts
    ? createAlertService({ db, influx, patients: base.patients, gateways: gatewayState, rules: registryRules(db), sse: alertEvents, log: pino({ level: 'silent' }) })
    : undefined;
  const management = alertService && alertManagement(alertService);
  const services: ApiServices = management ? { ...base, alerts: management, alertManagement: management } : base;
  const app = await buildApp(services, { authFailuresPerMinute: 1000, ...options });
  const newAlertId = idFactory('al', () => new Date());

  async function openAlert(patientId: string, finding: Partial<RuleFinding> = {}): Promise<AlertRecord> {
    if (!alertService) throw new Error('openAlert: start the fixture with { alerts: true }');
    const patient = await registry.getPatient(patientId);
    if (!patient) throw new Error(`openAlert: no patient ${patientId} in the fixture's registry`);
    const full: RuleFinding = {
      ruleId: 'threshold:blood_pressure.systolic',
      audience: 'clinical',
      severity: 'medium',
      summary: 'Systolic BP 185 mmHg (>= 180)',
      evidence: { readingIds: [], values: { value: 185 } },
      condition: 'firing',
      ...finding,
    };
    const ctx = { now: new Date(), subjectKey: patientSubject(patientId), patientId, careTeamId: patient.careTeamId, newId: newAlertId, homeOffline: false };
    const opened = applyFinding(undefined, full, ctx);
    if (!opened) throw new Error('openAlert: the finding opened no alert (is its condition firing?)');
    await alertService.store.write([{ alert: opened.alert, events: opened.events, notifications: [] }]);
    return opened.alert;
  }

  return {
    app,
    services,
    influx,
    db,
    registry,
    gatewayState,
    alertEvents,
    alertService,
    openAlert,
    tokens,
    auth: (user) => ({ authorization: `Bearer ${tokens[user]}` }),
    async listen() {
      await app.listen({ host: '127.0.0.1', port: 0 });
      const address = app.server.address();
      if (!address || typeof address === 'string') throw new Error('no address');
      return `${options.https ? 'https' : 'http'}://127.0.0.1:${address.port}`;
    },
    async close() {
      await app.close();
      await alertService?.stop();
      await db.close();
    },
  };
}
