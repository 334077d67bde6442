/**
 * The alert routes on real parts: the API fixture (SQL registry and audit log on PGlite, InfluxDB)
 * plus the alert service on the same database, its rules in the registry's patients.rules column.
 * Readings are written to InfluxDB and evaluated by the engine; the routes then list, read and act
 * on the resulting alerts as users of different roles and teams.
 */
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { waitFor } from '../support/wait-for.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertMessage } from '../../contract/index.js';
import { buildApp } from '../../dashboard-api/app.js';
import { alertManagement, type AlertManagement } from '../../hub/alerts/alert-api.js';
import { createAlertService, type AlertService } from '../../hub/alerts/alert-service.js';
import { registryRules } from '../../hub/alerts/patient-rules.js';
import { IDS, startApiFixture, writeReadings, type ApiFixture, type FixtureUser } from '../support/api-fixture.js';

let fx: ApiFixture;
let app: FastifyInstance;
let service: AlertService;
let mgmt: AlertManagement;
const live: AlertMessage[] = [];

beforeAll(async () => {
  fx = await startApiFixture();
  service = createAlertService({
    db: fx.db,
    influx: fx.influx,
    patients: fx.services.patients,
    gateways: fx.gatewayState,
    rules: registryRules(fx.db),
    sse: fx.alertEvents,
    log: pino({ level: 'silent' }),
  });
  mgmt = alertManagement(service);
  app = await buildApp({ ...fx.services, alerts: mgmt, alertManagement: mgmt }, { authFailuresPerMinute: 1000 });
  fx.alertEvents.subscribe([IDS.north], (m) => live.push(m));
  service.outbox.start();
  const now = Date.now();
  await writeReadings(fx.influx, IDS.north1, [{ kind: 'blood_pressure', at: new Date(now - 60_000), values: { systolic: 192, diastolic: 104 } }]);
  await writeReadings(fx.influx, IDS.south1, [{ kind: 'blood_pressure', at: new Date(now - 60_000), values: { systolic: 188, diastolic: 95 }, deviceId: IDS.southCuff, gatewayId: IDS.southGateway }]);
  await service.engine.evaluatePatient(IDS.north1);
  await service.engine.evaluatePatient(IDS.south1);
  await service.settled();
});

afterAll(async () => {
  await app?.close();
  await service?.stop();
  await fx?.close();
});

async function call(user: FixtureUser, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) {
  const res = await app.inject({ method, url: `/api/v1${url}`, headers: fx.auth(user), ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });
  return { status: res.statusCode, body: res.json<Record<string, unknown> & { alerts?: Record<string, unknown>[] }>(), type: res.headers['content-type'] };
}

async function northSystolic(): Promise<Record<string, unknown>> {
  const { body } = await call('clinician', 'GET', `/alerts?patientId=${IDS.north1}&rule=threshold:blood_pressure.systolic&state=open,acknowledged,resolved`);
  return body.alerts![0]!;
}

describe('GET /alerts', () => {
  it("shows a clinician her team's alerts only, newest first, without patient names", async () => {
    const { status, body } = await call('clinician', 'GET', '/alerts');
    expect(status).toBe(200);
    const alerts = body.alerts!;
    expect(alerts.map((a) => [a.patientId, a.rule, a.severity]).sort()).toEqual([
      [IDS.north1, 'threshold:blood_pressure.diastolic', 'low'],
      [IDS.north1, 'threshold:blood_pressure.systolic', 'medium'],
    ]);
    expect(alerts[0]).toMatchObject({ careTeamId: IDS.north, audience: 'clinical', state: 'open', condition: 'firing', backfilled: false, muted: false });
    expect(JSON.stringify(body)).not.toContain('Ørsted');
  });

  it('filters by severity and state, and an admin sees every team', async () => {
    expect((await call('clinician', 'GET', '/alerts?severity=urgent')).body.alerts).toEqual([]);
    expect((await call('clinician', 'GET', '/alerts?state=resolved')).body.alerts).toEqual([]);
    expect(new Set((await call('admin', 'GET', '/alerts')).body.alerts!.map((a) => a.careTeamId))).toEqual(new Set([IDS.north, IDS.south]));
    expect((await call('southClinician', 'GET', '/alerts')).body.alerts!.every((a) => a.careTeamId === IDS.south)).toBe(true);
  });

  it('answers 404 for a patient of another team and names a bad filter value', async () => {
    expect((await call('southClinician', 'GET', `/alerts?patientId=${IDS.north1}`)).status).toBe(404);
    const bad = await call('clinician', 'GET', '/alerts?severity=high,catastrophic');
    expect(bad.status).toBe(400);
    expect(bad.type).toContain('application/problem+json');
    expect(bad.body.detail).toContain('"catastrophic" is not a severity');
  });

  it('pages with an opaque cursor', async () => {
    const first = await call('clinician', 'GET', '/alerts?limit=1');
    expect(first.body.alerts).toHaveLength(1);
    const second = await call('clinician', 'GET', `/alerts?limit=1&cursor=${String(first.body.nextCursor)}`);
    expect(second.body.alerts).toHaveLength(1);
    expect(second.body.alerts![0]!.id).not.toBe(first.body.alerts![0]!.id);
  });
});

