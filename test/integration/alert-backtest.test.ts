/**
 * The back-test on real parts: a firmware-sim month (stable residents' morning and evening
 * sessions) for 20 residents written to the run's influxd, the registry and alert store on PGlite.
 * Lowering the systolic threshold shows more alerts; raising it shows, by id, the past alert that
 * led to a call and that the new threshold would have missed; and the candidate's alerts are exactly
 * the ones the engine raises when the same month is replayed live in accelerated time with that
 * configuration saved. Bad input (another team, a period beyond retention, an invalid document,
 * a deadline, a cancellation) gets a clear error and nothing is saved.
 */
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { SimClock } from '../../firmware-sim/scenario-runner.js';
import { DAY_MS, session, stableResident, type ScenarioEvent } from '../../firmware-sim/physiology/scenarios/index.js';
import { createAlertService } from '../../hub/alerts/alert-service.js';
import { acknowledge, applyFinding, resolve } from '../../hub/alerts/lifecycle.js';
import { patientSubject } from '../../hub/alerts/model.js';
import { influxPatientReadings, type PatientReading } from '../../hub/alerts/patient-readings.js';
import { registryRules } from '../../hub/alerts/patient-rules.js';
import { influxBacktestReadings } from '../../hub/alerts/quality/backtest-readings.js';
import { runBacktest } from '../../hub/alerts/quality/backtest.js';
import { evaluationInstants } from '../../hub/alerts/quality/replay.js';
import { GatewayStateStore } from '../../hub/ingest/gateway-state.js';
import { quoteIdent } from '../../hub/storage/influx-v1.js';
import type { BacktestResponse } from '../../dashboard-api/routes/quality/schemas.js';
import { IDS, startApiFixture, writeReadings, type ApiFixture, type FixtureUser } from '../support/api-fixture.js';

type Backtest = z.infer<typeof BacktestResponse>;
type Problem = { code: string; detail?: string; errors?: { path: string; message: string }[] };

const START = new Date('2026-01-05T00:00:00Z');
const END = new Date(START.getTime() + 30 * DAY_MS);
const RESIDENTS = Array.from({ length: 20 }, (_, i) => `bt-${String(i + 1).padStart(2, '0')}`);
const CRISIS_RESIDENT = 'bt-07';
const CRISIS_AT = new Date(START.getTime() + 10 * DAY_MS + 12 * 3600_000); // day 10, 12:00 UTC, between sessions (the cuff measures a minute in)
const systolic = (limit: number) => ({ conditionGroups: ['copd'], thresholds: { 'blood_pressure.systolic': { high: [{ op: '>=', limit, severity: 'medium' }] } } });
const LOWER = systolic(140);
const RAISE = systolic(200);
const period = { from: START.toISOString(), to: END.toISOString(), tickMinutes: 1440 };

let fx: ApiFixture;
const readingsOf = new Map<string, PatientReading[]>();
let actionedId = '';

async function call<T = Problem>(user: FixtureUser, body: unknown) {
  const res = await fx.app.inject({ method: 'POST', url: '/api/v1/backtest', headers: fx.auth(user), payload: body as Record<string, unknown> });
  return { status: res.statusCode, body: res.json<T>() };
}

const alertCount = async () => (await fx.db.query<{ n: number }>('SELECT count(*)::integer AS n FROM alerts'))[0]!.n;

beforeAll(async () => {
  fx = await startApiFixture({}, { alerts: true });
  for (const [i, id] of RESIDENTS.entries()) {
    await fx.registry.createPatient({ id, careTeamId: IDS.north, displayName: `Resident ${i + 1}`, conditionGroups: ['copd'] });
    const events: ScenarioEvent[] = [...stableResident(100 + i, 30, START).events];
    if (id === CRISIS_RESIDENT) events.push(...session(CRISIS_AT, { systolic: 185, diastolic: 96, pulse: 88, spo2: 96, temperature: 36.8, weight: 72 }, ['bp']));
    const specs = events.flatMap((e) => (e.type === 'reading' ? [{ kind: e.kind, at: e.at, values: e.values, deviceId: e.deviceId, gatewayId: `home-${id}` }] : []));
    const written = await writeReadings(fx.influx, id, specs);
    readingsOf.set(
      id,
      written.map((r) => ({ id: r.id, kind: r.kind, measuredAt: new Date(r.measuredAt), components: [], deviceId: r.device.id, gatewayId: `home-${id}`, late: false, implausible: false })).sort((a, b) => a.measuredAt.getTime() - b.measuredAt.getTime()),
    );
  }
  // The alert a nurse acted on: opened by the crisis reading under the current thresholds, a call made.
  const opened = applyFinding(
    undefined,
    { ruleId: 'threshold:blood_pressure.systolic', audience: 'clinical', severity: 'medium', summary: 'Systolic BP 185 mmHg (>= 180)', evidence: { readingIds: [], values: { value: 185 } }, condition: 'firing' },
    { now: new Date(CRISIS_AT.getTime() + 60_000), subjectKey: patientSubject(CRISIS_RESIDENT), patientId: CRISIS_RESIDENT, careTeamId: IDS.north, newId: () => 'al-actioned-1', homeOffline: false },
  )!;
  const ack = acknowledge(opened.alert, 'u-clinician', new Date(CRISIS_AT.getTime() + 10 * 60_000), undefined, { kind: 'action_taken', action: 'call' });
  const done = resolve(ack.alert, 'u-clinician', new Date(CRISIS_AT.getTime() + 20 * 60_000));
  await fx.alertService!.store.write([{ alert: done.alert, events: [...opened.events, ...ack.events, ...done.events], notifications: [] }]);
  actionedId = done.alert.id;
}, 120_000);

