/**
 * Alert outcomes and analytics on real parts (API fixture: PGlite registry, audit log and alert
 * store, InfluxDB): outcomes recorded and corrected through the API, as history events and on the
 * alert; and a hand-built month of alerts with known acknowledgement times and outcomes whose
 * analytics give the exact PPV, median and p90, in JSON and CSV, scoped to the user's care team.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acknowledge, applyFinding, resolve, snooze, systemEvent, type Transition } from '../../hub/alerts/lifecycle.js';
import { patientSubject, type AlertRecord } from '../../hub/alerts/model.js';
import type { OutcomeInput } from '../../contract/index.js';
import type { RuleFinding } from '../../hub/alerts/rules/index.js';
import type { z } from 'zod';
import type { AlertHistoryResponse, AlertOut } from '../../dashboard-api/routes/alerts/schemas.js';
import type { AnalyticsResponse } from '../../dashboard-api/routes/quality/schemas.js';
import { IDS, startApiFixture, type ApiFixture, type FixtureUser } from '../support/api-fixture.js';

type Alert = z.infer<typeof AlertOut>;
type History = z.infer<typeof AlertHistoryResponse>;
type Analytics = z.infer<typeof AnalyticsResponse>;
type Problem = { code: string; errors?: unknown[] };

let fx: ApiFixture;

beforeAll(async () => {
  fx = await startApiFixture({}, { alerts: true });
});

afterAll(async () => {
  await fx?.close();
});

async function call<T = Problem>(user: FixtureUser, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) {
  const res = await fx.app.inject({ method, url: `/api/v1${url}`, headers: fx.auth(user), ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });
  const type = String(res.headers['content-type'] ?? '');
  return { status: res.statusCode, body: (type.includes('json') ? res.json() : {}) as T, text: res.body, type };
}

describe('outcomes through the API', () => {
  it('acknowledge with an outcome, correct it later: both in the history, the latest on the alert', async () => {
    const a = await fx.openAlert(IDS.north1, { ruleId: 'threshold:blood_pressure.systolic#api' });
    const ack = await call<Alert>('clinician', 'POST', `/alerts/${a.id}/acknowledge`, { note: 'calling her', outcome: { kind: 'action_taken', action: 'call', text: 'advised to rest and re-measure' } });
    expect(ack.status).toBe(200);
    expect(ack.body.outcome).toMatchObject({ kind: 'action_taken', action: 'call', text: 'advised to rest and re-measure', by: 'u-clinician' });

    const resolved = await call<Alert>('clinician', 'POST', `/alerts/${a.id}/resolve`, {});
    expect(resolved.body.state).toBe('resolved');
    const corrected = await call<Alert>('admin', 'POST', `/alerts/${a.id}/outcome`, { outcome: { kind: 'technical_or_measurement_error', text: 'cuff too loose' } });
    expect(corrected.status).toBe(200);
    expect(corrected.body.outcome).toMatchObject({ kind: 'technical_or_measurement_error', by: 'u-admin' });
    expect(corrected.body.outcome?.action).toBeUndefined();

    const got = await call<Alert>('clinician', 'GET', `/alerts/${a.id}`);
    expect(got.body.outcome).toMatchObject({ kind: 'technical_or_measurement_error', text: 'cuff too loose' });
    const events = (await call<History>('clinician', 'GET', `/alerts/${a.id}/events`)).body.events;
    expect(events.map((e) => e.type)).toEqual(['opened', 'acknowledged', 'outcome_recorded', 'resolved', 'outcome_recorded']);
    expect(events[2]).toMatchObject({ actor: 'u-clinician', detail: { kind: 'action_taken', action: 'call', correction: false } });
    expect(events[4]).toMatchObject({ actor: 'u-admin', detail: { kind: 'technical_or_measurement_error', action: null, text: 'cuff too loose', correction: true } });

    // Audited like the other actions.
    const audit = await fx.services.audit.store.query({ patientId: IDS.north1, limit: 200 });
    expect(audit.some((e) => e.action === 'alert.outcome' && e.userId === 'u-admin' && e.outcome === 'allowed')).toBe(true);
  });

  it('refuses carers, an action without action_taken, action_taken without its kind; nothing is recorded', async () => {
    const a = await fx.openAlert(IDS.north1, { ruleId: 'threshold:blood_pressure.systolic#refused' });
    expect((await call('carer', 'POST', `/alerts/${a.id}/outcome`, { outcome: { kind: 'false_alarm' } })).status).toBe(403);
    expect((await call('carer', 'POST', `/alerts/${a.id}/acknowledge`, { outcome: { kind: 'false_alarm' } })).status).toBe(403);
    const noKind = await call('clinician', 'POST', `/alerts/${a.id}/outcome`, { outcome: { kind: 'action_taken' } });
    expect(noKind.status).toBe(400);
    expect(JSON.stringify(noKind.body.errors)).toContain('body.outcome.action');
    expect((await call('clinician', 'POST', `/alerts/${a.id}/outcome`, { outcome: { kind: 'false_alarm', action: 'call' } })).status).toBe(400);
    expect((await call('clinician', 'POST', `/alerts/${a.id}/resolve`, { outcome: { kind: 'maybe' } })).status).toBe(400);
    expect((await call('southClinician', 'POST', `/alerts/${a.id}/outcome`, { outcome: { kind: 'false_alarm' } })).status).toBe(404);
    const events = (await call<History>('clinician', 'GET', `/alerts/${a.id}/events`)).body.events;
    expect(events).toHaveLength(1);
    expect((await call<Alert>('clinician', 'GET', `/alerts/${a.id}`)).body.outcome).toBeUndefined();
  });

  it('the OpenAPI document describes the outcome for typed clients', async () => {
    const doc = (await fx.app.inject({ method: 'GET', url: '/openapi.json' })).json<{ paths: Record<string, Record<string, unknown>> }>();
    expect(doc.paths['/api/v1/alerts/{alertId}/outcome']?.post).toBeDefined();
    const text = JSON.stringify(doc.paths['/api/v1/alerts/{alertId}/acknowledge']);
    for (const word of ['action_taken', 'gp_or_hospital_contact', 'technical_or_measurement_error', 'false_alarm']) expect(text).toContain(word);
  });
});

/** A month of hand-built alerts for team north: known acknowledgement times and outcomes. */
const FROM = new Date('2026-03-02T00:00:00Z');
const TO = new Date('2026-03-30T00:00:00Z'); // 4 weeks; 2 patients in team north: 8 patient-weeks
const MIN = 60_000;
let n = 0;

