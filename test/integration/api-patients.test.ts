/**
 * Patients on the SQL registry and InfluxDB: the worklist with each patient's latest vitals per
 * kind (one InfluxQL query for the team), sorted by risk then name; a patient's detail; admins
 * creating and updating patients with their rule configuration.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../dashboard-api/app.js';
import type { AlertReader } from '../../dashboard-api/services.js';
import { AuditTrail } from '../../hub/audit/audit-trail.js';
import { IDS, startApiFixture, writeReadings, type ApiFixture } from '../support/api-fixture.js';

interface Latest {
  kind: string;
  readingId: string;
  measuredAt: string;
  components: { name: string; value: number }[];
}
interface WorklistPatient {
  id: string;
  displayName: string;
  careTeamId: string;
  latest: Latest[];
  openAlerts: number;
  highestSeverity: string | null;
  news2: { total: number } | null;
}

const DAY = 86_400_000;

describe('patients', () => {
  let fx: ApiFixture;
  const now = Date.now();

  beforeAll(async () => {
    fx = await startApiFixture();
    await writeReadings(fx.influx, IDS.north1, [
      { kind: 'blood_pressure', at: new Date(now - 3 * DAY), values: { systolic: 150, diastolic: 95 }, id: 'bp-old' },
      { kind: 'blood_pressure', at: new Date(now - 1 * DAY), values: { systolic: 132, diastolic: 84 }, id: 'bp-new' },
      { kind: 'spo2', at: new Date(now - 2 * DAY), values: { spo2: 93 }, id: 'spo2-1' },
      // Outside the 30-day look-back: not shown.
      { kind: 'body_weight', at: new Date(now - 45 * DAY), values: { weight: 80 }, id: 'w-ancient' },
    ]);
    await writeReadings(fx.influx, IDS.south1, [{ kind: 'heart_rate', at: new Date(now - DAY), values: { heartRate: 70 }, deviceId: IDS.southCuff, id: 'hr-south' }]);
  });

  afterAll(async () => {
    await fx?.close();
  });

  async function worklist(user: 'clinician' | 'admin' | 'southClinician' | 'carer', query = '', app = fx.app): Promise<WorklistPatient[]> {
    const res = await app.inject({ method: 'GET', url: `/api/v1/patients${query}`, headers: fx.auth(user) });
    expect(res.statusCode).toBe(200);
    return res.json<{ patients: WorklistPatient[] }>().patients;
  }

  it("lists the caller's team's patients with their latest reading per kind, sorted by name without alerts", async () => {
    const list = await worklist('clinician');
    expect(list.map((p) => p.id)).toEqual([IDS.north2, IDS.north1]); // Andersen before Ørsted
    const north1 = list.find((p) => p.id === IDS.north1);
    expect(north1?.latest.map((l) => [l.kind, l.readingId])).toEqual([
      ['blood_pressure', 'bp-new'],
      ['spo2', 'spo2-1'],
    ]);
    expect(north1?.latest[0]?.components).toEqual([
      { name: 'systolic', code: '8480-6', value: 132, unit: 'mm[Hg]' },
      { name: 'diastolic', code: '8462-4', value: 84, unit: 'mm[Hg]' },
    ]);
    expect(north1).toMatchObject({ openAlerts: 0, highestSeverity: null, news2: null });
    expect(list.find((p) => p.id === IDS.north2)?.latest).toEqual([]);
  });

  it('shows a reading measured after the previous worklist request (incremental refresh)', async () => {
    await worklist('clinician');
    await writeReadings(fx.influx, IDS.north2, [{ kind: 'spo2', at: new Date(), values: { spo2: 96 }, id: 'spo2-fresh' }]);
    const north2 = (await worklist('clinician')).find((p) => p.id === IDS.north2);
    expect(north2?.latest.map((l) => l.readingId)).toEqual(['spo2-fresh']);
  });

  it('shows admins every patient, optionally one team; never another team to others', async () => {
    expect((await worklist('admin')).map((p) => p.id).sort()).toEqual([IDS.north1, IDS.north2, IDS.south1]);
    expect((await worklist('admin', `?careTeamId=${IDS.south}`)).map((p) => p.id)).toEqual([IDS.south1]);
    expect(await worklist('clinician', `?careTeamId=${IDS.south}`)).toEqual([]);
    expect((await worklist('southClinician')).map((p) => [p.id, p.latest.map((l) => l.readingId)])).toEqual([[IDS.south1, ['hr-south']]]);
  });

  it('sorts by risk from the alert engine first, then by name', async () => {
    const alerts: AlertReader = {
      async riskOf(ids) {
        const risk = new Map<string, { openAlerts: number; highestSeverity?: 'high'; news2?: { total: number; at: string; missing: string[] } }>();
        if (ids.includes(IDS.north1)) risk.set(IDS.north1, { openAlerts: 2, highestSeverity: 'high', news2: { total: 5, at: new Date(now).toISOString(), missing: ['consciousness'] } });
        return risk;
      },
    };
    const app = await buildApp({ ...fx.services, alerts, audit: { trail: new AuditTrail(fx.services.audit.store), store: fx.services.audit.store } });
    try {
      const list = await worklist('clinician', '', app);
      expect(list.map((p) => p.id)).toEqual([IDS.north1, IDS.north2]);
      expect(list[0]).toMatchObject({ openAlerts: 2, highestSeverity: 'high', news2: { total: 5, missing: ['consciousness'] } });
    } finally {
      await app.close();
    }
  });

  it("shows a patient's detail with the rule configuration", async () => {
    const res = await fx.app.inject({ method: 'GET', url: `/api/v1/patients/${IDS.north1}`, headers: fx.auth('carer') });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      id: IDS.north1,
      displayName: 'Ørsted, Åse',
      careTeamId: IDS.north,
      rules: { timeZone: 'Europe/Copenhagen', conditionGroups: [] },
      latest: [{ kind: 'blood_pressure' }, { kind: 'spo2' }],
    });
  });

  it('lets an admin create a patient with condition groups, schedules, thresholds and passive intervals', async () => {
    const rules = {
      timeZone: 'Europe/Stockholm',
      conditionGroups: ['heart_failure', 'copd'],
      schedules: [{ type: 'daily', kind: 'body_weight', by: '10:00' }],
      thresholds: { 'spo2.spo2': { low: [{ op: '<', limit: 90, severity: 'high' }] } },
      passive: [{ from: '2026-06-01T00:00:00Z', to: '2026-06-14T00:00:00Z', reason: 'hospital stay' }],
    };
    const res = await fx.app.inject({ method: 'POST', url: '/api/v1/patients', headers: fx.auth('admin'), payload: { id: 'p-new-1', careTeamId: IDS.north, displayName: 'Lind, Ebba', rules } });
    expect(res.statusCode).toBe(201);
    expect(res.headers.location).toBe('/api/v1/patients/p-new-1');
    const created = res.json<{ rules: typeof rules & { passive: { from: string }[] }; createdAt: string }>();
    expect(created.rules).toMatchObject({ conditionGroups: ['heart_failure', 'copd'], schedules: rules.schedules, thresholds: rules.thresholds });
    expect(created.rules.passive[0]?.from).toBe('2026-06-01T00:00:00.000Z');
    expect(Number.isNaN(Date.parse(created.createdAt))).toBe(false);
    // It is on the team's worklist now, and in the registry the hub's alert engine reads.
    expect((await worklist('clinician')).map((p) => p.id)).toContain('p-new-1');
    expect((await fx.registry.listPatients({ careTeamId: IDS.north })).find((p) => p.id === 'p-new-1')).toMatchObject({ conditionGroups: ['heart_failure', 'copd'], timeZone: 'Europe/Stockholm' });
  });

  it('refuses a duplicate id (409) and an unknown care team (400), naming them', async () => {
    const dup = await fx.app.inject({ method: 'POST', url: '/api/v1/patients', headers: fx.auth('admin'), payload: { id: IDS.north1, careTeamId: IDS.north, displayName: 'Again' } });
    expect(dup.statusCode).toBe(409);
    expect(dup.json()).toMatchObject({ code: 'RPM_ERR_CONFLICT', errors: [{ path: 'body.id' }] });
    const team = await fx.app.inject({ method: 'POST', url: '/api/v1/patients', headers: fx.auth('admin'), payload: { id: 'p-new-2', careTeamId: 'team-nowhere', displayName: 'Nobody' } });
    expect(team.statusCode).toBe(400);
    expect(team.json()).toMatchObject({ code: 'RPM_ERR_VALIDATION' });
    expect(team.json<{ detail: string }>().detail).toContain('team-nowhere');
    const unknownField = await fx.app.inject({ method: 'POST', url: '/api/v1/patients', headers: fx.auth('admin'), payload: { id: 'p-new-3', careTeamId: IDS.north, displayName: 'X', cpr: '010150-1234' } });
    expect(unknownField.statusCode).toBe(400);
  });

  it('lets an admin move a patient to another team and replace the rules', async () => {
    const res = await fx.app.inject({
      method: 'PATCH',
      url: '/api/v1/patients/p-new-1',
      headers: fx.auth('admin'),
      payload: { careTeamId: IDS.south, rules: { conditionGroups: ['diabetes'] } },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ careTeamId: IDS.south, rules: { conditionGroups: ['diabetes'], timeZone: 'Europe/Copenhagen' } });
    expect((await worklist('clinician')).map((p) => p.id)).not.toContain('p-new-1');
    expect((await worklist('southClinician')).map((p) => p.id)).toContain('p-new-1');
    const empty = await fx.app.inject({ method: 'PATCH', url: '/api/v1/patients/p-new-1', headers: fx.auth('admin'), payload: {} });
    expect(empty.statusCode).toBe(400);
    const missing = await fx.app.inject({ method: 'PATCH', url: '/api/v1/patients/p-nobody', headers: fx.auth('admin'), payload: { displayName: 'X' } });
    expect(missing.statusCode).toBe(404);
  });
});