afterAll(async () => {
  await fx?.close();
});

describe('back-test of a month for 20 residents', () => {
  let lowered: Backtest;

  it('lowering the systolic threshold shows more alerts; nothing is saved', async () => {
    const before = { alerts: await alertCount(), rules: (await fx.registry.listPatients({ careTeamId: IDS.north })).map((p) => p.rules) };
    const res = await call<Backtest>('clinician', { population: { careTeamId: IDS.north, conditionGroup: 'copd' }, config: LOWER, ...period });
    expect(res.status).toBe(200);
    lowered = res.body;
    expect(lowered).toMatchObject({ patients: 20, actionedAlerts: 1, truncatedPatients: [] });
    expect(lowered.patientWeeks).toBeCloseTo((20 * 30) / 7, 2);
    expect(lowered.readings).toBe([...readingsOf.values()].reduce((n, r) => n + r.length, 0));
    // The current thresholds (>= 160) page once: the crisis reading; 140 pages many residents.
    expect(lowered.current.byRule['threshold:blood_pressure.systolic']).toBe(1);
    expect(lowered.current.list.filter((a) => a.rule === 'threshold:blood_pressure.systolic').map((a) => [a.patientId, a.at])).toEqual([[CRISIS_RESIDENT, new Date(CRISIS_AT.getTime() + 60_000).toISOString()]]);
    expect(lowered.candidate.byRule['threshold:blood_pressure.systolic']).toBeGreaterThan(5);
    expect(lowered.candidate.alerts).toBeGreaterThan(lowered.current.alerts);
    expect(lowered.candidate.alertsPerPatientWeek).toBeGreaterThan(lowered.current.alertsPerPatientWeek ?? 0);
    expect(lowered.current.missedActioned).toEqual([]);
    expect(lowered.candidate.missedActioned).toEqual([]);
    expect(await alertCount()).toBe(before.alerts);
    expect((await fx.registry.listPatients({ careTeamId: IDS.north })).map((p) => p.rules)).toEqual(before.rules);
  });

  it('raising it shows the actioned alert it would have missed, by id', async () => {
    const res = await call<Backtest>('admin', { population: { patientId: CRISIS_RESIDENT }, config: RAISE, ...period });
    expect(res.status).toBe(200);
    expect(res.body.patients).toBe(1);
    expect(res.body.current.missedActioned).toEqual([]);
    expect(res.body.candidate.missedActioned).toEqual([{ alertId: actionedId, patientId: CRISIS_RESIDENT, rule: 'threshold:blood_pressure.systolic', openedAt: new Date(CRISIS_AT.getTime() + 60_000).toISOString() }]);
    expect(res.body.candidate.byRule['threshold:blood_pressure.systolic']).toBeUndefined();
  });

  it('the candidate figures equal what the engine raises when the month is replayed live with that configuration', async () => {
    const clock = new SimClock(START);
    const live = influxPatientReadings(fx.influx);
    const engine = createAlertService({
      db: fx.db,
      // Readings measured after the engine's clock have not arrived yet.
      readings: { recent: (id, from, to) => live.recent(id, from, new Date(Math.min(to.getTime(), clock.now().getTime()))), lastTimes: (id, kinds) => live.lastTimes(id, kinds) },
      patients: fx.services.patients,
      gateways: new GatewayStateStore(),
      rules: registryRules(fx.db),
      log: pino({ level: 'silent' }),
      now: clock.now,
    });
    for (const id of RESIDENTS) await engine.rules.setRules(id, LOWER, 'u-clinician', START);
    const timeline = new Map<number, string[]>();
    for (const id of RESIDENTS) for (const t of evaluationInstants(readingsOf.get(id)!, START, END, 1440 * 60_000)) timeline.set(t, [...(timeline.get(t) ?? []), id]);
    for (const t of [...timeline.keys()].sort((a, b) => a - b)) {
      clock.set(new Date(t));
      await Promise.all(timeline.get(t)!.map((id) => engine.engine.evaluatePatient(id)));
    }
    await engine.stop();
    const raised = await fx.db.query<{ patient_id: string; rule_id: string; opened_at: Date; severity: string }>(
      `SELECT patient_id, rule_id, opened_at, severity FROM alerts WHERE id <> $1 AND patient_id = ANY($2::text[]) ORDER BY opened_at, patient_id, rule_id`,
      [actionedId, RESIDENTS],
    );
    const key = (p: string, r: string, at: string) => `${at} ${p} ${r}`;
    expect(raised.map((a) => key(a.patient_id, a.rule_id, a.opened_at.toISOString())).sort()).toEqual(lowered.candidate.list.map((a) => key(a.patientId, a.rule, a.at)).sort());
    expect(raised.length).toBe(lowered.candidate.alerts);
    expect(raised.length).toBeGreaterThan(5);
  }, 180_000);
});