async function stored(patientId: string, openedAt: Date, steps: (a: AlertRecord) => Transition[], finding: Partial<RuleFinding> = {}): Promise<void> {
  const full: RuleFinding = { ruleId: `threshold:blood_pressure.systolic#month-${++n}`, audience: 'clinical', severity: 'medium', summary: 'Systolic BP 185 mmHg (>= 180)', evidence: { readingIds: [], values: { value: 185 } }, condition: 'firing', ...finding };
  const opened = applyFinding(undefined, full, { now: openedAt, subjectKey: patientSubject(patientId), patientId, careTeamId: patientId === IDS.south1 ? IDS.south : IDS.north, newId: () => `al-month-${n}`, homeOffline: false })!;
  let alert = opened.alert;
  const events = [...opened.events];
  for (const t of steps(alert)) {
    alert = t.alert;
    events.push(...t.events);
  }
  await fx.alertService!.store.write([{ alert, events, notifications: [] }]);
}

const ackThenResolve = (ackAfterS: number, outcome?: OutcomeInput) => (a: AlertRecord) => {
  const ack = acknowledge(a, 'u-clinician', new Date(a.openedAt.getTime() + ackAfterS * 1000), undefined, outcome);
  return [ack, resolve(ack.alert, 'u-clinician', new Date(a.openedAt.getTime() + ackAfterS * 1000 + MIN))];
};