describe('one alert and its actions', () => {
  it("hides another team's alert as if it did not exist, and names a malformed id", async () => {
    const south = (await call('southClinician', 'GET', '/alerts')).body.alerts![0]!;
    const res = await call('clinician', 'GET', `/alerts/${String(south.id)}`);
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('RPM_ERR_NOT_FOUND');
    const bad = await call('clinician', 'GET', '/alerts/NOT%20AN%20ID');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.errors)).toContain('params.alertId');
  });

  it("answers 404 to an action on another team's alert, and the alert is unchanged", async () => {
    const a = await northSystolic();
    const res = await call('southClinician', 'POST', `/alerts/${String(a.id)}/acknowledge`, {});
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('RPM_ERR_NOT_FOUND');
    const events = (await call('clinician', 'GET', `/alerts/${String(a.id)}/events`)).body.events as { type: string }[];
    expect(events.map((e) => e.type)).not.toContain('acknowledged');
  });

  it('refuses carers acknowledging, and a snooze without a reason, naming the field', async () => {
    const a = await northSystolic();
    expect((await call('carer', 'POST', `/alerts/${String(a.id)}/acknowledge`, {})).status).toBe(403);
    const noReason = await call('clinician', 'POST', `/alerts/${String(a.id)}/snooze`, { minutes: 30 });
    expect(noReason.status).toBe(400);
    expect(JSON.stringify(noReason.body.errors)).toContain('body.reason');
    const both = await call('clinician', 'POST', `/alerts/${String(a.id)}/snooze`, { minutes: 30, until: new Date(Date.now() + 60_000).toISOString(), reason: 'visit' });
    expect(both.status).toBe(400);
    const past = await call('clinician', 'POST', `/alerts/${String(a.id)}/snooze`, { until: new Date(Date.now() - 60_000).toISOString(), reason: 'visit' });
    expect(past.status).toBe(400);
    expect(JSON.stringify(past.body.errors)).toContain('body.until');
    // Nothing of it changed the alert.
    expect((await call('clinician', 'GET', `/alerts/${String(a.id)}/events`)).body.events).toHaveLength(1);
  });

  it('acknowledge, snooze, comment and resolve, each recorded with who and when; a second acknowledge conflicts', async () => {
    const a = await northSystolic();
    const ack = await call('clinician', 'POST', `/alerts/${String(a.id)}/acknowledge`, { note: 'calling her now' });
    expect(ack.status).toBe(200);
    expect(ack.body).toMatchObject({ state: 'acknowledged', acknowledgedBy: 'u-clinician' });
    const again = await call('admin', 'POST', `/alerts/${String(a.id)}/acknowledge`, {});
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('RPM_ERR_CONFLICT');

    const snoozed = await call('clinician', 'POST', `/alerts/${String(a.id)}/snooze`, { minutes: 90, reason: 'district nurse visits at 11' });
    expect(snoozed.body.snooze).toMatchObject({ reason: 'district nurse visits at 11', by: 'u-clinician' });

    const commented = await call('carer', 'POST', `/alerts/${String(a.id)}/comments`, { text: 'She says the cuff was loose.' });
    expect(commented.status).toBe(201);
    expect((await call('carer', 'POST', `/alerts/${String(a.id)}/comments`, { text: '  ' })).status).toBe(400);

    const resolved = await call('clinician', 'POST', `/alerts/${String(a.id)}/resolve`, { note: 'rechecked: 142/88' });
    expect(resolved.body).toMatchObject({ state: 'resolved', resolvedBy: 'u-clinician' });
    expect((await call('clinician', 'POST', `/alerts/${String(a.id)}/resolve`, {})).status).toBe(409);

    const history = (await call('clinician', 'GET', `/alerts/${String(a.id)}/events`)).body.events as { type: string; actor: string; detail: Record<string, unknown> }[];
    expect(history.map((e) => [e.type, e.actor])).toEqual([
      ['opened', 'system'],
      ['acknowledged', 'u-clinician'],
      ['snoozed', 'u-clinician'],
      ['commented', 'u-carer'],
      ['resolved', 'u-clinician'],
    ]);
    expect(history[3]!.detail).toEqual({ text: 'She says the cuff was loose.' });

    // Every action is in the access log under the patient, with the user.
    const audit = await fx.services.audit.store.query({ patientId: IDS.north1, limit: 100 });
    expect(new Set(audit.filter((e) => e.outcome === 'allowed').map((e) => e.action))).toEqual(new Set(['alerts.list', 'alert.acknowledge', 'alert.snooze', 'alert.comment', 'alert.resolve', 'alert.history']));
  });

  it('streams every change to the live bus of the care team', async () => {
    await service.settled();
    const a = await northSystolic();
    const revisions = live.filter((m) => m.id === a.id).map((m) => [m.revision, m.state]);
    expect(revisions).toEqual([
      [1, 'open'],
      [2, 'acknowledged'],
      [3, 'acknowledged'],
      [4, 'acknowledged'],
      [5, 'resolved'],
    ]);
  });
});

