/**
 * Observations entered by people, through the real API on a real InfluxDB and PGlite registry:
 * stored beside device readings with their source and author, corrections as new entries, and bad
 * input refused with problem+json and nothing stored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IDS, startApiFixture, writeReadings, type ApiFixture, type FixtureUser } from '../support/api-fixture.js';
import { waitFor } from '../support/wait-for.js';

let f: ApiFixture;
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);

beforeAll(async () => {
  f = await startApiFixture();
});
afterAll(async () => {
  await f.close();
});

async function enter(user: FixtureUser, patientId: string, body: Record<string, unknown>) {
  return f.app.inject({ method: 'POST', url: `/api/v1/patients/${patientId}/observations`, headers: f.auth(user), payload: body });
}

async function listed(patientId: string) {
  const res = await f.app.inject({ method: 'GET', url: `/api/v1/patients/${patientId}/observations`, headers: f.auth('admin') });
  expect(res.statusCode).toBe(200);
  return res.json<{ observations: { id: string; kind: string; values: Record<string, unknown>; superseded: boolean; supersededBy?: string; supersedes: string[]; enteredBy: string; role: string }[] }>().observations;
}

describe('POST /patients/:id/observations', () => {
  it('stores respiration rate, ACVPU and oxygen with author and role, and readings show them beside device readings as manual', async () => {
    const at = minutesAgo(10);
    await writeReadings(f.influx, IDS.north1, [{ kind: 'respiratory_rate', at: minutesAgo(30), values: { respiratoryRate: 14 } }]);
    const res = await enter('clinician', IDS.north1, { observedAt: at.toISOString(), respiratoryRate: 25, consciousness: 'V', supplementalOxygen: { onOxygen: true, flowLPerMin: 2 } });
    expect(res.statusCode).toBe(201);
    const body = res.json<{ entryId: string; enteredAt: string; observations: { id: string; kind: string; enteredBy: string; role: string; source: string; values: Record<string, unknown> }[] }>();
    expect(body.observations.map((o) => [o.kind, o.values])).toEqual([
      ['respiratory_rate', { respiratoryRate: 25 }],
      ['consciousness', { acvpu: 'V' }],
      ['supplemental_oxygen', { onOxygen: true, oxygenFlow: 2 }],
    ]);
    expect(body.observations.every((o) => o.enteredBy === 'u-clinician' && o.role === 'clinician' && o.source === 'manual')).toBe(true);
    expect(Date.parse(body.enteredAt)).toBeGreaterThan(at.getTime());

    const readings = await f.app.inject({ method: 'GET', url: `/api/v1/patients/${IDS.north1}/readings?kind=respiratory_rate&from=${minutesAgo(60).toISOString()}`, headers: f.auth('clinician') });
    expect(readings.statusCode).toBe(200);
    const rows = readings.json<{ readings: { id: string; source: string; deviceId: string; enteredBy?: string; enteredRole?: string; attribution?: string; components: { value: number }[] }[] }>().readings;
    expect(rows.map((r) => [r.source, r.components[0]?.value])).toEqual([
      ['device', 14],
      ['manual', 25],
    ]);
    const manual = rows[1]!;
    expect(manual).toMatchObject({ id: body.observations[0]!.id, deviceId: '', enteredBy: 'u-clinician', enteredRole: 'clinician', attribution: 'entered' });
    expect(rows[0]!.enteredBy).toBeUndefined();

    const list = await listed(IDS.north1);
    expect(list.filter((o) => o.kind === 'consciousness').map((o) => o.values)).toEqual([{ acvpu: 'V' }]);
  });

  it('lets a carer enter typed-in vitals; they are stored in the catalogue units beside the device series', async () => {
    const res = await enter('carer', IDS.north2, { observedAt: minutesAgo(5).toISOString(), bloodPressure: { systolic: 142, diastolic: 88 }, pulse: 71, temperature: 37.4, spo2: 95, weight: 81.2 });
    expect(res.statusCode).toBe(201);
    const kinds = res.json<{ observations: { kind: string; role: string }[] }>().observations;
    expect(kinds.map((o) => o.kind)).toEqual(['body_temperature', 'spo2', 'blood_pressure', 'heart_rate', 'body_weight']);
    const bp = await f.app.inject({ method: 'GET', url: `/api/v1/patients/${IDS.north2}/readings?kind=blood_pressure`, headers: f.auth('carer') });
    const row = bp.json<{ readings: { source: string; components: { name: string; value: number; unit: string }[] }[] }>().readings[0]!;
    expect(row.source).toBe('manual');
    expect(row.components).toEqual([
      { name: 'systolic', code: '8480-6', value: 142, unit: 'mm[Hg]' },
      { name: 'diastolic', code: '8462-4', value: 88, unit: 'mm[Hg]' },
    ]);
  });

  it('corrects by a new entry: the old observation stays, marked superseded, and cannot be corrected twice', async () => {
    // The correction is for the same observation time: it must not land on the corrected point.
    const at = minutesAgo(20).toISOString();
    const first = await enter('carer', IDS.north2, { observedAt: at, respiratoryRate: 32 });
    const oldId = first.json<{ observations: { id: string }[] }>().observations[0]!.id;
    const fix = await enter('carer', IDS.north2, { observedAt: at, respiratoryRate: 23, supersedes: [oldId] });
    expect(fix.statusCode).toBe(201);
    const newId = fix.json<{ observations: { id: string; supersedes: string[] }[] }>().observations[0]!;
    expect(newId.supersedes).toEqual([oldId]);

    const all = await listed(IDS.north2);
    const old = all.find((o) => o.id === oldId)!;
    expect(old).toMatchObject({ values: { respiratoryRate: 32 }, superseded: true, supersededBy: newId.id });
    expect(all.find((o) => o.id === newId.id)).toMatchObject({ values: { respiratoryRate: 23 }, superseded: false });

    const readings = await f.app.inject({ method: 'GET', url: `/api/v1/patients/${IDS.north2}/readings?kind=respiratory_rate`, headers: f.auth('clinician') });
    const flags = readings.json<{ readings: { id: string; flags: { superseded: boolean }; supersededBy?: string }[] }>().readings;
    expect(flags.find((r) => r.id === oldId)).toMatchObject({ flags: { superseded: true }, supersededBy: newId.id });

    const before = (await listed(IDS.north2)).length;
    const again = await enter('clinician', IDS.north2, { observedAt: minutesAgo(20).toISOString(), respiratoryRate: 24, supersedes: [oldId] });
    expect(again.statusCode).toBe(409);
    expect(again.headers['content-type']).toContain('application/problem+json');
    expect(again.json()).toMatchObject({ code: 'RPM_ERR_OBSERVATION_SUPERSEDED' });
    expect((await listed(IDS.north2)).length).toBe(before);
  });

  it('refuses a second entry of the same kind at the same time by the same person (it would overwrite the first)', async () => {
    const at = minutesAgo(15).toISOString();
    expect((await enter('clinician', IDS.north1, { observedAt: at, temperature: 37.2 })).statusCode).toBe(201);
    const before = await listed(IDS.north1);
    const again = await enter('clinician', IDS.north1, { observedAt: at, temperature: 38.2 });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'RPM_ERR_CONFLICT' });
    const after = await listed(IDS.north1);
    expect(after).toEqual(before);
    expect(after.filter((o) => o.kind === 'body_temperature').map((o) => o.values)).toEqual([{ temperature: 37.2 }]);
  });

  it('lets a clinician, not a carer, correct another person’s entry', async () => {
    const byClinician = await enter('clinician', IDS.north2, { observedAt: minutesAgo(3).toISOString(), consciousness: 'A' });
    const id = byClinician.json<{ observations: { id: string }[] }>().observations[0]!.id;
    const before = (await listed(IDS.north2)).length;
    const carer = await enter('carer', IDS.north2, { observedAt: minutesAgo(3).toISOString(), consciousness: 'C', supersedes: [id] });
    expect(carer.statusCode).toBe(403);
    expect(carer.json()).toMatchObject({ code: 'RPM_ERR_FORBIDDEN' });
    expect((await listed(IDS.north2)).length).toBe(before);
    const admin = await enter('admin', IDS.north2, { observedAt: minutesAgo(3).toISOString(), consciousness: 'C', supersedes: [id] });
    expect(admin.statusCode).toBe(201);
  });

  it('answers 404 for a patient of another team and stores nothing', async () => {
    const before = (await listed(IDS.north1)).length;
    const res = await enter('southClinician', IDS.north1, { observedAt: minutesAgo(1).toISOString(), respiratoryRate: 18 });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'RPM_ERR_NOT_FOUND' });
    expect((await listed(IDS.north1)).length).toBe(before);
  });

  const now = () => minutesAgo(1).toISOString();
  it.each([
    ['respiration rate beyond the plausible', () => ({ observedAt: now(), respiratoryRate: 200 }), 'body.respiratoryRate'],
    ['a fractional respiration rate', () => ({ observedAt: now(), respiratoryRate: 18.5 }), 'body.respiratoryRate'],
    ['an unknown ACVPU level', () => ({ observedAt: now(), consciousness: 'X' }), 'body.consciousness'],
    ['a flow while on room air', () => ({ observedAt: now(), supplementalOxygen: { onOxygen: false, flowLPerMin: 2 } }), 'body.supplementalOxygen.flowLPerMin'],
    ['an impossible oxygen flow', () => ({ observedAt: now(), supplementalOxygen: { onOxygen: true, flowLPerMin: 80 } }), 'body.supplementalOxygen.flowLPerMin'],
    ['diastolic above systolic', () => ({ observedAt: now(), bloodPressure: { systolic: 80, diastolic: 120 } }), 'body.bloodPressure.diastolic'],
    ['SpO2 above 100 %', () => ({ observedAt: now(), spo2: 104 }), 'body.spo2'],
    ['no parameter at all', () => ({ observedAt: now() }), 'body'],
    ['an unknown parameter', () => ({ observedAt: now(), respiratoryRate: 16, mood: 'fine' }), 'body'],
    ['an observation time in the future', () => ({ observedAt: new Date(Date.now() + 3_600_000).toISOString(), respiratoryRate: 16 }), 'body.observedAt'],
    ['an observation time 8 days ago', () => ({ observedAt: new Date(Date.now() - 8 * 86_400_000).toISOString(), respiratoryRate: 16 }), 'body.observedAt'],
    ['a correction of an unknown observation', () => ({ observedAt: now(), respiratoryRate: 16, supersedes: ['obs_NOPE'] }), 'body.supersedes[0]'],
  ])('refuses %s with a problem and stores nothing', async (_name, body, path) => {
    const before = (await listed(IDS.north1)).length;
    const res = await enter('clinician', IDS.north1, body());
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const problem = res.json<{ code: string; errors?: { path: string }[] }>();
    expect(problem.code).toBe('RPM_ERR_VALIDATION');
    expect(problem.errors?.map((e) => e.path) ?? []).toContain(path);
    expect((await listed(IDS.north1)).length).toBe(before);
  });

  it('refuses a correction whose entry lacks the corrected kind', async () => {
    const made = await enter('clinician', IDS.north1, { observedAt: minutesAgo(2).toISOString(), consciousness: 'A' });
    const id = made.json<{ observations: { id: string }[] }>().observations[0]!.id;
    const res = await enter('clinician', IDS.north1, { observedAt: minutesAgo(2).toISOString(), respiratoryRate: 16, supersedes: [id] });
    expect(res.statusCode).toBe(400);
    expect(res.json<{ detail: string }>().detail).toContain('consciousness');
  });

  it('exports entries beside device readings with their source: CSV columns, FHIR performer instead of device, corrected ones entered-in-error', async () => {
    const from = minutesAgo(120).toISOString();
    const csv = await f.app.inject({ method: 'GET', url: `/api/v1/patients/${IDS.north2}/export.csv?from=${from}`, headers: f.auth('admin') });
    expect(csv.statusCode).toBe(200);
    const lines = csv.body.trimEnd().split('\r\n');
    expect(lines[0]!.endsWith(',source,entered_by,superseded_by,attribution')).toBe(true);
    const rr = lines.filter((l) => l.includes(',respiratoryRate,'));
    expect(rr.some((l) => l.includes(',32,/min,') && /,manual,u-carer,obs_[0-9A-Z]+,entered$/.test(l))).toBe(true);

    const fhir = await f.app.inject({ method: 'GET', url: `/api/v1/patients/${IDS.north2}/fhir?from=${from}`, headers: f.auth('admin') });
    expect(fhir.statusCode).toBe(200);
    const resources = fhir.json<{ entry: { resource: { status: string; device?: unknown; performer?: { identifier: { value: string } }[]; valueQuantity?: { value: number } } }[] }>().entry.map((e) => e.resource);
    const rrs = resources.filter((r) => r.valueQuantity?.value === 32 || r.valueQuantity?.value === 23);
    expect(rrs.map((r) => [r.valueQuantity?.value, r.status, r.device, r.performer?.[0]?.identifier.value])).toEqual([
      [32, 'entered-in-error', undefined, 'u-carer'],
      [23, 'final', undefined, 'u-carer'],
    ]);
    // The entered ACVPU observations come along, coded, the corrected one entered-in-error.
    const acvpu = fhir
      .json<{ entry: { resource: { code: { coding: { code: string }[] }; status: string; valueCodeableConcept?: { coding: { code: string }[] }; performer?: { identifier: { value: string } }[] } }[] }>()
      .entry.map((e) => e.resource)
      .filter((r) => r.code.coding[0]?.code === 'consciousness-acvpu');
    expect(acvpu.map((r) => [r.valueCodeableConcept?.coding[0]?.code, r.status, r.performer?.[0]?.identifier.value])).toEqual([
      ['A', 'entered-in-error', 'u-clinician'],
      ['C', 'final', 'u-admin'],
    ]);
  });

  it('exports entered oxygen with its flow as a FHIR Observation (valueBoolean, LOINC 3151-8 component)', async () => {
    const fhir = await f.app.inject({ method: 'GET', url: `/api/v1/patients/${IDS.north1}/fhir?from=${minutesAgo(120).toISOString()}`, headers: f.auth('clinician') });
    expect(fhir.statusCode).toBe(200);
    const oxygen = fhir
      .json<{ entry: { resource: { code: { coding: { code: string }[] }; valueBoolean?: boolean; component?: { code: { coding: { code: string }[] }; valueQuantity: { value: number; code: string } }[] } }[] }>()
      .entry.map((e) => e.resource)
      .filter((r) => r.code.coding[0]?.code === 'supplemental-oxygen');
    expect(oxygen.map((r) => [r.valueBoolean, r.component?.[0]?.code.coding[0]?.code, r.component?.[0]?.valueQuantity])).toEqual([[true, '3151-8', { value: 2, unit: 'L/min', system: 'http://unitsofmeasure.org', code: 'L/min' }]]);
    // Asking for some kinds only leaves them out.
    const bp = await f.app.inject({ method: 'GET', url: `/api/v1/patients/${IDS.north1}/fhir?kinds=blood_pressure&from=${minutesAgo(120).toISOString()}`, headers: f.auth('clinician') });
    expect(bp.json<{ entry: unknown[] }>().entry).toEqual([]);
  });

  it('records every entry and refusal in the audit log', async () => {
    await waitFor('the audit entries of the observation entries', async () => {
      const entries = await f.services.audit.store.query({ patientId: IDS.north1, limit: 500 });
      const outcomes = new Set(entries.filter((e) => e.action === 'observation.enter').map((e) => e.outcome));
      return ['attempted', 'allowed', 'invalid', 'not_found'].every((o) => outcomes.has(o as never)) ? true : undefined;
    });
  });
});