describe('analytics of a hand-built month', () => {
  beforeAll(async () => {
    expect((await call('clinician', 'PUT', `/patients/${IDS.north1}/alert-rules`, { conditionGroups: ['heart_failure'] })).status).toBe(200);
    expect((await call('clinician', 'PUT', `/care-teams/${IDS.north}/alert-routing`, { quietHours: { from: '22:00', to: '07:00' } })).status).toBe(200);
    const seconds = [60, 120, 180, 240, 300, 360, 420, 480, 540, 3600];
    const outcomes: (OutcomeInput | undefined)[] = [
      { kind: 'action_taken', action: 'call' },
      { kind: 'action_taken', action: 'visit' },
      { kind: 'action_taken', action: 'gp_or_hospital_contact' },
      { kind: 'action_taken', action: 'medication_change' },
      { kind: 'false_alarm' },
      { kind: 'false_alarm' },
      { kind: 'false_alarm' },
      { kind: 'technical_or_measurement_error' },
      undefined,
      undefined,
    ];
    for (const [i, s] of seconds.entries()) {
      // Day i at 09:00 UTC (10:00 in Copenhagen), north1 for the first five, north2 for the rest.
      const openedAt = new Date(FROM.getTime() + i * 86_400_000 + 9 * 3600_000);
      await stored(i < 5 ? IDS.north1 : IDS.north2, openedAt, ackThenResolve(s, outcomes[i]), { severity: i < 5 ? 'high' : 'medium' });
    }
    // Never acknowledged: opened at 23:30 in Copenhagen (quiet hours), snoozed twice, escalated once, resolved by the rule.
    await stored(IDS.north2, new Date('2026-03-20T22:30:00Z'), (a) => {
      const s1 = snooze(a, 'u-clinician', new Date(a.openedAt.getTime() + MIN), new Date(a.openedAt.getTime() + 30 * MIN), 'visit at 8');
      const s2 = snooze(s1.alert, 'u-clinician', new Date(a.openedAt.getTime() + 2 * MIN), new Date(a.openedAt.getTime() + 60 * MIN), 'visit at 9');
      const esc = systemEvent(s2.alert, new Date(a.openedAt.getTime() + 90 * MIN), 'escalated', { tier: 2 });
      return [s1, s2, esc, resolve(esc.alert, 'system', new Date(a.openedAt.getTime() + 120 * MIN))];
    });
    // A missing-reading alert (never acknowledged) and one of another team and one outside the period, which must not count.
    await stored(IDS.north2, new Date('2026-03-21T08:00:00Z'), (a) => [resolve(a, 'system', new Date(a.openedAt.getTime() + MIN))], { ruleId: 'missing:body_weight', cause: 'not_measured', severity: 'low' });
    await stored(IDS.south1, new Date('2026-03-05T09:00:00Z'), ackThenResolve(10, { kind: 'false_alarm' }));
    await stored(IDS.north1, new Date('2026-04-02T09:00:00Z'), ackThenResolve(10, { kind: 'false_alarm' }));
  });

  const q = `careTeamId=${IDS.north}&from=${FROM.toISOString()}&to=${TO.toISOString()}`;

  it('gives the exact PPV, time to acknowledge and counts', async () => {
    const res = await call<Analytics>('clinician', 'GET', `/analytics/alerts?${q}`);
    expect(res.status).toBe(200);
    const o = res.body.overall;
    expect(o).toMatchObject({ alerts: 12, patients: 2, patientWeeks: 8, alertsPerPatientWeek: 1.5, ppv: 0.5, escalated: 1, snoozes: 2, snoozedAlerts: 1, inQuietHours: 1, missingByCause: { not_measured: 1 } });
    expect(o.outcomes).toEqual({ action_taken: 4, no_action_needed: 0, technical_or_measurement_error: 1, false_alarm: 3, recorded: 8, none: 4 });
    expect(o.timeToAcknowledge.seconds).toEqual({ n: 10, median: 300, p90: 540 });
    expect(o.timeToAcknowledge.unacknowledged).toBe(2);
    expect(o.timeToAcknowledge.bySeverity).toEqual([
      { severity: 'medium', n: 5, median: 480, p90: 3600 },
      { severity: 'high', n: 5, median: 180, p90: 300 },
    ]);
    expect(o.timeToAcknowledge.byHour).toEqual([{ hour: 10, n: 10, median: 300, p90: 540 }]);
    expect(res.body).toMatchObject({ timeZone: 'Europe/Copenhagen', groups: [] });
  });

  it('groups by condition group and by rule', async () => {
    const byCondition = (await call<Analytics>('admin', 'GET', `/analytics/alerts?${q}&groupBy=condition`)).body.groups;
    expect(byCondition.map((g) => [g.key, g.alerts, g.patients, g.ppv])).toEqual([
      ['heart_failure', 5, 1, 0.8],
      ['none', 7, 1, 0],
    ]);
    const byRule = (await call<Analytics>('clinician', 'GET', `/analytics/alerts?${q}&groupBy=rule`)).body.groups;
    expect(byRule).toHaveLength(12);
    expect(byRule.find((g) => g.key === 'missing:body_weight')).toMatchObject({ alerts: 1, patients: 2, missingByCause: { not_measured: 1 } });
  });

  it('filters to one condition group: its alerts, its patients in the patient-weeks, per rule within it', async () => {
    const hf = (await call<Analytics>('clinician', 'GET', `/analytics/alerts?${q}&conditionGroup=heart_failure&groupBy=rule`)).body;
    expect(hf.conditionGroup).toBe('heart_failure');
    expect(hf.overall).toMatchObject({ alerts: 5, patients: 1, patientWeeks: 4, alertsPerPatientWeek: 1.25, ppv: 0.8 });
    expect(hf.groups).toHaveLength(5);
    expect(hf.groups.every((g) => g.patients === 1)).toBe(true);
    const copd = (await call<Analytics>('clinician', 'GET', `/analytics/alerts?${q}&conditionGroup=copd`)).body.overall;
    expect(copd).toMatchObject({ alerts: 0, patients: 0 });
    expect((await call('clinician', 'GET', `/analytics/alerts?${q}&conditionGroup=Heart-Failure`)).status).toBe(400);
  });

  it('exports CSV with the same figures, through .csv and format=csv', async () => {
    const csv = await call('clinician', 'GET', `/analytics/alerts.csv?${q}&groupBy=condition`);
    expect(csv.status).toBe(200);
    expect(csv.type).toContain('text/csv');
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toBe(
      'group_by,group,alerts,patients,patient_weeks,alerts_per_patient_week,outcomes_recorded,outcomes_none,action_taken,no_action_needed,technical_or_measurement_error,false_alarm,ppv,acknowledged,unacknowledged,ack_median_s,ack_p90_s,escalated,snoozes,in_quiet_hours,missing_readings',
    );
    expect(lines[1]).toBe('all,all,12,2,8,1.5,8,4,4,0,1,3,0.5,10,2,300,540,1,2,1,1');
    expect(lines[2]).toBe('condition,heart_failure,5,1,4,1.25,5,0,4,0,0,1,0.8,5,0,180,300,0,0,0,0');
    const viaFormat = await call('clinician', 'GET', `/analytics/alerts?${q}&groupBy=condition&format=csv`);
    expect(viaFormat.type).toContain('text/csv');
    expect(viaFormat.text).toBe(csv.text);
  });

  it("scopes to the user's teams: another team is 404, carers 403, a bad period or grouping 400", async () => {
    expect((await call('southClinician', 'GET', `/analytics/alerts?${q}`)).status).toBe(404);
    expect((await call('admin', 'GET', `/analytics/alerts?careTeamId=team-nowhere`)).status).toBe(404);
    expect((await call('carer', 'GET', `/analytics/alerts?${q}`)).status).toBe(403);
    const backwards = await call('clinician', 'GET', `/analytics/alerts?careTeamId=${IDS.north}&from=${TO.toISOString()}&to=${FROM.toISOString()}`);
    expect(backwards.status).toBe(400);
    expect(JSON.stringify(backwards.body.errors)).toContain('query.from');
    expect((await call('clinician', 'GET', `/analytics/alerts?${q}&groupBy=weekday`)).status).toBe(400);
    const south = (await call<Analytics>('southClinician', 'GET', `/analytics/alerts?careTeamId=${IDS.south}&from=${FROM.toISOString()}&to=${TO.toISOString()}`)).body;
    expect(south.overall).toMatchObject({ alerts: 1, ppv: 0 });
  });

  it('outcomes recorded through the API appear in the analytics of the last 30 days', async () => {
    const recent = (await call<Analytics>('clinician', 'GET', `/analytics/alerts?careTeamId=${IDS.north}`)).body.overall;
    // The two alerts opened through the API by the tests above: one corrected to a technical error, one without an outcome.
    expect(recent).toMatchObject({ alerts: 2, outcomes: { technical_or_measurement_error: 1, recorded: 1, none: 1 }, ppv: 0 });
    expect(recent.timeToAcknowledge.seconds.n).toBe(1);
  });
});