describe('configuration by the care team', () => {
  it('a patient rule config with a bad field is refused, naming it, and nothing changes', async () => {
    const before = await call('clinician', 'GET', `/patients/${IDS.north2}/alert-rules`);
    const res = await call('clinician', 'PUT', `/patients/${IDS.north2}/alert-rules`, { schedules: [{ kind: 'body_weight', type: 'daily', by: '25:00' }] });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: 'body.schedules[0].by', message: 'expected a local time HH:MM' }]);
    expect((await call('clinician', 'GET', `/patients/${IDS.north2}/alert-rules`)).body).toEqual(before.body);
  });

  it('a valid one is stored in the registry and used by the engine at once', async () => {
    const config = { conditionGroups: ['heart_failure'], schedules: [{ kind: 'body_weight', type: 'daily', by: '10:00' }] };
    const res = await call('clinician', 'PUT', `/patients/${IDS.north2}/alert-rules`, config);
    expect(res.status).toBe(200);
    expect(res.body.config).toEqual(config);
    expect((await fx.registry.listPatients()).find((p) => p.id === IDS.north2)?.conditionGroups).toEqual(['heart_failure']);
    expect((await call('southClinician', 'PUT', `/patients/${IDS.north2}/alert-rules`, config)).status).toBe(404);
  });

  it('routing: secrets are masked on read and kept when the mask is sent back', async () => {
    const routing = {
      tiers: [{ name: 'on-duty nurse', targets: [{ channel: 'webhook', url: 'https://pager.example.org/hook', secret: 'whsec_north-0123456789abcdef' }] }],
      quietHours: { from: '22:00', to: '07:00' },
    };
    expect((await call('carer', 'PUT', `/care-teams/${IDS.north}/alert-routing`, routing)).status).toBe(403);
    expect((await call('southClinician', 'GET', `/care-teams/${IDS.north}/alert-routing`)).status).toBe(404);
    const put = await call('clinician', 'PUT', `/care-teams/${IDS.north}/alert-routing`, routing);
    expect(put.status).toBe(200);
    const got = await call('carer', 'GET', `/care-teams/${IDS.north}/alert-routing`);
    const masked = got.body.config as typeof routing;
    expect(masked.tiers[0]!.targets[0]!.secret).toBe('********');
    const renamed = { ...masked, tiers: [{ ...masked.tiers[0]!, name: 'nurse on call' }] };
    expect((await call('clinician', 'PUT', `/care-teams/${IDS.north}/alert-routing`, renamed)).status).toBe(200);
    const stored = (await mgmt.teamRouting(IDS.north))!.config as typeof routing;
    expect(stored.tiers[0]).toMatchObject({ name: 'nurse on call', targets: [{ secret: 'whsec_north-0123456789abcdef' }] });
    // An admin sees every team id, but routing for a team that does not exist is refused, not stored.
    const ghost = await call('admin', 'PUT', '/care-teams/team-nowhere/alert-routing', routing);
    expect(ghost.status).toBe(404);
    expect(ghost.body).toMatchObject({ code: 'RPM_ERR_NOT_FOUND' });
    expect(await mgmt.teamRouting('team-nowhere')).toBeUndefined();
    expect((await call('admin', 'GET', '/care-teams/team-nowhere/alert-routing')).status).toBe(404);
    const bad = await call('clinician', 'PUT', `/care-teams/${IDS.north}/alert-routing`, { tiers: [{ name: 'x', targets: [{ channel: 'sms', to: '112' }] }] });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.errors)).toContain('body.tiers[0].targets[0]');

    // Who changed a team's paging and escalation, and when, is in the audit log (not only in the row).
    // Result entries of changes are written without making the client wait: poll until they are there.
    const routingChanges = await waitFor('the routing changes in the audit log', async () => {
      const entries = (await fx.services.audit.store.query({ userId: 'u-clinician', limit: 500 })).filter((e) => e.action === 'alert-routing.update');
      return entries.length >= 6 ? entries : undefined;
    });
    // Three attempts are recorded before anything changes, the refused one included.
    expect(routingChanges.filter((e) => e.outcome === 'attempted')).toHaveLength(3);
    expect(routingChanges.filter((e) => e.outcome === 'allowed')).toHaveLength(2);
    expect(routingChanges.filter((e) => e.outcome === 'invalid')).toHaveLength(1);
    expect(routingChanges[0]).toMatchObject({ route: 'PUT /api/v1/care-teams/:careTeamId/alert-routing', patientId: null });
  });
});

describe('without the alert engine', () => {
  it('the alert routes answer 503 with a reason', async () => {
    const res = await fx.app.inject({ method: 'GET', url: '/api/v1/alerts', headers: fx.auth('clinician') });
    expect(res.statusCode).toBe(503);
    expect(res.json<{ detail: string }>().detail).toBe('the alert engine is not running on this hub');
  });
});