describe('bad input', () => {
  it("another team's population or patient answers 404, carers 403", async () => {
    expect((await call('southClinician', { population: { careTeamId: IDS.north }, config: LOWER, ...period })).status).toBe(404);
    expect((await call('southClinician', { population: { patientId: CRISIS_RESIDENT }, config: LOWER, ...period })).status).toBe(404);
    expect((await call('carer', { population: { careTeamId: IDS.north }, config: LOWER, ...period })).status).toBe(403);
  });

  it('an invalid configuration answers 400 naming the field inside the document; an empty group 400', async () => {
    const bad = await call('clinician', { population: { careTeamId: IDS.north }, config: { thresholds: { 'blood_pressure.systolic': { high: [{ op: '>=', limit: 'high', severity: 'medium' }] } } }, ...period });
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.[0]?.path).toBe('body.config.thresholds.blood_pressure.systolic.high[0].limit');
    const unknownKey = await call('clinician', { population: { patientId: CRISIS_RESIDENT }, config: { thresholdz: {} }, ...period });
    expect(unknownKey.status).toBe(400);
    const empty = await call('clinician', { population: { careTeamId: IDS.north, conditionGroup: 'diabetes' }, config: LOWER, ...period });
    expect(empty.status).toBe(400);
    expect(empty.body.errors?.[0]?.path).toBe('body.population');
    const long = await call('clinician', { population: { patientId: CRISIS_RESIDENT }, config: LOWER, from: '2025-01-01T00:00:00Z', to: END.toISOString() });
    expect(long.status).toBe(400);
    expect(long.body.errors?.[0]?.path).toBe('body.from');
  });

  it('a deadline and a cancellation stop the work with a clear error', async () => {
    const deps = { db: fx.db, patients: fx.services.patients, rules: registryRules(fx.db), readings: influxBacktestReadings(fx.influx), now: () => new Date() };
    const request = { population: { careTeamId: IDS.north }, candidate: LOWER, from: START, to: END, tickMs: 3600_000 };
    await expect(runBacktest({ ...deps, deadlineMs: 1 }, request)).rejects.toMatchObject({ name: 'BacktestError', code: 'timeout' });
    const controller = new AbortController();
    controller.abort();
    await expect(runBacktest(deps, { ...request, signal: controller.signal })).rejects.toMatchObject({ name: 'BacktestError', code: 'cancelled' });
  });

  it('a period beyond what InfluxDB keeps answers 400 naming body.from', async () => {
    // Last: shortening the retention makes InfluxDB drop the month's shards soon after.
    await fx.influx.query(`ALTER RETENTION POLICY "autogen" ON ${quoteIdent(fx.influx.database)} DURATION 168h`);
    const before = await alertCount();
    const res = await call('clinician', { population: { patientId: CRISIS_RESIDENT }, config: LOWER, from: new Date(Date.now() - 20 * DAY_MS).toISOString() });
    expect(res.status).toBe(400);
    expect(res.body.errors?.[0]?.path).toBe('body.from');
    expect(res.body.detail).toContain('InfluxDB keeps readings from');
    expect(await alertCount()).toBe(before);
  });
});
